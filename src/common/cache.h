/*
 * An app server's shared memory: one region that every worker of the host
 * and its listener (src/listen) map.  It holds the response cache (finished
 * JSON answers of reads, each with its ETag), a generation counter per
 * product, and the workers' metrics.
 *
 * A cached answer is served only while it is provably current:
 *  - a write bumps its product's generation on its own host before it is
 *    acknowledged, and through the database (a NOTIFY in the write's
 *    transaction) the listener bumps it on every other host;
 *  - the listener confirms, every few milliseconds, that it has applied
 *    every notification committed before a given time (cache_heard); when
 *    that confirmation is older than CACHE_HEARD_MS (listener dead, slow,
 *    or cut off from the database) no answer is served or stored;
 *  - whenever the listener (re)connects it drops the whole cache (a new
 *    epoch), since it cannot know what it missed;
 *  - the TTL is only a safety net.
 * So another host's write is seen here at most CACHE_HEARD_MS after it
 * committed (API.md allows 100 ms), and usually within a millisecond.
 */
#ifndef CACHE_H
#define CACHE_H

#include <stddef.h>
#include <stdint.h>

/* How old the listener's latest confirmation may be (ms). */
#define CACHE_HEARD_MS	60

/*
 * What an answer depends on: every field of the request that can change
 * its bytes (compared whole: make keys with designated initializers, so
 * what a kind does not use is zero).
 */
struct cache_key {
	uint8_t		 kind;		/* CACHE_LIST, CACHE_META, CACHE_SET */
	uint8_t		 sort;		/* lists: enum valid_sort */
	uint8_t		 ratings;	/* lists: VALID_RATINGS bits */
	uint8_t		 photos;	/* lists: enum cursor_photos */
	uint8_t		 cursor;	/* lists: paged by cursor */
	uint8_t		 stats;		/* meta: with stats */
	uint16_t	 pad;
	int32_t		 product;
	int32_t		 page;		/* lists by page */
	int32_t		 count;		/* lists */
	int32_t		 id;		/* lists by cursor: after this review */
	int64_t		 a;		/* ... with these sort values */
	int64_t		 b;
};

/*
 * Kinds of entries: a list's answer, a meta answer, a product's set of
 * reviews (src/api/reviewset.h: lists are made from it).
 */
enum { CACHE_LIST = 1, CACHE_META = 2, CACHE_SET = 3 };

/* The most bytes an entry holds (a slot, less its header). */
#define CACHE_ENTRY_MAX	4024

/* Host-wide counters of the listener and the cache, for /metrics. */
struct cache_stats {
	uint64_t	 invalidations;	/* products bumped by the listener */
	uint64_t	 drops;		/* whole-cache drops (new epochs) */
	uint64_t	 listener_connects;
	int64_t		 heard_ms;	/* the latest confirmation, or 0 */
	uint32_t	 nslots;
};

int		 cache_open(const char *, size_t, long);
void		 cache_close(void);
int		 cache_enabled(void);
uint64_t	 cache_generation(int32_t);
void		 cache_bump(int32_t);
const char	*cache_get(const struct cache_key *, size_t *, uint64_t *);
void		 cache_put(const struct cache_key *, uint64_t, const char *,
		    size_t, uint64_t);

/* The listener's side. */
void		 cache_invalidate(int32_t);
void		 cache_drop_all(void);
void		 cache_connected(void);
void		 cache_heard(int64_t);
void		 cache_deaf(void);
int		 cache_listening(int64_t);
void		 cache_stats(struct cache_stats *);

/* The workers' metrics area (metrics.c lays it out). */
void		*cache_metrics_area(size_t *);

#endif
