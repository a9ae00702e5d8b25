/*
 * Query strings (query.c): percent-decoding, and picking the known
 * parameters out of a query string as API.md says (unknown ones ignored,
 * repeated or not; a known one twice is an error).
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "query.h"
#include "rows.h"

#define NROWS(a)	(sizeof(a) / sizeof((a)[0]))
#define DECODE_BAD	((size_t)-1)


/* query_decode: one row per encoded input. */
struct decode_row {
	const char	*in;
	const char	*out;		/* NULL: rejected */
	size_t		 outlen;
};

static const struct decode_row decode_rows[] = {
	{ "", "", 0 },
	{ "abc", "abc", 3 },
	{ "a+b", "a b", 3 },
	{ "+", " ", 1 },
	{ "a%20b", "a b", 3 },
	{ "%2B", "+", 1 },
	{ "%2b", "+", 1 },
	{ "%4A%4a", "JJ", 2 },
	{ "%7e%7E", "~~", 2 },
	{ "%25", "%", 1 },
	{ "%2541", "%41", 3 },		/* decoded once only */
	{ "%26%3D", "&=", 2 },
	{ "%e2%82%AC", "\xe2\x82\xac", 3 },
	{ "%ff", "\xff", 1 },
	{ "a%2", NULL, 0 },
	{ "%", NULL, 0 },
	{ "a%", NULL, 0 },
	{ "%4", NULL, 0 },
	{ "%zz", NULL, 0 },
	{ "%4z", NULL, 0 },
	{ "%z4", NULL, 0 },
	{ "%%41", NULL, 0 },
	{ "% 41", NULL, 0 },
	{ "%+1", NULL, 0 },
	{ "%-1", NULL, 0 },
	{ "%00", NULL, 0 },
	{ "a%00b", NULL, 0 },
};

/* '+' and %XX decode (either hex case); bad escapes and NUL are refused. */
START_TEST(decode_table)
{
	const struct decode_row	*r;
	char			 dst[64];
	size_t			 i, n;

	row_reset();
	for (i = 0; i < NROWS(decode_rows); i++) {
		r = &decode_rows[i];
		memset(dst, 'Z', sizeof(dst));
		n = query_decode(r->in, strlen(r->in), dst);
		if (r->out == NULL) {
			if (n != DECODE_BAD)
				row_fail("\"%s\" accepted (%zu bytes)", r->in, n);
		} else if (n == DECODE_BAD)
			row_fail("\"%s\" rejected", r->in);
		else if (n != r->outlen || memcmp(dst, r->out, n) != 0 ||
		    dst[n] != '\0')
			row_fail("\"%s\" decoded to \"%.*s\" (%zu bytes)",
			    r->in, (int)n, dst, n);
	}
	ROWS_DONE();
}
END_TEST

/* Only len bytes are read: an escape cut by len is malformed. */
START_TEST(decode_respects_len)
{
	char	 dst[16];

	ck_assert_uint_eq(query_decode("abc%20", 3, dst), 3);
	ck_assert_str_eq(dst, "abc");
	ck_assert_uint_eq(query_decode("a%20", 2, dst), DECODE_BAD);
	ck_assert_uint_eq(query_decode("a%20", 3, dst), DECODE_BAD);
	ck_assert_uint_eq(query_decode("a%20", 4, dst), 2);
	ck_assert_str_eq(dst, "a ");
	ck_assert_uint_eq(query_decode("xyz", 0, dst), 0);
	ck_assert_str_eq(dst, "");
}
END_TEST

/* The parameters of GET /reviews. */
static const char *const keys[] = { "product_id", "page", "count", "sort" };
#define NKEYS	NROWS(keys)

/* query_parse: one row per query string. */
struct parse_row {
	const char		*qs;
	enum query_status	 status;
	size_t			 bad;		/* when status is not OK */
	const char		*vals[NKEYS];	/* when OK; NULL: absent */
};

