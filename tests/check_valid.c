/*
 * Validators (valid.c): tables of good and bad inputs for every rule, kcgi
 * style.  Each test walks one table and reports every row that disagrees
 * with API.md, not just the first.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check_main.h"
#include "utf8.h"
#include "valid.h"
#include "rows.h"


/* A printable, C-escaped copy of s (one of four rotating buffers). */
static const char *
show(const char *s)
{
	static char	 bufs[4][160];
	static int	 which;
	char		*b = bufs[which++ % 4];
	size_t		 o = 0;

	for (; *s != '\0' && o + 6 < sizeof(bufs[0]); s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"')
			b[o++] = (char)c;
		else
			o += (size_t)snprintf(b + o, sizeof(bufs[0]) - o,
			    "\\x%02x", c);
	}
	if (*s != '\0' && o + 4 < sizeof(bufs[0])) {
		memcpy(b + o, "...", 3);
		o += 3;
	}
	b[o] = '\0';
	return b;
}

/* n copies of unit, in a buffer the caller frees. */
static char *
repeat(const char *unit, size_t n)
{
	size_t	 ulen = strlen(unit), i;
	char	*s;

	s = malloc(ulen * n + 1);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * ulen, unit, ulen);
	s[ulen * n] = '\0';
	return s;
}

/* valid_str: one row per input. */
struct str_row {
	const char	*in;
	int		 good;
	int64_t		 want;
};

#define NROWS(a)	(sizeof(a) / sizeof((a)[0]))

static const struct str_row product_rows[] = {
	{ "1", 1, 1 },
	{ "2", 1, 2 },
	{ "2147483647", 1, 2147483647 },
	{ "007", 1, 7 },
	{ "", 0, 0 },
	{ "0", 0, 0 },
	{ "00", 0, 0 },
	{ "-1", 0, 0 },
	{ "+1", 0, 0 },
	{ " 1", 0, 0 },
	{ "1 ", 0, 0 },
	{ "1\n", 0, 0 },
	{ "1.0", 0, 0 },
	{ "1e3", 0, 0 },
	{ "0x10", 0, 0 },
	{ "2147483648", 0, 0 },
	{ "4294967297", 0, 0 },
	{ "99999999999999999999", 0, 0 },
	{ "abc", 0, 0 },
	{ "1abc", 0, 0 },
	{ "\xd9\xa1", 0, 0 },	/* ARABIC-INDIC DIGIT ONE */
};

static const struct str_row review_rows[] = {
	{ "1", 1, 1 },
	{ "12", 1, 12 },
	{ "2147483647", 1, 2147483647 },
	{ "0", 0, 0 },
	{ "-1", 0, 0 },
	{ "abc", 0, 0 },
	{ "99999999999", 0, 0 },
	{ "2147483648", 0, 0 },
	{ "", 0, 0 },
};

static const struct str_row page_rows[] = {
	{ "1", 1, 1 },
	{ "2", 1, 2 },
	{ "100000", 1, 100000 },
	{ "0100000", 1, 100000 },
	{ "100001", 0, 0 },
	{ "0", 0, 0 },
	{ "-1", 0, 0 },
	{ "", 0, 0 },
	{ "1.5", 0, 0 },
	{ "one", 0, 0 },
	{ "99999999999999999999", 0, 0 },
};

static const struct str_row count_rows[] = {
	{ "1", 1, 1 },
	{ "5", 1, 5 },
	{ "1000", 1, 1000 },
	{ "1001", 0, 0 },
	{ "0", 0, 0 },
	{ "-5", 0, 0 },
	{ "", 0, 0 },
	{ "10 ", 0, 0 },
	{ "1e2", 0, 0 },
};

static const struct str_row rating_rows[] = {
	{ "1", 1, 1 },
	{ "3", 1, 3 },
	{ "5", 1, 5 },
	{ "05", 1, 5 },
	{ "0", 0, 0 },
	{ "6", 0, 0 },
	{ "-1", 0, 0 },
	{ "5.0", 0, 0 },
	{ "", 0, 0 },
	{ "x", 0, 0 },
};

static const struct str_row sort_rows[] = {
	{ "newest", 1, SORT_NEWEST },
	{ "helpful", 1, SORT_HELPFUL },
	{ "relevant", 1, SORT_RELEVANT },
	{ "NEWEST", 0, 0 },
	{ "Newest", 0, 0 },
	{ "newest ", 0, 0 },
	{ " newest", 0, 0 },
	{ "", 0, 0 },
	{ "new", 0, 0 },
	{ "newestx", 0, 0 },
	{ "relevance", 0, 0 },
	{ "0", 0, 0 },
	{ "1", 0, 0 },
	/* Part 2's two rating sorts, as exact and case-sensitive. */
	{ "rating_desc", 1, SORT_RATING_DESC },
	{ "rating_asc", 1, SORT_RATING_ASC },
	{ "RATING_DESC", 0, 0 },
	{ "Rating_asc", 0, 0 },
	{ "rating", 0, 0 },
	{ "rating_", 0, 0 },
	{ "rating-desc", 0, 0 },
	{ "ratingdesc", 0, 0 },
	{ "rating_desc ", 0, 0 },
	{ "rating_asc\n", 0, 0 },
	{ "rating_descx", 0, 0 },
	{ "3", 0, 0 },
	{ "4", 0, 0 },
};

