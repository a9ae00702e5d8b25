/*
 * COPY ... FROM STDIN in text format, one table per connection: a buffer
 * of rows sent whenever it fills, fields escaped as COPY wants them, and
 * TRUNCATE + COPY + COMMIT in one transaction (with wal_level minimal,
 * PostgreSQL then writes no WAL for the rows).
 */
#ifndef COPY_H
#define COPY_H

#include <stddef.h>

#include <libpq-fe.h>

#include "csv.h"

#define COPY_BUF	(1 << 20)	/* COPY data sent per call */

struct copy {
	PGconn		*conn;
	char		*buf;		/* COPY_BUF bytes */
	size_t		 len;
	const char	*file;		/* what errors name */
};

void	 copy_begin(struct copy *, const char *, const char *, const char *);
char	*copy_room(struct copy *, size_t);
void	 copy_field(struct copy *, const struct csv_field *, int);
void	 copy_word(struct copy *, const char *, int);
void	 copy_end(struct copy *);

#endif
