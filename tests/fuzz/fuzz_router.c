/*
 * libFuzzer harness for the router (router.c): router_match, then
 * router_args on a match.  Handlers are never called.
 *
 * Input: the first byte picks the method (GET, POST, PUT or another); the
 * rest, up to a NUL byte, is the path ($uri: decoded by NGINX, so any byte
 * but NUL), and what follows the NUL, up to the next one, is the raw query
 * string.  No NUL at all means no query string (NULL).
 *
 * router_match's answer is checked against a table of API.md's paths
 * written here (one trailing slash ignored; the Allow list for a 405);
 * router_args' against API.md's rules: review_id a string of at most 15
 * digits worth 1..2147483647, product_id 1..2147483647, page 1..100000,
 * count 1..1000, sort one of three words, each value agreeing with its
 * decoded text.  Any disagreement, or anything ASan/UBSan sees, aborts.
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

/* Whether s (len bytes) is "/reviews/X/" tail with X non-empty, no '/'. */
static int
ref_id_path(const char *s, size_t len, const char *tail)
{
	size_t	 tl = strlen(tail), x;

	if (len < 9 + 1 + 1 + tl || memcmp(s, "/reviews/", 9) != 0)
		return 0;
	if (s[len - tl - 1] != '/' || memcmp(s + len - tl, tail, tl) != 0)
		return 0;
	x = len - tl - 1 - 9;	/* the length of X */
	return memchr(s + 9, '/', x) == NULL;
}

static int
ref_is(const char *s, size_t len, const char *what)
{
	return len == strlen(what) && memcmp(s, what, len) == 0;
}

/* The methods API.md serves at path (one trailing slash ignored). */
static unsigned
ref_methods(const char *path)
{
	size_t	 len = strlen(path);

	if (len > 1 && path[len - 1] == '/')
		len--;
	if (ref_is(path, len, "/reviews"))
		return HTTP_GET | HTTP_POST;
	if (ref_is(path, len, "/reviews/meta") || ref_is(path, len, "/healthz"))
		return HTTP_GET;
	if (ref_id_path(path, len, "helpful") || ref_id_path(path, len, "report"))
		return HTTP_PUT;
	return 0;
}

/* A review id segment (up to '/' or the end) API.md accepts. */
static int
ref_review_id(const char *seg)
{
	size_t	 n = strcspn(seg, "/"), i;
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

/* router_args on a found route, and what it must have said. */
static void
check_args(const struct route *route, const char *seg, const char *path,
    const char *query)
{
	static const char *const sorts[] = { "newest", "helpful", "relevant" };
	struct route_ctx	*ctx;
	const char		*field = NULL, *complaint = NULL;
	size_t			 i;
	int			 rc;

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		abort();
	rc = router_args(route, seg, query, ctx, &field, &complaint);
	if (seg != NULL && !ref_review_id(seg)) {
		if (rc != -1 || field == NULL || strcmp(field, "review_id") != 0)
			fail("a bad review id not refused as review_id", path,
			    query);
	}
	if (rc == 0) {
		if (seg != NULL && (ctx->id < 1 || ctx->id > 2147483647))
			fail("review id out of range", path, query);
		for (i = 0; i < route->nparams; i++) {
			const char *name = route->params[i].name;

			if (ctx->arg[i] == NULL)
				fail("accepted without a value", path, query);
			if (strcmp(name, "product_id") == 0)
				check_int(ctx->arg[i], ctx->num[i], 2147483647,
				    path, query);
			else if (strcmp(name, "page") == 0)
				check_int(ctx->arg[i], ctx->num[i], 100000,
				    path, query);
			else if (strcmp(name, "count") == 0)
				check_int(ctx->arg[i], ctx->num[i], 1000,
				    path, query);
			else if (strcmp(name, "sort") == 0) {
				if (ctx->num[i] < 0 || ctx->num[i] > 2 ||
				    strcmp(ctx->arg[i], sorts[ctx->num[i]]) != 0)
					fail("accepted a bad sort", path, query);
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
	static const char	 unset;		/* router_match must reset seg */
	const struct route	*route = NULL;
	const char		*seg = &unset, *query = NULL;
	char			*in, *path, *nul, allow[64], want[64];
	enum http_method	 method;
	enum route_match	 m;
	unsigned		 expect;

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

	expect = ref_methods(path);
	memset(allow, 'z', sizeof(allow));
	m = router_match(method, path, &route, &seg, allow, sizeof(allow));
	switch (m) {
	case ROUTE_FOUND:
		if (!(expect & method) || route == NULL || route->method != method)
			fail("found a route API.md does not have", path, query);
		if ((expect == HTTP_PUT) != (seg != NULL) ||
		    (seg != NULL && seg != path + 9))
			fail("wrong review id segment", path, query);
		check_args(route, seg, path, query);
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
