/*
 * The moderation bodies (modbody.c): a report's reason and note (API.md
 * Part 2, "Reporting with a reason") and a merchant's response.  Every
 * good body gives exactly its values; every bad one is refused naming its
 * field ("body" for the document), with nothing left to free; NUL bytes
 * in any form and invalid UTF-8 are refused by name; lengths count
 * characters.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "modbody.h"
#include "rows.h"

#define NROWS(a)	(sizeof(a) / sizeof((a)[0]))


/* A printable, shortened copy of a body for messages. */
static const char *
show(const struct body *b)
{
	static char	 buf[2][100];
	static int	 which;
	char		*out = buf[which++ % 2];
	size_t		 i, o = 0;

	for (i = 0; i < b->prelen && o + 8 < sizeof(buf[0]); i++) {
		unsigned char c = (unsigned char)b->pre[i];

		if (c >= 0x20 && c < 0x7f)
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, sizeof(buf[0]) - o,
			    "\\x%02x", c);
	}
	if (b->unit != NULL)
		o += (size_t)snprintf(out + o, sizeof(buf[0]) - o, "...");
	out[o] = '\0';
	return out;
}

typedef int (*parser)(char *, size_t, struct modbody *, const char **,
    const char **);

/* A good body and the values it must give (NULL: absent). */
struct good_row {
	parser		 parse;
	struct body	 b;
	const char	*reason, *note, *response;
	size_t		 notelen;	/* bytes, when note is built */
};

#define R	modbody_report
#define P	modbody_response

/* 500 and 1000 characters: 2-byte é, 4-byte 😀 and plain letters. */
static const struct good_row good_rows[] = {
	/* No body at all: Part 1's report, reason other. */
	{ R, { L(""), NULL, 0, NULL }, "other", NULL, NULL, 0 },
	{ R, { L("{}"), NULL, 0, NULL }, "other", NULL, NULL, 0 },
	{ R, { L(" {\"unknown\":[1,{}]} \n"), NULL, 0, NULL }, "other", NULL,
	    NULL, 0 },
	{ R, { L("{\"reason\":null,\"note\":null}"), NULL, 0, NULL }, "other",
	    NULL, NULL, 0 },
	{ R, { L("{\"reason\":\"spam\"}"), NULL, 0, NULL }, "spam", NULL,
	    NULL, 0 },
	{ R, { L("{\"reason\":\"offensive\"}"), NULL, 0, NULL }, "offensive",
	    NULL, NULL, 0 },
	{ R, { L("{\"reason\":\"off_topic\"}"), NULL, 0, NULL }, "off_topic",
	    NULL, NULL, 0 },
	{ R, { L("{\"reason\":\"fake\"}"), NULL, 0, NULL }, "fake", NULL,
	    NULL, 0 },
	{ R, { L("{\"reason\":\"privacy\"}"), NULL, 0, NULL }, "privacy",
	    NULL, NULL, 0 },
	{ R, { L("{\"reason\":\"other\",\"note\":\"\"}"), NULL, 0, NULL },
	    "other", "", NULL, 0 },
	{ R, { L("{\"note\":\"Caf\\u00e9 \\\"x\\\" \xe2\x9c\x93\"}"), NULL, 0,
	    NULL }, "other", "Caf\xc3\xa9 \"x\" \xe2\x9c\x93", NULL, 0 },
	/* The first of duplicated keys counts; other keys' case is theirs. */
	{ R, { L("{\"reason\":\"fake\",\"reason\":\"spam\",\"Reason\":1}"),
	    NULL, 0, NULL }, "fake", NULL, NULL, 0 },
	{ R, { L("{\"reason\":\"spam\",\"note\":\""), "\xc3\xa9", 500, "\"}" },
	    "spam", NULL, NULL, 1000 },
	{ R, { L("{\"note\":\""), "\xf0\x9f\x98\x80", 500, "\"}" }, "other",
	    NULL, NULL, 2000 },
	{ P, { L("{\"response\":null}"), NULL, 0, NULL }, NULL, NULL, NULL, 0 },
	{ P, { L("{\"response\":\"Thanks!\",\"x\":1}"), NULL, 0, NULL }, NULL,
	    NULL, "Thanks!", 0 },
	{ P, { L("{\"response\":\"a\"}"), NULL, 0, NULL }, NULL, NULL, "a", 0 },
	{ P, { L("{\"response\":\"\\u00e9\\n\"}"), NULL, 0, NULL }, NULL, NULL,
	    "\xc3\xa9\n", 0 },
	{ P, { L("{\"response\":\""), "\xc3\xa9", 1000, "\"}" }, NULL, NULL,
	    NULL, 2000 },
};

