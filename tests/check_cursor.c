/*
 * Cursor tokens (cursor.c, API.md Part 2 "cursor paging"): every cursor
 * the service can write decodes back to itself, tokens are URL-safe, and a
 * token altered in any way (one character, cut short, extended, padded,
 * in the other base64 alphabet, another version, fields out of range,
 * noise) is refused, so the router answers 400 naming cursor, never a
 * list it was not made for.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "cursor.h"
#include "hash.h"
#include "rows.h"
#include "valid.h"

#define NROWS(a)	(sizeof(a) / sizeof((a)[0]))

/* Rows reported in full before a test only counts the rest. */
#define SHOWN	12

static const char url_abc[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The extremes and a few ordinary values of each field. */
static const int32_t products[] = { 1, 2, 1900000001, 2147483647 };
static const int32_t ids[] = { 1, 5774952, 2147483647 };

/*
 * The sort values list.c writes (cursor.h): a date or a score (any
 * bigint from 0), a helpfulness (an integer column), a rating; b a date,
 * or 0 for the sorts with one value.  -1 ends a list.
 */
#define DATES	0, 1, 1555200000000LL, 4102444800000LL, INT64_MAX
static const int64_t sort_as[SORT__MAX][8] = {
	[SORT_NEWEST] = { DATES, -1 },
	[SORT_HELPFUL] = { 0, 1, 3, INT32_MAX, -1 },
	[SORT_RELEVANT] = { DATES, -1 },
	[SORT_RATING_DESC] = { 1, 2, 3, 4, 5, -1 },
	[SORT_RATING_ASC] = { 1, 2, 3, 4, 5, -1 },
};
static const int64_t sort_bs[SORT__MAX][8] = {
	[SORT_NEWEST] = { 0, -1 },
	[SORT_HELPFUL] = { DATES, -1 },
	[SORT_RELEVANT] = { 0, -1 },
	[SORT_RATING_DESC] = { DATES, -1 },
	[SORT_RATING_ASC] = { DATES, -1 },
};

static int
same(const struct cursor *x, const struct cursor *y)
{
	return x->sort == y->sort && x->ratings == y->ratings &&
	    x->photos == y->photos && x->product == y->product &&
	    x->a == y->a && x->b == y->b && x->id == y->id;
}

/* Whether tok is CURSOR_LEN characters of [A-Za-z0-9_-] and its NUL. */
static int
url_safe(const char *tok)
{
	return strlen(tok) == CURSOR_LEN &&
	    strspn(tok, url_abc) == CURSOR_LEN;
}

static void
show(char *buf, size_t sz, const struct cursor *c)
{
	snprintf(buf, sz, "sort %u ratings %#x photos %u product %d a %lld "
	    "b %lld id %d", c->sort, c->ratings, c->photos, (int)c->product,
	    (long long)c->a, (long long)c->b, (int)c->id);
}

/* Encode c, decode it: the same fields, and re-encoding gives the same. */
static void
round_trip(const struct cursor *c)
{
	char		 tok[CURSOR_LEN + 1], again[CURSOR_LEN + 1], what[160];
	struct cursor	 d;

	memset(tok, '*', sizeof(tok));
	cursor_encode(c, tok);
	memset(&d, 0xa5, sizeof(d));
	if (!url_safe(tok)) {
		show(what, sizeof(what), c);
		row_fail("%s: token \"%.*s\" is not %d URL-safe characters",
		    what, CURSOR_LEN + 1, tok, CURSOR_LEN);
	} else if (cursor_decode(tok, CURSOR_LEN, &d) != 0) {
		show(what, sizeof(what), c);
		row_fail("%s: its own token %s refused", what, tok);
	} else if (!same(c, &d)) {
		show(what, sizeof(what), c);
		row_fail("%s: token %s decodes otherwise", what, tok);
	} else {
		cursor_encode(&d, again);
		if (strcmp(tok, again) != 0) {
			show(what, sizeof(what), c);
			row_fail("%s: re-encoded %s, first %s", what, again, tok);
		}
	}
}

/*
 * Every sort, every rating set, every photos state, with each field's
 * extremes: decodes to the same fields and re-encodes to the same bytes.
 */
START_TEST(round_trip_all)
{
	struct cursor	 c;
	size_t		 p, i, ai, bi;
	int		 sort, ratings, photos;

	row_reset();
	for (sort = 0; sort < SORT__MAX; sort++)
	for (ratings = 1; ratings <= VALID_RATINGS_ALL; ratings++)
	for (photos = PHOTOS_ANY; photos <= PHOTOS_WITHOUT; photos++)
	for (p = 0; p < NROWS(products); p++)
	for (i = 0; i < NROWS(ids); i++)
	for (ai = 0; sort_as[sort][ai] >= 0; ai++)
	for (bi = 0; sort_bs[sort][bi] >= 0; bi++) {
		memset(&c, 0, sizeof(c));
		c.sort = (uint8_t)sort;
		c.ratings = (uint8_t)ratings;
		c.photos = (uint8_t)photos;
		c.product = products[p];
		c.id = ids[i];
		c.a = sort_as[sort][ai];
		c.b = sort_bs[sort][bi];
		round_trip(&c);
		if (row_nfail > SHOWN)
			goto out;
	}
out:
	ROWS_DONE();
}
END_TEST

/* Fields that differ by one give other tokens: nothing is lost. */
START_TEST(tokens_differ)
{
	struct cursor	 c = { SORT_HELPFUL, 0x18, PHOTOS_WITH, 2, 40, 77, 9 };
	struct cursor	 d;
	char		 t0[CURSOR_LEN + 1], t1[CURSOR_LEN + 1];
	int		 f;

	cursor_encode(&c, t0);
	for (f = 0; f < 7; f++) {
		d = c;
		switch (f) {
		case 0: d.sort++; break;
		case 1: d.ratings++; break;
		case 2: d.photos++; break;
		case 3: d.product++; break;
		case 4: d.a++; break;
		case 5: d.b++; break;
		case 6: d.id++; break;
		}
		cursor_encode(&d, t1);
		ck_assert_msg(strcmp(t0, t1) != 0, "field %d: same token", f);
	}
}
END_TEST

/* A few real tokens: what the service writes for ordinary lists. */
static const struct cursor samples[] = {
	{ SORT_RELEVANT, VALID_RATINGS_ALL, PHOTOS_ANY, 2, 1555200000000LL +
	    3 * 2592000000LL, 0, 5 },
	{ SORT_NEWEST, VALID_RATINGS_ALL, PHOTOS_ANY, 1, 1555200000000LL, 0,
	    1 },
	{ SORT_HELPFUL, 0x18, PHOTOS_WITH, 1900000001, 3, 1555200000000LL,
	    5774952 },
	{ SORT_RATING_DESC, 0x01, PHOTOS_WITHOUT, 2147483647, 5,
	    4102444800000LL, 2147483647 },
	{ SORT_RATING_ASC, 0x0a, PHOTOS_ANY, 7, 1, 0, 1 },
	{ SORT_NEWEST, 0x10, PHOTOS_WITH, 1, 0, 0, 1 },
};

/*
 * Each character of a real token changed to any other byte at all (the
 * 63 other base64url characters, '+', '/', '=', NUL, controls, 8-bit):
 * refused.  The 48 characters are exactly the 36 bytes, so any change
 * changes the bytes, and the check catches it.
 */
START_TEST(one_char_changed)
{
	char		 tok[CURSOR_LEN + 1], bad[CURSOR_LEN + 1];
	struct cursor	 d;
	size_t		 s, pos;
	int		 ch;

	row_reset();
	for (s = 0; s < NROWS(samples); s++) {
		cursor_encode(&samples[s], tok);
		for (pos = 0; pos < CURSOR_LEN; pos++)
			for (ch = 0; ch < 256; ch++) {
				if ((char)ch == tok[pos])
					continue;
				memcpy(bad, tok, sizeof(bad));
				bad[pos] = (char)ch;
				if (cursor_decode(bad, CURSOR_LEN, &d) == 0 &&
				    row_nfail <= SHOWN)
					row_fail("%s with byte %d at %zu: "
					    "accepted", tok, ch, pos);
			}
	}
	ROWS_DONE();
}
END_TEST

/* Two characters swapped (where they differ): refused. */
START_TEST(two_chars_swapped)
{
	char		 tok[CURSOR_LEN + 1], bad[CURSOR_LEN + 1], t;
	struct cursor	 d;
	size_t		 s, i, j;

	row_reset();
	for (s = 0; s < NROWS(samples); s++) {
		cursor_encode(&samples[s], tok);
		for (i = 0; i < CURSOR_LEN; i++)
			for (j = i + 1; j < CURSOR_LEN; j++) {
				if (tok[i] == tok[j])
					continue;
				memcpy(bad, tok, sizeof(bad));
				t = bad[i];
				bad[i] = bad[j];
				bad[j] = t;
				if (cursor_decode(bad, CURSOR_LEN, &d) == 0 &&
				    row_nfail <= SHOWN)
					row_fail("%s with %zu and %zu swapped: "
					    "accepted", tok, i, j);
			}
	}
	ROWS_DONE();
}
END_TEST

/* Cut short at every length, by len and as a shorter string: refused. */
START_TEST(truncated)
{
	char		 tok[CURSOR_LEN + 1], cut[CURSOR_LEN + 1];
	struct cursor	 d;
	size_t		 s, n;

	row_reset();
	for (s = 0; s < NROWS(samples); s++) {
		cursor_encode(&samples[s], tok);
		for (n = 0; n < CURSOR_LEN; n++) {
			if (cursor_decode(tok, n, &d) == 0)
				row_fail("%s cut to %zu by len: accepted", tok,
				    n);
			memcpy(cut, tok, n);
			cut[n] = '\0';
			if (cursor_decode(cut, strlen(cut), &d) == 0)
				row_fail("%s cut to %zu: accepted", tok, n);
		}
	}
	ROWS_DONE();
}
END_TEST

/*
 * Longer than a token: any byte after it, padding, the token twice, a
 * token with a character dropped and one added elsewhere.
 */
START_TEST(extended)
{
	char		 tok[CURSOR_LEN + 1], ext[2 * CURSOR_LEN + 4];
	struct cursor	 d;
	size_t		 s, pos;
	int		 ch;

	row_reset();
	for (s = 0; s < NROWS(samples); s++) {
		cursor_encode(&samples[s], tok);
		for (ch = 0; ch < 256; ch++) {
			memcpy(ext, tok, CURSOR_LEN);
			ext[CURSOR_LEN] = (char)ch;
			ext[CURSOR_LEN + 1] = '\0';
			if (cursor_decode(ext, CURSOR_LEN + 1, &d) == 0)
				row_fail("%s + byte %d: accepted", tok, ch);
		}
		snprintf(ext, sizeof(ext), "%s=", tok);
		if (cursor_decode(ext, strlen(ext), &d) == 0)
			row_fail("%s=: accepted", tok);
		snprintf(ext, sizeof(ext), "%s==", tok);
		if (cursor_decode(ext, strlen(ext), &d) == 0)
			row_fail("%s==: accepted", tok);
		snprintf(ext, sizeof(ext), "%s%s", tok, tok);
		if (cursor_decode(ext, strlen(ext), &d) == 0)
			row_fail("%s twice: accepted", tok);
		/* Same length: one character dropped, "A" put in front. */
		for (pos = 0; pos < CURSOR_LEN; pos++) {
			ext[0] = 'A';
			memcpy(ext + 1, tok, pos);
			memcpy(ext + 1 + pos, tok + pos + 1,
			    CURSOR_LEN - pos - 1);
			ext[CURSOR_LEN] = '\0';
			if (strcmp(ext, tok) != 0 &&
			    cursor_decode(ext, CURSOR_LEN, &d) == 0)
				row_fail("%s shifted at %zu: accepted", tok,
				    pos);
		}
	}
	ROWS_DONE();
}
END_TEST

/* '=' padding in place of the last characters: refused. */
START_TEST(padded)
{
	char		 tok[CURSOR_LEN + 1], pad[CURSOR_LEN + 1];
	struct cursor	 d;
	size_t		 s, n;

	row_reset();
	for (s = 0; s < NROWS(samples); s++) {
		cursor_encode(&samples[s], tok);
		for (n = 1; n <= 3; n++) {
			memcpy(pad, tok, sizeof(pad));
			memset(pad + CURSOR_LEN - n, '=', n);
			if (cursor_decode(pad, CURSOR_LEN, &d) == 0)
				row_fail("%s with %zu '=': accepted", pad, n);
		}
	}
	ROWS_DONE();
}
END_TEST

/*
 * The same bytes in standard base64 ('+' for '-', '/' for '_'): refused.
 * The service writes only the URL-safe alphabet, so a token in the other
 * was changed on its way (or made by hand).
 */
START_TEST(standard_alphabet)
{
	char		 tok[CURSOR_LEN + 1];
	struct cursor	 c = samples[0], d;
	char		 std[CURSOR_LEN + 1], *p;
	int		 seen_minus = 0, seen_under = 0, k;

	row_reset();
	for (c.id = 1; c.id < 100000 && (seen_minus < 3 || seen_under < 3);
	    c.id++) {
		cursor_encode(&c, tok);
		if (strpbrk(tok, "-_") == NULL)
			continue;
		seen_minus += strchr(tok, '-') != NULL;
		seen_under += strchr(tok, '_') != NULL;
		for (k = 0; k < 3; k++) {
			memcpy(std, tok, sizeof(std));
			for (p = std; *p != '\0'; p++)
				if ((k & 1) == 0 && *p == '-')
					*p = '+';
				else if (k >= 1 && *p == '_')
					*p = '/';
			if (strcmp(std, tok) != 0 &&
			    cursor_decode(std, CURSOR_LEN, &d) == 0)
				row_fail("%s as %s: accepted", tok, std);
		}
	}
	ck_assert_msg(seen_minus >= 3 && seen_under >= 3,
	    "no tokens with '-' and '_' to try (%d, %d)", seen_minus,
	    seen_under);
	ROWS_DONE();
}
END_TEST

/*
 * The token layout of cursor.h, written again here: version, sort,
 * ratings, photos, product (4 bytes), a, b (8 each), id (4), all
 * big-endian, then hash_bytes of those 28 as 8 bytes, in base64url
 * without padding.  cursor.c's API cannot write another version (nor
 * should it), so the test makes such tokens itself, after checking that
 * this model writes exactly what cursor_encode writes.
 */
static void
model_put(unsigned char *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (unsigned char)v;
		v >>= 8;
	}
}

