/*
 * POST bodies (post.c): every rule of API.md's field table for a review,
 * each bad body answered with the name of the offending field ("body" for
 * the document as a whole), NUL bytes in any form refused; and the
 * data-subject requests' {"email": E}.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check_main.h"
#include "post.h"
#include "rows.h"

#define NROWS(a)	(sizeof(a) / sizeof((a)[0]))


/* Fifty characters: the shortest body allowed. */
#define B50	"Comfortable and practical, I wear them every day!!"

#define F_PID		"\"product_id\":2"
#define F_RATING	"\"rating\":4"
#define F_BODY		"\"body\":\"" B50 "\""
#define F_REC		"\"recommend\":true"
#define F_NAME		"\"name\":\"jackson11\""
#define F_EMAIL		"\"email\":\"a@b.co\""

/* Every required field, and every required field but one. */
#define ALL	F_PID "," F_RATING "," F_BODY "," F_REC "," F_NAME "," F_EMAIL
#define NO_PID	F_RATING "," F_BODY "," F_REC "," F_NAME "," F_EMAIL
#define NO_RAT	F_PID "," F_BODY "," F_REC "," F_NAME "," F_EMAIL
#define NO_BODY	F_PID "," F_RATING "," F_REC "," F_NAME "," F_EMAIL
#define NO_REC	F_PID "," F_RATING "," F_BODY "," F_NAME "," F_EMAIL
#define NO_NAME	F_PID "," F_RATING "," F_BODY "," F_REC "," F_EMAIL
#define NO_MAIL	F_PID "," F_RATING "," F_BODY "," F_REC "," F_NAME


/* A printable, shortened copy of a body for messages. */
static const char *
show(const char *s, size_t len)
{
	static char	 buf[2][120];
	static int	 which;
	char		*b = buf[which++ % 2];
	size_t		 i, o = 0;

	for (i = 0; i < len && o + 8 < sizeof(buf[0]); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			b[o++] = (char)c;
		else
			o += (size_t)snprintf(b + o, sizeof(buf[0]) - o,
			    "\\x%02x", c);
	}
	if (i < len) {
		memcpy(b + o, "...", 3);
		o += 3;
	}
	b[o] = '\0';
	return b;
}

/* Parse a literal (copied: post_parse writes to its buffer). */
static int
parse_lit(const char *lit, size_t len, struct post *p, const char **field,
    const char **complaint)
{
	char	*buf;
	int	 rc;

	buf = malloc(len + 1);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, lit, len);
	buf[len] = '\0';
	rc = post_parse(buf, len, p, field, complaint);
	free(buf);	/* the result must not point into it */
	return rc;
}

/* A good body with every field: each lands in struct post. */
START_TEST(good_full)
{
	static const char	 lit[] = "{\"product_id\":2,\"rating\":4,"
	    "\"summary\":\"I'm enjoying wearing these shades\","
	    "\"body\":\"" B50 "\",\"recommend\":true,"
	    "\"name\":\"jackson11\",\"email\":\"first.last@gmail.com\","
	    "\"photos\":[\"https://images.example/a.jpg\","
	    "\"http://images.example/b.jpg\"],"
	    "\"characteristics\":{\"14\":5,\"15\":3}}";
	struct post		 p;
	const char		*field = NULL, *complaint = NULL;

	ck_assert_int_eq(parse_lit(L(lit), &p, &field, &complaint), 0);
	ck_assert_ptr_nonnull(p.tree);
	ck_assert_int_eq(p.product_id, 2);
	ck_assert_int_eq(p.rating, 4);
	ck_assert_str_eq(p.summary, "I'm enjoying wearing these shades");
	ck_assert_str_eq(p.body, B50);
	ck_assert_int_eq(p.recommend, 1);
	ck_assert_str_eq(p.name, "jackson11");
	ck_assert_str_eq(p.email, "first.last@gmail.com");
	ck_assert_uint_eq(p.nphotos, 2);
	ck_assert_str_eq(p.photos[0], "https://images.example/a.jpg");
	ck_assert_str_eq(p.photos[1], "http://images.example/b.jpg");
	ck_assert_uint_eq(p.nchars, 2);
	ck_assert_int_eq(p.char_ids[0], 14);
	ck_assert_int_eq(p.char_values[0], 5);
	ck_assert_int_eq(p.char_ids[1], 15);
	ck_assert_int_eq(p.char_values[1], 3);
	post_free(&p);
	ck_assert_ptr_null(p.tree);
}
END_TEST

