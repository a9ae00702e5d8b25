/*
 * Kept ids and what each belongs to (a review's or a characteristic's
 * product, or just 1 for "seen"): a flat array for ids below IDMAP_DENSE,
 * the hash table of table.h above it.  0 means "not kept".  Ids are below
 * 2^31.
 */
#ifndef IDMAP_H
#define IDMAP_H

#include <stdint.h>

#include "table.h"

#define IDMAP_DENSE	(1u << 26)	/* ids below: a flat array; above: a hash */

struct idmap {
	int32_t		*dense;		/* IDMAP_DENSE entries */
	struct table	 over;		/* id -> value, for ids past them */
};

void	 idmap_init(struct idmap *);
int32_t	 idmap_get(const struct idmap *, int64_t);
void	 idmap_put(struct idmap *, int64_t, int32_t);

#endif
