-- Indexes, kept apart from the tables so a bulk load can build them after
-- the rows are in.  Each sort order of GET /reviews has a partial index over
-- non-reported reviews that yields one product's page in order; photos are
-- read by an index-only scan.

CREATE INDEX IF NOT EXISTS reviews_newest
	ON reviews (product_id, date_ms DESC, id DESC) WHERE NOT reported;
CREATE INDEX IF NOT EXISTS reviews_helpful
	ON reviews (product_id, helpfulness DESC, date_ms DESC, id DESC)
	WHERE NOT reported;
CREATE INDEX IF NOT EXISTS reviews_relevant
	ON reviews (product_id, (date_ms + 2592000000::bigint * helpfulness) DESC,
	    id DESC) WHERE NOT reported;
-- sort=rating_desc and rating_asc (API.md Part 2): rating, then newest.
CREATE INDEX IF NOT EXISTS reviews_rating_desc
	ON reviews (product_id, rating DESC, date_ms DESC, id DESC)
	WHERE NOT reported;
CREATE INDEX IF NOT EXISTS reviews_rating_asc
	ON reviews (product_id, rating, date_ms DESC, id DESC)
	WHERE NOT reported;
CREATE INDEX IF NOT EXISTS reviews_photos_review
	ON reviews_photos (review_id, id) INCLUDE (url);
CREATE INDEX IF NOT EXISTS characteristics_product
	ON characteristics (product_id, id);
-- Moderation (API.md Part 2): a reviewer's reviews by e-mail, compared
-- case-insensitively (export, erase); the open queue; a review's reports.
CREATE INDEX IF NOT EXISTS reviews_email ON reviews (lower(reviewer_email));
CREATE INDEX IF NOT EXISTS reviews_open ON reviews (id)
	WHERE reported AND NOT removed;
CREATE INDEX IF NOT EXISTS review_reports_review
	ON review_reports (review_id, id);
