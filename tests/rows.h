/*
 * Table tests (tests/check_*.c): every row of a table is checked, and all
 * the rows that disagree are reported, not just the first.
 */
#ifndef ROWS_H
#define ROWS_H

extern char	 row_failbuf[1536];
extern int	 row_nfail;

void	 row_reset(void);
void	 row_fail(const char *, ...) __attribute__((format(printf, 1, 2)));

/* At the end of a table test: fail it with every bad row named. */
#define ROWS_DONE() \
	ck_assert_msg(row_nfail == 0, "%d row(s) wrong: %s", row_nfail, row_failbuf)

#endif