/* Only the required fields: summary "", no photos, no characteristics. */
START_TEST(good_minimal)
{
	static const char	 lit[] = "{" ALL "}";
	struct post		 p;
	const char		*field, *complaint;

	ck_assert_int_eq(parse_lit(L(lit), &p, &field, &complaint), 0);
	ck_assert_str_eq(p.summary, "");
	ck_assert_uint_eq(p.nphotos, 0);
	ck_assert_uint_eq(p.nchars, 0);
	ck_assert_int_eq(p.recommend, 1);
	post_free(&p);
}
END_TEST

/* Good bodies and what they must give. */
struct good_row {
	struct body	 b;
	int64_t		 product_id, rating;
	const char	*summary;	/* NULL: not checked */
	size_t		 nphotos, nchars;
	int		 recommend;
};

static const struct good_row good_rows[] = {
	{ { L("{" ALL "}"), NULL, 0, NULL }, 2, 4, "", 0, 0, 1 },
	/* Integers as digit strings or integral numbers. */
	{ { L("{" NO_PID ",\"product_id\":\"2\"}"), NULL, 0, NULL },
	    2, 4, "", 0, 0, 1 },
	{ { L("{" NO_PID ",\"product_id\":2147483647}"), NULL, 0, NULL },
	    2147483647, 4, "", 0, 0, 1 },
	{ { L("{" NO_PID ",\"product_id\":2.0}"), NULL, 0, NULL },
	    2, 4, "", 0, 0, 1 },
	{ { L("{" NO_RAT ",\"rating\":5.0}"), NULL, 0, NULL },
	    2, 5, "", 0, 0, 1 },
	{ { L("{" NO_RAT ",\"rating\":\"5\"}"), NULL, 0, NULL },
	    2, 5, "", 0, 0, 1 },
	{ { L("{" NO_RAT ",\"rating\":1}"), NULL, 0, NULL },
	    2, 1, "", 0, 0, 1 },
	{ { L("{" NO_REC ",\"recommend\":false}"), NULL, 0, NULL },
	    2, 4, "", 0, 0, 0 },
	/* null for an optional field means absent. */
	{ { L("{" ALL ",\"summary\":null,\"photos\":null,"
	    "\"characteristics\":null}"), NULL, 0, NULL }, 2, 4, "", 0, 0, 1 },
	{ { L("{" ALL ",\"summary\":\"\",\"photos\":[],"
	    "\"characteristics\":{}}"), NULL, 0, NULL }, 2, 4, "", 0, 0, 1 },
	/* Text lengths in characters. */
	{ { L("{" ALL ",\"summary\":\""), "\xc3\xa9", 60, "\"}" },
	    2, 4, NULL, 0, 0, 1 },
	{ { L("{" ALL ",\"summary\":\""), "s", 60, "\"}" },
	    2, 4, NULL, 0, 0, 1 },
	{ { L("{" NO_BODY ",\"body\":\""), "\xc3\xa9", 50, "\"}" },
	    2, 4, "", 0, 0, 1 },
	{ { L("{" NO_BODY ",\"body\":\""), "\\u00e9", 50, "\"}" },
	    2, 4, "", 0, 0, 1 },
	{ { L("{" NO_BODY ",\"body\":\""), "b", 1000, "\"}" },
	    2, 4, "", 0, 0, 1 },
	{ { L("{" NO_BODY ",\"body\":\""), "\xf0\x9f\x98\x80", 1000, "\"}" },
	    2, 4, "", 0, 0, 1 },
	{ { L("{" NO_NAME ",\"name\":\""), "n", 60, "\"}" },
	    2, 4, "", 0, 0, 1 },
	{ { L("{" NO_NAME ",\"name\":\""), "\xe2\x82\xac", 60, "\"}" },
	    2, 4, "", 0, 0, 1 },
	{ { L("{" NO_NAME ",\"name\":\"x\"}"), NULL, 0, NULL },
	    2, 4, "", 0, 0, 1 },
	{ { L("{" NO_MAIL ",\"email\":\""), "e", 55, "@b.co\"}" },
	    2, 4, "", 0, 0, 1 },
	/* "\\u0000" is an escaped backslash then text, not a NUL. */
	{ { L("{" NO_BODY ",\"body\":\"" B50 "\\\\u0000\"}"), NULL, 0, NULL },
	    2, 4, "", 0, 0, 1 },
	/* Photos: up to five, up to 2048 characters each. */
	{ { L("{" ALL ",\"photos\":[\"http://a/1\",\"http://a/2\","
	    "\"http://a/3\",\"https://a/4\",\"https://a/5\"]}"), NULL, 0,
	    NULL }, 2, 4, "", 5, 0, 1 },
	{ { L("{" ALL ",\"photos\":[\"https://x/"), "a", 2038, "\"]}" },
	    2, 4, "", 1, 0, 1 },
	/* Characteristic ratings as numbers or digit strings. */
	{ { L("{" ALL ",\"characteristics\":{\"14\":\"5\",\"15\":1.0,"
	    "\"16\":3}}"), NULL, 0, NULL }, 2, 4, "", 0, 3, 1 },
	/* Unknown fields ignored; whitespace around the document. */
	{ { L(" \n\t{" ALL ",\"x\":[1,{\"y\":null}],\"Rating\":\"bad\"}\r\n "),
	    NULL, 0, NULL }, 2, 4, "", 0, 0, 1 },
	/* Nesting well inside cJSON's limit, in an unknown field. */
	{ { L("{" ALL ",\"deep\":"), "[", 500, NULL }, 0, 0, NULL, 0, 0, -1 },
};

