/*
 * libFuzzer harness for cursor tokens (cursor.c).
 *
 * The input is used twice.  First as a token, bytes as sent (any length,
 * any byte): cursor_decode must not crash, and whatever it accepts must be
 * exactly what cursor_encode writes for the fields it decoded (so a token
 * has one spelling, and nothing but the service's own tokens passes), with
 * every field in its range.  Mutation alone almost never passes the
 * 64-bit check, so the input is also read as the fields of a cursor (the
 * first 29 bytes, zeros past the end): its token must be CURSOR_LEN
 * URL-safe characters, decode to the same fields exactly when they are in
 * range, and refuse the token with one character changed (the position
 * and the new character taken from the input too).  Any disagreement, or
 * anything ASan/UBSan sees, aborts.
 *
 * Built and run by tests/fuzz/run, never by make.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "valid.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char url_abc[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void
fail(const char *what, const uint8_t *data, size_t size)
{
	size_t	 i;

	fprintf(stderr, "fuzz_cursor: %s (input", what);
	for (i = 0; i < size && i < 64; i++)
		fprintf(stderr, " %02x", data[i]);
	fprintf(stderr, "%s)\n", size > 64 ? " ..." : "");
	abort();
}

/*
 * Whether c's fields are what a token may carry (cursor.h), each sort's
 * values included: a date or score from 0 with b = 0, a helpfulness of
 * 0..2^31 - 1 with a date, a rating 1..5 with a date.
 */
static int
in_range(const struct cursor *c)
{
	int	 values;

	switch (c->sort) {
	case SORT_NEWEST:
	case SORT_RELEVANT:
		values = c->a >= 0 && c->b == 0;
		break;
	case SORT_HELPFUL:
		values = c->a >= 0 && c->a <= 2147483647 && c->b >= 0;
		break;
	case SORT_RATING_DESC:
	case SORT_RATING_ASC:
		values = c->a >= 1 && c->a <= 5 && c->b >= 0;
		break;
	default:
		values = 0;
	}
	return values && c->ratings >= 1 && c->ratings <= VALID_RATINGS_ALL &&
	    c->photos <= PHOTOS_WITHOUT && c->product >= 1 && c->id >= 1;
}

static int
same(const struct cursor *x, const struct cursor *y)
{
	return x->sort == y->sort && x->ratings == y->ratings &&
	    x->photos == y->photos && x->product == y->product &&
	    x->a == y->a && x->b == y->b && x->id == y->id;
}

static uint64_t
take(const uint8_t *p, int n)
{
	uint64_t	 v = 0;

	while (n-- > 0)
		v = v << 8 | *p++;
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		 f[32] = { 0 };
	char		 tok[CURSOR_LEN + 1], again[CURSOR_LEN + 1], *copy;
	struct cursor	 c, d;
	size_t		 pos;
	int		 rc;

	/* The input as a token: a copy of exactly its size, for ASan. */
	if ((copy = malloc(size + 1)) == NULL)
		abort();
	memcpy(copy, data, size);
	if (cursor_decode(copy, size, &d) == 0) {
		if (size != CURSOR_LEN || !in_range(&d))
			fail("accepted a token of another length or range",
			    data, size);
		cursor_encode(&d, again);
		if (memcmp(again, copy, CURSOR_LEN) != 0)
			fail("accepted a token that re-encodes otherwise", data,
			    size);
	}
	free(copy);

	/* The input as fields. */
	memcpy(f, data, size < sizeof(f) ? size : sizeof(f));
	c.sort = f[0];
	c.ratings = f[1];
	c.photos = f[2];
	c.product = (int32_t)(uint32_t)take(f + 3, 4);
	c.a = (int64_t)take(f + 7, 8);
	c.b = (int64_t)take(f + 15, 8);
	c.id = (int32_t)(uint32_t)take(f + 23, 4);
	memset(tok, '*', sizeof(tok));
	cursor_encode(&c, tok);
	if (tok[CURSOR_LEN] != '\0' || strlen(tok) != CURSOR_LEN ||
	    strspn(tok, url_abc) != CURSOR_LEN)
		fail("a token not of CURSOR_LEN URL-safe characters", data,
		    size);
	rc = cursor_decode(tok, CURSOR_LEN, &d);
	if (rc == 0 && !same(&c, &d))
		fail("a token decodes to other fields", data, size);
	if ((rc == 0) != in_range(&c))
		fail(rc == 0 ? "accepted fields out of range" :
		    "refused its own token", data, size);
	if (rc == 0) {
		/* One character changed to another of the alphabet. */
		pos = f[27] % CURSOR_LEN;
		tok[pos] = url_abc[(strchr(url_abc, tok[pos]) - url_abc + 1 +
		    f[28] % 63) % 64];
		if (cursor_decode(tok, CURSOR_LEN, &d) == 0)
			fail("accepted a token with one character changed",
			    data, size);
	}
	return 0;
}
