/*
 * reviews-gen: a fast, deterministic generator of the four Atelier CSV files
 * (reviews, reviews_photos, characteristics, characteristic_reviews) in the
 * format and shape described in DATA.md.
 *
 *   reviews-gen [--scale S] [--seed K] [--threads N] --out DIR
 *
 * The per-product plan (how many reviews each product has, which set of
 * characteristics it has) is drawn once, up front, from one sequential
 * random stream and then nudged so the row counts land on round(S x the
 * DATA.md counts).  Every row's content is a pure function of (seed, stream,
 * row id), so the files are produced in chunks of products by several
 * threads, written in chunk order, and come out byte-identical for the same
 * scale and seed whatever the number of threads.
 *
 * This file is the command line; the work is done by the modules of
 * libgen.a: pools.c (what rows are made of), rng.c (the random streams),
 * fmt.c (bytes), rows.c (each row), plan.c (the per-product plan, fitted to
 * exact counts), chunk.c (the units of work) and writer.c (the threads
 * and the output files).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "digits.h"
#include "plan.h"
#include "pools.h"
#include "rows.h"
#include "writer.h"

/* Print the usage lines. */
static void
gen_usage(FILE *fp)
{
	fprintf(fp, "usage: reviews-gen [--scale S] [--seed K] [--threads N] "
	    "--out DIR\n"
	    "  --scale S    size relative to the original data set "
	    "(0 < S <= 100, default 1.0)\n"
	    "  --seed K     unsigned integer seed (default 1)\n"
	    "  --threads N  threads making and writing the files (1..%d, "
	    "default: one per\n"
	    "               online CPU, at most %d); the files are the same "
	    "for any N\n"
	    "  --out DIR    output directory, created if missing\n",
	    WRITER_THREADS_MAX, WRITER_THREADS_AUTO);
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

/*
 * Read the command line, build the plan, write the files.  Exits 0, 1
 * after a reported failure (files may be left half written), 2 on a usage
 * error.
 */
int
main(int argc, char *argv[])
{
	struct plan	 plan;
	struct writer	 w;
	const char	*val, *out = NULL;
	char		*end;
	double		 scale = 1.0, t0;
	uint64_t	 seed = 1, total = 0;
	int64_t		 v;
	int		 i, f, nthreads = 0, rc = 1;

	t0 = clock_secs();
	memset(&plan, 0, sizeof(plan));
	memset(&w, 0, sizeof(w));
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
			    errno != 0 ||
			    !(scale > 0 && scale <= PLAN_SCALE_MAX))
				goto usage;
		} else if (gen_opt(argc, argv, &i, "--seed", &val)) {
			errno = 0;
			if (val == NULL || *val < '0' || *val > '9' ||
			    (seed = strtoull(val, &end, 10), *end != '\0') ||
			    errno != 0)
				goto usage;
		} else if (gen_opt(argc, argv, &i, "--threads", &val)) {
			if (val == NULL || !digits_parse(val, strlen(val),
			    WRITER_THREADS_MAX, &v) || v < 1)
				goto usage;
			nthreads = (int)v;
		} else if (gen_opt(argc, argv, &i, "--out", &val)) {
			if (val == NULL || *val == '\0')
				goto usage;
			out = val;
		} else
			goto usage;
	}
	if (out == NULL)
		goto usage;
	if (plan_products(scale) < 1) {
		fprintf(stderr, "reviews-gen: scale %g is too small: "
		    "no products\n", scale);
		goto usage;
	}

	if (pools_init() == -1) {
		fprintf(stderr, "reviews-gen: a text pool is not valid "
		    "UTF-8\n");
		goto done;
	}
	if (plan_build(&plan, scale, seed) == -1) {
		fprintf(stderr, "reviews-gen: out of memory\n");
		goto done;
	}
	if (nthreads == 0)
		nthreads = writer_threads();
	if (writer_open(&w, out) == -1 ||
	    writer_run(&w, &plan, nthreads) == -1 ||
	    writer_close(&w) == -1)
		goto done;
	for (f = 0; f < ROWS__MAX; f++) {
		fprintf(stderr, "%s %" PRIu64 " rows\n", rows_files[f].name,
		    plan.rows[f]);
		total += plan.rows[f];
	}
	fprintf(stderr, "generated %" PRIu64 " rows in %.1f s\n", total,
	    clock_secs() - t0);
	rc = 0;
	goto done;

usage:
	gen_usage(stderr);
	return 2;
done:
	writer_close(&w);
	plan_free(&plan);
	return rc;
}
