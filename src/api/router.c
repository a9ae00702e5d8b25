#include <stdio.h>
#include <string.h>

#include "meta.h"
#include "query.h"
#include "reviews.h"
#include "router.h"

static const struct route_param list_params[] = {
	{ "product_id", VALID_PRODUCT_ID, NULL },
	{ "page", VALID_PAGE, "1" },
	{ "count", VALID_COUNT, "5" },
	{ "sort", VALID_SORT, "relevant" },
};

static const struct route_param meta_params[] = {
	{ "product_id", VALID_PRODUCT_ID, NULL },
};

#define PARAMS(a)	(a), sizeof(a) / sizeof((a)[0])

/* The whole API.  Patterns with several methods list each. */
static const struct route routes[] = {
	{ HTTP_GET, "/reviews", PARAMS(list_params), reviews_list },
	{ HTTP_POST, "/reviews", NULL, 0, reviews_post },
	{ HTTP_GET, "/reviews/meta", PARAMS(meta_params), meta_get },
	{ HTTP_PUT, "/reviews/#/helpful", NULL, 0, reviews_helpful },
	{ HTTP_PUT, "/reviews/#/report", NULL, 0, reviews_report },
	{ HTTP_GET, "/healthz", NULL, 0, health_get },
};

#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

/*
 * Whether path (len bytes) matches pattern, where '#' stands for one
 * non-empty segment; *seg then points at that segment in path.
 */
static int
router_fits(const char *pattern, const char *path, size_t len,
    const char **seg)
{
	const char	*end = path + len;

	while (*pattern != '\0') {
		if (*pattern == '#') {
			if (path == end || *path == '/')
				return 0;
			*seg = path;
			while (path < end && *path != '/')
				path++;
			pattern++;
			continue;
		}
		if (path == end || *pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	return path == end;
}

/*
 * Find the route for method and path (one trailing slash ignored).  On
 * ROUTE_FOUND sets *route and *seg (the '#' segment, NUL-terminated by '/'
 * or the end, or NULL).  On ROUTE_BAD_METHOD writes the Allow list
 * ("GET, POST") into allow.
 */
enum route_match
router_match(enum http_method method, const char *path,
    const struct route **route, const char **seg, char *allow, size_t allowsz)
{
	static const char *const names[] = { "GET", "POST", "PUT" };
	size_t		 len = strlen(path), i, j;
	unsigned	 methods = 0;

	if (len > 1 && path[len - 1] == '/')
		len--;
	*seg = NULL;
	for (i = 0; i < NROUTES; i++) {
		if (!router_fits(routes[i].pattern, path, len, seg))
			continue;
		if (routes[i].method == method) {
			*route = &routes[i];
			return ROUTE_FOUND;
		}
		methods |= routes[i].method;
	}
	if (methods == 0)
		return ROUTE_NOT_FOUND;
	allow[0] = '\0';
	for (j = 0; j < sizeof(names) / sizeof(names[0]); j++)
		if (methods & (1u << j))
			snprintf(allow + strlen(allow), allowsz - strlen(allow),
			    "%s%s", allow[0] ? ", " : "", names[j]);
	return ROUTE_BAD_METHOD;
}

/*
 * Check the path segment and query string for route, filling ctx.  Returns
 * 0, or -1 with *field and *complaint saying what is wrong (answer 400).
 */
int
router_args(const struct route *route, const char *seg, const char *query,
    struct route_ctx *ctx, const char **field, const char **complaint)
{
	const char		*names[ROUTE_PARAMS_MAX];
	char			 id[16];
	size_t			 i, n, bad = 0;

	if (seg != NULL) {
		*field = "review_id";
		n = strcspn(seg, "/");
		if (n >= sizeof(id)) {
			*complaint = valid_str(VALID_REVIEW_ID, "", &ctx->id);
			return -1;
		}
		memcpy(id, seg, n);
		id[n] = '\0';
		if ((*complaint = valid_str(VALID_REVIEW_ID, id, &ctx->id)) != NULL)
			return -1;
	}
	for (i = 0; i < route->nparams; i++)
		names[i] = route->params[i].name;
	switch (query_parse(query, names, route->nparams, ctx->arg, ctx->buf,
	    sizeof(ctx->buf), &bad)) {
	case QUERY_OK:
		break;
	case QUERY_DUPLICATE:
		*field = names[bad];
		*complaint = "must be given only once";
		return -1;
	case QUERY_BAD_ENCODING:
		*field = names[bad];
		*complaint = "has a malformed percent-encoding or a NUL byte";
		return -1;
	case QUERY_TOO_LONG:
		*field = names[bad];
		*complaint = "is too long";
		return -1;
	}
	for (i = 0; i < route->nparams; i++) {
		*field = names[i];
		if (ctx->arg[i] == NULL) {
			if ((ctx->arg[i] = route->params[i].fallback) == NULL) {
				*complaint = "is required";
				return -1;
			}
		}
		if ((*complaint = valid_str(route->params[i].rule, ctx->arg[i],
		    &ctx->num[i])) != NULL)
			return -1;
	}
	return 0;
}

/* Route one request: answer 404, 405 or 400 here, else run its handler. */
void
router_dispatch(struct http_req *req)
{
	static struct route_ctx	 ctx;
	const struct route	*route;
	const char		*seg, *field, *complaint;
	char			 allow[64], hdr[96];

	switch (router_match(req->method, req->path, &route, &seg, allow,
	    sizeof(allow))) {
	case ROUTE_NOT_FOUND:
		http_send_error(req, 404, NULL, NULL, "not found");
		return;
	case ROUTE_BAD_METHOD:
		snprintf(hdr, sizeof(hdr), "Allow: %s\r\n", allow);
		http_send_error(req, 405, hdr, NULL, "method not allowed");
		return;
	case ROUTE_FOUND:
		break;
	}
	ctx.req = req;
	ctx.id = 0;
	if (router_args(route, seg, req->query, &ctx, &field, &complaint) < 0) {
		http_send_error(req, 400, NULL, field, complaint);
		return;
	}
	route->handler(&ctx);
}