static void
model_token(unsigned version, const struct cursor *c,
    char out[CURSOR_LEN + 1])
{
	unsigned char	 b[CURSOR_BYTES];
	uint32_t	 w;
	int		 i, o = 0;

	b[0] = (unsigned char)version;
	b[1] = c->sort;
	b[2] = c->ratings;
	b[3] = c->photos;
	model_put(b + 4, (uint32_t)c->product, 4);
	model_put(b + 8, (uint64_t)c->a, 8);
	model_put(b + 16, (uint64_t)c->b, 8);
	model_put(b + 24, (uint32_t)c->id, 4);
	model_put(b + 28, hash_bytes(b, 28), 8);
	for (i = 0; i < CURSOR_BYTES; i += 3) {
		w = (uint32_t)b[i] << 16 | (uint32_t)b[i + 1] << 8 | b[i + 2];
		out[o++] = url_abc[w >> 18 & 63];
		out[o++] = url_abc[w >> 12 & 63];
		out[o++] = url_abc[w >> 6 & 63];
		out[o++] = url_abc[w & 63];
	}
	out[o] = '\0';
}

/* The model is the real layout: version 1 writes cursor_encode's bytes. */
START_TEST(model_is_layout)
{
	char	 real[CURSOR_LEN + 1], model[CURSOR_LEN + 1];
	size_t	 s;

	row_reset();
	for (s = 0; s < NROWS(samples); s++) {
		cursor_encode(&samples[s], real);
		model_token(1, &samples[s], model);
		if (strcmp(real, model) != 0)
			row_fail("sample %zu: cursor_encode %s, model %s", s,
			    real, model);
	}
	ROWS_DONE();
}
END_TEST

