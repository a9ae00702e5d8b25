/*
 * reviews-gen: a fast, deterministic generator of the four Atelier CSV files
 * (reviews, reviews_photos, characteristics, characteristic_reviews) in the
 * format and shape described in DATA.md.
 *
 *   reviews-gen [--scale S] [--seed K] --out DIR
 *
 * The per-product plan (how many reviews each product has, which set of
 * characteristics it has) is drawn once, up front, from one sequential
 * random stream and then nudged so the row counts land on round(S x the
 * DATA.md counts).  Every row's content is a pure function of (seed, stream,
 * row id), so the files are produced in chunks of products by several
 * threads, written in chunk order, and come out byte-identical for the same
 * scale and seed whatever the number of threads.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chunk.h"
#include "clock.h"
#include "fmt.h"
#include "plan.h"
#include "pools.h"
#include "rng.h"
#include "rows.h"

/* Row counts of the original data set, scale 1.0. */
#define GEN_PRODUCTS	1000011.0
#define GEN_REVIEWED	950072.0
#define GEN_REVIEWS	5774952.0
#define GEN_CHARS	3347679.0
#define GEN_PHOTOS	2742540.0
#define GEN_CHARREVS	19327575.0

#define GEN_SCALE_MAX	100.0		/* keeps every id below 2^31 */
#ifndef GEN_THREADS_MAX
#define GEN_THREADS_MAX	8
#endif

/*
 * Shared state of the workers: the next job to take and the next job whose
 * output may be written (jobs are written strictly in order), and the first
 * failure, which stops everybody.
 */
struct gen_run {
	const struct plan	*plan;
	FILE			*fp[ROWS__MAX];
	char			*path[ROWS__MAX];
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	uint32_t		 njobs;
	uint32_t		 next;
	uint32_t		 turn;
	int			 failed;
	int			 fail_file;	/* -1: out of memory */
	int			 fail_errno;
};

/* round(x) for the non-negative counts here, without libm. */
static uint64_t
gen_round(double x)
{
	return (uint64_t)(x + 0.5);
}

/*
 * Reviews of a product that has some: mostly 1 + geometric (mean ~4.9),
 * with a 4% heavy tail (12 x 2^g, g geometric, up to 800) so a few products
 * have hundreds.
 */
