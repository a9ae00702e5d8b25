/*
 * Database suite: the worker's statements and connection handling against
 * the real PostgreSQL of the test stack (DATABASE_URL, set by tests/run).
 * Without a database it fails: it never skips.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "check_main.h"
#include "db.h"

#define PRODUCT	"1800000001"

static char	 conninfo[1024];
static PGconn	*side;		/* a second connection, to look and to break */

/* Run sql on the side connection; returns the first value (static copy). */
static const char *
side_value(const char *sql)
{
	static char	 out[256];
	PGresult	*res = PQexec(side, sql);

	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK ||
	    PQresultStatus(res) == PGRES_COMMAND_OK, "%s: %s", sql,
	    PQresultErrorMessage(res));
	out[0] = '\0';
	if (PQntuples(res) > 0)
		snprintf(out, sizeof(out), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return out;
}

/* Maintained aggregates minus recomputed ones, for one product: "0|0". */
static const char *
side_drift(void)
{
	return side_value(
	    "SELECT (SELECT count(*) FROM (SELECT product_id, rating_1, rating_2, "
	    "rating_3, rating_4, rating_5, recommend_false, recommend_true "
	    "FROM product_meta WHERE product_id = " PRODUCT " EXCEPT "
	    "SELECT product_id, count(*) FILTER (WHERE rating = 1), "
	    "count(*) FILTER (WHERE rating = 2), count(*) FILTER (WHERE rating = 3), "
	    "count(*) FILTER (WHERE rating = 4), count(*) FILTER (WHERE rating = 5), "
	    "count(*) FILTER (WHERE NOT recommend), count(*) FILTER (WHERE recommend) "
	    "FROM reviews WHERE product_id = " PRODUCT " AND NOT reported "
	    "GROUP BY product_id) d) || '|' || "
	    "(SELECT count(*) FROM characteristics c, LATERAL "
	    "(SELECT coalesce(sum(cr.value), 0) AS total, count(*) AS n "
	    "FROM characteristic_reviews cr JOIN reviews r ON r.id = cr.review_id "
	    "WHERE cr.characteristic_id = c.id AND NOT r.reported) x "
	    "WHERE c.product_id = " PRODUCT " AND "
	    "(c.rating_sum, c.rating_count) <> (x.total, x.n))");
}

static void
setup(void)
{
	const char	*url = getenv("DATABASE_URL");

	ck_assert_msg(url != NULL && *url != '\0',
	    "DATABASE_URL is not set: run this suite with spawn/stack test");
	snprintf(conninfo, sizeof(conninfo), "%s application_name=check_db", url);
	side = PQconnectdb(url);
	ck_assert_msg(PQstatus(side) == CONNECTION_OK, "cannot connect: %s",
	    PQerrorMessage(side));
	side_value("DELETE FROM characteristic_reviews WHERE review_id IN "
	    "(SELECT id FROM reviews WHERE product_id = " PRODUCT ")");
	side_value("DELETE FROM review_reports WHERE review_id IN "
	    "(SELECT id FROM reviews WHERE product_id = " PRODUCT ")");
	side_value("DELETE FROM reviews_photos WHERE review_id IN "
	    "(SELECT id FROM reviews WHERE product_id = " PRODUCT ")");
	side_value("DELETE FROM reviews WHERE product_id = " PRODUCT);
	side_value("DELETE FROM characteristics WHERE product_id = " PRODUCT);
	side_value("DELETE FROM product_meta WHERE product_id = " PRODUCT);
	side_value("INSERT INTO characteristics (product_id, name) VALUES "
	    "(" PRODUCT ", 'Fit'), (" PRODUCT ", 'Comfort')");
	db_init(conninfo, NULL);
}

static void
teardown(void)
{
	db_close();
	PQfinish(side);
}

/* Post a review through the worker's statement; returns its id or -1. */
static long
post(const char *rating, const char *recommend, const char *ids,
    const char *values, int *status)
{
	const char	*p[10] = { PRODUCT, rating, "summary",
	    "a body of text that is long enough to be a review body, surely",
	    recommend, "name", "a@b.co", "{\"https://x.example/1.jpg\"}", ids,
	    values };
	PGresult	*res;
	long		 id;

	if ((res = db_run(DB_POST, p, status)) == NULL)
		return -1;
	id = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return id;
}

