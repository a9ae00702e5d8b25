/*
 * The route table (router.c): which path and method reach which route
 * (API.md: one trailing slash accepted, 404 for unknown paths, 405 with an
 * Allow list), and the checks of the path segment and query string that
 * run before any handler.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "list.h"
#include "meta.h"
#include "queue.h"
#include "router.h"
#include "rows.h"

#define NROWS(a)	(sizeof(a) / sizeof((a)[0]))


static const char *
method_name(enum http_method m)
{
	switch (m) {
	case HTTP_GET:
		return "GET";
	case HTTP_POST:
		return "POST";
	case HTTP_PUT:
		return "PUT";
	case HTTP_OTHER:
		break;
	}
	return "OTHER";
}

/* router_match: one row per method and path. */
struct match_row {
	enum http_method	 method;
	const char		*path;
	enum route_match	 want;
	const char		*pattern;	/* ROUTE_FOUND */
	const char		*seg;		/* ROUTE_FOUND: '#' segment */
	const char		*allow;		/* ROUTE_BAD_METHOD */
};

static const struct match_row match_rows[] = {
	/* Every route, with and without one trailing slash. */
	{ HTTP_GET, "/reviews", ROUTE_FOUND, "/reviews", NULL, NULL },
	{ HTTP_GET, "/reviews/", ROUTE_FOUND, "/reviews", NULL, NULL },
	{ HTTP_POST, "/reviews", ROUTE_FOUND, "/reviews", NULL, NULL },
	{ HTTP_POST, "/reviews/", ROUTE_FOUND, "/reviews", NULL, NULL },
	{ HTTP_GET, "/reviews/meta", ROUTE_FOUND, "/reviews/meta", NULL, NULL },
	{ HTTP_GET, "/reviews/meta/", ROUTE_FOUND, "/reviews/meta", NULL, NULL },
	{ HTTP_PUT, "/reviews/12/helpful", ROUTE_FOUND, "/reviews/#/helpful",
	    "12", NULL },
	{ HTTP_PUT, "/reviews/12/helpful/", ROUTE_FOUND, "/reviews/#/helpful",
	    "12", NULL },
	{ HTTP_PUT, "/reviews/5/report", ROUTE_FOUND, "/reviews/#/report",
	    "5", NULL },
	{ HTTP_PUT, "/reviews/5/report/", ROUTE_FOUND, "/reviews/#/report",
	    "5", NULL },
	{ HTTP_GET, "/healthz", ROUTE_FOUND, "/healthz", NULL, NULL },
	{ HTTP_GET, "/healthz/", ROUTE_FOUND, "/healthz", NULL, NULL },
	/* The merchant's writes (Part 2). */
	{ HTTP_PUT, "/admin/reviews/5/restore", ROUTE_FOUND,
	    "/admin/reviews/#/restore", "5", NULL },
	{ HTTP_PUT, "/admin/reviews/5/remove/", ROUTE_FOUND,
	    "/admin/reviews/#/remove", "5", NULL },
	{ HTTP_PUT, "/admin/reviews/%35/response", ROUTE_FOUND,
	    "/admin/reviews/#/response", "5", NULL },
	{ HTTP_GET, "/admin/reviews/5/restore", ROUTE_BAD_METHOD, NULL, NULL,
	    "PUT" },
	{ HTTP_POST, "/admin/reviews/5/response", ROUTE_BAD_METHOD, NULL, NULL,
	    "PUT" },
	{ HTTP_PUT, "/admin/reviews/5", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_PUT, "/admin/reviews/5/report", ROUTE_NOT_FOUND, NULL, NULL,
	    NULL },
	{ HTTP_PUT, "/admin/5/restore", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	/* '#' is any one segment, decoded; router_args judges it. */
	{ HTTP_PUT, "/reviews/abc/helpful", ROUTE_FOUND, "/reviews/#/helpful",
	    "abc", NULL },
	{ HTTP_PUT, "/reviews/meta/report", ROUTE_FOUND, "/reviews/#/report",
	    "meta", NULL },
	{ HTTP_PUT, "/reviews/99999999999999999999999/report", ROUTE_FOUND,
	    "/reviews/#/report", "99999999999999999999999", NULL },
	/* Known paths, other methods. */
	{ HTTP_PUT, "/reviews", ROUTE_BAD_METHOD, NULL, NULL, "GET, POST" },
	{ HTTP_PUT, "/reviews/", ROUTE_BAD_METHOD, NULL, NULL, "GET, POST" },
	{ HTTP_OTHER, "/reviews", ROUTE_BAD_METHOD, NULL, NULL, "GET, POST" },
	{ HTTP_POST, "/reviews/meta", ROUTE_BAD_METHOD, NULL, NULL, "GET" },
	{ HTTP_PUT, "/reviews/meta/", ROUTE_BAD_METHOD, NULL, NULL, "GET" },
	{ HTTP_OTHER, "/reviews/meta", ROUTE_BAD_METHOD, NULL, NULL, "GET" },
	{ HTTP_GET, "/reviews/1/helpful", ROUTE_BAD_METHOD, NULL, NULL, "PUT" },
	{ HTTP_POST, "/reviews/1/helpful/", ROUTE_BAD_METHOD, NULL, NULL,
	    "PUT" },
	{ HTTP_GET, "/reviews/1/report", ROUTE_BAD_METHOD, NULL, NULL, "PUT" },
	{ HTTP_OTHER, "/reviews/1/report", ROUTE_BAD_METHOD, NULL, NULL,
	    "PUT" },
	{ HTTP_POST, "/healthz", ROUTE_BAD_METHOD, NULL, NULL, "GET" },
	{ HTTP_PUT, "/healthz/", ROUTE_BAD_METHOD, NULL, NULL, "GET" },
	/* Unknown paths, whatever the method. */
	{ HTTP_GET, "/", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "//", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/review", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviewsx", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_POST, "/reviewsx", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/Reviews", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "reviews", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviews/1", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_PUT, "/reviews/1", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviews//", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_POST, "/reviews//", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "//reviews", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviews/meta/x", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviews/meta//", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviews/metax", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_PUT, "/reviews/1/helpful/x", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_PUT, "/reviews/1/helpful//", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_PUT, "/reviews//helpful", ROUTE_FOUND, "/reviews/#/helpful",
	    "", NULL },
	/* The path as sent, each segment decoded: an encoded slash or dot
	 * segment stays inside its segment (API.md, README "Paths"). */
	{ HTTP_PUT, "/reviews/1%2F..%2F2/helpful", ROUTE_FOUND,
	    "/reviews/#/helpful", "1/../2", NULL },
	{ HTTP_PUT, "/reviews/%2E%2E/report", ROUTE_FOUND, "/reviews/#/report",
	    "..", NULL },
	{ HTTP_PUT, "/reviews/1%20/report", ROUTE_FOUND, "/reviews/#/report",
	    "1 ", NULL },
	{ HTTP_PUT, "/reviews/1%zz/report", ROUTE_FOUND, "/reviews/#/report",
	    "1%zz", NULL },
	{ HTTP_PUT, "/reviews/1/../2/helpful", ROUTE_NOT_FOUND, NULL, NULL,
	    NULL },
	{ HTTP_PUT, "/reviews/1%2Fhelpful", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviews/%6Deta", ROUTE_FOUND, "/reviews/meta", NULL, NULL },
	{ HTTP_GET, "/%72eviews/meta/", ROUTE_FOUND, "/reviews/meta", NULL,
	    NULL },
	{ HTTP_PUT, "/reviews/%31%32/helpful", ROUTE_FOUND, "/reviews/#/helpful",
	    "12", NULL },
	{ HTTP_PUT, "/reviews/12/%68elpful", ROUTE_FOUND, "/reviews/#/helpful",
	    "12", NULL },
	{ HTTP_GET, "/reviews%2Fmeta", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviews/meta%2F", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviews/met%61%00", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviews+", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/a/b/c/d/e/f/g/h/i/j", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_PUT, "/reviews/1/2/helpful", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_PUT, "/reviews/1/helpfulx", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_PUT, "/reviews/1/reports", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_PUT, "/reviews/1/", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/healthzz", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/healthz//", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	/* The admin API's reads and data-subject requests (router_dispatch
	 * answers them only with a token: that gate is not router_match's). */
	{ HTTP_GET, "/admin/reports", ROUTE_FOUND, "/admin/reports", NULL, NULL },
	{ HTTP_GET, "/admin/reports/", ROUTE_FOUND, "/admin/reports", NULL,
	    NULL },
	{ HTTP_GET, "/admin/audit", ROUTE_FOUND, "/admin/audit", NULL, NULL },
	{ HTTP_POST, "/admin/reviewers/export", ROUTE_FOUND,
	    "/admin/reviewers/export", NULL, NULL },
	{ HTTP_POST, "/admin/reviewers/erase/", ROUTE_FOUND,
	    "/admin/reviewers/erase", NULL, NULL },
	{ HTTP_POST, "/admin/reports", ROUTE_BAD_METHOD, NULL, NULL, "GET" },
	{ HTTP_PUT, "/admin/audit", ROUTE_BAD_METHOD, NULL, NULL, "GET" },
	{ HTTP_GET, "/admin/reviewers/export", ROUTE_BAD_METHOD, NULL, NULL,
	    "POST" },
	{ HTTP_OTHER, "/admin/reviewers/erase", ROUTE_BAD_METHOD, NULL, NULL,
	    "POST" },
	{ HTTP_GET, "/admin", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_POST, "/admin/reviewers", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_POST, "/admin/reviewers/erase/x", ROUTE_NOT_FOUND, NULL, NULL,
	    NULL },
	{ HTTP_POST, "/admin/reviewers%2Ferase", ROUTE_NOT_FOUND, NULL, NULL,
	    NULL },
};

/* The route for method and raw path, or what else router_match says. */
static enum route_match
match(enum http_method method, const char *raw, const struct route **route,
    size_t *id, char *allow, size_t allowsz)
{
	static struct route_path	 p;

	router_split(raw, strlen(raw), &p);
	return router_match(method, &p, route, id, allow, allowsz);
}

/* Every route found, wrong methods listed in Allow, unknown paths 404. */
START_TEST(match_table)
{
	static struct route_path p;
	const struct match_row	*r;
	const struct route	*route;
	char			 allow[64];
	enum route_match	 m;
	size_t			 i, id;

	row_reset();
	for (i = 0; i < NROWS(match_rows); i++) {
		r = &match_rows[i];
		route = NULL;
		id = 77;
		strcpy(allow, "unset");
		router_split(r->path, strlen(r->path), &p);
		m = router_match(r->method, &p, &route, &id, allow,
		    sizeof(allow));
		if (m != r->want) {
			row_fail("%s \"%s\": got %d, want %d",
			    method_name(r->method), r->path, (int)m,
			    (int)r->want);
			continue;
		}
		if (m == ROUTE_BAD_METHOD && strcmp(allow, r->allow) != 0)
			row_fail("%s \"%s\": Allow \"%s\", want \"%s\"",
			    method_name(r->method), r->path, allow, r->allow);
		if (m != ROUTE_FOUND)
			continue;
		if (route == NULL || route->method != r->method ||
		    strcmp(route->pattern, r->pattern) != 0) {
			row_fail("%s \"%s\": wrong route %s",
			    method_name(r->method), r->path,
			    route ? route->pattern : "(null)");
			continue;
		}
		if (r->seg == NULL && id != (size_t)-1)
			row_fail("%s \"%s\": segment %zu, want none",
			    method_name(r->method), r->path, id);
		else if (r->seg != NULL && id >= p.n)
			row_fail("%s \"%s\": no segment, want \"%s\"",
			    method_name(r->method), r->path, r->seg);
		else if (r->seg != NULL && (p.len[id] != strlen(r->seg) ||
		    memcmp(p.seg[id], r->seg, p.len[id]) != 0))
			row_fail("%s \"%s\": segment \"%.*s\", want \"%s\"",
			    method_name(r->method), r->path, (int)p.len[id],
			    p.seg[id], r->seg);
	}
	ROWS_DONE();
}
END_TEST

/* A decoded NUL stays in its segment, and its length says so. */
START_TEST(split_keeps_nul)
{
	static struct route_path p;

	router_split("/reviews/1%00/report?x", 20, &p);
	ck_assert_uint_eq(p.n, 3);
	ck_assert_uint_eq(p.len[1], 2);
	ck_assert_int_eq(memcmp(p.seg[1], "1\0", 2), 0);
	router_split("/reviews/", 9, &p);
	ck_assert_uint_eq(p.n, 1);
	router_split("reviews", 7, &p);
	ck_assert_uint_eq(p.n, 0);
}
END_TEST

/* The list and meta routes declare their query parameters; others none. */
START_TEST(match_params)
{
	const struct route	*route;
	size_t			 seg;
	char			 allow[64];

	ck_assert_int_eq(match(HTTP_GET, "/reviews", &route, &seg,
	    allow, sizeof(allow)), ROUTE_FOUND);
	ck_assert_uint_eq(route->nparams, 7);
	ck_assert_str_eq(route->params[0].name, "product_id");
	ck_assert_ptr_null(route->params[0].fallback);
	ck_assert_ptr_nonnull(route->handler);

	ck_assert_int_eq(match(HTTP_GET, "/reviews/meta", &route, &seg,
	    allow, sizeof(allow)), ROUTE_FOUND);
	ck_assert_uint_eq(route->nparams, 3);
	ck_assert_str_eq(route->params[0].name, "product_id");

	ck_assert_int_eq(match(HTTP_POST, "/reviews", &route, &seg,
	    allow, sizeof(allow)), ROUTE_FOUND);
	ck_assert_uint_eq(route->nparams, 0);
}
END_TEST

/*
 * The route for method and path, failing the test when there is none; the
 * split path and the id segment's index in *p and *id when asked.
 */
static const struct route *
route_of(enum http_method method, const char *path, struct route_path *p,
    size_t *id)
{
	static struct route_path	 tmp;
	const struct route		*route = NULL;
	char				 allow[64];
	size_t				 i;

	if (p == NULL)
		p = &tmp;
	router_split(path, strlen(path), p);
	ck_assert_int_eq(router_match(method, p, &route, &i, allow,
	    sizeof(allow)), ROUTE_FOUND);
	if (id != NULL)
		*id = i;
	return route;
}

static struct route_ctx	 ctx;	/* large: 4 KiB of query buffer */

/* GET /reviews?product_id=2: page 1, count 5, sort relevant by default. */
START_TEST(args_defaults)
{
	const struct route	*route = route_of(HTTP_GET, "/reviews", NULL, NULL);
	const char		*field = NULL, *complaint = NULL;

	memset(&ctx, 0, sizeof(ctx));
	ck_assert_int_eq(router_args(route, NULL, 0, "product_id=2", &ctx,
	    &field, &complaint), 0);
	ck_assert_int_eq(ctx.num[0], 2);
	ck_assert_int_eq(ctx.num[1], 1);
	ck_assert_int_eq(ctx.num[2], 5);
	ck_assert_int_eq(ctx.num[3], SORT_RELEVANT);
	ck_assert_str_eq(ctx.arg[0], "2");
	ck_assert_str_eq(ctx.arg[1], "1");
	ck_assert_str_eq(ctx.arg[2], "5");
	ck_assert_str_eq(ctx.arg[3], "relevant");
	/* Part 2: every rating, no photo filter, Part 1 paging. */
	ck_assert_int_eq(ctx.num[LIST_RATING], VALID_RATINGS_ALL);
	ck_assert_ptr_null(ctx.arg[LIST_PHOTOS]);
	ck_assert_ptr_null(ctx.arg[LIST_CURSOR]);
	ck_assert_int_eq(ctx.has_cursor, 0);
}
END_TEST

/* GET /reviews: good query strings and what they mean. */
struct good_row {
	const char	*qs;
	int64_t		 product, page, count, sort;
};

static const struct good_row good_rows[] = {
	{ "product_id=2&page=3&count=10&sort=newest", 2, 3, 10, SORT_NEWEST },
	{ "sort=helpful&product_id=7", 7, 1, 5, SORT_HELPFUL },
	{ "product_id=7&sort=relevant", 7, 1, 5, SORT_RELEVANT },
	{ "product_id=2147483647&page=100000&count=1000", 2147483647, 100000,
	    1000, SORT_RELEVANT },
	{ "product_id=1&page=1&count=1", 1, 1, 1, SORT_RELEVANT },
	{ "product_id=%32&sort=new%65st", 2, 1, 5, SORT_NEWEST },
	{ "product_id=007", 7, 1, 5, SORT_RELEVANT },
	{ "product_id=3&_=1596080481467&_=2&cb=x&cb=%zz", 3, 1, 5,
	    SORT_RELEVANT },
	{ "product%5Fid=4", 4, 1, 5, SORT_RELEVANT },
	{ "&product_id=5&", 5, 1, 5, SORT_RELEVANT },
};

/* Good GET /reviews queries decode and convert every parameter. */
START_TEST(args_good)
{
	const struct route	*route = route_of(HTTP_GET, "/reviews", NULL, NULL);
	const struct good_row	*r;
	const char		*field, *complaint;
	size_t			 i;

	row_reset();
	for (i = 0; i < NROWS(good_rows); i++) {
		r = &good_rows[i];
		memset(&ctx, 0, sizeof(ctx));
		field = complaint = NULL;
		if (router_args(route, NULL, 0, r->qs, &ctx, &field,
		    &complaint) != 0) {
			row_fail("\"%s\": rejected: %s %s", r->qs,
			    field ? field : "(null)",
			    complaint ? complaint : "(null)");
			continue;
		}
		if (ctx.num[0] != r->product || ctx.num[1] != r->page ||
		    ctx.num[2] != r->count || ctx.num[3] != r->sort)
			row_fail("\"%s\": got %lld/%lld/%lld/%lld", r->qs,
			    (long long)ctx.num[0], (long long)ctx.num[1],
			    (long long)ctx.num[2], (long long)ctx.num[3]);
	}
	ROWS_DONE();
}
END_TEST

/* Bad query strings: the field named, and the complaint. */
struct bad_row {
	const char	*qs;
	const char	*field;
	const char	*complaint;	/* NULL: any */
};

static const struct bad_row bad_rows[] = {
	{ NULL, "product_id", "is required" },
	{ "", "product_id", "is required" },
	{ "page=2&count=3", "product_id", "is required" },
	{ "productid=2", "product_id", "is required" },
	{ "Product_id=2", "product_id", "is required" },
	{ "product_id=", "product_id", NULL },
	{ "product_id", "product_id", NULL },
	{ "product_id=0", "product_id", NULL },
	{ "product_id=-1", "product_id", NULL },
	{ "product_id=abc", "product_id", NULL },
	{ "product_id=1.0", "product_id", NULL },
	{ "product_id=+1", "product_id", NULL },
	{ "product_id=%2B1", "product_id", NULL },
	{ "product_id=1+", "product_id", NULL },
	{ "product_id=2147483648", "product_id", NULL },
	{ "product_id=99999999999999999999", "product_id", NULL },
	{ "product_id=1&product_id=2", "product_id", "must be given only once" },
	{ "product_id=1&product_id=1", "product_id", "must be given only once" },
	{ "product_id=%zz", "product_id", NULL },
	{ "product_id=1%00", "product_id", NULL },
	{ "product_id=1&page=0", "page", NULL },
	{ "product_id=1&page=100001", "page", NULL },
	{ "product_id=1&page=-1", "page", NULL },
	{ "product_id=1&page=1.5", "page", NULL },
	{ "product_id=1&page=", "page", NULL },
	{ "product_id=1&page=1&page=1", "page", "must be given only once" },
	{ "product_id=1&count=0", "count", NULL },
	{ "product_id=1&count=1001", "count", NULL },
	{ "product_id=1&count=abc", "count", NULL },
	{ "product_id=1&count=5&count=6", "count", "must be given only once" },
	{ "product_id=1&sort=NEWEST", "sort", NULL },
	{ "product_id=1&sort=Helpful", "sort", NULL },
	{ "product_id=1&sort=newest+", "sort", NULL },
	{ "product_id=1&sort=%20newest", "sort", NULL },
	{ "product_id=1&sort=", "sort", NULL },
	{ "product_id=1&sort=date", "sort", NULL },
	{ "product_id=1&sort=%zz", "sort",
	    "has a malformed percent-encoding or a NUL byte" },
	{ "product_id=1&sort=newest&sort=helpful", "sort",
	    "must be given only once" },
	/* Part 2: the filters, the rating sorts, the cursor. */
	{ "product_id=1&rating=0", "rating",
	    "must be ratings 1 to 5, comma-separated, each at most once" },
	{ "product_id=1&rating=6", "rating", NULL },
	{ "product_id=1&rating=4,4", "rating", NULL },
	{ "product_id=1&rating=%34%2C%34", "rating", NULL },
	{ "product_id=1&rating=4,", "rating", NULL },
	{ "product_id=1&rating=,4", "rating", NULL },
	{ "product_id=1&rating=4,,5", "rating", NULL },
	{ "product_id=1&rating=4+5", "rating", NULL },
	{ "product_id=1&rating=4;5", "rating", NULL },
	{ "product_id=1&rating=04", "rating", NULL },
	{ "product_id=1&rating=", "rating", NULL },
	{ "product_id=1&rating", "rating", NULL },
	{ "product_id=1&rating=4%00", "rating",
	    "has a malformed percent-encoding or a NUL byte" },
	{ "product_id=1&rating=4&rating=5", "rating",
	    "must be given only once" },
	{ "product_id=1&rating=4&r%61ting=4", "rating",
	    "must be given only once" },
	{ "product_id=1&has_photos=yes", "has_photos", "must be true or false" },
	{ "product_id=1&has_photos=", "has_photos", NULL },
	{ "product_id=1&has_photos", "has_photos", NULL },
	{ "product_id=1&has_photos=TRUE", "has_photos", NULL },
	{ "product_id=1&has_photos=1", "has_photos", NULL },
	{ "product_id=1&has_photos=true+", "has_photos", NULL },
	{ "product_id=1&has_photos=true&has_photos=true", "has_photos",
	    "must be given only once" },
	{ "product_id=1&has_photos=true&has_photos=false", "has_photos",
	    "must be given only once" },
	{ "product_id=1&sort=RATING_DESC", "sort", NULL },
	{ "product_id=1&sort=rating_desc%00", "sort",
	    "has a malformed percent-encoding or a NUL byte" },
	{ "product_id=1&sort=rating", "sort", NULL },
	{ "product_id=1&sort=rating_desc&sort=rating_asc", "sort",
	    "must be given only once" },
	{ "product_id=1&cursor=abc", "cursor",
	    "must be empty or a next_cursor of an earlier answer" },
	{ "product_id=1&cursor=+", "cursor", NULL },
	{ "product_id=1&cursor=%3D", "cursor", NULL },
	{ "product_id=1&cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "cursor", NULL },
	{ "product_id=1&cursor=&page=1", "cursor", "must not be given with page" },
	{ "product_id=1&page=1&cursor=", "cursor", "must not be given with page" },
	{ "product_id=1&page=2&cursor=abc", "cursor",
	    "must not be given with page" },
	{ "product_id=1&cursor=&cursor=", "cursor", "must be given only once" },
	{ "product_id=1&cursor=%zz", "cursor",
	    "has a malformed percent-encoding or a NUL byte" },
	/* Whichever parameter is wrong, the one named is that one. */
	{ "product_id=1&rating=5&has_photos=maybe&sort=newest", "has_photos",
	    NULL },
	{ "product_id=0&rating=5", "product_id", NULL },
	{ "rating=5&cursor=", "product_id", "is required" },
};

/* Each bad GET /reviews value is a 400 that names its own field. */
START_TEST(args_bad)
{
	const struct route	*route = route_of(HTTP_GET, "/reviews", NULL, NULL);
	const struct bad_row	*r;
	const char		*field, *complaint;
	size_t			 i;

	row_reset();
	for (i = 0; i < NROWS(bad_rows); i++) {
		r = &bad_rows[i];
		memset(&ctx, 0, sizeof(ctx));
		field = complaint = NULL;
		if (router_args(route, NULL, 0, r->qs, &ctx, &field,
		    &complaint) == 0) {
			row_fail("\"%s\": accepted", r->qs ? r->qs : "(null)");
			continue;
		}
		if (field == NULL || strcmp(field, r->field) != 0)
			row_fail("\"%s\": field %s, want %s",
			    r->qs ? r->qs : "(null)",
			    field ? field : "(null)", r->field);
		else if (complaint == NULL)
			row_fail("\"%s\": no complaint",
			    r->qs ? r->qs : "(null)");
		else if (r->complaint != NULL &&
		    strcmp(complaint, r->complaint) != 0)
			row_fail("\"%s\": complaint \"%s\", want \"%s\"",
			    r->qs ? r->qs : "(null)", complaint, r->complaint);
	}
	ROWS_DONE();
}
END_TEST

/* GET /reviews with Part 2's parameters: what each good one means. */
struct list_row {
	const char	*qs;
	int64_t		 sort;
	int64_t		 ratings;
	int		 photos;	/* -1 absent, else num */
	int		 has_cursor;
	int64_t		 count;
};

static const struct list_row list_rows[] = {
	{ "product_id=2&rating=4,5", SORT_RELEVANT, 0x18, -1, 0, 5 },
	{ "product_id=2&rating=5,4", SORT_RELEVANT, 0x18, -1, 0, 5 },
	{ "product_id=2&rating=5%2C4", SORT_RELEVANT, 0x18, -1, 0, 5 },
	{ "product_id=2&rating=1", SORT_RELEVANT, 0x01, -1, 0, 5 },
	{ "product_id=2&rating=1,2,3,4,5", SORT_RELEVANT, 0x1f, -1, 0, 5 },
	{ "product_id=2&has_photos=true", SORT_RELEVANT, 0x1f, 1, 0, 5 },
	{ "product_id=2&has_photos=false", SORT_RELEVANT, 0x1f, 0, 0, 5 },
	{ "product_id=2&has_photos=%74rue", SORT_RELEVANT, 0x1f, 1, 0, 5 },
	{ "product_id=2&sort=rating_desc", SORT_RATING_DESC, 0x1f, -1, 0, 5 },
	{ "product_id=2&sort=rating_asc", SORT_RATING_ASC, 0x1f, -1, 0, 5 },
	{ "product_id=2&cursor=", SORT_RELEVANT, 0x1f, -1, 1, 5 },
	{ "cursor=&count=10&product_id=2", SORT_RELEVANT, 0x1f, -1, 1, 10 },
	{ "product_id=2&cursor", SORT_RELEVANT, 0x1f, -1, 1, 5 },
	{ "product_id=2&sort=newest&rating=3&has_photos=false&cursor=&count=1",
	    SORT_NEWEST, 0x04, 0, 1, 1 },
	/* Unknown parameters are still ignored, repeated or not. */
	{ "product_id=2&ratings=9&photos=x&photos=y&page_cursor=z",
	    SORT_RELEVANT, 0x1f, -1, 0, 5 },
};

/* Good Part 2 list queries: filters, sorts, an empty cursor. */
START_TEST(args_list_part2)
{
	const struct route	*route = route_of(HTTP_GET, "/reviews", NULL, NULL);
	const struct list_row	*r;
	const char		*field, *complaint;
	size_t			 i;

	row_reset();
	for (i = 0; i < NROWS(list_rows); i++) {
		r = &list_rows[i];
		memset(&ctx, 0x5a, sizeof(ctx));	/* stale, as in a worker */
		field = complaint = NULL;
		if (router_args(route, NULL, 0, r->qs, &ctx, &field,
		    &complaint) != 0) {
			row_fail("\"%s\": rejected: %s %s", r->qs,
			    field ? field : "(null)",
			    complaint ? complaint : "(null)");
			continue;
		}
		if (ctx.num[LIST_PRODUCT] != 2 || ctx.num[LIST_SORT] != r->sort ||
		    ctx.num[LIST_RATING] != r->ratings ||
		    ctx.num[LIST_COUNT] != r->count)
			row_fail("\"%s\": product %lld sort %lld ratings %#llx "
			    "count %lld", r->qs, (long long)ctx.num[LIST_PRODUCT],
			    (long long)ctx.num[LIST_SORT],
			    (long long)ctx.num[LIST_RATING],
			    (long long)ctx.num[LIST_COUNT]);
		if (r->photos < 0 ? ctx.arg[LIST_PHOTOS] != NULL :
		    ctx.arg[LIST_PHOTOS] == NULL ||
		    ctx.num[LIST_PHOTOS] != r->photos)
			row_fail("\"%s\": has_photos %s/%lld, want %d", r->qs,
			    ctx.arg[LIST_PHOTOS] ? ctx.arg[LIST_PHOTOS] : "(null)",
			    (long long)ctx.num[LIST_PHOTOS], r->photos);
		if (ctx.has_cursor != r->has_cursor)
			row_fail("\"%s\": has_cursor %d, want %d", r->qs,
			    ctx.has_cursor, r->has_cursor);
	}
	ROWS_DONE();
}
END_TEST

/* The token cursor_encode writes for c, in a static buffer. */
static const char *
token(const struct cursor *c)
{
	static char	 tok[CURSOR_LEN + 1];

	cursor_encode(c, tok);
	return tok;
}

/*
 * A token is good only for the list it came from (list_check): its
 * product, sort and filters, where "rating=1,2,3,4,5" is no filter and
 * "5,4" is "4,5"; count may change.  Rows: the token's list, the query
 * it is sent with, and whether router_args takes it.
 */
struct token_row {
	struct cursor	 c;
	const char	*qs;		/* "&cursor=<token>" is appended */
	int		 good;
};

#define ANY_RATING	VALID_RATINGS_ALL
static const struct token_row token_rows[] = {
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=2", 1 },
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=2&count=50", 1 },
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=2&sort=relevant&rating=1,2,3,4,5", 1 },
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=002", 1 },
	{ { SORT_NEWEST, 0x18, PHOTOS_WITH, 2, 99, 0, 7 },
	    "product_id=2&sort=newest&rating=5,4&has_photos=true", 1 },
	{ { SORT_RATING_ASC, 0x01, PHOTOS_WITHOUT, 2147483647, 1, 99, 7 },
	    "product_id=2147483647&sort=rating_asc&rating=1&has_photos=false", 1 },
	/* Another product. */
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY, 3, 99, 0, 7 },
	    "product_id=2", 0 },
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=3", 0 },
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY, 2147483647, 99, 0, 7 },
	    "product_id=1", 0 },
	/* Another sort, the default included. */
	{ { SORT_NEWEST, ANY_RATING, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=2", 0 },
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=2&sort=newest", 0 },
	{ { SORT_RATING_DESC, ANY_RATING, PHOTOS_ANY, 2, 4, 99, 7 },
	    "product_id=2&sort=rating_asc", 0 },
	{ { SORT_HELPFUL, ANY_RATING, PHOTOS_ANY, 2, 4, 99, 7 },
	    "product_id=2&sort=relevant", 0 },
	/* Another rating filter: none, another set, a subset, a superset. */
	{ { SORT_RELEVANT, 0x18, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=2", 0 },
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=2&rating=5", 0 },
	{ { SORT_RELEVANT, 0x18, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=2&rating=5", 0 },
	{ { SORT_RELEVANT, 0x18, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=2&rating=3,4,5", 0 },
	/* Another photos filter: each of the three states against the others. */
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_WITH, 2, 99, 0, 7 },
	    "product_id=2", 0 },
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_WITH, 2, 99, 0, 7 },
	    "product_id=2&has_photos=false", 0 },
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_WITHOUT, 2, 99, 0, 7 },
	    "product_id=2", 0 },
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_WITHOUT, 2, 99, 0, 7 },
	    "product_id=2&has_photos=true", 0 },
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=2&has_photos=true", 0 },
	{ { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY, 2, 99, 0, 7 },
	    "product_id=2&has_photos=false", 0 },
};