/* rating= of GET /reviews: a set of ratings, as bit r - 1 per rating r. */
static const struct str_row ratings_rows[] = {
	{ "1", 1, 0x01 },
	{ "5", 1, 0x10 },
	{ "4,5", 1, 0x18 },
	{ "5,4", 1, 0x18 },		/* a set: the order does not matter */
	{ "3,1", 1, 0x05 },
	{ "1,2,3,4,5", 1, VALID_RATINGS_ALL },
	{ "5,4,3,2,1", 1, VALID_RATINGS_ALL },
	{ "2,4", 1, 0x0a },
	{ "0", 0, 0 },
	{ "6", 0, 0 },
	{ "9", 0, 0 },
	{ "4,4", 0, 0 },		/* each at most once */
	{ "5,4,5", 0, 0 },
	{ "1,2,3,4,5,1", 0, 0 },
	{ "1,2,3,4,5,6", 0, 0 },
	{ "4,", 0, 0 },
	{ ",4", 0, 0 },
	{ ",", 0, 0 },
	{ "", 0, 0 },
	/*
	 * One digit per rating: "04" is not a rating of 1..5 spelled with a
	 * leading zero here, unlike product_id's "007" (API.md lists the
	 * values "1".."5"; a set filter has no use for other spellings).
	 */
	{ "04", 0, 0 },
	{ "4,05", 0, 0 },
	{ "45", 0, 0 },
	{ "4,,5", 0, 0 },
	{ "4 5", 0, 0 },
	{ "4, 5", 0, 0 },
	{ " 4", 0, 0 },
	{ "4 ", 0, 0 },
	{ "4;5", 0, 0 },
	{ "4%2C5", 0, 0 },		/* decoding is the query parser's job */
	{ "4.5", 0, 0 },
	{ "-1", 0, 0 },
	{ "+4", 0, 0 },
	{ "4\n", 0, 0 },
	{ "a", 0, 0 },
	{ "\xd9\xa4", 0, 0 },	/* ARABIC-INDIC DIGIT FOUR */
	{ "\xef\xbc\x94", 0, 0 },	/* FULLWIDTH DIGIT FOUR */
};

/* has_photos= and stats=: exactly the two words, as 0 and 1. */
static const struct str_row bool_rows[] = {
	{ "false", 1, 0 },
	{ "true", 1, 1 },
	{ "TRUE", 0, 0 },
	{ "True", 0, 0 },
	{ "FALSE", 0, 0 },
	{ "1", 0, 0 },
	{ "0", 0, 0 },
	{ "yes", 0, 0 },
	{ "no", 0, 0 },
	{ "on", 0, 0 },
	{ "t", 0, 0 },
	{ "f", 0, 0 },
	{ "", 0, 0 },
	{ "true ", 0, 0 },
	{ " true", 0, 0 },
	{ "truee", 0, 0 },
	{ "tru", 0, 0 },
	{ "false\n", 0, 0 },
	{ "null", 0, 0 },
};

/* count= of the admin API's pages: 1..100. */
static const struct str_row admin_count_rows[] = {
	{ "1", 1, 1 },
	{ "20", 1, 20 },
	{ "100", 1, 100 },
	{ "0100", 1, 100 },
	{ "101", 0, 0 },
	{ "1000", 0, 0 },
	{ "0", 0, 0 },
	{ "-1", 0, 0 },
	{ "", 0, 0 },
	{ "1e2", 0, 0 },
	{ "20 ", 0, 0 },
};

/* status= of GET /admin/reports: exactly the two words, as 0 and 1. */
static const struct str_row status_rows[] = {
	{ "open", 1, 0 },
	{ "closed", 1, 1 },
	{ "OPEN", 0, 0 },
	{ "Closed", 0, 0 },
	{ "opened", 0, 0 },
	{ "close", 0, 0 },
	{ "reported", 0, 0 },
	{ "removed", 0, 0 },
	{ "open ", 0, 0 },
	{ "", 0, 0 },
	{ "0", 0, 0 },
	{ "1", 0, 0 },
};

/* Walk a valid_str table; a rejected input leaves *out untouched. */
static void
str_rows(enum valid_rule rule, const struct str_row *rows, size_t n)
{
	const char	*bad;
	int64_t		 out;
	size_t		 i;

	row_reset();
	for (i = 0; i < n; i++) {
		out = -42;
		bad = valid_str(rule, rows[i].in, &out);
		if (rows[i].good && bad != NULL)
			row_fail("\"%s\" rejected: %s", show(rows[i].in), bad);
		else if (rows[i].good && out != rows[i].want)
			row_fail("\"%s\" gave %lld, want %lld",
			    show(rows[i].in), (long long)out,
			    (long long)rows[i].want);
		else if (!rows[i].good && bad == NULL)
			row_fail("\"%s\" accepted as %lld",
			    show(rows[i].in), (long long)out);
		else if (!rows[i].good && out != -42)
			row_fail("\"%s\" rejected but wrote %lld",
			    show(rows[i].in), (long long)out);
	}
	ROWS_DONE();
}

