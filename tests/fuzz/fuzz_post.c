/*
 * libFuzzer harness for POST /reviews bodies (post.c) and the validators
 * under them (valid.c); and the same bytes as a data-subject request's
 * {"email": E} (post_email).
 *
 * The input is a request body: it is copied into a malloc'd buffer of
 * size + 1 bytes (post_parse rewrites it in place and may write the byte
 * after it) and parsed.  When post_parse accepts it, every field of the
 * struct post is checked against API.md's table with checks written here,
 * not borrowed from valid.c: integers in range, text valid UTF-8 within
 * its character bounds, an email and photo URLs of the right shape, at
 * most 5 photos, characteristic ids distinct.  The same bytes, as a C
 * string, also go straight to utf8_check, valid_email and valid_url, whose
 * answers must equal the reference checks.  Any disagreement, or anything
 * ASan/UBSan/LeakSanitizer sees, aborts.
 *
 * Built and run by tests/fuzz/run, never by make.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "post.h"
#include "utf8.h"
#include "valid.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fail(const char *what, const char *value)
{
	fprintf(stderr, "fuzz_post: %s (\"%s\")\n", what, value ? value : "");
	abort();
}

/*
 * Reference UTF-8 check (RFC 3629): decode each sequence to its code point
 * and refuse overlong forms, surrogates, anything past U+10FFFF and stray
 * or missing continuation bytes.  A C string holds no NUL by construction.
 * Returns the number of characters, or -1.
 */
static long
ref_utf8(const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	long			 n = 0;
	uint32_t		 cp, min;
	int			 len, i;

	while (*s != '\0') {
		if (*s < 0x80)
			len = 1, cp = *s, min = 0;
		else if ((*s & 0xe0) == 0xc0)
			len = 2, cp = *s & 0x1fu, min = 0x80;
		else if ((*s & 0xf0) == 0xe0)
			len = 3, cp = *s & 0x0fu, min = 0x800;
		else if ((*s & 0xf8) == 0xf0)
			len = 4, cp = *s & 0x07u, min = 0x10000;
		else
			return -1;
		for (i = 1; i < len; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (s[i] & 0x3fu);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		s += len;
		n++;
	}
	return n;
}

/* No byte at or below space, no DEL: the rule for emails and URLs. */
static int
ref_no_space(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s == 0x7f)
			return 0;
	return 1;
}

/*
 * Reference email rule (valid.c's comment, API.md's table): 1..60
 * characters, valid UTF-8, no space or control character, exactly one @
 * after a non-empty local part, and a domain holding a dot that neither
 * starts nor ends it.
 */
static int
ref_email(const char *s)
{
	const char	*at = NULL, *p;
	size_t		 dlen;
	long		 n = ref_utf8(s);
	int		 ats = 0, dots = 0;

	if (n < 1 || n > 60 || !ref_no_space(s))
		return 0;
	for (p = s; *p != '\0'; p++)
		if (*p == '@') {
			ats++;
			at = p;
		}
	if (ats != 1 || at == s)
		return 0;
	dlen = strlen(at + 1);
	for (p = at + 1; *p != '\0'; p++)
		dots += *p == '.';
	return dots > 0 && at[1] != '.' && at[dlen] != '.';
}

/*
 * Reference photo URL rule: valid UTF-8 of at most 2048 characters,
 * "http://" or "https://", a host (something before any / ? #), no space
 * or control character.
 */
static int
ref_url(const char *s)
{
	const char	*h;
	long		 n = ref_utf8(s);

	if (n < 0 || n > 2048 || !ref_no_space(s))
		return 0;
	if (strncmp(s, "http://", 7) == 0)
		h = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		h = s + 8;
	else
		return 0;
	return *h != '\0' && strchr("/?#", *h) == NULL;
}

/* Text of minc..maxc characters, or abort naming the field. */
static void
check_text(const char *field, const char *s, long minc, long maxc)
{
	long	 n;

	if (s == NULL)
		fail("accepted body left a text field NULL", field);
	if ((n = ref_utf8(s)) < 0)
		fail("accepted text that is not valid UTF-8", field);
	if (n < minc || n > maxc)
		fail("accepted text of the wrong length", field);
}

