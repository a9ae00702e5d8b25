/*
 * A streaming RFC 4180 reader: records of fields from a file descriptor,
 * quoted fields with "" and newlines inside, each field marked quoted or
 * not (a bare null is NULL, a quoted "null" is text), the line a record
 * starts on, and the record's raw bytes for reject reports.
 */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>

#define CSV_FIELDS_MAX	32

struct csv_field {
	char	*s;		/* NUL-terminated, unquoted, in the reader's buffer */
	size_t	 len;
	int	 quoted;
};

struct csv {
	int		 fd;
	char		*buf;		/* raw bytes; records never span a refill */
	size_t		 cap, len, pos;
	char		*work;		/* unquoted field bytes of this record */
	size_t		 workcap;
	int		 eof;
	int		 skipping;	/* dropping the rest of an overlong record */
	long		 line;		/* line of the next record */
	/* The current record. */
	struct csv_field field[CSV_FIELDS_MAX];
	int		 nfields;	/* CSV_FIELDS_MAX + 1: too many */
	long		 rec_line;
	const char	*raw;
	size_t		 rawlen;
	const char	*error;		/* malformed record, or NULL */
};

int	 csv_open(struct csv *, int, size_t);
int	 csv_next(struct csv *);
void	 csv_close(struct csv *);

#endif
