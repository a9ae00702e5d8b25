#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "health.h"
#include "list.h"
#include "meta.h"
#include "metrics.h"
#include "moderate.h"
#include "query.h"
#include "queue.h"
#include "reviewer.h"
#include "reviews.h"
#include "router.h"

#define PARAMS(a)	.params = (a), .nparams = sizeof(a) / sizeof((a)[0])

/* The whole API.  Patterns with several methods list each. */
static const struct route routes[] = {
	{ .method = HTTP_GET, .pattern = "/reviews", PARAMS(list_params),
	    .check = list_check, .handler = list_get },
	{ .method = HTTP_POST, .pattern = "/reviews", .body = ROUTE_BODY_REVIEW,
	    .handler = reviews_post },
	{ .method = HTTP_GET, .pattern = "/reviews/meta", PARAMS(meta_params),
	    .handler = meta_get },
	{ .method = HTTP_PUT, .pattern = "/reviews/#/helpful",
	    .handler = reviews_helpful },
	{ .method = HTTP_PUT, .pattern = "/reviews/#/report",
	    .body = ROUTE_BODY_REPORT, .handler = reviews_report },
	{ .method = HTTP_GET, .pattern = "/healthz", .handler = health_get },
	{ .method = HTTP_GET, .pattern = "/metrics", .handler = metrics_get },
	{ .method = HTTP_PUT, .pattern = "/admin/reviews/#/restore",
	    .handler = moderate_restore },
	{ .method = HTTP_PUT, .pattern = "/admin/reviews/#/remove",
	    .handler = moderate_remove },
	{ .method = HTTP_PUT, .pattern = "/admin/reviews/#/response",
	    .body = ROUTE_BODY_RESPONSE, .handler = moderate_response },
	/* The moderation and merchant API: admin routes (router_dispatch). */
	{ .method = HTTP_GET, .pattern = "/admin/reports", PARAMS(queue_params),
	    .handler = queue_get },
	{ .method = HTTP_GET, .pattern = "/admin/audit", PARAMS(audit_params),
	    .handler = audit_get },
	{ .method = HTTP_POST, .pattern = "/admin/reviewers/export",
	    .body = ROUTE_BODY_EMAIL, .handler = reviewer_export },
	{ .method = HTTP_POST, .pattern = "/admin/reviewers/erase",
	    .body = ROUTE_BODY_EMAIL, .handler = reviewer_erase },
};

#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

_Static_assert(NROUTES < METRICS_ROUTES, "metrics count every route");

/*
 * The metrics label of route i ("/reviews/{review_id}/helpful") and its
 * method; i == NROUTES is "no route" (404, 405).  NULL past that.
 */
const char *
router_label(int i, const char **method)
{
	static const char *const names[] = { "GET", "POST", "PUT" };
	static char	 labels[NROUTES][64];
	const char	*p;
	size_t		 o, j;

	if (i < 0 || (size_t)i > NROUTES)
		return NULL;
	if ((size_t)i == NROUTES) {
		*method = "any";
		return "none";
	}
	for (j = 0; j < 3; j++)
		if ((unsigned)routes[i].method == 1u << j)
			*method = names[j];
	if (labels[i][0] == '\0') {
		for (o = 0, p = routes[i].pattern; *p != '\0' &&
		    o + 13 < sizeof(labels[i]); p++)
			if (*p == '#')
				o += (size_t)snprintf(labels[i] + o,
				    sizeof(labels[i]) - o, "{review_id}");
			else
				labels[i][o++] = *p;
		labels[i][o] = '\0';
	}
	return labels[i];
}

/*
 * Split the len bytes of a raw request path into p's decoded segments.
 * One trailing slash is dropped (API.md accepts it on every path).  A path
 * that does not start with '/', is too long or has too many segments gets
 * no segments at all, so it matches no route.
 */