static const struct parse_row parse_rows[] = {
	/* Known keys found and decoded. */
	{ "product_id=12&page=2&count=10&sort=newest", QUERY_OK, 0,
	    { "12", "2", "10", "newest" } },
	{ "sort=helpful&count=3&page=9&product_id=1", QUERY_OK, 0,
	    { "1", "9", "3", "helpful" } },
	{ "product_id=%31%32", QUERY_OK, 0, { "12", NULL, NULL, NULL } },
	{ "sort=new+est", QUERY_OK, 0, { NULL, NULL, NULL, "new est" } },
	{ "sort=a%26b%3Dc", QUERY_OK, 0, { NULL, NULL, NULL, "a&b=c" } },
	{ "sort=%2B", QUERY_OK, 0, { NULL, NULL, NULL, "+" } },
	{ "product_id=1=2", QUERY_OK, 0, { "1=2", NULL, NULL, NULL } },
	{ "product_id=1", QUERY_OK, 0, { "1", NULL, NULL, NULL } },
	/* Unknown keys ignored, even repeated. */
	{ "x=1&product_id=3&x=2&_=123&_=456", QUERY_OK, 0,
	    { "3", NULL, NULL, NULL } },
	{ "utm_source=a&utm_source=b&utm_source=c", QUERY_OK, 0,
	    { NULL, NULL, NULL, NULL } },
	{ "Product_ID=1&SORT=x", QUERY_OK, 0, { NULL, NULL, NULL, NULL } },
	{ "product_ids=1&pag=2&product_id=4", QUERY_OK, 0,
	    { "4", NULL, NULL, NULL } },
	{ "+page=1&page+=2", QUERY_OK, 0, { NULL, NULL, NULL, NULL } },
	/* A known key twice, whatever the values. */
	{ "product_id=1&product_id=1", QUERY_DUPLICATE, 0, { NULL } },
	{ "product_id=1&page=1&page=2", QUERY_DUPLICATE, 1, { NULL } },
	{ "count=&count=3", QUERY_DUPLICATE, 2, { NULL } },
	{ "sort&sort", QUERY_DUPLICATE, 3, { NULL } },
	{ "product%5Fid=7&product_id=8", QUERY_DUPLICATE, 0, { NULL } },
	/* Bad encoding in a known value. */
	{ "page=%zz", QUERY_BAD_ENCODING, 1, { NULL } },
	{ "product_id=1&count=%00", QUERY_BAD_ENCODING, 2, { NULL } },
	{ "sort=new%", QUERY_BAD_ENCODING, 3, { NULL } },
	{ "product_id=%4", QUERY_BAD_ENCODING, 0, { NULL } },
	/* Bad encoding in an unknown key or value is none of our business. */
	{ "x=%zz&product_id=1", QUERY_OK, 0, { "1", NULL, NULL, NULL } },
	{ "%zz=1&product_id=1", QUERY_OK, 0, { "1", NULL, NULL, NULL } },
	{ "x%=%&product_id=1&y=%00", QUERY_OK, 0, { "1", NULL, NULL, NULL } },
	{ "page%00=1&page=2", QUERY_OK, 0, { NULL, "2", NULL, NULL } },
	/* A key with no '=', and empty values. */
	{ "product_id", QUERY_OK, 0, { "", NULL, NULL, NULL } },
	{ "product_id&page=2", QUERY_OK, 0, { "", "2", NULL, NULL } },
	{ "product_id=", QUERY_OK, 0, { "", NULL, NULL, NULL } },
	{ "product_id=&sort=", QUERY_OK, 0, { "", NULL, NULL, "" } },
	/* A percent-encoded key name. */
	{ "product%5Fid=7", QUERY_OK, 0, { "7", NULL, NULL, NULL } },
	{ "product%5fid=7", QUERY_OK, 0, { "7", NULL, NULL, NULL } },
	{ "%70age=3", QUERY_OK, 0, { NULL, "3", NULL, NULL } },
	/* Empty pieces. */
	{ "", QUERY_OK, 0, { NULL, NULL, NULL, NULL } },
	{ "&", QUERY_OK, 0, { NULL, NULL, NULL, NULL } },
	{ "&&product_id=1&&", QUERY_OK, 0, { "1", NULL, NULL, NULL } },
	{ "=&=1&product_id=5", QUERY_OK, 0, { "5", NULL, NULL, NULL } },
};

