/*
 * JSON output (json.c): the exact text forms API.md asks for: ISO dates
 * with milliseconds, means with sixteen fractional digits, error bodies,
 * and compact rendering that keeps key order.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check_main.h"
#include "json.h"
#include "rows.h"

#define NROWS(a)	(sizeof(a) / sizeof((a)[0]))


/* json_iso_date: milliseconds since the epoch and their text. */
struct date_row {
	int64_t		 ms;
	const char	*iso;
};

static const struct date_row date_rows[] = {
	{ 0, "1970-01-01T00:00:00.000Z" },
	{ 1, "1970-01-01T00:00:00.001Z" },
	{ 999, "1970-01-01T00:00:00.999Z" },
	{ 86399999, "1970-01-01T23:59:59.999Z" },
	{ 86400000, "1970-01-02T00:00:00.000Z" },
	{ 1555200000000, "2019-04-14T00:00:00.000Z" },
	{ 1596080481467, "2020-07-30T03:41:21.467Z" },
	{ 1582934400000, "2020-02-29T00:00:00.000Z" },	/* leap day */
	{ 1583020799999, "2020-02-29T23:59:59.999Z" },
	{ 1583020800000, "2020-03-01T00:00:00.000Z" },
	{ 951782400000, "2000-02-29T00:00:00.000Z" },	/* 400-year leap */
	{ 946684799999, "1999-12-31T23:59:59.999Z" },
	{ 4107542399999, "2100-02-28T23:59:59.999Z" },
	{ 4107542400000, "2100-03-01T00:00:00.000Z" },	/* 2100 not leap */
	{ 253402300799999, "9999-12-31T23:59:59.999Z" },
	{ -1, "1969-12-31T23:59:59.999Z" },		/* before 1970 */
	{ -1000, "1969-12-31T23:59:59.000Z" },
	{ -86400000, "1969-12-31T00:00:00.000Z" },
	{ -86400001, "1969-12-30T23:59:59.999Z" },
	{ -310478400000, "1960-02-29T12:00:00.000Z" },
	{ -2208988800000, "1900-01-01T00:00:00.000Z" },
};

/* Dates are UTC ISO 8601 with milliseconds and Z, as toISOString gives. */
START_TEST(iso_date_table)
{
	char	 out[JSON_DATE_LEN + 1];
	size_t	 i;

	row_reset();
	for (i = 0; i < NROWS(date_rows); i++) {
		memset(out, 'X', sizeof(out));
		json_iso_date(date_rows[i].ms, out);
		if (memchr(out, '\0', sizeof(out)) == NULL)
			row_fail("%lld: not NUL-terminated",
			    (long long)date_rows[i].ms);
		else if (strcmp(out, date_rows[i].iso) != 0)
			row_fail("%lld: \"%s\", want \"%s\"",
			    (long long)date_rows[i].ms, out, date_rows[i].iso);
	}
	ROWS_DONE();
}
END_TEST

/* json_mean: sum / count as sixteen fractional digits, half up. */
struct mean_row {
	int64_t		 sum, count;
	const char	*text;
};

static const struct mean_row mean_rows[] = {
	{ 7, 2, "3.5000000000000000" },
	{ 4, 1, "4.0000000000000000" },
	{ 10, 3, "3.3333333333333333" },
	{ 11, 3, "3.6666666666666667" },		/* half up */
	{ 2, 3, "0.6666666666666667" },
	{ 1, 3, "0.3333333333333333" },
	{ 1, 6, "0.1666666666666667" },
	{ 5, 5, "1.0000000000000000" },
	{ 25, 5, "5.0000000000000000" },
	{ 0, 5, "0.0000000000000000" },
	{ 9, 7, "1.2857142857142857" },
	{ 13, 7, "1.8571428571428571" },
	{ 1, 32, "0.0312500000000000" },
	{ 14999999, 5000000, "2.9999998000000000" },
	{ 14999999, 4999999, "3.0000004000000800" },
	{ 10000001, 3000000, "3.3333336666666667" },
	/* Exactly half at the 17th digit rounds up. */
	{ 1, 20000000000000000, "0.0000000000000001" },
	/* Below half rounds down. */
	{ 1, 30000000000000000, "0.0000000000000000" },
	/* Carries through nines, into the integer part. */
	{ 12999999999999999, 100000000000000000, "0.1300000000000000" },
	{ 99999999999999999, 100000000000000000, "1.0000000000000000" },
	{ 499999999999999999, 100000000000000000, "5.0000000000000000" },
};

