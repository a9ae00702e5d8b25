/*
 * POST /reviews bodies: every field's rule, a table of bad bodies each
 * naming its field, and the NUL handling.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "post.h"

#define BODY50	"This body has exactly enough characters to pass: 50"
#define GOOD_HEAD "{\"product_id\":2,\"rating\":4,\"summary\":\"Nice\"," \
	"\"body\":\"" BODY50 "\",\"recommend\":true,\"name\":\"zed\"," \
	"\"email\":\"zed@example.com\""

static char	 buf[200000];

/* Parse a copy of text (len bytes); post_parse writes into its buffer. */
static int
parse(const char *text, size_t len, struct post *p, const char **field,
    const char **complaint)
{
	memcpy(buf, text, len);
	buf[len] = '\0';
	return post_parse(buf, len, p, field, complaint);
}

/* A complete body: every field lands in the struct. */
START_TEST(test_post_good)
{
	static const char body[] = GOOD_HEAD ",\"photos\":[\"https://a.example/1.jpg\","
	    "\"http://a.example/2.jpg\"],\"characteristics\":{\"14\":5,\"15\":\"3\"}}";
	struct post	 p;
	const char	*field, *complaint;

	ck_assert_int_eq(parse(body, sizeof(body) - 1, &p, &field, &complaint), 0);
	ck_assert_int_eq(p.product_id, 2);
	ck_assert_int_eq(p.rating, 4);
	ck_assert_str_eq(p.summary, "Nice");
	ck_assert_str_eq(p.body, BODY50);
	ck_assert_int_eq(p.recommend, 1);
	ck_assert_str_eq(p.name, "zed");
	ck_assert_str_eq(p.email, "zed@example.com");
	ck_assert_uint_eq(p.nphotos, 2);
	ck_assert_str_eq(p.photos[1], "http://a.example/2.jpg");
	ck_assert_uint_eq(p.nchars, 2);
	ck_assert_int_eq(p.char_ids[0], 14);
	ck_assert_int_eq(p.char_values[0], 5);
	ck_assert_int_eq(p.char_ids[1], 15);
	ck_assert_int_eq(p.char_values[1], 3);
	post_free(&p);
}
END_TEST

/* Digit strings, 5.0, absent summary, nulls for optional fields. */
START_TEST(test_post_variants)
{
	static const char body[] = "{\"product_id\":\"2\",\"rating\":5.0,"
	    "\"body\":\"" BODY50 "\",\"recommend\":false,\"name\":\"z\","
	    "\"email\":\"z@e.co\",\"summary\":null,\"photos\":null,"
	    "\"characteristics\":null,\"extra\":[1,{}]}";
	struct post	 p;
	const char	*field, *complaint;

	ck_assert_int_eq(parse(body, sizeof(body) - 1, &p, &field, &complaint), 0);
	ck_assert_int_eq(p.product_id, 2);
	ck_assert_int_eq(p.rating, 5);
	ck_assert_str_eq(p.summary, "");
	ck_assert_int_eq(p.recommend, 0);
	ck_assert_uint_eq(p.nphotos, 0);
	ck_assert_uint_eq(p.nchars, 0);
	post_free(&p);
}
END_TEST

/* A good body with one field replaced (bad_body), and the field to blame. */
struct bad_row {
	const char	*spec;	/* "key=value", or "key=" to leave it out */
	const char	*field;
};

