#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "valid.h"

/* One row per rule: integer bounds, or a word list for enumerations. */
struct valid_def {
	int64_t		 min;
	int64_t		 max;
	const char	*const *words;	/* NULL-terminated, or NULL for integers */
	const char	*complaint;
};

static const char *const valid_sorts[] = { "newest", "helpful", "relevant", NULL };

static const struct valid_def valid_defs[VALID__MAX] = {
	[VALID_PRODUCT_ID] = { 1, 2147483647, NULL,
	    "must be an integer between 1 and 2147483647" },
	[VALID_REVIEW_ID] = { 1, 2147483647, NULL,
	    "must be an integer between 1 and 2147483647" },
	[VALID_PAGE] = { 1, 100000, NULL,
	    "must be an integer between 1 and 100000" },
	[VALID_COUNT] = { 1, 1000, NULL,
	    "must be an integer between 1 and 1000" },
	[VALID_RATING] = { 1, 5, NULL,
	    "must be an integer between 1 and 5" },
	[VALID_SORT] = { 0, 0, valid_sorts,
	    "must be one of newest, helpful, relevant" },
};

/*
 * Parse a string of ASCII digits, nothing else (no sign, no space, no
 * trailing junk), into *out.  Returns 0 when it is not one or it exceeds max.
 */
static int
valid_digits(const char *s, int64_t max, int64_t *out)
{
	int64_t	 v = 0;

	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
		if (v > max)
			return 0;
	}
	*out = v;
	return 1;
}

/*
 * Check a query-string or path value against a rule.  On success stores the
 * integer (or, for word lists, the index of the word) in *out.
 */
const char *
valid_str(enum valid_rule rule, const char *s, int64_t *out)
{
	const struct valid_def	*d = &valid_defs[rule];
	int64_t			 v;
	size_t			 i;

	if (d->words != NULL) {
		for (i = 0; d->words[i] != NULL; i++)
			if (strcmp(s, d->words[i]) == 0) {
				*out = (int64_t)i;
				return NULL;
			}
		return d->complaint;
	}
	if (!valid_digits(s, d->max, &v) || v < d->min)
		return d->complaint;
	*out = v;
	return NULL;
}

/*
 * Check a JSON value against an integer rule: a number with an integral
 * value, or a string of digits.  true, 1.5, "x", -1 and huge values fail.
 */
const char *
valid_json_int(enum valid_rule rule, const cJSON *item, int64_t *out)
{
	const struct valid_def	*d = &valid_defs[rule];
	double			 v;

	if (cJSON_IsString(item))
		return valid_str(rule, item->valuestring, out);
	if (!cJSON_IsNumber(item))
		return d->complaint;
	v = item->valuedouble;
	if (!isfinite(v) || v != floor(v) || v < (double)d->min ||
	    v > (double)d->max)
		return d->complaint;
	*out = (int64_t)v;
	return NULL;
}

/*
 * Validate UTF-8 strictly (no overlong forms, no surrogates, nothing past
 * U+10FFFF, no NUL: the body parser turns a \u0000 escape into the overlong
 * C0 80 so it lands here too).  Stores the number of characters in *nchars.
 * Returns 1 when valid.
 */
int
valid_utf8(const char *str, size_t *nchars)
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

/*
 * Text of minc..maxc Unicode characters, valid UTF-8, no NUL.  The caller
 * says how to phrase a length error, since it knows the field's rule.
 */
const char *
valid_text(const char *s, size_t minc, size_t maxc, const char *complaint)
{
	size_t	 n;

	if (!valid_utf8(s, &n))
		return "must be valid UTF-8 text without NUL characters";
	if (n < minc || n > maxc)
		return complaint;
	return NULL;
}

/*
 * An address shaped local@domain.tld: at most 60 characters, exactly one @,
 * a non-empty local part, a domain holding a dot that neither starts nor
 * ends it, and no whitespace or control characters anywhere.
 */
const char *
valid_email(const char *s)
{
	static const char	 bad[] = "must be an email address like name@example.com (at most 60 characters)";
	const char		*at, *dot, *p;
	size_t			 n;

	if (!valid_utf8(s, &n) || n == 0 || n > 60)
		return bad;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return bad;
	if ((at = strchr(s, '@')) == NULL || at == s || strchr(at + 1, '@'))
		return bad;
	if ((dot = strrchr(at + 1, '.')) == NULL || at[1] == '.' ||
	    dot[1] == '\0')
		return bad;
	return NULL;
}

/*
 * An absolute http or https URL of at most 2048 characters with a non-empty
 * host and no whitespace or control characters.
 */
const char *
valid_url(const char *s)
{
	static const char	 bad[] = "must be absolute http(s) URLs of at most 2048 characters";
	const char		*p;
	size_t			 n;

	if (!valid_utf8(s, &n) || n > 2048)
		return bad;
	if (strncmp(s, "http://", 7) == 0)
		p = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		p = s + 8;
	else
		return bad;
	if (*p == '\0' || *p == '/' || *p == '?' || *p == '#')
		return bad;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return bad;
	return NULL;
}
