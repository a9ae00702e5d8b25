/*
 * libFuzzer harness for the router (router.c): router_match, then
 * router_args on a match.  Handlers are never called.
 *
 * Input: the first byte picks the method (GET, POST, PUT or another); the
 * rest, up to a NUL byte, is the raw path (as the client sent it: NGINX
 * passes it undecoded), and what follows the NUL, up to the next one, is
 * the raw query string.  No NUL at all means no query string (NULL).
 *
 * router_split and router_match's answer are checked against a model
 * written here: the path split at '/', each segment's %XX decoded, one
 * trailing slash ignored, at most 8 segments, then API.md's paths (the
 * Allow list for a 405, the merchant's PUTs under /admin included);
 * router_args' against API.md's rules: review_id a string of at most 15
 * digits worth 1..2147483647, product_id 1..2147483647, page 1..100000,
 * count 1..1000, sort one of five words; Part 2's rating a set of 1..5
 * each at most once, has_photos and stats true or false (has_photos may
 * be absent), cursor absent, empty or a token that re-encodes to itself
 * for the same product, sort and filters and never with page, and
 * product_ids 1..100 distinct ids in the order given, never with
 * product_id; each value agreeing with its decoded text.  Any
 * disagreement, or anything ASan/UBSan sees, aborts.
 *
 * Built and run by tests/fuzz/run, never by make.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "router.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fail(const char *what, const char *path, const char *query)
{
	fprintf(stderr, "fuzz_router: %s (path \"%s\", query \"%s\")\n", what,
	    path, query ? query : "(null)");
	abort();
}

/* The model of a split path: decoded segments, or n == 0 for none. */
struct ref_path {
	size_t	 n;
	char	 seg[ROUTE_SEGS_MAX][ROUTE_PATH_MAX];
	size_t	 len[ROUTE_SEGS_MAX];
};

static int
ref_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* Split raw the way API.md and the README's "Paths" say. */
static void
ref_split(const char *raw, struct ref_path *p)
{
	size_t	 len = strlen(raw), i, k = 0;

	p->n = 0;
	if (len == 0 || raw[0] != '/' || len >= ROUTE_PATH_MAX)
		return;
	if (len > 1 && raw[len - 1] == '/')
		len--;
	p->n = 1;
	p->len[0] = 0;
	for (i = 1; i < len; i++) {
		if (raw[i] == '/') {
			if (p->n == ROUTE_SEGS_MAX) {
				p->n = 0;
				return;
			}
			p->len[p->n++] = 0;
			continue;
		}
		k = p->n - 1;
		if (raw[i] == '%' && i + 2 < len && ref_hex(raw[i + 1]) >= 0 &&
		    ref_hex(raw[i + 2]) >= 0) {
			p->seg[k][p->len[k]++] = (char)(ref_hex(raw[i + 1]) * 16 +
			    ref_hex(raw[i + 2]));
			i += 2;
		} else
			p->seg[k][p->len[k]++] = raw[i];
	}
}

static int
ref_seg_is(const struct ref_path *p, size_t i, const char *what)
{
	return p->len[i] == strlen(what) &&
	    memcmp(p->seg[i], what, p->len[i]) == 0;
}

/* The methods API.md serves at path p. */
static unsigned
ref_methods(const struct ref_path *p)
{
	if (p->n == 1 && (ref_seg_is(p, 0, "healthz") ||
	    ref_seg_is(p, 0, "metrics")))
		return HTTP_GET;
	/* The host's counters (API.md Part 2; NGINX lets loopback in). */
	if (p->n == 1 && ref_seg_is(p, 0, "metrics"))
		return HTTP_GET;
	/* The merchant's writes (API.md Part 2): PUT, a review id third. */
	if (p->n == 4 && ref_seg_is(p, 0, "admin") &&
	    ref_seg_is(p, 1, "reviews") && (ref_seg_is(p, 3, "restore") ||
	    ref_seg_is(p, 3, "remove") || ref_seg_is(p, 3, "response")))
		return HTTP_PUT;
	if (p->n < 1 || !ref_seg_is(p, 0, "reviews"))
		return 0;
	if (p->n == 1)
		return HTTP_GET | HTTP_POST;
	if (p->n == 2)
		return ref_seg_is(p, 1, "meta") ? HTTP_GET : 0;
	if (p->n == 3 && (ref_seg_is(p, 2, "helpful") ||
	    ref_seg_is(p, 2, "report")))
		return HTTP_PUT;
	return 0;
}