static const struct bad_row bad_rows[] = {
	{ "product_id=", "product_id" },
	{ "product_id=0", "product_id" },
	{ "product_id=-3", "product_id" },
	{ "product_id=2147483648", "product_id" },
	{ "product_id=1.5", "product_id" },
	{ "product_id=\"12a\"", "product_id" },
	{ "product_id=true", "product_id" },
	{ "rating=", "rating" },
	{ "rating=0", "rating" },
	{ "rating=6", "rating" },
	{ "rating=4.5", "rating" },
	{ "rating=\"five\"", "rating" },
	{ "rating=true", "rating" },
	{ "rating=null", "rating" },
	{ "summary=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", "summary" },
	{ "summary=5", "summary" },
	{ "body=", "body" },
	{ "body=\"too short\"", "body" },
	{ "body=12345", "body" },
	{ "recommend=", "recommend" },
	{ "recommend=\"true\"", "recommend" },
	{ "recommend=1", "recommend" },
	{ "name=", "name" },
	{ "name=\"\"", "name" },
	{ "name={}", "name" },
	{ "email=", "email" },
	{ "email=\"zed\"", "email" },
	{ "email=\"zed@example\"", "email" },
	{ "email=\"a@b@c.co\"", "email" },
	{ "photos=\"https://a.example/1.jpg\"", "photos" },
	{ "photos=[\"ftp://a.example/1.jpg\"]", "photos" },
	{ "photos=[1]", "photos" },
	{ "photos=[\"http://a.b/1\",\"http://a.b/2\",\"http://a.b/3\",\"http://a.b/4\",\"http://a.b/5\",\"http://a.b/6\"]", "photos" },
	{ "characteristics=[5]", "characteristics" },
	{ "characteristics={\"abc\":5}", "characteristics" },
	{ "characteristics={\"14\":6}", "characteristics" },
	{ "characteristics={\"14\":0}", "characteristics" },
	{ "characteristics={\"14\":\"x\"}", "characteristics" },
	{ "characteristics={\"14\":4,\"14\":5}", "characteristics" },
	{ "characteristics={\"0\":4}", "characteristics" },
	{ "name=\"z\\u0000d\"", "name" },
	{ "body=\"" BODY50 "\\u0000\"", "body" },
	{ "name=\"\xff\"", "name" },
	{ "name=\"\xc0\x80\"", "name" },
};

/*
 * Build a good body with one field replaced: "key=value" sets it, "key="
 * leaves it out.
 */
static size_t
bad_body(const char *spec, char *out, size_t cap)
{
	static const char *const keys[] = { "product_id", "rating", "summary",
	    "body", "recommend", "name", "email", "photos", "characteristics" };
	static const char *const vals[] = { "2", "4", "\"Nice\"", "\"" BODY50 "\"",
	    "true", "\"zed\"", "\"zed@example.com\"", "[]", "{}" };
	const char	*eq = strchr(spec, '=');
	size_t		 klen = (size_t)(eq - spec), i, n = 0;

	n += (size_t)snprintf(out + n, cap - n, "{");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = vals[i];

		if (strlen(keys[i]) == klen && strncmp(keys[i], spec, klen) == 0) {
			if (eq[1] == '\0')
				continue;
			v = eq + 1;
		}
		n += (size_t)snprintf(out + n, cap - n, "%s\"%s\":%s",
		    n > 1 ? "," : "", keys[i], v);
	}
	n += (size_t)snprintf(out + n, cap - n, "}");
	return n;
}

/* Each bad body is refused, naming its field. */
START_TEST(test_post_bad)
{
	char		 body[4096];
	size_t		 len = bad_body(bad_rows[_i].spec, body, sizeof(body));
	struct post	 p;
	const char	*field = NULL, *complaint = NULL;

	ck_assert_msg(parse(body, len, &p, &field, &complaint) == -1,
	    "accepted: %s", body);
	ck_assert_msg(strcmp(field, bad_rows[_i].field) == 0,
	    "%s: field %s (%s), want %s", body, field, complaint,
	    bad_rows[_i].field);
	ck_assert_ptr_nonnull(complaint);
}
END_TEST

/* The table's builder itself makes a good body when nothing is replaced. */
START_TEST(test_post_builder_good)
{
	char		 body[4096];
	size_t		 len = bad_body("unused=", body, sizeof(body));
	struct post	 p;
	const char	*field, *complaint;

	ck_assert_int_eq(parse(body, len, &p, &field, &complaint), 0);
	post_free(&p);
}
END_TEST

static const char *const bad_docs[] = {
	"",
	"not json",
	"{\"product_id\":",
	"[1,2]",
	"\"text\"",
	"null",
	GOOD_HEAD "} trailing",
	GOOD_HEAD "}}",
};