/* product_id: digits only, 1..2147483647, no sign, space or exponent. */
START_TEST(str_product_id)
{
	str_rows(VALID_PRODUCT_ID, product_rows, NROWS(product_rows));
}
END_TEST

/* review_id (the path segment): same range as product_id. */
START_TEST(str_review_id)
{
	str_rows(VALID_REVIEW_ID, review_rows, NROWS(review_rows));
}
END_TEST

/* page: 1..100000. */
START_TEST(str_page)
{
	str_rows(VALID_PAGE, page_rows, NROWS(page_rows));
}
END_TEST

/* count: 1..1000. */
START_TEST(str_count)
{
	str_rows(VALID_COUNT, count_rows, NROWS(count_rows));
}
END_TEST

/* rating: 1..5. */
START_TEST(str_rating)
{
	str_rows(VALID_RATING, rating_rows, NROWS(rating_rows));
}
END_TEST

/* sort: exactly newest, helpful or relevant (case-sensitive), as an index. */
START_TEST(str_sort)
{
	str_rows(VALID_SORT, sort_rows, NROWS(sort_rows));
}
END_TEST

/* rating=: "4,5", each of 1..5 at most once, no empty item. */
START_TEST(str_ratings)
{
	str_rows(VALID_RATINGS, ratings_rows, NROWS(ratings_rows));
}
END_TEST

/* Long rating lists fail at their first repeat, whatever follows. */
START_TEST(str_ratings_long)
{
	char	*s;
	int64_t	 out = -42;

	s = repeat("1,2,3,4,5,", 1000);	/* ends with a comma, repeats */
	ck_assert_ptr_nonnull(valid_str(VALID_RATINGS, s, &out));
	free(s);
	s = repeat("5", 10000);
	ck_assert_ptr_nonnull(valid_str(VALID_RATINGS, s, &out));
	free(s);
	s = repeat(",", 10000);
	ck_assert_ptr_nonnull(valid_str(VALID_RATINGS, s, &out));
	free(s);
	ck_assert_int_eq(out, -42);
}
END_TEST

/* has_photos= and stats=: true or false, nothing else. */
START_TEST(str_bool)
{
	str_rows(VALID_BOOL, bool_rows, NROWS(bool_rows));
}
END_TEST

/* The admin API's count= (1..100) and the queue's status=. */
START_TEST(str_admin)
{
	int64_t	 out;

	str_rows(VALID_ADMIN_COUNT, admin_count_rows, NROWS(admin_count_rows));
	str_rows(VALID_QUEUE_STATUS, status_rows, NROWS(status_rows));
	ck_assert_str_eq(valid_str(VALID_ADMIN_COUNT, "101", &out),
	    "must be an integer between 1 and 100");
	ck_assert_str_eq(valid_str(VALID_QUEUE_STATUS, "x", &out),
	    "must be open or closed");
}
END_TEST

/* A rejection explains itself in words that follow the field's name. */
START_TEST(str_complaints)
{
	int64_t	 out;

	ck_assert_str_eq(valid_str(VALID_RATING, "6", &out),
	    "must be an integer between 1 and 5");
	ck_assert_str_eq(valid_str(VALID_PAGE, "0", &out),
	    "must be an integer between 1 and 100000");
	ck_assert_str_eq(valid_str(VALID_COUNT, "0", &out),
	    "must be an integer between 1 and 1000");
	ck_assert_str_eq(valid_str(VALID_PRODUCT_ID, "x", &out),
	    "must be an integer between 1 and 2147483647");
	ck_assert_str_eq(valid_str(VALID_SORT, "x", &out),
	    "must be one of newest, helpful, relevant, rating_desc, rating_asc");
	ck_assert_str_eq(valid_str(VALID_SORT, "RATING_DESC", &out),
	    "must be one of newest, helpful, relevant, rating_desc, rating_asc");
	ck_assert_str_eq(valid_str(VALID_BOOL, "yes", &out),
	    "must be true or false");
	ck_assert_str_eq(valid_str(VALID_RATINGS, "4,4", &out),
	    "must be ratings 1 to 5, comma-separated, each at most once");
	ck_assert_str_eq(valid_complaint(VALID_RATINGS),
	    "must be ratings 1 to 5, comma-separated, each at most once");
	ck_assert_str_eq(valid_complaint(VALID_PRODUCT_IDS),
	    "must be 1 to 100 product ids (integers between 1 and 2147483647), "
	    "comma-separated, each at most once");
	ck_assert_str_eq(valid_complaint(VALID_CURSOR),
	    "must be empty or a next_cursor of an earlier answer");
}
END_TEST

