/*
 * Query-string decoding: split on '&', decode '+' and %XX, and pick out the
 * parameters a route knows.  Unknown parameters are ignored, repeated or
 * not; a known one given twice is an error (API.md).
 */
#ifndef QUERY_H
#define QUERY_H

#include <stddef.h>

enum query_status {
	QUERY_OK,
	QUERY_DUPLICATE,	/* a known parameter appeared twice */
	QUERY_BAD_ENCODING,	/* bad %XX escape, or a decoded NUL */
	QUERY_TOO_LONG		/* decoded values do not fit the buffer */
};

size_t			 query_decode(const char *, size_t, char *);
size_t			 query_unescape(const char *, size_t, char *);
enum query_status	 query_parse(const char *, const char *const *, size_t,
			    const char **, char *, size_t, size_t *);

#endif