void
router_split(const char *raw, size_t len, struct route_path *p)
{
	const char	*end, *slash;
	size_t		 used = 0, n;

	p->n = 0;
	if (len == 0 || raw[0] != '/' || len >= sizeof(p->buf))
		return;
	if (len > 1 && raw[len - 1] == '/')
		len--;
	end = raw + len;
	for (raw++; ; raw = slash + 1) {
		if (p->n == ROUTE_SEGS_MAX) {
			p->n = 0;
			return;
		}
		if ((slash = memchr(raw, '/', (size_t)(end - raw))) == NULL)
			slash = end;
		n = query_unescape(raw, (size_t)(slash - raw), p->buf + used);
		p->seg[p->n] = p->buf + used;
		p->len[p->n++] = n;
		used += n + 1;
		if (slash == end)
			return;
	}
}

/*
 * Whether p's segments fit pattern, where '#' stands for any one segment
 * (router_args judges it); *id is then its index.
 */
static int
router_fits(const char *pattern, const struct route_path *p, size_t *id)
{
	const char	*slash;
	size_t		 i, n;

	for (i = 0, pattern++; i < p->n; i++, pattern = slash + 1) {
		if ((slash = strchr(pattern, '/')) == NULL)
			slash = pattern + strlen(pattern);
		n = (size_t)(slash - pattern);
		if (n == 1 && *pattern == '#')
			*id = i;
		else if (n != p->len[i] || memcmp(pattern, p->seg[i], n) != 0)
			return 0;
		if (*slash == '\0')
			return i + 1 == p->n;
	}
	return 0;
}

/*
 * Find the route for method and path.  On ROUTE_FOUND sets *route and *id
 * (the index of the '#' segment, or (size_t)-1).  On ROUTE_BAD_METHOD
 * writes the Allow list ("GET, POST") into allow.
 */