/* A review id segment API.md accepts: 1..15 digits worth 1..2147483647. */
static int
ref_review_id(const char *seg, size_t n)
{
	size_t	 i;
	int64_t	 v = 0;

	if (n == 0 || n > 15)
		return 0;
	for (i = 0; i < n; i++) {
		if (seg[i] < '0' || seg[i] > '9')
			return 0;
		v = v * 10 + (seg[i] - '0');
	}
	return v >= 1 && v <= 2147483647;
}

/* An accepted integer parameter: digits worth v, and v within 1..max. */
static void
check_int(const char *text, int64_t v, int64_t max, const char *path,
    const char *query)
{
	if (v < 1 || v > max)
		fail("accepted a parameter out of range", path, query);
	/* Leading zeros are digits too ("007"): compare the value. */
	if (text == NULL || text[0] == '\0' ||
	    strspn(text, "0123456789") != strlen(text) ||
	    strtoll(text, NULL, 10) != v)
		fail("accepted value does not match its text", path, query);
}

/* A rating= set API.md accepts, as its bits; -1 for any other text. */
static int64_t
ref_ratings(const char *s)
{
	int64_t	 bits = 0;
	size_t	 i, n = strlen(s);

	if (n == 0 || n % 2 == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (i % 2 == 1) {
			if (s[i] != ',')
				return -1;
			continue;
		}
		if (s[i] < '1' || s[i] > '5' || (bits & (1 << (s[i] - '1'))))
			return -1;
		bits |= 1 << (s[i] - '1');
	}
	return bits;
}

/*
 * A product_ids= list API.md accepts, into ids (room for 100): the
 * number of ids, or 0 for any other text.
 */
static size_t
ref_ids(const char *s, int32_t *ids)
{
	size_t	 n = 0, i;
	int64_t	 v;

	for (;;) {
		if (*s < '0' || *s > '9' || n == 100)
			return 0;
		for (v = 0; *s >= '0' && *s <= '9'; s++)
			if ((v = v * 10 + (*s - '0')) > 2147483647)
				return 0;
		if (v < 1 || (*s != ',' && *s != '\0'))
			return 0;
		for (i = 0; i < n; i++)
			if (ids[i] == v)
				return 0;
		ids[n++] = (int32_t)v;
		if (*s++ == '\0')
			return n;
	}
}

/* The index of the route's parameter called name, or -1. */
static int
param_of(const struct route *route, const char *name)
{
	size_t	 i;

	for (i = 0; i < route->nparams; i++)
		if (strcmp(route->params[i].name, name) == 0)
			return (int)i;
	return -1;
}

/*
 * An accepted cursor: absent, empty (the first page), or a token that is
 * exactly what cursor_encode writes for what it decoded to, made for
 * this product, sort and filters, without page=.
 */
