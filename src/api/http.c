#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http.h"
#include "json.h"

/* Extra header line(s) added to every response; set once by http_init. */
static char http_extra[64];

/*
 * Set up response decoration.  With debug on, every response names the
 * worker's pid in X-Worker-Pid, so the end-to-end tests can prove that a
 * write is seen by a different worker.
 */
void
http_init(int debug)
{
	http_extra[0] = '\0';
	if (debug)
		snprintf(http_extra, sizeof(http_extra),
		    "X-Worker-Pid: %ld\r\n", (long)getpid());
}

/* Reason phrase for the statuses this service sends. */
const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/*
 * Map a REQUEST_METHOD string to its bit.  HEAD is served as GET: NGINX
 * drops the body.
 */
enum http_method
http_method_of(const char *m)
{
	if (m == NULL)
		return HTTP_OTHER;
	if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
		return HTTP_GET;
	if (strcmp(m, "POST") == 0)
		return HTTP_POST;
	if (strcmp(m, "PUT") == 0)
		return HTTP_PUT;
	return HTTP_OTHER;
}

/*
 * Whether a Content-Type names JSON: "application/json", any case, with
 * optional parameters after a ';' (charset=utf-8).
 */
int
http_is_json(const char *ct)
{
	static const char	 json[] = "application/json";
	size_t			 n = sizeof(json) - 1;

	if (ct == NULL || strncasecmp(ct, json, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/*
 * Fill req from the FastCGI parameters NGINX sent.  The path is the one the
 * client sent, not NGINX's decoded and normalised $uri: in $uri an encoded
 * slash or dot segment inside a review id ("1%2F..%2F2") has become a path
 * of its own and would name another review.  NGINX sends it as
 * REQUEST_PATH, without the /api prefix (nginx/fastcgi.conf); behind
 * another front end, REQUEST_URI up to its '?' serves.
 */
void
http_req_init(struct http_req *req, FCGX_Request *fcgx)
{
	const char	*path;

	req->fcgx = fcgx;
	req->method = http_method_of(FCGX_GetParam("REQUEST_METHOD", fcgx->envp));
	if ((path = FCGX_GetParam("REQUEST_PATH", fcgx->envp)) == NULL &&
	    (path = FCGX_GetParam("REQUEST_URI", fcgx->envp)) == NULL)
		path = "/";
	req->path = path;
	req->pathlen = strcspn(path, "?");
	req->query = FCGX_GetParam("QUERY_STRING", fcgx->envp);
	if (req->query == NULL)
		req->query = "";
	req->content_type = FCGX_GetParam("CONTENT_TYPE", fcgx->envp);
	req->content_length = FCGX_GetParam("CONTENT_LENGTH", fcgx->envp);
	req->idempotency_key = FCGX_GetParam("HTTP_IDEMPOTENCY_KEY", fcgx->envp);
	req->if_none_match = FCGX_GetParam("HTTP_IF_NONE_MATCH", fcgx->envp);
	req->authorization = FCGX_GetParam("HTTP_AUTHORIZATION", fcgx->envp);
}

/*
 * Whether an If-None-Match header names etag: "*", or a comma-separated
 * list of entity tags, each perhaps weak (W/"..."), compared weakly as
 * RFC 9110 says for If-None-Match.  A malformed list matches nothing.
 */
int
http_etag_match(const char *inm, uint64_t etag)
{
	char		 want[17];
	const char	*p = inm, *end;

	if (inm == NULL)
		return 0;
	snprintf(want, sizeof(want), "%016" PRIx64, etag);
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			return 0;
		if (*p == '*')
			return p[1] == '\0' || p[1] == ' ' || p[1] == ',' ||
			    p[1] == '\t';
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"' || (end = strchr(p + 1, '"')) == NULL)
			return 0;
		if (end - p - 1 == 16 && memcmp(p + 1, want, 16) == 0)
			return 1;
		p = end + 1;
	}
}

/*
 * Read the request body into buf (cap bytes, NUL-terminated, so it holds at
 * most cap - 1 bytes of body).  Returns 0 with *len set, or -1 when the body
 * is larger than that: the caller answers 413.
 */
int
http_read_body(struct http_req *req, char *buf, size_t cap, size_t *len)
{
	size_t	 n = 0;
	int	 got;

	if (req->content_length != NULL &&
	    strtoull(req->content_length, NULL, 10) >= cap)
		return -1;
	while (n < cap - 1) {
		got = FCGX_GetStr(buf + n, (int)(cap - 1 - n), req->fcgx->in);
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	if (n == cap - 1 && FCGX_GetChar(req->fcgx->in) != EOF)
		return -1;
	buf[n] = '\0';
	*len = n;
	return 0;
}

/* Write status, header lines and a body of len bytes (or none). */
static void
http_write(struct http_req *req, int status, const char *headers,
    const char *type, const char *body, size_t len)
{
	char	 head[512];
	int	 n;

	if (body != NULL)
		n = snprintf(head, sizeof(head), "Status: %d %s\r\n%s%s"
		    "Content-Type: %s\r\n"
		    "Content-Length: %zu\r\n\r\n", status, http_reason(status),
		    headers ? headers : "", http_extra,
		    type ? type : "application/json; charset=utf-8", len);
	else
		n = snprintf(head, sizeof(head), "Status: %d %s\r\n%s%s\r\n",
		    status, http_reason(status), headers ? headers : "",
		    http_extra);
	if (n < 0 || (size_t)n >= sizeof(head))
		n = snprintf(head, sizeof(head), "Status: 500 %s\r\n\r\n",
		    http_reason(500));
	FCGX_PutStr(head, n, req->fcgx->out);
	if (body != NULL)
		FCGX_PutStr(body, (int)len, req->fcgx->out);
}

/*
 * Write answer a: the one place a response leaves the worker.  An error
 * answer's body, {"error":"<field> <complaint>"}, is rendered here.
 */
void
http_answer(struct http_req *req, const struct answer *a)
{
	static const char	 oom[] = "{\"error\":\"out of memory\"}";
	char			 tag[80];
	const char		*body = a->body;
	size_t			 len = a->len;

	if (a->tagged) {
		snprintf(tag, sizeof(tag), "ETag: \"%016" PRIx64 "\"\r\n"
		    "Cache-Control: no-cache\r\n", a->etag);
		if (http_etag_match(req->if_none_match, a->etag))
			http_write(req, 304, tag, NULL, NULL, 0);
		else
			http_write(req, a->status, tag, NULL, body, len);
		return;
	}

	if (body == NULL && a->complaint != NULL &&
	    (body = json_error(a->field, a->complaint, &len)) == NULL) {
		http_write(req, 500, NULL, NULL, oom, sizeof(oom) - 1);
		return;
	}
	http_write(req, a->status, a->headers, a->content_type, body, len);
}

/* A JSON answer of len bytes at body. */
struct answer
answer_json(int status, const char *body, size_t len)
{
	struct answer	 a = { status, NULL, body, len, NULL, NULL, NULL, 0, 0 };

	return a;
}

/*
 * A read's 200 (GET /reviews, /reviews/meta): it carries its ETag, and a
 * request whose If-None-Match names it gets a 304 instead.
 */
struct answer
answer_tagged(const char *body, size_t len, uint64_t etag)
{
	struct answer	 a = answer_json(200, body, len);

	a.tagged = 1;
	a.etag = etag;
	return a;
}

/* A bodiless answer, such as 204. */
struct answer
answer_status(int status)
{
	return answer_json(status, NULL, 0);
}

/*
 * {"error":"<field> <complaint>"} (just the complaint when field is NULL).
 * Both strings must outlive the answer.
 */
struct answer
answer_error(int status, const char *field, const char *complaint)
{
	struct answer	 a = { status, NULL, NULL, 0, field, complaint, NULL, 0, 0 };

	return a;
}

/*
 * A request the database could not serve, with the status db_run chose:
 * 503 with Retry-After, 409, 400, or 500.  The message never carries the
 * database's own text: that goes to the worker's log.
 */
struct answer
answer_failure(int status)
{
	struct answer	 a;

	switch (status) {
	case 503:
		a = answer_error(503, NULL, "service unavailable: the database "
		    "cannot be reached, retry shortly");
		a.headers = "Retry-After: 1\r\n";
		return a;
	case 400:
	case 409:
		return answer_error(status, NULL,
		    "request conflicts with the stored data");
	default:
		return answer_error(500, NULL, "internal error");
	}
}