/* Every field of an accepted body, against API.md's table. */
static void
check_post(const struct post *p)
{
	size_t	 i, j;

	if (p->tree == NULL)
		fail("accepted body without a tree", NULL);
	if (p->product_id < 1 || p->product_id > 2147483647)
		fail("product_id out of range", NULL);
	if (p->rating < 1 || p->rating > 5)
		fail("rating out of range", NULL);
	if (p->recommend != 0 && p->recommend != 1)
		fail("recommend is not a boolean", NULL);
	check_text("summary", p->summary, 0, 60);
	check_text("body", p->body, 50, 1000);
	check_text("name", p->name, 1, 60);
	if (p->email == NULL || !ref_email(p->email))
		fail("accepted a bad email", p->email);
	if (p->nphotos > 5)
		fail("more than 5 photos", NULL);
	for (i = 0; i < p->nphotos; i++)
		if (p->photos[i] == NULL || !ref_url(p->photos[i]))
			fail("accepted a bad photo URL", p->photos[i]);
	if (p->nchars > POST_CHARS_MAX)
		fail("too many characteristics", NULL);
	for (i = 0; i < p->nchars; i++) {
		if (p->char_ids[i] < 1 || p->char_ids[i] > 2147483647)
			fail("characteristic id out of range", NULL);
		if (p->char_values[i] < 1 || p->char_values[i] > 5)
			fail("characteristic value out of range", NULL);
		for (j = 0; j < i; j++)
			if (p->char_ids[j] == p->char_ids[i])
				fail("characteristic id twice", NULL);
	}
}

/* Whether an error names the document or a field of API.md's table. */
static int
known_field(const char *field)
{
	static const char *const names[] = { "body", "product_id", "rating",
	    "summary", "recommend", "name", "email", "photos",
	    "characteristics" };
	size_t	 i;

	for (i = 0; field != NULL && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(field, names[i]) == 0)
			return 1;
	return 0;
}

/* The validators alone, on the input as one C string. */
static void
check_validators(const uint8_t *data, size_t size)
{
	char	*s;
	size_t	 n = (size_t)-1, len;
	long	 rn;
	int	 ok;

	len = strnlen((const char *)data, size);
	if ((s = malloc(len + 1)) == NULL)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	ok = utf8_check(s, &n);
	rn = ref_utf8(s);
	if (ok != (rn >= 0) || (ok && n != (size_t)rn))
		fail("utf8_check differs from the reference", s);
	if ((valid_email(s) == NULL) != ref_email(s))
		fail("valid_email differs from the reference", s);
	if ((valid_url(s) == NULL) != ref_url(s))
		fail("valid_url differs from the reference", s);
	free(s);
}

/*
 * The same bytes as a data-subject request's body (post_email): an
 * accepted one gives an address of the reference shape that fits its
 * buffer; a refused one names body or email.
 */
static void
check_email_body(const uint8_t *data, size_t size)
{
	const char	*field = NULL, *complaint = NULL;
	char		 email[POST_EMAIL_CAP], *buf;
	int		 rc;

	if ((buf = malloc(size + 1)) == NULL)
		abort();
	memcpy(buf, data, size);
	buf[size] = 'x';
	memset(email, 'z', sizeof(email));
	rc = post_email(buf, size, email, &field, &complaint);
	free(buf);
	if (rc == 0) {
		if (memchr(email, '\0', sizeof(email)) == NULL)
			fail("an accepted address fills its buffer", NULL);
		if (!ref_email(email))
			fail("post_email accepted a bad address", email);
	} else if (rc != -1 || complaint == NULL || *complaint == '\0' ||
	    field == NULL || (strcmp(field, "body") != 0 &&
	    strcmp(field, "email") != 0))
		fail("post_email refused naming neither body nor email", field);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct post	 p;
	const char	*field = NULL, *complaint = NULL;
	char		*buf;
	int		 rc;

	if (size > 64 * 1024)	/* HTTP_BODY_MAX: bigger is a 413 */
		return 0;
	/* size + 1 bytes, as the worker reads it; the extra byte is junk. */
	if ((buf = malloc(size + 1)) == NULL)
		abort();
	memcpy(buf, data, size);
	buf[size] = 'x';
	rc = post_parse(buf, size, &p, &field, &complaint);
	/* The strings must live in the tree, not in buf: ASan sees a use
	 * after free if any does. */
	free(buf);
	if (rc == 0) {
		check_post(&p);
		post_free(&p);
		if (p.tree != NULL)
			fail("post_free left the tree", NULL);
	} else {
		if (rc != -1 || complaint == NULL || *complaint == '\0')
			fail("refused without a complaint", field);
		if (!known_field(field))
			fail("refused naming no field of the table", field);
		if (p.tree != NULL)
			fail("refused body left a tree", field);
	}
	check_email_body(data, size);
	check_validators(data, size);
	return 0;
}
