/*
 * The read handlers' side of the response cache: an answer from the cache
 * (counted as a hit), or a ticket to compute one (a miss), and storing what
 * was computed with its ETag.  Either way the answer is a tagged 200.
 */
#ifndef READCACHE_H
#define READCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "cache.h"
#include "http.h"

int		 readcache_get(const struct cache_key *, struct answer *,
		    uint64_t *);
int		 readcache_wrote(const int32_t *, int);
struct answer	 readcache_put(const struct cache_key *, uint64_t,
		    const char *, size_t);

#endif
