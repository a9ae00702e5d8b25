/* GET /reviews/meta: the rating meta of one product or of many. */
#ifndef META_H
#define META_H

#include "router.h"

/* Its query parameters, indexing meta_params and route_ctx's arg/num. */
enum meta_arg {
	META_PRODUCT,
	META_STATS,
	META_PRODUCTS,
	META__NARGS
};

extern const struct route_param	 meta_params[META__NARGS];

struct answer	 meta_get(struct route_ctx *);

#endif