/* The characteristic ids of the fixture product as an array literal. */
static const char *
char_ids(void)
{
	static char	 out[64];

	snprintf(out, sizeof(out), "{%s}", side_value(
	    "SELECT string_agg(id::text, ',' ORDER BY id) FROM characteristics "
	    "WHERE product_id = " PRODUCT));
	return out;
}

/*
 * Every statement of the table prepares and runs on a real server, over one
 * persistent connection that later requests reuse.
 */
START_TEST(test_one_persistent_connection)
{
	static const char who[] = "SELECT string_agg(pid::text, ',') "
	    "FROM pg_stat_activity WHERE application_name = 'check_db'";
	char		 first[64];
	PGresult	*res;
	int		 status, i;

	for (i = 0; i < 3; i++) {
		res = db_run(DB_PING, NULL, &status);
		ck_assert_ptr_nonnull(res);
		ck_assert_int_eq(status, 200);
		PQclear(res);
		if (i == 0)
			snprintf(first, sizeof(first), "%s", side_value(who));
	}
	ck_assert_str_eq(side_value(who), first);
	ck_assert_ptr_null(strchr(first, ','));
}
END_TEST

/* A post writes review, photo, ratings and aggregates in one transaction. */
START_TEST(test_post_updates_aggregates)
{
	int	 status;
	long	 a, b;

	a = post("5", "t", char_ids(), "{4,2}", &status);
	ck_assert_int_eq(status, 200);
	b = post("2", "f", char_ids(), "{3,3}", &status);
	ck_assert_int_eq(status, 200);
	ck_assert_int_gt(b, a);
	ck_assert_str_eq(side_value("SELECT rating_2::text || rating_5 || recommend_false "
	    "|| recommend_true FROM product_meta WHERE product_id = " PRODUCT), "1111");
	ck_assert_str_eq(side_value("SELECT string_agg(rating_sum || '/' || "
	    "rating_count, ' ' ORDER BY id) FROM characteristics WHERE product_id = "
	    PRODUCT), "7/2 5/2");
	ck_assert_str_eq(side_drift(), "0|0");
}
END_TEST

/* A failing post (unknown characteristic) writes nothing at all. */
START_TEST(test_post_is_atomic)
{
	char	 before[256];
	int	 status;

	post("4", "t", char_ids(), "{4,2}", &status);
	snprintf(before, sizeof(before), "%s", side_value(
	    "SELECT (SELECT count(*) FROM reviews) || '|' || "
	    "(SELECT count(*) FROM reviews_photos) || '|' || "
	    "(SELECT sum(rating_4) FROM product_meta)"));
	ck_assert_int_eq(post("4", "t", "{2147483000}", "{4}", &status), -1);
	ck_assert_int_eq(status, 400);
	ck_assert_str_eq(side_value(
	    "SELECT (SELECT count(*) FROM reviews) || '|' || "
	    "(SELECT count(*) FROM reviews_photos) || '|' || "
	    "(SELECT sum(rating_4) FROM product_meta)"), before);
	ck_assert_str_eq(side_drift(), "0|0");
}
END_TEST

/* Run a moderation statement; its answer as "product changed shown again". */
static const char *
moderate(enum db_stmt stmt, const char *const *p)
{
	static char	 out[64];
	PGresult	*res;
	int		 status;

	res = db_run(stmt, p, &status);
	ck_assert_msg(res != NULL, "statement failed: %d", status);
	if (PQntuples(res) == 0)
		snprintf(out, sizeof(out), "none");
	else
		snprintf(out, sizeof(out), "%s %s %s %s",
		    PQgetvalue(res, 0, MOD_COL_PRODUCT),
		    PQgetvalue(res, 0, MOD_COL_CHANGED),
		    PQgetvalue(res, 0, MOD_COL_SHOWN),
		    PQgetvalue(res, 0, MOD_COL_AGAIN));
	PQclear(res);
	return out;
}

/*
 * Report takes a review out of every aggregate, once, records every
 * report with its reason and note, and names its product (for the
 * cache); a missing review gives no row (404).
 */
