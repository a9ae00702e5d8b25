/* The review resource: list, post, mark helpful, report. */
#ifndef REVIEWS_H
#define REVIEWS_H

#include "router.h"

/* GET /reviews's query parameters: indexes of reviews_list_params and of
 * route_ctx's arg/num. */
enum reviews_list_arg {
	LIST_PRODUCT,
	LIST_PAGE,
	LIST_COUNT,
	LIST_SORT,
	LIST__NARGS
};

extern const struct route_param	 reviews_list_params[LIST__NARGS];

struct answer	 reviews_list(struct route_ctx *);
struct answer	 reviews_post(struct route_ctx *);
struct answer	 reviews_helpful(struct route_ctx *);
struct answer	 reviews_report(struct route_ctx *);

#endif