START_TEST(args_cursor_tokens)
{
	const struct route	*route = route_of(HTTP_GET, "/reviews", NULL, NULL);
	const struct token_row	*r;
	const char		*field, *complaint;
	char			 qs[256];
	size_t			 i;
	int			 rc;

	row_reset();
	for (i = 0; i < NROWS(token_rows); i++) {
		r = &token_rows[i];
		snprintf(qs, sizeof(qs), "%s&cursor=%s", r->qs, token(&r->c));
		memset(&ctx, 0, sizeof(ctx));
		field = complaint = NULL;
		rc = router_args(route, NULL, 0, qs, &ctx, &field, &complaint);
		if (r->good && rc != 0)
			row_fail("\"%s\": rejected: %s %s", qs,
			    field ? field : "(null)",
			    complaint ? complaint : "(null)");
		else if (r->good && (ctx.has_cursor != 2 ||
		    ctx.cursor.id != r->c.id || ctx.cursor.a != r->c.a ||
		    ctx.cursor.b != r->c.b))
			row_fail("\"%s\": has_cursor %d, position %lld/%lld/%d",
			    qs, ctx.has_cursor, (long long)ctx.cursor.a,
			    (long long)ctx.cursor.b, (int)ctx.cursor.id);
		else if (!r->good && rc == 0)
			row_fail("\"%s\": accepted", qs);
		else if (!r->good && (field == NULL ||
		    strcmp(field, "cursor") != 0 || complaint == NULL ||
		    strcmp(complaint,
		    "was made for another product, sort or filter") != 0))
			row_fail("\"%s\": %s %s, want cursor was made for ...",
			    qs, field ? field : "(null)",
			    complaint ? complaint : "(null)");
	}
	ROWS_DONE();
}
END_TEST

