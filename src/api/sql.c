/*
 * Every statement the worker runs, in one table of {name, sql}, and the
 * session settings it runs them under.  They are prepared once per
 * connection (db.c) and take their input only as parameters: no SQL is ever
 * built from a request.  spawn/bench's pgbench scripts are generated from
 * this file (sql-dump.c links it alone): data only, no calls out.
 *
 * Lists join the page of reviews to their photos, one row per photo (or one
 * row with NULL photo columns), and keep the sort order so the worker can
 * group rows in a single pass.  Each sort has a partial index over
 * non-reported reviews (db/schema.sql) that serves it for one product.
 */
#include "db.h"

#define LIST_COLUMNS \
	"r.id, r.rating, r.summary, r.recommend, r.response, r.body, " \
	"r.date_ms, r.reviewer_name, r.helpfulness, p.id, p.url "

#define LIST_SQL(order, outer) \
	"SELECT " LIST_COLUMNS \
	"FROM (SELECT * FROM reviews WHERE product_id = $1 AND NOT reported " \
	"ORDER BY " order " LIMIT $2 OFFSET $3) r " \
	"LEFT JOIN reviews_photos p ON p.review_id = r.id " \
	"ORDER BY " outer ", p.id"

/*
 * The same with Part 2's filters ($4 the VALID_RATINGS bits of the ratings
 * kept, $5 has_photos: 0 any, 1 with, 2 without) and, for cursor pages, a
 * keyset condition: only reviews after ($6 id, $7 and $8 sort values) in
 * the sort's order.  They run on the same indexes (a filter on the rows of
 * one product) and are used only when a request asks for them, so a Part 1
 * list runs exactly the statement it ran before.
 */
#define LIST_FILTERS \
	"AND (($4::integer >> (rating - 1)) & 1) = 1 " \
	"AND ($5::integer = 0 OR ($5::integer = 1) = EXISTS (SELECT 1 " \
	"FROM reviews_photos x WHERE x.review_id = reviews.id)) "

#define LIST_FILTERED_SQL(order, outer, after) \
	"SELECT " LIST_COLUMNS \
	"FROM (SELECT * FROM reviews WHERE product_id = $1 AND NOT reported " \
	LIST_FILTERS after "ORDER BY " order " LIMIT $2 OFFSET $3) r " \
	"LEFT JOIN reviews_photos p ON p.review_id = r.id " \
	"ORDER BY " outer ", p.id"

/* Each sort's order, inner and outer, as the statements need them. */
#define ORDER_NEWEST	"date_ms DESC, id DESC", "r.date_ms DESC, r.id DESC"
#define ORDER_HELPFUL \
	"helpfulness DESC, date_ms DESC, id DESC", \
	"r.helpfulness DESC, r.date_ms DESC, r.id DESC"
#define SCORE(t)	"(" t "date_ms + 2592000000::bigint * " t "helpfulness)"
#define ORDER_RELEVANT	SCORE("") " DESC, id DESC", SCORE("r.") " DESC, r.id DESC"
#define ORDER_RATING_DESC \
	"rating DESC, date_ms DESC, id DESC", \
	"r.rating DESC, r.date_ms DESC, r.id DESC"
#define ORDER_RATING_ASC \
	"rating, date_ms DESC, id DESC", "r.rating, r.date_ms DESC, r.id DESC"

/* m(order's two halves, ...): ORDER_* stands for two arguments. */
#define CALL(m, ...)	m(__VA_ARGS__)
#define FILTERED(order)	CALL(LIST_FILTERED_SQL, order, "")
#define AFTER(order, cond)	CALL(LIST_FILTERED_SQL, order, "AND " cond " ")

/* Meta's columns (db.h, enum db_meta_col) for the products of k. */
#define META_COLUMNS \
	"m.rating_1, m.rating_2, m.rating_3, m.rating_4, m.rating_5, " \
	"m.recommend_false, m.recommend_true, m.with_photos, " \
	"c.id, c.name, c.rating_sum, c.rating_count "
#define META_JOINS \
	"LEFT JOIN product_meta m ON m.product_id = k.product_id " \
	"LEFT JOIN characteristics c ON c.product_id = k.product_id "

