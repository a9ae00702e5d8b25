#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "copy.h"
#include "die.h"
#include "idmap.h"
#include "sums.h"

/*
 * One product's product_meta row.  The photos thread alone writes wp,
 * while the ratings thread writes only the characteristics' arrays.
 */
struct pstat {
	int32_t		 r[5], rf, rt, wp;
};

static struct pstat	*pstats;
static int64_t		*char_sum;
static int32_t		*char_count;
static volatile int	 slow_aggregates;	/* something past IDMAP_DENSE */
static int64_t		 max_product;

/*
 * Allocate the arrays, zeroed; dies when memory runs out.  They live as
 * long as the program; nothing frees them.
 */
void
sums_init(void)
{
	if ((pstats = calloc(IDMAP_DENSE, sizeof(*pstats))) == NULL ||
	    (char_sum = calloc(IDMAP_DENSE, sizeof(*char_sum))) == NULL ||
	    (char_count = calloc(IDMAP_DENSE, sizeof(*char_count))) == NULL)
		die("out of memory");
}

/*
 * Count a loaded review of product with rating (1..5) and recommend (0 or
 * 1) in its product's row, unless it is reported: reported reviews count
 * in no aggregate.
 */
void
sums_review(int64_t product, int64_t rating, int recommend, int reported)
{
	if (product >= IDMAP_DENSE)
		slow_aggregates = 1;
	else if (!reported) {
		if (product > max_product)
			max_product = product;
		pstats[product].r[rating - 1]++;
		if (recommend)
			pstats[product].rt++;
		else
			pstats[product].rf++;
	}
}

/*
 * Count an unreported review of product that has a photo, once per review
 * (the caller knows which reviews have had one already).
 */
void
sums_photo(int64_t product)
{
	if (product < IDMAP_DENSE)
		pstats[product].wp++;
}

/* Note a loaded characteristic's id: one past the arrays makes sums slow. */
void
sums_char_id(int64_t id)
{
	if (id >= IDMAP_DENSE)
		slow_aggregates = 1;
}

/*
 * Count a loaded rating (1..5) of characteristic chr by an unreported
 * review (the caller knows which reviews are reported).
 */
void
sums_rating(int64_t chr, int64_t value)
{
	if (chr < IDMAP_DENSE) {
		char_sum[chr] += value;
		char_count[chr]++;
	}
}

/*
 * The sum and count of characteristic chr's ratings, once every rating is
 * in; both 0 when the sums are slow (aggregates.sql fills them in later).
 */
void
sums_char(int64_t chr, int64_t *sum, int32_t *count)
{
	*sum = slow_aggregates ? 0 : char_sum[chr];
	*count = slow_aggregates ? 0 : char_count[chr];
}

/* Whether something lay past the arrays, so SQL must sum instead. */
int
sums_slow(void)
{
	return slow_aggregates;
}

/*
 * Append product_meta's rows to o in COPY text format, one per product
 * with an unreported review, once every review is in.  Returns how many.
 */
long
sums_meta(struct copy *o)
{
	const struct pstat	*p;
	char			*w;
	int64_t			 id;
	long			 n = 0;

	for (id = 1; id <= max_product; id++) {
		p = &pstats[id];
		if ((p->rf | p->rt) == 0)
			continue;
		w = copy_room(o, 128);
		o->len += (size_t)snprintf(w, 128,
		    "%" PRId64 "\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", id,
		    p->r[0], p->r[1], p->r[2], p->r[3], p->r[4], p->rf, p->rt,
		    p->wp);
		n++;
	}
	return n;
}
