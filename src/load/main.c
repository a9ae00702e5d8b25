/*
 * reviews-load: replace the data set with the four CSV files of a
 * directory (DATA.md's format), validating every row in C on its way into
 * COPY.  Good rows load; each bad row goes to the reject report with its
 * file, line, reason and raw text; bad rows never stop the load.
 *
 *   reviews-load --sql-dir DIR [--rejects FILE] [--jobs N] DATADIR
 *
 * The database: DATABASE_URL, else the libpq environment.  Phases:
 *  1. drop keys, foreign keys and indexes; empty the tables
 *  2. reviews.csv, loaded, and characteristics.csv, checked, concurrently
 *     (TRUNCATE and COPY in one transaction on a connection of its own:
 *     with wal_level minimal, PostgreSQL writes no WAL for the rows)
 *  3. reviews_photos.csv and characteristic_reviews.csv, concurrently,
 *     their foreign keys checked against the ids kept in phase 2, and the
 *     aggregates summed on the way
 *  4. characteristics.csv again, loaded with its sums, and product_meta,
 *     concurrently (no UPDATE of millions of rows afterwards)
 *  5. keys and indexes, several at once on their own connections; foreign
 *     keys NOT VALID: the loader has proved them, new rows are checked;
 *     sequences.sql, ANALYZE
 * Ids or products past 2^26 make it sum the aggregates in SQL instead
 * (aggregates.sql), slower but the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "clock.h"
#include "conn.h"
#include "copy.h"
#include "csv.h"
#include "ddl.h"
#include "die.h"
#include "field.h"
#include "idmap.h"
#include "reject.h"
#include "sums.h"

#define LOAD_BUF	(4 << 20)	/* CSV read buffer; longest record */

enum load_kind { K_REVIEWS, K_CHARS, K_PHOTOS, K_CHAR_REVIEWS, K_META };

struct load_file {
	enum load_kind	 kind;
	const char	*name;		/* reviews.csv */
	const char	*table;
	const char	*header;
	const char	*columns;	/* COPY column list */
	int		 nfields;
	/* Filled in by the run. */
	char		 path[4096];
	long		 total_bytes;
	volatile long	 read_bytes;
	int		 copy;		/* 0: check only (characteristics, phase 2) */
	long		 rows, loaded, rejected;
	double		 seconds;
	const char	*fatal;
};

static struct load_file files[] = {
	{ .kind = K_REVIEWS, .name = "reviews.csv", .table = "reviews",
	  .header = "id,product_id,rating,date,summary,body,recommend,reported,"
	  "reviewer_name,reviewer_email,response,helpfulness",
	  .columns = "id, product_id, rating, date_ms, summary, body, recommend, "
	  "reported, reviewer_name, reviewer_email, response, helpfulness",
	  .nfields = 12 },
	{ .kind = K_CHARS, .name = "characteristics.csv",
	  .table = "characteristics", .header = "id,product_id,name",
	  .columns = "id, product_id, name", .nfields = 3 },
	{ .kind = K_PHOTOS, .name = "reviews_photos.csv",
	  .table = "reviews_photos", .header = "id,review_id,url",
	  .columns = "id, review_id, url", .nfields = 3 },
	{ .kind = K_CHAR_REVIEWS, .name = "characteristic_reviews.csv",
	  .table = "characteristic_reviews",
	  .header = "id,characteristic_id,review_id,value",
	  .columns = "id, characteristic_id, review_id, value", .nfields = 4 },
};

/* reviews_kept holds the review's product, negated when reported. */
static struct idmap	 reviews_kept, chars_kept;

/* product_meta, written from the sums rather than read from a file. */
static struct load_file meta_file = { .kind = K_META, .name = "product_meta",
	.table = "product_meta", .columns = "product_id, rating_1, rating_2, "
	"rating_3, rating_4, rating_5, recommend_false, recommend_true" };

static struct table	 rated;	/* (review, characteristic) pairs */


/* --- rows ------------------------------------------------------------------ */

#define INT_MAX32	2147483647
#define DATE_MAX	4102444800000LL		/* 2100-01-01 */