/*
 * Every write tells every app server's listener which product changed, in
 * its own transaction (a NOTIFY is delivered only if it commits, and in
 * commit order): src/listen, src/common/cache.h.
 */
#define NOTIFY(product)	"pg_notify('reviews_cache', (" product ")::text)"

/* How long an Idempotency-Key is remembered (README, "Choices"). */
#define IDEM_TTL	"interval '24 hours'"

/*
 * Whether review r has a photo: with_photos counts a review once, however
 * many it has.
 */
#define HAS_PHOTOS \
	"EXISTS (SELECT 1 FROM reviews_photos x WHERE x.review_id = r.id)"

/*
 * Every write that changes aggregates locks them in one order, its
 * product_meta row first, then its characteristics (each in key order):
 * in two orders a post and a report, restore, remove or erasure of the
 * same product deadlock (a 503 for one of them).  PostgreSQL runs a
 * WITH's writes in no promised order, so the characteristics' update
 * joins this one-row read of agg (the product_meta write, RETURNING its
 * rows): agg is done before the update takes a row.
 */
#define AFTER_META	"(SELECT count(*) FROM agg) after_meta"

/*
 * Add the reviews of r (product_id, rating, recommend) to their products'
 * histograms, recommend counts and with_photos (photos: whether a review
 * has any, an SQL expression over r), making the product's row when it
 * has none: a product whose every review is hidden may have no row
 * (db/aggregates.sql, db/verify.sql).
 */
#define META_ADD(photos) \
	"INSERT INTO product_meta AS m (product_id, rating_1, rating_2, " \
	"rating_3, rating_4, rating_5, recommend_false, recommend_true, " \
	"with_photos) " \
	"SELECT r.product_id, (r.rating = 1)::int, (r.rating = 2)::int, " \
	"(r.rating = 3)::int, (r.rating = 4)::int, (r.rating = 5)::int, " \
	"(NOT r.recommend)::int, r.recommend::int, " \
	"(" photos ")::int FROM r " \
	"ON CONFLICT (product_id) DO UPDATE SET " \
	"rating_1 = m.rating_1 + excluded.rating_1, " \
	"rating_2 = m.rating_2 + excluded.rating_2, " \
	"rating_3 = m.rating_3 + excluded.rating_3, " \
	"rating_4 = m.rating_4 + excluded.rating_4, " \
	"rating_5 = m.rating_5 + excluded.rating_5, " \
	"recommend_false = m.recommend_false + excluded.recommend_false, " \
	"recommend_true = m.recommend_true + excluded.recommend_true, " \
	"with_photos = m.with_photos + excluded.with_photos " \
	"RETURNING m.product_id"

/*
 * A new review and everything it changes, as data-modifying CTEs of one
 * statement: the review ($1 product, $2 rating, $3 summary, $4 body,
 * $5 recommend, $6 name, $7 email), its photos ($8 urls), its
 * characteristic ratings ($9 ids, $10 values; checked against the product
 * just before), the characteristics' sums and the product's histogram.
 */
#define POST_WRITES \
"r AS (INSERT INTO reviews (product_id, rating, date_ms, " \
	    "summary, body, recommend, reviewer_name, reviewer_email) " \
	    "VALUES ($1, $2, floor(extract(epoch FROM now()) * 1000)::bigint, " \
	    "$3, $4, $5, $6, $7) RETURNING id, product_id, rating, recommend), " \
	    "ph AS (INSERT INTO reviews_photos (review_id, url) " \
	    "SELECT r.id, u.url FROM r, unnest($8::text[]) WITH ORDINALITY " \
	    "AS u(url, n) ORDER BY u.n), " \
	    "cr AS (INSERT INTO characteristic_reviews " \
	    "(characteristic_id, review_id, value) " \
	    "SELECT c.id, r.id, c.value FROM r, " \
	    "unnest($9::integer[], $10::smallint[]) AS c(id, value)), " \
	    "agg AS (" META_ADD("cardinality($8::text[]) > 0") "), " \
	    "ch AS (UPDATE characteristics SET " \
	    "rating_sum = rating_sum + c.value, rating_count = rating_count + 1 " \
	    "FROM unnest($9::integer[], $10::smallint[]) AS c(id, value), " \
	    AFTER_META " WHERE characteristics.id = c.id) "

