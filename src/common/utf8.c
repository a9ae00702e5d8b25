#include "utf8.h"

/*
 * Validate UTF-8 strictly (no overlong forms, no surrogates, nothing past
 * U+10FFFF, no NUL: the body parser turns a \u0000 escape into the overlong
 * C0 80 so it lands here too).  Stores the number of characters in *nchars.
 * Returns 1 when valid.
 */
int
utf8_check(const char *str, size_t *nchars)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 n = 0;
	unsigned int		 cp;
	int			 more, i;

	while (*s != '\0') {
		if (*s < 0x80) {
			s++;
			n++;
			continue;
		}
		if (*s >= 0xc2 && *s <= 0xdf) {
			cp = *s & 0x1f;
			more = 1;
		} else if (*s >= 0xe0 && *s <= 0xef) {
			cp = *s & 0x0f;
			more = 2;
		} else if (*s >= 0xf0 && *s <= 0xf4) {
			cp = *s & 0x07;
			more = 3;
		} else
			return 0;
		for (i = 1; i <= more; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if ((more == 2 && cp < 0x800) ||
		    (more == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		s += more + 1;
		n++;
	}
	*nchars = n;
	return 1;
}