/* Each good body parses to exactly its values. */
START_TEST(good_table)
{
	const struct good_row	*r;
	struct modbody		 m;
	const char		*field, *complaint, *text, *want;
	char			*buf;
	size_t			 i, len;
	int			 same;

	row_reset();
	for (i = 0; i < NROWS(good_rows); i++) {
		r = &good_rows[i];
		buf = row_body(&r->b, &len);
		field = complaint = NULL;
		if (r->parse(buf, len, &m, &field, &complaint) != 0) {
			row_fail("row %zu %s: refused, %s %s", i, show(&r->b),
			    field ? field : "(null)",
			    complaint ? complaint : "(null)");
			free(buf);
			continue;
		}
		text = r->parse == R ? m.note : m.response;
		want = r->parse == R ? r->note : r->response;
		if (r->notelen > 0)
			same = text != NULL && strlen(text) == r->notelen;
		else if (want == NULL)
			same = text == NULL;
		else
			same = text != NULL && strcmp(text, want) == 0;
		if (r->parse == R && (m.reason == NULL ||
		    strcmp(m.reason, r->reason) != 0))
			row_fail("row %zu %s: reason %s, want %s", i,
			    show(&r->b), m.reason ? m.reason : "(null)",
			    r->reason);
		else if (r->parse == P && (m.note != NULL || m.reason != NULL))
			row_fail("row %zu: a response with a reason or note", i);
		else if (r->parse == R && m.response != NULL)
			row_fail("row %zu: a report with a response", i);
		else if (!same)
			row_fail("row %zu %s: text %s", i, show(&r->b),
			    text ? text : "(null)");
		modbody_free(&m);
		if (m.tree != NULL)
			row_fail("row %zu: modbody_free left the tree", i);
		free(buf);
	}
	ROWS_DONE();
}
END_TEST

/* A bad body and the field it must name. */
struct bad_row {
	parser		 parse;
	struct body	 b;
	const char	*field;
};