/* Each good body parses to 0 and gives the expected values. */
START_TEST(good_table)
{
	const struct good_row	*r;
	struct post		 p;
	const char		*field, *complaint;
	char			*buf, *deep;
	size_t			 i, len;

	row_reset();
	for (i = 0; i < NROWS(good_rows); i++) {
		r = &good_rows[i];
		buf = row_body(&r->b, &len);
		if (r->recommend == -1) {
			/* Close the nesting: n '[' then n ']' and '}'. */
			deep = realloc(buf, len + r->b.n + 2);
			ck_assert_ptr_nonnull(deep);
			buf = deep;
			memset(buf + len, ']', r->b.n);
			len += r->b.n;
			buf[len++] = '}';
			buf[len] = '\0';
		}
		field = complaint = NULL;
		if (post_parse(buf, len, &p, &field, &complaint) != 0) {
			row_fail("row %zu %s: rejected: %s %s", i,
			    show(r->b.pre, r->b.prelen),
			    field ? field : "(null)",
			    complaint ? complaint : "(null)");
			free(buf);
			continue;
		}
		free(buf);
		if (r->recommend == -1) {
			post_free(&p);
			continue;
		}
		if (p.product_id != r->product_id || p.rating != r->rating ||
		    p.recommend != r->recommend)
			row_fail("row %zu: product_id %lld rating %lld "
			    "recommend %d", i, (long long)p.product_id,
			    (long long)p.rating, p.recommend);
		else if (r->summary != NULL && (p.summary == NULL ||
		    strcmp(p.summary, r->summary) != 0))
			row_fail("row %zu: summary \"%s\", want \"%s\"", i,
			    p.summary ? p.summary : "(null)", r->summary);
		else if (p.nphotos != r->nphotos || p.nchars != r->nchars)
			row_fail("row %zu: %zu photos, %zu characteristics",
			    i, p.nphotos, p.nchars);
		post_free(&p);
	}
	ROWS_DONE();
}
END_TEST

/* Text values come through decoded: escapes, multi-byte, "\\u0000". */
START_TEST(good_text_values)
{
	static const char	 lit[] = "{" NO_BODY ","
	    "\"body\":\"" B50 " caf\\u00e9 \\\\u0000 \\\"q\\\" \\ud83d\\ude00\","
	    "\"summary\":\"\xc3\xa9t\xc3\xa9\"}";
	struct post		 p;
	const char		*field, *complaint;

	ck_assert_int_eq(parse_lit(L(lit), &p, &field, &complaint), 0);
	ck_assert_str_eq(p.body, B50 " caf\xc3\xa9 \\u0000 \"q\" "
	    "\xf0\x9f\x98\x80");
	ck_assert_str_eq(p.summary, "\xc3\xa9t\xc3\xa9");
	post_free(&p);
}
END_TEST

/* Bad bodies and the field each must name. */
struct bad_row {
	struct body	 b;
	const char	*field;
};