/* valid_id_list: one row per product_ids= value, and the ids it holds. */
struct ids_row {
	const char	*in;
	int		 good;
	size_t		 n;
	int32_t		 want[4];
};

static const struct ids_row ids_rows[] = {
	{ "1", 1, 1, { 1 } },
	{ "2147483647", 1, 1, { 2147483647 } },
	{ "3,1,2", 1, 3, { 3, 1, 2 } },		/* in the order given */
	{ "2,1", 1, 2, { 2, 1 } },
	{ "1,2147483647", 1, 2, { 1, 2147483647 } },
	/*
	 * Each id as product_id= takes it: digits, leading zeros allowed
	 * ("007" is 7 there too).
	 */
	{ "007", 1, 1, { 7 } },
	{ "1,007,3", 1, 3, { 1, 7, 3 } },
	{ "02147483647", 1, 1, { 2147483647 } },
	{ "0", 0, 0, { 0 } },
	{ "00", 0, 0, { 0 } },
	{ "1,0", 0, 0, { 0 } },
	{ "1,1", 0, 0, { 0 } },
	{ "1,2,1", 0, 0, { 0 } },
	/* At most once means the product, however it is spelled. */
	{ "7,07", 0, 0, { 0 } },
	{ "007,7", 0, 0, { 0 } },
	{ "1,", 0, 0, { 0 } },
	{ ",1", 0, 0, { 0 } },
	{ ",", 0, 0, { 0 } },
	{ "", 0, 0, { 0 } },
	{ "1,,2", 0, 0, { 0 } },
	{ "2147483648", 0, 0, { 0 } },
	{ "1,2147483648", 0, 0, { 0 } },
	{ "4294967297", 0, 0, { 0 } },		/* 2^32 + 1: no wrap to 1 */
	{ "99999999999999999999", 0, 0, { 0 } },
	{ "x", 0, 0, { 0 } },
	{ "1,x", 0, 0, { 0 } },
	{ "1x", 0, 0, { 0 } },
	{ " 1", 0, 0, { 0 } },
	{ "1 ", 0, 0, { 0 } },
	{ "1, 2", 0, 0, { 0 } },
	{ "1 ,2", 0, 0, { 0 } },
	{ "1 2", 0, 0, { 0 } },
	{ "1;2", 0, 0, { 0 } },
	{ "1%2C2", 0, 0, { 0 } },		/* the query parser decodes */
	{ "-1", 0, 0, { 0 } },
	{ "+1", 0, 0, { 0 } },
	{ "1.0", 0, 0, { 0 } },
	{ "1e3", 0, 0, { 0 } },
	{ "0x10", 0, 0, { 0 } },
	{ "1\n", 0, 0, { 0 } },
	{ "\xd9\xa1", 0, 0, { 0 } },		/* ARABIC-INDIC DIGIT ONE */
};

/* product_ids=: a list of product ids, none twice, order kept. */
START_TEST(id_list_rows)
{
	const struct ids_row	*r;
	const char		*bad;
	int32_t			 ids[VALID_IDS_MAX];
	size_t			 i, j, n;

	row_reset();
	for (i = 0; i < NROWS(ids_rows); i++) {
		r = &ids_rows[i];
		n = 999;
		bad = valid_id_list(r->in, ids, &n);
		if (r->good && bad != NULL)
			row_fail("\"%s\" rejected: %s", show(r->in), bad);
		else if (!r->good && bad == NULL)
			row_fail("\"%s\" accepted (%zu ids)", show(r->in), n);
		else if (r->good && n != r->n)
			row_fail("\"%s\" gave %zu ids, want %zu", show(r->in),
			    n, r->n);
		else if (r->good)
			for (j = 0; j < n; j++)
				if (ids[j] != r->want[j])
					row_fail("\"%s\" id %zu is %d, want %d",
					    show(r->in), j, (int)ids[j],
					    (int)r->want[j]);
	}
	ROWS_DONE();
}
END_TEST

/*
 * "first,first+1,...": n ids from first in a buffer the caller frees; with
 * dup, the last one repeats the first.
 */
static char *
id_list(int64_t first, size_t n, int dup)
{
	char	*s = malloc(n * 12 + 1);
	size_t	 i, o = 0;

	ck_assert_ptr_nonnull(s);
	s[0] = '\0';
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(s + o, "%s%lld", i ? "," : "",
		    (long long)(dup && i == n - 1 ? first : first + (int64_t)i));
	return s;
}

