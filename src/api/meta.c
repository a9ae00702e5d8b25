#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "cache.h"
#include "db.h"
#include "json.h"
#include "meta.h"
#include "readcache.h"
#include "router.h"

/* A count column as its decimal string; "0" when the product has none. */
static const char *
meta_count(const PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? "0" : PQgetvalue(res, 0, col);
}

/*
 * Build the meta document from DB_META's rows.  Returns a tree the caller
 * frees with cJSON_Delete, or NULL when memory runs out.
 */
static cJSON *
meta_tree(const PGresult *res, const char *product)
{
	static const char *const stars[] = { "1", "2", "3", "4", "5" };
	char		 mean[JSON_MEAN_MAX];
	cJSON		*root, *o, *chars, *c;
	int		 i, n = PQntuples(res);
	int64_t		 sum, count;

	if ((root = cJSON_CreateObject()) == NULL)
		return NULL;
	if (cJSON_AddStringToObject(root, "product_id", product) == NULL ||
	    (o = cJSON_AddObjectToObject(root, "ratings")) == NULL)
		goto fail;
	for (i = 0; i < 5; i++)
		if (cJSON_AddStringToObject(o, stars[i],
		    meta_count(res, META_COL_RATING_1 + i)) == NULL)
			goto fail;
	if ((o = cJSON_AddObjectToObject(root, "recommended")) == NULL ||
	    cJSON_AddStringToObject(o, "false",
	    meta_count(res, META_COL_REC_FALSE)) == NULL ||
	    cJSON_AddStringToObject(o, "true",
	    meta_count(res, META_COL_REC_TRUE)) == NULL ||
	    (chars = cJSON_AddObjectToObject(root, "characteristics")) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
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
	return root;
fail:
	cJSON_Delete(root);
	return NULL;
}

const struct route_param meta_params[META__NARGS] = {
	[META_PRODUCT] = { "product_id", VALID_PRODUCT_ID, NULL },
};

/* GET /reviews/meta?product_id=N: two maintained aggregates, one query. */
struct answer
meta_get(struct route_ctx *ctx)
{
	struct cache_key key = { CACHE_META, 0, 0,
	    (int32_t)ctx->num[META_PRODUCT], 0, 0 };
	char		 product[16];
	const char	*params[1] = { product }, *out;
	PGresult	*res;
	cJSON		*tree;
	struct answer	 a;
	uint64_t	 ticket;
	size_t		 len;
	int		 status;

	if (readcache_get(&key, &a, &ticket))
		return a;
	snprintf(product, sizeof(product), "%" PRId64, ctx->num[META_PRODUCT]);
	if ((res = db_run(DB_META, params, &status)) == NULL)
		return answer_failure(status);
	tree = meta_tree(res, product);
	PQclear(res);
	out = tree != NULL ? json_render(tree, &len) : NULL;
	cJSON_Delete(tree);
	if (out == NULL)
		return answer_failure(500);
	return readcache_put(&key, ticket, out, len);
}
