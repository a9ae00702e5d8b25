#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chunk.h"
#include "plan.h"
#include "rows.h"
#include "writer.h"

/*
 * Shared state of the workers: the next job to take and the next job whose
 * output may be written (jobs are written strictly in order), and the first
 * failure, which stops everybody.
 */
struct writer_jobs {
	const struct plan	*plan;
	struct writer		*w;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	uint32_t		 njobs;
	uint32_t		 next;
	uint32_t		 turn;
	int			 failed;
	int			 fail_file;	/* -1: out of memory */
	int			 fail_errno;
};

/*
 * The number of threads to use when the user names none: one per online
 * CPU (this thread counts), at most WRITER_THREADS_AUTO, at least one.
 */
int
writer_threads(void)
{
	long	 ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (ncpu > WRITER_THREADS_AUTO)
		ncpu = WRITER_THREADS_AUTO;
	return ncpu < 1 ? 1 : (int)ncpu;
}

/* Create dir and its missing parents, like mkdir -p.  -1 after a report. */
static int
writer_mkdirs(const char *dir)
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

/*
 * Create dir (and its parents) and the four files in it, emptied.  -1 after
 * a report.  Either way writer_close closes what is open and frees the
 * paths.
 */
int
writer_open(struct writer *w, const char *dir)
{
	size_t	 n;
	int	 f;

	memset(w, 0, sizeof(*w));
	if (writer_mkdirs(dir) == -1)
		return -1;
	for (f = 0; f < ROWS__MAX; f++) {
		n = strlen(dir) + strlen(rows_files[f].name) + 2;
		if ((w->path[f] = malloc(n)) == NULL) {
			fprintf(stderr, "reviews-gen: out of memory\n");
			return -1;
		}
		snprintf(w->path[f], n, "%s/%s", dir, rows_files[f].name);
		if ((w->fp[f] = fopen(w->path[f], "w")) == NULL) {
			fprintf(stderr, "reviews-gen: %s: %s\n", w->path[f],
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

/*
 * Close the files that are open, reporting each that fails (its last bytes
 * may not be written), and free the paths; may be called again.  -1 when a
 * file failed.
 */
int
writer_close(struct writer *w)
{
	int	 f, rc = 0;

	for (f = 0; f < ROWS__MAX; f++) {
		if (w->fp[f] != NULL && fclose(w->fp[f]) == EOF) {
			fprintf(stderr, "reviews-gen: %s: %s\n", w->path[f],
			    strerror(errno));
			rc = -1;
		}
		w->fp[f] = NULL;
		free(w->path[f]);
		w->path[f] = NULL;
	}
	return rc;
}

/* Record the first failure (file index or -1 for memory) and wake all. */
static void
writer_fail(struct writer_jobs *jobs, int file, int err)
{
	pthread_mutex_lock(&jobs->mu);
	if (!jobs->failed) {
		jobs->failed = 1;
		jobs->fail_file = file;
		jobs->fail_errno = err;
	}
	pthread_cond_broadcast(&jobs->cv);
	pthread_mutex_unlock(&jobs->mu);
}

/*
 * A worker: take the next job (file-major, chunk order), generate it into
 * its own buffer, wait for its turn and write it.  Generation overlaps with
 * the other workers' generation and writing; output order is fixed.
 */
static void *
writer_worker(void *arg)
{
	struct writer_jobs	*jobs = arg;
	const struct plan	*pl = jobs->plan;
	struct chunk_buf	 buf = { NULL, 0, 0 };
	uint32_t		 j, c;
	enum rows_file		 f;
	int			 stop;

	for (;;) {
		pthread_mutex_lock(&jobs->mu);
		stop = jobs->failed || jobs->next >= jobs->njobs;
		j = jobs->next++;
		pthread_mutex_unlock(&jobs->mu);
		if (stop)
			break;
		f = (enum rows_file)(j / pl->nchunk);
		c = j % pl->nchunk;
		if (chunk_make(pl, f, c, &buf) == -1) {
			writer_fail(jobs, -1, ENOMEM);
			break;
		}
		pthread_mutex_lock(&jobs->mu);
		while (jobs->turn != j && !jobs->failed)
			pthread_cond_wait(&jobs->cv, &jobs->mu);
		stop = jobs->failed;
		pthread_mutex_unlock(&jobs->mu);
		if (stop)
			break;
		if (fwrite(buf.p, 1, buf.len, jobs->w->fp[f]) != buf.len) {
			writer_fail(jobs, (int)f, errno);
			break;
		}
		pthread_mutex_lock(&jobs->mu);
		jobs->turn++;
		pthread_cond_broadcast(&jobs->cv);
		pthread_mutex_unlock(&jobs->mu);
	}
	free(buf.p);
	return NULL;
}

/*
 * Make and write every chunk of the plan into w's files with nthreads
 * threads, this one included (clamped to 1..WRITER_THREADS_MAX).  A thread
 * that cannot start is not needed: the others do its share, and the bytes
 * are the same.  -1 after a report.
 */
int
writer_run(struct writer *w, const struct plan *pl, int nthreads)
{
	struct writer_jobs	 jobs;
	pthread_t		 tids[WRITER_THREADS_MAX];
	int			 i, nthr = 0;

	memset(&jobs, 0, sizeof(jobs));
	jobs.plan = pl;
	jobs.w = w;
	jobs.njobs = pl->nchunk * ROWS__MAX;
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > WRITER_THREADS_MAX)
		nthreads = WRITER_THREADS_MAX;
	if (pthread_mutex_init(&jobs.mu, NULL) != 0) {
		fprintf(stderr, "reviews-gen: cannot create a lock\n");
		return -1;
	}
	if (pthread_cond_init(&jobs.cv, NULL) != 0) {
		fprintf(stderr, "reviews-gen: cannot create a lock\n");
		pthread_mutex_destroy(&jobs.mu);
		return -1;
	}
	while (nthr + 1 < nthreads &&
	    pthread_create(&tids[nthr], NULL, writer_worker, &jobs) == 0)
		nthr++;
	writer_worker(&jobs);
	for (i = 0; i < nthr; i++)
		pthread_join(tids[i], NULL);
	pthread_cond_destroy(&jobs.cv);
	pthread_mutex_destroy(&jobs.mu);
	if (jobs.failed) {
		if (jobs.fail_file < 0)
			fprintf(stderr, "reviews-gen: out of memory\n");
		else
			fprintf(stderr, "reviews-gen: %s: %s\n",
			    w->path[jobs.fail_file], strerror(jobs.fail_errno));
		return -1;
	}
	return 0;
}
