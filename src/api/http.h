/*
 * The HTTP side of a FastCGI request: what NGINX told us about it, reading
 * its body, and writing a response with a status line and JSON.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>

#include <fcgiapp.h>

/* Methods as bits, so a route can say which it allows. */
enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_POST = 1 << 1,
	HTTP_PUT = 1 << 2,
	HTTP_OTHER = 1 << 3
};

/* The largest request body API.md allows. */
#define HTTP_BODY_MAX	(64 * 1024)

struct http_req {
	FCGX_Request	*fcgx;
	enum http_method method;
	const char	*path;		/* decoded, normalised by NGINX ($uri) */
	const char	*query;		/* raw query string, may be empty */
	const char	*content_type;	/* may be NULL */
	const char	*content_length; /* may be NULL */
	const char	*idempotency_key; /* may be NULL */
};

void	 http_init(int);
void	 http_req_init(struct http_req *, FCGX_Request *);
int	 http_read_body(struct http_req *, char *, size_t, size_t *);
void	 http_send(struct http_req *, int, const char *, const char *, size_t);
void	 http_send_error(struct http_req *, int, const char *, const char *,
	    const char *);
void	 http_send_status(struct http_req *, int);
void	 http_send_unavailable(struct http_req *);
void	 http_send_failure(struct http_req *, int);
const char *http_reason(int);
enum http_method http_method_of(const char *);
int	 http_is_json(const char *);

#endif