/* 1 to 100 ids: 100 pass in order, 101 do not, a far repeat is seen. */
START_TEST(id_list_bounds)
{
	int32_t	 ids[VALID_IDS_MAX + 8];
	size_t	 n, i;
	char	*s;

	/* The longest list there is: 100 ten-digit ids. */
	s = id_list(2147483647 - VALID_IDS_MAX + 1, VALID_IDS_MAX, 0);
	ck_assert_ptr_null(valid_id_list(s, ids, &n));
	ck_assert_uint_eq(n, VALID_IDS_MAX);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(ids[i], 2147483647 - VALID_IDS_MAX + 1 + (int)i);
	free(s);

	s = id_list(1, VALID_IDS_MAX, 0);
	ck_assert_ptr_null(valid_id_list(s, ids, &n));
	ck_assert_uint_eq(n, VALID_IDS_MAX);
	ck_assert_int_eq(ids[0], 1);
	ck_assert_int_eq(ids[VALID_IDS_MAX - 1], VALID_IDS_MAX);
	free(s);

	/* 101 ids: refused, and nothing written past the caller's 100. */
	for (i = 0; i < VALID_IDS_MAX + 8; i++)
		ids[i] = -7;
	s = id_list(1, VALID_IDS_MAX + 1, 0);
	ck_assert_ptr_eq(valid_id_list(s, ids, &n),
	    valid_complaint(VALID_PRODUCT_IDS));
	for (i = VALID_IDS_MAX; i < VALID_IDS_MAX + 8; i++)
		ck_assert_int_eq(ids[i], -7);
	free(s);

	s = id_list(1, 1000, 0);
	ck_assert_ptr_nonnull(valid_id_list(s, ids, &n));
	free(s);

	/* The 100th repeats the 1st. */
	s = id_list(5, VALID_IDS_MAX, 1);
	ck_assert_ptr_nonnull(valid_id_list(s, ids, &n));
	free(s);
}
END_TEST

/* valid_json_int: one row per JSON text. */
struct json_row {
	enum valid_rule	 rule;
	const char	*json;
	int		 good;
	int64_t		 want;
};

static const struct json_row json_rows[] = {
	{ VALID_PRODUCT_ID, "1", 1, 1 },
	{ VALID_PRODUCT_ID, "1.0", 1, 1 },
	{ VALID_PRODUCT_ID, "2147483647", 1, 2147483647 },
	{ VALID_PRODUCT_ID, "\"2\"", 1, 2 },
	{ VALID_PRODUCT_ID, "\"007\"", 1, 7 },
	{ VALID_PRODUCT_ID, "2147483648", 0, 0 },
	{ VALID_PRODUCT_ID, "1.5", 0, 0 },
	{ VALID_PRODUCT_ID, "-1", 0, 0 },
	{ VALID_PRODUCT_ID, "0", 0, 0 },
	{ VALID_PRODUCT_ID, "-0", 0, 0 },
	{ VALID_PRODUCT_ID, "1e400", 0, 0 },
	{ VALID_PRODUCT_ID, "-1e400", 0, 0 },
	{ VALID_PRODUCT_ID, "1e-400", 0, 0 },
	{ VALID_PRODUCT_ID, "1e19", 0, 0 },
	{ VALID_PRODUCT_ID, "true", 0, 0 },
	{ VALID_PRODUCT_ID, "false", 0, 0 },
	{ VALID_PRODUCT_ID, "null", 0, 0 },
	{ VALID_PRODUCT_ID, "\"x\"", 0, 0 },
	{ VALID_PRODUCT_ID, "\"\"", 0, 0 },
	{ VALID_PRODUCT_ID, "\" 2\"", 0, 0 },
	{ VALID_PRODUCT_ID, "\"2.0\"", 0, 0 },
	{ VALID_PRODUCT_ID, "\"-2\"", 0, 0 },
	{ VALID_PRODUCT_ID, "[1]", 0, 0 },
	{ VALID_PRODUCT_ID, "{\"a\":1}", 0, 0 },
	{ VALID_RATING, "1", 1, 1 },
	{ VALID_RATING, "5", 1, 5 },
	{ VALID_RATING, "5.0", 1, 5 },
	{ VALID_RATING, "\"5\"", 1, 5 },
	{ VALID_RATING, "4e0", 1, 4 },
	{ VALID_RATING, "0", 0, 0 },
	{ VALID_RATING, "6", 0, 0 },
	{ VALID_RATING, "1.5", 0, 0 },
	{ VALID_RATING, "4.999", 0, 0 },
	{ VALID_RATING, "-1", 0, 0 },
	{ VALID_RATING, "true", 0, 0 },
	{ VALID_RATING, "null", 0, 0 },
	{ VALID_RATING, "\"x\"", 0, 0 },
	{ VALID_RATING, "\"6\"", 0, 0 },
	{ VALID_RATING, "\"5.0\"", 0, 0 },
	{ VALID_RATING, "[5]", 0, 0 },
	{ VALID_RATING, "[]", 0, 0 },
	{ VALID_COUNT, "1e3", 1, 1000 },
	{ VALID_COUNT, "1001", 0, 0 },
	{ VALID_PAGE, "100000", 1, 100000 },
	{ VALID_PAGE, "100000.5", 0, 0 },
};