/* Which known parameters a query string holds, and what is wrong with it. */
START_TEST(parse_table)
{
	const struct parse_row	*r;
	const char		*vals[NKEYS];
	char			 buf[256];
	enum query_status	 st;
	size_t			 i, k, bad;

	row_reset();
	for (i = 0; i < NROWS(parse_rows); i++) {
		r = &parse_rows[i];
		bad = 99;
		st = query_parse(r->qs, keys, NKEYS, vals, buf, sizeof(buf),
		    &bad);
		if (st != r->status) {
			row_fail("\"%s\": status %d, want %d", r->qs, (int)st,
			    (int)r->status);
			continue;
		}
		if (st != QUERY_OK) {
			if (bad != r->bad)
				row_fail("\"%s\": *bad %zu, want %zu", r->qs,
				    bad, r->bad);
			continue;
		}
		for (k = 0; k < NKEYS; k++) {
			if (r->vals[k] == NULL && vals[k] != NULL)
				row_fail("\"%s\": %s = \"%s\", want absent",
				    r->qs, keys[k], vals[k]);
			else if (r->vals[k] != NULL && vals[k] == NULL)
				row_fail("\"%s\": %s absent, want \"%s\"",
				    r->qs, keys[k], r->vals[k]);
			else if (r->vals[k] != NULL &&
			    strcmp(r->vals[k], vals[k]) != 0)
				row_fail("\"%s\": %s = \"%s\", want \"%s\"",
				    r->qs, keys[k], vals[k], r->vals[k]);
		}
	}
	ROWS_DONE();
}
END_TEST

/* No query string at all (NULL) is an empty one. */
START_TEST(parse_null)
{
	const char	*vals[NKEYS] = { "x", "x", "x", "x" };
	char		 buf[16];
	size_t		 bad = 0, k;

	ck_assert_int_eq(query_parse(NULL, keys, NKEYS, vals, buf,
	    sizeof(buf), &bad), QUERY_OK);
	for (k = 0; k < NKEYS; k++)
		ck_assert_ptr_null(vals[k]);
}
END_TEST

/* Decoded values land in buf; when they do not fit, the key is named. */
START_TEST(parse_too_long)
{
	const char	*vals[NKEYS];
	char		 buf[8];
	size_t		 bad = 99;

	/* 7 bytes + NUL fit exactly. */
	ck_assert_int_eq(query_parse("product_id=1234567", keys, NKEYS, vals,
	    buf, sizeof(buf), &bad), QUERY_OK);
	ck_assert_str_eq(vals[0], "1234567");
	ck_assert_int_eq(query_parse("product_id=12345678", keys, NKEYS, vals,
	    buf, sizeof(buf), &bad), QUERY_TOO_LONG);
	ck_assert_uint_eq(bad, 0);

	/* Two values sharing the buffer: 4 + 4 fit, 4 + 5 do not. */
	ck_assert_int_eq(query_parse("product_id=123&page=456", keys, NKEYS,
	    vals, buf, sizeof(buf), &bad), QUERY_OK);
	ck_assert_str_eq(vals[0], "123");
	ck_assert_str_eq(vals[1], "456");
	bad = 99;
	ck_assert_int_eq(query_parse("product_id=123&page=4567", keys, NKEYS,
	    vals, buf, sizeof(buf), &bad), QUERY_TOO_LONG);
	ck_assert_uint_eq(bad, 1);

	/* Unknown values never use the buffer. */
	ck_assert_int_eq(query_parse("cachebuster=0123456789abcdef&sort=new",
	    keys, NKEYS, vals, buf, sizeof(buf), &bad), QUERY_OK);
	ck_assert_str_eq(vals[3], "new");
}
END_TEST

/* A huge known value against a 4 KiB buffer, and a huge unknown key. */
START_TEST(parse_huge)
{
	const char	*vals[NKEYS];
	static char	 qs[20000], buf[4096];
	size_t		 bad = 99;

	memcpy(qs, "sort=", 5);
	memset(qs + 5, 'a', 10000);
	qs[10005] = '\0';
	ck_assert_int_eq(query_parse(qs, keys, NKEYS, vals, buf, sizeof(buf),
	    &bad), QUERY_TOO_LONG);
	ck_assert_uint_eq(bad, 3);

	memset(qs, 'k', 10000);
	memcpy(qs + 10000, "=1&page=2", 10);
	ck_assert_int_eq(query_parse(qs, keys, NKEYS, vals, buf, sizeof(buf),
	    &bad), QUERY_OK);
	ck_assert_str_eq(vals[1], "2");
}
END_TEST

/* The suite tests/check_main.c runs. */
Suite *
check_suite(void)
{
	Suite	*s = suite_create("query");
	TCase	*tc;

	tc = tcase_create("decode");
	tcase_add_test(tc, decode_table);
	tcase_add_test(tc, decode_respects_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_test(tc, parse_table);
	tcase_add_test(tc, parse_null);
	tcase_add_test(tc, parse_too_long);
	tcase_add_test(tc, parse_huge);
	suite_add_tcase(s, tc);
	return s;
}
