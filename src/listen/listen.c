#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "cache.h"
#include "clock.h"
#include "digits.h"
#include "listen.h"

/* After a failed connect, wait this long before the next. */
#define LISTEN_RETRY_MS	100

/*
 * Open the connection and LISTEN.  Returns it, or NULL (logged).  Pings
 * are transactions of their own: they need not wait for a WAL flush.
 */
static PGconn *
listen_connect(const char *conninfo)
{
	static const char *const keys[] = {
		"connect_timeout", "application_name", "options",
		"keepalives", "keepalives_idle", "keepalives_interval",
		"keepalives_count", "dbname", NULL
	};
	const char	*vals[] = {
		"2", "reviews-listen", "-c synchronous_commit=off",
		"1", "2", "1", "2", conninfo, NULL
	};
	PGconn		*c;
	PGresult	*res;

	c = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "reviews-listen: connect: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	res = PQexec(c, "LISTEN " LISTEN_CHANNEL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "reviews-listen: LISTEN: %s", PQerrorMessage(c));
		PQclear(res);
		PQfinish(c);
		return NULL;
	}
	PQclear(res);
	return c;
}

/*
 * Apply one notification.  Our own ping says every write committed before
 * it was sent has been applied; a product id bumps that product; "*", or
 * anything not understood, drops every answer.  Returns the ping's send
 * time when it was our ping, else 0.
 */
static int64_t
listen_apply(const PGnotify *n, int self)
{
	const char	*p = n->extra;
	int64_t		 v;

	if (strncmp(p, "ping:", 5) == 0) {
		if (n->be_pid == self && digits_parse(p + 5, strlen(p + 5),
		    INT64_MAX / 10, &v))
			return v;
		return 0;
	}
	if (digits_parse(p, strlen(p), 2147483647, &v))
		cache_invalidate((int32_t)v);
	else
		cache_drop_all();
	return 0;
}

/*
 * Serve one connection until it fails or *stop is set.  Returns 0 on a
 * stop, -1 when the connection is gone or stalled.
 */
static int
listen_serve(PGconn *c, const struct listen_opts *o,
    volatile sig_atomic_t *stop)
{
	char		 q[96];
	struct pollfd	 pfd;
	PGnotify	*n;
	PGresult	*res;
	int64_t		 now, next_ping = 0, pending = 0, sent;
	int		 self = PQbackendPID(c), wait, inflight = 0;

	pfd.fd = PQsocket(c);
	pfd.events = POLLIN;
	while (!*stop) {
		now = clock_ms();
		if (pending != 0 && now - pending > o->stall_ms) {
			fprintf(stderr, "reviews-listen: no answer for %d ms: "
			    "reconnecting\n", o->stall_ms);
			return -1;
		}
		if (pending == 0 && !inflight && now >= next_ping) {
			snprintf(q, sizeof(q), "SELECT pg_notify('"
			    LISTEN_CHANNEL "', 'ping:%" PRId64 "')", now);
			if (!PQsendQuery(c, q)) {
				fprintf(stderr, "reviews-listen: ping: %s",
				    PQerrorMessage(c));
				return -1;
			}
			pending = now;
			inflight = 1;
			next_ping = now + o->ping_ms;
		}
		wait = pending != 0 ? o->ping_ms : (int)(next_ping - now);
		if (poll(&pfd, 1, wait < 1 ? 1 : wait) < 0 && errno != EINTR)
			return -1;
		if (!PQconsumeInput(c)) {
			fprintf(stderr, "reviews-listen: %s", PQerrorMessage(c));
			return -1;
		}
		while (inflight && !PQisBusy(c)) {
			if ((res = PQgetResult(c)) == NULL) {
				inflight = 0;
				break;
			}
			if (PQresultStatus(res) != PGRES_TUPLES_OK) {
				fprintf(stderr, "reviews-listen: ping: %s",
				    PQresultErrorMessage(res));
				PQclear(res);
				return -1;
			}
			PQclear(res);
		}
		/* In commit order: every write that committed before a ping
		 * is applied before the ping is taken as heard. */
		while ((n = PQnotifies(c)) != NULL) {
			if ((sent = listen_apply(n, self)) != 0) {
				cache_heard(sent);
				if (sent == pending)
					pending = 0;
			}
			PQfreemem(n);
		}
	}
	return 0;
}

/*
 * Listen until *stop: connect, drop the cache (what was missed while not
 * listening is unknown), confirm every ping_ms; on any failure stop
 * confirming at once and start again.  Returns 0 when stopped.
 */
int
listen_run(const struct listen_opts *o, volatile sig_atomic_t *stop)
{
	PGconn	*c;
	int	 rc;

	while (!*stop) {
		if ((c = listen_connect(o->conninfo)) == NULL) {
			cache_deaf();
			usleep(LISTEN_RETRY_MS * 1000);
			continue;
		}
		cache_connected();
		fprintf(stderr, "reviews-listen: listening (backend %d)\n",
		    PQbackendPID(c));
		rc = listen_serve(c, o, stop);
		cache_deaf();
		PQfinish(c);
		if (rc < 0 && !*stop)
			usleep(LISTEN_RETRY_MS * 1000);
	}
	return 0;
}
