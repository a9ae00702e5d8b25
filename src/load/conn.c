#include <libpq-fe.h>

#include "conn.h"
#include "die.h"

static const char	*conninfo = "";

/*
 * Name the database every later conn_open connects to: a libpq connection
 * string or URL (DATABASE_URL), or NULL/"" for the libpq environment.  The
 * string is kept, not copied: it must outlive the connections.
 */
void
conn_init(const char *info)
{
	conninfo = info != NULL ? info : "";
}

/*
 * Open a connection; dies with libpq's message on failure.  The caller
 * closes it with PQfinish.
 */
PGconn *
conn_open(void)
{
	static const char *const keys[] = { "application_name", "options",
	    "dbname", NULL };
	const char	*vals[] = { "reviews-load", "-c client_min_messages=warning",
	    conninfo, NULL };
	PGconn		*c = PQconnectdbParams(keys, vals, 1);

	if (PQstatus(c) != CONNECTION_OK)
		die("cannot connect: %s", PQerrorMessage(c));
	return c;
}

/* Run sql (one or more statements); dies on error naming what. */
void
conn_exec(PGconn *c, const char *sql, const char *what)
{
	PGresult	*res = PQexec(c, sql);
	ExecStatusType	 st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		die("%s: %s", what, PQerrorMessage(c));
	PQclear(res);
}
