#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "http.h"
#include "readcache.h"
#include "json.h"
#include "reviewer.h"
#include "router.h"
#include "items.h"

static int64_t
reviewer_int(const PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static cJSON *
reviewer_num(cJSON *o, const char *key, const PGresult *res, int row, int col)
{
	return cJSON_AddNumberToObject(o, key, (double)reviewer_int(res, row,
	    col));
}

static cJSON *
reviewer_str(cJSON *o, const char *key, const PGresult *res, int row, int col)
{
	return cJSON_AddStringToObject(o, key, PQgetvalue(res, row, col));
}

/*
 * One photo (kind 1) or characteristic rating (kind 2) of DB_EXPORT's
 * row into its array; a row with no item adds nothing.  Returns 0, or -1
 * when memory runs out.
 */
static int
reviewer_part(cJSON *photos, cJSON *chars, const PGresult *res, int row)
{
	cJSON	*o;

	if (PQgetisnull(res, row, EXPORT_COL_KIND))
		return 0;
	if ((o = cJSON_CreateObject()) == NULL)
		return -1;
	if (reviewer_int(res, row, EXPORT_COL_KIND) == 1) {
		cJSON_AddItemToArray(photos, o);
		if (reviewer_num(o, "id", res, row, EXPORT_COL_ITEM_ID) == NULL ||
		    reviewer_str(o, "url", res, row, EXPORT_COL_ITEM_TEXT) == NULL)
			return -1;
		return 0;
	}
	cJSON_AddItemToArray(chars, o);
	if (reviewer_num(o, "id", res, row, EXPORT_COL_ITEM_ID) == NULL ||
	    reviewer_str(o, "name", res, row, EXPORT_COL_ITEM_TEXT) == NULL ||
	    reviewer_num(o, "value", res, row, EXPORT_COL_ITEM_VALUE) == NULL)
		return -1;
	return 0;
}

/*
 * The export of the review on row of DB_EXPORT, with its photos and
 * characteristic ratings from this row and the next ones of the same
 * review; *next is the next review's first row.  The keys: the review's
 * id, product and status first (what a person asking for their data wants
 * to tell apart), then a list's fields with the e-mail beside the name it
 * was written with, then photos and characteristics (id, name, the value
 * given) in id order.  A list's object has another order (API.md's), so
 * this one is built here.  Returns a new object, or NULL when memory runs
 * out.
 */
static cJSON *
reviewer_item(const PGresult *res, int row, int *next)
{
	char		 date[JSON_DATE_LEN + 1];
	const char	*id = PQgetvalue(res, row, EXPORT_COL_ID);
	cJSON		*r, *photos, *chars;
	int		 n = PQntuples(res);

	if ((r = cJSON_CreateObject()) == NULL)
		return NULL;
	json_iso_date(reviewer_int(res, row, EXPORT_COL_DATE), date);
	if (reviewer_num(r, "review_id", res, row, EXPORT_COL_ID) == NULL ||
	    reviewer_str(r, "product_id", res, row, EXPORT_COL_PRODUCT) == NULL ||
	    reviewer_str(r, "status", res, row, EXPORT_COL_STATUS) == NULL ||
	    reviewer_num(r, "rating", res, row, EXPORT_COL_RATING) == NULL ||
	    reviewer_str(r, "summary", res, row, EXPORT_COL_SUMMARY) == NULL ||
	    cJSON_AddBoolToObject(r, "recommend",
	    *PQgetvalue(res, row, EXPORT_COL_RECOMMEND) == 't') == NULL ||
	    (PQgetisnull(res, row, EXPORT_COL_RESPONSE) ?
	    cJSON_AddNullToObject(r, "response") :
	    reviewer_str(r, "response", res, row, EXPORT_COL_RESPONSE)) == NULL ||
	    reviewer_str(r, "body", res, row, EXPORT_COL_BODY) == NULL ||
	    cJSON_AddStringToObject(r, "date", date) == NULL ||
	    reviewer_str(r, "reviewer_name", res, row, EXPORT_COL_NAME) == NULL ||
	    reviewer_str(r, "reviewer_email", res, row, EXPORT_COL_EMAIL) == NULL ||
	    reviewer_num(r, "helpfulness", res, row,
	    EXPORT_COL_HELPFULNESS) == NULL ||
	    (photos = cJSON_AddArrayToObject(r, "photos")) == NULL ||
	    (chars = cJSON_AddArrayToObject(r, "characteristics")) == NULL)
		goto fail;
	for (; row < n && strcmp(PQgetvalue(res, row, EXPORT_COL_ID), id) == 0;
	    row++)
		if (reviewer_part(photos, chars, res, row) < 0)
			goto fail;
	*next = row;
	return r;
fail:
	cJSON_Delete(r);
	return NULL;
}

/*
 * POST /admin/reviewers/export {"email": E}: every review written with E
 * (compared case-insensitively), any status, by review id, in one round
 * trip: {"email":E,"results":[...]}, E as the request gave it.  The
 * statement logs the export (the number of reviews, never the address).
 */
struct answer
reviewer_export(struct route_ctx *ctx)
{
	const char	*params[REVIEWER__NPARAMS] = {
		[REVIEWER_PARAM_EMAIL] = ctx->email,
		[REVIEWER_PARAM_TOKEN] = ctx->admin,
	};
	const char	*out = NULL;
	PGresult	*res;
	cJSON		*root, *results;
	size_t		 len = 0;
	int		 status;

	if ((res = db_run(DB_EXPORT, params, &status)) == NULL)
		return answer_failure(status);
	if ((root = cJSON_CreateObject()) != NULL &&
	    cJSON_AddStringToObject(root, "email", ctx->email) != NULL &&
	    (results = cJSON_AddArrayToObject(root, "results")) != NULL &&
	    items_array(results, res, reviewer_item) == 0)
		out = json_render(root, &len);
	cJSON_Delete(root);
	PQclear(res);
	return out != NULL ? answer_json(200, out, len) : answer_failure(500);
}

/*
 * POST /admin/reviewers/erase {"email": E}: every review written with E
 * deleted with everything that hangs off it, the aggregates corrected and
 * the erasure logged, in one statement; then every product it touched
 * drops its cached answers here (the statement notified the other app
 * servers).  {"deleted":N}, 0 when there was none.
 */
struct answer
reviewer_erase(struct route_ctx *ctx)
{
	static char	 reply[48];
	const char	*params[REVIEWER__NPARAMS] = {
		[REVIEWER_PARAM_EMAIL] = ctx->email,
		[REVIEWER_PARAM_TOKEN] = ctx->admin,
	};
	PGresult	*res;
	int32_t		*products;
	size_t		 len;
	int		 status, row, rows, n, rc;

	if ((res = db_run(DB_ERASE, params, &status)) == NULL)
		return answer_failure(status);
	if ((rows = PQntuples(res)) < 1) {
		PQclear(res);
		return answer_failure(500);
	}
	if ((products = calloc((size_t)rows, sizeof(*products))) == NULL) {
		PQclear(res);
		return answer_failure(500);
	}
	for (row = 0, n = 0; row < rows; row++)
		if (!PQgetisnull(res, row, ERASE_COL_PRODUCT))
			products[n++] = (int32_t)reviewer_int(res, row,
			    ERASE_COL_PRODUCT);
	len = (size_t)snprintf(reply, sizeof(reply), "{\"deleted\":%s}",
	    PQgetvalue(res, 0, ERASE_COL_DELETED));
	PQclear(res);
	rc = readcache_wrote(products, n);
	free(products);
	return rc < 0 ? answer_failure(503) : answer_json(200, reply, len);
}
