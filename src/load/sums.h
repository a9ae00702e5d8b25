/*
 * The aggregates summed while the rows load, so that no UPDATE of
 * millions of rows runs afterwards: per product the ratings 1..5 and the
 * recommend counts of its unreported reviews, and how many of those have
 * a photo (product_meta), per characteristic the sum and count of its
 * ratings by unreported reviews.
 * Kept in flat arrays for ids and products below IDMAP_DENSE; anything
 * past them makes the sums "slow": the loader then sums in SQL instead
 * (aggregates.sql) and these arrays are not used.
 */
#ifndef SUMS_H
#define SUMS_H

#include <stdint.h>

#include "copy.h"

void	 sums_init(void);
void	 sums_review(int64_t, int64_t, int, int);
void	 sums_photo(int64_t);
void	 sums_char_id(int64_t);
void	 sums_rating(int64_t, int64_t);
void	 sums_char(int64_t, int64_t *, int32_t *);
int	 sums_slow(void);
long	 sums_meta(struct copy *);

#endif
