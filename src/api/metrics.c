#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "clock.h"
#include "metrics.h"
#include "router.h"

#define METRICS_WORKERS	128

/* The statuses counted one by one; anything else is "other". */
static const int metrics_statuses[] = {
	200, 201, 204, 304, 400, 401, 404, 405, 409, 413, 415, 500, 503
};
#define METRICS_NSTATUS	(sizeof(metrics_statuses) / sizeof(int) + 1)

/* Latency bucket bounds in microseconds; the last bucket is +Inf. */
static const int64_t metrics_bounds[] = {
	500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000
};
#define METRICS_NBOUNDS	(sizeof(metrics_bounds) / sizeof(int64_t))

/* One worker's counters: written by that worker only. */
struct metrics_slot {
	int32_t		 pid;		/* 0: free */
	int32_t		 pad;
	uint64_t	 requests[METRICS_ROUTES][METRICS_NSTATUS];
	uint64_t	 buckets[METRICS_ROUTES][METRICS_NBOUNDS + 1];
	uint64_t	 sum_us[METRICS_ROUTES];
	uint64_t	 counters[METRICS__NCOUNTERS];
};

static struct metrics_slot	*metrics_slots;
static struct metrics_slot	*metrics_mine;

/*
 * Claim a slot in the host's shared memory: a free one, or one whose
 * worker is gone (its counts stay: counters only grow).  Without a region
 * or a slot this worker counts nothing.
 */
void
metrics_open(void)
{
	size_t	 len, i;
	int32_t	 pid = (int32_t)getpid(), old;

	if ((metrics_slots = cache_metrics_area(&len)) == NULL)
		return;
	_Static_assert(sizeof(struct metrics_slot) * METRICS_WORKERS <=
	    (1u << 20), "metrics fit the region");
	for (i = 0; i < METRICS_WORKERS; i++) {
		old = __atomic_load_n(&metrics_slots[i].pid, __ATOMIC_ACQUIRE);
		if (old != 0 && (kill(old, 0) == 0 || errno != ESRCH))
			continue;
		if (__atomic_compare_exchange_n(&metrics_slots[i].pid, &old,
		    pid, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
			metrics_mine = &metrics_slots[i];
			return;
		}
	}
	fprintf(stderr, "reviews-fcgi: no metrics slot left (%d workers "
	    "counted at most)\n", METRICS_WORKERS);
}

/* Give the slot back (at worker exit); its counts stay. */
void
metrics_close(void)
{
	if (metrics_mine != NULL)
		__atomic_store_n(&metrics_mine->pid, 0, __ATOMIC_RELEASE);
	metrics_mine = NULL;
}

static void
metrics_add(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n,
	    __ATOMIC_RELAXED);
}

/* One answered request: route (router index), status, latency. */
void
metrics_record(int route, int status, int64_t us)
{
	size_t	 s, b;

	if (metrics_mine == NULL || route < 0 || route >= METRICS_ROUTES)
		return;
	for (s = 0; s < METRICS_NSTATUS - 1; s++)
		if (metrics_statuses[s] == status)
			break;
	for (b = 0; b < METRICS_NBOUNDS; b++)
		if (us <= metrics_bounds[b])
			break;
	metrics_add(&metrics_mine->requests[route][s], 1);
	metrics_add(&metrics_mine->buckets[route][b], 1);
	metrics_add(&metrics_mine->sum_us[route], (uint64_t)(us < 0 ? 0 : us));
}

void
metrics_count(enum metrics_counter c)
{
	if (metrics_mine != NULL)
		metrics_add(&metrics_mine->counters[c], 1);
}

/* The text being built: a static buffer, cut short when full. */
static char	 metrics_buf[256 * 1024];
static size_t	 metrics_len;