static const struct bad_row bad_rows[] = {
	/* reason: one of six words, exactly. */
	{ R, { L("{\"reason\":\"SPAM\"}"), NULL, 0, NULL }, "reason" },
	{ R, { L("{\"reason\":\"Spam\"}"), NULL, 0, NULL }, "reason" },
	{ R, { L("{\"reason\":\"spam \"}"), NULL, 0, NULL }, "reason" },
	{ R, { L("{\"reason\":\"\"}"), NULL, 0, NULL }, "reason" },
	{ R, { L("{\"reason\":\"off-topic\"}"), NULL, 0, NULL }, "reason" },
	{ R, { L("{\"reason\":\"rude\"}"), NULL, 0, NULL }, "reason" },
	{ R, { L("{\"reason\":\"spam\\u0000\"}"), NULL, 0, NULL }, "reason" },
	{ R, { L("{\"reason\":\"spam\0\"}"), NULL, 0, NULL }, "reason" },
	{ R, { L("{\"reason\":1}"), NULL, 0, NULL }, "reason" },
	{ R, { L("{\"reason\":true}"), NULL, 0, NULL }, "reason" },
	{ R, { L("{\"reason\":[\"spam\"]}"), NULL, 0, NULL }, "reason" },
	{ R, { L("{\"reason\":{\"spam\":1}}"), NULL, 0, NULL }, "reason" },
	/* The reason is judged before the note. */
	{ R, { L("{\"note\":5,\"reason\":\"x\"}"), NULL, 0, NULL }, "reason" },
	/* note: at most 500 characters of text. */
	{ R, { L("{\"note\":\""), "n", 501, "\"}" }, "note" },
	{ R, { L("{\"note\":\""), "\xc3\xa9", 501, "\"}" }, "note" },
	{ R, { L("{\"note\":5}"), NULL, 0, NULL }, "note" },
	{ R, { L("{\"note\":false}"), NULL, 0, NULL }, "note" },
	{ R, { L("{\"note\":[\"x\"]}"), NULL, 0, NULL }, "note" },
	{ R, { L("{\"note\":\"a\\u0000b\"}"), NULL, 0, NULL }, "note" },
	{ R, { L("{\"note\":\"a\0b\"}"), NULL, 0, NULL }, "note" },
	{ R, { L("{\"note\":\"a\xff\"}"), NULL, 0, NULL }, "note" },
	{ R, { L("{\"note\":\"\xed\xa0\x80\"}"), NULL, 0, NULL }, "note" },
	/* A lone surrogate escape is no JSON at all (cJSON), as in POST. */
	{ R, { L("{\"note\":\"\\ud800\"}"), NULL, 0, NULL }, "body" },
	/* The document. */
	{ R, { L(" "), NULL, 0, NULL }, "body" },
	{ R, { L("reason=spam"), NULL, 0, NULL }, "body" },
	{ R, { L("{\"reason\":\"spam\""), NULL, 0, NULL }, "body" },
	{ R, { L("{\"reason\":\"spam\"} x"), NULL, 0, NULL }, "body" },
	{ R, { L("{\"reason\":\"spam\"}\0"), NULL, 0, NULL }, "body" },
	{ R, { L("[\"spam\"]"), NULL, 0, NULL }, "body" },
	{ R, { L("\"spam\""), NULL, 0, NULL }, "body" },
	{ R, { L("null"), NULL, 0, NULL }, "body" },
	{ R, { L(""), "[", 5000, NULL }, "body" },
	/* response: required, 1..1000 characters or null. */
	{ P, { L("{}"), NULL, 0, NULL }, "response" },
	{ P, { L("{\"Response\":\"x\"}"), NULL, 0, NULL }, "response" },
	{ P, { L("{\"response\":\"\"}"), NULL, 0, NULL }, "response" },
	{ P, { L("{\"response\":\""), "r", 1001, "\"}" }, "response" },
	{ P, { L("{\"response\":\""), "\xf0\x9f\x98\x80", 1001, "\"}" },
	    "response" },
	{ P, { L("{\"response\":5}"), NULL, 0, NULL }, "response" },
	{ P, { L("{\"response\":true}"), NULL, 0, NULL }, "response" },
	{ P, { L("{\"response\":[\"x\"]}"), NULL, 0, NULL }, "response" },
	{ P, { L("{\"response\":{}}"), NULL, 0, NULL }, "response" },
	{ P, { L("{\"response\":\"a\\u0000\"}"), NULL, 0, NULL }, "response" },
	{ P, { L("{\"response\":\"a\0\"}"), NULL, 0, NULL }, "response" },
	{ P, { L("{\"response\":\"\xc3\"}"), NULL, 0, NULL }, "response" },
	{ P, { L(""), NULL, 0, NULL }, "body" },
	{ P, { L("{\"response\":"), NULL, 0, NULL }, "body" },
	{ P, { L("{\"response\":\"x\",}"), NULL, 0, NULL }, "body" },
	{ P, { L("[{\"response\":\"x\"}]"), NULL, 0, NULL }, "body" },
	{ P, { L("\"x\""), NULL, 0, NULL }, "body" },
	{ P, { L(""), "{\"a\":", 5000, NULL }, "body" },
};

