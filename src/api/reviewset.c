#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cursor.h"
#include "db.h"
#include "hash.h"
#include "json.h"
#include "list.h"
#include "reviewset.h"
#include "valid.h"

/* An integer column's value. */
static int64_t
reviewset_int(const PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

/*
 * The set of a product from DB_LIST_NEWEST's rows for it (asked for
 * REVIEWSET_MAX + 1 reviews), into the cap bytes at buf (aligned for a
 * struct reviewset): each review's JSON is list_review_json's, rendered
 * as a list renders it.  Returns 0 with *len set; 1 when the product has
 * more reviews than a set holds or they do not fit in cap (the caller
 * stores reviewset_big instead); -1 when memory runs out.
 */
int
reviewset_build(const PGresult *res, void *buf, size_t cap, size_t *len)
{
	struct reviewset	*s = buf;
	struct reviewset_item	*it;
	const char		*json;
	size_t			 head, jlen, text = 0;
	cJSON			*r;
	int			 row, next, k, rows = PQntuples(res);

	for (s->n = 0, row = 0; row < rows; row = next, s->n++) {
		if (s->n == REVIEWSET_MAX)
			return 1;
		for (next = row + 1; next < rows && strcmp(PQgetvalue(res,
		    next, LIST_COL_ID), PQgetvalue(res, row, LIST_COL_ID)) == 0;
		    next++)
			;
	}
	head = sizeof(*s) + s->n * sizeof(s->item[0]);
	if (head > cap)
		return 1;
	for (it = s->item, row = 0; row < rows; row = next, it++) {
		if ((r = list_review_json(res, row, &next)) == NULL)
			return -1;
		json = json_render(r, &jlen);
		cJSON_Delete(r);
		if (json == NULL)
			return -1;
		/* Each text keeps its NUL (cJSON_CreateRaw wants one). */
		if (jlen > UINT16_MAX || jlen >= cap - head - text)
			return 1;
		it->date = reviewset_int(res, row, LIST_COL_DATE);
		it->id = (int32_t)reviewset_int(res, row, LIST_COL_ID);
		it->votes = (int32_t)reviewset_int(res, row,
		    LIST_COL_HELPFULNESS);
		it->rating = (uint8_t)reviewset_int(res, row, LIST_COL_RATING);
		it->photos = 0;
		for (k = row; k < next; k++)
			if (!PQgetisnull(res, k, LIST_COL_PHOTO_ID))
				it->photos = 1;
		it->len = (uint16_t)jlen;
		it->off = (uint32_t)text;
		memcpy((char *)buf + head + text, json, jlen + 1);
		text += jlen + 1;
	}
	s->text = (uint32_t)text;
	*len = head + text;
	return 0;
}

/* The JSON of item it of s: it->len bytes and a NUL. */
const char *
reviewset_json(const struct reviewset *s, const struct reviewset_item *it)
{
	return (const char *)&s->item[s->n] + it->off;
}

/* The marker of a product whose lists a set cannot hold, at buf. */
size_t
reviewset_big(void *buf)
{
	struct reviewset	*s = buf;

	s->n = REVIEWSET_BIG;
	s->text = 0;
	return sizeof(*s);
}

/*
 * Whether len bytes at p are a set or a marker as reviewset_build and
 * reviewset_big write them (a cache entry of the kind is one, unless the
 * cache's memory was damaged: then it is not used).
 */
int
reviewset_valid(const void *p, size_t len)
{
	const struct reviewset	*s = p;
	size_t			 head;
	uint32_t		 i;

	if (len < sizeof(*s))
		return 0;
	if (s->n == REVIEWSET_BIG)
		return len == sizeof(*s);
	if (s->n > REVIEWSET_MAX)
		return 0;
	head = sizeof(*s) + s->n * sizeof(s->item[0]);
	if (len != head + s->text)
		return 0;
	for (i = 0; i < s->n; i++)
		if (s->item[i].off >= s->text ||
		    s->item[i].len >= s->text - s->item[i].off ||
		    reviewset_json(s, &s->item[i])[s->item[i].len] != '\0')
			return 0;
	return 1;
}

/*
 * A review's place in a sort: (k1, k2, id), descending, compared in that
 * order, which is the ORDER BY of the sort's statements (sql.c) and the
 * (a, b) a cursor keeps (list.c), the ascending rating negated.
 */
struct reviewset_pos {
	int64_t		 k1;
	int64_t		 k2;
	int32_t		 id;
};

static struct reviewset_pos
reviewset_pos(const struct reviewset_item *it, int sort)
{
	struct reviewset_pos	 p = { 0, 0, it->id };

	switch (sort) {
	case SORT_NEWEST:
		p.k1 = it->date;
		break;
	case SORT_HELPFUL:
		p.k1 = it->votes;
		p.k2 = it->date;
		break;
	case SORT_RELEVANT:
		p.k1 = it->date + LIST_VOTE_MS * it->votes;
		break;
	case SORT_RATING_DESC:
		p.k1 = it->rating;
		p.k2 = it->date;
		break;
	default:
		p.k1 = -(int64_t)it->rating;
		p.k2 = it->date;
		break;
	}
	return p;
}

/* <0 when x comes before y. */
static int
reviewset_cmp(const struct reviewset_pos *x, const struct reviewset_pos *y)
{
	if (x->k1 != y->k1)
		return x->k1 > y->k1 ? -1 : 1;
	if (x->k2 != y->k2)
		return x->k2 > y->k2 ? -1 : 1;
	if (x->id != y->id)
		return x->id > y->id ? -1 : 1;
	return 0;
}

/*
 * The reviews of the answer for key (a list of s's product): those its
 * filters keep, in its sort, from its page or after its cursor's
 * position, at most its count; more says whether any come after them.
 */
void
reviewset_select(const struct reviewset *s, const struct cache_key *key,
    struct reviewset_page *page)
{
	const struct reviewset_item	*kept[REVIEWSET_MAX], *t;
	struct reviewset_pos		 pos[REVIEWSET_MAX], after, tp;
	int64_t				 skip;
	int				 n = 0, i, j, from;

	for (i = 0; i < (int)s->n; i++) {
		t = &s->item[i];
		if (!((key->ratings >> (t->rating - 1)) & 1) ||
		    (key->photos == PHOTOS_WITH && !t->photos) ||
		    (key->photos == PHOTOS_WITHOUT && t->photos))
			continue;
		/* Insertion sort: a set is small. */
		tp = reviewset_pos(t, key->sort);
		for (j = n; j > 0 && reviewset_cmp(&tp, &pos[j - 1]) < 0; j--) {
			kept[j] = kept[j - 1];
			pos[j] = pos[j - 1];
		}
		kept[j] = t;
		pos[j] = tp;
		n++;
	}
	from = 0;
	if (key->cursor && key->id != 0) {
		after.k1 = key->sort == SORT_RATING_ASC ? -key->a : key->a;
		after.k2 = key->b;
		after.id = key->id;
		while (from < n && reviewset_cmp(&pos[from], &after) <= 0)
			from++;
	} else if (!key->cursor) {
		skip = (int64_t)(key->page - 1) * key->count;
		from = skip < n ? (int)skip : n;
	}
	for (page->n = 0; from < n && page->n < key->count; from++)
		page->item[page->n++] = kept[from];
	page->more = from < n;
}

/*
 * The set of product in the cache, assembled at buf (REVIEWSET_BYTES,
 * aligned for a struct reviewset) from its entries, or NULL when any of
 * them is missing, no longer current, or of another set.
 */
const struct reviewset *
reviewset_get(int32_t product, void *buf)
{
	struct cache_key	 key = { .kind = CACHE_SET, .product = product };
	struct reviewset_chunk	 h, first;
	const char		*data;
	uint64_t		 unused;
	size_t			 len, part;
	int			 i;

	for (i = 0; i == 0 || i < first.chunks; i++) {
		key.page = i;
		if ((data = cache_get(&key, &len, &unused)) == NULL ||
		    len < sizeof(h))
			return NULL;
		memcpy(&h, data, sizeof(h));
		if (i == 0) {
			first = h;
			if (h.chunks < 1 || h.chunks > REVIEWSET_CHUNKS ||
			    h.total > (size_t)h.chunks * REVIEWSET_PART ||
			    h.total <= (size_t)(h.chunks - 1) * REVIEWSET_PART)
				return NULL;
		} else if (h.hash != first.hash || h.total != first.total ||
		    h.chunks != first.chunks)
			return NULL;
		part = i < first.chunks - 1 ? REVIEWSET_PART :
		    first.total - (size_t)i * REVIEWSET_PART;
		if (h.index != i || len != sizeof(h) + part)
			return NULL;
		memcpy((char *)buf + (size_t)i * REVIEWSET_PART,
		    data + sizeof(h), part);
	}
	if (!reviewset_valid(buf, first.total) ||
	    hash_bytes(buf, first.total) != first.hash)
		return NULL;
	return buf;
}

/* Store the set (len bytes at set) of product, computed under ticket. */
void
reviewset_put(int32_t product, uint64_t ticket, const void *set, size_t len)
{
	struct cache_key	 key = { .kind = CACHE_SET, .product = product };
	struct reviewset_chunk	 h;
	char			 entry[CACHE_ENTRY_MAX];
	size_t			 part;
	int			 i;

	if (len == 0 || len > REVIEWSET_BYTES)
		return;
	h.hash = hash_bytes(set, len);
	h.total = (uint32_t)len;
	h.chunks = (uint16_t)((len + REVIEWSET_PART - 1) / REVIEWSET_PART);
	for (i = 0; i < h.chunks; i++) {
		h.index = (uint16_t)i;
		part = i < h.chunks - 1 ? REVIEWSET_PART :
		    len - (size_t)i * REVIEWSET_PART;
		memcpy(entry, &h, sizeof(h));
		memcpy(entry + sizeof(h), (const char *)set +
		    (size_t)i * REVIEWSET_PART, part);
		key.page = i;
		cache_put(&key, ticket, entry, sizeof(h) + part, 0);
	}
}