/*
 * Check one record of lf; on success append it to o and return NULL, else
 * return the reason to reject it.
 */
static const char *
row(struct load_file *lf, struct csv *c, struct copy *o)
{
	const struct csv_field	*f = c->field;
	int64_t			 id, a, b, v, r;
	int32_t			 count;
	int			 t1, t2, i;
	char			 num[24];

	if (c->error != NULL)
		return c->error;
	if (c->nfields != lf->nfields)
		return c->nfields < lf->nfields ? "too few columns" : "too many columns";
	if (!field_int(&f[0], 1, INT_MAX32, &id))
		return "bad id";
	switch (lf->kind) {
	case K_REVIEWS:
		if (idmap_get(&reviews_kept, id))
			return "duplicate id";
		if (!field_int(&f[1], 1, INT_MAX32, &a))
			return "bad product_id";
		if (!field_int(&f[2], 1, 5, &r))
			return "bad rating";
		if (!field_int(&f[3], 0, DATE_MAX, &b))
			return "bad date";
		for (i = 4; i <= 9; i++) {
			if (i == 6 || i == 7)
				continue;
			if (field_null(&f[i]))
				return "null where text is required";
			if (!field_text(&f[i]))
				return "invalid UTF-8 or NUL in text";
		}
		if (!field_bool(&f[6], &t1) || !field_bool(&f[7], &t2))
			return "bad boolean";
		if (!field_null(&f[10]) && !field_text(&f[10]))
			return "invalid UTF-8 or NUL in text";
		if (!field_int(&f[11], 0, INT_MAX32, &v))
			return "bad helpfulness";
		idmap_put(&reviews_kept, id, t2 ? -(int32_t)a : (int32_t)a);
		sums_review(a, r, t1, t2);
		for (i = 0; i < 6; i++)
			copy_field(o, &f[i], 0);
		copy_word(o, t1 ? "t" : "f", 0);
		copy_word(o, t2 ? "t" : "f", 0);
		copy_field(o, &f[8], 0);
		copy_field(o, &f[9], 0);
		/* A quoted "null" response is no response either: API.md
		 * never sends the text "null". */
		if (field_null(&f[10]) || (f[10].len == 4 &&
		    memcmp(f[10].s, "null", 4) == 0))
			copy_word(o, "\\N", 0);
		else
			copy_field(o, &f[10], 0);
		copy_field(o, &f[11], 1);
		return NULL;
	case K_CHARS:
		if (!field_int(&f[1], 1, INT_MAX32, &a))
			return "bad product_id";
		if (f[2].len == 0 || field_null(&f[2]) || !field_text(&f[2]))
			return "bad name";
		if (!lf->copy) {
			if (idmap_get(&chars_kept, id))
				return "duplicate id";
			idmap_put(&chars_kept, id, (int32_t)a);
			sums_char_id(id);
			return NULL;
		}
		/* Second pass: the row kept in the first, once, with its sums. */
		if (idmap_get(&chars_kept, id) != (int32_t)a)
			return NULL;
		idmap_put(&chars_kept, id, -1);
		copy_field(o, &f[0], 0);
		copy_field(o, &f[1], 0);
		copy_field(o, &f[2], 0);
		sums_char(id, &v, &count);
		snprintf(num, sizeof(num), "%" PRId64, v);
		copy_word(o, num, 0);
		snprintf(num, sizeof(num), "%" PRId32, count);
		copy_word(o, num, 1);
		return NULL;
	case K_PHOTOS:
		if (!field_int(&f[1], 1, INT_MAX32, &a))
			return "bad review_id";
		if (f[2].len == 0 || field_null(&f[2]) || !field_text(&f[2]))
			return "bad url";
		if (!idmap_get(&reviews_kept, a))
			return "review_id names no loaded review";
		break;
	case K_CHAR_REVIEWS:
		if (!field_int(&f[1], 1, INT_MAX32, &a))
			return "bad characteristic_id";
		if (!field_int(&f[2], 1, INT_MAX32, &b))
			return "bad review_id";
		if (!field_int(&f[3], 1, 5, &v))
			return "bad value";
		if (!idmap_get(&chars_kept, a))
			return "characteristic_id names no loaded characteristic";
		if (!idmap_get(&reviews_kept, b))
			return "review_id names no loaded review";
		if (idmap_get(&chars_kept, a) != abs(idmap_get(&reviews_kept, b)))
			return "characteristic belongs to another product than the review";
		break;
	case K_META:
		break;
	}
	return "";	/* photos and ratings finish in row_tail */
}

