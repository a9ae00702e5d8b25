#include <inttypes.h>
#include <stdio.h>

#include "json.h"
#include "items.h"

/* Every item of res added to array.  Returns 0, or -1 when memory runs
 * out. */
int
items_array(cJSON *array, const PGresult *res, items_fn item)
{
	cJSON	*o;
	int	 row, rows = PQntuples(res);

	for (row = 0; row < rows; ) {
		if ((o = item(res, row, &row)) == NULL)
			return -1;
		cJSON_AddItemToArray(array, o);
	}
	return 0;
}

/*
 * Page page (from 1) of count items of stmt, which takes PAGE_PARAM_*:
 * {"page": page - 1, "count": count, "results": [...]}, as Part 1's lists
 * number their pages.
 */
struct answer
items_page(enum db_stmt stmt, int64_t page, int64_t count, items_fn item)
{
	char		 n[24], offset[24];
	const char	*params[PAGE__NPARAMS] = {
		[PAGE_PARAM_COUNT] = n,
		[PAGE_PARAM_OFFSET] = offset,
	};
	const char	*out = NULL;
	PGresult	*res;
	cJSON		*root, *results;
	size_t		 len = 0;
	int		 status;

	snprintf(n, sizeof(n), "%" PRId64, count);
	snprintf(offset, sizeof(offset), "%" PRId64, (page - 1) * count);
	if ((res = db_run(stmt, params, &status)) == NULL)
		return answer_failure(status);
	if ((root = cJSON_CreateObject()) != NULL &&
	    cJSON_AddNumberToObject(root, "page", (double)(page - 1)) != NULL &&
	    cJSON_AddNumberToObject(root, "count", (double)count) != NULL &&
	    (results = cJSON_AddArrayToObject(root, "results")) != NULL &&
	    items_array(results, res, item) == 0)
		out = json_render(root, &len);
	cJSON_Delete(root);
	PQclear(res);
	return out != NULL ? answer_json(200, out, len) : answer_failure(500);
}
