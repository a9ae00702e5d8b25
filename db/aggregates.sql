-- Rebuild every aggregate from the raw rows: after a bulk load, and as the
-- reference that `verify` compares the maintained aggregates against.
-- Reported reviews count nowhere.

BEGIN;

-- A review with photos counts once in with_photos, however many it has:
-- photos are joined as the set of reviews that have any.
TRUNCATE product_meta;
INSERT INTO product_meta (product_id, rating_1, rating_2, rating_3, rating_4,
    rating_5, recommend_false, recommend_true, with_photos)
SELECT r.product_id,
	count(*) FILTER (WHERE r.rating = 1),
	count(*) FILTER (WHERE r.rating = 2),
	count(*) FILTER (WHERE r.rating = 3),
	count(*) FILTER (WHERE r.rating = 4),
	count(*) FILTER (WHERE r.rating = 5),
	count(*) FILTER (WHERE NOT r.recommend),
	count(*) FILTER (WHERE r.recommend),
	count(p.review_id)
FROM reviews r
LEFT JOIN (SELECT DISTINCT review_id FROM reviews_photos) p ON p.review_id = r.id
WHERE NOT r.reported
GROUP BY r.product_id;

UPDATE characteristics SET rating_sum = 0, rating_count = 0
WHERE rating_sum <> 0 OR rating_count <> 0;
UPDATE characteristics c SET rating_sum = s.total, rating_count = s.n
FROM (SELECT cr.characteristic_id, sum(cr.value) AS total, count(*) AS n
      FROM characteristic_reviews cr
      JOIN reviews r ON r.id = cr.review_id
      WHERE NOT r.reported
      GROUP BY cr.characteristic_id) s
WHERE c.id = s.characteristic_id;

COMMIT;
