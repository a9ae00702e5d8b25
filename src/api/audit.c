#include <stdlib.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "json.h"
#include "router.h"
#include "items.h"

const struct route_param audit_params[AUDIT__NARGS] = {
	[AUDIT_PAGE] = { "page", VALID_PAGE, "1", 0, 0 },
	[AUDIT_COUNT] = { "count", VALID_ADMIN_COUNT, "20", 0, 0 },
};

/* The audit line on row.  Returns a new object, or NULL when memory
 * runs out. */
static cJSON *
audit_item(const PGresult *res, int row, int *next)
{
	char	 date[JSON_DATE_LEN + 1];
	cJSON	*e;

	*next = row + 1;
	if ((e = cJSON_CreateObject()) == NULL)
		return NULL;
	json_iso_date(strtoll(PQgetvalue(res, row, AUDIT_COL_AT), NULL, 10),
	    date);
	if (cJSON_AddStringToObject(e, "at", date) == NULL ||
	    cJSON_AddStringToObject(e, "token",
	    PQgetvalue(res, row, AUDIT_COL_TOKEN)) == NULL ||
	    cJSON_AddStringToObject(e, "action",
	    PQgetvalue(res, row, AUDIT_COL_ACTION)) == NULL ||
	    cJSON_AddStringToObject(e, "target",
	    PQgetvalue(res, row, AUDIT_COL_TARGET)) == NULL) {
		cJSON_Delete(e);
		return NULL;
	}
	return e;
}

/*
 * GET /admin/audit?page=&count=: one page of the audit log, newest first:
 * when, which token (its name), what, on what.
 */
struct answer
audit_get(struct route_ctx *ctx)
{
	return items_page(DB_AUDIT, ctx->num[AUDIT_PAGE],
	    ctx->num[AUDIT_COUNT], audit_item);
}
