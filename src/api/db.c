#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "cache.h"
#include "clock.h"
#include "db.h"
#include "digits.h"
#include "metrics.h"

/*
 * One persistent connection: to the primary (every write, and reads that
 * need it) or to a standby (the other reads).
 */
struct db_link {
	const char	*name;		/* for the log */
	const char	*conninfo;	/* NULL: no such link */
	PGconn		*conn;
	int		 ever;		/* connections made so far */
	int64_t		 last_fail;	/* clock_ms of the last failed connect */
};

static struct db_link	 db_primary = { .name = "primary" };
static struct db_link	 db_standby = { .name = "standby" };

/* The standby's replay position as last asked, and when. */
static uint64_t		 db_replayed;
static int64_t		 db_replayed_ms;

/* After a failed connect, answer 503 at once for this long, not hammer it. */
#define DB_RETRY_MS	250
/* Ask the standby how far it replayed at most this often. */
#define DB_REPLAY_ASK_MS	2

/*
 * Remember the connection strings: libpq conninfos or URIs, "" for the
 * standard libpq environment (PGHOST, PGPORT, ...).  conninfo reaches the
 * primary; read_conninfo, when not NULL, the standbys reads go to.
 * Connecting waits for the first request, so a worker starts even while a
 * database is down.
 */
void
db_init(const char *conninfo, const char *read_conninfo)
{
	db_primary.conninfo = conninfo;
	db_standby.conninfo = read_conninfo;
}

/* Close the connections (at worker exit). */
void
db_close(void)
{
	if (db_primary.conn != NULL)
		PQfinish(db_primary.conn);
	if (db_standby.conn != NULL)
		PQfinish(db_standby.conn);
	db_primary.conn = db_standby.conn = NULL;
}

/*
 * Open l's connection and prepare every statement of the table on it
 * (writes too: preparing is allowed on a standby).  Returns 0, or -1 with
 * no connection left open.  Connect timeout and the session settings
 * (db_options in sql.c: statement timeout, generic plans) default to short
 * values; the conninfo may override them.
 */
static int
db_connect(struct db_link *l)
{
	static const char *const keys[] = {
		"connect_timeout", "application_name", "options", "dbname", NULL
	};
	const char	*vals[] = {
		"2", "reviews-fcgi", db_options, l->conninfo, NULL
	};
	PGresult	*res;
	int		 i;

	if (l->last_fail != 0 && clock_ms() - l->last_fail < DB_RETRY_MS)
		return -1;
	l->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(l->conn) != CONNECTION_OK) {
		fprintf(stderr, "reviews-fcgi: connect to the %s: %s",
		    l->name, PQerrorMessage(l->conn));
		goto fail;
	}
	for (i = 0; i < DB__MAX; i++) {
		res = PQprepare(l->conn, db_sql[i].name, db_sql[i].sql,
		    db_sql[i].nparams, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			fprintf(stderr, "reviews-fcgi: prepare %s on the %s: %s",
			    db_sql[i].name, l->name, PQerrorMessage(l->conn));
			PQclear(res);
			goto fail;
		}
		PQclear(res);
	}
	l->last_fail = 0;
	if (l->ever++ > 0)
		metrics_count(METRICS_DB_RECONNECT);
	return 0;
fail:
	PQfinish(l->conn);
	l->conn = NULL;
	l->last_fail = clock_ms();
	return -1;
}

/*
 * SQLSTATE to HTTP status, in one place.  Connection trouble, shutdown,
 * resource exhaustion, timeouts, serialization failures and recovery
 * conflicts on a standby are worth a retry (503); a unique violation is a
 * conflict with a racing write (409); other data and constraint errors are
 * the client's (400); anything else is ours (500).
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
 * Whether c was closed by its server while idle: a server that shuts down
 * or terminates the session sends its error and closes, so the socket
 * reads.  Seen before sending, a write goes to a new connection instead of
 * failing in doubt (503) on the dead one.
 */
static int
db_conn_closed(PGconn *c)
{
	struct pollfd	 pfd = { .fd = PQsocket(c), .events = POLLIN };

	if (pfd.fd < 0)
		return 1;
	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	return !PQconsumeInput(c) || PQstatus(c) == CONNECTION_BAD;
}

/*
 * Run prepared statement stmt on l with text parameters.  Returns its
 * result (the caller PQclears it) and sets *status to 200; or returns NULL
 * and sets *status to the HTTP status to answer.  A lost connection is
 * dropped and re-established on the spot; an idempotent statement is then
 * run once more, so a database restart between two requests is invisible
 * to the client.  A write is not repeated: whether it committed is
 * unknown, so it gets 503.
 */
