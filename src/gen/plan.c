#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chunk.h"
#include "plan.h"
#include "pools.h"
#include "rng.h"
#include "rows.h"

/* Row counts of the original data set, scale 1.0. */
#define PLAN_PRODUCTS	1000011.0
#define PLAN_REVIEWED	950072.0
#define PLAN_REVIEWS	5774952.0
#define PLAN_CHARS	3347679.0
#define PLAN_PHOTOS	2742540.0
#define PLAN_CHARREVS	19327575.0

/* round(x) for the non-negative counts here, without libm. */
static uint64_t
plan_round(double x)
{
	return (uint64_t)(x + 0.5);
}

/* How many products a scale has: the original's count, scaled, rounded. */
uint32_t
plan_products(double scale)
{
	return (uint32_t)plan_round(PLAN_PRODUCTS * scale);
}

/*
 * Reviews of a product that has some: mostly 1 + geometric (mean ~4.9),
 * with a 4% heavy tail (12 x 2^g, g geometric, up to 800) so a few products
 * have hundreds.
 */
static uint32_t
plan_draw_count(struct rng *r)
{
	uint32_t	 n, base;
	unsigned	 g;

	if (rng_below(r, 1000) < 40) {
		for (g = 0; g < 6 && rng_below(r, 100) < 33; g++)
			continue;
		base = 12u << g;
		n = base + (uint32_t)rng_below(r, base + 1);
		return n > 800 ? 800 : n;
	}
	for (n = 1; n < 60 && rng_below(r, 1000) < 795; n++)
		continue;
	return n;
}

/* A category by the per-mille weights of pools_cats. */
static unsigned char
plan_draw_cat(struct rng *r)
{
	uint64_t	 x = rng_below(r, 1000);
	size_t		 i;

	for (i = 0; i + 1 < POOLS_NCATS; i++) {
		if (x < pools_cats[i].weight)
			break;
		x -= pools_cats[i].weight;
	}
	return (unsigned char)i;
}

/*
 * Draw reviews per product: exactly `reviewed` products (chosen by selection
 * sampling) get at least one, and single reviews are then added or removed
 * at random products until the total is exactly nreviews.
 */
static void
plan_reviews(struct plan *pl, struct rng *r, uint64_t reviewed,
    uint64_t nreviews)
{
	uint64_t	 sum = 0, left = reviewed;
	uint32_t	 p;

	for (p = 1; p <= pl->nprod; p++)
		if (left > 0 && rng_below(r, pl->nprod - p + 1) < left) {
			pl->nrev[p] = plan_draw_count(r);
			sum += pl->nrev[p];
			left--;
		}
	while (sum < nreviews) {
		p = 1 + (uint32_t)rng_below(r, pl->nprod);
		if (pl->nrev[p] > 0) {
			pl->nrev[p]++;
			sum++;
		}
	}
	while (sum > nreviews) {
		p = 1 + (uint32_t)rng_below(r, pl->nprod);
		if (pl->nrev[p] > 1) {
			pl->nrev[p]--;
			sum--;
		}
	}
}

/*
 * Draw a category per product, then move random products one category up or
 * down (one characteristic more or fewer) until there are exactly nchars;
 * then swap categories between random pairs of products while that brings
 * the characteristic_reviews total closer to ncharrevs (a swap keeps the
 * characteristics total).
 */
static void
plan_cats(struct plan *pl, struct rng *r, uint64_t nchars,
    uint64_t ncharrevs)
{
	uint64_t	 sum = 0, tries;
	int64_t		 diff = 0, d, a2, b2;
	uint32_t	 p, a, b;
	unsigned char	 t;

	for (p = 1; p <= pl->nprod; p++) {
		pl->cat[p] = plan_draw_cat(r);
		sum += pools_cats[pl->cat[p]].n;
	}
	while (sum < nchars) {
		p = 1 + (uint32_t)rng_below(r, pl->nprod);
		if (pools_cats[pl->cat[p]].up >= 0) {
			pl->cat[p] = (unsigned char)pools_cats[pl->cat[p]].up;
			sum++;
		}
	}
	while (sum > nchars) {
		p = 1 + (uint32_t)rng_below(r, pl->nprod);
		if (pools_cats[pl->cat[p]].down >= 0) {
			pl->cat[p] = (unsigned char)pools_cats[pl->cat[p]].down;
			sum--;
		}
	}
	for (p = 1; p <= pl->nprod; p++)
		diff -= (int64_t)pl->nrev[p] * pools_cats[pl->cat[p]].n;
	diff += (int64_t)ncharrevs;
	for (tries = 0; diff != 0 && tries < 50 * (uint64_t)pl->nprod + 10000;
	    tries++) {
		a = 1 + (uint32_t)rng_below(r, pl->nprod);
		b = 1 + (uint32_t)rng_below(r, pl->nprod);
		d = ((int64_t)pl->nrev[a] - pl->nrev[b]) *
		    ((int64_t)pools_cats[pl->cat[b]].n -
		    pools_cats[pl->cat[a]].n);
		a2 = diff - d < 0 ? d - diff : diff - d;
		b2 = diff < 0 ? -diff : diff;
		if (d == 0 || a2 >= b2)
			continue;
		t = pl->cat[a];
		pl->cat[a] = pl->cat[b];
		pl->cat[b] = t;
		diff -= d;
	}
}

