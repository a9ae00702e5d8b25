/*
 * The HTTP side of a FastCGI request: what NGINX told us about it, reading
 * its body, and the one place an answer is written.  Handlers never write:
 * they return a struct answer, and router_dispatch hands it to
 * http_answer (lwan's handlers return a status the same way).
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <fcgiapp.h>

/* Methods as bits, so a route can say which it allows. */
enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_POST = 1 << 1,
	HTTP_PUT = 1 << 2,
	HTTP_OTHER = 1 << 3
};

/* The largest request body API.md allows: 64 KiB. */
#define HTTP_BODY_MAX	65536

struct http_req {
	FCGX_Request	*fcgx;
	enum http_method method;
	const char	*path;		/* as the client sent it, not decoded */
	size_t		 pathlen;	/* path is not NUL-terminated there */
	const char	*query;		/* raw query string, may be empty */
	const char	*content_type;	/* may be NULL */
	const char	*content_length; /* may be NULL */
	const char	*idempotency_key; /* may be NULL */
	const char	*if_none_match;	/* may be NULL */
	const char	*authorization;	/* may be NULL */
};

/*
 * What to answer.  body is JSON (len bytes) or NULL for none; for an
 * error, body is NULL and field/complaint say what to put in it.  Every
 * pointer must stay valid until http_answer has run: handlers point at
 * static storage or the worker's render buffer, never at a PGresult or a
 * cJSON tree they free before returning.
 */
struct answer {
	int		 status;
	const char	*headers;	/* extra lines, each ending in CRLF */
	const char	*body;
	size_t		 len;
	const char	*field;		/* errors: the field named, or NULL */
	const char	*complaint;	/* errors: what is wrong with it */
	const char	*content_type;	/* NULL: JSON */
	int		 tagged;	/* a read's 200: ETag, Conditional GET */
	uint64_t	 etag;		/* tagged: hash_bytes of the body */
};

void	 http_init(int);
void	 http_req_init(struct http_req *, FCGX_Request *);
int	 http_read_body(struct http_req *, char *, size_t, size_t *);
void	 http_answer(struct http_req *, const struct answer *);
const char *http_reason(int);
enum http_method http_method_of(const char *);
int	 http_is_json(const char *);
int	 http_etag_match(const char *, uint64_t);

struct answer	 answer_json(int, const char *, size_t);
struct answer	 answer_tagged(const char *, size_t, uint64_t);
struct answer	 answer_status(int);
struct answer	 answer_error(int, const char *, const char *);
struct answer	 answer_failure(int);

#endif