static PGresult *
db_link_run(struct db_link *l, enum db_stmt stmt, const char *const *params,
    int *status)
{
	const struct db_sql	*s = &db_sql[stmt];
	PGresult		*res;
	ExecStatusType		 st;
	int			 attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		if (l->conn != NULL && db_conn_closed(l->conn)) {
			fprintf(stderr, "reviews-fcgi: the %s closed the connection: %s",
			    l->name, PQerrorMessage(l->conn));
			PQfinish(l->conn);
			l->conn = NULL;
		}
		if (l->conn == NULL && db_connect(l) < 0) {
			*status = 503;
			return NULL;
		}
		res = PQexecPrepared(l->conn, s->name, s->nparams, params,
		    NULL, NULL, 0);
		st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
			*status = 200;
			return res;
		}
		if (PQstatus(l->conn) != CONNECTION_BAD) {
			*status = db_http_status(PQresultErrorField(res,
			    PG_DIAG_SQLSTATE));
			fprintf(stderr, "reviews-fcgi: %s on the %s: %s",
			    s->name, l->name, PQresultErrorMessage(res));
			PQclear(res);
			return NULL;
		}
		fprintf(stderr, "reviews-fcgi: %s: connection to the %s lost: %s",
		    s->name, l->name, PQerrorMessage(l->conn));
		PQclear(res);
		PQfinish(l->conn);
		l->conn = NULL;
		if (!s->idempotent)
			break;
	}
	*status = 503;
	return NULL;
}

/* A statement on the primary: every write, and what only it may answer. */
PGresult *
db_run(enum db_stmt stmt, const char *const *params, int *status)
{
	return db_link_run(&db_primary, stmt, params, status);
}

/*
 * Whether the standby has replayed need (1) or not (0): from what it said
 * last, else asked again (at most every DB_REPLAY_ASK_MS); -1 when it
 * cannot be asked.  A standby promoted since answers the primary's
 * position: all of it is current.
 */
static int
db_standby_has(uint64_t need)
{
	PGresult	*res;
	int64_t		 now;
	int		 status;

	if (need <= db_replayed)
		return 1;
	if (need == CACHE_LSN_UNKNOWN)
		return 0;
	now = clock_ms();
	if (db_replayed_ms != 0 && now - db_replayed_ms < DB_REPLAY_ASK_MS)
		return 0;
	db_replayed_ms = now;
	if ((res = db_link_run(&db_standby, DB_REPLAYED, NULL, &status)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		db_replayed = digits_lsn(PQgetvalue(res, 0, 0));
	PQclear(res);
	return need <= db_replayed;
}

/*
 * A read about data whose latest acknowledged write needs the replay
 * position need (cache_lsn_needed; the highest of its products'): on the
 * standby when it has replayed that far and answers, else on the primary.
 * When the primary cannot be reached either, the standby answers what it
 * has: the data as of its last replayed commit (README).
 */
PGresult *
db_read(enum db_stmt stmt, const char *const *params, uint64_t need,
    int *status)
{
	PGresult	*res;
	int		 has;

	if (db_standby.conninfo == NULL)
		return db_run(stmt, params, status);
	if ((has = db_standby_has(need)) == 1) {
		if ((res = db_link_run(&db_standby, stmt, params, status)) != NULL) {
			metrics_count(METRICS_READ_STANDBY);
			return res;
		}
		if (*status != 503)
			return NULL;
		has = -1;
	}
	if (has < 0) {
		metrics_count(METRICS_READ_MOVED_DOWN);
		/* Ask its position afresh when it is back. */
		db_replayed = 0;
		db_replayed_ms = 0;
	} else
		metrics_count(METRICS_READ_MOVED_BEHIND);
	if ((res = db_run(stmt, params, status)) != NULL) {
		metrics_count(METRICS_READ_PRIMARY);
		return res;
	}
	if (*status != 503 ||
	    (res = db_link_run(&db_standby, stmt, params, status)) == NULL)
		return NULL;
	metrics_count(METRICS_READ_UNCONFIRMED);
	return res;
}

/*
 * The primary's WAL position now (after a write committed: at least its
 * commit's), 0 without standbys (nothing to wait for), or
 * CACHE_LSN_UNKNOWN when it cannot be had.
 */
uint64_t
db_wal_position(void)
{
	PGresult	*res;
	uint64_t	 lsn = 0;
	int		 status;

	if (db_standby.conninfo == NULL)
		return 0;
	if ((res = db_run(DB_WAL_POSITION, NULL, &status)) == NULL)
		return CACHE_LSN_UNKNOWN;
	if (PQntuples(res) == 1)
		lsn = digits_lsn(PQgetvalue(res, 0, 0));
	PQclear(res);
	return lsn != 0 ? lsn : CACHE_LSN_UNKNOWN;
}
