/*
 * Chunks, the unit of work: the products cut into runs of CHUNK_PRODUCTS,
 * chunk c of a file holding the rows of chunk c's products (or of their
 * reviews).  A chunk is made from the plan alone, so any thread can make
 * any chunk, and a file is its chunks in order.
 */
#ifndef GEN_CHUNK_H
#define GEN_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "rows.h"

#define CHUNK_PRODUCTS	4096

struct plan;

/* A growable buffer holding one chunk of one file; free p with free(3). */
struct chunk_buf {
	char		*p;
	size_t		 len;
	size_t		 cap;
};

void		 chunk_range(uint32_t, uint32_t, uint32_t *, uint32_t *);
uint32_t	 chunk_count(uint32_t);
int		 chunk_make(const struct plan *, enum rows_file, uint32_t,
		    struct chunk_buf *);

#endif
