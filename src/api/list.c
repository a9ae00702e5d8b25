#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cache.h"
#include "cursor.h"
#include "db.h"
#include "http.h"
#include "json.h"
#include "list.h"
#include "metrics.h"
#include "readcache.h"
#include "reviewset.h"
#include "router.h"

const struct route_param list_params[LIST__NARGS] = {
	[LIST_PRODUCT] = { "product_id", VALID_PRODUCT_ID, NULL, 0, 0 },
	[LIST_PAGE] = { "page", VALID_PAGE, "1", 0, 0 },
	[LIST_COUNT] = { "count", VALID_COUNT, "5", 0, 0 },
	[LIST_SORT] = { "sort", VALID_SORT, "relevant", 0, 0 },
	[LIST_RATING] = { "rating", VALID_RATINGS, "1,2,3,4,5", 0, 0 },
	[LIST_PHOTOS] = { "has_photos", VALID_BOOL, NULL, 1, 0 },
	[LIST_CURSOR] = { "cursor", VALID_CURSOR, NULL, 1,
	    ROUTE_EXCLUDES(LIST_PAGE) },
};

/* The has_photos filter of a checked request. */
static uint8_t
list_photos(const struct route_ctx *ctx)
{
	if (ctx->arg[LIST_PHOTOS] == NULL)
		return PHOTOS_ANY;
	return ctx->num[LIST_PHOTOS] ? PHOTOS_WITH : PHOTOS_WITHOUT;
}

/*
 * A cursor token is good only for the list it came from: the same
 * product, sort and filters (count may change from page to page).
 */
const char *
list_check(const struct route_ctx *ctx, const char **field)
{
	const struct cursor	*c = &ctx->cursor;

	if (ctx->has_cursor != 2)
		return NULL;
	*field = "cursor";
	if (c->product != ctx->num[LIST_PRODUCT] ||
	    c->sort != ctx->num[LIST_SORT] ||
	    c->ratings != ctx->num[LIST_RATING] || c->photos != list_photos(ctx))
		return "was made for another product, sort or filter";
	return NULL;
}