static uint32_t
gen_draw_count(struct rng *r)
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
gen_draw_cat(struct rng *r)
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
gen_plan_reviews(struct plan *pl, struct rng *r, uint64_t reviewed,
    uint64_t nreviews)
{
	uint64_t	 sum = 0, left = reviewed;
	uint32_t	 p;

	for (p = 1; p <= pl->nprod; p++)
		if (left > 0 && rng_below(r, pl->nprod - p + 1) < left) {
			pl->nrev[p] = gen_draw_count(r);
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
gen_plan_cats(struct plan *pl, struct rng *r, uint64_t nchars,
    uint64_t ncharrevs)
{
	uint64_t	 sum = 0, tries;
	int64_t		 diff = 0, d, a2, b2;
	uint32_t	 p, a, b;
	unsigned char	 t;

	for (p = 1; p <= pl->nprod; p++) {
		pl->cat[p] = gen_draw_cat(r);
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
		    ((int64_t)pools_cats[pl->cat[b]].n - pools_cats[pl->cat[a]].n);
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
gen_cmp_u64(const void *a, const void *b)
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
gen_plan_photos(struct plan *pl, struct rng *r, uint64_t target)
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
		qsort(pl->fix, pl->nfix, sizeof(*pl->fix), gen_cmp_u64);
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
 * Build the plan for a scale: the per-product arrays, then the rows before
 * every chunk in every file (photos need each review's photo count, which is
 * cheap to recompute).  -1 when out of memory.
 */
static int
gen_plan_build(struct plan *pl, double scale, uint64_t seed)
{
	struct rng	 r, rr;
	uint64_t	 reviewed, nreviews, nchars, tot[ROWS__MAX] = { 0 };
	uint32_t	 c, p, lo, hi, k;
	unsigned	 rating, nphoto, n;
	int		 f;

	pl->seed = seed;
	pl->nprod = (uint32_t)gen_round(GEN_PRODUCTS * scale);
	reviewed = gen_round(GEN_REVIEWED * scale);
	nreviews = gen_round(GEN_REVIEWS * scale);
	nchars = gen_round(GEN_CHARS * scale);
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
	gen_plan_reviews(pl, &r, reviewed, nreviews);
	gen_plan_cats(pl, &r, nchars, gen_round(GEN_CHARREVS * scale));

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
	return gen_plan_photos(pl, &r, gen_round(GEN_PHOTOS * scale));
}

/* Release what gen_plan_build allocated (also after a partial build). */
static void
gen_plan_free(struct plan *pl)
{
	int	 f;

	free(pl->nrev);
	free(pl->cat);
	free(pl->fix);
	for (f = 0; f < ROWS__MAX; f++)
		free(pl->start[f]);
}

/* Record the first failure (file index or -1 for memory) and wake all. */
static void
gen_run_fail(struct gen_run *run, int file, int err)
{
	pthread_mutex_lock(&run->mu);
	if (!run->failed) {
		run->failed = 1;
		run->fail_file = file;
		run->fail_errno = err;
	}
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
}

/*
 * A worker: take the next job (file-major, chunk order), generate it into
 * its own buffer, wait for its turn and write it.  Generation overlaps with
 * the other workers' generation and writing; output order is fixed.
 */
static void *
gen_worker(void *arg)
{
	struct gen_run		*run = arg;
	const struct plan	*pl = run->plan;
	struct chunk_buf		 buf = { NULL, 0, 0 };
	uint32_t		 j, c;
	enum rows_file		 f;
	int			 stop;

	for (;;) {
		pthread_mutex_lock(&run->mu);
		stop = run->failed || run->next >= run->njobs;
		j = run->next++;
		pthread_mutex_unlock(&run->mu);
		if (stop)
			break;
		f = (enum rows_file)(j / pl->nchunk);
		c = j % pl->nchunk;
		if (chunk_make(pl, f, c, &buf) == -1) {
			gen_run_fail(run, -1, ENOMEM);
			break;
		}
		pthread_mutex_lock(&run->mu);
		while (run->turn != j && !run->failed)
			pthread_cond_wait(&run->cv, &run->mu);
		stop = run->failed;
		pthread_mutex_unlock(&run->mu);
		if (stop)
			break;
		if (fwrite(buf.p, 1, buf.len, run->fp[f]) != buf.len) {
			gen_run_fail(run, (int)f, errno);
			break;
		}
		pthread_mutex_lock(&run->mu);
		run->turn++;
		pthread_cond_broadcast(&run->cv);
		pthread_mutex_unlock(&run->mu);
	}
	free(buf.p);
	return NULL;
}

/* Create dir and its missing parents, like mkdir -p.  -1 after a report. */
static int
gen_mkdirs(const char *dir)
{
	struct stat	 st;
	char		*path, *s, ch;
	int		 rc = -1;

	if ((path = strdup(dir)) == NULL) {
		fprintf(stderr, "reviews-gen: out of memory\n");
		return -1;
	}
	for (s = path + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		ch = *s;
		*s = '\0';
		if (mkdir(path, 0777) == -1 && errno != EEXIST) {
			fprintf(stderr, "reviews-gen: mkdir %s: %s\n", path,
			    strerror(errno));
			goto out;
		}
		*s = ch;
		if (ch == '\0')
			break;
	}
	if (stat(dir, &st) == -1) {
		fprintf(stderr, "reviews-gen: %s: %s\n", dir, strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "reviews-gen: %s: not a directory\n", dir);
		goto out;
	}
	rc = 0;
out:
	free(path);
	return rc;
}

/* Print the usage line. */
static void
gen_usage(FILE *fp)
{
	fprintf(fp, "usage: reviews-gen [--scale S] [--seed K] --out DIR\n"
	    "  --scale S  size relative to the original data set "
	    "(0 < S <= 100, default 1.0)\n"
	    "  --seed K   unsigned integer seed (default 1)\n"
	    "  --out DIR  output directory, created if missing\n");
}

/*
 * Match option name at argv[*i], as "--name VALUE" or "--name=VALUE".
 * Returns 0 when it is not this option, 1 with *val set (NULL: value
 * missing).
 */
static int
gen_opt(int argc, char *argv[], int *i, const char *name, const char **val)
{
	size_t	 n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	*val = *i + 1 < argc ? argv[++*i] : NULL;
	return 1;
}

int
main(int argc, char *argv[])
{
	struct plan	 plan;
	struct gen_run	 run;
	pthread_t	 tids[GEN_THREADS_MAX];
	const char	*val, *out = NULL;
	char		*end;
	double		 scale = 1.0, t0;
	uint64_t	 seed = 1, total = 0;
	long		 ncpu;
	size_t		 n;
	int		 i, f, nthr = 0, rc = 1, locks = 0;

	t0 = clock_secs();
	memset(&plan, 0, sizeof(plan));
	memset(&run, 0, sizeof(run));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			gen_usage(stdout);
			return 0;
		}
		if (gen_opt(argc, argv, &i, "--scale", &val)) {
			errno = 0;
			if (val == NULL || *val == '\0' ||
			    (scale = strtod(val, &end), *end != '\0') ||
			    errno != 0 || !(scale > 0 && scale <= GEN_SCALE_MAX))
				goto usage;
		} else if (gen_opt(argc, argv, &i, "--seed", &val)) {
			errno = 0;
			if (val == NULL || *val < '0' || *val > '9' ||
			    (seed = strtoull(val, &end, 10), *end != '\0') ||
			    errno != 0)
				goto usage;
		} else if (gen_opt(argc, argv, &i, "--out", &val)) {
			if (val == NULL || *val == '\0')
				goto usage;
			out = val;
		} else
			goto usage;
	}
	if (out == NULL)
		goto usage;
	if (gen_round(GEN_PRODUCTS * scale) < 1) {
		fprintf(stderr, "reviews-gen: scale %g is too small: "
		    "no products\n", scale);
		goto usage;
	}

	if (pools_init() == -1) {
		fprintf(stderr, "reviews-gen: a text pool is not valid UTF-8\n");
		goto done;
	}
	if (gen_plan_build(&plan, scale, seed) == -1) {
		fprintf(stderr, "reviews-gen: out of memory\n");
		goto done;
	}
	if (gen_mkdirs(out) == -1)
		goto done;
	for (f = 0; f < ROWS__MAX; f++) {
		n = strlen(out) + strlen(rows_files[f].name) + 2;
		if ((run.path[f] = malloc(n)) == NULL) {
			fprintf(stderr, "reviews-gen: out of memory\n");
			goto done;
		}
		snprintf(run.path[f], n, "%s/%s", out, rows_files[f].name);
		if ((run.fp[f] = fopen(run.path[f], "w")) == NULL) {
			fprintf(stderr, "reviews-gen: %s: %s\n", run.path[f],
			    strerror(errno));
			goto done;
		}
	}

	run.plan = &plan;
	run.njobs = plan.nchunk * ROWS__MAX;
	if (pthread_mutex_init(&run.mu, NULL) != 0) {
		fprintf(stderr, "reviews-gen: cannot create a lock\n");
		goto done;
	}
	locks = 1;
	if (pthread_cond_init(&run.cv, NULL) != 0) {
		fprintf(stderr, "reviews-gen: cannot create a lock\n");
		goto done;
	}
	locks = 2;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu > GEN_THREADS_MAX)
		ncpu = GEN_THREADS_MAX;
	/* This thread works too; a thread that cannot start is not needed. */
	while (nthr + 1 < ncpu &&
	    pthread_create(&tids[nthr], NULL, gen_worker, &run) == 0)
		nthr++;
	gen_worker(&run);
	for (i = 0; i < nthr; i++)
		pthread_join(tids[i], NULL);
	if (run.failed) {
		if (run.fail_file < 0)
			fprintf(stderr, "reviews-gen: out of memory\n");
		else
			fprintf(stderr, "reviews-gen: %s: %s\n",
			    run.path[run.fail_file], strerror(run.fail_errno));
		goto done;
	}

	rc = 0;
	for (f = 0; f < ROWS__MAX; f++) {
		if (fclose(run.fp[f]) == EOF) {
			fprintf(stderr, "reviews-gen: %s: %s\n", run.path[f],
			    strerror(errno));
			rc = 1;
		}
		run.fp[f] = NULL;
	}
	if (rc != 0)
		goto done;
	for (f = 0; f < ROWS__MAX; f++) {
		fprintf(stderr, "%s %" PRIu64 " rows\n", rows_files[f].name,
		    plan.rows[f]);
		total += plan.rows[f];
	}
	fprintf(stderr, "generated %" PRIu64 " rows in %.1f s\n", total,
	    clock_secs() - t0);
	goto done;

usage:
	gen_usage(stderr);
	return 2;
done:
	for (f = 0; f < ROWS__MAX; f++) {
		if (run.fp[f] != NULL && fclose(run.fp[f]) == EOF)
			fprintf(stderr, "reviews-gen: %s: %s\n", run.path[f],
			    strerror(errno));
		free(run.path[f]);
	}
	if (locks > 1)
		pthread_cond_destroy(&run.cv);
	if (locks > 0)
		pthread_mutex_destroy(&run.mu);
	gen_plan_free(&plan);
	return rc;
}
