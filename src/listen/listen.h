/*
 * The listener of one app server: one PostgreSQL connection that LISTENs
 * on the channel every write NOTIFYs in its own transaction, and applies
 * each notification to the host's shared cache (src/common/cache.h).
 */
#ifndef LISTEN_H
#define LISTEN_H

#include <signal.h>

/* The channel; the payload is a product id, or "*" for every product. */
#define LISTEN_CHANNEL	"reviews_cache"

struct listen_opts {
	const char	*conninfo;	/* libpq conninfo or URI; "" for PG* */
	int		 ping_ms;	/* how often to confirm (cache_heard) */
	int		 stall_ms;	/* a ping unanswered this long: reconnect */
};

int	 listen_run(const struct listen_opts *, volatile sig_atomic_t *);

#endif
