/*
 * The rules every row of each file must pass, as DATA.md states them:
 * field counts and types, bounds, text that is valid UTF-8, ids seen once,
 * foreign keys that name a loaded row of the same product, one rating per
 * characteristic and review.  The ids kept while checking are what later
 * files are checked against, so files must be checked in the loader's
 * order (reviews and characteristics, then photos and ratings).  Good rows
 * are written to COPY and summed (sums.h).
 */
#ifndef ROWS_H
#define ROWS_H

#include "copy.h"
#include "csv.h"
#include "load.h"

void		 rows_init(void);
const char	*rows_check(const struct load_file *, const struct csv *,
		    struct copy *);

#endif
