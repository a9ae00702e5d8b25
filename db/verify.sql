-- Recompute every aggregate from the raw rows and print one line for each
-- that differs from the maintained one; no output means exact.  A product
-- whose counts are all zero may have no product_meta row at all.

WITH want AS (
	SELECT r.product_id,
		count(*) FILTER (WHERE r.rating = 1) AS r1,
		count(*) FILTER (WHERE r.rating = 2) AS r2,
		count(*) FILTER (WHERE r.rating = 3) AS r3,
		count(*) FILTER (WHERE r.rating = 4) AS r4,
		count(*) FILTER (WHERE r.rating = 5) AS r5,
		count(*) FILTER (WHERE NOT r.recommend) AS rf,
		count(*) FILTER (WHERE r.recommend) AS rt,
		count(p.review_id) AS wp	-- reviews with any photo, each once
	FROM reviews r
	LEFT JOIN (SELECT DISTINCT review_id FROM reviews_photos) p ON p.review_id = r.id
	WHERE NOT r.reported GROUP BY r.product_id
), have AS (
	SELECT product_id, rating_1 AS r1, rating_2 AS r2, rating_3 AS r3,
		rating_4 AS r4, rating_5 AS r5, recommend_false AS rf,
		recommend_true AS rt, with_photos AS wp
	FROM product_meta
)
SELECT format('product %s: stored ratings %s/%s/%s/%s/%s recommend %s/%s with_photos %s, recomputed %s/%s/%s/%s/%s recommend %s/%s with_photos %s',
	product_id,
	coalesce(h.r1, 0), coalesce(h.r2, 0), coalesce(h.r3, 0), coalesce(h.r4, 0),
	coalesce(h.r5, 0), coalesce(h.rf, 0), coalesce(h.rt, 0), coalesce(h.wp, 0),
	coalesce(w.r1, 0), coalesce(w.r2, 0), coalesce(w.r3, 0), coalesce(w.r4, 0),
	coalesce(w.r5, 0), coalesce(w.rf, 0), coalesce(w.rt, 0), coalesce(w.wp, 0))
FROM want w FULL JOIN have h USING (product_id)
WHERE (coalesce(h.r1, 0), coalesce(h.r2, 0), coalesce(h.r3, 0), coalesce(h.r4, 0),
       coalesce(h.r5, 0), coalesce(h.rf, 0), coalesce(h.rt, 0), coalesce(h.wp, 0))
   <> (coalesce(w.r1, 0), coalesce(w.r2, 0), coalesce(w.r3, 0), coalesce(w.r4, 0),
       coalesce(w.r5, 0), coalesce(w.rf, 0), coalesce(w.rt, 0), coalesce(w.wp, 0))
ORDER BY product_id;

WITH want AS (
	SELECT cr.characteristic_id AS id, sum(cr.value) AS total, count(*) AS n
	FROM characteristic_reviews cr JOIN reviews r ON r.id = cr.review_id
	WHERE NOT r.reported
	GROUP BY cr.characteristic_id
)
SELECT format('characteristic %s (product %s): stored %s/%s, recomputed %s/%s',
	c.id, c.product_id, c.rating_sum, c.rating_count,
	coalesce(w.total, 0), coalesce(w.n, 0))
FROM characteristics c LEFT JOIN want w USING (id)
WHERE (c.rating_sum, c.rating_count) <> (coalesce(w.total, 0), coalesce(w.n, 0))
ORDER BY c.id;
