/*
 * The loader's inputs and one pass over each: the four CSV files of
 * DATA.md and product_meta (written from the sums, not read), what each
 * is (table, header, COPY columns, fields) and what the run counted of it;
 * a pass reads a file, checks every row by the rules of rows.h, COPYs the
 * good ones and reports the bad; two passes run at once, with progress on
 * a terminal.
 */
#ifndef LOAD_H
#define LOAD_H

enum load_kind {
	LOAD_REVIEWS, LOAD_CHARS, LOAD_PHOTOS, LOAD_CHAR_REVIEWS, LOAD_META
};

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

/* Indexed by kind: the four CSV files, then product_meta. */
extern struct load_file	 load_files[LOAD_META + 1];

void	*load_one(void *);
void	*load_meta(void *);
void	 load_pair(void *(*)(void *), struct load_file *, void *(*)(void *),
	    struct load_file *, int);

#endif
