/*
 * SHA-256 (FIPS 180-4), for the admin tokens: the token file holds each
 * token's hash, never the token, and a presented token is hashed and
 * compared in constant time.  Small and dependency-free, so the worker
 * needs no crypto library for it.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN	32

struct sha256 {
	uint32_t	 h[8];
	uint64_t	 bytes;		/* message length so far */
	unsigned char	 block[64];
	size_t		 used;		/* bytes in block */
};

void	 sha256_init(struct sha256 *);
void	 sha256_add(struct sha256 *, const void *, size_t);
void	 sha256_end(struct sha256 *, unsigned char [SHA256_LEN]);
void	 sha256(const void *, size_t, unsigned char [SHA256_LEN]);

#endif
