/*
 * The PostgreSQL literal encoders (pgenc.c): exact text for each input,
 * refusal when a buffer is one byte short, and the sizes the POST handler
 * allocates holding the largest input the validators let through.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "pgenc.h"
#include "post.h"
#include "rows.h"
#include "valid.h"

#define NROWS(a)	(sizeof(a) / sizeof((a)[0]))

/* text[]: one row per array. */
struct text_row {
	const char	*in[3];
	size_t		 n;
	const char	*want;
};

static const struct text_row text_rows[] = {
	{ { NULL }, 0, "{}" },
	{ { "" }, 1, "{\"\"}" },
	{ { "a" }, 1, "{\"a\"}" },
	{ { "a", "b" }, 2, "{\"a\",\"b\"}" },
	{ { "say \"hi\"" }, 1, "{\"say \\\"hi\\\"\"}" },
	{ { "c:\\x" }, 1, "{\"c:\\\\x\"}" },
	{ { "{,}", "NULL" }, 2, "{\"{,}\",\"NULL\"}" },
	{ { "h\xc3\xa9", "\xf0\x9f\x98\x80" }, 2,
	    "{\"h\xc3\xa9\",\"\xf0\x9f\x98\x80\"}" },
	{ { "https://img.example/a.jpg", "https://img.example/b.jpg", "x" },
	    3, "{\"https://img.example/a.jpg\",\"https://img.example/b.jpg\","
	    "\"x\"}" },
};

/* Each array exactly; with one byte less than it needs, refused. */
START_TEST(text_table)
{
	char	 buf[256];
	size_t	 i, need;

	row_reset();
	for (i = 0; i < NROWS(text_rows); i++) {
		const struct text_row *r = &text_rows[i];

		if (pgenc_text_array(buf, sizeof(buf), r->in, r->n) != 0 ||
		    strcmp(buf, r->want) != 0) {
			row_fail("row %zu: got %s", i, buf);
			continue;
		}
		need = strlen(r->want) + 1;
		if (pgenc_text_array(buf, need, r->in, r->n) != 0)
			row_fail("row %zu: refused in %zu bytes", i, need);
		if (pgenc_text_array(buf, need - 1, r->in, r->n) == 0)
			row_fail("row %zu: accepted in %zu bytes", i, need - 1);
	}
	ROWS_DONE();
}
END_TEST

/*
 * The limits: five URLs of VALID_URL_MAX four-byte characters, and five of
 * as many '"' (each escaped to two bytes), fit the POST handler's buffer.
 */
START_TEST(text_at_the_limits)
{
	static char	 buf[PGENC_TEXT_ARRAY_CAP(POST_PHOTOS_MAX, VALID_URL_MAX)];
	static char	 wide[UTF8_CHAR_MAX * VALID_URL_MAX + 1];
	static char	 quotes[VALID_URL_MAX + 1];
	const char	*v[POST_PHOTOS_MAX];
	size_t		 i;

	for (i = 0; i < VALID_URL_MAX; i++)
		memcpy(wide + 4 * i, "\xf0\x9f\x98\x80", 4);
	memset(quotes, '"', VALID_URL_MAX);
	for (i = 0; i < POST_PHOTOS_MAX; i++)
		v[i] = wide;
	ck_assert_int_eq(pgenc_text_array(buf, sizeof(buf), v,
	    POST_PHOTOS_MAX), 0);
	ck_assert_uint_eq(strlen(buf), POST_PHOTOS_MAX *
	    (4 * VALID_URL_MAX + 3) + 1);
	for (i = 0; i < POST_PHOTOS_MAX; i++)
		v[i] = quotes;
	ck_assert_int_eq(pgenc_text_array(buf, sizeof(buf), v,
	    POST_PHOTOS_MAX), 0);
	ck_assert_uint_eq(strlen(buf), POST_PHOTOS_MAX *
	    (2 * VALID_URL_MAX + 3) + 1);
}
END_TEST

/* integer[]: exact text, the extremes, refusal one byte short. */
START_TEST(int_table)
{
	static const int64_t	 big[] = { INT64_MIN, INT64_MAX, 0 };
	static const int64_t	 few[] = { 1, 22, 333 };
	char			 buf[PGENC_INT_ARRAY_CAP(POST_CHARS_MAX)];
	int64_t			 all[POST_CHARS_MAX];
	size_t			 i;

	ck_assert_int_eq(pgenc_int_array(buf, sizeof(buf), few, 0), 0);
	ck_assert_str_eq(buf, "{}");
	ck_assert_int_eq(pgenc_int_array(buf, sizeof(buf), few, 3), 0);
	ck_assert_str_eq(buf, "{1,22,333}");
	ck_assert_int_eq(pgenc_int_array(buf, sizeof(buf), big, 3), 0);
	ck_assert_str_eq(buf,
	    "{-9223372036854775808,9223372036854775807,0}");
	ck_assert_int_eq(pgenc_int_array(buf, 11, few, 3), 0);
	ck_assert_int_eq(pgenc_int_array(buf, 10, few, 3), -1);
	for (i = 0; i < POST_CHARS_MAX; i++)
		all[i] = INT64_MIN;
	ck_assert_int_eq(pgenc_int_array(buf, sizeof(buf), all,
	    POST_CHARS_MAX), 0);
}
END_TEST

/* bytea: "\x" and two lower-case digits a byte, NUL and 0xff too. */
START_TEST(bytea_table)
{
	static char	 big[PGENC_BYTEA_CAP(4)];
	char		 buf[16];

	ck_assert_int_eq(pgenc_bytea(buf, sizeof(buf), "", 0), 0);
	ck_assert_str_eq(buf, "\\x");
	ck_assert_int_eq(pgenc_bytea(buf, sizeof(buf), "\0\x0f\xff{", 4), 0);
	ck_assert_str_eq(buf, "\\x000fff7b");
	ck_assert_int_eq(pgenc_bytea(big, sizeof(big), "abcd", 4), 0);
	ck_assert_str_eq(big, "\\x61626364");
	ck_assert_int_eq(pgenc_bytea(big, sizeof(big) - 1, "abcd", 4), -1);
}
END_TEST

/* The suite tests/check_main.c runs. */
Suite *
check_suite(void)
{
	Suite	*s = suite_create("pgenc");
	TCase	*tc;

	tc = tcase_create("arrays");
	tcase_add_test(tc, text_table);
	tcase_add_test(tc, text_at_the_limits);
	tcase_add_test(tc, int_table);
	tcase_add_test(tc, bytea_table);
	suite_add_tcase(s, tc);
	return s;
}