/* Means print like PostgreSQL's avg(): exact digits, rounded half up. */
START_TEST(mean_table)
{
	char	 out[JSON_MEAN_MAX];
	size_t	 i;

	row_reset();
	for (i = 0; i < NROWS(mean_rows); i++) {
		strcpy(out, "unset");
		if (!json_mean(mean_rows[i].sum, mean_rows[i].count, out))
			row_fail("%lld/%lld: returned 0",
			    (long long)mean_rows[i].sum,
			    (long long)mean_rows[i].count);
		else if (strcmp(out, mean_rows[i].text) != 0)
			row_fail("%lld/%lld: \"%s\", want \"%s\"",
			    (long long)mean_rows[i].sum,
			    (long long)mean_rows[i].count, out,
			    mean_rows[i].text);
	}
	ROWS_DONE();
}
END_TEST

/* No ratings (count 0) is no mean: the caller prints null. */
START_TEST(mean_no_count)
{
	char	 out[JSON_MEAN_MAX];

	ck_assert_int_eq(json_mean(0, 0, out), 0);
	ck_assert_int_eq(json_mean(5, 0, out), 0);
	ck_assert_int_eq(json_mean(5, -1, out), 0);
	ck_assert_int_eq(json_mean(-5, 1, out), 0);
}
END_TEST

/* json_error: field, complaint and the exact body. */
struct error_row {
	const char	*field;
	const char	*complaint;
	const char	*body;
};

static const struct error_row error_rows[] = {
	{ "name", "must be between 1 and 60 characters",
	    "{\"error\":\"name must be between 1 and 60 characters\"}" },
	{ "product_id", "is required",
	    "{\"error\":\"product_id is required\"}" },
	{ NULL, "not found", "{\"error\":\"not found\"}" },
	{ NULL, "", "{\"error\":\"\"}" },
	{ "a\"b", "c\\d", "{\"error\":\"a\\\"b c\\\\d\"}" },
	{ NULL, "say \"hi\"", "{\"error\":\"say \\\"hi\\\"\"}" },
	{ NULL, "a\nb\tc\rd", "{\"error\":\"a\\nb\\tc\\rd\"}" },
	{ NULL, "\b\f", "{\"error\":\"\\b\\f\"}" },
	{ NULL, "x\x01y\x1f", "{\"error\":\"x\\u0001y\\u001f\"}" },
	{ "f\x02", "c", "{\"error\":\"f\\u0002 c\"}" },
	{ NULL, "caf\xc3\xa9 /", "{\"error\":\"caf\xc3\xa9 /\"}" },
};

/* Error bodies escape quotes, backslashes and control characters. */
START_TEST(error_table)
{
	const char	*out;
	size_t		 i, len;

	row_reset();
	for (i = 0; i < NROWS(error_rows); i++) {
		len = 12345;
		out = json_error(error_rows[i].field, error_rows[i].complaint,
		    &len);
		if (out == NULL)
			row_fail("row %zu: NULL", i);
		else if (strcmp(out, error_rows[i].body) != 0)
			row_fail("row %zu: %s, want %s", i, out,
			    error_rows[i].body);
		else if (len != strlen(out))
			row_fail("row %zu: len %zu, want %zu", i, len,
			    strlen(out));
	}
	ROWS_DONE();
}
END_TEST

/* A small response tree renders compactly, in insertion order. */
START_TEST(render_order)
{
	static const char	 want[] =
	    "{\"product\":\"2\",\"page\":0,\"count\":5,\"results\":["
	    "{\"review_id\":5,\"rating\":3,\"summary\":\"I'm enjoying "
	    "wearing these shades\",\"recommend\":false,\"response\":null,"
	    "\"body\":\"Comfortable and practical.\",\"date\":"
	    "\"2019-04-14T00:00:00.000Z\",\"reviewer_name\":\"shortandsweeet\","
	    "\"helpfulness\":5,\"photos\":[{\"id\":1,\"url\":"
	    "\"https://images.example/r5-1.jpg\"}]}]}";
	cJSON		*root, *results, *r, *photos, *ph;
	const char	*out;
	size_t		 len = 0;

	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "product", "2");
	cJSON_AddNumberToObject(root, "page", 0);
	cJSON_AddNumberToObject(root, "count", 5);
	results = cJSON_AddArrayToObject(root, "results");
	r = cJSON_CreateObject();
	cJSON_AddNumberToObject(r, "review_id", 5);
	cJSON_AddNumberToObject(r, "rating", 3);
	cJSON_AddStringToObject(r, "summary",
	    "I'm enjoying wearing these shades");
	cJSON_AddFalseToObject(r, "recommend");
	cJSON_AddNullToObject(r, "response");
	cJSON_AddStringToObject(r, "body", "Comfortable and practical.");
	cJSON_AddStringToObject(r, "date", "2019-04-14T00:00:00.000Z");
	cJSON_AddStringToObject(r, "reviewer_name", "shortandsweeet");
	cJSON_AddNumberToObject(r, "helpfulness", 5);
	photos = cJSON_AddArrayToObject(r, "photos");
	ph = cJSON_CreateObject();
	cJSON_AddNumberToObject(ph, "id", 1);
	cJSON_AddStringToObject(ph, "url", "https://images.example/r5-1.jpg");
	cJSON_AddItemToArray(photos, ph);
	cJSON_AddItemToArray(results, r);

	out = json_render(root, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(len, sizeof(want) - 1);
	cJSON_Delete(root);
	json_free();
}
END_TEST