static const struct bad_row bad_rows[] = {
	/* Each required field missing, or null. */
	{ { L("{" NO_PID "}"), NULL, 0, NULL }, "product_id" },
	{ { L("{" NO_RAT "}"), NULL, 0, NULL }, "rating" },
	{ { L("{" NO_BODY "}"), NULL, 0, NULL }, "body" },
	{ { L("{" NO_REC "}"), NULL, 0, NULL }, "recommend" },
	{ { L("{" NO_NAME "}"), NULL, 0, NULL }, "name" },
	{ { L("{" NO_MAIL "}"), NULL, 0, NULL }, "email" },
	{ { L("{" NO_PID ",\"product_id\":null}"), NULL, 0, NULL },
	    "product_id" },
	{ { L("{" NO_REC ",\"recommend\":null}"), NULL, 0, NULL },
	    "recommend" },
	{ { L("{" NO_NAME ",\"name\":null}"), NULL, 0, NULL }, "name" },
	{ { L("{" NO_RAT ",\"Rating\":4}"), NULL, 0, NULL }, "rating" },
	{ { L("{}"), NULL, 0, NULL }, "product_id" },
	/* product_id of the wrong type or range. */
	{ { L("{" NO_PID ",\"product_id\":0}"), NULL, 0, NULL }, "product_id" },
	{ { L("{" NO_PID ",\"product_id\":-1}"), NULL, 0, NULL },
	    "product_id" },
	{ { L("{" NO_PID ",\"product_id\":1.5}"), NULL, 0, NULL },
	    "product_id" },
	{ { L("{" NO_PID ",\"product_id\":2147483648}"), NULL, 0, NULL },
	    "product_id" },
	{ { L("{" NO_PID ",\"product_id\":1e400}"), NULL, 0, NULL },
	    "product_id" },
	{ { L("{" NO_PID ",\"product_id\":\"abc\"}"), NULL, 0, NULL },
	    "product_id" },
	{ { L("{" NO_PID ",\"product_id\":\"\"}"), NULL, 0, NULL },
	    "product_id" },
	{ { L("{" NO_PID ",\"product_id\":\" 2\"}"), NULL, 0, NULL },
	    "product_id" },
	{ { L("{" NO_PID ",\"product_id\":true}"), NULL, 0, NULL },
	    "product_id" },
	{ { L("{" NO_PID ",\"product_id\":[2]}"), NULL, 0, NULL },
	    "product_id" },
	/* rating of the wrong type or range. */
	{ { L("{" NO_RAT ",\"rating\":true}"), NULL, 0, NULL }, "rating" },
	{ { L("{" NO_RAT ",\"rating\":\"x\"}"), NULL, 0, NULL }, "rating" },
	{ { L("{" NO_RAT ",\"rating\":1.5}"), NULL, 0, NULL }, "rating" },
	{ { L("{" NO_RAT ",\"rating\":6}"), NULL, 0, NULL }, "rating" },
	{ { L("{" NO_RAT ",\"rating\":0}"), NULL, 0, NULL }, "rating" },
	{ { L("{" NO_RAT ",\"rating\":-1}"), NULL, 0, NULL }, "rating" },
	{ { L("{" NO_RAT ",\"rating\":\"4.0\"}"), NULL, 0, NULL }, "rating" },
	{ { L("{" NO_RAT ",\"rating\":[4]}"), NULL, 0, NULL }, "rating" },
	{ { L("{" NO_RAT ",\"rating\":{}}"), NULL, 0, NULL }, "rating" },
	/* body: 50..1000 characters of text. */
	{ { L("{" NO_BODY ",\"body\":\""), "a", 49, "\"}" }, "body" },
	{ { L("{" NO_BODY ",\"body\":\""), "a", 1001, "\"}" }, "body" },
	{ { L("{" NO_BODY ",\"body\":\""), "\xc3\xa9", 49, "\"}" }, "body" },
	{ { L("{" NO_BODY ",\"body\":\""), "\xe2\x82\xac", 1001, "\"}" },
	    "body" },
	{ { L("{" NO_BODY ",\"body\":\"\"}"), NULL, 0, NULL }, "body" },
	{ { L("{" NO_BODY ",\"body\":123}"), NULL, 0, NULL }, "body" },
	{ { L("{" NO_BODY ",\"body\":null}"), NULL, 0, NULL }, "body" },
	{ { L("{" NO_BODY ",\"body\":[\"" B50 "\"]}"), NULL, 0, NULL },
	    "body" },
	/* recommend: a boolean, not a string or a number. */
	{ { L("{" NO_REC ",\"recommend\":\"true\"}"), NULL, 0, NULL },
	    "recommend" },
	{ { L("{" NO_REC ",\"recommend\":\"false\"}"), NULL, 0, NULL },
	    "recommend" },
	{ { L("{" NO_REC ",\"recommend\":1}"), NULL, 0, NULL }, "recommend" },
	{ { L("{" NO_REC ",\"recommend\":0}"), NULL, 0, NULL }, "recommend" },
	/* name: 1..60 characters. */
	{ { L("{" NO_NAME ",\"name\":\"\"}"), NULL, 0, NULL }, "name" },
	{ { L("{" NO_NAME ",\"name\":\""), "n", 61, "\"}" }, "name" },
	{ { L("{" NO_NAME ",\"name\":\""), "\xc3\xa9", 61, "\"}" }, "name" },
	{ { L("{" NO_NAME ",\"name\":42}"), NULL, 0, NULL }, "name" },
	{ { L("{" NO_NAME ",\"name\":false}"), NULL, 0, NULL }, "name" },
	/* name: invalid UTF-8 and NUL in every form. */
	{ { L("{" NO_NAME ",\"name\":\"ja\xff" "ck\"}"), NULL, 0, NULL },
	    "name" },
	{ { L("{" NO_NAME ",\"name\":\"ja\xc0\x80" "ck\"}"), NULL, 0, NULL },
	    "name" },
	{ { L("{" NO_NAME ",\"name\":\"ja\xed\xa0\x80" "ck\"}"), NULL, 0,
	    NULL }, "name" },
	{ { L("{" NO_NAME ",\"name\":\"ja\xf4\x90\x80\x80" "ck\"}"), NULL, 0,
	    NULL }, "name" },
	{ { L("{" NO_NAME ",\"name\":\"ja\xc3\"}"), NULL, 0, NULL }, "name" },
	{ { L("{" NO_NAME ",\"name\":\"ja\0ck\"}"), NULL, 0, NULL }, "name" },
	{ { L("{" NO_NAME ",\"name\":\"\0\"}"), NULL, 0, NULL }, "name" },
	{ { L("{" NO_NAME ",\"name\":\"ja\\u0000ck\"}"), NULL, 0, NULL },
	    "name" },
	/* email: shaped local@domain.tld, at most 60 characters. */
	{ { L("{" NO_MAIL ",\"email\":\"\"}"), NULL, 0, NULL }, "email" },
	{ { L("{" NO_MAIL ",\"email\":\"a\"}"), NULL, 0, NULL }, "email" },
	{ { L("{" NO_MAIL ",\"email\":\"a@b\"}"), NULL, 0, NULL }, "email" },
	{ { L("{" NO_MAIL ",\"email\":\"@b.co\"}"), NULL, 0, NULL }, "email" },
	{ { L("{" NO_MAIL ",\"email\":\"a@@b.co\"}"), NULL, 0, NULL },
	    "email" },
	{ { L("{" NO_MAIL ",\"email\":\"a b@c.co\"}"), NULL, 0, NULL },
	    "email" },
	{ { L("{" NO_MAIL ",\"email\":\"a\\t@b.co\"}"), NULL, 0, NULL },
	    "email" },
	{ { L("{" NO_MAIL ",\"email\":\"a@b.co\\u0000\"}"), NULL, 0, NULL },
	    "email" },
	{ { L("{" NO_MAIL ",\"email\":\"a\0@b.co\"}"), NULL, 0, NULL },
	    "email" },
	{ { L("{" NO_MAIL ",\"email\":\""), "e", 56, "@b.co\"}" }, "email" },
	{ { L("{" NO_MAIL ",\"email\":5}"), NULL, 0, NULL }, "email" },
	{ { L("{" NO_MAIL ",\"email\":[\"a@b.co\"]}"), NULL, 0, NULL },
	    "email" },
	/* photos: an array of at most five http(s) URLs. */
	{ { L("{" ALL ",\"photos\":\"http://a/1\"}"), NULL, 0, NULL },
	    "photos" },
	{ { L("{" ALL ",\"photos\":{}}"), NULL, 0, NULL }, "photos" },
	{ { L("{" ALL ",\"photos\":5}"), NULL, 0, NULL }, "photos" },
	{ { L("{" ALL ",\"photos\":[\"http://a/1\",\"http://a/2\","
	    "\"http://a/3\",\"http://a/4\",\"http://a/5\",\"http://a/6\"]}"),
	    NULL, 0, NULL }, "photos" },
	{ { L("{" ALL ",\"photos\":[\"ftp://x\"]}"), NULL, 0, NULL },
	    "photos" },
	{ { L("{" ALL ",\"photos\":[\"http://a/1\",5]}"), NULL, 0, NULL },
	    "photos" },
	{ { L("{" ALL ",\"photos\":[null]}"), NULL, 0, NULL }, "photos" },
	{ { L("{" ALL ",\"photos\":[[\"http://a/1\"]]}"), NULL, 0, NULL },
	    "photos" },
	{ { L("{" ALL ",\"photos\":[\"/r5-1.jpg\"]}"), NULL, 0, NULL },
	    "photos" },
	{ { L("{" ALL ",\"photos\":[\"http://a b/1\"]}"), NULL, 0, NULL },
	    "photos" },
	{ { L("{" ALL ",\"photos\":[\"http://a/\\u0000\"]}"), NULL, 0, NULL },
	    "photos" },
	{ { L("{" ALL ",\"photos\":[\"https://x/"), "a", 2039, "\"]}" },
	    "photos" },
	/* characteristics: an object of digit ids to ratings 1..5. */
	{ { L("{" ALL ",\"characteristics\":[]}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":[5,3]}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":\"x\"}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":5}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"abc\":5}}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"\":5}}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"0\":5}}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"-14\":5}}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"14\":6}}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"14\":0}}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"14\":1.5}}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"14\":true}}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"14\":\"x\"}}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"14\":null}}"), NULL, 0, NULL },
	    "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"14\":5,\"14\":3}}"), NULL, 0,
	    NULL }, "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"14\":5,\"014\":5}}"), NULL, 0,
	    NULL }, "characteristics" },
	{ { L("{" ALL ",\"characteristics\":{\"14\\u0000\":5}}"), NULL, 0,
	    NULL }, "characteristics" },
	/* summary: at most 60 characters of text. */
	{ { L("{" ALL ",\"summary\":\""), "s", 61, "\"}" }, "summary" },
	{ { L("{" ALL ",\"summary\":\""), "\xc3\xa9", 61, "\"}" }, "summary" },
	{ { L("{" ALL ",\"summary\":5}"), NULL, 0, NULL }, "summary" },
	{ { L("{" ALL ",\"summary\":true}"), NULL, 0, NULL }, "summary" },
	{ { L("{" ALL ",\"summary\":\"a\\u0000b\"}"), NULL, 0, NULL },
	    "summary" },
	{ { L("{" ALL ",\"summary\":\"a\xffz\"}"), NULL, 0, NULL }, "summary" },
	/* NUL in the body: the \u0000 escape, and after an escaped '\'. */
	{ { L("{" NO_BODY ",\"body\":\"" B50 "\\u0000\"}"), NULL, 0, NULL },
	    "body" },
	{ { L("{" NO_BODY ",\"body\":\"" B50 "\\\\\\u0000\"}"), NULL, 0,
	    NULL }, "body" },
	{ { L("{" NO_BODY ",\"body\":\"" B50 "\0\"}"), NULL, 0, NULL },
	    "body" },
	/* The document as a whole. */
	{ { L(""), NULL, 0, NULL }, "body" },
	{ { L("   \n"), NULL, 0, NULL }, "body" },
	{ { L("hello"), NULL, 0, NULL }, "body" },
	{ { L("{"), NULL, 0, NULL }, "body" },
	{ { L("{\"product_id\":2,"), NULL, 0, NULL }, "body" },
	{ { L("{" ALL), NULL, 0, NULL }, "body" },
	{ { L("{" ALL ",}"), NULL, 0, NULL }, "body" },
	{ { L("{" ALL "} x"), NULL, 0, NULL }, "body" },
	{ { L("{" ALL "}{}"), NULL, 0, NULL }, "body" },
	{ { L("{" ALL "},"), NULL, 0, NULL }, "body" },
	{ { L("{" ALL "}\0"), NULL, 0, NULL }, "body" },
	{ { L("{" ALL "}\0{}"), NULL, 0, NULL }, "body" },
	{ { L("{" ALL ",\0\"x\":1}"), NULL, 0, NULL }, "body" },
	{ { L("{product_id:2}"), NULL, 0, NULL }, "body" },
	{ { L("{'product_id':2}"), NULL, 0, NULL }, "body" },
	{ { L("[{" ALL "}]"), NULL, 0, NULL }, "body" },
	{ { L("[1,2]"), NULL, 0, NULL }, "body" },
	{ { L("null"), NULL, 0, NULL }, "body" },
	{ { L("42"), NULL, 0, NULL }, "body" },
	{ { L("\"" B50 "\""), NULL, 0, NULL }, "body" },
	{ { L("true"), NULL, 0, NULL }, "body" },
	/* Deep nesting, unclosed and in a field: refused, no crash. */
	{ { L(""), "[", 2000, NULL }, "body" },
	{ { L("{" ALL ",\"x\":"), "[", 2000, NULL }, "body" },
	{ { L(""), "{\"a\":", 2000, NULL }, "body" },
	{ { L(""), "[", 200000, NULL }, "body" },
};