START_TEST(test_report)
{
	char		 id[24], want[48], sql[256];
	const char	*p[MOD__NPARAMS] = { [MOD_PARAM_REVIEW] = id,
	    [MOD_PARAM_REASON] = "spam", [MOD_PARAM_NOTE] = "a note" };
	int		 status, i;
	long		 a;

	post("3", "t", char_ids(), "{1,1}", &status);
	a = post("5", "f", char_ids(), "{5,5}", &status);
	snprintf(id, sizeof(id), "%ld", a);
	for (i = 0; i < 2; i++) {
		/* Shown: only the first report changes a public answer. */
		snprintf(want, sizeof(want), PRODUCT " t %s f", i == 0 ? "t" : "f");
		ck_assert_str_eq(moderate(DB_REPORT, p), want);
		ck_assert_str_eq(side_value("SELECT rating_5::text || recommend_false "
		    "FROM product_meta WHERE product_id = " PRODUCT), "00");
		ck_assert_str_eq(side_drift(), "0|0");
		p[MOD_PARAM_REASON] = "other";
		p[MOD_PARAM_NOTE] = NULL;
	}
	snprintf(sql, sizeof(sql), "SELECT string_agg(reason || ':' || "
	    "coalesce(note, '-'), ' ' ORDER BY id) FROM review_reports "
	    "WHERE review_id = %ld AND closed_at IS NULL", a);
	ck_assert_str_eq(side_value(sql), "spam:a note other:-");
	snprintf(id, sizeof(id), "2147483647");
	ck_assert_str_eq(moderate(DB_REPORT, p), "none");
}
END_TEST

/*
 * Remove and restore move a review out of and back into every aggregate,
 * each once however often asked, close its open reports, log each change
 * once under the token's name, and then record no report of a removed
 * review.
 */
START_TEST(test_moderation)
{
	char		 id[24], sql[256];
	const char	*admin[MOD__NPARAMS] = { [MOD_PARAM_REVIEW] = id,
	    [MOD_PARAM_TOKEN] = "check_db" };
	const char	*report[MOD__NPARAMS] = { [MOD_PARAM_REVIEW] = id,
	    [MOD_PARAM_REASON] = "fake" };
	const char	*audit0;
	char		 mark[32];
	int		 status;
	long		 a;

	audit0 = side_value("SELECT coalesce(max(id), 0) FROM admin_audit");
	snprintf(mark, sizeof(mark), "%s", audit0);
	/* side_drift compares rows: one review stays published throughout. */
	post("3", "t", char_ids(), "{1,1}", &status);
	a = post("5", "f", char_ids(), "{4,2}", &status);
	snprintf(id, sizeof(id), "%ld", a);
	ck_assert_str_eq(moderate(DB_REPORT, report), PRODUCT " t t f");
	/* Reported -> removed: nothing public changes. */
	ck_assert_str_eq(moderate(DB_REMOVE, admin), PRODUCT " t f f");
	ck_assert_str_eq(moderate(DB_REMOVE, admin), PRODUCT " f f f");
	ck_assert_str_eq(moderate(DB_REPORT, report), PRODUCT " f f f");
	ck_assert_str_eq(side_value("SELECT rating_5::text || recommend_false "
	    "FROM product_meta WHERE product_id = " PRODUCT), "00");
	ck_assert_str_eq(side_drift(), "0|0");
	/* Removed -> published: back in meta and in every sum. */
	ck_assert_str_eq(moderate(DB_RESTORE, admin), PRODUCT " t t f");
	ck_assert_str_eq(moderate(DB_RESTORE, admin), PRODUCT " f f f");
	ck_assert_str_eq(side_value("SELECT rating_5::text || recommend_false "
	    "FROM product_meta WHERE product_id = " PRODUCT), "11");
	ck_assert_str_eq(side_drift(), "0|0");
	/* Published -> removed: out again. */
	ck_assert_str_eq(moderate(DB_REMOVE, admin), PRODUCT " t t f");
	ck_assert_str_eq(side_drift(), "0|0");
	snprintf(sql, sizeof(sql), "SELECT count(*) || '/' || count(closed_at) "
	    "FROM review_reports WHERE review_id = %ld", a);
	ck_assert_str_eq(side_value(sql), "1/1");
	snprintf(sql, sizeof(sql), "SELECT string_agg(token || ' ' || action, "
	    "',' ORDER BY id) FROM admin_audit WHERE id > %s", mark);
	ck_assert_str_eq(side_value(sql),
	    "check_db remove,check_db restore,check_db remove");
	snprintf(id, sizeof(id), "2147483647");
	ck_assert_str_eq(moderate(DB_RESTORE, admin), "none");
	ck_assert_str_eq(moderate(DB_REMOVE, admin), "none");
}
END_TEST

