/*
 * The response cache of one app server: a region of shared memory that all
 * workers of the pool map, holding finished JSON responses of reads, and a
 * generation counter per product that every write bumps after it commits.
 *
 * A cached response is served only while its product's generation is the
 * one read before the response was computed, and it is younger than the
 * TTL.  So on one app server a write is seen by the very next read from any
 * worker; the TTL bounds how long another app server (with its own region)
 * or a change made outside the API (a bulk load) can go unseen.
 */
#ifndef CACHE_H
#define CACHE_H

#include <stddef.h>
#include <stdint.h>

/* What a response depends on. */
struct cache_key {
	uint8_t		 kind;		/* CACHE_LIST or CACHE_META */
	uint8_t		 sort;
	uint16_t	 pad;
	int32_t		 product;
	int32_t		 page;
	int32_t		 count;
};

enum { CACHE_LIST = 1, CACHE_META = 2 };

int		 cache_open(const char *, size_t, long);
void		 cache_close(void);
int		 cache_enabled(void);
uint64_t	 cache_generation(int32_t);
void		 cache_bump(int32_t);
const char	*cache_get(const struct cache_key *, size_t *);
void		 cache_put(const struct cache_key *, uint64_t, const char *, size_t);

#endif
