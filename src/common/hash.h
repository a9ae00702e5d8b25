/*
 * The 64-bit mixer every table of the project hashes with: the splitmix64
 * finalizer, a bijection whose output bits each depend on every input bit.
 * The generator steps its random numbers with it too, so it must never
 * change: the generated files are specified byte for byte by it.
 */
#ifndef HASH_H
#define HASH_H

#include <stdint.h>

static inline uint64_t
hash_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

#endif
