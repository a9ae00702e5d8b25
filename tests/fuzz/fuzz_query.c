/*
 * libFuzzer harness for the query-string parser (query.c).
 *
 * The input, up to its first NUL byte, is a raw query string as NGINX
 * passes it ($query_string).  It is parsed for the keys of GET /reviews
 * with a small buffer (16 bytes, where QUERY_TOO_LONG is reachable) and a
 * large one (strlen + 1, where it never is), and each answer is checked
 * against a reference model written here from API.md's rules: split on
 * '&', the key is what precedes the first '=', '+' is a space, %XX a byte,
 * a bad escape or a decoded NUL is an error only in a known key's value,
 * and a known key given twice is an error.  query_decode is checked on the
 * whole input against the reference decoder too.  Any disagreement, or
 * anything ASan/UBSan sees, aborts.
 *
 * Built and run by tests/fuzz/run, never by make.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

#define NKEYS		4
#define SMALL_BUF	16

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const keys[NKEYS] = { "product_id", "page", "count", "sort" };

static void
fail(const char *qs, const char *what)
{
	fprintf(stderr, "fuzz_query: %s (query \"%s\")\n", what, qs);
	abort();
}

/* A hex digit's value, or -1: the reference's own, not query.c's. */
static int
ref_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Reference decoder: decode len bytes of src into dst (len + 1 bytes).
 * Returns the length, or -1 for a truncated or non-hex escape or a %00.
 */
static long
ref_decode(const char *src, size_t len, char *dst)
{
	size_t	 i, n = 0;
	int	 hi, lo;

	for (i = 0; i < len; i++) {
		switch (src[i]) {
		case '+':
			dst[n++] = ' ';
			break;
		case '%':
			if (len - i < 3)
				return -1;
			hi = ref_hex((unsigned char)src[i + 1]);
			lo = ref_hex((unsigned char)src[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			dst[n++] = (char)(hi * 16 + lo);
			i += 2;
			break;
		default:
			dst[n++] = src[i];
		}
	}
	dst[n] = '\0';
	return (long)n;
}

/*
 * Reference query_parse: the same contract as query.c, written from
 * API.md.  Values land in vals (each a malloc'd string; the caller frees).
 * A value needs (raw length + 1) bytes free in a buffer of bufsz bytes,
 * and takes (decoded length + 1) of them.
 */
static enum query_status
ref_parse(const char *qs, size_t bufsz, char **vals, size_t *bad)
{
	const char	*seg = qs, *end, *eq;
	char		*key, *val;
	size_t		 i, klen, vlen, used = 0;
	long		 n;

	while (*seg != '\0') {
		end = seg + strcspn(seg, "&");
		eq = memchr(seg, '=', (size_t)(end - seg));
		if (eq == NULL)
			eq = end;
		klen = (size_t)(eq - seg);
		if ((key = malloc(klen + 1)) == NULL)
			abort();
		n = ref_decode(seg, klen, key);
		for (i = 0; n >= 0 && i < NKEYS; i++)
			if (strcmp(key, keys[i]) == 0)
				break;
		free(key);
		if (n >= 0 && i < NKEYS) {
			*bad = i;
			if (vals[i] != NULL)
				return QUERY_DUPLICATE;
			vlen = eq < end ? (size_t)(end - eq - 1) : 0;
			if (vlen + 1 > bufsz - used)
				return QUERY_TOO_LONG;
			if ((val = malloc(vlen + 1)) == NULL)
				abort();
			if ((n = ref_decode(eq < end ? eq + 1 : end, vlen,
			    val)) < 0) {
				free(val);
				return QUERY_BAD_ENCODING;
			}
			vals[i] = val;
			used += (size_t)n + 1;
		}
		seg = *end == '\0' ? end : end + 1;
	}
	return QUERY_OK;
}

/* Parse qs with a buffer of exactly bufsz bytes; compare with the model. */
static enum query_status
check_parse(const char *qs, size_t bufsz)
{
	const char		*vals[NKEYS];
	char			*ref[NKEYS] = { NULL };
	char			*buf;
	size_t			 bad = (size_t)-1, rbad = (size_t)-1, i, used = 0;
	enum query_status	 st, rst;

	/* Exactly bufsz: ASan sees any write past the end. */
	if ((buf = malloc(bufsz)) == NULL)
		abort();
	st = query_parse(qs, keys, NKEYS, vals, buf, bufsz, &bad);
	rst = ref_parse(qs, bufsz, ref, &rbad);
	if (st != rst)
		fail(qs, "status differs from the reference");
	if (st != QUERY_OK && bad != rbad)
		fail(qs, "*bad names another key than the reference");
	if (st == QUERY_OK) {
		for (i = 0; i < NKEYS; i++) {
			if ((vals[i] == NULL) != (ref[i] == NULL))
				fail(qs, "a key found by one and not the other");
			if (vals[i] == NULL)
				continue;
			if (vals[i] < buf || vals[i] >= buf + bufsz)
				fail(qs, "a value points outside the buffer");
			if (memchr(vals[i], '\0', bufsz - (size_t)(vals[i] - buf)) == NULL)
				fail(qs, "a value is not NUL-terminated in the buffer");
			if (strcmp(vals[i], ref[i]) != 0)
				fail(qs, "a value differs from the reference");
			used += strlen(vals[i]) + 1;
		}
		if (used > bufsz)
			fail(qs, "values overlap");
	}
	for (i = 0; i < NKEYS; i++)
		free(ref[i]);
	free(buf);
	return st;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char			*qs, *dst, *ref;
	const char		*nul;
	size_t			 len, n;
	long			 rn;
	enum query_status	 small, large;

	/* A C string, as NGINX hands it over: stop at the first NUL. */
	nul = memchr(data, '\0', size);
	len = nul != NULL ? (size_t)(nul - (const char *)data) : size;
	if ((qs = malloc(len + 1)) == NULL)
		abort();
	memcpy(qs, data, len);
	qs[len] = '\0';

	small = check_parse(qs, SMALL_BUF);
	large = check_parse(qs, len + 1);
	/* Decoding never grows a value: strlen + 1 always holds them all. */
	if (large == QUERY_TOO_LONG)
		fail(qs, "QUERY_TOO_LONG with a buffer as long as the query");
	if (small != QUERY_TOO_LONG && small != large)
		fail(qs, "buffer size changed an answer other than TOO_LONG");

	/* query_decode over the whole string (dst: exactly len + 1 bytes). */
	if ((dst = malloc(len + 1)) == NULL || (ref = malloc(len + 1)) == NULL)
		abort();
	n = query_decode(qs, len, dst);
	rn = ref_decode(qs, len, ref);
	if (rn < 0) {
		if (n != (size_t)-1)
			fail(qs, "query_decode accepted what the reference refuses");
	} else {
		if (n != (size_t)rn || memcmp(dst, ref, n + 1) != 0)
			fail(qs, "query_decode differs from the reference");
		if (n > len || strlen(dst) != n)
			fail(qs, "query_decode length or NUL wrong");
	}
	free(ref);
	free(dst);
	free(qs);
	return 0;
}
