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
 * Products notified whose replay position is not known yet (cache.c: a
 * standby may answer their reads once it has replayed what the primary had
 * written when a ping sent after the notification ran).  "wait" holds
 * those the ping in flight covers, "next" those heard after it was sent;
 * "all" is every product (a whole-cache drop, a reconnect) and overflow
 * turns a list into it.
 */
#define LISTEN_PENDING	1024
struct listen_pending {
	int32_t		 ids[LISTEN_PENDING];
	int		 n;
	int		 all;
};

static void
listen_pend(struct listen_pending *p, int32_t product)
{
	if (product < 0 || p->n == LISTEN_PENDING)
		p->all = 1;
	else
		p->ids[p->n++] = product;
	cache_lsn_heard_set(product < 0 ? -1 : product, CACHE_LSN_UNKNOWN);
}

/* Whether product's slot waits for a later ping (in next). */
static int
listen_pending_in(const struct listen_pending *p, int32_t product)
{
	int	 i;

	if (p->all)
		return 1;
	for (i = 0; i < p->n; i++)
		if (cache_lsn_shared(p->ids[i], product))
			return 1;
	return 0;
}

/*
 * A ping returned the primary's WAL position lsn: the products it covers
 * need that much (a slot shared with a later notification keeps waiting).
 */
static void
listen_resolve(struct listen_pending *wait, const struct listen_pending *next,
    uint64_t lsn)
{
	int	 i;

	if (wait->all && !next->all)
		cache_lsn_heard_set(-1, lsn);
	for (i = 0; i < wait->n; i++)
		if (!listen_pending_in(next, wait->ids[i]))
			cache_lsn_heard_set(wait->ids[i], lsn);
	wait->n = 0;
	wait->all = 0;
}

/*
 * The standbys' lag from the ping's third column: "name lag_bytes lag_ms"
 * lines, one per standby streaming from the primary.
 */
static void
listen_standbys(const char *s, int64_t now)
{
	struct cache_standby	 sb[CACHE_STANDBYS];
	long long		 bytes, ms;
	int			 n = 0, used;
	char			 name[sizeof(sb[0].name)];

	memset(sb, 0, sizeof(sb));
	while (s != NULL && n < CACHE_STANDBYS &&
	    sscanf(s, "%27s %lld %lld%n", name, &bytes, &ms, &used) == 3) {
		memcpy(sb[n].name, name, sizeof(name));
		sb[n].lag_bytes = bytes;
		sb[n].lag_ms = ms;
		sb[n].at_ms = now;
		n++;
		s += used;
		while (*s == '\n')
			s++;
	}
	cache_standbys_set(sb, n);
}

/*
 * Apply one notification.  Our own ping says every write committed before
 * it was sent has been applied; a product id bumps that product; "*", or
 * anything not understood, drops every answer.  Returns the ping's send
 * time when it was our ping, else 0.
 */
static int64_t
listen_apply(const PGnotify *n, int self, struct listen_pending *pend)
{
	const char	*p = n->extra;
	int64_t		 v;

	if (strncmp(p, "ping:", 5) == 0) {
		if (n->be_pid == self && digits_parse(p + 5, strlen(p + 5),
		    INT64_MAX / 10, &v))
			return v;
		return 0;
	}
	if (digits_parse(p, strlen(p), 2147483647, &v)) {
		listen_pend(pend, (int32_t)v);
		cache_invalidate((int32_t)v);
	} else {
		listen_pend(pend, -1);
		cache_drop_all();
	}
	return 0;
}

/*
 * The ping: a notification back to ourselves (cache_heard) and the
 * primary's WAL position as it runs (listen_resolve); every
 * LISTEN_LAG_EVERY pings also each standby's lag (cache_standbys_set).
 * Without notify only the position: what notified products wait for
 * between pings (far cheaper than a notification every listener of every
 * host gets).
 */
