#include "db.h"
#include "hash.h"
#include "metrics.h"
#include "readcache.h"

/*
 * The cached answer for key: returns 1 with *a set.  Else returns 0 with
 * *ticket the value to store the answer under once computed (read before
 * the database is asked: see cache_generation).
 */
int
readcache_get(const struct cache_key *key, struct answer *a, uint64_t *ticket)
{
	const char	*out;
	uint64_t	 etag;
	size_t		 len;

	if ((out = cache_get(key, &len, &etag)) != NULL) {
		metrics_count(METRICS_CACHE_HIT);
		*a = answer_tagged(out, len, etag);
		return 1;
	}
	metrics_count(METRICS_CACHE_MISS);
	*ticket = cache_generation(key->product);
	return 0;
}

/*
 * After a write to the n products committed, before it is acknowledged:
 * their cached answers go, and their reads need from now on what the
 * primary has written so far replayed on a standby (db_wal_position).
 * Returns 0, or -1 when that position could not be had (the connection was
 * lost just after the commit: answer 503, as when a commit is in doubt).
 */
int
readcache_wrote(const int32_t *products, int n)
{
	uint64_t	 lsn = db_wal_position();
	int		 i;

	for (i = 0; i < n; i++) {
		if (lsn == CACHE_LSN_UNKNOWN)
			cache_bump(products[i]);
		else
			cache_wrote(products[i], lsn);
	}
	return lsn == CACHE_LSN_UNKNOWN ? -1 : 0;
}

/* Store the computed answer (len bytes at out) and return it, tagged. */
struct answer
readcache_put(const struct cache_key *key, uint64_t ticket, const char *out,
    size_t len)
{
	uint64_t	 etag = hash_bytes(out, len);

	cache_put(key, ticket, out, len, etag);
	return answer_tagged(out, len, etag);
}