/* An integer column's value. */
static int64_t
list_int(const PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

/* An integer column as a JSON number. */
static cJSON *
list_num(cJSON *o, const char *key, const PGresult *res, int row, int col)
{
	return cJSON_AddNumberToObject(o, key, (double)list_int(res, row, col));
}

/*
 * The review on row as lists show it (API.md's key order), with its
 * photos from this row and the following rows of the same review (the
 * columns of enum db_list_col; the admin queue's statements have them
 * too).  Sets *next to the first row of the next review.  Returns a new
 * object the caller attaches or frees with cJSON_Delete, or NULL when
 * memory runs out.
 */
cJSON *
list_review_json(const PGresult *res, int row, int *next)
{
	char		 date[JSON_DATE_LEN + 1];
	const char	*id = PQgetvalue(res, row, LIST_COL_ID);
	cJSON		*r, *photos, *p;
	int		 n = PQntuples(res);

	if ((r = cJSON_CreateObject()) == NULL)
		return NULL;
	json_iso_date(list_int(res, row, LIST_COL_DATE), date);
	if (list_num(r, "review_id", res, row, LIST_COL_ID) == NULL ||
	    list_num(r, "rating", res, row, LIST_COL_RATING) == NULL ||
	    cJSON_AddStringToObject(r, "summary",
	    PQgetvalue(res, row, LIST_COL_SUMMARY)) == NULL ||
	    cJSON_AddBoolToObject(r, "recommend",
	    *PQgetvalue(res, row, LIST_COL_RECOMMEND) == 't') == NULL ||
	    (PQgetisnull(res, row, LIST_COL_RESPONSE) ?
	    cJSON_AddNullToObject(r, "response") :
	    cJSON_AddStringToObject(r, "response",
	    PQgetvalue(res, row, LIST_COL_RESPONSE))) == NULL ||
	    cJSON_AddStringToObject(r, "body",
	    PQgetvalue(res, row, LIST_COL_BODY)) == NULL ||
	    cJSON_AddStringToObject(r, "date", date) == NULL ||
	    cJSON_AddStringToObject(r, "reviewer_name",
	    PQgetvalue(res, row, LIST_COL_NAME)) == NULL ||
	    list_num(r, "helpfulness", res, row, LIST_COL_HELPFULNESS) == NULL ||
	    (photos = cJSON_AddArrayToObject(r, "photos")) == NULL)
		goto fail;
	for (; row < n && strcmp(PQgetvalue(res, row, LIST_COL_ID), id) == 0; row++) {
		if (PQgetisnull(res, row, LIST_COL_PHOTO_ID))
			continue;
		if ((p = cJSON_CreateObject()) == NULL)
			goto fail;
		cJSON_AddItemToArray(photos, p);
		if (list_num(p, "id", res, row, LIST_COL_PHOTO_ID) == NULL ||
		    cJSON_AddStringToObject(p, "url",
		    PQgetvalue(res, row, LIST_COL_PHOTO_URL)) == NULL)
			goto fail;
	}
	*next = row;
	return r;
fail:
	cJSON_Delete(r);
	return NULL;
}

/*
 * Add the review on row to results.  Returns the first row of the next
 * review, or -1 when memory runs out.
 */
static int
list_review(cJSON *results, const PGresult *res, int row)
{
	cJSON	*r;
	int	 next;

	if ((r = list_review_json(res, row, &next)) == NULL)
		return -1;
	cJSON_AddItemToArray(results, r);
	return next;
}

/*
 * The cursor after a review (its id, rating, date and votes) of a list in
 * key's order.
 */
static void
list_next(const struct cache_key *key, int32_t id, int64_t rating,
    int64_t date, int64_t votes, struct cursor *c)
{
	c->sort = key->sort;
	c->ratings = key->ratings;
	c->photos = key->photos;
	c->product = key->product;
	c->id = id;
	c->b = 0;
	switch (key->sort) {
	case SORT_NEWEST:
		c->a = date;
		break;
	case SORT_HELPFUL:
		c->a = votes;
		c->b = date;
		break;
	case SORT_RELEVANT:
		c->a = date + LIST_VOTE_MS * votes;
		break;
	default:
		c->a = rating;
		c->b = date;
		break;
	}
}

/*
 * The answer's envelope for key, its results to fill: by page, or by
 * cursor (next_cursor follows the results).  Returns a tree the caller
 * frees, or NULL when memory runs out.
 */
static cJSON *
list_root(const struct cache_key *key, const char *product, cJSON **results)
{
	cJSON	*root;

	if ((root = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(root, "product", product) == NULL ||
	    (!key->cursor && cJSON_AddNumberToObject(root, "page",
	    (double)(key->page - 1)) == NULL) ||
	    cJSON_AddNumberToObject(root, "count", (double)key->count) == NULL ||
	    (*results = cJSON_AddArrayToObject(root, "results")) == NULL) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/* A cursor answer's next_cursor: the cursor after c, or null (NULL). */
static int
list_add_next(cJSON *root, const struct cursor *c)
{
	char	 token[CURSOR_LEN + 1];

	if (c == NULL)
		return cJSON_AddNullToObject(root, "next_cursor") != NULL ? 0 : -1;
	cursor_encode(c, token);
	return cJSON_AddStringToObject(root, "next_cursor", token) != NULL ?
	    0 : -1;
}

/*
 * The answer's document from the statement's rows: by page, or by cursor
 * with next_cursor (the rows hold one review more than count when there
 * is a next page).  Returns a tree the caller frees, or NULL when memory
 * runs out.
 */
static cJSON *
list_tree(const struct cache_key *key, const char *product,
    const PGresult *res)
{
	struct cursor	 next;
	cJSON		*root, *results;
	int		 row, last = -1, done = 0, n = PQntuples(res);

	if ((root = list_root(key, product, &results)) == NULL)
		return NULL;
	for (row = 0; row < n && done < key->count; done++) {
		last = row;
		if ((row = list_review(results, res, row)) < 0)
			goto fail;
	}
	if (!key->cursor)
		return root;
	if (row < n)
		list_next(key, (int32_t)list_int(res, last, LIST_COL_ID),
		    list_int(res, last, LIST_COL_RATING),
		    list_int(res, last, LIST_COL_DATE),
		    list_int(res, last, LIST_COL_HELPFULNESS), &next);
	if (list_add_next(root, row < n ? &next : NULL) < 0)
		goto fail;
	return root;
fail:
	cJSON_Delete(root);
	return NULL;
}

/*
 * The same from the product's set of reviews: its texts as they are
 * (cJSON prints a raw item verbatim), so the bytes are those list_tree
 * makes of the statement's rows.
 */
static cJSON *
list_set_tree(const struct cache_key *key, const char *product,
    const struct reviewset *s)
{
	struct reviewset_page		 page;
	const struct reviewset_item	*last;
	struct cursor			 next;
	cJSON				*root, *results, *r;
	int				 i;

	reviewset_select(s, key, &page);
	if ((root = list_root(key, product, &results)) == NULL)
		return NULL;
	for (i = 0; i < page.n; i++) {
		if ((r = cJSON_CreateRaw(reviewset_json(s, page.item[i]))) == NULL)
			goto fail;
		cJSON_AddItemToArray(results, r);
	}
	if (!key->cursor)
		return root;
	if (page.more) {
		last = page.item[page.n - 1];
		list_next(key, last->id, last->rating, last->date, last->votes,
		    &next);
	}
	if (list_add_next(root, page.more ? &next : NULL) < 0)
		goto fail;
	return root;
fail:
	cJSON_Delete(root);
	return NULL;
}

/*
 * The answer for key from the product's set of reviews, stored under
 * ticket: 1 with *ans set (a 500 when memory runs out), or 0 when the
 * product's lists are not in a set (more than REVIEWSET_MAX reviews, or
 * the cache is off) and the statement of the list must be asked.  A
 * product with no entry yet gets one: its newest REVIEWSET_MAX + 1
 * reviews in one query, the one a Part 1 list by newest runs.
 */
static int
list_from_set(const struct cache_key *key, uint64_t ticket,
    const char *product, struct answer *ans)
{
	static union {
		struct reviewset	 s;
		char			 b[REVIEWSET_BYTES];
	}			 buf;
	char			 count[16], offset[] = "0";
	const char		*params[LIST__NPARAMS] = {
		[LIST_PARAM_PRODUCT] = product,
		[LIST_PARAM_COUNT] = count,
		[LIST_PARAM_OFFSET] = offset,
	};
	const struct reviewset	*s;
	const char		*out = NULL;
	PGresult		*res;
	cJSON			*root;
	size_t			 len;
	int			 status, rc;

	if (ticket == 0)
		return 0;
	if ((s = reviewset_get(key->product, &buf)) != NULL) {
		if (s->n != REVIEWSET_BIG)
			metrics_count(METRICS_SET_HIT);
	} else {
		metrics_count(METRICS_SET_MISS);
		snprintf(count, sizeof(count), "%d", REVIEWSET_MAX + 1);
		if ((res = db_read(DB_LIST_NEWEST, params,
		    cache_lsn_needed(key->product), &status)) == NULL) {
			*ans = answer_failure(status);
			return 1;
		}
		rc = reviewset_build(res, &buf, sizeof(buf), &len);
		PQclear(res);
		if (rc < 0) {
			*ans = answer_failure(500);
			return 1;
		}
		if (rc > 0)
			len = reviewset_big(&buf);
		reviewset_put(key->product, ticket, &buf, len);
		s = &buf.s;
	}
	if (s->n == REVIEWSET_BIG)
		return 0;
	if ((root = list_set_tree(key, product, s)) != NULL &&
	    (out = json_render(root, &len)) != NULL)
		*ans = readcache_put(key, ticket, out, len);
	cJSON_Delete(root);
	if (out == NULL)
		*ans = answer_failure(500);
	return 1;
}

/*
 * The statement for key: Part 1's own for a Part 1 request, else the
 * filtered one of its sort, after a position for a cursor's next page.
 */
static enum db_stmt
list_stmt(const struct cache_key *key)
{
	static const enum db_stmt plain[] = {
		[SORT_NEWEST] = DB_LIST_NEWEST,
		[SORT_HELPFUL] = DB_LIST_HELPFUL,
		[SORT_RELEVANT] = DB_LIST_RELEVANT,
	};

	if (key->cursor && key->id != 0)
		return DB_AFTER_NEWEST + key->sort;
	if (key->cursor || key->sort > SORT_RELEVANT ||
	    key->ratings != VALID_RATINGS_ALL || key->photos != PHOTOS_ANY)
		return DB_FILTERED_NEWEST + key->sort;
	return plain[key->sort];
}

/*
 * GET /reviews: a page of a product's non-reported reviews with their
 * photos, in one query; by page= (Part 1) or by cursor= (Part 2), filtered
 * by rating and has_photos.
 */
struct answer
list_get(struct route_ctx *ctx)
{
	struct cache_key key = {
		.kind = CACHE_LIST,
		.sort = (uint8_t)ctx->num[LIST_SORT],
		.ratings = (uint8_t)ctx->num[LIST_RATING],
		.photos = list_photos(ctx),
		.cursor = ctx->has_cursor != 0,
		.product = (int32_t)ctx->num[LIST_PRODUCT],
		.page = ctx->has_cursor ? 0 : (int32_t)ctx->num[LIST_PAGE],
		.count = (int32_t)ctx->num[LIST_COUNT],
	};
	char		 product[16], count[16], offset[24], ratings[4], photos[4];
	char		 id[16], a[24], b[24];
	const char	*params[LIST__NPARAMS] = {
		[LIST_PARAM_PRODUCT] = product,
		[LIST_PARAM_COUNT] = count,
		[LIST_PARAM_OFFSET] = offset,
		[LIST_PARAM_RATINGS] = ratings,
		[LIST_PARAM_PHOTOS] = photos,
		[LIST_PARAM_ID] = id,
		[LIST_PARAM_A] = a,
		[LIST_PARAM_B] = b,
	};
	const char	*out = NULL;
	PGresult	*res;
	cJSON		*root;
	struct answer	 ans;
	uint64_t	 ticket;
	size_t		 len;
	int		 status;

	if (ctx->has_cursor == 2) {
		key.id = ctx->cursor.id;
		key.a = ctx->cursor.a;
		key.b = ctx->cursor.b;
	}
	if (readcache_get(&key, &ans, &ticket))
		return ans;
	snprintf(product, sizeof(product), "%" PRId32, key.product);
	if (list_from_set(&key, ticket, product, &ans))
		return ans;
	/* By cursor: one review more says whether there is a next page. */
	snprintf(count, sizeof(count), "%" PRId32, key.count + key.cursor);
	snprintf(offset, sizeof(offset), "%" PRId64,
	    key.cursor ? 0 : (int64_t)(key.page - 1) * key.count);
	snprintf(ratings, sizeof(ratings), "%u", key.ratings);
	snprintf(photos, sizeof(photos), "%u", key.photos);
	snprintf(id, sizeof(id), "%" PRId32, key.id);
	snprintf(a, sizeof(a), "%" PRId64, key.a);
	snprintf(b, sizeof(b), "%" PRId64, key.b);
	if ((res = db_read(list_stmt(&key), params,
	    cache_lsn_needed(key.product), &status)) == NULL)
		return answer_failure(status);
	if ((root = list_tree(&key, product, res)) != NULL &&
	    (out = json_render(root, &len)) != NULL)
		ans = readcache_put(&key, ticket, out, len);
	cJSON_Delete(root);
	PQclear(res);
	return out != NULL ? ans : answer_failure(500);
}
