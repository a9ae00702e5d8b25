/*
 * The HTTP layer (http.c) without a web server: Content-Type matching,
 * If-None-Match against an ETag, the 64 KiB body limit read from a
 * FastCGI stream (in memory, fed in FastCGI-sized pieces), and what
 * http_answer writes: status, ETag and 304, Retry-After, X-Worker-Pid.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "check_main.h"
#include "http.h"
#include "rows.h"

#define NROWS(a)	(sizeof(a) / sizeof((a)[0]))

/* Content-Type headers and whether each is JSON. */
static const struct { const char *ct; int json; } ct_rows[] = {
	{ "application/json", 1 },
	{ "APPLICATION/JSON", 1 },
	{ "Application/Json", 1 },
	{ "application/json; charset=utf-8", 1 },
	{ "application/json;charset=UTF-8", 1 },
	{ "application/json ; charset=utf-8", 1 },
	{ "application/json\t;x=y", 1 },
	{ "application/json  ", 1 },
	{ "application/jsonx", 0 },
	{ "application/json-patch+json", 0 },
	{ "application/jso", 0 },
	{ "text/json", 0 },
	{ "text/plain", 0 },
	{ "application/x-www-form-urlencoded", 0 },
	{ " application/json", 0 },
	{ "json", 0 },
	{ "", 0 },
	{ "application/json,text/plain", 0 },
};

START_TEST(content_type_rows)
{
	size_t	 i;

	row_reset();
	for (i = 0; i < NROWS(ct_rows); i++)
		if (http_is_json(ct_rows[i].ct) != ct_rows[i].json)
			row_fail("\"%s\": %d, want %d", ct_rows[i].ct,
			    http_is_json(ct_rows[i].ct), ct_rows[i].json);
	ck_assert_int_eq(http_is_json(NULL), 0);
	ROWS_DONE();
}
END_TEST

/* If-None-Match headers against the ETag 0x00000000deadbeef. */
#define TAG	"\"00000000deadbeef\""
static const struct { const char *inm; int match; } inm_rows[] = {
	{ TAG, 1 },
	{ "W/" TAG, 1 },
	{ "*", 1 },
	{ " * ", 1 },
	{ "*, " TAG, 1 },
	{ "  " TAG "  ", 1 },
	{ "\"0000000000000000\", " TAG, 1 },
	{ "\"0000000000000000\",W/" TAG, 1 },
	{ "\"0000000000000000\"", 0 },
	{ "\"00000000DEADBEEF\"", 0 },
	{ "\"00000000deadbee\"", 0 },
	{ "\"00000000deadbeef0\"", 0 },
	{ "00000000deadbeef", 0 },
	{ "\"00000000deadbeef", 0 },
	{ "w/" TAG, 0 },
	{ "garbage, " TAG, 0 },
	{ "**", 0 },
	{ "", 0 },
	{ ",,", 0 },
};

START_TEST(etag_rows)
{
	size_t	 i;

	row_reset();
	for (i = 0; i < NROWS(inm_rows); i++)
		if (http_etag_match(inm_rows[i].inm, 0xdeadbeefULL) != inm_rows[i].match)
			row_fail("If-None-Match '%s': %d, want %d", inm_rows[i].inm,
			    http_etag_match(inm_rows[i].inm, 0xdeadbeefULL),
			    inm_rows[i].match);
	ck_assert_int_eq(http_etag_match(NULL, 0xdeadbeefULL), 0);
	ROWS_DONE();
}
END_TEST

/*
 * An in-memory FastCGI request: the body comes in pieces of at most
 * PIECE bytes (FastCGI records carry at most 65535), the answer goes to
 * one big buffer.
 */
#define PIECE	8192
static struct {
	const char	*body;
	size_t		 len, pos;
	unsigned char	 piece[PIECE];
	unsigned char	 out[1 << 17];
} mem;
static FCGX_Stream	 in_stream, out_stream;
static FCGX_Request	 fcgx;

static void
mem_fill(FCGX_Stream *s)
{
	size_t	 n = mem.len - mem.pos;

	if (n == 0) {
		s->isClosed = 1;
		return;
	}
	if (n > PIECE)
		n = PIECE;
	memcpy(mem.piece, mem.body + mem.pos, n);
	mem.pos += n;
	s->rdNext = s->stopUnget = mem.piece;
	s->stop = mem.piece + n;
}