/* Each bad body is refused, naming its field, with nothing left to free. */
START_TEST(bad_table)
{
	const struct bad_row	*r;
	struct post		 p;
	const char		*field, *complaint;
	char			*buf;
	size_t			 i, len;

	row_reset();
	for (i = 0; i < NROWS(bad_rows); i++) {
		r = &bad_rows[i];
		buf = row_body(&r->b, &len);
		field = complaint = NULL;
		if (post_parse(buf, len, &p, &field, &complaint) == 0) {
			row_fail("row %zu %s%s: accepted", i,
			    show(r->b.pre, r->b.prelen),
			    r->b.unit ? "..." : "");
			post_free(&p);
		} else if (field == NULL || strcmp(field, r->field) != 0)
			row_fail("row %zu %s%s: field %s (%s), want %s", i,
			    show(r->b.pre, r->b.prelen),
			    r->b.unit ? "..." : "", field ? field : "(null)",
			    complaint ? complaint : "(null)", r->field);
		else if (complaint == NULL)
			row_fail("row %zu: no complaint", i);
		else if (p.tree != NULL)
			row_fail("row %zu: tree left after failure", i);
		free(buf);
	}
	ROWS_DONE();
}
END_TEST

/* Closed deep nesting, as arrays and as objects: "body", no crash. */
START_TEST(bad_deep_closed)
{
	static const size_t	 depths[] = { 1001, 2000, 100000 };
	struct post		 p;
	const char		*field, *complaint;
	char			*buf;
	size_t			 i, d, len;

	for (i = 0; i < NROWS(depths); i++) {
		d = depths[i];
		len = 2 * d;
		buf = malloc(len + 1);
		ck_assert_ptr_nonnull(buf);
		memset(buf, '[', d);
		memset(buf + d, ']', d);
		buf[len] = '\0';
		field = complaint = NULL;
		ck_assert_int_eq(post_parse(buf, len, &p, &field, &complaint),
		    -1);
		ck_assert_str_eq(field, "body");
		ck_assert_ptr_nonnull(complaint);
		free(buf);
	}
}
END_TEST