/* Any other version, with a check that matches it: refused. */
START_TEST(other_version)
{
	static const unsigned versions[] = { 0, 2, 3, 16, 127, 128, 254, 255 };
	char		 tok[CURSOR_LEN + 1];
	struct cursor	 d;
	size_t		 s, v;

	row_reset();
	for (s = 0; s < NROWS(samples); s++)
		for (v = 0; v < NROWS(versions); v++) {
			model_token(versions[v], &samples[s], tok);
			if (cursor_decode(tok, CURSOR_LEN, &d) == 0)
				row_fail("sample %zu as version %u (%s): "
				    "accepted", s, versions[v], tok);
		}
	model_token(1, &samples[0], tok);
	ck_assert_int_eq(cursor_decode(tok, CURSOR_LEN, &d), 0);
	ROWS_DONE();
}
END_TEST

/*
 * One field at a time just outside its range, the token made by
 * cursor_encode (so the check is right): refused.  The edges just inside
 * are accepted.
 */
struct range_row {
	const char	*what;
	struct cursor	 c;
	int		 good;
};

#define BASE	SORT_NEWEST, VALID_RATINGS_ALL, PHOTOS_ANY
#define ALL	VALID_RATINGS_ALL, PHOTOS_ANY
static const struct range_row range_rows[] = {
	{ "all in range", { BASE, 2, 10, 0, 3 }, 1 },
	{ "last sort", { SORT__MAX - 1, VALID_RATINGS_ALL, PHOTOS_ANY, 2, 3,
	    0, 3 }, 1 },
	{ "sort past the last", { SORT__MAX, VALID_RATINGS_ALL, PHOTOS_ANY, 2,
	    10, 0, 3 }, 0 },
	{ "sort 255", { 255, VALID_RATINGS_ALL, PHOTOS_ANY, 2, 10, 0, 3 }, 0 },
	{ "ratings one", { SORT_NEWEST, 1, PHOTOS_ANY, 2, 10, 0, 3 }, 1 },
	{ "no ratings", { SORT_NEWEST, 0, PHOTOS_ANY, 2, 10, 0, 3 }, 0 },
	{ "rating 6", { SORT_NEWEST, 0x20, PHOTOS_ANY, 2, 10, 0, 3 }, 0 },
	{ "ratings 0x3f", { SORT_NEWEST, 0x3f, PHOTOS_ANY, 2, 10, 0, 3 }, 0 },
	{ "ratings 0xff", { SORT_NEWEST, 0xff, PHOTOS_ANY, 2, 10, 0, 3 }, 0 },
	{ "photos without", { SORT_NEWEST, VALID_RATINGS_ALL, PHOTOS_WITHOUT,
	    2, 10, 0, 3 }, 1 },
	{ "photos 3", { SORT_NEWEST, VALID_RATINGS_ALL, PHOTOS_WITHOUT + 1, 2,
	    10, 0, 3 }, 0 },
	{ "photos 255", { SORT_NEWEST, VALID_RATINGS_ALL, 255, 2, 10, 0, 3 },
	    0 },
	{ "product 1", { BASE, 1, 10, 0, 3 }, 1 },
	{ "product max", { BASE, 2147483647, 10, 0, 3 }, 1 },
	{ "product 0", { BASE, 0, 10, 0, 3 }, 0 },
	{ "product -1", { BASE, -1, 10, 0, 3 }, 0 },
	{ "product min", { BASE, INT32_MIN, 10, 0, 3 }, 0 },
	{ "a 0", { BASE, 2, 0, 0, 3 }, 1 },
	{ "a max", { BASE, 2, INT64_MAX, 0, 3 }, 1 },	/* a date */
	{ "a -1", { BASE, 2, -1, 0, 3 }, 0 },
	{ "a min", { BASE, 2, INT64_MIN, 0, 3 }, 0 },
	{ "b max", { SORT_HELPFUL, ALL, 2, 10, INT64_MAX, 3 }, 1 },
	{ "b -1", { SORT_HELPFUL, ALL, 2, 10, -1, 3 }, 0 },
	{ "b min", { SORT_HELPFUL, ALL, 2, 10, INT64_MIN, 3 }, 0 },
	/*
	 * Each sort's own values (cursor.h): list.c never writes others, and
	 * the statements compare a with the column's type (a rating is a
	 * smallint, helpfulness an integer: a larger value is a database
	 * error, not a position).  The sorts with one value write b = 0.
	 */
	{ "newest b 1", { SORT_NEWEST, ALL, 2, 10, 1, 3 }, 0 },
	{ "relevant b 0", { SORT_RELEVANT, ALL, 2, INT64_MAX, 0, 3 }, 1 },
	{ "relevant b 1", { SORT_RELEVANT, ALL, 2, 10, 1, 3 }, 0 },
	{ "helpful a max", { SORT_HELPFUL, ALL, 2, INT32_MAX, 0, 3 }, 1 },
	{ "helpful a 2^31", { SORT_HELPFUL, ALL, 2, INT32_MAX + 1LL, 0, 3 },
	    0 },
	{ "helpful a 2^63 - 1", { SORT_HELPFUL, ALL, 2, INT64_MAX, 0, 3 }, 0 },
	{ "rating_desc 1", { SORT_RATING_DESC, ALL, 2, 1, 0, 3 }, 1 },
	{ "rating_desc 5", { SORT_RATING_DESC, ALL, 2, 5, INT64_MAX, 3 }, 1 },
	{ "rating_desc 0", { SORT_RATING_DESC, ALL, 2, 0, 0, 3 }, 0 },
	{ "rating_desc 6", { SORT_RATING_DESC, ALL, 2, 6, 0, 3 }, 0 },
	{ "rating_desc 32768", { SORT_RATING_DESC, ALL, 2, 32768, 0, 3 }, 0 },
	{ "rating_asc 1", { SORT_RATING_ASC, ALL, 2, 1, 7, 3 }, 1 },
	{ "rating_asc 0", { SORT_RATING_ASC, ALL, 2, 0, 7, 3 }, 0 },
	{ "rating_asc 6", { SORT_RATING_ASC, ALL, 2, 6, 7, 3 }, 0 },
	{ "rating_asc 99999", { SORT_RATING_ASC, ALL, 2, 99999, 7, 3 }, 0 },
	{ "id 1", { BASE, 2, 10, 0, 1 }, 1 },
	{ "id max", { BASE, 2, 10, 0, 2147483647 }, 1 },
	{ "id 0", { BASE, 2, 10, 0, 0 }, 0 },
	{ "id -1", { BASE, 2, 10, 0, -1 }, 0 },
	{ "id min", { BASE, 2, 10, 0, INT32_MIN }, 0 },
};

