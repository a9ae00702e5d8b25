/* GET /reviews: one page of a product's reviews, by page or by cursor. */
#ifndef LIST_H
#define LIST_H

#include <libpq-fe.h>

#include "router.h"

struct cJSON;

/* Each helpful vote counts as thirty days (in ms) of recency (API.md). */
#define LIST_VOTE_MS	2592000000LL

/* Its query parameters: indexes of list_params and of route_ctx's
 * arg/num. */
enum list_arg {
	LIST_PRODUCT,
	LIST_PAGE,
	LIST_COUNT,
	LIST_SORT,
	LIST_RATING,
	LIST_PHOTOS,
	LIST_CURSOR,
	LIST__NARGS
};

extern const struct route_param	 list_params[LIST__NARGS];

const char	*list_check(const struct route_ctx *, const char **);
struct answer	 list_get(struct route_ctx *);
struct cJSON	*list_review_json(const PGresult *, int, int *);

#endif