#define LISTEN_LAG_EVERY	50
static int
listen_ping(PGconn *c, int64_t now, int notify, int lag)
{
	char	 q[512];

	if (!notify)
		snprintf(q, sizeof(q), "SELECT NULL, pg_current_wal_lsn()");
	else
		snprintf(q, sizeof(q), "SELECT pg_notify('" LISTEN_CHANNEL
		    "', 'ping:%" PRId64 "'), pg_current_wal_lsn()%s", now, lag ?
		    ", (SELECT string_agg(replace(application_name, ' ', '_') "
		    "|| ' ' || coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), "
		    "replay_lsn)::bigint, -1) || ' ' || coalesce((extract(epoch "
		    "FROM replay_lag) * 1000)::bigint, 0), E'\\n' ORDER BY "
		    "application_name) FROM pg_stat_replication)" : "");
	if (PQsendQuery(c, q))
		return 0;
	fprintf(stderr, "reviews-listen: ping: %s", PQerrorMessage(c));
	return -1;
}

/*
 * Serve one connection until it fails or *stop is set.  Returns 0 on a
 * stop, -1 when the connection is gone or stalled.
 */
static int
listen_serve(PGconn *c, const struct listen_opts *o,
    volatile sig_atomic_t *stop)
{
	static struct listen_pending	 wait, next;
	struct pollfd	 pfd;
	PGnotify	*n;
	PGresult	*res;
	int64_t		 now, next_ping = 0, pending = 0, sent;
	uint64_t	 lsn;
	int		 self = PQbackendPID(c), wait_ms, inflight = 0;
	int		 pings = 0, ping;

	/* What was missed while not listening is unknown until a ping. */
	wait.n = next.n = next.all = 0;
	listen_pend(&wait, -1);
	pfd.fd = PQsocket(c);
	pfd.events = POLLIN;
	while (!*stop) {
		now = clock_ms();
		if (pending != 0 && now - pending > o->stall_ms) {
			fprintf(stderr, "reviews-listen: no answer for %d ms: "
			    "reconnecting\n", o->stall_ms);
			return -1;
		}
		/* Notified products are resolved by a query sent at once. */
		ping = now >= next_ping && pending == 0;
		if (!inflight && (ping || wait.n > 0 || wait.all)) {
			if (listen_ping(c, now, ping,
			    ping && pings++ % LISTEN_LAG_EVERY == 0) < 0)
				return -1;
			if (ping) {
				pending = now;
				next_ping = now + o->ping_ms;
			}
			inflight = 1;
		}
		wait_ms = pending != 0 ? o->ping_ms : (int)(next_ping - now);
		if (poll(&pfd, 1, wait_ms < 1 ? 1 : wait_ms) < 0 && errno != EINTR)
			return -1;
		if (!PQconsumeInput(c)) {
			fprintf(stderr, "reviews-listen: %s", PQerrorMessage(c));
			return -1;
		}
		while (inflight && !PQisBusy(c)) {
			if ((res = PQgetResult(c)) == NULL) {
				inflight = 0;
				/* What arrived meanwhile waits for the next. */
				wait = next;
				next.n = next.all = 0;
				break;
			}
			if (PQresultStatus(res) != PGRES_TUPLES_OK ||
			    PQntuples(res) != 1) {
				fprintf(stderr, "reviews-listen: ping: %s",
				    PQresultErrorMessage(res));
				PQclear(res);
				return -1;
			}
			if ((lsn = digits_lsn(PQgetvalue(res, 0, 1))) == 0) {
				fprintf(stderr, "reviews-listen: ping: no WAL "
				    "position\n");
				PQclear(res);
				return -1;
			}
			listen_resolve(&wait, &next, lsn);
			if (PQnfields(res) == 3)
				listen_standbys(PQgetisnull(res, 0, 2) ? NULL :
				    PQgetvalue(res, 0, 2), now);
			PQclear(res);
		}
		/* In commit order: every write that committed before a ping
		 * is applied before the ping is taken as heard. */
		while ((n = PQnotifies(c)) != NULL) {
			if ((sent = listen_apply(n, self,
			    inflight ? &next : &wait)) != 0) {
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
