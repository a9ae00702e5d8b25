#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cache.h"
#include "db.h"
#include "hash.h"
#include "json.h"
#include "meta.h"
#include "pgenc.h"
#include "readcache.h"
#include "router.h"

const struct route_param meta_params[META__NARGS] = {
	[META_PRODUCT] = { "product_id", VALID_PRODUCT_ID, NULL, 0, 0 },
	[META_STATS] = { "stats", VALID_BOOL, "false", 0, 0 },
	[META_PRODUCTS] = { "product_ids", VALID_PRODUCT_IDS, NULL, 1,
	    ROUTE_EXCLUDES(META_PRODUCT) },
};

/* A count column of row as its decimal string; "0" when there is none. */
static const char *
meta_count(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? "0" : PQgetvalue(res, row, col);
}

/*
 * stats=true: the review count, mean rating and with-photos count, from
 * the histogram and the with-photos aggregate.
 */
static int
meta_stats(cJSON *root, const PGresult *res, int row)
{
	char		 num[24], mean[JSON_MEAN_MAX];
	cJSON		*o;
	int64_t		 n = 0, sum = 0, k;
	int		 i;

	for (i = 0; i < 5; i++) {
		k = strtoll(meta_count(res, row, META_COL_RATING_1 + i), NULL, 10);
		n += k;
		sum += k * (i + 1);
	}
	snprintf(num, sizeof(num), "%" PRId64, n);
	if ((o = cJSON_AddObjectToObject(root, "stats")) == NULL ||
	    cJSON_AddStringToObject(o, "reviews", num) == NULL ||
	    (json_mean(sum, n, mean) ?
	    cJSON_AddStringToObject(o, "average", mean) :
	    cJSON_AddNullToObject(o, "average")) == NULL ||
	    cJSON_AddStringToObject(o, "with_photos",
	    meta_count(res, row, META_COL_WITH_PHOTOS)) == NULL)
		return -1;
	return 0;
}

/*
 * Build one product's meta document from rows first..end-1 of DB_META or
 * DB_META_MANY (one per characteristic, at least one).  Returns a tree
 * the caller frees with cJSON_Delete, or NULL when memory runs out.
 */
static cJSON *
meta_tree(const PGresult *res, int first, int end, const char *product,
    int stats)
{
	static const char *const stars[] = { "1", "2", "3", "4", "5" };
	char		 mean[JSON_MEAN_MAX];
	cJSON		*root, *o, *chars, *c;
	int		 i;
	int64_t		 sum, count;

	if ((root = cJSON_CreateObject()) == NULL)
		return NULL;
	if (cJSON_AddStringToObject(root, "product_id", product) == NULL ||
	    (o = cJSON_AddObjectToObject(root, "ratings")) == NULL)
		goto fail;
	for (i = 0; i < 5; i++)
		if (cJSON_AddStringToObject(o, stars[i],
		    meta_count(res, first, META_COL_RATING_1 + i)) == NULL)
			goto fail;
	if ((o = cJSON_AddObjectToObject(root, "recommended")) == NULL ||
	    cJSON_AddStringToObject(o, "false",
	    meta_count(res, first, META_COL_REC_FALSE)) == NULL ||
	    cJSON_AddStringToObject(o, "true",
	    meta_count(res, first, META_COL_REC_TRUE)) == NULL ||
	    (chars = cJSON_AddObjectToObject(root, "characteristics")) == NULL)
		goto fail;
	for (i = first; i < end; i++) {
		if (PQgetisnull(res, i, META_COL_CHAR_ID))
			continue;
		if ((c = cJSON_AddObjectToObject(chars,
		    PQgetvalue(res, i, META_COL_CHAR_NAME))) == NULL ||
		    cJSON_AddNumberToObject(c, "id",
		    strtod(PQgetvalue(res, i, META_COL_CHAR_ID), NULL)) == NULL)
			goto fail;
		sum = strtoll(PQgetvalue(res, i, META_COL_CHAR_SUM), NULL, 10);
		count = strtoll(PQgetvalue(res, i, META_COL_CHAR_COUNT), NULL, 10);
		if (json_mean(sum, count, mean)) {
			if (cJSON_AddStringToObject(c, "value", mean) == NULL)
				goto fail;
		} else if (cJSON_AddNullToObject(c, "value") == NULL)
			goto fail;
	}
	if (stats && meta_stats(root, res, first) < 0)
		goto fail;
	return root;
fail:
	cJSON_Delete(root);
	return NULL;
}

/*
 * Render rows first..end-1 as key's answer, with its ETag, and store it in
 * the cache under ticket; NULL when memory runs out.
 */
static const char *
meta_render(const PGresult *res, int first, int end,
    const struct cache_key *key, uint64_t ticket, size_t *len, uint64_t *etag)
{
	char		 product[16];
	const char	*out;
	cJSON		*tree;

	snprintf(product, sizeof(product), "%" PRId32, key->product);
	if ((tree = meta_tree(res, first, end, product, key->stats)) == NULL)
		return NULL;
	out = json_render(tree, len);
	cJSON_Delete(tree);
	if (out != NULL) {
		*etag = hash_bytes(out, *len);
		cache_put(key, ticket, out, *len, *etag);
	}
	return out;
}