/* Bodies that are not one JSON object: field "body". */
START_TEST(test_post_bad_document)
{
	struct post	 p;
	const char	*field, *complaint;

	ck_assert_int_eq(parse(bad_docs[_i], strlen(bad_docs[_i]), &p, &field,
	    &complaint), -1);
	ck_assert_str_eq(field, "body");
}
END_TEST

/* Deep nesting is refused, not a crash. */
START_TEST(test_post_deep)
{
	struct post	 p;
	const char	*field, *complaint;
	char		*deep = malloc(100001);

	memset(deep, '[', 100000);
	deep[100000] = '\0';
	ck_assert_int_eq(parse(deep, 100000, &p, &field, &complaint), -1);
	ck_assert_str_eq(field, "body");
	free(deep);
}
END_TEST

/* A raw NUL byte inside a string names the field, not a cut-off value. */
START_TEST(test_post_raw_nul)
{
	static const char body[] = "{\"product_id\":2,\"rating\":4,"
	    "\"body\":\"" BODY50 "\",\"recommend\":true,\"name\":\"z\0d\","
	    "\"email\":\"zed@example.com\"}";
	struct post	 p;
	const char	*field, *complaint;

	ck_assert_int_eq(parse(body, sizeof(body) - 1, &p, &field, &complaint), -1);
	ck_assert_str_eq(field, "name");
}
END_TEST

/* An escaped backslash before u0000 is text, not a NUL escape. */
START_TEST(test_post_escaped_backslash)
{
	static const char body[] = "{\"product_id\":2,\"rating\":4,"
	    "\"body\":\"" BODY50 " \\\\u0000\",\"recommend\":true,\"name\":\"z\","
	    "\"email\":\"zed@example.com\"}";
	struct post	 p;
	const char	*field, *complaint;

	ck_assert_int_eq(parse(body, sizeof(body) - 1, &p, &field, &complaint), 0);
	ck_assert_str_eq(p.body, BODY50 " \\u0000");
	post_free(&p);
}
END_TEST

/* Lengths count characters: 50 two-byte characters make a body. */
START_TEST(test_post_multibyte)
{
	char		 body[1024];
	struct post	 p;
	const char	*field, *complaint;
	int		 i, n;

	n = snprintf(body, sizeof(body), "{\"product_id\":2,\"rating\":4,"
	    "\"recommend\":true,\"name\":\"z\",\"email\":\"z@e.co\",\"body\":\"");
	for (i = 0; i < 50; i++)
		n += snprintf(body + n, sizeof(body) - (size_t)n, "\xc3\xa9");
	n += snprintf(body + n, sizeof(body) - (size_t)n, "\"}");
	ck_assert_int_eq(parse(body, (size_t)n, &p, &field, &complaint), 0);
	post_free(&p);
}
END_TEST

/* post_mark_nul: NUL and \u0000 become 0xFF, "\\u0000" stays. */
START_TEST(test_post_mark_nul)
{
	char	 b[32];
	size_t	 n;

	memcpy(b, "a\0b\\u0000c\\\\u0000", 17);
	n = post_mark_nul(b, 17);
	ck_assert_uint_eq(n, 12);
	ck_assert_int_eq(memcmp(b, "a\xff" "b\xff" "c\\\\u0000", 12), 0);
}
END_TEST

static Suite *
post_suite(void)
{
	Suite	*s = suite_create("post");
	TCase	*tc = tcase_create("body");

	tcase_add_test(tc, test_post_good);
	tcase_add_test(tc, test_post_variants);
	tcase_add_test(tc, test_post_builder_good);
	tcase_add_loop_test(tc, test_post_bad, 0,
	    (int)(sizeof(bad_rows) / sizeof(bad_rows[0])));
	tcase_add_loop_test(tc, test_post_bad_document, 0,
	    (int)(sizeof(bad_docs) / sizeof(bad_docs[0])));
	tcase_add_test(tc, test_post_deep);
	tcase_add_test(tc, test_post_raw_nul);
	tcase_add_test(tc, test_post_escaped_backslash);
	tcase_add_test(tc, test_post_multibyte);
	tcase_add_test(tc, test_post_mark_nul);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(post_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
