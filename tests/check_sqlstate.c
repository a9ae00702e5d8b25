/*
 * The SQLSTATE to HTTP status map (db_http_status in db.c), the one place
 * a database error becomes an answer: every class and code it names, and
 * what falls through to 500.  A pure function: no database here.
 */
#include <check.h>
#include <stdlib.h>

#include "check_main.h"
#include "db.h"
#include "rows.h"

#define NROWS(a)	(sizeof(a) / sizeof((a)[0]))

static const struct { const char *state; int status; const char *why; } rows[] = {
	/* Worth a retry: 503. */
	{ "08000", 503, "connection exception" },
	{ "08001", 503, "cannot establish a connection" },
	{ "08003", 503, "connection does not exist" },
	{ "08004", 503, "server rejected the connection" },
	{ "08006", 503, "connection failure" },
	{ "08P01", 503, "protocol violation (class 08)" },
	{ "53000", 503, "insufficient resources" },
	{ "53100", 503, "disk full" },
	{ "53200", 503, "out of memory" },
	{ "53300", 503, "too many connections" },
	{ "53400", 503, "configuration limit exceeded" },
	{ "57P01", 503, "admin shutdown" },
	{ "57P02", 503, "crash shutdown" },
	{ "57P03", 503, "cannot connect now" },
	{ "57P04", 503, "database dropped" },
	{ "57P05", 503, "idle session timeout" },
	{ "57014", 503, "query canceled (statement timeout)" },
	{ "40001", 503, "serialization failure" },
	{ "40P01", 503, "deadlock detected" },
	{ "25006", 503, "read-only transaction (a standby)" },
	/* A racing write of the same key: 409. */
	{ "23505", 409, "unique violation" },
	/* The client's data: 400. */
	{ "22000", 400, "data exception" },
	{ "22001", 400, "string data right truncation" },
	{ "22003", 400, "numeric value out of range" },
	{ "22007", 400, "invalid datetime format" },
	{ "22021", 400, "character not in repertoire" },
	{ "22P02", 400, "invalid text representation" },
	{ "23000", 400, "integrity constraint violation" },
	{ "23502", 400, "not null violation" },
	{ "23503", 400, "foreign key violation" },
	{ "23514", 400, "check violation" },
	{ "23P01", 400, "exclusion violation" },
	/* Ours: 500. */
	{ "42601", 500, "syntax error" },
	{ "42P01", 500, "undefined table" },
	{ "42703", 500, "undefined column" },
	{ "26000", 500, "invalid statement name (not prepared)" },
	{ "40002", 500, "integrity violation at commit (class 40, not retried)" },
	{ "40003", 500, "statement completion unknown" },
	{ "57000", 500, "operator intervention (class 57, not 57P or 57014)" },
	{ "57P", 503, "57P prefix alone" },
	{ "25001", 500, "active transaction (class 25, not 25006)" },
	{ "XX000", 500, "internal error" },
	{ "P0001", 500, "raise exception" },
	{ "", 500, "empty" },
};

START_TEST(sqlstate_rows)
{
	size_t	 i;
	int	 got;

	row_reset();
	for (i = 0; i < NROWS(rows); i++)
		if ((got = db_http_status(rows[i].state)) != rows[i].status)
			row_fail("%s (%s): %d, want %d", rows[i].state,
			    rows[i].why, got, rows[i].status);
	ROWS_DONE();
}
END_TEST

/* No SQLSTATE at all (the connection broke before an answer): a retry. */
START_TEST(sqlstate_null)
{
	ck_assert_int_eq(db_http_status(NULL), 503);
}
END_TEST

/* The suite tests/check_main.c runs. */
Suite *
check_suite(void)
{
	Suite	*s = suite_create("sqlstate");
	TCase	*tc = tcase_create("map");

	tcase_add_test(tc, sqlstate_rows);
	tcase_add_test(tc, sqlstate_null);
	suite_add_tcase(s, tc);
	return s;
}
