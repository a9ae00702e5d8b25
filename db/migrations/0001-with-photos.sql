-- 0001: product_meta.with_photos, the number of the product's non-reported
-- reviews that have at least one photo (GET /reviews/meta?stats=true).
--
-- Run by spawn/lib/data.sh (data_migrate) in one transaction with its
-- record in schema_migrations; safe to run again (ADD COLUMN IF NOT
-- EXISTS, and the backfill computes the numbers again), and a repair of
-- with_photos when run by hand (psql -1 -f).  The ALTER holds
-- product_meta's exclusive lock until the commit, so no write can change
-- an aggregate between the count and the commit: writes wait, and so do
-- reads of meta (seconds at full scale).  A column with a constant default
-- rewrites nothing; its CHECK reads the table once.

ALTER TABLE product_meta ADD COLUMN IF NOT EXISTS
	with_photos bigint NOT NULL DEFAULT 0 CHECK (with_photos >= 0);

-- The counts of the products with a photographed review, then zero for
-- any other product that holds one: on the first run every row starts at
-- 0, so only the first statement changes rows; run again, the two correct
-- whatever drifted since (old workers that did not maintain the column),
-- and change nothing where it is exact.  A product with a non-reported
-- review has its product_meta row already (verify.sql holds every write
-- to that), so UPDATE is enough.
UPDATE product_meta m SET with_photos = s.n
FROM (SELECT r.product_id, count(*) AS n
      FROM reviews r
      JOIN (SELECT DISTINCT review_id FROM reviews_photos) p ON p.review_id = r.id
      WHERE NOT r.reported
      GROUP BY r.product_id) s
WHERE m.product_id = s.product_id AND m.with_photos <> s.n;

UPDATE product_meta m SET with_photos = 0
WHERE m.with_photos <> 0 AND NOT EXISTS (
	SELECT 1 FROM reviews r JOIN reviews_photos p ON p.review_id = r.id
	WHERE r.product_id = m.product_id AND NOT r.reported);