/* Each bad body is refused, naming its field, with nothing to free. */
START_TEST(bad_table)
{
	const struct bad_row	*r;
	struct modbody		 m;
	const char		*field, *complaint;
	char			*buf;
	size_t			 i, len;

	row_reset();
	for (i = 0; i < NROWS(bad_rows); i++) {
		r = &bad_rows[i];
		buf = row_body(&r->b, &len);
		field = complaint = NULL;
		if (r->parse(buf, len, &m, &field, &complaint) == 0) {
			row_fail("row %zu %s: accepted", i, show(&r->b));
			modbody_free(&m);
		} else if (field == NULL || strcmp(field, r->field) != 0)
			row_fail("row %zu %s: field %s (%s), want %s", i,
			    show(&r->b), field ? field : "(null)",
			    complaint ? complaint : "(null)", r->field);
		else if (complaint == NULL || *complaint == '\0')
			row_fail("row %zu: no complaint", i);
		else if (m.tree != NULL)
			row_fail("row %zu: tree left after failure", i);
		free(buf);
	}
	ROWS_DONE();
}
END_TEST

/* What the messages say: the rule, quoting its limit. */
START_TEST(complaints)
{
	char		 buf[64];
	struct modbody	 m;
	const char	*field, *complaint;

	strcpy(buf, "{\"reason\":\"x\"}");
	ck_assert_int_eq(modbody_report(buf, strlen(buf), &m, &field,
	    &complaint), -1);
	ck_assert_str_eq(complaint, "must be one of spam, offensive, "
	    "off_topic, fake, privacy, other");
	strcpy(buf, "{\"response\":\"\"}");
	ck_assert_int_eq(modbody_response(buf, strlen(buf), &m, &field,
	    &complaint), -1);
	ck_assert_str_eq(complaint, "must be between 1 and 1000 characters, "
	    "or null to clear it");
	strcpy(buf, "{\"response\":1}");
	ck_assert_int_eq(modbody_response(buf, strlen(buf), &m, &field,
	    &complaint), -1);
	ck_assert_str_eq(complaint, "must be between 1 and 1000 characters, "
	    "or null to clear it");
	strcpy(buf, "{\"note\":1}");
	ck_assert_int_eq(modbody_report(buf, strlen(buf), &m, &field,
	    &complaint), -1);
	ck_assert_str_eq(field, "note");
	ck_assert_str_eq(complaint, "must be a string");
}
END_TEST

/*
 * The length is explicit: bytes past it are not the body.  A report of
 * no bytes is Part 1's even when the buffer holds more.
 */
START_TEST(length_is_explicit)
{
	char		 buf[] = "{\"reason\":\"spam\"}{\"reason\":\"x\"}";
	char		 nothing[] = "{\"reason\":\"x\"}";
	struct modbody	 m;
	const char	*field, *complaint;

	ck_assert_int_eq(modbody_report(buf, 17, &m, &field, &complaint), 0);
	ck_assert_str_eq(m.reason, "spam");
	modbody_free(&m);
	ck_assert_int_eq(modbody_report(nothing, 0, &m, &field, &complaint),
	    0);
	ck_assert_str_eq(m.reason, "other");
	ck_assert_ptr_null(m.note);
	ck_assert_ptr_null(m.tree);
	modbody_free(&m);
}
END_TEST

Suite *
check_suite(void)
{
	Suite	*s = suite_create("modbody");
	TCase	*tc;

	tc = tcase_create("good");
	tcase_add_test(tc, good_table);
	suite_add_tcase(s, tc);
	tc = tcase_create("bad");
	tcase_add_test(tc, bad_table);
	tcase_add_test(tc, complaints);
	tcase_add_test(tc, length_is_explicit);
	suite_add_tcase(s, tc);
	return s;
}
