#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "clock.h"
#include "hash.h"

#define CACHE_MAGIC	0x52564331u	/* "RVC1" */
#define CACHE_GENS	(1u << 20)	/* product generation counters */
#define CACHE_SLOT	4096		/* bytes per slot, header included */

struct cache_head {
	uint32_t	 magic;
	uint32_t	 nslots;
};

/*
 * One cached response.  seq is a sequence lock: odd while a worker writes
 * the slot; a reader copies the slot and keeps the copy only if seq was
 * even and unchanged around the copy.
 */
struct cache_slot {
	uint32_t	 seq;
	uint32_t	 len;
	uint64_t	 gen;
	int64_t		 stored_ms;
	struct cache_key key;
	char		 data[CACHE_SLOT - 40];
};

#define CACHE_DATA_MAX	(sizeof(((struct cache_slot *)0)->data))

_Static_assert(sizeof(struct cache_slot) == CACHE_SLOT, "slot layout");

static struct cache_head	*cache_head;
static uint64_t			*cache_gens;
static struct cache_slot	*cache_slots;
static size_t			 cache_map_len;
static long			 cache_ttl_ms;
static struct cache_slot		 cache_copy;

/*
 * Map the region at path (a file in /dev/shm), creating it with mb
 * megabytes if it is new; every worker of a pool calls this with the same
 * arguments.  ttl_ms bounds the age of a response served.  Returns 0, or -1
 * (the worker then runs without a cache).
 */
int
cache_open(const char *path, size_t mb, long ttl_ms)
{
	struct stat	 st;
	size_t		 len, nslots;
	void		*p;
	int		 fd;

	if (path == NULL || *path == '\0' || mb == 0 || ttl_ms <= 0)
		return -1;
	nslots = (mb << 20) / CACHE_SLOT;
	len = CACHE_SLOT + CACHE_GENS * sizeof(uint64_t) + nslots * CACHE_SLOT;
	if ((fd = open(path, O_RDWR | O_CREAT, 0600)) < 0) {
		fprintf(stderr, "reviews-fcgi: cache %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	/* Every worker sizes it alike; a racing second truncate is a no-op.
	 * New pages read as zero: even sequence numbers, empty slots. */
	if (fstat(fd, &st) < 0 ||
	    ((size_t)st.st_size != len && ftruncate(fd, (off_t)len) < 0)) {
		fprintf(stderr, "reviews-fcgi: cache %s: %s\n", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "reviews-fcgi: cache mmap: %s\n", strerror(errno));
		return -1;
	}
	cache_head = p;
	cache_gens = (uint64_t *)((char *)p + CACHE_SLOT);
	cache_slots = (struct cache_slot *)(cache_gens + CACHE_GENS);
	cache_map_len = len;
	cache_ttl_ms = ttl_ms;
	__atomic_store_n(&cache_head->nslots, (uint32_t)nslots, __ATOMIC_RELAXED);
	__atomic_store_n(&cache_head->magic, CACHE_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

/* Unmap the region (at worker exit). */
void
cache_close(void)
{
	if (cache_head != NULL)
		munmap(cache_head, cache_map_len);
	cache_head = NULL;
}

int
cache_enabled(void)
{
	return cache_head != NULL;
}

/* The generation counter of product (shared by a few products). */
static uint64_t *
cache_gen_of(int32_t product)
{
	return &cache_gens[(uint32_t)product & (CACHE_GENS - 1)];
}

/*
 * Product's generation, read before computing a response that will be
 * cached: a write that commits after this read bumps it after committing,
 * so the response, whatever snapshot it saw, is never served after that.
 */
uint64_t
cache_generation(int32_t product)
{
	if (cache_head == NULL)
		return 0;
	return __atomic_load_n(cache_gen_of(product), __ATOMIC_ACQUIRE);
}

/* After a write to product commits, and before it is acknowledged. */
void
cache_bump(int32_t product)
{
	if (cache_head != NULL)
		__atomic_add_fetch(cache_gen_of(product), 1, __ATOMIC_SEQ_CST);
}

/* The slot for key: a 64-bit mix of its fields, direct-mapped. */
static struct cache_slot *
cache_slot_of(const struct cache_key *key)
{
	uint64_t	 h;

	h = hash_mix((uint64_t)(uint32_t)key->product ^
	    ((uint64_t)key->kind << 56) ^ ((uint64_t)key->sort << 48) ^
	    ((uint64_t)(uint32_t)key->page << 20) ^ (uint64_t)(uint32_t)key->count);
	return &cache_slots[h % cache_head->nslots];
}

/*
 * A response for key still valid now, or NULL.  The bytes are a private
 * copy, valid until the next call (the caller does not free them).
 */
const char *
cache_get(const struct cache_key *key, size_t *len)
{
	struct cache_slot	*s;
	struct cache_slot	*c = &cache_copy;
	uint32_t		 seq;

	if (cache_head == NULL)
		return NULL;
	s = cache_slot_of(key);
	seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
	if (seq & 1)
		return NULL;
	memcpy(c, s, offsetof(struct cache_slot, data));
	if (c->len > CACHE_DATA_MAX)
		return NULL;
	memcpy(c->data, s->data, c->len);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&s->seq, __ATOMIC_RELAXED) != seq)
		return NULL;
	if (c->len == 0 || memcmp(&c->key, key, sizeof(*key)) != 0 ||
	    c->gen != cache_generation(key->product) ||
	    clock_ms() - c->stored_ms >= cache_ttl_ms)
		return NULL;
	*len = c->len;
	return c->data;
}

/*
 * Store a response computed after reading generation gen.  Too large a
 * response, or a slot another worker is writing, is simply not cached.
 */
void
cache_put(const struct cache_key *key, uint64_t gen, const char *data,
    size_t len)
{
	struct cache_slot	*s;
	uint32_t		 seq;

	if (cache_head == NULL || len == 0 || len > CACHE_DATA_MAX)
		return;
	s = cache_slot_of(key);
	seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
	if ((seq & 1) || !__atomic_compare_exchange_n(&s->seq, &seq, seq + 1,
	    0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	s->key = *key;
	s->gen = gen;
	s->stored_ms = clock_ms();
	s->len = (uint32_t)len;
	memcpy(s->data, data, len);
	__atomic_store_n(&s->seq, seq + 2, __ATOMIC_RELEASE);
}