/* Per-file duplicate-id maps for the two files whose ids nothing refers to. */
static struct idmap	 photos_seen, ratings_seen;

/*
 * The end of a photo or rating row: its own id must be new (and, for a
 * rating, the pair too); then it is written.
 */
static const char *
row_tail(struct load_file *lf, struct csv *c, struct copy *o)
{
	const struct csv_field	*f = c->field;
	int64_t			 id, a, b, v;
	int			 i;

	field_int(&f[0], 1, INT_MAX32, &id);
	if (lf->kind == K_PHOTOS) {
		if (idmap_get(&photos_seen, id))
			return "duplicate id";
		idmap_put(&photos_seen, id, 1);
	} else {
		if (idmap_get(&ratings_seen, id))
			return "duplicate id";
		field_int(&f[1], 1, INT_MAX32, &a);
		field_int(&f[2], 1, INT_MAX32, &b);
		if (!table_put(&rated, (uint64_t)b << 32 | (uint64_t)a, 0))
			return "second rating of the same characteristic by the same review";
		idmap_put(&ratings_seen, id, 1);
		/* Reported reviews count in no aggregate. */
		if (idmap_get(&reviews_kept, b) > 0) {
			field_int(&f[3], 1, 5, &v);
			sums_rating(a, v);
		}
	}
	for (i = 0; i < lf->nfields; i++)
		copy_field(o, &f[i], i == lf->nfields - 1);
	return NULL;
}

/*
 * Read one file, checking every row; with lf->copy, COPY the good ones.
 * The second pass over characteristics.csv counts and reports nothing: the
 * first did.  A thread body.
 */
static void *
load_one(void *arg)
{
	struct load_file	*lf = arg;
	struct csv		 c;
	struct copy		 o;
	const char		*why;
	double			 t0 = clock_secs();
	int			 fd, r, second = lf->kind == K_CHARS && lf->copy;

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
		why = row(lf, &c, lf->copy ? &o : NULL);
		if (why != NULL && *why == '\0')
			why = row_tail(lf, &c, &o);
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

/* COPY product_meta from the sums of phase 2.  A thread body. */
static void *
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
progress(struct load_file *a, struct load_file *b, double t0)
{
	long	 done = a->read_bytes + b->read_bytes;
	long	 total = a->total_bytes + b->total_bytes;
	long	 rows = a->rows + b->rows;
	double	 el = clock_secs() - t0, rate = el > 0 ? rows / el : 0;
	double	 eta = done > 0 ? el * (double)(total - done) / (double)done : 0;

	fprintf(stderr, "\r  %s + %s: %3ld%%  %ld rows  %.0f rows/s  ETA %.0f s   ",
	    a->name, b->name, total ? 100 * done / total : 100, rows, rate, eta);
}

/* Run fa(a) and fb(b) at once and wait for both. */
static void
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
			progress(a, b, t0);
		} while (alive);
		fputc('\n', stderr);
	}
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	if (a->fatal || b->fatal)
		die("%s: %s", a->fatal ? a->path : b->path,
		    a->fatal ? a->fatal : b->fatal);
}

