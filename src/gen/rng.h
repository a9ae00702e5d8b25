/*
 * The generator's random numbers: splitmix64 streams, each seeded from
 * (seed, stream, id), so that every row's content is a pure function of
 * the seed and its id and any thread can make any row.  The generated files
 * are specified byte for byte by these functions: never change what they
 * return.
 */
#ifndef GEN_RNG_H
#define GEN_RNG_H

#include <stdint.h>

#include "hash.h"

/*
 * Independent random streams; a row's stream is seeded by its id.  The
 * values take part in the seeding, so they are spelled out and never move.
 */
enum rng_stream {
	RNG_S_PLAN = 1,
	RNG_S_REVIEW = 2,
	RNG_S_PHOTO = 3,
	RNG_S_SWAP = 4,
	RNG_S_CHARREV = 5
};

/* splitmix64 state: one per row, seeded by rng_seed. */
struct rng {
	uint64_t	 s;
};

void	 rng_seed(struct rng *, uint64_t, enum rng_stream, uint64_t);

/*
 * The draws are inline, like hash_mix: a review row takes a few dozen of
 * them, and a call each would cost more than the draw.
 */

/* Next 64 random bits (splitmix64). */
static inline uint64_t
rng_next(struct rng *r)
{
	r->s += 0x9E3779B97F4A7C15ULL;
	return hash_mix(r->s);
}

/* A uniform integer in [0, n), by multiply-shift (bias below 2^-32). */
static inline uint64_t
rng_below(struct rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* A uniform double in [0, 1). */
static inline double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

#endif
