-- pgbench script for spawn/bench: the worker's "list_helpful" statement (src/sql.c),
-- word for word, with its $n parameters as pgbench variables; run with -M prepared
-- (what the worker does: prepared once per connection) or -M simple.
-- Product ids: random in [lo, hi], given as -D lo=N -D hi=M (the last 10%
-- of the id range, as the wrk and k6 scripts use).  spawn/bench checks
-- this text against src/sql.c before it runs.
\set pid random(:lo, :hi)
\set cnt 5
\set off 0
SELECT r.id, r.rating, r.summary, r.recommend, r.response, r.body, r.date_ms, r.reviewer_name, r.helpfulness, p.id, p.url FROM (SELECT * FROM reviews WHERE product_id = :pid AND NOT reported ORDER BY helpfulness DESC, date_ms DESC, id DESC LIMIT :cnt OFFSET :off) r LEFT JOIN reviews_photos p ON p.review_id = r.id ORDER BY r.helpfulness DESC, r.date_ms DESC, r.id DESC, p.id;