/* The length passed is the length used: bytes past it are not read. */
START_TEST(length_is_explicit)
{
	static const char	 lit[] = "{" ALL "}garbage";
	struct post		 p;
	const char		*field, *complaint;

	ck_assert_int_eq(parse_lit(lit, sizeof(lit) - 1 - 7, &p, &field,
	    &complaint), 0);
	post_free(&p);
	ck_assert_int_eq(parse_lit(lit, sizeof(lit) - 1, &p, &field,
	    &complaint), -1);
	ck_assert_str_eq(field, "body");
}
END_TEST

/* post_mark_nul: raw NUL and \u0000 become 0xFF; "\\u0000" stays text. */
struct nul_row {
	const char	*in;
	size_t		 inlen;
	const char	*out;
	size_t		 outlen;
};

static const struct nul_row nul_rows[] = {
	{ L("abc"), L("abc") },
	{ L("a\0b"), L("a\xff" "b") },
	{ L("\0"), L("\xff") },
	{ L("x\\u0000y"), L("x\xffy") },
	{ L("\\u0000"), L("\xff") },
	{ L("x\\\\u0000y"), L("x\\\\u0000y") },
	{ L("\\\\\\u0000"), L("\\\\\xff") },
	{ L("\\u000"), L("\\u000") },
	{ L("\\u00000"), L("\xff" "0") },
	{ L("\\U0000"), L("\\U0000") },
	{ L("ab\\"), L("ab\\") },
	{ L("\\\"\\u0000\\\""), L("\\\"\xff\\\"") },
};

