/*
 * reviews-fcgi: one single-threaded FastCGI worker of the Ratings & Reviews
 * API.  spawn-fcgi binds the socket and multiwatch forks N of these onto it
 * (fd 0); each keeps one PostgreSQL connection for its whole life, two
 * with standbys (one to the primary, one to a standby).
 *
 * Environment:
 *   DATABASE_URL           the primary: libpq conninfo or URI; unset:
 *                          PGHOST, PGPORT, ...
 *   DATABASE_READ_URL      the standbys reads go to (a multi-host conninfo
 *                          with target_session_attrs); unset: reads go to
 *                          DATABASE_URL too, on the same connection
 *   REVIEWS_DEBUG_HEADERS  1: add X-Worker-Pid to responses (tests)
 *   REVIEWS_CACHE          path of the app server's shared memory (in
 *                          /dev/shm): the response cache its listener
 *                          keeps exact, and the metrics; unset: neither
 *   REVIEWS_CACHE_MB       room for answers (default 256; 0: none kept)
 *   REVIEWS_CACHE_TTL_MS   a safety net: the oldest answer served
 *                          (default 300000, five minutes; 0: none kept)
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <libpq-fe.h>

#include "auth.h"
#include "cache.h"
#include "clock.h"
#include "db.h"
#include "http.h"
#include "json.h"
#include "metrics.h"
#include "router.h"
#include "stop.h"

static volatile sig_atomic_t main_stop;

/* A numeric setting from the environment, or fallback. */
static long
main_env_long(const char *name, long fallback)
{
	const char	*v = getenv(name);
	char		*end;
	long		 n;

	if (v == NULL || *v == '\0')
		return fallback;
	n = strtol(v, &end, 10);
	return *end == '\0' && n >= 0 ? n : fallback;
}

/*
 * SIGTERM/SIGINT/SIGQUIT: finish the request in hand, then leave the
 * accept loop.  libfcgi's accept gives up on EINTR once shutdown is
 * pending.  SIGQUIT too: Debian 12's multiwatch 1.0.0 sends, for `-s
 * NAME`, the signal numbered by NAME's place in its table, so `-s TERM`
 * sends SIGQUIT (seen with strace); QUIT is NGINX's graceful stop as well.
 * Without it a stopped pool's workers died by the signal, skipping the
 * exit path (and LeakSanitizer's check at exit).
 */
static void
main_on_signal(int sig)
{
	(void)sig;
	main_stop = 1;
	FCGX_ShutdownPending();
}

int
main(void)
{
	FCGX_Request	 fcgx;
	struct http_req	 req;
	const char	*url, *read, *debug;
	PGresult	*res;
	int64_t		 t0;
	int		 status, route;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&fcgx, 0, 0) != 0)
		return 1;
	stop_on_signals(main_on_signal);
	url = getenv("DATABASE_URL");
	debug = getenv("REVIEWS_DEBUG_HEADERS");
	db_init(url != NULL ? url : "", (read = getenv("DATABASE_READ_URL")) !=
	    NULL && *read != '\0' ? read : NULL);
	http_init(debug != NULL && strcmp(debug, "1") == 0);
	cache_open(getenv("REVIEWS_CACHE"),
	    (size_t)main_env_long("REVIEWS_CACHE_MB", 256),
	    main_env_long("REVIEWS_CACHE_TTL_MS", 300000));
	metrics_open();
	auth_init(getenv("ADMIN_TOKENS_FILE"));
	/* Connect now so the first request does not pay for it; if the
	 * database is down, requests get 503 until it is back. */
	if ((res = db_run(DB_PING, NULL, &status)) != NULL)
		PQclear(res);
	while (!main_stop && FCGX_Accept_r(&fcgx) >= 0) {
		t0 = clock_us();
		http_req_init(&req, &fcgx);
		route = router_dispatch(&req, &status);
		FCGX_Finish_r(&fcgx);
		metrics_record(route, status, clock_us() - t0);
	}
	FCGX_Free(&fcgx, 1);
	db_close();
	metrics_close();
	cache_close();
	json_free();
	return 0;
}