/* qsort comparison of two uint64_t. */
static int
plan_cmp_u64(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Make the photo count exactly target: pick distinct random reviews that get
 * one photo more (or one fewer) than rows_review_core draws, kept sorted by
 * review id in pl->fix, and shift the photo chunk starts to match.  A few
 * hundred or thousand reviews at most; -1 when out of memory.
 */
static int
plan_photos(struct plan *pl, struct rng *r, uint64_t target)
{
	struct rng	 rr;
	uint64_t	 total = pl->rows[ROWS_PHOTOS], nrev, want, rid;
	uint64_t	 tries, i, j;
	int64_t		 acc = 0;
	unsigned	 rating, nphoto;
	int		 up = target > total;
	uint32_t	 c;

	nrev = pl->rows[ROWS_REVIEWS];
	want = up ? target - total : total - target;
	if (want == 0 || nrev == 0)
		return 0;
	if (want > nrev)
		want = nrev;
	if ((pl->fix = calloc(want, sizeof(*pl->fix))) == NULL)
		return -1;
	/* Fill up, then sort and drop duplicates; again if there were any. */
	for (tries = 0; pl->nfix < want; ) {
		for (; pl->nfix < want && tries < 100 * want + 10000; tries++) {
			rid = 1 + rng_below(r, nrev);
			rows_review_core(pl->seed, rid, &rr, &rating, &nphoto);
			if (up ? nphoto < 5 : nphoto > 0)
				pl->fix[pl->nfix++] = rid << 1 | (uint64_t)up;
		}
		qsort(pl->fix, pl->nfix, sizeof(*pl->fix), plan_cmp_u64);
		for (i = j = 0; i < pl->nfix; i++)
			if (j == 0 || pl->fix[j - 1] != pl->fix[i])
				pl->fix[j++] = pl->fix[i];
		if (j == pl->nfix)
			break;
		pl->nfix = j;
	}
	for (c = 0, i = 0; c <= pl->nchunk; c++) {
		while (i < pl->nfix &&
		    pl->fix[i] >> 1 <= pl->start[ROWS_REVIEWS][c])
			acc += pl->fix[i++] & 1 ? 1 : -1;
		pl->start[ROWS_PHOTOS][c] += (uint64_t)acc;
	}
	pl->rows[ROWS_PHOTOS] = pl->start[ROWS_PHOTOS][pl->nchunk];
	return 0;
}

/*
 * Build the plan for a scale (0 < scale <= PLAN_SCALE_MAX) and seed: the
 * per-product arrays, then the rows before every chunk in every file
 * (photos need each review's photo count, which is cheap to recompute).
 * -1 when out of memory.  Either way plan_free releases what it holds.
 */
int
plan_build(struct plan *pl, double scale, uint64_t seed)
{
	struct rng	 r, rr;
	uint64_t	 reviewed, nreviews, nchars, tot[ROWS__MAX] = { 0 };
	uint32_t	 c, p, lo, hi, k;
	unsigned	 rating, nphoto, n;
	int		 f;

	memset(pl, 0, sizeof(*pl));
	pl->seed = seed;
	pl->nprod = plan_products(scale);
	reviewed = plan_round(PLAN_REVIEWED * scale);
	nreviews = plan_round(PLAN_REVIEWS * scale);
	nchars = plan_round(PLAN_CHARS * scale);
	if (reviewed > pl->nprod)
		reviewed = pl->nprod;
	if (reviewed > nreviews)
		reviewed = nreviews;
	if (reviewed == 0 && nreviews > 0)
		reviewed = 1;
	if (nchars < pl->nprod)
		nchars = pl->nprod;
	if (nchars > 4 * (uint64_t)pl->nprod)
		nchars = 4 * (uint64_t)pl->nprod;
	pl->nchunk = chunk_count(pl->nprod);
	pl->nrev = calloc((size_t)pl->nprod + 1, sizeof(*pl->nrev));
	pl->cat = calloc((size_t)pl->nprod + 1, sizeof(*pl->cat));
	if (pl->nrev == NULL || pl->cat == NULL)
		return -1;
	for (f = 0; f < ROWS__MAX; f++)
		if ((pl->start[f] = calloc((size_t)pl->nchunk + 1,
		    sizeof(*pl->start[f]))) == NULL)
			return -1;

	rng_seed(&r, seed, RNG_S_PLAN, 0);
	plan_reviews(pl, &r, reviewed, nreviews);
	plan_cats(pl, &r, nchars, plan_round(PLAN_CHARREVS * scale));

	for (c = 0; c < pl->nchunk; c++) {
		for (f = 0; f < ROWS__MAX; f++)
			pl->start[f][c] = tot[f];
		chunk_range(pl->nprod, c, &lo, &hi);
		for (p = lo; p < hi; p++) {
			n = pools_cats[pl->cat[p]].n;
			tot[ROWS_CHARS] += n;
			tot[ROWS_CHARREVS] += (uint64_t)n * pl->nrev[p];
			for (k = 0; k < pl->nrev[p]; k++) {
				rows_review_core(seed, ++tot[ROWS_REVIEWS],
				    &rr, &rating, &nphoto);
				tot[ROWS_PHOTOS] += nphoto;
			}
		}
	}
	for (f = 0; f < ROWS__MAX; f++) {
		pl->start[f][pl->nchunk] = tot[f];
		pl->rows[f] = tot[f];
	}
	return plan_photos(pl, &r, plan_round(PLAN_PHOTOS * scale));
}

/* Release what plan_build allocated (also after a failed build). */
void
plan_free(struct plan *pl)
{
	int	 f;

	free(pl->nrev);
	free(pl->cat);
	free(pl->fix);
	for (f = 0; f < ROWS__MAX; f++)
		free(pl->start[f]);
}

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
