#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy.h"
#include "csv.h"
#include "field.h"
#include "idmap.h"
#include "load.h"
#include "rows.h"
#include "sums.h"
#include "table.h"

#define INT_MAX32	2147483647
#define DATE_MAX	4102444800000LL		/* 2100-01-01 */

/* reviews_kept holds the review's product, negated when reported. */
static struct idmap	 reviews_kept, chars_kept;
/* Per-file duplicate-id maps for the two files whose ids nothing refers to. */
static struct idmap	 photos_seen, ratings_seen;
/* Reviews with a photo loaded already: with_photos counts each once. */
static struct idmap	 photographed;
static struct table	 rated;		/* (review, characteristic) pairs */

/*
 * Allocate the kept ids (dies when memory runs out).  They live as long
 * as the program; nothing frees them.
 */
void
rows_init(void)
{
	idmap_init(&reviews_kept);
	idmap_init(&chars_kept);
	idmap_init(&photos_seen);
	idmap_init(&ratings_seen);
	idmap_init(&photographed);
	table_init(&rated, 1u << 20, 0);
}

/*
 * Check one record of lf; on success append it to o and return NULL, else
 * return the reason to reject it.  Photos and ratings that pass return ""
 * instead: row_tail finishes them.
 */
static const char *
row_head(const struct load_file *lf, const struct csv *c, struct copy *o)
{
	const struct csv_field	*f = c->field;
	int64_t			 id, a, b, v, r;
	int32_t			 count;
	int			 t1, t2, i;
	char			 num[24];

	if (c->error != NULL)
		return c->error;
	if (c->nfields != lf->nfields)
		return c->nfields < lf->nfields ? "too few columns" : "too many columns";
	if (!field_int(&f[0], 1, INT_MAX32, &id))
		return "bad id";
	switch (lf->kind) {
	case LOAD_REVIEWS:
		if (idmap_get(&reviews_kept, id))
			return "duplicate id";
		if (!field_int(&f[1], 1, INT_MAX32, &a))
			return "bad product_id";
		if (!field_int(&f[2], 1, 5, &r))
			return "bad rating";
		if (!field_int(&f[3], 0, DATE_MAX, &b))
			return "bad date";
		for (i = 4; i <= 9; i++) {
			if (i == 6 || i == 7)
				continue;
			if (field_null(&f[i]))
				return "null where text is required";
			if (!field_text(&f[i]))
				return "invalid UTF-8 or NUL in text";
		}
		if (!field_bool(&f[6], &t1) || !field_bool(&f[7], &t2))
			return "bad boolean";
		if (!field_null(&f[10]) && !field_text(&f[10]))
			return "invalid UTF-8 or NUL in text";
		if (!field_int(&f[11], 0, INT_MAX32, &v))
			return "bad helpfulness";
		idmap_put(&reviews_kept, id, t2 ? -(int32_t)a : (int32_t)a);
		sums_review(a, r, t1, t2);
		for (i = 0; i < 6; i++)
			copy_field(o, &f[i], 0);
		copy_word(o, t1 ? "t" : "f", 0);
		copy_word(o, t2 ? "t" : "f", 0);
		copy_field(o, &f[8], 0);
		copy_field(o, &f[9], 0);
		/* A quoted "null" response is no response either: API.md
		 * never sends the text "null". */
		if (field_null(&f[10]) || (f[10].len == 4 &&
		    memcmp(f[10].s, "null", 4) == 0))
			copy_word(o, "\\N", 0);
		else
			copy_field(o, &f[10], 0);
		copy_field(o, &f[11], 0);
		/* A review reported in the CSV is removed: an old report,
		 * decided, with no reason on record (db/schema.sql). */
		copy_word(o, t2 ? "t" : "f", 1);
		return NULL;
	case LOAD_CHARS:
		if (!field_int(&f[1], 1, INT_MAX32, &a))
			return "bad product_id";
		if (f[2].len == 0 || field_null(&f[2]) || !field_text(&f[2]))
			return "bad name";
		if (!lf->copy) {
			if (idmap_get(&chars_kept, id))
				return "duplicate id";
			idmap_put(&chars_kept, id, (int32_t)a);
			sums_char_id(id);
			return NULL;
		}
		/* Second pass: the row kept in the first, once, with its sums. */
		if (idmap_get(&chars_kept, id) != (int32_t)a)
			return NULL;
		idmap_put(&chars_kept, id, -1);
		copy_field(o, &f[0], 0);
		copy_field(o, &f[1], 0);
		copy_field(o, &f[2], 0);
		sums_char(id, &v, &count);
		snprintf(num, sizeof(num), "%" PRId64, v);
		copy_word(o, num, 0);
		snprintf(num, sizeof(num), "%" PRId32, count);
		copy_word(o, num, 1);
		return NULL;
	case LOAD_PHOTOS:
		if (!field_int(&f[1], 1, INT_MAX32, &a))
			return "bad review_id";
		if (f[2].len == 0 || field_null(&f[2]) || !field_text(&f[2]))
			return "bad url";
		if (!idmap_get(&reviews_kept, a))
			return "review_id names no loaded review";
		break;
	case LOAD_CHAR_REVIEWS:
		if (!field_int(&f[1], 1, INT_MAX32, &a))
			return "bad characteristic_id";
		if (!field_int(&f[2], 1, INT_MAX32, &b))
			return "bad review_id";
		if (!field_int(&f[3], 1, 5, &v))
			return "bad value";
		if (!idmap_get(&chars_kept, a))
			return "characteristic_id names no loaded characteristic";
		if (!idmap_get(&reviews_kept, b))
			return "review_id names no loaded review";
		if (idmap_get(&chars_kept, a) != abs(idmap_get(&reviews_kept, b)))
			return "characteristic belongs to another product than the review";
		break;
	case LOAD_META:
		break;
	}
	return "";
}

