#include <inttypes.h>
#include <stdio.h>

#include "pgenc.h"

_Static_assert(UTF8_CHAR_MAX >= 2, "an escaped byte takes two");

/*
 * Write the array literal of n strings into buf (cap bytes), each quoted
 * with '"' and '\' escaped.  Returns 0, or -1 when it does not fit.
 */
int
pgenc_text_array(char *buf, size_t cap, const char *const *v, size_t n)
{
	size_t		 need = 3, o = 0, i;	/* the braces and the NUL */
	const char	*s;

	for (i = 0; i < n; i++) {
		need += (i > 0) + 2;
		for (s = v[i]; *s != '\0'; s++)
			need += 1 + (*s == '"' || *s == '\\');
	}
	if (need > cap)
		return -1;
	buf[o++] = '{';
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf[o++] = ',';
		buf[o++] = '"';
		for (s = v[i]; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				buf[o++] = '\\';
			buf[o++] = *s;
		}
		buf[o++] = '"';
	}
	buf[o++] = '}';
	buf[o] = '\0';
	return 0;
}

/*
 * Write the array literal of n integers into buf (cap bytes).  Returns 0,
 * or -1 when it does not fit.
 */
int
pgenc_int_array(char *buf, size_t cap, const int64_t *v, size_t n)
{
	size_t	 o = 1, i;
	int	 w;

	if (cap < 3)
		return -1;
	buf[0] = '{';
	for (i = 0; i < n; i++) {
		w = snprintf(buf + o, cap - o, "%s%" PRId64, i ? "," : "", v[i]);
		if (w < 0 || (size_t)w >= cap - o)
			return -1;
		o += (size_t)w;
	}
	if (o + 2 > cap)
		return -1;
	buf[o++] = '}';
	buf[o] = '\0';
	return 0;
}

/*
 * Write len bytes as a bytea literal ("\x" and two hex digits a byte) into
 * buf (cap bytes), for sha256() in SQL.  Returns 0, or -1 when it does not
 * fit.
 */
int
pgenc_bytea(char *buf, size_t cap, const char *bytes, size_t len)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	if (cap < PGENC_BYTEA_CAP(len))
		return -1;
	*buf++ = '\\';
	*buf++ = 'x';
	for (i = 0; i < len; i++) {
		*buf++ = digits[(unsigned char)bytes[i] >> 4];
		*buf++ = digits[(unsigned char)bytes[i] & 15];
	}
	*buf = '\0';
	return 0;
}