static void
usage(void)
{
	fprintf(stderr, "usage: reviews-load --sql-dir DIR [--rejects FILE] "
	    "[--jobs N] DATADIR\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	const char	*sqldir = NULL, *rejpath = NULL, *dir = NULL, *url;
	char		 rejdefault[4096];
	struct stat	 st;
	PGconn		*c;
	double		 t0, t, phase[4];
	long		 rows = 0, loaded = 0, rejected = 0;
	int		 i, jobs = 3, tty = isatty(2);

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--sql-dir") == 0 && i + 1 < argc)
			sqldir = argv[++i];
		else if (strcmp(argv[i], "--rejects") == 0 && i + 1 < argc)
			rejpath = argv[++i];
		else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc)
			jobs = atoi(argv[++i]);
		else if (argv[i][0] == '-' || dir != NULL)
			usage();
		else
			dir = argv[i];
	}
	if (dir == NULL || sqldir == NULL || jobs < 1 || jobs > DDL_JOBS_MAX)
		usage();
	if ((url = getenv("DATABASE_URL")) != NULL)
		conn_init(url);
	for (i = 0; i < 4; i++) {
		snprintf(files[i].path, sizeof(files[i].path), "%s/%s", dir,
		    files[i].name);
		if (stat(files[i].path, &st) < 0)
			die("%s: %s", files[i].path, strerror(errno));
		files[i].total_bytes = (long)st.st_size;
	}
	if (rejpath == NULL) {
		snprintf(rejdefault, sizeof(rejdefault), "%s/rejects.tsv", dir);
		rejpath = rejdefault;
	}
	reject_open(rejpath);

	c = conn_open();
	fprintf(stderr, "reviews-load: replacing the data set of database \"%s\" "
	    "on %s with %s\n", PQdb(c), PQhost(c) ? PQhost(c) : "localhost", dir);
	t0 = t = clock_secs();
	ddl_script(c, sqldir, "drop-constraints.sql");
	conn_exec(c, "TRUNCATE idempotency_keys", "truncate");
	idmap_init(&reviews_kept);
	idmap_init(&chars_kept);
	idmap_init(&photos_seen);
	idmap_init(&ratings_seen);
	table_init(&rated, 1u << 20, 0);
	sums_init();

	files[K_REVIEWS].copy = 1;
	load_pair(load_one, &files[K_REVIEWS], load_one, &files[K_CHARS], tty);
	files[K_PHOTOS].copy = files[K_CHAR_REVIEWS].copy = 1;
	load_pair(load_one, &files[K_PHOTOS], load_one, &files[K_CHAR_REVIEWS], tty);
	reject_close();
	phase[0] = clock_secs() - t, t = clock_secs();

	files[K_CHARS].copy = 1;
	files[K_CHARS].columns = "id, product_id, name, rating_sum, rating_count";
	load_pair(load_one, &files[K_CHARS], load_meta, &meta_file, tty);
	phase[1] = clock_secs() - t, t = clock_secs();

	if (tty)
		fprintf(stderr, "  keys and indexes...\n");
	ddl_keys(sqldir, jobs);
	phase[2] = clock_secs() - t, t = clock_secs();
	if (sums_slow()) {
		fprintf(stderr, "reviews-load: ids past %u: summing aggregates in SQL\n",
		    IDMAP_DENSE);
		ddl_script(c, sqldir, "aggregates.sql");
	}
	ddl_script(c, sqldir, "sequences.sql");
	conn_exec(c, "ANALYZE reviews, reviews_photos, characteristics, "
	    "characteristic_reviews, product_meta", "analyze");
	phase[3] = clock_secs() - t;
	PQfinish(c);

	for (i = 0; i < 4; i++) {
		fprintf(stderr, "%-28s %10ld rows %10ld loaded %8ld rejected  %6.1f s\n",
		    files[i].name, files[i].rows, files[i].loaded,
		    files[i].rejected, files[i].seconds);
		rows += files[i].rows;
		loaded += files[i].loaded;
		rejected += files[i].rejected;
	}
	fprintf(stderr, "%-28s %10ld rows %10ld loaded %8ld rejected (report: %s)\n",
	    "total", rows, loaded, rejected, rejpath);
	fprintf(stderr, "phases: rows checked and copied %.1f s, characteristics "
	    "with sums + product_meta %.1f s, keys and indexes %.1f s, "
	    "sequences + analyze %.1f s; total %.1f s\n", phase[0], phase[1],
	    phase[2], phase[3], clock_secs() - t0);
	return 0;
}
