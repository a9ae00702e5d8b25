#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "clock.h"
#include "hash.h"

#define CACHE_MAGIC	0x52564335u	/* "RVC5" */
#define CACHE_GENS	(1u << 20)	/* product generation counters */
#define CACHE_SLOT	4096		/* bytes per slot, header included */
#define CACHE_METRICS	(1u << 20)	/* bytes for the workers' metrics */
#define CACHE_WAYS	4		/* slots a key may take: one set */

struct cache_head {
	uint32_t	 magic;
	uint32_t	 nslots;
	uint64_t	 epoch;
	int64_t		 heard_ms;
	uint64_t	 invalidations;
	uint64_t	 drops;
	uint64_t	 connects;
	uint64_t	 lsn_all;	/* every product needs this much replayed */
	uint32_t	 nstandbys;
	uint32_t	 pad;
	struct cache_standby standbys[CACHE_STANDBYS];
};

/*
 * One cached answer.  seq is a sequence lock: odd while a worker writes
 * the slot; a reader copies the slot and keeps the copy only if seq was
 * even and unchanged around the copy.  ticket is cache_generation's value
 * when the answer was computed.
 */
struct cache_slot {
	uint32_t	 seq;
	uint32_t	 len;
	uint64_t	 ticket;
	int64_t		 stored_ms;
	uint64_t	 etag;
	struct cache_key key;
	char		 data[CACHE_SLOT - 32 - sizeof(struct cache_key)];
};

#define CACHE_DATA_MAX	(sizeof(((struct cache_slot *)0)->data))

_Static_assert(sizeof(struct cache_slot) == CACHE_SLOT, "slot layout");
_Static_assert(CACHE_DATA_MAX == CACHE_ENTRY_MAX, "cache.h's entry size");
_Static_assert(sizeof(struct cache_head) <= CACHE_SLOT, "head layout");

static struct cache_head	*cache_head;
static void			*cache_metrics;
static uint64_t			*cache_gens;
static uint64_t			*cache_lsn_wrote;	/* by this host's writers */
static uint64_t			*cache_lsn_heard;	/* by its listener */
static struct cache_slot	*cache_slots;
static size_t			 cache_map_len;
static uint32_t			 cache_nslots;	/* 0: no answers kept */
static long			 cache_ttl_ms;
static struct cache_slot	 cache_copy;

/*
 * Map the region at path (a file in /dev/shm), creating it with room for
 * mb megabytes of answers if it is new; every worker of a host and its
 * listener call this with the same arguments.  ttl_ms bounds the age of an
 * answer served (0, or mb 0: keep none; the region still holds the
 * metrics).  Returns 0, or -1 (the worker then runs without either).
 */
