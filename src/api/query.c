#include <string.h>

#include "digits.h"
#include "query.h"

#define QUERY_BAD	((size_t)-1)

/*
 * Decode len bytes of src ('+' is a space, %XX a byte) into dst, which must
 * hold len + 1 bytes, and NUL-terminate it.  Returns the decoded length, or
 * (size_t)-1 on a malformed escape or a decoded NUL byte: either would let a
 * value say one thing to a C string function and another on the wire.
 */
size_t
query_decode(const char *src, size_t len, char *dst)
{
	size_t	 i, n = 0;
	int	 hi, lo;

	for (i = 0; i < len; i++) {
		if (src[i] == '+')
			dst[n++] = ' ';
		else if (src[i] == '%') {
			if (i + 2 >= len)
				return QUERY_BAD;
			if ((hi = digits_hex(src[i + 1])) < 0 ||
			    (lo = digits_hex(src[i + 2])) < 0)
				return QUERY_BAD;
			if ((dst[n++] = (char)(hi << 4 | lo)) == '\0')
				return QUERY_BAD;
			i += 2;
		} else
			dst[n++] = src[i];
	}
	dst[n] = '\0';
	return n;
}

/*
 * Decode a path segment's %XX escapes (a '+' is itself there) into dst,
 * which must hold len + 1 bytes, and NUL-terminate it.  Nothing is refused:
 * a malformed escape stays as it was and a decoded NUL or '/' is kept, so
 * the caller, who knows the length, sees the segment for what it is.
 * Returns the decoded length.
 */
size_t
query_unescape(const char *src, size_t len, char *dst)
{
	size_t	 i, n = 0;
	int	 hi, lo;

	for (i = 0; i < len; i++) {
		if (src[i] == '%' && i + 2 < len &&
		    (hi = digits_hex(src[i + 1])) >= 0 &&
		    (lo = digits_hex(src[i + 2])) >= 0) {
			dst[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			dst[n++] = src[i];
	}
	dst[n] = '\0';
	return n;
}

/*
 * Parse query string qs (may be NULL) for the nkeys names in keys.  For each
 * known key found, vals[i] points at its decoded value inside buf (bufsz
 * bytes); absent keys leave vals[i] NULL.  On anything but QUERY_OK, *bad is
 * the index of the key at fault.
 */
enum query_status
query_parse(const char *qs, const char *const *keys, size_t nkeys,
    const char **vals, char *buf, size_t bufsz, size_t *bad)
{
	char		 key[64];
	const char	*p, *amp, *eq, *v;
	size_t		 i, klen, vlen, used = 0, n;

	for (i = 0; i < nkeys; i++)
		vals[i] = NULL;
	if (qs == NULL)
		return QUERY_OK;
	for (p = qs; *p != '\0'; p = *amp ? amp + 1 : amp) {
		if ((amp = strchr(p, '&')) == NULL)
			amp = p + strlen(p);
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		klen = (size_t)(eq - p);
		/* Keys too long to be ours, or undecodable, are unknown. */
		if (klen >= sizeof(key) || query_decode(p, klen, key) == QUERY_BAD)
			continue;
		for (i = 0; i < nkeys; i++)
			if (strcmp(key, keys[i]) == 0)
				break;
		if (i == nkeys)
			continue;
		*bad = i;
		if (vals[i] != NULL)
			return QUERY_DUPLICATE;
		v = eq < amp ? eq + 1 : amp;
		vlen = (size_t)(amp - v);
		if (vlen + 1 > bufsz - used)
			return QUERY_TOO_LONG;
		if ((n = query_decode(v, vlen, buf + used)) == QUERY_BAD)
			return QUERY_BAD_ENCODING;
		vals[i] = buf + used;
		used += n + 1;
	}
	return QUERY_OK;
}
