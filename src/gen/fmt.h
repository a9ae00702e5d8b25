/*
 * Byte formatting for the hot path: decimal integers, RFC 4180 quoted
 * fields and bare booleans written straight into a buffer the caller has
 * made room in, each returning the end of what it wrote.  No printf: it
 * would cost more than making the row.
 */
#ifndef GEN_FMT_H
#define GEN_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

char	*fmt_u64(char *, uint64_t);
char	*fmt_quoted(char *, const char *, size_t);

/* Append n bytes at p; returns the end.  Inline: it is a memcpy. */
static inline char *
fmt_put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* Write a bare true/false; returns the end. */
static inline char *
fmt_bool(char *p, int b)
{
	return b ? fmt_put(p, "true", 4) : fmt_put(p, "false", 5);
}

#endif
