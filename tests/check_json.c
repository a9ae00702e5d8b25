/*
 * JSON output: ISO dates, 16-digit means, error bodies, compact rendering.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"

struct date_row {
	int64_t		 ms;
	const char	*iso;
};

static const struct date_row date_rows[] = {
	{ 0, "1970-01-01T00:00:00.000Z" },
	{ 1555200000000LL, "2019-04-14T00:00:00.000Z" },
	{ 1596080481467LL, "2020-07-30T03:41:21.467Z" },
	{ 1582934400000LL, "2020-02-29T00:00:00.000Z" },
	{ 951782400000LL, "2000-02-29T00:00:00.000Z" },
	{ 1609459199999LL, "2020-12-31T23:59:59.999Z" },
	{ 4102444800000LL, "2100-01-01T00:00:00.000Z" },
	{ -1, "1969-12-31T23:59:59.999Z" },
	{ -86400000LL, "1969-12-31T00:00:00.000Z" },
};

/* Dates as toISOString() prints them. */
START_TEST(test_json_iso_date)
{
	char	 out[JSON_DATE_LEN + 1];

	json_iso_date(date_rows[_i].ms, out);
	ck_assert_str_eq(out, date_rows[_i].iso);
}
END_TEST

struct mean_row {
	int64_t		 sum, count;
	const char	*want;
};

static const struct mean_row mean_rows[] = {
	{ 7, 2, "3.5000000000000000" },
	{ 4, 1, "4.0000000000000000" },
	{ 10, 3, "3.3333333333333333" },
	{ 11, 3, "3.6666666666666667" },
	{ 5, 5, "1.0000000000000000" },
	{ 9, 4, "2.2500000000000000" },
	{ 31, 7, "4.4285714285714286" },
	{ 14999999, 5000000, "2.9999998000000000" },
	{ 29999999999LL, 7000000000LL, "4.2857142855714286" },
};

/*
 * Means exact to 16 digits, the last rounded half up, as PostgreSQL prints
 * avg() of integers (checked against it).  Ratings are 1..5, so a mean is
 * never below 1, where PostgreSQL would print more digits.
 */
START_TEST(test_json_mean)
{
	char	 out[JSON_MEAN_MAX];

	ck_assert_int_eq(json_mean(mean_rows[_i].sum, mean_rows[_i].count, out), 1);
	ck_assert_str_eq(out, mean_rows[_i].want);
}
END_TEST

/* No ratings: no mean (the caller writes null). */
START_TEST(test_json_mean_none)
{
	char	 out[JSON_MEAN_MAX];

	ck_assert_int_eq(json_mean(0, 0, out), 0);
	ck_assert_int_eq(json_mean(-1, 3, out), 0);
}
END_TEST

/* Error bodies escape what needs escaping and prefix the field. */
START_TEST(test_json_error)
{
	size_t		 len;
	const char	*out;

	out = json_error("name", "must be \"short\" \\ ok\n", &len);
	ck_assert_str_eq(out, "{\"error\":\"name must be \\\"short\\\" \\\\ ok\\n\"}");
	ck_assert_uint_eq(len, strlen(out));
	out = json_error(NULL, "not found", &len);
	ck_assert_str_eq(out, "{\"error\":\"not found\"}");
}
END_TEST

/* Rendering keeps insertion order, is compact, and grows its buffer. */
START_TEST(test_json_render)
{
	cJSON		*o = cJSON_CreateObject(), *a;
	char		*big = malloc(100001);
	const char	*out;
	size_t		 len;

	cJSON_AddStringToObject(o, "product", "2");
	cJSON_AddNumberToObject(o, "page", 0);
	a = cJSON_AddArrayToObject(o, "results");
	cJSON_AddItemToArray(a, cJSON_CreateNumber(5));
	cJSON_AddNullToObject(o, "response");
	cJSON_AddStringToObject(o, "body", "caf\xc3\xa9");
	out = json_render(o, &len);
	ck_assert_str_eq(out, "{\"product\":\"2\",\"page\":0,\"results\":[5],"
	    "\"response\":null,\"body\":\"caf\xc3\xa9\"}");
	memset(big, 'x', 100000);
	big[100000] = '\0';
	cJSON_AddStringToObject(o, "big", big);
	out = json_render(o, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_gt(len, 100000);
	ck_assert_uint_eq(len, strlen(out));
	cJSON_Delete(o);
	free(big);
	json_free();
}
END_TEST

static Suite *
json_suite(void)
{
	Suite	*s = suite_create("json");
	TCase	*tc = tcase_create("output");

	tcase_add_loop_test(tc, test_json_iso_date, 0,
	    (int)(sizeof(date_rows) / sizeof(date_rows[0])));
	tcase_add_loop_test(tc, test_json_mean, 0,
	    (int)(sizeof(mean_rows) / sizeof(mean_rows[0])));
	tcase_add_test(tc, test_json_mean_none);
	tcase_add_test(tc, test_json_error);
	tcase_add_test(tc, test_json_render);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(json_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
