/* GET /admin/audit: the log of every admin write, newest first. */
#ifndef AUDIT_H
#define AUDIT_H

#include "router.h"

/* Its query parameters, indexing audit_params and route_ctx's arg/num. */
enum audit_arg {
	AUDIT_PAGE,
	AUDIT_COUNT,
	AUDIT__NARGS
};

extern const struct route_param	 audit_params[AUDIT__NARGS];

struct answer	 audit_get(struct route_ctx *);

#endif
