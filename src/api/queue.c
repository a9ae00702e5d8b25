#include <stdlib.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "list.h"
#include "modbody.h"
#include "queue.h"
#include "router.h"
#include "items.h"

const struct route_param queue_params[QUEUE__NARGS] = {
	[QUEUE_STATUS] = { "status", VALID_QUEUE_STATUS, "open", 0, 0 },
	[QUEUE_PAGE] = { "page", VALID_PAGE, "1", 0, 0 },
	[QUEUE_COUNT] = { "count", VALID_ADMIN_COUNT, "20", 0, 0 },
};

_Static_assert(MODBODY_NREASONS == QUEUE_COL_FIRST - QUEUE_COL_REASONS,
    "one column per reason");

static int64_t
queue_int(const PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

/* A time column (ms since the epoch) as an ISO date, or null. */
static cJSON *
queue_date(cJSON *o, const char *key, const PGresult *res, int row, int col)
{
	char	 date[JSON_DATE_LEN + 1];

	if (PQgetisnull(res, row, col))
		return cJSON_AddNullToObject(o, key);
	json_iso_date(queue_int(res, row, col), date);
	return cJSON_AddStringToObject(o, key, date);
}

/*
 * The queue entry of the review on row: its place in the queue, then the
 * review as a list shows it with "reviewer_email" last (the moderator may
 * need to write to the reviewer).  Sets *next to the next review's first
 * row.  Returns a new object (the caller attaches or frees it), or NULL
 * when memory runs out.
 */
static cJSON *
queue_item(const PGresult *res, int row, int *next)
{
	cJSON	*item, *reasons, *review;
	int64_t	 k;
	size_t	 i;

	if ((item = cJSON_CreateObject()) == NULL)
		return NULL;
	if (cJSON_AddNumberToObject(item, "review_id",
	    (double)queue_int(res, row, LIST_COL_ID)) == NULL ||
	    cJSON_AddStringToObject(item, "product_id",
	    PQgetvalue(res, row, QUEUE_COL_PRODUCT)) == NULL ||
	    cJSON_AddStringToObject(item, "status",
	    PQgetvalue(res, row, QUEUE_COL_STATUS)) == NULL ||
	    cJSON_AddNumberToObject(item, "reports",
	    (double)queue_int(res, row, QUEUE_COL_REPORTS)) == NULL ||
	    (reasons = cJSON_AddObjectToObject(item, "reasons")) == NULL)
		goto fail;
	/* Only the reasons given, so a moderator reads the tally at once. */
	for (i = 0; i < MODBODY_NREASONS; i++)
		if ((k = queue_int(res, row, QUEUE_COL_REASONS + (int)i)) > 0 &&
		    cJSON_AddNumberToObject(reasons, modbody_reasons[i],
		    (double)k) == NULL)
			goto fail;
	if (queue_date(item, "first_reported", res, row, QUEUE_COL_FIRST) == NULL ||
	    queue_date(item, "last_reported", res, row, QUEUE_COL_LAST) == NULL)
		goto fail;
	if ((review = list_review_json(res, row, next)) == NULL)
		goto fail;
	cJSON_AddItemToObject(item, "review", review);
	if (cJSON_AddStringToObject(review, "reviewer_email",
	    PQgetvalue(res, row, QUEUE_COL_EMAIL)) == NULL)
		goto fail;
	return item;
fail:
	cJSON_Delete(item);
	return NULL;
}

/*
 * GET /admin/reports?status=open|closed&page=&count=: one page of the
 * queue in one round trip, oldest first report first (then review id).
 * Never cached: moderators act on what it says.
 */
struct answer
queue_get(struct route_ctx *ctx)
{
	return items_page(ctx->num[QUEUE_STATUS] == 0 ? DB_QUEUE_OPEN :
	    DB_QUEUE_CLOSED, ctx->num[QUEUE_PAGE], ctx->num[QUEUE_COUNT],
	    queue_item);
}