static void
mem_empty(FCGX_Stream *s, int doclose)
{
	ck_abort_msg("the answer outgrew the test's buffer");
}

/* Set up req for a request with environment env and body body (len bytes). */
static void
mem_request(struct http_req *req, char **env, const char *body, size_t len)
{
	memset(&mem, 0, sizeof(mem));
	mem.body = body;
	mem.len = len;
	memset(&in_stream, 0, sizeof(in_stream));
	in_stream.isReader = 1;
	in_stream.rdNext = in_stream.stop = in_stream.stopUnget = mem.piece;
	in_stream.fillBuffProc = mem_fill;
	memset(&out_stream, 0, sizeof(out_stream));
	out_stream.wrNext = mem.out;
	out_stream.stop = mem.out + sizeof(mem.out) - 1;
	out_stream.emptyBuffProc = mem_empty;
	memset(&fcgx, 0, sizeof(fcgx));
	fcgx.in = &in_stream;
	fcgx.out = &out_stream;
	fcgx.envp = env;
	http_req_init(req, &fcgx);
}

/* What http_answer wrote, NUL-terminated. */
static const char *
mem_output(void)
{
	*out_stream.wrNext = '\0';
	return (const char *)mem.out;
}

/*
 * The body limit as the POST handler uses it (a buffer of HTTP_BODY_MAX + 1
 * bytes): 65,536 bytes are read whole, 65,537 refused, whether or not
 * CONTENT_LENGTH says so first.
 */
