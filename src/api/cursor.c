#include <string.h>

#include "cursor.h"
#include "hash.h"
#include "valid.h"

#define CURSOR_VERSION	1

static const char cursor_abc[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void
cursor_put(unsigned char *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (unsigned char)v;
		v >>= 8;
	}
}

static uint64_t
cursor_get(const unsigned char *p, int n)
{
	uint64_t	 v = 0;
	int		 i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* The fields of c in their byte layout, with the check after them. */
static void
cursor_pack(const struct cursor *c, unsigned char b[CURSOR_BYTES])
{
	b[0] = CURSOR_VERSION;
	b[1] = c->sort;
	b[2] = c->ratings;
	b[3] = c->photos;
	cursor_put(b + 4, (uint32_t)c->product, 4);
	cursor_put(b + 8, (uint64_t)c->a, 8);
	cursor_put(b + 16, (uint64_t)c->b, 8);
	cursor_put(b + 24, (uint32_t)c->id, 4);
	cursor_put(b + 28, hash_bytes(b, 28), 8);
}

/* Write c's token, CURSOR_LEN characters and a NUL, into out. */
void
cursor_encode(const struct cursor *c, char out[CURSOR_LEN + 1])
{
	unsigned char	 b[CURSOR_BYTES];
	uint32_t	 w;
	int		 i, o = 0;

	cursor_pack(c, b);
	for (i = 0; i < CURSOR_BYTES; i += 3) {
		w = (uint32_t)b[i] << 16 | (uint32_t)b[i + 1] << 8 | b[i + 2];
		out[o++] = cursor_abc[w >> 18 & 63];
		out[o++] = cursor_abc[w >> 12 & 63];
		out[o++] = cursor_abc[w >> 6 & 63];
		out[o++] = cursor_abc[w & 63];
	}
	out[o] = '\0';
}

/* A base64url character's value, or -1. */
static int
cursor_digit(char ch)
{
	const char	*p;

	if (ch == '\0' || (p = strchr(cursor_abc, ch)) == NULL)
		return -1;
	return (int)(p - cursor_abc);
}

/*
 * Whether c's sort values are ones a review can have: the statements take
 * them as parameters of the columns' own types (helpfulness an integer,
 * rating a smallint), so a forged token with, say, 2^31 votes would fail
 * in PostgreSQL (22003, a 400 naming no field) instead of here.
 */
static int
cursor_in_range(const struct cursor *c)
{
	switch (c->sort) {
	case SORT_HELPFUL:
		return c->a <= INT32_MAX;
	case SORT_RATING_DESC:
	case SORT_RATING_ASC:
		return c->a >= 1 && c->a <= 5;
	default:
		return 1;
	}
}

/*
 * Decode the len bytes of token s into *c.  Returns 0, or -1 for anything
 * cursor_encode did not write: another length or alphabet, another
 * version, a failed check, or fields out of their ranges.
 */
int
cursor_decode(const char *s, size_t len, struct cursor *c)
{
	unsigned char	 b[CURSOR_BYTES], want[CURSOR_BYTES];
	uint32_t	 w;
	size_t		 i, o = 0;
	int		 j, d;

	if (len != CURSOR_LEN)
		return -1;
	for (i = 0; i < len; i += 4) {
		for (w = 0, j = 0; j < 4; j++) {
			if ((d = cursor_digit(s[i + (size_t)j])) < 0)
				return -1;
			w = w << 6 | (uint32_t)d;
		}
		b[o++] = (unsigned char)(w >> 16);
		b[o++] = (unsigned char)(w >> 8);
		b[o++] = (unsigned char)w;
	}
	c->sort = b[1];
	c->ratings = b[2];
	c->photos = b[3];
	c->product = (int32_t)cursor_get(b + 4, 4);
	c->a = (int64_t)cursor_get(b + 8, 8);
	c->b = (int64_t)cursor_get(b + 16, 8);
	c->id = (int32_t)cursor_get(b + 24, 4);
	if (b[0] != CURSOR_VERSION || c->sort >= SORT__MAX ||
	    c->ratings == 0 || c->ratings > VALID_RATINGS_ALL ||
	    c->photos > PHOTOS_WITHOUT || c->product < 1 || c->id < 1 ||
	    c->a < 0 || c->b < 0 || !cursor_in_range(c))
		return -1;
	cursor_pack(c, want);
	return memcmp(b, want, sizeof(b)) == 0 ? 0 : -1;
}