static void
check_cursor(const struct route *route, const struct route_ctx *ctx,
    const char *text, const char *path, const char *query)
{
	char		 again[CURSOR_LEN + 1];
	int		 page = param_of(route, "page"), product, sort, rating;
	int		 photos, want;

	if (text == NULL) {
		if (ctx->has_cursor != 0)
			fail("no cursor, but has_cursor set", path, query);
		return;
	}
	/* The cursor stands in for page: not given, and no default either. */
	if (page < 0 || ctx->arg[page] != NULL)
		fail("cursor accepted with page", path, query);
	if (*text == '\0') {
		if (ctx->has_cursor != 1)
			fail("cursor= not taken as the first page", path, query);
		return;
	}
	if (ctx->has_cursor != 2 || strlen(text) != CURSOR_LEN)
		fail("a cursor token not taken as one", path, query);
	cursor_encode(&ctx->cursor, again);
	if (strcmp(again, text) != 0)
		fail("an accepted token does not re-encode to itself", path,
		    query);
	product = param_of(route, "product_id");
	sort = param_of(route, "sort");
	rating = param_of(route, "rating");
	photos = param_of(route, "has_photos");
	if (product < 0 || sort < 0 || rating < 0 || photos < 0)
		fail("cursor on a route without the list's parameters", path,
		    query);
	want = ctx->arg[photos] == NULL ? PHOTOS_ANY :
	    ctx->num[photos] ? PHOTOS_WITH : PHOTOS_WITHOUT;
	if (ctx->cursor.product != ctx->num[product] ||
	    ctx->cursor.sort != ctx->num[sort] ||
	    ctx->cursor.ratings != ctx->num[rating] ||
	    ctx->cursor.photos != want)
		fail("a token taken for another product, sort or filter", path,
		    query);
}

/* An accepted true/false word: the index of its word. */
static void
check_bool(const char *text, int64_t v, const char *path, const char *query)
{
	static const char *const words[] = { "false", "true" };

	if (v < 0 || v > 1 || strcmp(text, words[v]) != 0)
		fail("accepted a bad true/false", path, query);
}