/* One statement per write: the implicit transaction makes it atomic. */
#define RATING_COUNTS(sign) \
	"rating_1 = m.rating_1 " sign " (r.rating = 1)::int, " \
	"rating_2 = m.rating_2 " sign " (r.rating = 2)::int, " \
	"rating_3 = m.rating_3 " sign " (r.rating = 3)::int, " \
	"rating_4 = m.rating_4 " sign " (r.rating = 4)::int, " \
	"rating_5 = m.rating_5 " sign " (r.rating = 5)::int, " \
	"recommend_false = m.recommend_false " sign " (NOT r.recommend)::int, " \
	"recommend_true = m.recommend_true " sign " r.recommend::int, " \
	"with_photos = m.with_photos " sign " (" HAS_PHOTOS ")::int "

/*
 * The characteristics' sums over the reviews of r where cond (an SQL
 * condition over r): sign "+" puts them in, "-" takes them out.  A review
 * rates a characteristic once (characteristic_reviews' unique key), so no
 * row is changed twice.
 */
#define CHAR_SUMS(sign, cond) \
	"UPDATE characteristics c SET " \
	"rating_sum = c.rating_sum " sign " cr.value, " \
	"rating_count = c.rating_count " sign " 1 " \
	"FROM r JOIN characteristic_reviews cr ON cr.review_id = r.id, " \
	AFTER_META " WHERE c.id = cr.characteristic_id AND " cond

/*
 * The moderation writes (the report, restore, remove, response) as one
 * statement each.  o locks the review as it is now: under READ COMMITTED
 * a locking read waits for a concurrent write of the review and then
 * reads its result, so two moderators (or a moderator and a report) never
 * both move one review's aggregates (those updates, too, re-read a row a
 * concurrent write changed).  r changes the review only from the statuses
 * its transition starts from; the aggregates, the reports and the audit
 * log follow what r changed.  The last SELECT answers enum db_mod_col:
 * the product, whether anything was written, whether a public answer
 * changed (then it notifies), whether to run it again; no row for no such
 * review.
 *
 * What the lock does not give: the rows other statements inserted after
 * this one's snapshot was taken stay invisible to it.  A report that
 * commits while a restore or remove waits for the review would stay open
 * on a decided review.  So every report that records a row also writes
 * the review (a new row version), and o.fresh says whether the version
 * locked is the one the snapshot sees: when it is not, restore and remove
 * change nothing and ask to be run again, with a snapshot that sees what
 * the other write did (moderate.c).
 */
#define MOD_LOCK(cols) \
	"s AS (SELECT xmin AS seen FROM reviews WHERE id = $1), " \
	"l AS (SELECT id, product_id, " cols ", xmin AS v FROM reviews " \
	"WHERE id = $1 FOR NO KEY UPDATE), " \
	"o AS (SELECT l.*, l.v = s.seen AS fresh FROM l, s)"
#define MOD_RETURNING \
	"RETURNING reviews.id, reviews.product_id, reviews.rating, " \
	"reviews.recommend"
/* Its open reports closed: a moderator decided. */
#define MOD_CLOSE \
	"cl AS (UPDATE review_reports x SET closed_at = now() FROM r " \
	"WHERE x.review_id = r.id AND x.closed_at IS NULL)"
/* One audit row per change, by the token's name ($2); never an e-mail. */
#define MOD_AUDIT(action) \
	"au AS (INSERT INTO admin_audit (token, action, target) " \
	"SELECT $2::text, " action ", 'review ' || r.id FROM r)"
#define MOD_ANSWER(changed, shown, again) \
	"SELECT o.product_id, " changed ", " shown ", " again ", " \
	"CASE WHEN " shown " THEN " NOTIFY("o.product_id") " END FROM o"

/*
 * The moderation API (API.md Part 2).  A review's status from its two
 * flags (db/schema.sql), and a time as ms since the epoch, for
 * json_iso_date (timestamptz keeps microseconds: they are cut, as
 * JavaScript's dates have none).
 */