/*
 * The end of a photo or rating row: its own id must be new (and, for a
 * rating, the pair too); then it is summed (sums.h) and written.
 */
static const char *
row_tail(const struct load_file *lf, const struct csv *c, struct copy *o)
{
	const struct csv_field	*f = c->field;
	int64_t			 id, a, b, v;
	int32_t			 r;
	int			 i;

	field_int(&f[0], 1, INT_MAX32, &id);
	if (lf->kind == LOAD_PHOTOS) {
		if (idmap_get(&photos_seen, id))
			return "duplicate id";
		idmap_put(&photos_seen, id, 1);
		/* A review's first photo; reported reviews count nowhere. */
		field_int(&f[1], 1, INT_MAX32, &a);
		if (!idmap_get(&photographed, a)) {
			idmap_put(&photographed, a, 1);
			if ((r = idmap_get(&reviews_kept, a)) > 0)
				sums_photo(r);
		}
	} else {
		if (idmap_get(&ratings_seen, id))
			return "duplicate id";
		field_int(&f[1], 1, INT_MAX32, &a);
		field_int(&f[2], 1, INT_MAX32, &b);
		if (!table_put(&rated, (uint64_t)b << 32 | (uint64_t)a, 0))
			return "second rating of the same characteristic by the same review";
		idmap_put(&ratings_seen, id, 1);
		/* Reported reviews count in no aggregate. */
		if (idmap_get(&reviews_kept, b) > 0) {
			field_int(&f[3], 1, 5, &v);
			sums_rating(a, v);
		}
	}
	for (i = 0; i < lf->nfields; i++)
		copy_field(o, &f[i], i == lf->nfields - 1);
	return NULL;
}

/*
 * Check c's current record of lf by the rules of its file.  A good one is
 * written to o (NULL when lf is only checked, not copied), kept and summed,
 * and NULL returned; else the reason to reject it (a static string, or
 * the reader's).  The second pass over characteristics.csv writes each
 * row the first pass kept, once, with its sums, and writes nothing else;
 * what it returns counts for nothing, the first pass reported it.
 */
const char *
rows_check(const struct load_file *lf, const struct csv *c, struct copy *o)
{
	const char	*why = row_head(lf, c, o);

	if (why != NULL && *why == '\0')
		why = row_tail(lf, c, o);
	return why;
}
