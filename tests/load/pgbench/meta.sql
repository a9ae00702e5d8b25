-- pgbench script for spawn/bench: the worker's "meta" statement (src/sql.c),
-- word for word, with its $n parameters as pgbench variables; run with -M prepared
-- (what the worker does: prepared once per connection) or -M simple.
-- Product ids: random in [lo, hi], given as -D lo=N -D hi=M (the last 10%
-- of the id range, as the wrk and k6 scripts use).  spawn/bench checks
-- this text against src/sql.c before it runs.
\set pid random(:lo, :hi)
SELECT m.rating_1, m.rating_2, m.rating_3, m.rating_4, m.rating_5, m.recommend_false, m.recommend_true, c.id, c.name, c.rating_sum, c.rating_count FROM (SELECT :pid::integer AS product_id) k LEFT JOIN product_meta m ON m.product_id = k.product_id LEFT JOIN characteristics c ON c.product_id = k.product_id ORDER BY c.id;