static void
metrics_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
metrics_printf(const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (metrics_len >= sizeof(metrics_buf))
		return;
	va_start(ap, fmt);
	n = vsnprintf(metrics_buf + metrics_len,
	    sizeof(metrics_buf) - metrics_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		metrics_len += (size_t)n;
}

/* A counter or gauge with its HELP and TYPE lines. */
static void
metrics_single(const char *name, const char *type, const char *help,
    double v)
{
	metrics_printf("# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help,
	    name, type, name, v);
}

/*
 * GET /metrics: every worker's slot of this host added up.  Only for the
 * addresses NGINX allows (METRICS_ALLOWED, nginx.conf's geo): anyone
 * else gets Part 1's 404.
 */
struct answer
metrics_get(struct route_ctx *ctx)
{
	static struct metrics_slot	 sum;
	const struct metrics_slot	*w;
	const char			*allowed, *method, *label;
	char				 le[16], help[128];
	struct cache_stats		 st;
	struct cache_standby		 sb[CACHE_STANDBYS];
	struct answer			 a;
	int				 nsb;
	uint64_t			 n, unavailable = 0;
	size_t				 i, r, s, b;
	int				 alive = 0;

	allowed = FCGX_GetParam("METRICS_ALLOWED", ctx->req->fcgx->envp);
	if (allowed == NULL || strcmp(allowed, "1") != 0)
		return answer_error(404, NULL, "not found");
	memset(&sum, 0, sizeof(sum));
	for (i = 0; metrics_slots != NULL && i < METRICS_WORKERS; i++) {
		w = &metrics_slots[i];
		if (w->pid != 0 && (kill(w->pid, 0) == 0 || errno != ESRCH))
			alive++;
		for (r = 0; r < METRICS_ROUTES; r++) {
			for (s = 0; s < METRICS_NSTATUS; s++)
				sum.requests[r][s] += w->requests[r][s];
			for (b = 0; b <= METRICS_NBOUNDS; b++)
				sum.buckets[r][b] += w->buckets[r][b];
			sum.sum_us[r] += w->sum_us[r];
		}
		for (s = 0; s < METRICS__NCOUNTERS; s++)
			sum.counters[s] += w->counters[s];
	}
	metrics_len = 0;
	metrics_printf("# HELP reviews_requests_total Requests answered by "
	    "the workers, by route and status.\n"
	    "# TYPE reviews_requests_total counter\n");
	for (r = 0; r < METRICS_ROUTES; r++) {
		if ((label = router_label((int)r, &method)) == NULL)
			continue;
		for (s = 0; s < METRICS_NSTATUS; s++) {
			if ((n = sum.requests[r][s]) == 0)
				continue;
			if (s < METRICS_NSTATUS - 1)
				metrics_printf("reviews_requests_total{method=\"%s\","
				    "route=\"%s\",status=\"%d\"} %" PRIu64 "\n",
				    method, label, metrics_statuses[s], n);
			else
				metrics_printf("reviews_requests_total{method=\"%s\","
				    "route=\"%s\",status=\"other\"} %" PRIu64 "\n",
				    method, label, n);
			if (s < METRICS_NSTATUS - 1 && metrics_statuses[s] == 503)
				unavailable += n;
		}
	}
	metrics_printf("# HELP reviews_request_duration_seconds Time from "
	    "accepting a request to its answer written, by route.\n"
	    "# TYPE reviews_request_duration_seconds histogram\n");
	for (r = 0; r < METRICS_ROUTES; r++) {
		if ((label = router_label((int)r, &method)) == NULL)
			continue;
		for (n = 0, b = 0; b <= METRICS_NBOUNDS; b++) {
			n += sum.buckets[r][b];
			if (b < METRICS_NBOUNDS)
				snprintf(le, sizeof(le), "%g",
				    (double)metrics_bounds[b] / 1e6);
			else
				snprintf(le, sizeof(le), "+Inf");
			metrics_printf("reviews_request_duration_seconds_bucket"
			    "{method=\"%s\",route=\"%s\",le=\"%s\"} %" PRIu64 "\n",
			    method, label, le, n);
		}
		metrics_printf("reviews_request_duration_seconds_sum{method=\"%s\","
		    "route=\"%s\"} %.6f\n", method, label,
		    (double)sum.sum_us[r] / 1e6);
		metrics_printf("reviews_request_duration_seconds_count{method=\"%s\","
		    "route=\"%s\"} %" PRIu64 "\n", method, label, n);
	}
	cache_stats(&st);
	metrics_single("reviews_cache_hits_total", "counter",
	    "Reads answered from the response cache.",
	    (double)sum.counters[METRICS_CACHE_HIT]);
	metrics_single("reviews_cache_misses_total", "counter",
	    "Reads whose answer was not in the cache.",
	    (double)sum.counters[METRICS_CACHE_MISS]);
	metrics_single("reviews_cache_set_hits_total", "counter",
	    "Of those, lists made from their product's cached reviews.",
	    (double)sum.counters[METRICS_SET_HIT]);
	metrics_single("reviews_cache_set_misses_total", "counter",
	    "Product review sets fetched from the database.",
	    (double)sum.counters[METRICS_SET_MISS]);
	metrics_single("reviews_cache_invalidations_total", "counter",
	    "Products invalidated by the listener (writes on any app server).",
	    (double)st.invalidations);
	metrics_single("reviews_cache_drops_total", "counter",
	    "Whole-cache drops (the listener reconnected, or a bulk change).",
	    (double)st.drops);
	metrics_single("reviews_cache_listener_connects_total", "counter",
	    "Times the listener connected and started listening.",
	    (double)st.listener_connects);
	metrics_single("reviews_cache_listening", "gauge",
	    "1 while the listener confirms it has heard every write.",
	    cache_listening(clock_ms()));
	snprintf(help, sizeof(help), "Age of the listener's latest "
	    "confirmation (-1: none); answers are served only while it is "
	    "at most %g.", CACHE_HEARD_MS / 1e3);
	metrics_single("reviews_cache_heard_age_seconds", "gauge", help,
	    st.heard_ms != 0 ? (double)(clock_ms() - st.heard_ms) / 1e3 : -1);
	metrics_single("reviews_cache_slots", "gauge",
	    "Answers the response cache can hold (0: off).",
	    (double)st.nslots);
	metrics_single("reviews_db_reconnects_total", "counter",
	    "Database connections re-established by the workers.",
	    (double)sum.counters[METRICS_DB_RECONNECT]);
	metrics_printf("# HELP reviews_db_reads_total Reads the database "
	    "answered with standbys configured, by which one.\n"
	    "# TYPE reviews_db_reads_total counter\n"
	    "reviews_db_reads_total{database=\"standby\"} %" PRIu64 "\n"
	    "reviews_db_reads_total{database=\"primary\"} %" PRIu64 "\n"
	    "reviews_db_reads_total{database=\"standby_unconfirmed\"} %" PRIu64
	    "\n", sum.counters[METRICS_READ_STANDBY],
	    sum.counters[METRICS_READ_PRIMARY],
	    sum.counters[METRICS_READ_UNCONFIRMED]);
	metrics_printf("# HELP reviews_db_reads_moved_total Reads sent to the "
	    "primary instead of the standby: it had not replayed their "
	    "product's latest write, or it did not answer.\n"
	    "# TYPE reviews_db_reads_moved_total counter\n"
	    "reviews_db_reads_moved_total{reason=\"behind\"} %" PRIu64 "\n"
	    "reviews_db_reads_moved_total{reason=\"unavailable\"} %" PRIu64
	    "\n", sum.counters[METRICS_READ_MOVED_BEHIND],
	    sum.counters[METRICS_READ_MOVED_DOWN]);
	nsb = cache_standbys_get(sb);
	metrics_single("reviews_db_standbys_streaming", "gauge",
	    "Standbys streaming from the primary, as the listener last saw.",
	    nsb);
	if (nsb > 0) {
		metrics_printf("# HELP reviews_db_standby_lag_bytes WAL the "
		    "primary wrote that the standby has not replayed "
		    "(pg_stat_replication, read by the listener).\n"
		    "# TYPE reviews_db_standby_lag_bytes gauge\n");
		for (i = 0; i < (size_t)nsb; i++)
			metrics_printf("reviews_db_standby_lag_bytes{standby="
			    "\"%s\"} %" PRId64 "\n", sb[i].name,
			    sb[i].lag_bytes);
		metrics_printf("# HELP reviews_db_standby_lag_seconds The "
		    "standby's replay_lag (0 when caught up and idle).\n"
		    "# TYPE reviews_db_standby_lag_seconds gauge\n");
		for (i = 0; i < (size_t)nsb; i++)
			metrics_printf("reviews_db_standby_lag_seconds{standby="
			    "\"%s\"} %.3f\n", sb[i].name,
			    (double)sb[i].lag_ms / 1e3);
		metrics_single("reviews_db_standby_lag_age_seconds", "gauge",
		    "Age of the lag figures above.",
		    (double)(clock_ms() - sb[0].at_ms) / 1e3);
	}
	metrics_single("reviews_unavailable_total", "counter",
	    "Requests answered 503 (database unreachable).",
	    (double)unavailable);
	metrics_single("reviews_workers_alive", "gauge",
	    "Workers of this app server running now.", alive);
	a = answer_json(200, metrics_buf, metrics_len);
	a.content_type = "text/plain; version=0.0.4; charset=utf-8";
	return a;
}
