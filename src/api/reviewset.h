/*
 * A product's published reviews, whole, as one entry of the response
 * cache.  Every list of a product with at most REVIEWSET_MAX reviews (most
 * products) is made from it, in any sort, filter, page or cursor, with the
 * bytes the list's own statement would give: one entry per product instead
 * of one per answer is what lets the cache hold a catalogue, so a
 * shopper's next look at a product, in any order, costs no query.  A
 * product with more reviews gets a marker instead, and its lists are asked
 * of the database, each by its own statement, as before.
 *
 * A set: a struct reviewset, its items, then their JSON texts.  It is
 * plain data (offsets, no pointers), valid in any worker's copy.
 */
#ifndef REVIEWSET_H
#define REVIEWSET_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "cache.h"

#define REVIEWSET_MAX	60		/* reviews in a set, at most */
#define REVIEWSET_BIG	UINT32_MAX	/* n of a product with more */

/*
 * A set takes up to REVIEWSET_CHUNKS cache entries (a 4 KB slot holds
 * 73% of the full data set's products, four hold 98.6%), each
 * headed by a struct reviewset_chunk: the entries of one set say so by
 * the same hash of the whole, so a set is only read whole.
 */
#define REVIEWSET_CHUNKS	4
struct reviewset_chunk {
	uint64_t	 hash;		/* of the whole set */
	uint32_t	 total;		/* its bytes */
	uint16_t	 index;		/* this entry's place, from 0 */
	uint16_t	 chunks;	/* how many entries */
};
#define REVIEWSET_PART	(CACHE_ENTRY_MAX - sizeof(struct reviewset_chunk))
#define REVIEWSET_BYTES	(REVIEWSET_CHUNKS * REVIEWSET_PART)

/* A review: what its lists sort and filter on, and its JSON. */
struct reviewset_item {
	int64_t		 date;		/* ms since the epoch */
	int32_t		 id;
	int32_t		 votes;		/* helpfulness */
	uint8_t		 rating;
	uint8_t		 photos;	/* 1 when it has any */
	uint16_t	 len;		/* bytes of its JSON (a NUL follows) */
	uint32_t	 off;		/* where its JSON starts in the text */
};

struct reviewset {
	uint32_t		 n;	/* items, or REVIEWSET_BIG */
	uint32_t		 text;	/* bytes of JSON after the items */
	struct reviewset_item	 item[];
};

/* The items of one answer, in its order. */
struct reviewset_page {
	const struct reviewset_item	*item[REVIEWSET_MAX];
	int				 n;
	int				 more;	/* more come after the last */
};

int	 reviewset_build(const PGresult *, void *, size_t, size_t *);
size_t	 reviewset_big(void *);
int	 reviewset_valid(const void *, size_t);
void	 reviewset_select(const struct reviewset *, const struct cache_key *,
	    struct reviewset_page *);
const char *reviewset_json(const struct reviewset *,
	    const struct reviewset_item *);
const struct reviewset *reviewset_get(int32_t, void *);
void	 reviewset_put(int32_t, uint64_t, const void *, size_t);

#endif
