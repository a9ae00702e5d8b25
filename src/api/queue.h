/*
 * GET /admin/reports: the moderators' queue, the reviews waiting for a
 * decision (open) or the ones decided (closed), with their reports.
 */
#ifndef QUEUE_H
#define QUEUE_H

#include "router.h"

/* Its query parameters, indexing queue_params and route_ctx's arg/num. */
enum queue_arg {
	QUEUE_STATUS,
	QUEUE_PAGE,
	QUEUE_COUNT,
	QUEUE__NARGS
};

extern const struct route_param	 queue_params[QUEUE__NARGS];

struct answer	 queue_get(struct route_ctx *);

#endif
