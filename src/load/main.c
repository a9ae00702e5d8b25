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
 *
 * This file is the command line and the phases; the work is in the
 * modules of src/load: load.c (the files and one pass over each), rows.c
 * (the rules of each file's rows), field.c (one field's checks), sums.c
 * (the aggregates), idmap.c and table.c (the ids kept), copy.c (COPY),
 * reject.c (the reject report), ddl.c (scripts, keys and indexes),
 * conn.c (connections), csv.c (the CSV reader), die.c (fatal errors).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "clock.h"
#include "conn.h"
#include "ddl.h"
#include "die.h"
#include "idmap.h"
#include "load.h"
#include "reject.h"
#include "rows.h"
#include "sums.h"

/* Print the usage line and exit with status 2. */
static void
usage(void)
{
	fprintf(stderr, "usage: reviews-load --sql-dir DIR [--rejects FILE] "
	    "[--jobs N] DATADIR\n");
	exit(2);
}

/*
 * Parse the command line, open the reject report, then run the phases of
 * the comment above and print what each file counted.  Exits 0 when the
 * load is done (rejected rows included), 1 on any fatal error, 2 on a bad
 * command line.
 */
int
main(int argc, char *argv[])
{
	struct load_file	*f = load_files;
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
	for (i = 0; i < LOAD_META; i++) {
		snprintf(f[i].path, sizeof(f[i].path), "%s/%s", dir, f[i].name);
		if (stat(f[i].path, &st) < 0)
			die("%s: %s", f[i].path, strerror(errno));
		f[i].total_bytes = (long)st.st_size;
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
	/* The old data set's keys and reports go with it (the audit log
	 * stays: it records what admins did, whatever the data). */
	conn_exec(c, "TRUNCATE idempotency_keys, review_reports", "truncate");
	rows_init();
	sums_init();

	f[LOAD_REVIEWS].copy = 1;
	load_pair(load_one, &f[LOAD_REVIEWS], load_one, &f[LOAD_CHARS], tty);
	f[LOAD_PHOTOS].copy = f[LOAD_CHAR_REVIEWS].copy = 1;
	load_pair(load_one, &f[LOAD_PHOTOS], load_one, &f[LOAD_CHAR_REVIEWS],
	    tty);
	reject_close();
	phase[0] = clock_secs() - t, t = clock_secs();

	f[LOAD_CHARS].copy = 1;
	f[LOAD_CHARS].columns = "id, product_id, name, rating_sum, rating_count";
	load_pair(load_one, &f[LOAD_CHARS], load_meta, &f[LOAD_META], tty);
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
	/* Every app server's cached answers are of the old data set. */
	conn_exec(c, "NOTIFY reviews_cache, '*'", "notify the app servers");
	phase[3] = clock_secs() - t;
	PQfinish(c);

	for (i = 0; i < LOAD_META; i++) {
		fprintf(stderr, "%-28s %10ld rows %10ld loaded %8ld rejected  %6.1f s\n",
		    f[i].name, f[i].rows, f[i].loaded, f[i].rejected,
		    f[i].seconds);
		rows += f[i].rows;
		loaded += f[i].loaded;
		rejected += f[i].rejected;
	}
	fprintf(stderr, "%-28s %10ld rows %10ld loaded %8ld rejected (report: %s)\n",
	    "total", rows, loaded, rejected, rejpath);
	fprintf(stderr, "phases: rows checked and copied %.1f s, characteristics "
	    "with sums + product_meta %.1f s, keys and indexes %.1f s, "
	    "sequences + analyze %.1f s; total %.1f s\n", phase[0], phase[1],
	    phase[2], phase[3], clock_secs() - t0);
	return 0;
}
