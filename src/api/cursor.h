/*
 * Cursor paging's tokens (API.md Part 2).  A token is where a page ended:
 * the last review's sort values and id, with the product, sort and filters
 * it was made for, so a token used elsewhere is refused instead of
 * answering another list.  Keyset paging on (sort values, id) repeats or
 * skips nothing when reviews come and go between two pages.
 *
 * The bytes are fixed-width big-endian fields and a 64-bit check over them
 * (hash_bytes), in URL-safe base64 without padding.  The check catches any
 * alteration; it is not a secret: a client that forges a token only picks
 * a place in a public list, which page= lets anyone do.
 */
#ifndef CURSOR_H
#define CURSOR_H

#include <stddef.h>
#include <stdint.h>

#define CURSOR_BYTES	36	/* version .. id, then the check */
#define CURSOR_LEN	48	/* characters of a token */

struct cursor {
	uint8_t		 sort;		/* enum valid_sort */
	uint8_t		 ratings;	/* VALID_RATINGS bits */
	uint8_t		 photos;	/* enum cursor_photos */
	int32_t		 product;
	/*
	 * The last review's sort values, by sort: newest (date, 0), helpful
	 * (helpfulness, date), relevant (score, 0), rating_* (rating, date).
	 * Dates and scores are 0 or more, helpfulness an integer of 0 or
	 * more, a rating 1..5: cursor_decode refuses any other value.
	 */
	int64_t		 a;
	int64_t		 b;
	int32_t		 id;		/* its review id */
};

/* has_photos=: not given, true, false. */
enum cursor_photos { PHOTOS_ANY, PHOTOS_WITH, PHOTOS_WITHOUT };

void	 cursor_encode(const struct cursor *, char [CURSOR_LEN + 1]);
int	 cursor_decode(const char *, size_t, struct cursor *);

#endif
