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
			    errno != 0 || !(scale > 0 && scale <= PLAN_SCALE_MAX))
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
	if (plan_products(scale) < 1) {
		fprintf(stderr, "reviews-gen: scale %g is too small: "
		    "no products\n", scale);
		goto usage;
	}

	if (pools_init() == -1) {
		fprintf(stderr, "reviews-gen: a text pool is not valid UTF-8\n");
		goto done;
	}
	if (plan_build(&plan, scale, seed) == -1) {
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
	plan_free(&plan);
	return rc;
}
