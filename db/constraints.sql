-- Keys and foreign keys, added where missing (a bulk load drops them with
-- drop-constraints.sql and adds them back here after the rows are in).

CREATE OR REPLACE FUNCTION pg_temp.add_constraint(tbl regclass, con text, def text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = tbl AND conname = con) THEN
		EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', tbl, con, def);
	END IF;
END $$;

SELECT pg_temp.add_constraint('reviews', 'reviews_pkey', 'PRIMARY KEY (id)');
SELECT pg_temp.add_constraint('characteristics', 'characteristics_pkey', 'PRIMARY KEY (id)');
SELECT pg_temp.add_constraint('reviews_photos', 'reviews_photos_pkey', 'PRIMARY KEY (id)');
SELECT pg_temp.add_constraint('characteristic_reviews', 'characteristic_reviews_pkey', 'PRIMARY KEY (id)');
SELECT pg_temp.add_constraint('characteristic_reviews', 'characteristic_reviews_review_characteristic',
    'UNIQUE (review_id, characteristic_id)');
SELECT pg_temp.add_constraint('reviews_photos', 'reviews_photos_review_fkey',
    'FOREIGN KEY (review_id) REFERENCES reviews (id)');
SELECT pg_temp.add_constraint('characteristic_reviews', 'characteristic_reviews_review_fkey',
    'FOREIGN KEY (review_id) REFERENCES reviews (id)');
SELECT pg_temp.add_constraint('characteristic_reviews', 'characteristic_reviews_characteristic_fkey',
    'FOREIGN KEY (characteristic_id) REFERENCES characteristics (id)');
