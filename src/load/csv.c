#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"

/*
 * Set up a reader over fd with a buffer of cap bytes (a record longer than
 * that is reported malformed).  Returns 0, or -1 when memory runs out.
 * csv_close frees what it allocates; fd stays the caller's.
 */
int
csv_open(struct csv *c, int fd, size_t cap)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->cap = cap;
	c->line = 1;
	c->workcap = cap + 1;
	if ((c->buf = malloc(cap)) == NULL || (c->work = malloc(c->workcap)) == NULL) {
		free(c->buf);
		return -1;
	}
	return 0;
}

void
csv_close(struct csv *c)
{
	free(c->buf);
	free(c->work);
	c->buf = c->work = NULL;
}

/*
 * Move the unread bytes to the front and read more.  Returns the number of
 * bytes added, 0 at end of file, -1 on a read error.
 */
static ssize_t
csv_fill(struct csv *c)
{
	ssize_t	 n;

	if (c->pos > 0) {
		memmove(c->buf, c->buf + c->pos, c->len - c->pos);
		c->len -= c->pos;
		c->pos = 0;
	}
	if (c->len == c->cap || c->eof)
		return 0;
	do
		n = read(c->fd, c->buf + c->len, c->cap - c->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		c->eof = 1;
	c->len += (size_t)n;
	return n;
}

/*
 * Parse one record starting at c->pos inside the buffered bytes.  Returns
 * 1 with the record set, 0 when the buffer ends before the record does
 * (more input needed), or -1 for a record that can never end well (it is
 * then skipped to the end of its line and reported through c->error).
 */
static int
csv_parse(struct csv *c)
{
	const char	*p = c->buf + c->pos, *end = c->buf + c->len;
	char		*w = c->work;
	long		 lines = 0;
	int		 n = 0, quoted;

	c->error = NULL;
	for (;;) {
		struct csv_field	 f = { w, 0, 0 };

		quoted = 0;
		if (p < end && *p == '"') {
			quoted = 1;
			for (p++;; p++) {
				if (p >= end) {
					if (!c->eof)
						return 0;
					c->error = "unterminated quoted field";
					break;
				}
				if (*p == '"') {
					if (p + 1 >= end && !c->eof)
						return 0;
					if (p + 1 < end && p[1] == '"') {
						*w++ = '"';
						p++;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n')
					lines++;
				*w++ = *p;
			}
			if (p < end && *p != ',' && *p != '\n' && *p != '\r')
				c->error = "text after a closing quote";
		}
		for (; p < end && *p != ',' && *p != '\n'; p++) {
			if (*p == '\r' && (p + 1 >= end || p[1] == '\n'))
				continue;
			if (*p == '"' && !quoted)
				c->error = "stray quote in an unquoted field";
			*w++ = *p;
		}
		if (p >= end && !c->eof)
			return 0;
		f.len = (size_t)(w - f.s);
		f.quoted = quoted;
		*w++ = '\0';
		if (n < CSV_FIELDS_MAX)
			c->field[n] = f;
		n++;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		break;
	}
	if (p < end)	/* the newline */
		p++;
	c->nfields = n > CSV_FIELDS_MAX ? CSV_FIELDS_MAX + 1 : n;
	c->rec_line = c->line;
	c->line += lines + 1;
	c->raw = c->buf + c->pos;
	c->rawlen = (size_t)(p - c->raw);
	while (c->rawlen > 0 && (c->raw[c->rawlen - 1] == '\n' ||
	    c->raw[c->rawlen - 1] == '\r'))
		c->rawlen--;
	c->pos = (size_t)(p - c->buf);
	return 1;
}

/*
 * Read the next record.  Returns 1 with c->field/nfields/rec_line/raw set
 * (c->error says whether it is malformed), 0 at end of input, -1 on a read
 * error.  The record stays valid until the next call.
 */
int
csv_next(struct csv *c)
{
	int	 r;

	for (;;) {
		if (c->skipping) {
			/* The rest of a record longer than the buffer, up to its
			 * newline: never a record of its own. */
			char *nl = memchr(c->buf + c->pos, '\n', c->len - c->pos);

			c->pos = nl ? (size_t)(nl - c->buf) + 1 : c->len;
			if (nl)
				c->skipping = 0;
		}
		if (c->pos >= c->len && c->eof)
			return 0;
		if (c->pos < c->len && !c->skipping) {
			r = csv_parse(c);
			if (r != 0)
				return 1;
		}
		if (c->len - c->pos == c->cap) {
			/* A record longer than the buffer: report and drop it
			 * up to the next newline. */
			char *nl = memchr(c->buf + c->pos + 1, '\n', c->len - c->pos - 1);

			c->raw = c->buf + c->pos;
			c->rawlen = 256;
			c->nfields = 0;
			c->rec_line = c->line++;
			c->error = "record longer than the reader's buffer";
			c->pos = nl ? (size_t)(nl - c->buf) + 1 : c->len;
			c->skipping = nl == NULL;
			return 1;
		}
		if (csv_fill(c) < 0)
			return -1;
		if (c->eof && c->pos >= c->len)
			return 0;
	}
}
