/*
 * Query strings: decoding and picking out known parameters.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

struct dec_row {
	const char	*in;
	const char	*out;	/* NULL: refused */
};

static const struct dec_row dec_rows[] = {
	{ "", "" },
	{ "abc", "abc" },
	{ "a+b", "a b" },
	{ "a%20b", "a b" },
	{ "%2B", "+" },
	{ "%2b%2F", "+/" },
	{ "%c3%A9", "\xc3\xa9" },
	{ "%", NULL },
	{ "%4", NULL },
	{ "a%zz", NULL },
	{ "%g0", NULL },
	{ "%00", NULL },
	{ "1%00x", NULL },
};

/* '+' and %XX decode; bad escapes and NUL are refused. */
START_TEST(test_query_decode)
{
	const struct dec_row	*r = &dec_rows[_i];
	char			 buf[64];
	size_t			 n;

	n = query_decode(r->in, strlen(r->in), buf);
	if (r->out == NULL)
		ck_assert_msg(n == (size_t)-1, "'%s' decoded", r->in);
	else {
		ck_assert_uint_eq(n, strlen(r->out));
		ck_assert_str_eq(buf, r->out);
	}
}
END_TEST

static const char *const keys[] = { "product_id", "page", "count", "sort" };
#define NKEYS	4

/* Parse qs; returns the status, fills vals and bad. */
static enum query_status
parse(const char *qs, const char **vals, size_t *bad, char *buf, size_t bufsz)
{
	*bad = 99;
	return query_parse(qs, keys, NKEYS, vals, buf, bufsz, bad);
}

/* Known keys found and decoded; unknown ones ignored, even repeated. */
START_TEST(test_query_known_and_unknown)
{
	const char	*v[NKEYS];
	char		 buf[256];
	size_t		 bad;

	ck_assert_int_eq(parse("product_id=12&sort=new%65st&_=1&_=2&x&=&&",
	    v, &bad, buf, sizeof(buf)), QUERY_OK);
	ck_assert_str_eq(v[0], "12");
	ck_assert_ptr_null(v[1]);
	ck_assert_ptr_null(v[2]);
	ck_assert_str_eq(v[3], "newest");
}
END_TEST

/* A percent-encoded key name still names the parameter. */
START_TEST(test_query_encoded_key)
{
	const char	*v[NKEYS];
	char		 buf[256];
	size_t		 bad;

	ck_assert_int_eq(parse("product%5Fid=3&co%75nt=2", v, &bad, buf,
	    sizeof(buf)), QUERY_OK);
	ck_assert_str_eq(v[0], "3");
	ck_assert_str_eq(v[2], "2");
}
END_TEST

/* A known key twice is an error naming it. */
START_TEST(test_query_duplicate)
{
	const char	*v[NKEYS];
	char		 buf[256];
	size_t		 bad;

	ck_assert_int_eq(parse("page=1&product_id=1&page=1", v, &bad, buf,
	    sizeof(buf)), QUERY_DUPLICATE);
	ck_assert_uint_eq(bad, 1);
	ck_assert_int_eq(parse("count=1&count", v, &bad, buf, sizeof(buf)),
	    QUERY_DUPLICATE);
	ck_assert_uint_eq(bad, 2);
}
END_TEST

/* Bad encoding in a known value is an error; in an unknown one, ignored. */
START_TEST(test_query_bad_encoding)
{
	const char	*v[NKEYS];
	char		 buf[256];
	size_t		 bad;

	ck_assert_int_eq(parse("product_id=1%zz", v, &bad, buf, sizeof(buf)),
	    QUERY_BAD_ENCODING);
	ck_assert_uint_eq(bad, 0);
	ck_assert_int_eq(parse("sort=new%00", v, &bad, buf, sizeof(buf)),
	    QUERY_BAD_ENCODING);
	ck_assert_uint_eq(bad, 3);
	ck_assert_int_eq(parse("x=%zz&%zz=1&product_id=4", v, &bad, buf,
	    sizeof(buf)), QUERY_OK);
	ck_assert_str_eq(v[0], "4");
}
END_TEST

/* A key without '=' has an empty value; empty and NULL strings are fine. */
START_TEST(test_query_empty)
{
	const char	*v[NKEYS];
	char		 buf[256];
	size_t		 bad;

	ck_assert_int_eq(parse("product_id", v, &bad, buf, sizeof(buf)), QUERY_OK);
	ck_assert_str_eq(v[0], "");
	ck_assert_int_eq(parse("product_id=", v, &bad, buf, sizeof(buf)), QUERY_OK);
	ck_assert_str_eq(v[0], "");
	ck_assert_int_eq(parse("", v, &bad, buf, sizeof(buf)), QUERY_OK);
	ck_assert_ptr_null(v[0]);
	ck_assert_int_eq(parse(NULL, v, &bad, buf, sizeof(buf)), QUERY_OK);
	ck_assert_ptr_null(v[3]);
}
END_TEST

/* Values too long for the buffer are refused, naming the key. */
START_TEST(test_query_too_long)
{
	const char	*v[NKEYS];
	char		 buf[8];
	size_t		 bad;

	ck_assert_int_eq(parse("page=12&sort=relevant", v, &bad, buf,
	    sizeof(buf)), QUERY_TOO_LONG);
	ck_assert_uint_eq(bad, 3);
	ck_assert_int_eq(parse("page=12&sort=new", v, &bad, buf, sizeof(buf)),
	    QUERY_OK);
}
END_TEST

static Suite *
query_suite(void)
{
	Suite	*s = suite_create("query");
	TCase	*tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_query_decode, 0,
	    (int)(sizeof(dec_rows) / sizeof(dec_rows[0])));
	tcase_add_test(tc, test_query_known_and_unknown);
	tcase_add_test(tc, test_query_encoded_key);
	tcase_add_test(tc, test_query_duplicate);
	tcase_add_test(tc, test_query_bad_encoding);
	tcase_add_test(tc, test_query_empty);
	tcase_add_test(tc, test_query_too_long);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(query_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