/* A real token is still not allowed with page=, and one altered is bad. */
START_TEST(args_cursor_token_misuse)
{
	static const struct cursor c = { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY,
	    2, 99, 0, 7 };
	const struct route	*route = route_of(HTTP_GET, "/reviews", NULL, NULL);
	const char		*field, *complaint;
	char			 qs[256];
	size_t			 len;

	snprintf(qs, sizeof(qs), "product_id=2&page=1&cursor=%s", token(&c));
	ck_assert_int_eq(router_args(route, NULL, 0, qs, &ctx, &field,
	    &complaint), -1);
	ck_assert_str_eq(field, "cursor");
	ck_assert_str_eq(complaint, "must not be given with page");

	/* Its last character changed, then its last one dropped. */
	snprintf(qs, sizeof(qs), "product_id=2&cursor=%s", token(&c));
	len = strlen(qs);
	qs[len - 1] = qs[len - 1] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(router_args(route, NULL, 0, qs, &ctx, &field,
	    &complaint), -1);
	ck_assert_str_eq(field, "cursor");
	ck_assert_str_eq(complaint,
	    "must be empty or a next_cursor of an earlier answer");
	qs[len - 1] = '\0';
	ck_assert_int_eq(router_args(route, NULL, 0, qs, &ctx, &field,
	    &complaint), -1);
	ck_assert_str_eq(field, "cursor");

	/* Percent-encoded, it is the same token. */
	snprintf(qs, sizeof(qs), "product_id=2&cursor=%%%02X%s",
	    (unsigned char)token(&c)[0], token(&c) + 1);
	ck_assert_int_eq(router_args(route, NULL, 0, qs, &ctx, &field,
	    &complaint), 0);
	ck_assert_int_eq(ctx.has_cursor, 2);
}
END_TEST