/* GET /reviews/meta?product_id=N: two maintained aggregates, one query. */
static struct answer
meta_one(struct route_ctx *ctx)
{
	struct cache_key key = {
		.kind = CACHE_META,
		.stats = (uint8_t)ctx->num[META_STATS],
		.product = (int32_t)ctx->num[META_PRODUCT],
	};
	char		 product[16];
	const char	*params[1] = { product }, *out;
	PGresult	*res;
	struct answer	 a;
	uint64_t	 ticket, etag;
	size_t		 len;
	int		 status;

	if (readcache_get(&key, &a, &ticket))
		return a;
	snprintf(product, sizeof(product), "%" PRId32, key.product);
	if ((res = db_read(DB_META, params, cache_lsn_needed(key.product),
	    &status)) == NULL)
		return answer_failure(status);
	out = meta_render(res, 0, PQntuples(res), &key, ticket, &len, &etag);
	PQclear(res);
	return out != NULL ? answer_tagged(out, len, etag) : answer_failure(500);
}

/* A growing byte buffer of the worker's, kept between requests. */
struct meta_buf {
	char	*p;
	size_t	 len, cap;
};

static int
meta_append(struct meta_buf *b, const char *s, size_t len)
{
	char	*p;
	size_t	 cap;

	if (b->len + len > b->cap) {
		for (cap = b->cap ? b->cap : 16384; cap < b->len + len; cap *= 2)
			;
		if ((p = realloc(b->p, cap)) == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, len);
	b->len += len;
	return 0;
}

/*
 * GET /reviews/meta?product_ids=1,2,3: {"results":[...]}, each element the
 * answer product_id= gives.  Each is taken from the cache when it holds
 * it; the others come from one statement for all of them, and are cached
 * one by one.
 */
static struct answer
meta_many(struct route_ctx *ctx)
{
	static struct meta_buf	 parts, whole;
	static size_t		 off[VALID_IDS_MAX], len[VALID_IDS_MAX];
	char			 ids[PGENC_INT_ARRAY_CAP(VALID_IDS_MAX)];
	const char		*params[1] = { ids }, *out;
	struct cache_key	 key[VALID_IDS_MAX];
	uint64_t		 ticket[VALID_IDS_MAX], etag, need;
	int64_t			 missing[VALID_IDS_MAX];
	size_t			 want[VALID_IDS_MAX], i, m = 0, n;
	struct answer		 a;
	PGresult		*res;
	int			 status, row, end, rows;

	parts.len = whole.len = 0;
	for (i = 0; i < ctx->nids; i++) {
		key[i] = (struct cache_key){ .kind = CACHE_META,
		    .stats = (uint8_t)ctx->num[META_STATS],
		    .product = ctx->ids[i] };
		if (readcache_get(&key[i], &a, &ticket[i])) {
			off[i] = parts.len;
			len[i] = a.len;
			if (meta_append(&parts, a.body, a.len) < 0)
				return answer_failure(500);
		} else {
			want[m] = i;
			missing[m++] = ctx->ids[i];
		}
	}
	if (m > 0) {
		if (pgenc_int_array(ids, sizeof(ids), missing, m) < 0)
			return answer_failure(500);
		for (need = 0, n = 0; n < m; n++)
			if (cache_lsn_needed((int32_t)missing[n]) > need)
				need = cache_lsn_needed((int32_t)missing[n]);
		if ((res = db_read(DB_META_MANY, params, need, &status)) == NULL)
			return answer_failure(status);
		rows = PQntuples(res);
		for (row = 0, n = 0; row < rows && n < m; row = end, n++) {
			for (end = row + 1; end < rows &&
			    strcmp(PQgetvalue(res, end, META_COL_PLACE),
			    PQgetvalue(res, row, META_COL_PLACE)) == 0; end++)
				;
			i = want[n];
			off[i] = parts.len;
			if ((out = meta_render(res, row, end, &key[i], ticket[i],
			    &len[i], &etag)) == NULL ||
			    meta_append(&parts, out, len[i]) < 0) {
				PQclear(res);
				return answer_failure(500);
			}
		}
		PQclear(res);
		if (n != m)
			return answer_failure(500);
	}
	if (meta_append(&whole, "{\"results\":[", 12) < 0)
		return answer_failure(500);
	for (i = 0; i < ctx->nids; i++)
		if ((i > 0 && meta_append(&whole, ",", 1) < 0) ||
		    meta_append(&whole, parts.p + off[i], len[i]) < 0)
			return answer_failure(500);
	if (meta_append(&whole, "]}", 2) < 0)
		return answer_failure(500);
	return answer_tagged(whole.p, whole.len, hash_bytes(whole.p, whole.len));
}

/* GET /reviews/meta: one product, or many at once. */
struct answer
meta_get(struct route_ctx *ctx)
{
	return ctx->nids > 0 ? meta_many(ctx) : meta_one(ctx);
}
