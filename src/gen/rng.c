#include <stdint.h>

#include "hash.h"
#include "rng.h"

/*
 * Seed a generator for row id of a stream, independent of all others, so
 * that a row is made without making the rows before it.
 */
void
rng_seed(struct rng *r, uint64_t seed, enum rng_stream stream, uint64_t id)
{
	r->s = hash_mix(hash_mix(seed +
	    0xD1B54A32D192ED03ULL * (uint64_t)stream) ^
	    (id * 0x9E3779B97F4A7C15ULL));
}