/*
 * router_dispatch keeps one context for every request: what one request
 * left (a cursor, product ids) is gone in the next.
 */
START_TEST(args_nothing_carried_over)
{
	static const struct cursor c = { SORT_RELEVANT, ANY_RATING, PHOTOS_ANY,
	    2, 99, 0, 7 };
	const struct route	*list = route_of(HTTP_GET, "/reviews", NULL, NULL);
	const struct route	*meta = route_of(HTTP_GET, "/reviews/meta", NULL,
				    NULL);
	const char		*field, *complaint;
	char			 qs[256];

	memset(&ctx, 0, sizeof(ctx));
	snprintf(qs, sizeof(qs), "product_id=2&cursor=%s", token(&c));
	ck_assert_int_eq(router_args(list, NULL, 0, qs, &ctx, &field,
	    &complaint), 0);
	ck_assert_int_eq(ctx.has_cursor, 2);
	ck_assert_int_eq(router_args(list, NULL, 0, "product_id=3", &ctx,
	    &field, &complaint), 0);
	ck_assert_int_eq(ctx.has_cursor, 0);

	ck_assert_int_eq(router_args(meta, NULL, 0, "product_ids=4,5,6", &ctx,
	    &field, &complaint), 0);
	ck_assert_uint_eq(ctx.nids, 3);
	ck_assert_int_eq(router_args(meta, NULL, 0, "product_id=4", &ctx,
	    &field, &complaint), 0);
	ck_assert_uint_eq(ctx.nids, 0);
	ck_assert_ptr_null(ctx.arg[META_PRODUCTS]);
}
END_TEST