START_TEST(body_boundary)
{
	static char	 body[HTTP_BODY_MAX + 2], buf[HTTP_BODY_MAX + 1];
	static char	 cl_ok[] = "CONTENT_LENGTH=65536";
	static char	 cl_big[] = "CONTENT_LENGTH=65537";
	char		*env_none[] = { NULL };
	char		*env_ok[] = { cl_ok, NULL };
	char		*env_big[] = { cl_big, NULL };
	struct http_req	 req;
	size_t		 len, i;

	for (i = 0; i < sizeof(body); i++)
		body[i] = (char)('a' + i % 26);
	mem_request(&req, env_ok, body, HTTP_BODY_MAX);
	ck_assert_int_eq(http_read_body(&req, buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(len, HTTP_BODY_MAX);
	ck_assert_int_eq(memcmp(buf, body, len), 0);
	ck_assert_int_eq(buf[len], '\0');

	/* No length announced: the same, from the stream alone. */
	mem_request(&req, env_none, body, HTTP_BODY_MAX);
	ck_assert_int_eq(http_read_body(&req, buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(len, HTTP_BODY_MAX);

	mem_request(&req, env_none, body, HTTP_BODY_MAX + 1);
	ck_assert_int_eq(http_read_body(&req, buf, sizeof(buf), &len), -1);
	mem_request(&req, env_big, body, HTTP_BODY_MAX + 1);
	ck_assert_int_eq(http_read_body(&req, buf, sizeof(buf), &len), -1);
	/* An announced length over the limit is refused before reading. */
	mem_request(&req, env_big, body, 10);
	ck_assert_int_eq(http_read_body(&req, buf, sizeof(buf), &len), -1);

	mem_request(&req, env_none, "", 0);
	ck_assert_int_eq(http_read_body(&req, buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

/* What NGINX sends becomes the request: the path as sent, not $uri. */
START_TEST(request_fields)
{
	static char	 m[] = "REQUEST_METHOD=PUT";
	static char	 p[] = "REQUEST_PATH=/reviews/1%2F2/helpful";
	static char	 u[] = "REQUEST_URI=/api/reviews/9/helpful?x=1";
	static char	 q[] = "QUERY_STRING=x=1";
	static char	 ct[] = "CONTENT_TYPE=application/json";
	static char	 key[] = "HTTP_IDEMPOTENCY_KEY=k1";
	static char	 inm[] = "HTTP_IF_NONE_MATCH=*";
	char		*env[] = { m, p, u, q, ct, key, inm, NULL };
	char		*env_uri[] = { u, NULL };
	struct http_req	 req;

	mem_request(&req, env, "", 0);
	ck_assert_int_eq(req.method, HTTP_PUT);
	ck_assert_uint_eq(req.pathlen, strlen("/reviews/1%2F2/helpful"));
	ck_assert_int_eq(strncmp(req.path, "/reviews/1%2F2/helpful", req.pathlen), 0);
	ck_assert_str_eq(req.query, "x=1");
	ck_assert_str_eq(req.content_type, "application/json");
	ck_assert_str_eq(req.idempotency_key, "k1");
	ck_assert_str_eq(req.if_none_match, "*");
	/* Behind another front end: REQUEST_URI up to its '?'. */
	mem_request(&req, env_uri, "", 0);
	ck_assert_int_eq(req.method, HTTP_OTHER);
	ck_assert_uint_eq(req.pathlen, strlen("/api/reviews/9/helpful"));
	ck_assert_str_eq(req.query, "");
	ck_assert_ptr_null(req.content_type);
	ck_assert_int_eq(http_method_of("HEAD"), HTTP_GET);
	ck_assert_int_eq(http_method_of("get"), HTTP_OTHER);
}
END_TEST

/* A read's 200 carries its ETag; a matching If-None-Match gets the 304. */
START_TEST(answer_tagged_and_304)
{
	static char	 inm[] = "HTTP_IF_NONE_MATCH=W/\"00000000deadbeef\"";
	char		*env_none[] = { NULL };
	char		*env_inm[] = { inm, NULL };
	struct http_req	 req;
	struct answer	 a = answer_tagged("{\"a\":1}", 7, 0xdeadbeefULL);

	http_init(0);
	mem_request(&req, env_none, "", 0);
	http_answer(&req, &a);
	ck_assert_str_eq(mem_output(), "Status: 200 OK\r\n"
	    "ETag: \"00000000deadbeef\"\r\nCache-Control: no-cache\r\n"
	    "Content-Type: application/json; charset=utf-8\r\n"
	    "Content-Length: 7\r\n\r\n{\"a\":1}");
	mem_request(&req, env_inm, "", 0);
	http_answer(&req, &a);
	ck_assert_str_eq(mem_output(), "Status: 304 Not Modified\r\n"
	    "ETag: \"00000000deadbeef\"\r\nCache-Control: no-cache\r\n\r\n");
}
END_TEST

/* Errors are JSON naming the field; 503 says when to retry; 204 has no body. */
START_TEST(answer_errors)
{
	char		*env[] = { NULL };
	struct http_req	 req;
	struct answer	 a;
	char		 want[128];

	http_init(0);
	mem_request(&req, env, "", 0);
	a = answer_error(400, "rating", "must be an integer between 1 and 5");
	http_answer(&req, &a);
	ck_assert_ptr_nonnull(strstr(mem_output(), "Status: 400 Bad Request\r\n"));
	ck_assert_ptr_nonnull(strstr(mem_output(),
	    "\r\n\r\n{\"error\":\"rating must be an integer between 1 and 5\"}"));
	mem_request(&req, env, "", 0);
	a = answer_failure(503);
	http_answer(&req, &a);
	ck_assert_ptr_nonnull(strstr(mem_output(), "Status: 503 Service Unavailable\r\nRetry-After: 1\r\n"));
	ck_assert_ptr_nonnull(strstr(mem_output(), "{\"error\":\"service unavailable"));
	mem_request(&req, env, "", 0);
	a = answer_status(204);
	http_answer(&req, &a);
	ck_assert_str_eq(mem_output(), "Status: 204 No Content\r\n\r\n");
	/* With debug headers on, every answer names the worker. */
	http_init(1);
	mem_request(&req, env, "", 0);
	http_answer(&req, &a);
	snprintf(want, sizeof(want), "Status: 204 No Content\r\nX-Worker-Pid: %ld\r\n\r\n",
	    (long)getpid());
	ck_assert_str_eq(mem_output(), want);
	http_init(0);
}
END_TEST

/* The suite tests/check_main.c runs. */
Suite *
check_suite(void)
{
	Suite	*s = suite_create("http");
	TCase	*tc = tcase_create("http");

	tcase_add_test(tc, content_type_rows);
	tcase_add_test(tc, etag_rows);
	tcase_add_test(tc, body_boundary);
	tcase_add_test(tc, request_fields);
	tcase_add_test(tc, answer_tagged_and_304);
	tcase_add_test(tc, answer_errors);
	suite_add_tcase(s, tc);
	return s;
}
