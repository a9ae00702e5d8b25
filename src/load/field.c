#include <string.h>

#include "digits.h"
#include "field.h"
#include "utf8.h"

/*
 * Whether f is an unquoted integer within [min, max]; *out is set either
 * way (to 0 when f is not digits).
 */
int
field_int(const struct csv_field *f, int64_t min, int64_t max, int64_t *out)
{
	int64_t	 v = 0;
	int	 ok;

	ok = !f->quoted && digits_parse(f->s, f->len, max, &v) && v >= min;
	*out = v;	/* always: the callers' compiler cannot see it is unused */
	return ok;
}

/* Whether f is a bare true or false; if so *out is 1 or 0. */
int
field_bool(const struct csv_field *f, int *out)
{
	if (f->quoted)
		return 0;
	if (f->len == 4 && memcmp(f->s, "true", 4) == 0)
		*out = 1;
	else if (f->len == 5 && memcmp(f->s, "false", 5) == 0)
		*out = 0;
	else
		return 0;
	return 1;
}

/* Whether the field is DATA.md's bare null. */
int
field_null(const struct csv_field *f)
{
	return !f->quoted && f->len == 4 && memcmp(f->s, "null", 4) == 0;
}

/* Whether the field is text: valid UTF-8, no NUL. */
int
field_text(const struct csv_field *f)
{
	size_t	 n;

	return memchr(f->s, '\0', f->len) == NULL && utf8_check(f->s, &n);
}