enum route_match
router_match(enum http_method method, const struct route_path *p,
    const struct route **route, size_t *id, char *allow, size_t allowsz)
{
	static const char *const names[] = { "GET", "POST", "PUT" };
	size_t		 i, j, seg;
	unsigned	 methods = 0;

	*id = (size_t)-1;
	for (i = 0; i < NROUTES; i++) {
		seg = (size_t)-1;
		if (!router_fits(routes[i].pattern, p, &seg))
			continue;
		if (routes[i].method == method) {
			*route = &routes[i];
			*id = seg;
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
 * Check one parameter's value s by its rule, into *num, or for the rules
 * whose value is more than a number, into ctx.  Returns NULL or the
 * complaint.
 */
static const char *
router_value(const struct route_param *param, const char *s,
    struct route_ctx *ctx, int64_t *num)
{
	switch (param->rule) {
	case VALID_PRODUCT_IDS:
		return valid_id_list(s, ctx->ids, &ctx->nids);
	case VALID_CURSOR:
		ctx->has_cursor = *s == '\0' ? 1 : 2;
		if (*s == '\0' || cursor_decode(s, strlen(s), &ctx->cursor) == 0)
			return NULL;
		return valid_complaint(VALID_CURSOR);
	default:
		return valid_str(param->rule, s, num);
	}
}

/*
 * Check the review id segment (index id of p, if any) and the query string
 * for route, filling ctx.  Returns 0, or -1 with *field and *complaint
 * saying what is wrong (answer 400).
 */
int
router_args(const struct route *route, const struct route_path *p, size_t id,
    const char *query, struct route_ctx *ctx, const char **field,
    const char **complaint)
{
	static char		 with[64];
	const char		*names[ROUTE_PARAMS_MAX];
	char			 seg[16];
	size_t			 i, bad = 0;
	unsigned		 stands_in = 0;
	int			 x;

	if (p != NULL && id < p->n) {
		*field = "review_id";
		/* A decoded NUL would cut the C string short: refuse it. */
		if (p->len[id] >= sizeof(seg) ||
		    memchr(p->seg[id], '\0', p->len[id]) != NULL) {
			*complaint = valid_str(VALID_REVIEW_ID, "", &ctx->id);
			return -1;
		}
		memcpy(seg, p->seg[id], p->len[id] + 1);
		if ((*complaint = valid_str(VALID_REVIEW_ID, seg, &ctx->id)) != NULL)
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
		if ((x = route->params[i].excludes) == 0 || ctx->arg[i] == NULL)
			continue;
		if (ctx->arg[x - 1] != NULL) {
			*field = names[i];
			snprintf(with, sizeof(with), "must not be given with %s",
			    names[x - 1]);
			*complaint = with;
			return -1;
		}
		stands_in |= 1u << (x - 1);
	}
	ctx->nids = 0;
	ctx->has_cursor = 0;
	for (i = 0; i < route->nparams; i++) {
		*field = names[i];
		ctx->num[i] = 0;
		if (ctx->arg[i] == NULL) {
			if ((stands_in & (1u << i)) ||
			    route->params[i].optional)
				continue;
			if ((ctx->arg[i] = route->params[i].fallback) == NULL) {
				*complaint = "is required";
				return -1;
			}
		}
		if ((*complaint = router_value(&route->params[i], ctx->arg[i],
		    ctx, &ctx->num[i])) != NULL)
			return -1;
	}
	if (route->check != NULL &&
	    (*complaint = route->check(ctx, field)) != NULL)
		return -1;
	return 0;
}

/* A request body as sent, and the copy a parser may change: one body
 * per request, so the routes that take one share them. */
static char	 router_raw[HTTP_BODY_MAX + 1], router_work[HTTP_BODY_MAX + 1];

/*
 * Read and check a review body (ROUTE_BODY_REVIEW) into ctx: 415 for
 * another content type, 400 for a bad Idempotency-Key, 413 past
 * HTTP_BODY_MAX, 400 naming the field for a bad review.  Returns 0, or -1
 * with *a set.  ctx->body keeps the bytes as sent (an Idempotency-Key's
 * record compares them); the parser works on a copy, which it changes.
 */
static int
router_review(struct route_ctx *ctx, struct answer *a)
{
	struct http_req	*req = ctx->req;
	const char	*field, *complaint;
	size_t		 len;

	if (!http_is_json(req->content_type)) {
		*a = answer_error(415, "Content-Type", "must be application/json");
		return -1;
	}
	if (req->idempotency_key != NULL &&
	    (complaint = valid_idempotency_key(req->idempotency_key)) != NULL) {
		*a = answer_error(400, "Idempotency-Key", complaint);
		return -1;
	}
	if (http_read_body(req, router_raw, sizeof(router_raw), &len) < 0) {
		*a = answer_error(413, "body", "must be at most " VALID_XSTR(HTTP_BODY_MAX) " bytes");
		return -1;
	}
	memcpy(router_work, router_raw, len + 1);
	if (post_parse(router_work, len, &ctx->post, &field, &complaint) < 0) {
		*a = answer_error(400, field, complaint);
		return -1;
	}
	ctx->body = router_raw;
	ctx->bodylen = len;
	return 0;
}

/*
 * Read and check a moderation body (ROUTE_BODY_REPORT, ROUTE_BODY_RESPONSE)
 * into ctx->mod with parse: 415 for another content type (a report without
 * JSON is parsed as no body at all), 413 past HTTP_BODY_MAX, 400 naming
 * the field for a bad body.  Returns 0, or -1 with *a set.
 */
static int
router_modbody(struct route_ctx *ctx, enum route_body rule, struct answer *a)
{
	static char	 buf[HTTP_BODY_MAX + 1];
	struct http_req	*req = ctx->req;
	const char	*field, *complaint;
	size_t		 len = 0;
	int		(*parse)(char *, size_t, struct modbody *,
			    const char **, const char **);

	parse = rule == ROUTE_BODY_REPORT ? modbody_report : modbody_response;
	buf[0] = '\0';
	if (!http_is_json(req->content_type)) {
		if (rule != ROUTE_BODY_REPORT) {
			*a = answer_error(415, "Content-Type",
			    "must be application/json");
			return -1;
		}
	} else if (http_read_body(req, buf, sizeof(buf), &len) < 0) {
		*a = answer_error(413, "body", "must be at most " VALID_XSTR(HTTP_BODY_MAX) " bytes");
		return -1;
	}
	if (parse(buf, len, &ctx->mod, &field, &complaint) < 0) {
		*a = answer_error(400, field, complaint);
		return -1;
	}
	return 0;
}

/*
 * Read and check an e-mail body (ROUTE_BODY_EMAIL) into ctx->email: 415,
 * 413 and 400 as for a review.  Returns 0, or -1 with *a set.
 */
static int
router_email(struct route_ctx *ctx, struct answer *a)
{
	const char	*field, *complaint;
	size_t		 len;

	if (!http_is_json(ctx->req->content_type)) {
		*a = answer_error(415, "Content-Type", "must be application/json");
		return -1;
	}
	if (http_read_body(ctx->req, router_work, sizeof(router_work),
	    &len) < 0) {
		*a = answer_error(413, "body", "must be at most " VALID_XSTR(HTTP_BODY_MAX) " bytes");
		return -1;
	}
	if (post_email(router_work, len, ctx->email, &field, &complaint) < 0) {
		*a = answer_error(400, field, complaint);
		return -1;
	}
	return 0;
}

/*
 * Route one request: 404, 405 or 400 here, else its handler's answer.
 * Returns the route's index (router_label) and sets *status, for the
 * metrics.
 */
int
router_dispatch(struct http_req *req, int *status)
{
	static struct route_ctx	 ctx;
	static struct route_path path;
	static char		 allow[64], hdr[96];
	const struct route	*route = NULL;
	const char		*field, *complaint;
	struct answer		 a;
	size_t			 id;

	router_split(req->path, req->pathlen, &path);
	ctx.admin = NULL;
	if (path.n > 0 && path.len[0] == 5 && memcmp(path.seg[0], "admin", 5) == 0) {
		/* No token file: there is no admin API.  Else nothing under
		 * /admin, not even whether a path exists, without a token. */
		if (!auth_enabled()) {
			a = answer_error(404, NULL, "not found");
			goto out;
		}
		if ((complaint = auth_check(req->authorization,
		    &ctx.admin)) != NULL) {
			a = answer_error(401, "Authorization", complaint);
			a.headers = "WWW-Authenticate: Bearer realm=\"reviews admin\"\r\n";
			goto out;
		}
	}
	switch (router_match(req->method, &path, &route, &id, allow,
	    sizeof(allow))) {
	case ROUTE_NOT_FOUND:
		a = answer_error(404, NULL, "not found");
		goto out;
	case ROUTE_BAD_METHOD:
		snprintf(hdr, sizeof(hdr), "Allow: %s\r\n", allow);
		a = answer_error(405, NULL, "method not allowed");
		a.headers = hdr;
		goto out;
	case ROUTE_FOUND:
		break;
	}
	ctx.req = req;
	ctx.id = 0;
	ctx.body = NULL;
	ctx.bodylen = 0;
	if (router_args(route, &path, id, req->query, &ctx, &field,
	    &complaint) < 0) {
		a = answer_error(400, field, complaint);
		goto out;
	}
	switch (route->body) {
	case ROUTE_BODY_NONE:
		a = route->handler(&ctx);
		break;
	case ROUTE_BODY_REVIEW:
		if (router_review(&ctx, &a) < 0)
			break;
		a = route->handler(&ctx);
		post_free(&ctx.post);
		break;
	case ROUTE_BODY_REPORT:
	case ROUTE_BODY_RESPONSE:
		if (router_modbody(&ctx, route->body, &a) < 0)
			break;
		a = route->handler(&ctx);
		modbody_free(&ctx.mod);
		break;
	case ROUTE_BODY_EMAIL:
		if (router_email(&ctx, &a) < 0)
			break;
		a = route->handler(&ctx);
		break;
	}
out:
	http_answer(req, &a);
	*status = a.status;
	return route != NULL ? (int)(route - routes) : (int)NROUTES;
}
