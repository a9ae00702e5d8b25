/*
 * Router: the route table, trailing slashes, 404 and 405 with Allow, and
 * the checks of path and query input before a handler runs.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "reviews.h"
#include "router.h"

struct match_row {
	enum http_method method;
	const char	*path;
	enum route_match want;
	void		(*handler)(struct route_ctx *);
	const char	*allow;		/* ROUTE_BAD_METHOD */
	const char	*seg;		/* the '#' segment, up to '/' */
};

static const struct match_row match_rows[] = {
	{ HTTP_GET, "/reviews", ROUTE_FOUND, reviews_list, NULL, NULL },
	{ HTTP_GET, "/reviews/", ROUTE_FOUND, reviews_list, NULL, NULL },
	{ HTTP_POST, "/reviews", ROUTE_FOUND, reviews_post, NULL, NULL },
	{ HTTP_POST, "/reviews/", ROUTE_FOUND, reviews_post, NULL, NULL },
	{ HTTP_GET, "/reviews/meta", ROUTE_FOUND, meta_get, NULL, NULL },
	{ HTTP_GET, "/reviews/meta/", ROUTE_FOUND, meta_get, NULL, NULL },
	{ HTTP_PUT, "/reviews/12/helpful", ROUTE_FOUND, reviews_helpful, NULL, "12" },
	{ HTTP_PUT, "/reviews/12/helpful/", ROUTE_FOUND, reviews_helpful, NULL, "12" },
	{ HTTP_PUT, "/reviews/abc/report", ROUTE_FOUND, reviews_report, NULL, "abc" },
	{ HTTP_GET, "/healthz", ROUTE_FOUND, health_get, NULL, NULL },
	{ HTTP_PUT, "/reviews", ROUTE_BAD_METHOD, NULL, "GET, POST", NULL },
	{ HTTP_OTHER, "/reviews/", ROUTE_BAD_METHOD, NULL, "GET, POST", NULL },
	{ HTTP_POST, "/reviews/meta", ROUTE_BAD_METHOD, NULL, "GET", NULL },
	{ HTTP_GET, "/reviews/1/helpful", ROUTE_BAD_METHOD, NULL, "PUT", NULL },
	{ HTTP_POST, "/reviews/1/report", ROUTE_BAD_METHOD, NULL, "PUT", NULL },
	{ HTTP_PUT, "/healthz", ROUTE_BAD_METHOD, NULL, "GET", NULL },
	{ HTTP_GET, "/", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/review", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviews/1", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviews//", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_PUT, "/reviews//helpful", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_PUT, "/reviews/1/helpful/x", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/reviewsx", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "/api/reviews", ROUTE_NOT_FOUND, NULL, NULL, NULL },
	{ HTTP_GET, "", ROUTE_NOT_FOUND, NULL, NULL, NULL },
};

/* Each row: the route found (and its segment), or 404, or 405 + Allow. */
START_TEST(test_router_match)
{
	const struct match_row	*r = &match_rows[_i];
	const struct route	*route = NULL;
	const char		*seg = NULL;
	char			 allow[64] = "";

	ck_assert_msg(router_match(r->method, r->path, &route, &seg, allow,
	    sizeof(allow)) == r->want, "%s", r->path);
	if (r->want == ROUTE_FOUND) {
		ck_assert_msg(route->handler == r->handler, "%s", r->path);
		if (r->seg == NULL)
			ck_assert_ptr_null(seg);
		else
			ck_assert_msg(strncmp(seg, r->seg, strlen(r->seg)) == 0 &&
			    (seg[strlen(r->seg)] == '/' || seg[strlen(r->seg)] == '\0'),
			    "%s: segment %s", r->path, seg);
	}
	if (r->want == ROUTE_BAD_METHOD)
		ck_assert_str_eq(allow, r->allow);
}
END_TEST

static struct route_ctx	 ctx;

/* Look up a route, then check its input; returns router_args's result. */
static int
args(enum http_method m, const char *path, const char *query,
    const char **field, const char **complaint)
{
	const struct route	*route;
	const char		*seg;
	char			 allow[64];

	ck_assert_int_eq(router_match(m, path, &route, &seg, allow,
	    sizeof(allow)), ROUTE_FOUND);
	memset(&ctx, 0, sizeof(ctx));
	*field = *complaint = NULL;
	return router_args(route, seg, query, &ctx, field, complaint);
}

/* GET /reviews defaults: page 1, count 5, sort relevant. */
START_TEST(test_router_list_defaults)
{
	const char	*field, *complaint;

	ck_assert_int_eq(args(HTTP_GET, "/reviews", "product_id=7", &field,
	    &complaint), 0);
	ck_assert_int_eq(ctx.num[0], 7);
	ck_assert_int_eq(ctx.num[1], 1);
	ck_assert_int_eq(ctx.num[2], 5);
	ck_assert_int_eq(ctx.num[3], SORT_RELEVANT);
	ck_assert_int_eq(args(HTTP_GET, "/reviews", "sort=helpful&count=9&page=3&product_id=2",
	    &field, &complaint), 0);
	ck_assert_int_eq(ctx.num[1], 3);
	ck_assert_int_eq(ctx.num[2], 9);
	ck_assert_int_eq(ctx.num[3], SORT_HELPFUL);
}
END_TEST

struct arg_row {
	const char	*path;
	const char	*query;
	const char	*field;		/* NULL: accepted */
	const char	*complaint;	/* substring, or NULL for any */
};

static const struct arg_row arg_rows[] = {
	{ "/reviews", "", "product_id", "is required" },
	{ "/reviews", "page=2", "product_id", "is required" },
	{ "/reviews", "product_id=x", "product_id", "integer" },
	{ "/reviews", "product_id=1&product_id=1", "product_id", "only once" },
	{ "/reviews", "product_id=1&page=0", "page", "integer" },
	{ "/reviews", "product_id=1&count=1001", "count", "integer" },
	{ "/reviews", "product_id=1&sort=Newest", "sort", "newest" },
	{ "/reviews", "product_id=1&sort=%zz", "sort", "encoding" },
	{ "/reviews", "product_id=1&_=1&_=2", NULL, NULL },
	{ "/reviews/meta", "product_id=0", "product_id", "integer" },
	{ "/reviews/meta", "product_id=5&page=x", NULL, NULL },
	{ "/reviews/abc/helpful", "", "review_id", "integer" },
	{ "/reviews/0/helpful", "", "review_id", "integer" },
	{ "/reviews/-1/report", "", "review_id", "integer" },
	{ "/reviews/99999999999/report", "", "review_id", "integer" },
	{ "/reviews/99999999999999999999999/report", "", "review_id", "integer" },
	{ "/reviews/12/helpful", "", NULL, NULL },
	{ "/reviews/2147483647/report/", "", NULL, NULL },
};

/* Each row: accepted, or refused naming the field. */
START_TEST(test_router_args)
{
	const struct arg_row	*r = &arg_rows[_i];
	const char		*field, *complaint;
	enum http_method	 m = strstr(r->path, "/helpful") ||
				    strstr(r->path, "/report") ? HTTP_PUT : HTTP_GET;
	int			 rc;

	rc = args(m, r->path, r->query, &field, &complaint);
	if (r->field == NULL) {
		ck_assert_msg(rc == 0, "%s?%s: %s %s", r->path, r->query, field,
		    complaint);
		return;
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(field, r->field);
	ck_assert_msg(strstr(complaint, r->complaint) != NULL, "%s", complaint);
}
END_TEST

/* The path's review id lands in ctx.id. */
START_TEST(test_router_review_id)
{
	const char	*field, *complaint;

	ck_assert_int_eq(args(HTTP_PUT, "/reviews/2147483647/report", "",
	    &field, &complaint), 0);
	ck_assert_int_eq(ctx.id, 2147483647);
}
END_TEST

static Suite *
router_suite(void)
{
	Suite	*s = suite_create("router");
	TCase	*tc = tcase_create("table");

	tcase_add_loop_test(tc, test_router_match, 0,
	    (int)(sizeof(match_rows) / sizeof(match_rows[0])));
	tcase_add_test(tc, test_router_list_defaults);
	tcase_add_loop_test(tc, test_router_args, 0,
	    (int)(sizeof(arg_rows) / sizeof(arg_rows[0])));
	tcase_add_test(tc, test_router_review_id);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(router_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