/* NUL made visible to the validators, and nothing else changed. */
START_TEST(mark_nul_table)
{
	const struct nul_row	*r;
	char			 buf[64];
	size_t			 i, n;

	row_reset();
	for (i = 0; i < NROWS(nul_rows); i++) {
		r = &nul_rows[i];
		memcpy(buf, r->in, r->inlen);
		buf[r->inlen] = 'Z';
		n = post_mark_nul(buf, r->inlen);
		if (n != r->outlen || memcmp(buf, r->out, n) != 0)
			row_fail("row %zu %s: gave %s", i,
			    show(r->in, r->inlen), show(buf, n));
		else if (buf[n] != '\0')
			row_fail("row %zu: not NUL-terminated", i);
	}
	ROWS_DONE();
}
END_TEST

/*
 * post_email (the data-subject requests' body): {"email": E}, E a posted
 * review's email; each bad body refused naming email or body.
 */
struct email_row {
	const char	*in;
	size_t		 len;
	const char	*want;		/* the address, or NULL: refused */
	const char	*field;		/* refused: the field named */
};

#define E60	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@b.co.uk"
#define E61	"a" E60

static const struct email_row email_rows[] = {
	{ L("{\"email\":\"a@b.co\"}"), "a@b.co", NULL },
	{ L("{\"email\":\"Ann.Lee@Example.COM\"}"), "Ann.Lee@Example.COM", NULL },
	{ L(" {\"x\":[1],\"email\":\"a@b.co\",\"email\":\"c@d.ef\"} "), "a@b.co",
	    NULL },
	{ L("{\"email\":\"" E60 "\"}"), E60, NULL },
	{ L("{\"email\":\"\\u00e9\\u00e9@b.co\"}"), "\xc3\xa9\xc3\xa9@b.co", NULL },
	{ L("{\"email\":\"" E61 "\"}"), NULL, "email" },
	{ L("{\"email\":\"\"}"), NULL, "email" },
	{ L("{\"email\":\"a@b\"}"), NULL, "email" },
	{ L("{\"email\":\"a b@c.de\"}"), NULL, "email" },
	{ L("{\"email\":\"a@b.co\\u0000\"}"), NULL, "email" },
	{ L("{\"email\":\"a@b.co\0\"}"), NULL, "email" },
	{ L("{\"email\":\"a@b.co\\n\"}"), NULL, "email" },
	{ L("{\"email\":\"\xff@b.co\"}"), NULL, "email" },
	{ L("{\"email\":5}"), NULL, "email" },
	{ L("{\"email\":[\"a@b.co\"]}"), NULL, "email" },
	{ L("{\"email\":{\"a\":\"a@b.co\"}}"), NULL, "email" },
	{ L("{\"email\":true}"), NULL, "email" },
	{ L("{\"email\":null}"), NULL, "email" },
	{ L("{\"Email\":\"a@b.co\"}"), NULL, "email" },
	{ L("{}"), NULL, "email" },
	{ L(""), NULL, "body" },
	{ L("{"), NULL, "body" },
	{ L("{\"email\":\"a@b.co\"} x"), NULL, "body" },
	{ L("[{\"email\":\"a@b.co\"}]"), NULL, "body" },
	{ L("\"a@b.co\""), NULL, "body" },
	{ L("null"), NULL, "body" },
};