/* A value too long for the context's buffer is a 400 on that field. */
START_TEST(args_too_long)
{
	const struct route	*route = route_of(HTTP_GET, "/reviews", NULL, NULL);
	const char		*field = NULL, *complaint = NULL;
	static char		 qs[ROUTE_QUERY_MAX * 2 + 64];

	strcpy(qs, "product_id=1&sort=");
	memset(qs + strlen(qs), 'a', ROUTE_QUERY_MAX + 10);
	ck_assert_int_eq(router_args(route, NULL, 0, qs, &ctx, &field,
	    &complaint), -1);
	ck_assert_str_eq(field, "sort");
	ck_assert_str_eq(complaint, "is too long");
}
END_TEST

/* GET /reviews/meta knows only product_id: page and sort are ignored. */
START_TEST(args_meta)
{
	const struct route	*route = route_of(HTTP_GET, "/reviews/meta",
				    NULL, NULL);
	const char		*field = NULL, *complaint = NULL;

	memset(&ctx, 0, sizeof(ctx));
	ck_assert_int_eq(router_args(route, NULL, 0, "product_id=9&page=0&sort=x",
	    &ctx, &field, &complaint), 0);
	ck_assert_int_eq(ctx.num[0], 9);
	ck_assert_int_eq(router_args(route, NULL, 0, "page=1", &ctx, &field,
	    &complaint), -1);
	ck_assert_str_eq(field, "product_id");
	ck_assert_str_eq(complaint, "is required");
	ck_assert_int_eq(router_args(route, NULL, 0,
	    "product_id=9&product_id=9", &ctx, &field, &complaint), -1);
	ck_assert_str_eq(field, "product_id");
	ck_assert_str_eq(complaint, "must be given only once");
}
END_TEST

