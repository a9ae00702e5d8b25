-- Keys and foreign keys.  Applied once after the tables (spawn/stack's
-- schema step skips it when reviews_pkey exists); a bulk load drops them
-- with drop-constraints.sql and adds them back from this file, one
-- statement at a time, in parallel.
ALTER TABLE reviews ADD CONSTRAINT reviews_pkey PRIMARY KEY (id);
ALTER TABLE characteristics ADD CONSTRAINT characteristics_pkey PRIMARY KEY (id);
ALTER TABLE reviews_photos ADD CONSTRAINT reviews_photos_pkey PRIMARY KEY (id);
ALTER TABLE characteristic_reviews ADD CONSTRAINT characteristic_reviews_pkey PRIMARY KEY (id);
ALTER TABLE characteristic_reviews ADD CONSTRAINT characteristic_reviews_review_characteristic
	UNIQUE (review_id, characteristic_id);
ALTER TABLE reviews_photos ADD CONSTRAINT reviews_photos_review_fkey
	FOREIGN KEY (review_id) REFERENCES reviews (id);
ALTER TABLE characteristic_reviews ADD CONSTRAINT characteristic_reviews_review_fkey
	FOREIGN KEY (review_id) REFERENCES reviews (id);
ALTER TABLE characteristic_reviews ADD CONSTRAINT characteristic_reviews_characteristic_fkey
	FOREIGN KEY (characteristic_id) REFERENCES characteristics (id);
-- A report goes with its review: an erasure's DELETE of the review takes
-- with it the reports committed while it waited for the row, which its
-- own snapshot cannot see (sql.c, DB_ERASE).
ALTER TABLE review_reports ADD CONSTRAINT review_reports_review_fkey
	FOREIGN KEY (review_id) REFERENCES reviews (id) ON DELETE CASCADE;
