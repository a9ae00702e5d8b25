#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rows.h"

/* Rows that disagreed in the running test, for its failure message. */
char	 row_failbuf[1536];
int	 row_nfail;

/* Start a table: no bad rows yet. */
void
row_reset(void)
{
	row_failbuf[0] = '\0';
	row_nfail = 0;
}

/* Note one bad row: on stderr, and (while it fits) in the message. */
void
row_fail(const char *fmt, ...)
{
	char	 line[512];
	size_t	 used = strlen(row_failbuf);
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "  bad row: %s\n", line);
	if (used + strlen(line) + 3 < sizeof(row_failbuf))
		snprintf(row_failbuf + used, sizeof(row_failbuf) - used, "%s%s",
		    row_nfail ? "; " : "", line);
	row_nfail++;
}

/* The body in a fresh writable buffer with one spare byte; caller frees. */
char *
row_body(const struct body *b, size_t *len)
{
	size_t	 ulen = b->unit ? strlen(b->unit) : 0;
	size_t	 plen = b->post ? strlen(b->post) : 0, i, o;
	char	*s;

	*len = b->prelen + ulen * b->n + plen;
	s = malloc(*len + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, b->pre, b->prelen);
	o = b->prelen;
	for (i = 0; i < b->n; i++, o += ulen)
		memcpy(s + o, b->unit, ulen);
	if (plen > 0)
		memcpy(s + o, b->post, plen);
	s[*len] = '\0';
	return s;
}