int
cache_open(const char *path, size_t mb, long ttl_ms)
{
	struct stat	 st;
	size_t		 len, nslots;
	void		*p;
	int		 fd;

	if (path == NULL || *path == '\0')
		return -1;
	nslots = ttl_ms > 0 ? (mb << 20) / CACHE_SLOT / CACHE_WAYS * CACHE_WAYS : 0;
	len = CACHE_SLOT + CACHE_METRICS + 3 * CACHE_GENS * sizeof(uint64_t) +
	    nslots * CACHE_SLOT;
	if ((fd = open(path, O_RDWR | O_CREAT, 0600)) < 0) {
		fprintf(stderr, "reviews: cache %s: %s\n", path, strerror(errno));
		return -1;
	}
	/* Every process sizes it alike; a racing second truncate is a no-op.
	 * New pages read as zero: even sequence numbers, empty slots, and no
	 * confirmation heard yet. */
	if (fstat(fd, &st) < 0 ||
	    ((size_t)st.st_size < len && ftruncate(fd, (off_t)len) < 0)) {
		fprintf(stderr, "reviews: cache %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "reviews: cache mmap: %s\n", strerror(errno));
		return -1;
	}
	cache_head = p;
	cache_metrics = (char *)p + CACHE_SLOT;
	cache_gens = (uint64_t *)((char *)cache_metrics + CACHE_METRICS);
	cache_lsn_wrote = cache_gens + CACHE_GENS;
	cache_lsn_heard = cache_lsn_wrote + CACHE_GENS;
	cache_slots = (struct cache_slot *)(cache_lsn_heard + CACHE_GENS);
	cache_map_len = len;
	cache_nslots = (uint32_t)nslots;
	cache_ttl_ms = ttl_ms;
	__atomic_store_n(&cache_head->magic, CACHE_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

/* Unmap the region (at exit). */
void
cache_close(void)
{
	if (cache_head != NULL)
		munmap(cache_head, cache_map_len);
	cache_head = NULL;
	cache_nslots = 0;
}

/* Whether this process keeps answers at all. */
int
cache_enabled(void)
{
	return cache_head != NULL && cache_nslots > 0;
}

/* Whether the listener's latest confirmation is recent enough at now. */
int
cache_listening(int64_t now)
{
	int64_t	 heard;

	if (cache_head == NULL)
		return 0;
	heard = __atomic_load_n(&cache_head->heard_ms, __ATOMIC_ACQUIRE);
	return heard != 0 && now - heard <= CACHE_HEARD_MS;
}

/* The generation counter of product (shared by a few products). */
static uint64_t *
cache_gen_of(int32_t product)
{
	return &cache_gens[(uint32_t)product & (CACHE_GENS - 1)];
}

/* The epoch and product's generation as one nonzero value. */
static uint64_t
cache_ticket(int32_t product)
{
	uint64_t	 epoch, gen;

	epoch = __atomic_load_n(&cache_head->epoch, __ATOMIC_ACQUIRE);
	gen = __atomic_load_n(cache_gen_of(product), __ATOMIC_ACQUIRE);
	return 1ull << 63 | (epoch & 0x7fffffull) << 40 |
	    (gen & ((1ull << 40) - 1));
}

/*
 * The ticket of an answer about product computed from now on: its epoch
 * and generation, or 0 when no answer may be stored (no cache, or the
 * listener is not confirming).  Read it before computing the answer: a
 * write committed after this read bumps the generation after committing,
 * so the answer, whatever snapshot it saw, is never served after that.
 */
uint64_t
cache_generation(int32_t product)
{
	if (!cache_enabled() || !cache_listening(clock_ms()))
		return 0;
	return cache_ticket(product);
}

/* After a write to product commits, and before it is acknowledged. */
void
cache_bump(int32_t product)
{
	if (cache_head != NULL)
		__atomic_add_fetch(cache_gen_of(product), 1, __ATOMIC_SEQ_CST);
}

/* The listener heard that another process wrote to product. */
void
cache_invalidate(int32_t product)
{
	if (cache_head == NULL)
		return;
	cache_bump(product);
	__atomic_add_fetch(&cache_head->invalidations, 1, __ATOMIC_RELAXED);
}

/* Drop every answer: a new epoch. */
void
cache_drop_all(void)
{
	if (cache_head == NULL)
		return;
	__atomic_add_fetch(&cache_head->epoch, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&cache_head->drops, 1, __ATOMIC_RELAXED);
}

/*
 * The listener (re)connected and listens again: what it may have missed
 * meanwhile is unknown, so every answer goes.
 */
void
cache_connected(void)
{
	if (cache_head == NULL)
		return;
	cache_drop_all();
	__atomic_add_fetch(&cache_head->connects, 1, __ATOMIC_RELAXED);
}

/*
 * The listener has applied every notification committed before sent_ms
 * (its own ping, sent then, came back through the channel).
 */
void
cache_heard(int64_t sent_ms)
{
	if (cache_head != NULL &&
	    sent_ms > __atomic_load_n(&cache_head->heard_ms, __ATOMIC_RELAXED))
		__atomic_store_n(&cache_head->heard_ms, sent_ms,
		    __ATOMIC_RELEASE);
}

/* The listener stopped confirming: no answer is served from now on. */
void
cache_deaf(void)
{
	if (cache_head != NULL)
		__atomic_store_n(&cache_head->heard_ms, 0, __ATOMIC_RELEASE);
}

/*
 * Replay positions (PostgreSQL LSNs) a product's reads need.  A standby
 * may answer a read of product only once it has replayed this far; else
 * the read goes to the primary.  Three sources, the highest wins:
 *  - this host's writers: the primary's WAL position after their commit,
 *    recorded before the write is acknowledged (cache_wrote);
 *  - the listener: for a product another host wrote, CACHE_LSN_UNKNOWN
 *    from the notification until its next ping returns the primary's
 *    position (taken after that commit), then that position;
 *  - lsn_all for every product: unknown from a (re)connect of the
 *    listener or a whole-cache drop until the next ping returns.
 * While the listener does not confirm, every product's is unknown: writes
 * of other hosts may be missed.  Products share slots as generations do
 * (a shared slot only sends more reads to the primary).
 */
static void
cache_lsn_raise(uint64_t *p, uint64_t lsn)
{
	uint64_t	 old = __atomic_load_n(p, __ATOMIC_RELAXED);

	while (old < lsn && !__atomic_compare_exchange_n(p, &old, lsn, 0,
	    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
}

uint64_t
cache_lsn_needed(int32_t product)
{
	uint32_t	 i = (uint32_t)product & (CACHE_GENS - 1);
	uint64_t	 a, b, c;

	if (cache_head == NULL || !cache_listening(clock_ms()))
		return CACHE_LSN_UNKNOWN;
	a = __atomic_load_n(&cache_head->lsn_all, __ATOMIC_ACQUIRE);
	b = __atomic_load_n(&cache_lsn_wrote[i], __ATOMIC_ACQUIRE);
	c = __atomic_load_n(&cache_lsn_heard[i], __ATOMIC_ACQUIRE);
	return a > b ? (a > c ? a : c) : (b > c ? b : c);
}

/* A write to product committed at or before lsn: then bump it. */
void
cache_wrote(int32_t product, uint64_t lsn)
{
	if (cache_head == NULL)
		return;
	cache_lsn_raise(&cache_lsn_wrote[(uint32_t)product & (CACHE_GENS - 1)],
	    lsn);
	cache_bump(product);
}

/*
 * The listener's side: what product's reads need from now on (lsn, or
 * CACHE_LSN_UNKNOWN until a later call), or every product's (product < 0).
 */
void
cache_lsn_heard_set(int32_t product, uint64_t lsn)
{
	if (cache_head == NULL)
		return;
	if (product < 0)
		__atomic_store_n(&cache_head->lsn_all, lsn, __ATOMIC_SEQ_CST);
	else
		__atomic_store_n(&cache_lsn_heard[(uint32_t)product &
		    (CACHE_GENS - 1)], lsn, __ATOMIC_SEQ_CST);
}

/* Whether two products share a slot of replay positions. */
int
cache_lsn_shared(int32_t a, int32_t b)
{
	return (((uint32_t)a ^ (uint32_t)b) & (CACHE_GENS - 1)) == 0;
}

/*
 * The standbys' replication lag as the primary reports it, written by the
 * listener (n of them; names set once), read for /metrics.
 */
void
cache_standbys_set(const struct cache_standby *sb, int n)
{
	int	 i;

	if (cache_head == NULL)
		return;
	if (n > CACHE_STANDBYS)
		n = CACHE_STANDBYS;
	for (i = 0; i < n; i++) {
		__atomic_add_fetch(&cache_head->standbys[i].seq, 1,
		    __ATOMIC_ACQ_REL);
		memcpy(cache_head->standbys[i].name, sb[i].name,
		    sizeof(sb[i].name));
		cache_head->standbys[i].lag_bytes = sb[i].lag_bytes;
		cache_head->standbys[i].lag_ms = sb[i].lag_ms;
		cache_head->standbys[i].at_ms = sb[i].at_ms;
		__atomic_add_fetch(&cache_head->standbys[i].seq, 1,
		    __ATOMIC_RELEASE);
	}
	__atomic_store_n(&cache_head->nstandbys, (uint32_t)n, __ATOMIC_RELEASE);
}

int
cache_standbys_get(struct cache_standby *sb)
{
	uint32_t	 n, i, seq;

	if (cache_head == NULL)
		return 0;
	n = __atomic_load_n(&cache_head->nstandbys, __ATOMIC_ACQUIRE);
	for (i = 0; i < n && i < CACHE_STANDBYS; i++) {
		do {
			seq = __atomic_load_n(&cache_head->standbys[i].seq,
			    __ATOMIC_ACQUIRE);
			sb[i] = cache_head->standbys[i];
			__atomic_thread_fence(__ATOMIC_ACQUIRE);
		} while ((seq & 1) || seq != __atomic_load_n(
		    &cache_head->standbys[i].seq, __ATOMIC_RELAXED));
		sb[i].name[sizeof(sb[i].name) - 1] = '\0';
	}
	return (int)n;
}

/* The host-wide counters. */
void
cache_stats(struct cache_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (cache_head == NULL)
		return;
	st->invalidations = __atomic_load_n(&cache_head->invalidations,
	    __ATOMIC_RELAXED);
	st->drops = __atomic_load_n(&cache_head->drops, __ATOMIC_RELAXED);
	st->listener_connects = __atomic_load_n(&cache_head->connects,
	    __ATOMIC_RELAXED);
	st->heard_ms = __atomic_load_n(&cache_head->heard_ms, __ATOMIC_RELAXED);
	st->nslots = cache_nslots;
}

/* The metrics area: len bytes, zero when new; NULL without a region. */
void *
cache_metrics_area(size_t *len)
{
	*len = CACHE_METRICS;
	return cache_head != NULL ? cache_metrics : NULL;
}

/*
 * The set of CACHE_WAYS slots key may take: a 64-bit mix of its fields.
 * Four ways instead of one: with as many answers as slots, a direct-mapped
 * cache keeps about six in ten of them, a four-way one nearly all.
 */
static struct cache_slot *
cache_set_of(const struct cache_key *key)
{
	uint64_t	 h = hash_bytes(key, sizeof(*key));

	return &cache_slots[h % (cache_nslots / CACHE_WAYS) * CACHE_WAYS];
}

/*
 * Copy slot s into c if it is stable (not being written) and holds key;
 * returns 1 when the copy is good.
 */
static int
cache_copy_slot(const struct cache_slot *s, const struct cache_key *key,
    struct cache_slot *c)
{
	uint32_t	 seq;

	seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
	if ((seq & 1) || memcmp(&s->key, key, sizeof(*key)) != 0)
		return 0;
	memcpy(c, s, offsetof(struct cache_slot, data));
	if (c->len == 0 || c->len > CACHE_DATA_MAX)
		return 0;
	memcpy(c->data, s->data, c->len);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&s->seq, __ATOMIC_RELAXED) == seq &&
	    memcmp(&c->key, key, sizeof(*key)) == 0;
}

/*
 * An answer for key still valid now, or NULL; *etag is its ETag.  The
 * bytes are a private copy, valid until the next call (the caller does not
 * free them).
 */
const char *
cache_get(const struct cache_key *key, size_t *len, uint64_t *etag)
{
	struct cache_slot	*set, *c = &cache_copy;
	uint64_t		 ticket;
	int64_t			 now;
	int			 w;

	now = clock_ms();
	if (!cache_enabled() || !cache_listening(now))
		return NULL;
	ticket = cache_ticket(key->product);
	set = cache_set_of(key);
	for (w = 0; w < CACHE_WAYS; w++) {
		if (!cache_copy_slot(&set[w], key, c))
			continue;
		if (c->ticket != ticket || now - c->stored_ms >= cache_ttl_ms)
			continue;	/* a racing duplicate may be newer */
		*len = c->len;
		*etag = c->etag;
		return c->data;
	}
	return NULL;
}

/*
 * The slot of set to store key in: the one holding key already, else an
 * empty one, else one whose answer can no longer be served, else the
 * oldest.
 */
static struct cache_slot *
cache_victim(struct cache_slot *set, const struct cache_key *key, int64_t now)
{
	struct cache_slot	*s, *oldest = set;
	int			 w;

	for (w = 0; w < CACHE_WAYS; w++)
		if (memcmp(&set[w].key, key, sizeof(*key)) == 0)
			return &set[w];
	for (w = 0; w < CACHE_WAYS; w++) {
		s = &set[w];
		if (s->len == 0 || s->ticket != cache_ticket(s->key.product) ||
		    now - s->stored_ms >= cache_ttl_ms)
			return s;
		if (s->stored_ms < oldest->stored_ms)
			oldest = s;
	}
	return oldest;
}

/*
 * Store an answer computed after cache_generation gave ticket, with its
 * ETag.  A ticket of 0, too large an answer, or a slot another worker is
 * writing: simply not cached.
 */
void
cache_put(const struct cache_key *key, uint64_t ticket, const char *data,
    size_t len, uint64_t etag)
{
	struct cache_slot	*s;
	int64_t			 now = clock_ms();
	uint32_t		 seq;

	if (!cache_enabled() || ticket == 0 || len == 0 || len > CACHE_DATA_MAX)
		return;
	s = cache_victim(cache_set_of(key), key, now);
	seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
	if ((seq & 1) || !__atomic_compare_exchange_n(&s->seq, &seq, seq + 1,
	    0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	s->key = *key;
	s->ticket = ticket;
	s->stored_ms = now;
	s->etag = etag;
	s->len = (uint32_t)len;
	memcpy(s->data, data, len);
	__atomic_store_n(&s->seq, seq + 2, __ATOMIC_RELEASE);
}
