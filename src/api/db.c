#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "clock.h"
#include "db.h"
#include "metrics.h"

static PGconn		*db_conn;
static const char	*db_conninfo;
static int		 db_ever;	/* connections made so far */
static int64_t		 db_last_fail;	/* clock_ms of the last failed connect, or 0 */

/* After a failed connect, answer 503 at once for this long, not hammer it. */
#define DB_RETRY_MS	250

/*
 * Remember the connection string: a libpq conninfo or URI, or "" for the
 * standard libpq environment (PGHOST, PGPORT, ...).  Connecting waits for
 * the first request, so a worker starts even while the database is down.
 */
void
db_init(const char *conninfo)
{
	db_conninfo = conninfo;
}

/* Close the connection (at worker exit). */
void
db_close(void)
{
	if (db_conn != NULL)
		PQfinish(db_conn);
	db_conn = NULL;
}

/*
 * Open the connection and prepare every statement of the table on it.
 * Returns 0, or -1 with no connection left open.  Connect timeout and the
 * session settings (db_options in sql.c: statement timeout, generic plans)
 * default to short values; the conninfo may override them.
 */
static int
db_connect(void)
{
	static const char *const keys[] = {
		"connect_timeout", "application_name", "options", "dbname", NULL
	};
	const char	*vals[] = {
		"2", "reviews-fcgi", db_options, db_conninfo, NULL
	};
	PGresult	*res;
	int		 i;

	if (db_last_fail != 0 && clock_ms() - db_last_fail < DB_RETRY_MS)
		return -1;
	db_conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(db_conn) != CONNECTION_OK) {
		fprintf(stderr, "reviews-fcgi: connect: %s",
		    PQerrorMessage(db_conn));
		goto fail;
	}
	for (i = 0; i < DB__MAX; i++) {
		res = PQprepare(db_conn, db_sql[i].name, db_sql[i].sql,
		    db_sql[i].nparams, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			fprintf(stderr, "reviews-fcgi: prepare %s: %s",
			    db_sql[i].name, PQerrorMessage(db_conn));
			PQclear(res);
			goto fail;
		}
		PQclear(res);
	}
	db_last_fail = 0;
	if (db_ever++ > 0)
		metrics_count(METRICS_DB_RECONNECT);
	return 0;
fail:
	PQfinish(db_conn);
	db_conn = NULL;
	db_last_fail = clock_ms();
	return -1;
}

/*
 * SQLSTATE to HTTP status, in one place.  Connection trouble, shutdown,
 * resource exhaustion, timeouts and serialization failures are worth a retry
 * (503); a unique violation is a conflict with a racing write (409); other
 * data and constraint errors are the client's (400); anything else is
 * ours (500).
 */
int
db_http_status(const char *state)
{
	if (state == NULL)
		return 503;
	if (strncmp(state, "08", 2) == 0 ||	/* connection exception */
	    strncmp(state, "53", 2) == 0 ||	/* insufficient resources */
	    strncmp(state, "57P", 3) == 0 ||	/* shutdown, cannot connect */
	    strcmp(state, "57014") == 0 ||	/* statement timeout */
	    strcmp(state, "40001") == 0 ||	/* serialization failure */
	    strcmp(state, "40P01") == 0 ||	/* deadlock */
	    strcmp(state, "25006") == 0)	/* read-only transaction */
		return 503;
	if (strcmp(state, "23505") == 0)	/* unique violation: a racing */
		return 409;			/* write of the same key */
	if (strncmp(state, "22", 2) == 0 ||	/* data exception */
	    strncmp(state, "23", 2) == 0)	/* integrity violation */
		return 400;
	return 500;
}

/*
 * Run prepared statement stmt with text parameters.  Returns its result
 * (the caller PQclears it) and sets *status to 200; or returns NULL and sets
 * *status to the HTTP status to answer.  A lost connection is dropped and
 * re-established on the spot; an idempotent statement is then run once more,
 * so a database restart between two requests is invisible to the client.
 * A write is not repeated: whether it committed is unknown, so it gets 503.
 */
PGresult *
db_run(enum db_stmt stmt, const char *const *params, int *status)
{
	const struct db_sql	*s = &db_sql[stmt];
	PGresult		*res;
	ExecStatusType		 st;
	int			 attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		if (db_conn == NULL && db_connect() < 0) {
			*status = 503;
			return NULL;
		}
		res = PQexecPrepared(db_conn, s->name, s->nparams, params,
		    NULL, NULL, 0);
		st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
			*status = 200;
			return res;
		}
		if (PQstatus(db_conn) != CONNECTION_BAD) {
			*status = db_http_status(PQresultErrorField(res,
			    PG_DIAG_SQLSTATE));
			fprintf(stderr, "reviews-fcgi: %s: %s", s->name,
			    PQresultErrorMessage(res));
			PQclear(res);
			return NULL;
		}
		fprintf(stderr, "reviews-fcgi: %s: connection lost: %s",
		    s->name, PQerrorMessage(db_conn));
		PQclear(res);
		PQfinish(db_conn);
		db_conn = NULL;
		if (!s->idempotent)
			break;
	}
	*status = 503;
	return NULL;
}
