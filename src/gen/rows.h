/*
 * The rows of the four files: their names and header rows, and the
 * content of every row, a pure function of the seed and the row's ids (and,
 * for a review, its product), so any thread can make any row.
 */
#ifndef GEN_ROWS_H
#define GEN_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "pools.h"
#include "rng.h"

/* The four files, in the order they are written. */
enum rows_file {
	ROWS_REVIEWS,
	ROWS_PHOTOS,
	ROWS_CHARS,
	ROWS_CHARREVS,
	ROWS__MAX
};

struct rows_file_def {
	const char	*name;
	const char	*header;	/* the first line, newline included */
};

extern const struct rows_file_def rows_files[ROWS__MAX];

#define ROWS_REVIEW_MAX	4096		/* most bytes of a reviews.csv row */
#define ROWS_SMALL_MAX	256		/* most bytes of any other row */
/*
 * The most bytes rows_chars and rows_charrevs write: a category has at most
 * 4 characteristics, so a product (a review) has at most 4 rows there.
 */
#define ROWS_CHARS_MAX	(4 * ROWS_SMALL_MAX)

void	 rows_review_core(uint64_t, uint64_t, struct rng *, unsigned *,
	    unsigned *);
size_t	 rows_review(char *, uint64_t, uint64_t, uint32_t);
size_t	 rows_photo(char *, uint64_t, uint64_t, uint64_t, unsigned);
size_t	 rows_chars(char *, uint64_t, uint32_t, const struct pools_cat *);
size_t	 rows_charrevs(char *, uint64_t, uint64_t, uint64_t, uint64_t,
	    const struct pools_cat *);

#endif