START_TEST(email_table)
{
	const struct email_row	*r;
	const char		*field, *complaint;
	char			 email[POST_EMAIL_CAP], *buf;
	size_t			 i;
	int			 rc;

	row_reset();
	for (i = 0; i < NROWS(email_rows); i++) {
		r = &email_rows[i];
		/* A writable copy with a spare byte, as the router gives. */
		buf = malloc(r->len + 1);
		ck_assert_ptr_nonnull(buf);
		memcpy(buf, r->in, r->len);
		buf[r->len] = '\0';
		field = complaint = NULL;
		strcpy(email, "unset");
		rc = post_email(buf, r->len, email, &field, &complaint);
		if (r->want != NULL && rc != 0)
			row_fail("row %zu %s: refused: %s %s", i,
			    show(r->in, r->len), field, complaint);
		else if (r->want != NULL && strcmp(email, r->want) != 0)
			row_fail("row %zu: \"%s\", want \"%s\"", i, email,
			    r->want);
		else if (r->want == NULL && rc == 0)
			row_fail("row %zu %s: accepted as \"%s\"", i,
			    show(r->in, r->len), email);
		else if (r->want == NULL && (field == NULL || complaint == NULL ||
		    strcmp(field, r->field) != 0))
			row_fail("row %zu %s: field %s, want %s", i,
			    show(r->in, r->len), field ? field : "(null)",
			    r->field);
		free(buf);
	}
	ROWS_DONE();
}
END_TEST

/* The suite tests/check_main.c runs. */
Suite *
check_suite(void)
{
	Suite	*s = suite_create("post");
	TCase	*tc;

	tc = tcase_create("good");
	tcase_add_test(tc, good_full);
	tcase_add_test(tc, good_minimal);
	tcase_add_test(tc, good_table);
	tcase_add_test(tc, good_text_values);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_add_test(tc, bad_table);
	tcase_add_test(tc, bad_deep_closed);
	tcase_add_test(tc, length_is_explicit);
	suite_add_tcase(s, tc);

	tc = tcase_create("nul");
	tcase_add_test(tc, mark_nul_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("email");
	tcase_add_test(tc, email_table);
	suite_add_tcase(s, tc);
	return s;
}