/* Integers in a JSON body: integral numbers or digit strings, in range. */
START_TEST(json_int_rows)
{
	const struct json_row	*r;
	const char		*bad;
	cJSON			*item;
	int64_t			 out;
	size_t			 i;

	row_reset();
	for (i = 0; i < NROWS(json_rows); i++) {
		r = &json_rows[i];
		if ((item = cJSON_Parse(r->json)) == NULL) {
			row_fail("%s: cJSON could not parse the row", r->json);
			continue;
		}
		out = -42;
		bad = valid_json_int(r->rule, item, &out);
		if (r->good && bad != NULL)
			row_fail("%s (rule %d) rejected: %s", r->json,
			    (int)r->rule, bad);
		else if (r->good && out != r->want)
			row_fail("%s (rule %d) gave %lld, want %lld", r->json,
			    (int)r->rule, (long long)out, (long long)r->want);
		else if (!r->good && bad == NULL)
			row_fail("%s (rule %d) accepted as %lld", r->json,
			    (int)r->rule, (long long)out);
		cJSON_Delete(item);
	}
	ROWS_DONE();
}
END_TEST

/* A missing item (NULL) is not an integer either. */
START_TEST(json_int_null_item)
{
	int64_t	 out = -42;

	ck_assert_ptr_nonnull(valid_json_int(VALID_RATING, NULL, &out));
	ck_assert_int_eq(out, -42);
}
END_TEST

/* utf8_check: one row per byte string. */
struct utf8_row {
	const char	*in;
	int		 good;
	size_t		 nchars;
};

static const struct utf8_row utf8_rows[] = {
	{ "", 1, 0 },
	{ "abc", 1, 3 },
	{ "\x01\x7f", 1, 2 },
	{ "\xc3\xa9", 1, 1 },			/* é */
	{ "\xc2\x80", 1, 1 },			/* U+0080 */
	{ "\xdf\xbf", 1, 1 },			/* U+07FF */
	{ "\xe0\xa0\x80", 1, 1 },		/* U+0800 */
	{ "\xe2\x82\xac", 1, 1 },		/* € */
	{ "\xed\x9f\xbf", 1, 1 },		/* U+D7FF */
	{ "\xee\x80\x80", 1, 1 },		/* U+E000 */
	{ "\xef\xbf\xbf", 1, 1 },		/* U+FFFF */
	{ "\xf0\x90\x80\x80", 1, 1 },		/* U+10000 */
	{ "\xf0\x9f\x98\x80", 1, 1 },		/* 😀 */
	{ "\xf4\x8f\xbf\xbf", 1, 1 },		/* U+10FFFF */
	{ "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z", 1, 5 },
	{ "\xc0\x80", 0, 0 },			/* overlong NUL */
	{ "\xc1\xbf", 0, 0 },			/* overlong 2-byte */
	{ "\xe0\x80\x80", 0, 0 },		/* overlong 3-byte */
	{ "\xe0\x9f\xbf", 0, 0 },
	{ "\xf0\x80\x80\x80", 0, 0 },		/* overlong 4-byte */
	{ "\xf0\x8f\xbf\xbf", 0, 0 },
	{ "\xed\xa0\x80", 0, 0 },		/* lone high surrogate */
	{ "\xed\xbf\xbf", 0, 0 },		/* lone low surrogate */
	{ "\xed\xa0\xbd\xed\xb8\x80", 0, 0 },	/* CESU-8 pair */
	{ "\xf4\x90\x80\x80", 0, 0 },		/* U+110000 */
	{ "\xf5\x80\x80\x80", 0, 0 },
	{ "\xf8\x88\x80\x80\x80", 0, 0 },
	{ "\xff", 0, 0 },
	{ "\xfe", 0, 0 },
	{ "a\xffz", 0, 0 },
	{ "\x80", 0, 0 },			/* lone continuation */
	{ "\xbf", 0, 0 },
	{ "\xc3", 0, 0 },			/* truncated */
	{ "a\xc3", 0, 0 },
	{ "\xe2\x82", 0, 0 },
	{ "\xe2\x82z", 0, 0 },
	{ "\xf0\x9f\x98", 0, 0 },
	{ "\xf0\x9f", 0, 0 },
	{ "\xc3\xc3\xa9", 0, 0 },
	{ "\xc3\xa9\xa9", 0, 0 },		/* extra continuation */
};

/* UTF-8: strict decoding, and every character counts once. */
START_TEST(utf8_rows_test)
{
	const struct utf8_row	*r;
	size_t			 i, n;
	int			 ok;

	row_reset();
	for (i = 0; i < NROWS(utf8_rows); i++) {
		r = &utf8_rows[i];
		n = 999;
		ok = utf8_check(r->in, &n);
		if (ok != r->good)
			row_fail("\"%s\" %s", show(r->in),
			    ok ? "accepted" : "rejected");
		else if (ok && n != r->nchars)
			row_fail("\"%s\" counted %zu characters, want %zu",
			    show(r->in), n, r->nchars);
	}
	ROWS_DONE();
}
END_TEST

/* valid_text: bounds count characters, and bad UTF-8 is its own complaint. */
struct text_row {
	const char	*unit;		/* repeated n times */
	size_t		 n;
	size_t		 minc, maxc;
	int		 good;
	int		 utf8;		/* rejected as bad text, not length */
};

