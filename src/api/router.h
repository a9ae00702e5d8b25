/*
 * Dispatch from a table of {method, pattern, query parameters, body rule,
 * handler} (Redis, lwan).  Path, query and body are checked here, before a
 * handler runs, so handlers never re-check their input; a handler returns
 * what to answer and router_dispatch writes it.
 */
#ifndef ROUTER_H
#define ROUTER_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "http.h"
#include "modbody.h"
#include "post.h"
#include "valid.h"

#define ROUTE_PARAMS_MAX	8
#define ROUTE_QUERY_MAX		4096
#define ROUTE_SEGS_MAX		8
#define ROUTE_PATH_MAX		8192	/* NGINX's request line limit */

/*
 * A known query parameter; fallback NULL means it is required unless
 * optional (then arg stays NULL).  excludes, when set (ROUTE_EXCLUDES),
 * names a parameter it cannot be given with; when it is given, that one
 * is left unset (arg NULL, num 0: neither required nor defaulted).
 */
struct route_param {
	const char	*name;
	enum valid_rule	 rule;
	const char	*fallback;
	int		 optional;
	int		 excludes;
};

#define ROUTE_EXCLUDES(i)	((i) + 1)

/*
 * A request path split at its slashes into percent-decoded segments.  A
 * segment keeps whatever it decodes to, '/' and NUL included (len says how
 * long): "1%2F..%2F2" is one segment, and not a review id.
 */
struct route_path {
	size_t		 n;
	const char	*seg[ROUTE_SEGS_MAX];
	size_t		 len[ROUTE_SEGS_MAX];
	char		 buf[ROUTE_PATH_MAX];
};

/* What a handler gets: the request and its checked input. */
struct route_ctx {
	struct http_req	*req;
	int64_t		 id;				/* the # of the path */
	const char	*arg[ROUTE_PARAMS_MAX];		/* decoded values */
	int64_t		 num[ROUTE_PARAMS_MAX];		/* their meaning */
	char		 buf[ROUTE_QUERY_MAX];
	int32_t		 ids[VALID_IDS_MAX];		/* VALID_PRODUCT_IDS */
	size_t		 nids;
	struct cursor	 cursor;	/* VALID_CURSOR, unless empty */
	int		 has_cursor;	/* VALID_CURSOR given: 1 empty, 2 a token */
	const char	*body;		/* the body as sent (ROUTE_BODY_JSON) */
	size_t		 bodylen;
	struct post	 post;		/* POST /reviews: the checked review */
	struct modbody	 mod;		/* a report's or a response's body */
	char		 email[POST_EMAIL_CAP];	/* ROUTE_BODY_EMAIL */
	const char	*admin;		/* admin routes: the token's name */
};

/* What a route takes for a body, checked before its handler runs. */
enum route_body {
	ROUTE_BODY_NONE,	/* whatever is sent is ignored */
	ROUTE_BODY_REVIEW,	/* application/json, at most HTTP_BODY_MAX
				 * bytes, a review (post.c); an optional
				 * Idempotency-Key header */
	ROUTE_BODY_REPORT,	/* optional: with application/json, at most
				 * HTTP_BODY_MAX bytes, a report's reason and
				 * note (modbody.c); no body or another type
				 * is a report without them (Part 1's) */
	ROUTE_BODY_RESPONSE,	/* application/json, at most HTTP_BODY_MAX
				 * bytes, a merchant's response (modbody.c) */
	ROUTE_BODY_EMAIL	/* application/json, at most HTTP_BODY_MAX
				 * bytes, {"email": address} (post.c) */
};

/*
 * check, if set, judges the parameters together once each passed its rule:
 * NULL, or the complaint with *field set.  Every route under /admin is
 * an admin route: router_dispatch answers it only with an admin token
 * (auth.h).
 */
struct route {
	enum http_method		 method;
	const char			*pattern;	/* '#': a review id */
	const struct route_param	*params;
	size_t				 nparams;
	const char			*(*check)(const struct route_ctx *,
					    const char **);
	enum route_body			 body;
	struct answer			(*handler)(struct route_ctx *);
};

enum route_match {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,
	ROUTE_BAD_METHOD
};

void		 router_split(const char *, size_t, struct route_path *);
enum route_match router_match(enum http_method, const struct route_path *,
		    const struct route **, size_t *, char *, size_t);
int		 router_args(const struct route *, const struct route_path *,
		    size_t, const char *, struct route_ctx *, const char **,
		    const char **);
int		 router_dispatch(struct http_req *, int *);
const char	*router_label(int, const char **);

#endif