/*
 * A lost connection is re-established without a restart: a read is retried
 * at once; a write answers 503 (it may or may not have run) and the next
 * one goes through.
 */
START_TEST(test_reconnect)
{
	const char	*p[1] = { PRODUCT };
	char		 id[24];
	const char	*hp[1] = { id };
	PGresult	*res;
	int		 status;
	long		 a;

	a = post("4", "t", char_ids(), "{3,3}", &status);
	snprintf(id, sizeof(id), "%ld", a);
	side_value("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
	    "WHERE application_name = 'check_db' AND pid <> pg_backend_pid()");
	res = db_run(DB_META, p, &status);
	ck_assert_ptr_nonnull(res);
	ck_assert_int_eq(status, 200);
	ck_assert_int_ge(PQntuples(res), 2);
	PQclear(res);

	side_value("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
	    "WHERE application_name = 'check_db' AND pid <> pg_backend_pid()");
	res = db_run(DB_HELPFUL, hp, &status);
	ck_assert_ptr_null(res);
	ck_assert_int_eq(status, 503);
	res = db_run(DB_HELPFUL, hp, &status);
	ck_assert_ptr_nonnull(res);
	PQclear(res);
	snprintf(id, sizeof(id), "%s", side_value("SELECT helpfulness FROM reviews "
	    "WHERE product_id = " PRODUCT " ORDER BY id DESC LIMIT 1"));
	ck_assert_str_eq(id, "1");
}
END_TEST

/* Each list order is served by its partial index, not a scan. */
START_TEST(test_list_plans_use_indexes)
{
	static const struct { enum db_stmt s; const char *index; } plans[] = {
		{ DB_LIST_NEWEST, "reviews_newest" },
		{ DB_LIST_HELPFUL, "reviews_helpful" },
		{ DB_LIST_RELEVANT, "reviews_relevant" },
	};
	char		 sql[2048];
	PGresult	*res;
	size_t		 i;
	int		 r;
	int		 found;

	for (i = 0; i < sizeof(plans) / sizeof(plans[0]); i++) {
		snprintf(sql, sizeof(sql), "EXPLAIN %s", db_sql[plans[i].s].sql);
		res = PQexecParams(side, sql, 3, NULL,
		    (const char *const[]){ "2", "5", "0" }, NULL, NULL, 0);
		ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
		found = 0;
		for (r = 0; r < PQntuples(res); r++)
			if (strstr(PQgetvalue(res, r, 0), plans[i].index))
				found = 1;
		PQclear(res);
		ck_assert_msg(found, "%s does not use %s", db_sql[plans[i].s].name,
		    plans[i].index);
	}
	snprintf(sql, sizeof(sql), "EXPLAIN %s", db_sql[DB_META].sql);
	res = PQexecParams(side, sql, 1, NULL, (const char *const[]){ "2" },
	    NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
	for (r = 0; r < PQntuples(res); r++)
		ck_assert_msg(strstr(PQgetvalue(res, r, 0), "Seq Scan") == NULL,
		    "meta scans: %s", PQgetvalue(res, r, 0));
	PQclear(res);
}
END_TEST

/* The suite tests/check_main.c runs. */
Suite *
check_suite(void)
{
	Suite	*s = suite_create("db");
	TCase	*tc = tcase_create("postgres");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_one_persistent_connection);
	tcase_add_test(tc, test_post_updates_aggregates);
	tcase_add_test(tc, test_post_is_atomic);
	tcase_add_test(tc, test_report);
	tcase_add_test(tc, test_moderation);
	tcase_add_test(tc, test_reconnect);
	tcase_add_test(tc, test_list_plans_use_indexes);
	suite_add_tcase(s, tc);
	return s;
}