static const struct text_row text_rows[] = {
	{ "\xc3\xa9", 60, 0, 60, 1, 0 },	/* 120 bytes, 60 characters */
	{ "\xc3\xa9", 61, 0, 60, 0, 0 },
	{ "a", 60, 0, 60, 1, 0 },
	{ "a", 61, 0, 60, 0, 0 },
	{ "a", 0, 0, 60, 1, 0 },
	{ "a", 0, 1, 60, 0, 0 },
	{ "a", 1, 1, 60, 1, 0 },
	{ "a", 49, 50, 1000, 0, 0 },
	{ "a", 50, 50, 1000, 1, 0 },
	{ "a", 1000, 50, 1000, 1, 0 },
	{ "a", 1001, 50, 1000, 0, 0 },
	{ "\xe2\x82\xac", 1000, 50, 1000, 1, 0 },
	{ "\xf0\x9f\x98\x80", 50, 50, 1000, 1, 0 },	/* 200 bytes */
	{ "\xf0\x9f\x98\x80", 49, 50, 1000, 0, 0 },
	{ "\xf0\x9f\x98\x80", 20, 50, 1000, 0, 0 },	/* 80 bytes */
	{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 20, 1, 60, 1, 0 },
	{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 21, 1, 60, 0, 0 },
	{ "\xc0\x80", 1, 0, 60, 0, 1 },
	{ "ab\xff", 30, 0, 1000, 0, 1 },
	{ "\xed\xa0\x80", 1, 0, 60, 0, 1 },
	{ "\xc3", 1, 0, 60, 0, 1 },
};

/* Text lengths in characters, not bytes; bad UTF-8 says so. */
START_TEST(text_rows_test)
{
	static const char	 len_bad[] = "length is wrong";
	const struct text_row	*r;
	const char		*bad;
	char			*s;
	size_t			 i;

	row_reset();
	for (i = 0; i < NROWS(text_rows); i++) {
		r = &text_rows[i];
		s = repeat(r->unit, r->n);
		bad = valid_text(s, r->minc, r->maxc, len_bad);
		if (r->good && bad != NULL)
			row_fail("%zu x \"%s\" in %zu..%zu rejected: %s", r->n,
			    show(r->unit), r->minc, r->maxc, bad);
		else if (!r->good && bad == NULL)
			row_fail("%zu x \"%s\" in %zu..%zu accepted", r->n,
			    show(r->unit), r->minc, r->maxc);
		else if (!r->good && r->utf8 && bad == len_bad)
			row_fail("%zu x \"%s\": bad UTF-8 called a length error",
			    r->n, show(r->unit));
		else if (!r->good && !r->utf8 && bad != len_bad)
			row_fail("%zu x \"%s\": got \"%s\", want the caller's "
			    "length complaint", r->n, show(r->unit), bad);
		free(s);
	}
	ROWS_DONE();
}
END_TEST

/* valid_email rows. */
struct email_row {
	const char	*in;
	int		 good;
};

static const struct email_row email_rows[] = {
	{ "a@b.co", 1 },
	{ "first.last@gmail.com", 1 },
	{ "x+tag@mail.example.org", 1 },
	{ "\xc3\xa9@b.co", 1 },
	{ "", 0 },
	{ "a", 0 },
	{ "@", 0 },
	{ "@b.co", 0 },
	{ "a@", 0 },
	{ "a@b", 0 },
	{ "a@@b.co", 0 },
	{ "a@b@c.co", 0 },
	{ "a b@c.co", 0 },
	{ "a@b .co", 0 },
	{ " a@b.co", 0 },
	{ "a@b.co ", 0 },
	{ "a@.co", 0 },
	{ "a@b.", 0 },
	{ "a@b.co.", 0 },
	{ "a\t@b.co", 0 },
	{ "a@b\t.co", 0 },
	{ "a@b.c\to", 0 },
	{ "a@b.co\n", 0 },
	{ "a@b.c\x7f", 0 },
	{ "a\xff@b.co", 0 },
	{ "a\xc0\x80@b.co", 0 },
};

/* Emails shaped local@domain.tld with no spaces or control characters. */
START_TEST(email_rows_test)
{
	const char	*bad;
	size_t		 i;

	row_reset();
	for (i = 0; i < NROWS(email_rows); i++) {
		bad = valid_email(email_rows[i].in);
		if (email_rows[i].good && bad != NULL)
			row_fail("\"%s\" rejected", show(email_rows[i].in));
		else if (!email_rows[i].good && bad == NULL)
			row_fail("\"%s\" accepted", show(email_rows[i].in));
	}
	ROWS_DONE();
}
END_TEST

