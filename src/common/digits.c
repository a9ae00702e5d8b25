#include <stdio.h>

#include "digits.h"

/*
 * Parse the len bytes at s as a decimal integer of at most max (max >= 0).
 * Returns 1 with *out set, or 0 when s is empty, holds anything but digits,
 * or exceeds max; no step can overflow.
 */
int
digits_parse(const char *s, size_t len, int64_t max, int64_t *out)
{
	int64_t	 v = 0;
	size_t	 i;
	int	 d;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		d = s[i] - '0';
		if (v > max / 10 || (v == max / 10 && d > max % 10))
			return 0;
		v = v * 10 + d;
	}
	*out = v;
	return 1;
}

/* The value of the hex digit c (either case), or -1. */
int
digits_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "X/Y", a pg_lsn as PostgreSQL writes it, as a number; 0 if it is not one. */
uint64_t
digits_lsn(const char *s)
{
	unsigned int	 hi, lo;

	if (s == NULL || sscanf(s, "%X/%X", &hi, &lo) != 2)
		return 0;
	return (uint64_t)hi << 32 | lo;
}
