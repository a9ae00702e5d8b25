/*
 * reviews-listen: the listener of one app server.  It keeps the host's
 * shared response cache exact: every write NOTIFYs its product in its own
 * transaction, and this process bumps that product's generation in the
 * region the host's workers share (src/common/cache.h).  With standbys it
 * also tells the workers how far a standby must have replayed before it
 * may answer a product another host wrote (the primary's WAL position its
 * next ping returns), and reads the standbys' lag for /metrics.  Run one
 * per app server, supervised like the workers (spawn/pool, systemd).
 *
 * Environment, as the workers read it:
 *   DATABASE_URL          the primary (a standby cannot LISTEN)
 *   REVIEWS_CACHE         the host's region in /dev/shm
 *   REVIEWS_LISTEN_PING_MS  how often to confirm (default 10)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "listen.h"
#include "stop.h"

static volatile sig_atomic_t	 main_stop;

static void
main_on_signal(int sig)
{
	(void)sig;
	main_stop = 1;
}

int
main(void)
{
	struct listen_opts	 o;
	const char		*v;

	stop_on_signals(main_on_signal);

	if (cache_open(getenv("REVIEWS_CACHE"), 0, 0) < 0) {
		fprintf(stderr, "reviews-listen: REVIEWS_CACHE must name the "
		    "host's cache region\n");
		return 1;
	}
	o.conninfo = (v = getenv("DATABASE_URL")) != NULL ? v : "";
	o.ping_ms = (v = getenv("REVIEWS_LISTEN_PING_MS")) != NULL &&
	    atoi(v) > 0 ? atoi(v) : 10;
	/* Long enough for a loaded database to answer, short enough that a
	 * silent link is noticed soon (workers stop at CACHE_HEARD_MS). */
	o.stall_ms = 2000;
	listen_run(&o, &main_stop);
	cache_close();
	return 0;
}