/* GET /reviews/meta with Part 2's parameters. */
struct meta_row {
	const char	*qs;
	int64_t		 product;	/* 0: product_ids instead */
	int		 stats;
	size_t		 nids;
	int32_t		 ids[3];
};

static const struct meta_row meta_rows[] = {
	{ "product_id=9", 9, 0, 0, { 0 } },
	{ "product_id=9&stats=false", 9, 0, 0, { 0 } },
	{ "product_id=9&stats=true", 9, 1, 0, { 0 } },
	{ "stats=true&product_id=9", 9, 1, 0, { 0 } },
	{ "product_ids=9", 0, 0, 1, { 9 } },
	{ "product_ids=3,1,2", 0, 0, 3, { 3, 1, 2 } },
	{ "product_ids=3%2C1%2C2&stats=true", 0, 1, 3, { 3, 1, 2 } },
	{ "product_ids=2147483647,007", 0, 0, 2, { 2147483647, 7 } },
	{ "product%5Fids=5", 0, 0, 1, { 5 } },
	{ "product_ids=5&page=0&sort=x&product_idss=1", 0, 0, 1, { 5 } },
};

START_TEST(args_meta_part2)
{
	const struct route	*route = route_of(HTTP_GET, "/reviews/meta",
				    NULL, NULL);
	const struct meta_row	*r;
	const char		*field, *complaint;
	size_t			 i, j;

	row_reset();
	for (i = 0; i < NROWS(meta_rows); i++) {
		r = &meta_rows[i];
		memset(&ctx, 0x5a, sizeof(ctx));
		field = complaint = NULL;
		if (router_args(route, NULL, 0, r->qs, &ctx, &field,
		    &complaint) != 0) {
			row_fail("\"%s\": rejected: %s %s", r->qs,
			    field ? field : "(null)",
			    complaint ? complaint : "(null)");
			continue;
		}
		if (ctx.num[META_STATS] != r->stats)
			row_fail("\"%s\": stats %lld, want %d", r->qs,
			    (long long)ctx.num[META_STATS], r->stats);
		if (r->product != 0 && (ctx.arg[META_PRODUCTS] != NULL ||
		    ctx.num[META_PRODUCT] != r->product || ctx.nids != 0))
			row_fail("\"%s\": product %lld, %zu ids", r->qs,
			    (long long)ctx.num[META_PRODUCT], ctx.nids);
		if (r->product == 0 && (ctx.arg[META_PRODUCT] != NULL ||
		    ctx.arg[META_PRODUCTS] == NULL || ctx.nids != r->nids)) {
			row_fail("\"%s\": %zu ids, want %zu", r->qs, ctx.nids,
			    r->nids);
			continue;
		}
		for (j = 0; j < r->nids; j++)
			if (ctx.ids[j] != r->ids[j])
				row_fail("\"%s\": id %zu is %d, want %d", r->qs,
				    j, (int)ctx.ids[j], (int)r->ids[j]);
	}
	ROWS_DONE();
}
END_TEST

