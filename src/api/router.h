/*
 * Dispatch from a table of {method, pattern, query parameters, handler}
 * (Redis, lwan).  Path and query input are checked here, before a handler
 * runs, so handlers never re-check it.
 */
#ifndef ROUTER_H
#define ROUTER_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "valid.h"

#define ROUTE_PARAMS_MAX	4
#define ROUTE_QUERY_MAX		4096

/* A known query parameter; fallback NULL means it is required. */
struct route_param {
	const char	*name;
	enum valid_rule	 rule;
	const char	*fallback;
};

/* What a handler gets: the request and its checked input. */
struct route_ctx {
	struct http_req	*req;
	int64_t		 id;				/* the # of the path */
	const char	*arg[ROUTE_PARAMS_MAX];		/* decoded values */
	int64_t		 num[ROUTE_PARAMS_MAX];		/* their meaning */
	char		 buf[ROUTE_QUERY_MAX];
};

struct route {
	enum http_method		 method;
	const char			*pattern;	/* '#': a review id */
	const struct route_param	*params;
	size_t				 nparams;
	void				(*handler)(struct route_ctx *);
};

enum route_match {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,
	ROUTE_BAD_METHOD
};

enum route_match router_match(enum http_method, const char *,
		    const struct route **, const char **, char *, size_t);
int		 router_args(const struct route *, const char *, const char *,
		    struct route_ctx *, const char **, const char **);
void		 router_dispatch(struct http_req *);

#endif