START_TEST(out_of_range)
{
	const struct range_row	*r;
	char			 tok[CURSOR_LEN + 1];
	struct cursor		 d;
	size_t			 i;
	int			 rc;

	row_reset();
	for (i = 0; i < NROWS(range_rows); i++) {
		r = &range_rows[i];
		cursor_encode(&r->c, tok);
		if (!url_safe(tok)) {
			row_fail("%s: token %s not URL-safe", r->what, tok);
			continue;
		}
		rc = cursor_decode(tok, CURSOR_LEN, &d);
		if (r->good && (rc != 0 || !same(&r->c, &d)))
			row_fail("%s: %s", r->what, rc ? "refused" :
			    "decodes otherwise");
		else if (!r->good && rc == 0)
			row_fail("%s: accepted", r->what);
	}
	ROWS_DONE();
}
END_TEST

/* xorshift64*: the same noise on every run. */
static uint64_t
noise(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/*
 * Noise: strings of the token's length and alphabet, and byte strings of
 * any length up to twice it, are refused (a 64-bit check: a chance in
 * 2^64 each).
 */
START_TEST(random_strings)
{
	char		 s[2 * CURSOR_LEN + 1];
	struct cursor	 d;
	uint64_t	 seed = 0x9E3779B97F4A7C15ULL;
	size_t		 n, i, k;

	row_reset();
	for (k = 0; k < 200000; k++) {
		for (i = 0; i < CURSOR_LEN; i++)
			s[i] = url_abc[noise(&seed) & 63];
		s[CURSOR_LEN] = '\0';
		/* A valid version and in-range fields, by chance, now and
		 * then: the check must still refuse. */
		if (k & 1) {
			s[0] = 'A';
			s[1] = 'Q';
		}
		if (cursor_decode(s, CURSOR_LEN, &d) == 0)
			row_fail("noise %s: accepted", s);
	}
	for (k = 0; k < 50000; k++) {
		n = noise(&seed) % (2 * CURSOR_LEN + 1);
		for (i = 0; i < n; i++)
			s[i] = (char)(noise(&seed) & 0xff);
		if (cursor_decode(s, n, &d) == 0)
			row_fail("noise of %zu bytes: accepted", n);
	}
	ROWS_DONE();
}
END_TEST

/* The suite tests/check_main.c runs. */
Suite *
check_suite(void)
{
	Suite	*s = suite_create("cursor");
	TCase	*tc;

	tc = tcase_create("round_trip");
	tcase_add_test(tc, round_trip_all);
	tcase_add_test(tc, tokens_differ);
	tcase_add_test(tc, model_is_layout);
	suite_add_tcase(s, tc);

	tc = tcase_create("refused");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, one_char_changed);
	tcase_add_test(tc, two_chars_swapped);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, extended);
	tcase_add_test(tc, padded);
	tcase_add_test(tc, standard_alphabet);
	tcase_add_test(tc, other_version);
	tcase_add_test(tc, out_of_range);
	tcase_add_test(tc, random_strings);
	suite_add_tcase(s, tc);
	return s;
}