/* router_args on a found route, and what it must have said. */
static void
check_args(const struct route *route, const struct route_path *p, size_t id,
    const char *path, const char *query)
{
	static const char *const sorts[] = { "newest", "helpful", "relevant",
	    "rating_desc", "rating_asc" };
	struct route_ctx	*ctx;
	const char		*field = NULL, *complaint = NULL;
	int32_t			 ids[100];
	size_t			 i, n;
	int			 rc, many, cursor;

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		abort();
	rc = router_args(route, p, id, query, ctx, &field, &complaint);
	if (id < p->n && !ref_review_id(p->seg[id], p->len[id])) {
		if (rc != -1 || field == NULL || strcmp(field, "review_id") != 0)
			fail("a bad review id not refused as review_id", path,
			    query);
	}
	if (rc == 0) {
		if (id < p->n && (ctx->id < 1 || ctx->id > 2147483647))
			fail("review id out of range", path, query);
		many = param_of(route, "product_ids");
		many = many >= 0 && ctx->arg[many] != NULL;
		if (many == 0 && ctx->nids != 0)
			fail("product ids without product_ids", path, query);
		cursor = param_of(route, "cursor");
		cursor = cursor >= 0 && ctx->arg[cursor] != NULL;
		for (i = 0; i < route->nparams; i++) {
			const char *name = route->params[i].name;

			/* The parameters that may stay absent. */
			if (strcmp(name, "cursor") == 0) {
				check_cursor(route, ctx, ctx->arg[i], path,
				    query);
				continue;
			}
			if (ctx->arg[i] == NULL &&
			    strcmp(name, "has_photos") != 0 &&
			    strcmp(name, "product_ids") != 0 &&
			    !(strcmp(name, "product_id") == 0 && many) &&
			    !(strcmp(name, "page") == 0 && cursor))
				fail("accepted without a value", path, query);
			if (ctx->arg[i] == NULL)
				continue;
			if (strcmp(name, "product_id") == 0) {
				if (many)
					fail("product_id with product_ids",
					    path, query);
				check_int(ctx->arg[i], ctx->num[i], 2147483647,
				    path, query);
			} else if (strcmp(name, "page") == 0)
				check_int(ctx->arg[i], ctx->num[i], 100000,
				    path, query);
			else if (strcmp(name, "count") == 0)
				check_int(ctx->arg[i], ctx->num[i], 1000,
				    path, query);
			else if (strcmp(name, "sort") == 0) {
				if (ctx->num[i] < 0 || ctx->num[i] > 4 ||
				    strcmp(ctx->arg[i], sorts[ctx->num[i]]) != 0)
					fail("accepted a bad sort", path, query);
			} else if (strcmp(name, "rating") == 0) {
				if (ref_ratings(ctx->arg[i]) != ctx->num[i])
					fail("accepted a bad rating set", path,
					    query);
			} else if (strcmp(name, "has_photos") == 0 ||
			    strcmp(name, "stats") == 0)
				check_bool(ctx->arg[i], ctx->num[i], path, query);
			else if (strcmp(name, "product_ids") == 0) {
				n = ref_ids(ctx->arg[i], ids);
				if (n == 0 || n != ctx->nids ||
				    memcmp(ids, ctx->ids, n * sizeof(ids[0])) != 0)
					fail("accepted bad product ids", path,
					    query);
			} else
				fail("a parameter API.md does not have", path,
				    query);
		}
	} else {
		if (rc != -1 || field == NULL || complaint == NULL ||
		    *complaint == '\0')
			fail("refused without field and complaint", path, query);
		if (strcmp(field, "review_id") != 0) {
			for (i = 0; i < route->nparams; i++)
				if (strcmp(field, route->params[i].name) == 0)
					break;
			if (i == route->nparams)
				fail("refused naming a field the route lacks",
				    path, query);
		}
	}
	free(ctx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum http_method methods[] = { HTTP_GET, HTTP_POST,
	    HTTP_PUT, HTTP_OTHER };
	static struct route_path p;
	static struct ref_path	 ref;
	const struct route	*route = NULL;
	const char		*query = NULL;
	char			*in, *path, *nul, allow[64], want[64];
	enum http_method	 method;
	enum route_match	 m;
	unsigned		 expect;
	size_t			 i, id = 77;

	if (size < 1)
		return 0;
	method = methods[data[0] % 4];
	/* Path, NUL, query: a copy with a NUL after it all. */
	if ((in = malloc(size)) == NULL)
		abort();
	memcpy(in, data + 1, size - 1);
	in[size - 1] = '\0';
	path = in;
	if ((nul = memchr(in, '\0', size - 1)) != NULL)
		query = nul + 1;	/* ends at the next NUL, or the copy's */

	ref_split(path, &ref);
	router_split(path, strlen(path), &p);
	if (p.n != ref.n)
		fail("split into another number of segments", path, query);
	for (i = 0; i < p.n; i++)
		if (p.len[i] != ref.len[i] ||
		    memcmp(p.seg[i], ref.seg[i], p.len[i]) != 0 ||
		    p.seg[i][p.len[i]] != '\0')
			fail("a segment decoded otherwise", path, query);
	expect = ref_methods(&ref);
	memset(allow, 'z', sizeof(allow));
	m = router_match(method, &p, &route, &id, allow, sizeof(allow));
	switch (m) {
	case ROUTE_FOUND:
		if (!(expect & method) || route == NULL || route->method != method)
			fail("found a route API.md does not have", path, query);
		/* Every PUT names a review: the segment before its last. */
		if ((expect == HTTP_PUT) != (ref.n >= 2 && id == ref.n - 2) ||
		    (expect != HTTP_PUT && id != (size_t)-1))
			fail("wrong review id segment", path, query);
		check_args(route, &p, id, path, query);
		break;
	case ROUTE_BAD_METHOD:
		if (expect == 0 || (expect & method))
			fail("405 where API.md says otherwise", path, query);
		snprintf(want, sizeof(want), "%s%s%s%s%s",
		    expect & HTTP_GET ? "GET" : "",
		    (expect & HTTP_GET) && (expect & ~HTTP_GET) ? ", " : "",
		    expect & HTTP_POST ? "POST" : "",
		    (expect & HTTP_POST) && (expect & HTTP_PUT) ? ", " : "",
		    expect & HTTP_PUT ? "PUT" : "");
		if (memchr(allow, '\0', sizeof(allow)) == NULL ||
		    strcmp(allow, want) != 0)
			fail("wrong Allow list", path, query);
		break;
	case ROUTE_NOT_FOUND:
		if (expect != 0)
			fail("404 for a path API.md has", path, query);
		break;
	default:
		fail("router_match answered no route_match", path, query);
	}
	free(in);
	return 0;
}
