-- Before a bulk load: foreign keys, keys and indexes go, so rows stream in
-- without per-row index and key checks; constraints.sql and indexes.sql
-- build them again afterwards, each in one pass.
ALTER TABLE review_reports DROP CONSTRAINT IF EXISTS review_reports_review_fkey;
ALTER TABLE reviews_photos DROP CONSTRAINT IF EXISTS reviews_photos_review_fkey;
ALTER TABLE characteristic_reviews DROP CONSTRAINT IF EXISTS characteristic_reviews_review_fkey;
ALTER TABLE characteristic_reviews DROP CONSTRAINT IF EXISTS characteristic_reviews_characteristic_fkey;
ALTER TABLE characteristic_reviews DROP CONSTRAINT IF EXISTS characteristic_reviews_review_characteristic;
ALTER TABLE characteristic_reviews DROP CONSTRAINT IF EXISTS characteristic_reviews_pkey;
ALTER TABLE reviews_photos DROP CONSTRAINT IF EXISTS reviews_photos_pkey;
ALTER TABLE characteristics DROP CONSTRAINT IF EXISTS characteristics_pkey;
ALTER TABLE reviews DROP CONSTRAINT IF EXISTS reviews_pkey;
DROP INDEX IF EXISTS reviews_newest, reviews_helpful, reviews_relevant,
	reviews_rating_desc, reviews_rating_asc, reviews_photos_review,
	characteristics_product, reviews_email, reviews_open;
