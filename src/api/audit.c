#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "db.h"
#include "http.h"
#include "json.h"
#include "router.h"

const struct route_param audit_params[AUDIT__NARGS] = {
	[AUDIT_PAGE] = { "page", VALID_PAGE, "1", 0, 0 },
	[AUDIT_COUNT] = { "count", VALID_ADMIN_COUNT, "20", 0, 0 },
};

/*
 * GET /admin/audit?page=&count=: one page of the audit log, newest first:
 * when, which token (its name), what, on what.
 */
struct answer
audit_get(struct route_ctx *ctx)
{
	char		 count[16], offset[24], date[JSON_DATE_LEN + 1];
	const char	*params[PAGE__NPARAMS] = {
		[PAGE_PARAM_COUNT] = count,
		[PAGE_PARAM_OFFSET] = offset,
	};
	const char	*out = NULL;
	int64_t		 page = ctx->num[AUDIT_PAGE], n = ctx->num[AUDIT_COUNT];
	PGresult	*res;
	cJSON		*root, *results, *e;
	size_t		 len = 0;
	int		 status, row, rows;

	snprintf(count, sizeof(count), "%" PRId64, n);
	snprintf(offset, sizeof(offset), "%" PRId64, (page - 1) * n);
	if ((res = db_run(DB_AUDIT, params, &status)) == NULL)
		return answer_failure(status);
	rows = PQntuples(res);
	if ((root = cJSON_CreateObject()) == NULL ||
	    cJSON_AddNumberToObject(root, "page", (double)(page - 1)) == NULL ||
	    cJSON_AddNumberToObject(root, "count", (double)n) == NULL ||
	    (results = cJSON_AddArrayToObject(root, "results")) == NULL)
		goto out;
	for (row = 0; row < rows; row++) {
		if ((e = cJSON_CreateObject()) == NULL)
			goto out;
		cJSON_AddItemToArray(results, e);
		json_iso_date(strtoll(PQgetvalue(res, row, AUDIT_COL_AT), NULL,
		    10), date);
		if (cJSON_AddStringToObject(e, "at", date) == NULL ||
		    cJSON_AddStringToObject(e, "token",
		    PQgetvalue(res, row, AUDIT_COL_TOKEN)) == NULL ||
		    cJSON_AddStringToObject(e, "action",
		    PQgetvalue(res, row, AUDIT_COL_ACTION)) == NULL ||
		    cJSON_AddStringToObject(e, "target",
		    PQgetvalue(res, row, AUDIT_COL_TARGET)) == NULL)
			goto out;
	}
	out = json_render(root, &len);
out:
	cJSON_Delete(root);
	PQclear(res);
	return out != NULL ? answer_json(200, out, len) : answer_failure(500);
}
