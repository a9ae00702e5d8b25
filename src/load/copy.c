#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "conn.h"
#include "copy.h"
#include "die.h"

/*
 * Open a connection of its own, empty table and start COPY into its
 * columns (a column list), in one transaction; errors name file.  The
 * buffer and the connection are o's until copy_end.  Dies on any error.
 */
void
copy_begin(struct copy *o, const char *file, const char *table,
    const char *columns)
{
	PGresult	*res;
	char		 sql[512];

	if ((o->buf = malloc(COPY_BUF)) == NULL)
		die("out of memory");
	o->len = 0;
	o->file = file;
	o->conn = conn_open();
	conn_exec(o->conn, "SET synchronous_commit = off", file);
	snprintf(sql, sizeof(sql), "BEGIN; TRUNCATE %s; COPY %s (%s) FROM STDIN",
	    table, table, columns);
	res = PQexec(o->conn, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN)
		die("%s: %s", file, PQerrorMessage(o->conn));
	PQclear(res);
}

/* Send what the buffer holds. */
static void
copy_flush(struct copy *o)
{
	if (o->len > 0 && PQputCopyData(o->conn, o->buf, (int)o->len) != 1)
		die("%s: COPY: %s", o->file, PQerrorMessage(o->conn));
	o->len = 0;
}

/*
 * Room for n more bytes (n <= COPY_BUF): where to write them.  The caller
 * writes at most n bytes there and adds what it wrote to o->len.
 */
char *
copy_room(struct copy *o, size_t n)
{
	if (o->len + n > COPY_BUF)
		copy_flush(o);
	return o->buf + o->len;
}

/*
 * Append a field in COPY text format, escaping what must be; last ends
 * the row.
 */
void
copy_field(struct copy *o, const struct csv_field *f, int last)
{
	char	*w = copy_room(o, f->len * 2 + 2), *start = w;
	size_t	 i;

	for (i = 0; i < f->len; i++) {
		switch (f->s[i]) {
		case '\\': *w++ = '\\'; *w++ = '\\'; break;
		case '\t': *w++ = '\\'; *w++ = 't'; break;
		case '\n': *w++ = '\\'; *w++ = 'n'; break;
		case '\r': *w++ = '\\'; *w++ = 'r'; break;
		default: *w++ = f->s[i];
		}
	}
	*w++ = last ? '\n' : '\t';
	o->len += (size_t)(w - start);
}

/* Append a literal value (a number, "\N", a boolean); last ends the row. */
void
copy_word(struct copy *o, const char *s, int last)
{
	size_t	 n = strlen(s);
	char	*w = copy_room(o, n + 1);

	memcpy(w, s, n);
	w[n] = last ? '\n' : '\t';
	o->len += n + 1;
}

/*
 * Finish the COPY of o, commit, close its connection and free its buffer.
 * Dies on any error.
 */
void
copy_end(struct copy *o)
{
	PGresult	*res;

	copy_flush(o);
	if (PQputCopyEnd(o->conn, NULL) != 1)
		die("%s: %s", o->file, PQerrorMessage(o->conn));
	while ((res = PQgetResult(o->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			die("%s: %s", o->file, PQerrorMessage(o->conn));
		PQclear(res);
	}
	conn_exec(o->conn, "COMMIT", o->file);
	PQfinish(o->conn);
	o->conn = NULL;
	free(o->buf);
	o->buf = NULL;
}