static const struct bad_row meta_bad_rows[] = {
	{ "", "product_id", "is required" },
	{ "stats=true", "product_id", "is required" },
	{ "product_idz=1", "product_id", "is required" },
	{ "product_ids=1&product_id=1", "product_ids",
	    "must not be given with product_id" },
	{ "product_id=1&product_ids=2", "product_ids",
	    "must not be given with product_id" },
	{ "product_id=&product_ids=", "product_ids",
	    "must not be given with product_id" },
	{ "product_ids=1,1", "product_ids", "must be 1 to 100 product ids "
	    "(integers between 1 and 2147483647), comma-separated, each at "
	    "most once" },
	{ "product_ids=7,07", "product_ids", NULL },
	{ "product_ids=", "product_ids", NULL },
	{ "product_ids", "product_ids", NULL },
	{ "product_ids=1,", "product_ids", NULL },
	{ "product_ids=,1", "product_ids", NULL },
	{ "product_ids=1,,2", "product_ids", NULL },
	{ "product_ids=0", "product_ids", NULL },
	{ "product_ids=2147483648", "product_ids", NULL },
	{ "product_ids=x", "product_ids", NULL },
	{ "product_ids=1+2", "product_ids", NULL },
	{ "product_ids=1%20,2", "product_ids", NULL },
	{ "product_ids=1;2", "product_ids", NULL },
	{ "product_ids=1%00", "product_ids",
	    "has a malformed percent-encoding or a NUL byte" },
	{ "product_ids=1&product_ids=2", "product_ids",
	    "must be given only once" },
	{ "product_id=1&stats=yes", "stats", "must be true or false" },
	{ "product_id=1&stats=1", "stats", NULL },
	{ "product_id=1&stats=TRUE", "stats", NULL },
	{ "product_id=1&stats=", "stats", NULL },
	{ "product_ids=1&stats=on", "stats", NULL },
	{ "product_id=1&stats=true&stats=true", "stats",
	    "must be given only once" },
	{ "product_id=1&product_id=1", "product_id", "must be given only once" },
};

/* Bad meta queries, each a 400 naming its own field. */
START_TEST(args_meta_bad)
{
	const struct route	*route = route_of(HTTP_GET, "/reviews/meta",
				    NULL, NULL);
	const struct bad_row	*r;
	const char		*field, *complaint;
	size_t			 i;

	row_reset();
	for (i = 0; i < NROWS(meta_bad_rows); i++) {
		r = &meta_bad_rows[i];
		memset(&ctx, 0, sizeof(ctx));
		field = complaint = NULL;
		if (router_args(route, NULL, 0, r->qs, &ctx, &field,
		    &complaint) == 0)
			row_fail("\"%s\": accepted", r->qs);
		else if (field == NULL || strcmp(field, r->field) != 0)
			row_fail("\"%s\": field %s, want %s", r->qs,
			    field ? field : "(null)", r->field);
		else if (complaint == NULL || (r->complaint != NULL &&
		    strcmp(complaint, r->complaint) != 0))
			row_fail("\"%s\": complaint \"%s\", want \"%s\"", r->qs,
			    complaint ? complaint : "(null)",
			    r->complaint ? r->complaint : "any");
	}
	ROWS_DONE();
}
END_TEST

/* product_ids=: 100 ids pass in order, 101 are a 400 naming it. */
START_TEST(args_meta_many_ids)
{
	const struct route	*route = route_of(HTTP_GET, "/reviews/meta",
				    NULL, NULL);
	const char		*field, *complaint;
	static char		 qs[2048];
	size_t			 o, i;

	o = (size_t)snprintf(qs, sizeof(qs), "stats=true&product_ids=");
	for (i = 1; i <= VALID_IDS_MAX; i++)
		o += (size_t)snprintf(qs + o, sizeof(qs) - o, "%s%zu",
		    i > 1 ? "," : "", 2147483648u - i);
	ck_assert_int_eq(router_args(route, NULL, 0, qs, &ctx, &field,
	    &complaint), 0);
	ck_assert_uint_eq(ctx.nids, VALID_IDS_MAX);
	ck_assert_int_eq(ctx.ids[0], 2147483647);
	ck_assert_int_eq(ctx.ids[VALID_IDS_MAX - 1], 2147483648u - VALID_IDS_MAX);
	snprintf(qs + o, sizeof(qs) - o, ",1");
	ck_assert_int_eq(router_args(route, NULL, 0, qs, &ctx, &field,
	    &complaint), -1);
	ck_assert_str_eq(field, "product_ids");
}
END_TEST

/* The review_id segment: one row per path. */
struct id_row {
	const char	*path;
	int		 good;
	int64_t		 id;
};

static const struct id_row id_rows[] = {
	{ "/reviews/12/helpful", 1, 12 },
	{ "/reviews/12/report", 1, 12 },
	{ "/reviews/12/report/", 1, 12 },
	{ "/reviews/1/helpful", 1, 1 },
	{ "/reviews/2147483647/helpful", 1, 2147483647 },
	{ "/reviews/abc/helpful", 0, 0 },
	{ "/reviews/meta/helpful", 0, 0 },
	{ "/reviews/0/helpful", 0, 0 },
	{ "/reviews/-1/report", 0, 0 },
	{ "/reviews/+1/report", 0, 0 },
	{ "/reviews/1.0/report", 0, 0 },
	{ "/reviews/1e3/report", 0, 0 },
	{ "/reviews/0x10/report", 0, 0 },
	{ "/reviews/12abc/report", 0, 0 },
	{ "/reviews/ 12/report", 0, 0 },
	{ "/reviews/%2012/report", 0, 0 },
	{ "/reviews/12%20/report", 0, 0 },
	{ "/reviews/1%2F..%2F2/helpful", 0, 0 },
	{ "/reviews/%2E%2E/helpful", 0, 0 },
	{ "/reviews/../helpful", 0, 0 },
	{ "/reviews//helpful", 0, 0 },
	{ "/reviews/1%00/helpful", 0, 0 },
	{ "/reviews/%00/report", 0, 0 },
	{ "/reviews/%zz/report", 0, 0 },
	{ "/reviews/%31%32/report", 1, 12 },
	{ "/reviews/2147483648/helpful", 0, 0 },
	{ "/reviews/99999999999/helpful", 0, 0 },
	{ "/reviews/999999999999999/helpful", 0, 0 },
	{ "/reviews/9999999999999999/helpful", 0, 0 },
	{ "/reviews/99999999999999999999999999999999/report", 0, 0 },
};

