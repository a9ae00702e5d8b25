/*
 * The writer: the four output files, and the threads that make their
 * chunks and write them.  The jobs (every chunk of every file, file by
 * file, in chunk order) are taken by whichever thread is free but written
 * strictly in job order, so the files hold the same bytes whatever the
 * number of threads.
 */
#ifndef GEN_WRITER_H
#define GEN_WRITER_H

#include <stdio.h>

#include "plan.h"
#include "rows.h"

#define WRITER_THREADS_MAX	64	/* most threads writer_run starts */
#ifndef WRITER_THREADS_AUTO
#define WRITER_THREADS_AUTO	8	/* most that writer_threads picks */
#endif

/* The output files, path and stream, by enum rows_file. */
struct writer {
	char	*path[ROWS__MAX];
	FILE	*fp[ROWS__MAX];
};

int	 writer_threads(void);
int	 writer_open(struct writer *, const char *);
int	 writer_run(struct writer *, const struct plan *, int);
int	 writer_close(struct writer *);

#endif