#define STATUS(r) \
	"CASE WHEN NOT " r ".reported THEN 'published' WHEN " r ".removed " \
	"THEN 'removed' ELSE 'reported' END"
#define MS(t)	"floor(extract(epoch FROM " t ") * 1000)::bigint"

/*
 * A queue's tally of a review's reports x: how many, one count per reason
 * in queue.c's order, the first and the last (NULL when none).
 */
#define QUEUE_TALLY \
	"count(x.id) AS n, " \
	"count(x.id) FILTER (WHERE x.reason = 'spam') AS spam, " \
	"count(x.id) FILTER (WHERE x.reason = 'offensive') AS offensive, " \
	"count(x.id) FILTER (WHERE x.reason = 'off_topic') AS off_topic, " \
	"count(x.id) FILTER (WHERE x.reason = 'fake') AS fake, " \
	"count(x.id) FILTER (WHERE x.reason = 'privacy') AS privacy, " \
	"count(x.id) FILTER (WHERE x.reason = 'other') AS other, " \
	"min(x.reported_at) AS first_at, max(x.reported_at) AS last_at "

/*
 * A page of a queue: picked chooses the page's reviews (id and tally, in
 * queue order, $1 count, $2 offset), and each comes back with the list's
 * columns and its photos, one row per photo, keeping that order.
 */
#define QUEUE_SQL(picked) \
	"WITH q AS (" picked ") " \
	"SELECT " LIST_COLUMNS ", r.product_id, " STATUS("r") ", q.n, " \
	"q.spam, q.offensive, q.off_topic, q.fake, q.privacy, q.other, " \
	MS("q.first_at") ", " MS("q.last_at") ", r.reviewer_email " \
	"FROM q JOIN reviews r ON r.id = q.id " \
	"LEFT JOIN reviews_photos p ON p.review_id = r.id " \
	"ORDER BY q.first_at NULLS LAST, q.id, p.id"

/*
 * A data-subject request's audit line: how many reviews, never the
 * address (an erasure must leave no trace of it).
 */
#define REVIEWER_TARGET(n) \
	"format('reviewer (%s review%s)', " n ", " \
	"CASE WHEN " n " = 1 THEN '' ELSE 's' END)"

/* The reviews written with the e-mail $1, compared case-insensitively:
 * the expression index reviews_email serves it. */
#define BY_EMAIL	"lower(reviewer_email) = lower($1)"

/*
 * Generic plans always: every statement looks up one product or one review
 * by key, and its generic plan is the index plan a custom plan would pick.
 * In the default mode PostgreSQL kept re-planning the list statements on
 * every execution (their generic plan is estimated dearer, for an unknown
 * LIMIT), which halved their throughput at full scale (README).
 */
const char db_options[] =
    "-c statement_timeout=5000 -c plan_cache_mode=force_generic_plan";

