/*
 * The 64-bit mixer every table of the project hashes with: the splitmix64
 * finalizer, a bijection whose output bits each depend on every input bit.
 * The generator steps its random numbers with it too, so it must never
 * change: the generated files are specified byte for byte by it.
 */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t
hash_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/*
 * A 64-bit hash of len bytes, the same on every machine (words are read
 * little-endian whatever the host): ETags are computed from it, and every
 * app server must give the same body the same tag.
 */
static inline uint64_t
hash_bytes(const void *p, size_t len)
{
	const unsigned char	*s = p;
	uint64_t		 h = 0x9E3779B97F4A7C15ULL ^ len, w;
	size_t			 i, j;

	for (i = 0; i + 8 <= len; i += 8) {
		for (w = 0, j = 0; j < 8; j++)
			w |= (uint64_t)s[i + j] << (8 * j);
		h = hash_mix(h ^ w);
	}
	for (w = 0, j = 0; i + j < len; j++)
		w |= (uint64_t)s[i + j] << (8 * j);
	return hash_mix(h ^ w ^ (uint64_t)j << 59);
}

#endif
