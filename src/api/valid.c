#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "digits.h"
#include "utf8.h"
#include "valid.h"

/* One row per rule: integer bounds, or a word list for enumerations. */
struct valid_def {
	int64_t		 min;
	int64_t		 max;
	const char	*const *words;	/* NULL-terminated, or NULL for integers */
	const char	*complaint;
};

static const char *const valid_sorts[] = { "newest", "helpful", "relevant",
	"rating_desc", "rating_asc", NULL };
static const char *const valid_bools[] = { "false", "true", NULL };
static const char *const valid_statuses[] = { "open", "closed", NULL };

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
	    "must be one of newest, helpful, relevant, rating_desc, rating_asc" },
	[VALID_BOOL] = { 0, 0, valid_bools, "must be true or false" },
	[VALID_RATINGS] = { 0, 0, NULL,
	    "must be ratings 1 to 5, comma-separated, each at most once" },
	[VALID_PRODUCT_IDS] = { 0, 0, NULL,
	    "must be 1 to " VALID_XSTR(VALID_IDS_MAX) " product ids "
	    "(integers between 1 and 2147483647), comma-separated, each at most "
	    "once" },
	[VALID_CURSOR] = { 0, 0, NULL,
	    "must be empty or a next_cursor of an earlier answer" },
	[VALID_ADMIN_COUNT] = { 1, 100, NULL,
	    "must be an integer between 1 and 100" },
	[VALID_QUEUE_STATUS] = { 0, 0, valid_statuses,
	    "must be open or closed" },
};

/* A set of ratings ("4,5") as VALID_RATINGS's bits, or -1. */
static int64_t
valid_ratings(const char *s)
{
	int64_t	 bits = 0, bit;

	for (;; s += 2) {
		if (*s < '1' || *s > '5' || (s[1] != ',' && s[1] != '\0'))
			return -1;
		bit = 1 << (*s - '1');
		if (bits & bit)
			return -1;
		bits |= bit;
		if (s[1] == '\0')
			return bits;
	}
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

	if (rule == VALID_RATINGS) {
		if ((v = valid_ratings(s)) < 0)
			return d->complaint;
		*out = v;
		return NULL;
	}
	if (d->words != NULL) {
		for (i = 0; d->words[i] != NULL; i++)
			if (strcmp(s, d->words[i]) == 0) {
				*out = (int64_t)i;
				return NULL;
			}
		return d->complaint;
	}
	if (!digits_parse(s, strlen(s), d->max, &v) || v < d->min)
		return d->complaint;
	*out = v;
	return NULL;
}

/* What a value breaking rule is told (for rules the router applies). */
const char *
valid_complaint(enum valid_rule rule)
{
	return valid_defs[rule].complaint;
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
 * Text of minc..maxc Unicode characters, valid UTF-8, no NUL.  The caller
 * says how to phrase a length error, since it knows the field's rule.
 */
const char *
valid_text(const char *s, size_t minc, size_t maxc, const char *complaint)
{
	size_t	 n;

	if (!utf8_check(s, &n))
		return "must be valid UTF-8 text without NUL characters";
	if (n < minc || n > maxc)
		return complaint;
	return NULL;
}

/*
 * An address shaped local@domain.tld: at most VALID_EMAIL_MAX characters, exactly one @,
 * a non-empty local part, a domain holding a dot that neither starts nor
 * ends it, and no whitespace or control characters anywhere.
 */
const char *
valid_email(const char *s)
{
	static const char	 bad[] = "must be an email address like name@example.com (at most "
	    VALID_XSTR(VALID_EMAIL_MAX) " characters)";
	const char		*at, *dot, *p;
	size_t			 n;

	if (!utf8_check(s, &n) || n == 0 || n > VALID_EMAIL_MAX)
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
 * An absolute http or https URL of at most VALID_URL_MAX characters with a non-empty
 * host and no whitespace or control characters.
 */
const char *
valid_url(const char *s)
{
	static const char	 bad[] = VALID_URL_COMPLAINT;
	const char		*p;
	size_t			 n;

	if (!utf8_check(s, &n) || n > VALID_URL_MAX)
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

/*
 * An Idempotency-Key header: 1..VALID_KEY_MAX printable ASCII characters.
 * Returns NULL when good, else the complaint.
 */
const char *
valid_idempotency_key(const char *key)
{
	size_t	 n = 0;

	for (; key[n] != '\0'; n++)
		if (key[n] < 0x21 || key[n] > 0x7e)
			break;
	if (key[n] != '\0' || n < 1 || n > VALID_KEY_MAX)
		return "must be 1 to " VALID_XSTR(VALID_KEY_MAX)
		    " printable ASCII characters";
	return NULL;
}

/*
 * A product_ids= list: 1..VALID_IDS_MAX product ids, comma-separated, none
 * twice, stored in ids (room for VALID_IDS_MAX) in the order given.
 */
const char *
valid_id_list(const char *s, int32_t *ids, size_t *n)
{
	const char	*bad = valid_defs[VALID_PRODUCT_IDS].complaint;
	const char	*comma;
	int64_t		 v;
	size_t		 i;

	for (*n = 0;; s = comma + 1) {
		if ((comma = strchr(s, ',')) == NULL)
			comma = s + strlen(s);
		if (*n == VALID_IDS_MAX ||
		    !digits_parse(s, (size_t)(comma - s), 2147483647, &v) || v < 1)
			return bad;
		for (i = 0; i < *n; i++)
			if (ids[i] == (int32_t)v)
				return bad;
		ids[(*n)++] = (int32_t)v;
		if (*comma == '\0')
			return NULL;
	}
}
