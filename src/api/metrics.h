/*
 * Metrics of an app server, summed over all its workers: each worker
 * counts into a slot of its own in the host's shared memory (no lock, no
 * shared cache line), and GET /metrics adds the slots up in the Prometheus
 * text format (version 0.0.4).
 */
#ifndef METRICS_H
#define METRICS_H

#include <stdint.h>

#include "http.h"

#define METRICS_ROUTES	24	/* route table entries, plus "no route" */

enum metrics_counter {
	METRICS_CACHE_HIT,
	METRICS_CACHE_MISS,
	METRICS_SET_HIT,
	METRICS_SET_MISS,
	METRICS_DB_RECONNECT,
	METRICS_READ_STANDBY,		/* reads a standby answered */
	METRICS_READ_PRIMARY,		/* ... the primary, instead of one */
	METRICS_READ_MOVED_BEHIND,	/* moved: it had not replayed enough */
	METRICS_READ_MOVED_DOWN,	/* moved: it did not answer */
	METRICS_READ_UNCONFIRMED,	/* neither: the standby's, as it is */
	METRICS__NCOUNTERS
};

struct route_ctx;

void		 metrics_open(void);
void		 metrics_close(void);
void		 metrics_record(int, int, int64_t);
void		 metrics_count(enum metrics_counter);
struct answer	 metrics_get(struct route_ctx *);

#endif
