/*
 * The plan of a data set: how many reviews each product has and which
 * category of characteristics, drawn once, up front, and fitted so the row
 * counts land exactly on the scaled counts of the original; and the rows
 * before every chunk in every file, so a chunk can be made alone.
 */
#ifndef GEN_PLAN_H
#define GEN_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "rows.h"

#define PLAN_SCALE_MAX	100.0		/* keeps every id below 2^31 */

/*
 * The per-product plan and the first row id of every chunk in every file;
 * read-only once the workers start.
 */
struct plan {
	uint64_t	 seed;
	uint32_t	 nprod;
	uint32_t	 nchunk;
	uint32_t	*nrev;		/* [1..nprod]: reviews of the product */
	unsigned char	*cat;		/* [1..nprod]: index into pools_cats */
	uint64_t	*start[ROWS__MAX]; /* [0..nchunk]: rows before chunk */
	uint64_t	 rows[ROWS__MAX];
	uint64_t	*fix;		/* sorted (review id << 1 | up) */
	size_t		 nfix;		/* reviews with one photo more/less */
};

uint32_t	 plan_products(double);
int		 plan_build(struct plan *, double, uint64_t);
void		 plan_free(struct plan *);
size_t		 plan_fix_find(const struct plan *, uint64_t);

#endif
