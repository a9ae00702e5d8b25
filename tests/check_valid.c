/*
 * Validators: tables of good and bad inputs for every rule (kcgi style).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "valid.h"

struct row {
	enum valid_rule	 rule;
	const char	*in;
	int		 good;
	int64_t		 want;
};

static const struct row str_rows[] = {
	{ VALID_PRODUCT_ID, "1", 1, 1 },
	{ VALID_PRODUCT_ID, "2147483647", 1, 2147483647 },
	{ VALID_PRODUCT_ID, "007", 1, 7 },
	{ VALID_PRODUCT_ID, "", 0, 0 },
	{ VALID_PRODUCT_ID, "0", 0, 0 },
	{ VALID_PRODUCT_ID, "-1", 0, 0 },
	{ VALID_PRODUCT_ID, "+1", 0, 0 },
	{ VALID_PRODUCT_ID, " 1", 0, 0 },
	{ VALID_PRODUCT_ID, "1 ", 0, 0 },
	{ VALID_PRODUCT_ID, "1.0", 0, 0 },
	{ VALID_PRODUCT_ID, "1e3", 0, 0 },
	{ VALID_PRODUCT_ID, "0x10", 0, 0 },
	{ VALID_PRODUCT_ID, "2147483648", 0, 0 },
	{ VALID_PRODUCT_ID, "99999999999999999999999", 0, 0 },
	{ VALID_PRODUCT_ID, "abc", 0, 0 },
	{ VALID_PRODUCT_ID, "1\n", 0, 0 },
	{ VALID_REVIEW_ID, "5", 1, 5 },
	{ VALID_REVIEW_ID, "0", 0, 0 },
	{ VALID_PAGE, "1", 1, 1 },
	{ VALID_PAGE, "100000", 1, 100000 },
	{ VALID_PAGE, "100001", 0, 0 },
	{ VALID_PAGE, "0", 0, 0 },
	{ VALID_COUNT, "1000", 1, 1000 },
	{ VALID_COUNT, "1001", 0, 0 },
	{ VALID_COUNT, "0", 0, 0 },
	{ VALID_COUNT, "5", 1, 5 },
	{ VALID_RATING, "1", 1, 1 },
	{ VALID_RATING, "5", 1, 5 },
	{ VALID_RATING, "6", 0, 0 },
	{ VALID_RATING, "0", 0, 0 },
	{ VALID_SORT, "newest", 1, SORT_NEWEST },
	{ VALID_SORT, "helpful", 1, SORT_HELPFUL },
	{ VALID_SORT, "relevant", 1, SORT_RELEVANT },
	{ VALID_SORT, "NEWEST", 0, 0 },
	{ VALID_SORT, "newest ", 0, 0 },
	{ VALID_SORT, "", 0, 0 },
	{ VALID_SORT, "new", 0, 0 },
};

/* Every row of the string table: accepted with its value, or refused. */
START_TEST(test_valid_str)
{
	const struct row	*r = &str_rows[_i];
	const char		*bad;
	int64_t			 v = -1;

	bad = valid_str(r->rule, r->in, &v);
	if (r->good) {
		ck_assert_msg(bad == NULL, "'%s' refused: %s", r->in, bad);
		ck_assert_int_eq(v, r->want);
	} else {
		ck_assert_msg(bad != NULL, "'%s' accepted", r->in);
		ck_assert_int_eq(v, -1);
	}
}
END_TEST

struct json_row {
	enum valid_rule	 rule;
	const char	*json;
	int		 good;
	int64_t		 want;
};

static const struct json_row json_rows[] = {
	{ VALID_RATING, "1", 1, 1 },
	{ VALID_RATING, "5.0", 1, 5 },
	{ VALID_RATING, "\"5\"", 1, 5 },
	{ VALID_RATING, "1.5", 0, 0 },
	{ VALID_RATING, "-1", 0, 0 },
	{ VALID_RATING, "6", 0, 0 },
	{ VALID_RATING, "1e400", 0, 0 },
	{ VALID_RATING, "true", 0, 0 },
	{ VALID_RATING, "null", 0, 0 },
	{ VALID_RATING, "\"x\"", 0, 0 },
	{ VALID_RATING, "\" 5\"", 0, 0 },
	{ VALID_RATING, "[5]", 0, 0 },
	{ VALID_RATING, "{}", 0, 0 },
	{ VALID_PRODUCT_ID, "2147483647", 1, 2147483647 },
	{ VALID_PRODUCT_ID, "2147483648", 0, 0 },
	{ VALID_PRODUCT_ID, "1e9", 1, 1000000000 },
	{ VALID_PRODUCT_ID, "\"12\"", 1, 12 },
	{ VALID_PRODUCT_ID, "0", 0, 0 },
};

/* JSON integers: integral numbers or digit strings, nothing else. */
START_TEST(test_valid_json_int)
{
	const struct json_row	*r = &json_rows[_i];
	cJSON			*j = cJSON_Parse(r->json);
	const char		*bad;
	int64_t			 v = -1;

	ck_assert_ptr_nonnull(j);
	bad = valid_json_int(r->rule, j, &v);
	if (r->good) {
		ck_assert_msg(bad == NULL, "%s refused: %s", r->json, bad);
		ck_assert_int_eq(v, r->want);
	} else
		ck_assert_msg(bad != NULL, "%s accepted", r->json);
	cJSON_Delete(j);
}
END_TEST

