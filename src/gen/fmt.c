#include <stdint.h>
#include <string.h>

#include "fmt.h"

/*
 * "00".."99", for two-digits-at-a-time integer formatting; a constant, so
 * nothing has to run before the first row is made.
 */
static const char fmt_digits[201] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Write v in decimal at p; returns the end. */
char *
fmt_u64(char *p, uint64_t v)
{
	char	 tmp[20];
	size_t	 i = sizeof(tmp);

	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;

		v /= 100;
		tmp[--i] = fmt_digits[d + 1];
		tmp[--i] = fmt_digits[d];
	}
	if (v >= 10) {
		tmp[--i] = fmt_digits[v * 2 + 1];
		tmp[--i] = fmt_digits[v * 2];
	} else
		tmp[--i] = (char)('0' + v);
	memcpy(p, tmp + i, sizeof(tmp) - i);
	return p + (sizeof(tmp) - i);
}

/*
 * Write the n bytes at s as an RFC 4180 quoted field, quotes doubled;
 * returns the end.  At most 2n + 2 bytes.
 */
char *
fmt_quoted(char *p, const char *s, size_t n)
{
	const char	*q;

	*p++ = '"';
	while ((q = memchr(s, '"', n)) != NULL) {
		size_t	 k = (size_t)(q - s) + 1;

		p = fmt_put(p, s, k);
		*p++ = '"';
		s += k;
		n -= k;
	}
	p = fmt_put(p, s, n);
	*p++ = '"';
	return p;
}
