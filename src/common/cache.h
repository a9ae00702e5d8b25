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

/* A replay position no standby has reached: "read from the primary". */
#define CACHE_LSN_UNKNOWN	UINT64_MAX

/* A standby's replication lag, as the primary's pg_stat_replication has it. */
#define CACHE_STANDBYS	8
struct cache_standby {
	uint32_t	 seq;		/* odd while the listener writes it */
	char		 name[28];	/* its application_name */
	int64_t		 lag_bytes;	/* WAL written, not yet replayed */
	int64_t		 lag_ms;	/* replay_lag (0 when caught up) */
	int64_t		 at_ms;		/* when the listener read it */
};

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

/* Which database a read may use (see cache.c). */
uint64_t	 cache_lsn_needed(int32_t);
void		 cache_wrote(int32_t, uint64_t);
void		 cache_lsn_heard_set(int32_t, uint64_t);
int		 cache_lsn_shared(int32_t, int32_t);
void		 cache_standbys_set(const struct cache_standby *, int);
int		 cache_standbys_get(struct cache_standby *);

/* The workers' metrics area (metrics.c lays it out). */
void		*cache_metrics_area(size_t *);

#endif