/* Emails: at most 60 characters (not bytes). */
START_TEST(email_length)
{
	char	*local, buf[512];

	local = repeat("x", 55);	/* 55 + "@b.co" = 60 */
	snprintf(buf, sizeof(buf), "%s@b.co", local);
	ck_assert_uint_eq(strlen(buf), 60);
	ck_assert_ptr_null(valid_email(buf));
	snprintf(buf, sizeof(buf), "%sx@b.co", local);
	ck_assert_uint_eq(strlen(buf), 61);
	ck_assert_ptr_nonnull(valid_email(buf));
	free(local);

	local = repeat("\xc3\xa9", 55);	/* 60 characters, 115 bytes */
	snprintf(buf, sizeof(buf), "%s@b.co", local);
	ck_assert_ptr_null(valid_email(buf));
	snprintf(buf, sizeof(buf), "%s\xc3\xa9@b.co", local);
	ck_assert_ptr_nonnull(valid_email(buf));
	free(local);
}
END_TEST

/* valid_url rows. */
struct url_row {
	const char	*in;
	int		 good;
};

static const struct url_row url_rows[] = {
	{ "http://a", 1 },
	{ "http://images.example/r5-1.jpg", 1 },
	{ "https://images.example/r5-1.jpg", 1 },
	{ "https://x.example:8443/a/b?c=d&e=f#g", 1 },
	{ "https://images.example/\xc3\xa9.jpg", 1 },
	{ "ftp://x", 0 },
	{ "ftp://images.example/a.jpg", 0 },
	{ "http://", 0 },
	{ "https://", 0 },
	{ "https:///x", 0 },
	{ "http://?x", 0 },
	{ "http://#x", 0 },
	{ "http:/a", 0 },
	{ "http:a", 0 },
	{ "//images.example/a.jpg", 0 },
	{ "/relative/a.jpg", 0 },
	{ "a.jpg", 0 },
	{ "", 0 },
	{ "http://a b", 0 },
	{ "http://a/b c.jpg", 0 },
	{ " http://a", 0 },
	{ "http://a ", 0 },
	{ "http://a\tb", 0 },
	{ "http://a\nb", 0 },
	{ "http://a\x7f", 0 },
	{ "http://a\xff", 0 },
	{ "javascript:alert(1)", 0 },
};

/* Photo URLs: absolute http(s) with a host, no whitespace. */
START_TEST(url_rows_test)
{
	const char	*bad;
	size_t		 i;

	row_reset();
	for (i = 0; i < NROWS(url_rows); i++) {
		bad = valid_url(url_rows[i].in);
		if (url_rows[i].good && bad != NULL)
			row_fail("\"%s\" rejected", show(url_rows[i].in));
		else if (!url_rows[i].good && bad == NULL)
			row_fail("\"%s\" accepted", show(url_rows[i].in));
	}
	ROWS_DONE();
}
END_TEST

/* URLs: at most 2048 characters, counted as characters. */
START_TEST(url_length)
{
	static const char	 pre[] = "https://images.example/";
	char			*tail, *s;
	size_t			 plen = sizeof(pre) - 1;

	s = malloc(8192);
	ck_assert_ptr_nonnull(s);

	tail = repeat("a", 2048 - plen);
	snprintf(s, 8192, "%s%s", pre, tail);
	ck_assert_uint_eq(strlen(s), 2048);
	ck_assert_ptr_null(valid_url(s));
	free(tail);

	tail = repeat("a", 2049 - plen);
	snprintf(s, 8192, "%s%s", pre, tail);
	ck_assert_uint_eq(strlen(s), 2049);
	ck_assert_ptr_nonnull(valid_url(s));
	free(tail);

	/* 2048 characters but more than 2048 bytes. */
	tail = repeat("\xc3\xa9", 2048 - plen);
	snprintf(s, 8192, "%s%s", pre, tail);
	ck_assert_ptr_null(valid_url(s));
	free(tail);

	free(s);
}
END_TEST

/* The suite tests/check_main.c runs. */
Suite *
check_suite(void)
{
	Suite	*s = suite_create("valid");
	TCase	*tc;

	tc = tcase_create("valid_str");
	tcase_add_test(tc, str_product_id);
	tcase_add_test(tc, str_review_id);
	tcase_add_test(tc, str_page);
	tcase_add_test(tc, str_count);
	tcase_add_test(tc, str_rating);
	tcase_add_test(tc, str_sort);
	tcase_add_test(tc, str_ratings);
	tcase_add_test(tc, str_ratings_long);
	tcase_add_test(tc, str_bool);
	tcase_add_test(tc, str_admin);
	tcase_add_test(tc, str_complaints);
	suite_add_tcase(s, tc);

	tc = tcase_create("valid_id_list");
	tcase_add_test(tc, id_list_rows);
	tcase_add_test(tc, id_list_bounds);
	suite_add_tcase(s, tc);

	tc = tcase_create("valid_json_int");
	tcase_add_test(tc, json_int_rows);
	tcase_add_test(tc, json_int_null_item);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_test(tc, utf8_rows_test);
	tcase_add_test(tc, text_rows_test);
	suite_add_tcase(s, tc);

	tc = tcase_create("email_url");
	tcase_add_test(tc, email_rows_test);
	tcase_add_test(tc, email_length);
	tcase_add_test(tc, url_rows_test);
	tcase_add_test(tc, url_length);
	suite_add_tcase(s, tc);
	return s;
}
