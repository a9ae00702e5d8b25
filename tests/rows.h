/*
 * Table tests (tests/check_*.c): every row of a table is checked, and all
 * the rows that disagree are reported, not just the first.
 */
#ifndef ROWS_H
#define ROWS_H

#include <stddef.h>

extern char	 row_failbuf[1536];
extern int	 row_nfail;

void	 row_reset(void);
void	 row_fail(const char *, ...) __attribute__((format(printf, 1, 2)));

/* At the end of a table test: fail it with every bad row named. */
#define ROWS_DONE() \
	ck_assert_msg(row_nfail == 0, "%d row(s) wrong: %s", row_nfail, row_failbuf)

/* A literal and its length (it may hold NUL bytes). */
#define L(s)	s, sizeof(s) - 1

/*
 * A request body of a row: pre (prelen bytes), then unit repeated n
 * times, then post.  The repetition builds long strings without long
 * literals.
 */
struct body {
	const char	*pre;
	size_t		 prelen;
	const char	*unit;
	size_t		 n;
	const char	*post;
};

char	*row_body(const struct body *, size_t *);

#endif
