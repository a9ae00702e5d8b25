#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chunk.h"
#include "plan.h"
#include "pools.h"
#include "rng.h"
#include "rows.h"

#define CHUNK_BUF_FIRST	((size_t)16 << 20)

/* The products [*lo, *hi) of chunk c of nprod products. */
void
chunk_range(uint32_t nprod, uint32_t c, uint32_t *lo, uint32_t *hi)
{
	uint64_t	 end = ((uint64_t)c + 1) * CHUNK_PRODUCTS;

	*lo = c * CHUNK_PRODUCTS + 1;
	*hi = (uint32_t)(end < nprod ? end : nprod) + 1;
}

/* How many chunks nprod products make. */
uint32_t
chunk_count(uint32_t nprod)
{
	return (nprod + CHUNK_PRODUCTS - 1) / CHUNK_PRODUCTS;
}

/* Grow b so that n more bytes fit; -1 when out of memory. */
static int
chunk_buf_grow(struct chunk_buf *b, size_t n)
{
	size_t	 cap = b->cap != 0 ? b->cap * 2 : CHUNK_BUF_FIRST;
	char	*p;

	while (cap - b->len < n)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* Make room for n more bytes (the common case is one comparison). */
static int
chunk_buf_reserve(struct chunk_buf *b, size_t n)
{
	if (b->cap - b->len >= n)
		return 0;
	return chunk_buf_grow(b, n);
}

/* Append a NUL-terminated string (headers). */
static int
chunk_buf_str(struct chunk_buf *b, const char *s)
{
	size_t	 n = strlen(s);

	if (chunk_buf_reserve(b, n) == -1)
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

/* reviews.csv rows of chunk c's products, in review id order. */
static int
chunk_reviews(const struct plan *pl, uint32_t c, struct chunk_buf *b)
{
	uint64_t	 rid = pl->start[ROWS_REVIEWS][c];
	uint32_t	 p, lo, hi, k;

	chunk_range(pl->nprod, c, &lo, &hi);
	for (p = lo; p < hi; p++)
		for (k = 0; k < pl->nrev[p]; k++) {
			if (chunk_buf_reserve(b, ROWS_REVIEW_MAX) == -1)
				return -1;
			b->len += rows_review(b->p + b->len, pl->seed, ++rid,
			    p);
		}
	return 0;
}

/*
 * reviews_photos.csv rows of chunk c's reviews (photo counts from
 * rows_review_core, corrected by pl->fix).  About 1% of rows trade places
 * with the next one (never across a chunk boundary, so the output does not
 * depend on how chunks are shared out).
 */
static int
chunk_photos(const struct plan *pl, uint32_t c, struct chunk_buf *b)
{
	struct rng	 r;
	uint64_t	 rid = pl->start[ROWS_REVIEWS][c];
	uint64_t	 id = pl->start[ROWS_PHOTOS][c];
	uint64_t	 last = pl->start[ROWS_PHOTOS][c + 1];
	uint32_t	 p, lo, hi, k;
	unsigned	 rating, nphoto, i;
	char		 row[ROWS_SMALL_MAX], held[ROWS_SMALL_MAX];
	size_t		 n, nheld = 0, fix;

	fix = plan_fix_find(pl, rid + 1);
	chunk_range(pl->nprod, c, &lo, &hi);
	for (p = lo; p < hi; p++)
		for (k = 0; k < pl->nrev[p]; k++) {
			rows_review_core(pl->seed, ++rid, &r, &rating, &nphoto);
			if (fix < pl->nfix && pl->fix[fix] >> 1 == rid) {
				if (pl->fix[fix++] & 1)
					nphoto++;
				else
					nphoto--;
			}
			for (i = 1; i <= nphoto; i++) {
				n = rows_photo(row, pl->seed, ++id, rid, i);
				if (chunk_buf_reserve(b,
				    2 * ROWS_SMALL_MAX) == -1)
					return -1;
				if (nheld > 0) {
					memcpy(b->p + b->len, row, n);
					memcpy(b->p + b->len + n, held, nheld);
					b->len += n + nheld;
					nheld = 0;
					continue;
				}
				rng_seed(&r, pl->seed, RNG_S_SWAP, id);
				if (id < last && rng_below(&r, 100) == 0) {
					memcpy(held, row, n);
					nheld = n;
				} else {
					memcpy(b->p + b->len, row, n);
					b->len += n;
				}
			}
		}
	return 0;
}

/* characteristics.csv rows of chunk c's products. */
static int
chunk_chars(const struct plan *pl, uint32_t c, struct chunk_buf *b)
{
	const struct pools_cat	*cat;
	uint64_t		 id = pl->start[ROWS_CHARS][c];
	uint32_t		 p, lo, hi;

	chunk_range(pl->nprod, c, &lo, &hi);
	for (p = lo; p < hi; p++) {
		cat = &pools_cats[pl->cat[p]];
		if (chunk_buf_reserve(b, ROWS_CHARS_MAX) == -1)
			return -1;
		b->len += rows_chars(b->p + b->len, id, p, cat);
		id += cat->n;
	}
	return 0;
}

/*
 * characteristic_reviews.csv rows of chunk c's reviews: one per
 * characteristic of the review's product, in review id order.
 */
static int
chunk_charrevs(const struct plan *pl, uint32_t c, struct chunk_buf *b)
{
	const struct pools_cat	*cat;
	uint64_t		 id = pl->start[ROWS_CHARREVS][c];
	uint64_t		 cid = pl->start[ROWS_CHARS][c];
	uint64_t		 rid = pl->start[ROWS_REVIEWS][c];
	uint32_t		 p, lo, hi, k;

	chunk_range(pl->nprod, c, &lo, &hi);
	for (p = lo; p < hi; p++) {
		cat = &pools_cats[pl->cat[p]];
		for (k = 0; k < pl->nrev[p]; k++) {
			if (chunk_buf_reserve(b, ROWS_CHARS_MAX) == -1)
				return -1;
			b->len += rows_charrevs(b->p + b->len, pl->seed, id,
			    cid, ++rid, cat);
			id += cat->n;
		}
		cid += cat->n;
	}
	return 0;
}

/*
 * Generate chunk c of file f into b (header first for chunk 0), replacing
 * what b held: one buffer serves all of a thread's chunks, and grows to
 * the largest.  -1 when out of memory.
 */
int
chunk_make(const struct plan *pl, enum rows_file f, uint32_t c,
    struct chunk_buf *b)
{
	b->len = 0;
	if (c == 0 && chunk_buf_str(b, rows_files[f].header) == -1)
		return -1;
	switch (f) {
	case ROWS_REVIEWS:
		return chunk_reviews(pl, c, b);
	case ROWS_PHOTOS:
		return chunk_photos(pl, c, b);
	case ROWS_CHARS:
		return chunk_chars(pl, c, b);
	default:
		return chunk_charrevs(pl, c, b);
	}
}