/* review_id must be a positive integer; a bad one names "review_id". */
START_TEST(args_review_id)
{
	const struct id_row	*r;
	static struct route_path p;
	const struct route	*route;
	const char		*field, *complaint;
	size_t			 i, seg;
	int			 rc;

	row_reset();
	for (i = 0; i < NROWS(id_rows); i++) {
		r = &id_rows[i];
		route = route_of(HTTP_PUT, r->path, &p, &seg);
		memset(&ctx, 0, sizeof(ctx));
		field = complaint = NULL;
		rc = router_args(route, &p, seg, "", &ctx, &field, &complaint);
		if (r->good && rc != 0)
			row_fail("%s: rejected: %s %s", r->path,
			    field ? field : "(null)",
			    complaint ? complaint : "(null)");
		else if (r->good && ctx.id != r->id)
			row_fail("%s: id %lld, want %lld", r->path,
			    (long long)ctx.id, (long long)r->id);
		else if (!r->good && rc == 0)
			row_fail("%s: accepted as %lld", r->path,
			    (long long)ctx.id);
		else if (!r->good && (field == NULL ||
		    strcmp(field, "review_id") != 0 || complaint == NULL))
			row_fail("%s: field %s, want review_id", r->path,
			    field ? field : "(null)");
	}
	ROWS_DONE();
}
END_TEST

/* PUT routes take no query parameters: any query string is ignored. */
START_TEST(args_put_query_ignored)
{
	static struct route_path p;
	const struct route	*route;
	const char		*field = NULL, *complaint = NULL;
	size_t			 seg;

	route = route_of(HTTP_PUT, "/reviews/7/helpful", &p, &seg);
	memset(&ctx, 0, sizeof(ctx));
	ck_assert_int_eq(router_args(route, &p, seg, "product_id=x&x=%zz", &ctx,
	    &field, &complaint), 0);
	ck_assert_int_eq(ctx.id, 7);
	ck_assert_int_eq(router_args(route, &p, seg, NULL, &ctx, &field,
	    &complaint), 0);
}
END_TEST

/* The suite tests/check_main.c runs. */
/*
 * GET /admin/reports and /admin/audit: status open by default, page as
 * Part 1's, count 20 by default and at most 100; each bad value a 400
 * naming its parameter.
 */
struct admin_row {
	const char	*path, *qs;
	int		 good;
	const char	*field;		/* bad: the field named */
	int64_t		 status, page, count;	/* good */
};

static const struct admin_row admin_rows[] = {
	{ "/admin/reports", "", 1, NULL, 0, 1, 20 },
	{ "/admin/reports", "status=open", 1, NULL, 0, 1, 20 },
	{ "/admin/reports", "status=closed&page=3&count=100", 1, NULL, 1, 3,
	    100 },
	{ "/admin/reports", "count=1&page=100000", 1, NULL, 0, 100000, 1 },
	{ "/admin/reports", "status=clos%65d&_=1", 1, NULL, 1, 1, 20 },
	{ "/admin/reports", "status=OPEN", 0, "status", 0, 0, 0 },
	{ "/admin/reports", "status=", 0, "status", 0, 0, 0 },
	{ "/admin/reports", "status=reported", 0, "status", 0, 0, 0 },
	{ "/admin/reports", "status=open&status=open", 0, "status", 0, 0, 0 },
	{ "/admin/reports", "count=101", 0, "count", 0, 0, 0 },
	{ "/admin/reports", "count=0", 0, "count", 0, 0, 0 },
	{ "/admin/reports", "count=1000", 0, "count", 0, 0, 0 },
	{ "/admin/reports", "page=0", 0, "page", 0, 0, 0 },
	{ "/admin/reports", "page=100001", 0, "page", 0, 0, 0 },
	{ "/admin/reports", "page=-1", 0, "page", 0, 0, 0 },
	{ "/admin/audit", "", 1, NULL, -1, 1, 20 },
	{ "/admin/audit", "page=2&count=100", 1, NULL, -1, 2, 100 },
	{ "/admin/audit", "count=101", 0, "count", 0, 0, 0 },
	{ "/admin/audit", "count=1.5", 0, "count", 0, 0, 0 },
	{ "/admin/audit", "page=x", 0, "page", 0, 0, 0 },
	{ "/admin/audit", "page=1&page=2", 0, "page", 0, 0, 0 },
};

START_TEST(args_admin)
{
	const struct admin_row	*r;
	const struct route	*route;
	const char		*field, *complaint;
	size_t			 i, k;
	int			 rc;

	row_reset();
	for (i = 0; i < NROWS(admin_rows); i++) {
		r = &admin_rows[i];
		route = route_of(HTTP_GET, r->path, NULL, NULL);
		memset(&ctx, 0, sizeof(ctx));
		field = complaint = NULL;
		rc = router_args(route, NULL, 0, r->qs, &ctx, &field,
		    &complaint);
		if (!r->good) {
			if (rc != -1 || field == NULL ||
			    strcmp(field, r->field) != 0)
				row_fail("%s?%s: not refused naming %s (%s)",
				    r->path, r->qs, r->field,
				    field ? field : "no field");
			continue;
		}
		if (rc != 0) {
			row_fail("%s?%s: refused: %s %s", r->path, r->qs,
			    field, complaint);
			continue;
		}
		/* The audit has no status: its page and count come first. */
		k = r->status < 0 ? 0 : 1;
		if ((r->status >= 0 && ctx.num[QUEUE_STATUS] != r->status) ||
		    ctx.num[k] != r->page || ctx.num[k + 1] != r->count)
			row_fail("%s?%s: got %lld %lld %lld", r->path, r->qs,
			    (long long)(k ? ctx.num[0] : -1),
			    (long long)ctx.num[k], (long long)ctx.num[k + 1]);
	}
	ROWS_DONE();
}
END_TEST

Suite *
check_suite(void)
{
	Suite	*s = suite_create("router");
	TCase	*tc;

	tc = tcase_create("match");
	tcase_add_test(tc, match_table);
	tcase_add_test(tc, match_params);
	tcase_add_test(tc, split_keeps_nul);
	suite_add_tcase(s, tc);

	tc = tcase_create("args");
	tcase_add_test(tc, args_defaults);
	tcase_add_test(tc, args_good);
	tcase_add_test(tc, args_bad);
	tcase_add_test(tc, args_list_part2);
	tcase_add_test(tc, args_cursor_tokens);
	tcase_add_test(tc, args_cursor_token_misuse);
	tcase_add_test(tc, args_nothing_carried_over);
	tcase_add_test(tc, args_too_long);
	tcase_add_test(tc, args_meta);
	tcase_add_test(tc, args_meta_part2);
	tcase_add_test(tc, args_meta_bad);
	tcase_add_test(tc, args_meta_many_ids);
	tcase_add_test(tc, args_review_id);
	tcase_add_test(tc, args_put_query_ignored);
	tcase_add_test(tc, args_admin);
	suite_add_tcase(s, tc);
	return s;
}