const struct db_sql db_sql[DB__MAX] = {
	[DB_PING] = { "ping", "SELECT 1", 0, 1 },
	/* On a standby how far it replayed; once promoted, all it has. */
	[DB_REPLAYED] = { "replayed",
	    "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
	    " ELSE pg_current_wal_lsn() END)::text", 0, 1 },
	/* On the primary, after a write: at least its commit's position. */
	[DB_WAL_POSITION] = { "wal_position",
	    "SELECT CASE WHEN pg_is_in_recovery() THEN NULL"
	    " ELSE pg_current_wal_lsn()::text END", 0, 1 },

	[DB_LIST_NEWEST] = { "list_newest", CALL(LIST_SQL, ORDER_NEWEST), 3, 1 },
	[DB_LIST_HELPFUL] = { "list_helpful", CALL(LIST_SQL, ORDER_HELPFUL),
	    3, 1 },
	/* Each helpful vote counts as thirty days (in ms) of recency. */
	[DB_LIST_RELEVANT] = { "list_relevant", CALL(LIST_SQL, ORDER_RELEVANT),
	    3, 1 },

	/* $1..$5 (db.h, enum db_list_param). */
	[DB_FILTERED_NEWEST] = { "filtered_newest", FILTERED(ORDER_NEWEST),
	    5, 1 },
	[DB_FILTERED_HELPFUL] = { "filtered_helpful", FILTERED(ORDER_HELPFUL),
	    5, 1 },
	[DB_FILTERED_RELEVANT] = { "filtered_relevant",
	    FILTERED(ORDER_RELEVANT), 5, 1 },
	[DB_FILTERED_RATING_DESC] = { "filtered_rating_desc",
	    FILTERED(ORDER_RATING_DESC), 5, 1 },
	[DB_FILTERED_RATING_ASC] = { "filtered_rating_asc",
	    FILTERED(ORDER_RATING_ASC), 5, 1 },

	/* $1..$8, or $1..$7 where the sort has one value besides the id. */
	[DB_AFTER_NEWEST] = { "after_newest", AFTER(ORDER_NEWEST,
	    "(date_ms, id) < ($7, $6)"), 7, 1 },
	[DB_AFTER_HELPFUL] = { "after_helpful", AFTER(ORDER_HELPFUL,
	    "(helpfulness, date_ms, id) < ($7, $8, $6)"), 8, 1 },
	[DB_AFTER_RELEVANT] = { "after_relevant", AFTER(ORDER_RELEVANT,
	    "(" SCORE("") ", id) < ($7, $6)"), 7, 1 },
	[DB_AFTER_RATING_DESC] = { "after_rating_desc", AFTER(ORDER_RATING_DESC,
	    "(rating, date_ms, id) < ($7, $8, $6)"), 8, 1 },
	[DB_AFTER_RATING_ASC] = { "after_rating_asc", AFTER(ORDER_RATING_ASC,
	    "(rating > $7 OR (rating = $7 AND (date_ms, id) < ($8, $6)))"),
	    8, 1 },

	/* One row per characteristic (at least one row): the maintained
	 * aggregates, never a scan of the reviews. */
	[DB_META] = { "meta",
	    "SELECT " META_COLUMNS
	    "FROM (SELECT $1::integer AS product_id) k " META_JOINS
	    "ORDER BY c.id", 1, 1 },
	/* The same for up to 100 products in one round trip ($1 their ids),
	 * in the order given.  The LIMIT keeps product_meta a lookup per id
	 * (a lateral subquery is not pulled up into a join): with a small
	 * table the planner would otherwise hash it whole. */
	[DB_META_MANY] = { "meta_many",
	    "SELECT " META_COLUMNS ", k.n "
	    "FROM unnest($1::integer[]) WITH ORDINALITY k(product_id, n) "
	    "LEFT JOIN LATERAL (SELECT * FROM product_meta x "
	    "WHERE x.product_id = k.product_id LIMIT 1) m ON true "
	    "LEFT JOIN characteristics c ON c.product_id = k.product_id "
	    "ORDER BY k.n, c.id", 1, 1 },

	[DB_PRODUCT_CHARS] = { "product_chars",
	    "SELECT id FROM characteristics WHERE product_id = $1", 1, 1 },

	/*
	 * $1 product, $2 rating, $3 summary, $4 body, $5 recommend, $6 name,
	 * $7 email, $8 photo urls, $9 characteristic ids, $10 their values.
	 * Characteristic ids were checked against the product just before.
	 */
	[DB_POST] = { "post", "WITH " POST_WRITES
	    "SELECT id, " NOTIFY("product_id") " FROM r", 10, 0 },

	/*
	 * The same with an Idempotency-Key ($11) and the body's bytes ($12):
	 * the key is stored with the review in the same transaction, so a
	 * retry finds it exactly when the review exists.  A racing retry with
	 * the same key fails on the key's primary key and looks it up again.
	 * Each keyed post also clears up to 100 expired keys.
	 */
	[DB_POST_KEYED] = { "post_keyed", "WITH " POST_WRITES ", "
	    "k AS (INSERT INTO idempotency_keys (key, body_sha, review_id) "
	    "SELECT $11, sha256($12::bytea), r.id FROM r), "
	    "gc AS (DELETE FROM idempotency_keys WHERE key IN (SELECT key "
	    "FROM idempotency_keys WHERE created_at < now() - " IDEM_TTL
	    " LIMIT 100)) "
	    "SELECT id, " NOTIFY("product_id") " FROM r", 12, 0 },

	/* A live key: its review, and whether the body is the same. */
	[DB_IDEM_GET] = { "idem_get",
	    "SELECT review_id, body_sha = sha256($2::bytea) FROM idempotency_keys "
	    "WHERE key = $1 AND created_at >= now() - " IDEM_TTL, 2, 1 },

	/* Helpfulness is in no aggregate: one row changes.  The product
	 * tells the cache whose responses changed; no row means 404. */
	[DB_HELPFUL] = { "helpful",
	    "UPDATE reviews SET helpfulness = helpfulness + 1 WHERE id = $1 "
	    "RETURNING product_id, " NOTIFY("product_id"), 1, 0 },

	/*
	 * $1 review, $2 reason, $3 note (NULL: none).  A published review
	 * becomes reported, out of every aggregate; every report of a review
	 * not removed is recorded (and writes the review: MOD_LOCK says why);
	 * one of a removed review changes nothing.
	 */
	[DB_REPORT] = { "report", "WITH " MOD_LOCK("reported, removed") ", "
	    "r AS (UPDATE reviews SET reported = true FROM o "
	    "WHERE reviews.id = o.id AND NOT o.removed " MOD_RETURNING
	    ", NOT o.reported AS hid), "
	    "agg AS (UPDATE product_meta m SET " RATING_COUNTS("-")
	    "FROM r WHERE m.product_id = r.product_id AND r.hid "
	    "RETURNING m.product_id), "
	    "ch AS (" CHAR_SUMS("-", "r.hid") "), "
	    "rep AS (INSERT INTO review_reports (review_id, reason, note) "
	    "SELECT r.id, $2::text, $3::text FROM r) "
	    MOD_ANSWER("EXISTS (SELECT 1 FROM r)",
	    "EXISTS (SELECT 1 FROM r WHERE r.hid)", "false"), 3, 0 },

	/*
	 * $1 review, $2 the token's name.  Reported or removed: published,
	 * back into every aggregate, its open reports closed.  Published:
	 * nothing.
	 */
	[DB_RESTORE] = { "restore", "WITH " MOD_LOCK("reported") ", "
	    "r AS (UPDATE reviews SET reported = false, removed = false FROM o "
	    "WHERE reviews.id = o.id AND o.fresh AND o.reported "
	    MOD_RETURNING "), "
	    "agg AS (" META_ADD(HAS_PHOTOS) "), "
	    "ch AS (" CHAR_SUMS("+", "true") "), "
	    MOD_CLOSE ", " MOD_AUDIT("'restore'") " "
	    MOD_ANSWER("EXISTS (SELECT 1 FROM r)", "EXISTS (SELECT 1 FROM r)",
	    "NOT o.fresh"), 2, 0 },

	/*
	 * $1 review, $2 the token's name.  Published: removed, out of every
	 * aggregate.  Reported: removed, its open reports closed, nothing
	 * public changes.  Removed: nothing.
	 */
	[DB_REMOVE] = { "remove", "WITH " MOD_LOCK("reported, removed") ", "
	    "r AS (UPDATE reviews SET reported = true, removed = true FROM o "
	    "WHERE reviews.id = o.id AND o.fresh AND NOT o.removed "
	    MOD_RETURNING ", NOT o.reported AS shown), "
	    "agg AS (UPDATE product_meta m SET " RATING_COUNTS("-")
	    "FROM r WHERE m.product_id = r.product_id AND r.shown "
	    "RETURNING m.product_id), "
	    "ch AS (" CHAR_SUMS("-", "r.shown") "), "
	    MOD_CLOSE ", " MOD_AUDIT("'remove'") " "
	    MOD_ANSWER("EXISTS (SELECT 1 FROM r)",
	    "EXISTS (SELECT 1 FROM r WHERE r.shown)", "NOT o.fresh"), 2, 0 },

	/*
	 * $1 review, $2 the token's name, $3 the response (NULL clears it).
	 * The same response again changes nothing and logs nothing.  Only a
	 * published review's lists show it.  Nothing it reads can be
	 * invisible to it: never run again.
	 */
	[DB_RESPONSE] = { "response", "WITH " MOD_LOCK("reported, response") ", "
	    "r AS (UPDATE reviews SET response = $3::text FROM o "
	    "WHERE reviews.id = o.id AND o.response IS DISTINCT FROM $3::text "
	    "RETURNING reviews.id, NOT o.reported AS shown), "
	    MOD_AUDIT("CASE WHEN $3::text IS NULL THEN 'response_clear' "
	    "ELSE 'response' END") " "
	    MOD_ANSWER("EXISTS (SELECT 1 FROM r)",
	    "EXISTS (SELECT 1 FROM r WHERE r.shown)", "false"), 3, 0 },

	/*
	 * The open queue: every review in status reported (the partial
	 * index reviews_open holds exactly them), with its open reports
	 * (each review's own, by review_reports_review: an aggregate in a
	 * lateral subquery is never turned into a join over all reports),
	 * oldest first report first.  A hidden review with no open report
	 * (hidden before reports were recorded) still waits for a
	 * moderator: it comes last, with no times.
	 */
	[DB_QUEUE_OPEN] = { "queue_open", QUEUE_SQL(
	    "SELECT r.id, t.* FROM reviews r CROSS JOIN LATERAL (SELECT "
	    QUEUE_TALLY "FROM review_reports x WHERE x.review_id = r.id "
	    "AND x.closed_at IS NULL) t "
	    "WHERE r.reported AND NOT r.removed "
	    "ORDER BY t.first_at NULLS LAST, r.id LIMIT $1 OFFSET $2"), 2, 1 },
	/*
	 * The closed queue: reviews a moderator decided (published again or
	 * removed) with their closed reports.  No index orders reviews by
	 * their first report, so every closed report is read (an aggregate
	 * of review_reports, which is not a data-set table).  Each review's
	 * status is one primary-key lookup: the LIMIT keeps the lateral
	 * subquery from becoming a join, which the planner hashed over a
	 * sequential scan of reviews at test scale.
	 */
	[DB_QUEUE_CLOSED] = { "queue_closed", QUEUE_SQL(
	    "SELECT g.* FROM (SELECT x.review_id AS id, " QUEUE_TALLY
	    "FROM review_reports x WHERE x.closed_at IS NOT NULL "
	    "GROUP BY x.review_id) g CROSS JOIN LATERAL (SELECT 1 "
	    "FROM reviews r WHERE r.id = g.id AND (NOT r.reported OR r.removed) "
	    "LIMIT 1) d ORDER BY g.first_at, g.id LIMIT $1 OFFSET $2"), 2, 1 },

	/* The audit log, newest first: its primary key read backwards (ids
	 * grow with every append; at is the appending transaction's start). */
	[DB_AUDIT] = { "audit",
	    "SELECT " MS("at") ", token, action, target FROM admin_audit "
	    "ORDER BY id DESC LIMIT $1 OFFSET $2", 2, 1 },

	/*
	 * A data-subject export ($1 the e-mail, $2 the token's name): every
	 * review with that e-mail, any status, with its photos (kind 1) and
	 * its characteristic ratings (kind 2), one row per item; the export
	 * is logged (README: who asked for whose data is worth knowing),
	 * with the number of reviews and never the address.
	 */
	[DB_EXPORT] = { "export",
	    "WITH r AS (SELECT * FROM reviews WHERE " BY_EMAIL "), "
	    "a AS (INSERT INTO admin_audit (token, action, target) "
	    "SELECT $2, 'export', " REVIEWER_TARGET("c.n")
	    " FROM (SELECT count(*) AS n FROM r) c) "
	    "SELECT r.id, r.product_id, " STATUS("r") ", r.rating, r.summary, "
	    "r.recommend, r.response, r.body, r.date_ms, r.reviewer_name, "
	    "r.reviewer_email, r.helpfulness, x.kind, x.id, x.text, x.value "
	    "FROM r LEFT JOIN LATERAL ("
	    "SELECT 1 AS kind, p.id, p.url AS text, NULL::smallint AS value "
	    "FROM reviews_photos p WHERE p.review_id = r.id "
	    "UNION ALL SELECT 2, c.id, c.name, cr.value "
	    "FROM characteristic_reviews cr "
	    "JOIN characteristics c ON c.id = cr.characteristic_id "
	    "WHERE cr.review_id = r.id) x ON true "
	    "ORDER BY r.id, x.kind, x.id", 2, 0 },

	/*
	 * A data-subject erasure ($1 the e-mail, $2 the token's name): every
	 * review with that e-mail, its photos, characteristic ratings,
	 * reports and idempotency keys deleted, and the aggregates of those
	 * that were published corrected, product by product and
	 * characteristic by characteristic, in one statement.  What a review
	 * was is taken from what its DELETE returned: a report or restore
	 * that committed while the DELETE waited for the row is what it
	 * sees, so a hidden review is never subtracted twice.  Its reports
	 * go by the foreign key's cascade, which sees the reports committed
	 * while the DELETE waited (this statement's snapshot does not: a
	 * DELETE of them here left one behind, and the key refused the
	 * erasure).  Aggregates are locked in AFTER_META's order, each in key
	 * order.  Every product touched is notified; the audit line counts
	 * the reviews and never holds the address.
	 */
	[DB_ERASE] = { "erase",
	    "WITH d AS (DELETE FROM reviews WHERE " BY_EMAIL " "
	    "RETURNING id, product_id, rating, recommend, reported), "
	    "ph AS (DELETE FROM reviews_photos "
	    "WHERE review_id IN (SELECT id FROM d) RETURNING review_id), "
	    "cr AS (DELETE FROM characteristic_reviews "
	    "WHERE review_id IN (SELECT id FROM d) "
	    "RETURNING review_id, characteristic_id, value), "
	    "ik AS (DELETE FROM idempotency_keys "
	    "WHERE review_id IN (SELECT id FROM d)), "
	    "agg AS (UPDATE product_meta m SET "
	    "rating_1 = m.rating_1 - s.r1, rating_2 = m.rating_2 - s.r2, "
	    "rating_3 = m.rating_3 - s.r3, rating_4 = m.rating_4 - s.r4, "
	    "rating_5 = m.rating_5 - s.r5, "
	    "recommend_false = m.recommend_false - s.rf, "
	    "recommend_true = m.recommend_true - s.rt, "
	    "with_photos = m.with_photos - s.wp "
	    "FROM (SELECT product_id, "
	    "count(*) FILTER (WHERE rating = 1) AS r1, "
	    "count(*) FILTER (WHERE rating = 2) AS r2, "
	    "count(*) FILTER (WHERE rating = 3) AS r3, "
	    "count(*) FILTER (WHERE rating = 4) AS r4, "
	    "count(*) FILTER (WHERE rating = 5) AS r5, "
	    "count(*) FILTER (WHERE NOT recommend) AS rf, "
	    "count(*) FILTER (WHERE recommend) AS rt, "
	    "count(*) FILTER (WHERE id IN (SELECT review_id FROM ph)) AS wp "
	    "FROM d WHERE NOT reported GROUP BY product_id "
	    "ORDER BY product_id) s "
	    "WHERE m.product_id = s.product_id RETURNING m.product_id), "
	    "ch AS (UPDATE characteristics c SET "
	    "rating_sum = c.rating_sum - s.total, "
	    "rating_count = c.rating_count - s.n "
	    "FROM (SELECT cr.characteristic_id, sum(cr.value) AS total, "
	    "count(*) AS n FROM cr JOIN d ON d.id = cr.review_id "
	    "WHERE NOT d.reported GROUP BY cr.characteristic_id "
	    "ORDER BY cr.characteristic_id) s, " AFTER_META " "
	    "WHERE c.id = s.characteristic_id), "
	    "au AS (INSERT INTO admin_audit (token, action, target) "
	    "SELECT $2, 'erase', " REVIEWER_TARGET("c.n")
	    " FROM (SELECT count(*) AS n FROM d) c) "
	    "SELECT n.deleted, p.product_id, "
	    "CASE WHEN p.product_id IS NOT NULL THEN " NOTIFY("p.product_id")
	    " END FROM (SELECT count(*) AS deleted FROM d) n "
	    "LEFT JOIN (SELECT DISTINCT product_id FROM d) p ON true", 2, 0 },
};
