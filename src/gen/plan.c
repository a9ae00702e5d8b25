#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/*
 * Index of the first photo-count fix at or after review rid, by binary
 * search: a chunk of photos starts anywhere in the list.
 */
size_t
plan_fix_find(const struct plan *pl, uint64_t rid)
{
	size_t	 lo = 0, hi = pl->nfix, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (pl->fix[mid] >> 1 < rid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
