#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "copy.h"
#include "csv.h"
#include "die.h"
#include "load.h"
#include "reject.h"
#include "rows.h"
#include "sums.h"

#define LOAD_BUF	(4 << 20)	/* CSV read buffer; longest record */

struct load_file load_files[LOAD_META + 1] = {
	{ .kind = LOAD_REVIEWS, .name = "reviews.csv", .table = "reviews",
	  .header = "id,product_id,rating,date,summary,body,recommend,reported,"
	  "reviewer_name,reviewer_email,response,helpfulness",
	  .columns = "id, product_id, rating, date_ms, summary, body, recommend, "
	  "reported, reviewer_name, reviewer_email, response, helpfulness, "
	  "removed",
	  .nfields = 12 },
	{ .kind = LOAD_CHARS, .name = "characteristics.csv",
	  .table = "characteristics", .header = "id,product_id,name",
	  .columns = "id, product_id, name", .nfields = 3 },
	{ .kind = LOAD_PHOTOS, .name = "reviews_photos.csv",
	  .table = "reviews_photos", .header = "id,review_id,url",
	  .columns = "id, review_id, url", .nfields = 3 },
	{ .kind = LOAD_CHAR_REVIEWS, .name = "characteristic_reviews.csv",
	  .table = "characteristic_reviews",
	  .header = "id,characteristic_id,review_id,value",
	  .columns = "id, characteristic_id, review_id, value", .nfields = 4 },
	/* product_meta, written from the sums rather than read from a file. */
	{ .kind = LOAD_META, .name = "product_meta",
	  .table = "product_meta", .columns = "product_id, rating_1, rating_2, "
	  "rating_3, rating_4, rating_5, recommend_false, recommend_true, "
	  "with_photos" },
};

/*
 * Read one file (arg, a struct load_file), checking every row; with
 * lf->copy, COPY the good ones.  The second pass over characteristics.csv
 * counts and reports nothing: the first did.  A thread body: a file that
 * cannot be opened is left in lf->fatal for load_pair; anything else
 * dies.
 */
void *
load_one(void *arg)
{
	struct load_file	*lf = arg;
	struct csv		 c;
	struct copy		 o;
	const char		*why;
	double			 t0 = clock_secs();
	int			 fd, r, second = lf->kind == LOAD_CHARS && lf->copy;

	if ((fd = open(lf->path, O_RDONLY)) < 0) {
		lf->fatal = strerror(errno);
		return NULL;
	}
	if (csv_open(&c, fd, LOAD_BUF) < 0)
		die("out of memory");
	if (lf->copy)
		copy_begin(&o, lf->name, lf->table, lf->columns);
	lf->read_bytes = 0;
	if (csv_next(&c) != 1 || c.error != NULL ||
	    c.rawlen != strlen(lf->header) ||
	    memcmp(c.raw, lf->header, c.rawlen) != 0)
		die("%s: the first line must be the header %s", lf->path, lf->header);
	while ((r = csv_next(&c)) == 1) {
		why = rows_check(lf, &c, lf->copy ? &o : NULL);
		lf->read_bytes = (long)(lseek(fd, 0, SEEK_CUR) - (off_t)(c.len - c.pos));
		if (second)
			continue;
		lf->rows++;
		if (why != NULL) {
			lf->rejected++;
			reject_row(lf->name, &c, why);
		} else
			lf->loaded++;
	}
	if (r < 0)
		die("%s: %s", lf->path, strerror(errno));
	if (lf->copy)
		copy_end(&o);
	csv_close(&c);
	close(fd);
	lf->read_bytes = lf->total_bytes;
	lf->seconds += clock_secs() - t0;
	return NULL;
}

/*
 * COPY product_meta (arg, a struct load_file) from the sums of the
 * reviews, once they are all in.  A thread body; dies on any error.
 */
void *
load_meta(void *arg)
{
	struct load_file	*lf = arg;
	struct copy		 o;
	double			 t0 = clock_secs();

	copy_begin(&o, lf->name, lf->table, lf->columns);
	lf->loaded += sums_meta(&o);
	copy_end(&o);
	lf->read_bytes = lf->total_bytes = 1;
	lf->seconds = clock_secs() - t0;
	return NULL;
}

/* Show progress of the files in flight (a terminal only). */
static void
load_progress(struct load_file *a, struct load_file *b, double t0)
{
	long	 done = a->read_bytes + b->read_bytes;
	long	 total = a->total_bytes + b->total_bytes;
	long	 rows = a->rows + b->rows;
	double	 el = clock_secs() - t0, rate = el > 0 ? rows / el : 0;
	double	 eta = done > 0 ? el * (double)(total - done) / (double)done : 0;

	fprintf(stderr, "\r  %s + %s: %3ld%%  %ld rows  %.0f rows/s  ETA %.0f s   ",
	    a->name, b->name, total ? 100 * done / total : 100, rows, rate, eta);
}

/*
 * Run fa(a) and fb(b) at once and wait for both, showing their progress
 * every half second when tty; dies naming the file if either could not be
 * opened.
 */
void
load_pair(void *(*fa)(void *), struct load_file *a, void *(*fb)(void *),
    struct load_file *b, int tty)
{
	pthread_t	 ta, tb;
	double		 t0 = clock_secs();
	int		 alive;

	pthread_create(&ta, NULL, fa, a);
	pthread_create(&tb, NULL, fb, b);
	if (tty) {
		do {
			usleep(500000);
			alive = a->read_bytes < a->total_bytes ||
			    b->read_bytes < b->total_bytes;
			load_progress(a, b, t0);
		} while (alive);
		fputc('\n', stderr);
	}
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	if (a->fatal || b->fatal)
		die("%s: %s", a->fatal ? a->path : b->path,
		    a->fatal ? a->fatal : b->fatal);
}