struct utf8_row {
	const char	*in;
	int		 good;
	size_t		 chars;
};

static const struct utf8_row utf8_rows[] = {
	{ "", 1, 0 },
	{ "plain", 1, 5 },
	{ "caf\xc3\xa9", 1, 4 },			/* é: 2 bytes */
	{ "\xe2\x9c\x93", 1, 1 },			/* ✓: 3 bytes */
	{ "\xf0\x9f\x98\x80", 1, 1 },			/* emoji: 4 bytes */
	{ "\xc0\x80", 0, 0 },				/* overlong NUL */
	{ "\xc1\xbf", 0, 0 },				/* overlong */
	{ "\xe0\x80\xaf", 0, 0 },			/* overlong / */
	{ "\xed\xa0\x80", 0, 0 },			/* lone surrogate */
	{ "\xf4\x90\x80\x80", 0, 0 },			/* past U+10FFFF */
	{ "\xff", 0, 0 },
	{ "a\xc3", 0, 0 },				/* truncated */
	{ "\xe2\x9c", 0, 0 },				/* truncated */
	{ "\x80", 0, 0 },				/* stray continuation */
};

/* UTF-8 strictly checked; characters counted, not bytes. */
START_TEST(test_valid_utf8)
{
	const struct utf8_row	*r = &utf8_rows[_i];
	size_t			 n = 999;

	ck_assert_int_eq(valid_utf8(r->in, &n), r->good);
	if (r->good)
		ck_assert_uint_eq(n, r->chars);
}
END_TEST

/* Text bounds count characters: 60 two-byte characters fit in 60. */
START_TEST(test_valid_text_bounds)
{
	char	 buf[512];
	int	 i;

	for (i = 0; i < 60; i++)
		memcpy(buf + 2 * i, "\xc3\xa9", 2);
	buf[120] = '\0';
	ck_assert_ptr_null(valid_text(buf, 1, 60, "long"));
	memcpy(buf + 120, "x", 2);
	ck_assert_str_eq(valid_text(buf, 1, 60, "long"), "long");
	ck_assert_str_eq(valid_text("", 1, 60, "short"), "short");
	ck_assert_ptr_null(valid_text("", 0, 60, "short"));
	ck_assert_ptr_nonnull(valid_text("a\xff", 0, 60, "x"));
	ck_assert_str_ne(valid_text("a\xff", 0, 60, "x"), "x");
}
END_TEST

struct word_row {
	const char	*in;
	int		 good;
};

static const struct word_row email_rows[] = {
	{ "a@b.co", 1 },
	{ "first.last@gmail.com", 1 },
	{ "x+tag@sub.example.org", 1 },
	{ "", 0 },
	{ "a", 0 },
	{ "@b.co", 0 },
	{ "a@b", 0 },
	{ "a@@b.co", 0 },
	{ "a@b@c.co", 0 },
	{ "a b@c.co", 0 },
	{ "a@.co", 0 },
	{ "a@b.", 0 },
	{ "a\t@b.co", 0 },
	{ "a@b.co\n", 0 },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com", 0 },	/* 61 */
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com", 1 },	/* 60 */
};

/* Emails shaped local@domain.tld, at most 60 characters. */
START_TEST(test_valid_email)
{
	const struct word_row	*r = &email_rows[_i];

	ck_assert_msg((valid_email(r->in) == NULL) == r->good, "'%s'", r->in);
}
END_TEST

static const struct word_row url_rows[] = {
	{ "http://a.example/1.jpg", 1 },
	{ "https://images.example/p?q=1&w=2", 1 },
	{ "ftp://a.example/1.jpg", 0 },
	{ "http://", 0 },
	{ "https:///x", 0 },
	{ "https://a.example/a b.jpg", 0 },
	{ "/relative.jpg", 0 },
	{ "HTTP//a.example", 0 },
	{ "", 0 },
};

/* Absolute http(s) URLs with a host, no spaces. */
START_TEST(test_valid_url)
{
	const struct word_row	*r = &url_rows[_i];

	ck_assert_msg((valid_url(r->in) == NULL) == r->good, "'%s'", r->in);
}
END_TEST

/* At most 2048 characters. */
START_TEST(test_valid_url_length)
{
	char	*u = malloc(2050);

	memcpy(u, "https://a.example/", 18);
	memset(u + 18, 'x', 2030);
	u[2048] = '\0';
	ck_assert_ptr_null(valid_url(u));
	u[2048] = 'x';
	u[2049] = '\0';
	ck_assert_ptr_nonnull(valid_url(u));
	free(u);
}
END_TEST

#define LOOP(tc, t, a) \
	tcase_add_loop_test(tc, t, 0, (int)(sizeof(a) / sizeof((a)[0])))

static Suite *
valid_suite(void)
{
	Suite	*s = suite_create("valid");
	TCase	*tc = tcase_create("rules");

	LOOP(tc, test_valid_str, str_rows);
	LOOP(tc, test_valid_json_int, json_rows);
	LOOP(tc, test_valid_utf8, utf8_rows);
	tcase_add_test(tc, test_valid_text_bounds);
	LOOP(tc, test_valid_email, email_rows);
	LOOP(tc, test_valid_url, url_rows);
	tcase_add_test(tc, test_valid_url_length);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(valid_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