/* Keys come out in the order they were added, not sorted. */
START_TEST(render_meta_order)
{
	static const char	 want[] =
	    "{\"product_id\":\"2\",\"ratings\":{\"1\":\"0\",\"5\":\"1\"},"
	    "\"recommended\":{\"false\":\"3\",\"true\":\"1\"},"
	    "\"characteristics\":{\"Size\":{\"id\":14,\"value\":"
	    "\"4.0000000000000000\"},\"Width\":{\"id\":15,\"value\":null}},"
	    "\"z\":true,\"a\":[]}";
	cJSON		*root, *o, *c;
	const char	*out;
	size_t		 len = 0;

	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "product_id", "2");
	o = cJSON_AddObjectToObject(root, "ratings");
	cJSON_AddStringToObject(o, "1", "0");
	cJSON_AddStringToObject(o, "5", "1");
	o = cJSON_AddObjectToObject(root, "recommended");
	cJSON_AddStringToObject(o, "false", "3");
	cJSON_AddStringToObject(o, "true", "1");
	o = cJSON_AddObjectToObject(root, "characteristics");
	c = cJSON_AddObjectToObject(o, "Size");
	cJSON_AddNumberToObject(c, "id", 14);
	cJSON_AddStringToObject(c, "value", "4.0000000000000000");
	c = cJSON_AddObjectToObject(o, "Width");
	cJSON_AddNumberToObject(c, "id", 15);
	cJSON_AddNullToObject(c, "value");
	cJSON_AddTrueToObject(root, "z");
	cJSON_AddArrayToObject(root, "a");

	out = json_render(root, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(len, strlen(want));
	cJSON_Delete(root);
	json_free();
}
END_TEST

/* A response larger than the first buffer grows it and still renders. */
START_TEST(render_large)
{
	cJSON		*arr;
	const char	*out;
	char		 item[64];
	size_t		 len = 0, i, want = 2;

	arr = cJSON_CreateArray();
	for (i = 0; i < 20000; i++) {
		snprintf(item, sizeof(item), "item-%05zu", i);
		cJSON_AddItemToArray(arr, cJSON_CreateString(item));
		want += strlen(item) + 2 + (i > 0);
	}
	out = json_render(arr, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(len, want);
	ck_assert_uint_eq(strlen(out), want);
	ck_assert_int_eq(strncmp(out, "[\"item-00000\",\"item-00001\",", 27), 0);
	ck_assert_str_eq(out + len - 14, ",\"item-19999\"]");

	/* The grown buffer is reused for a small tree afterwards. */
	cJSON_Delete(arr);
	arr = cJSON_CreateArray();
	out = json_render(arr, &len);
	ck_assert_str_eq(out, "[]");
	ck_assert_uint_eq(len, 2);
	cJSON_Delete(arr);
	json_free();
}
END_TEST

/* The suite tests/check_main.c runs. */
Suite *
check_suite(void)
{
	Suite	*s = suite_create("json");
	TCase	*tc;

	tc = tcase_create("text");
	tcase_add_test(tc, iso_date_table);
	tcase_add_test(tc, mean_table);
	tcase_add_test(tc, mean_no_count);
	suite_add_tcase(s, tc);

	tc = tcase_create("render");
	tcase_add_test(tc, error_table);
	tcase_add_test(tc, render_order);
	tcase_add_test(tc, render_meta_order);
	tcase_add_test(tc, render_large);
	suite_add_tcase(s, tc);
	return s;
}
