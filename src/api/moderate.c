#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "http.h"
#include "readcache.h"
#include "moderate.h"
#include "router.h"

/*
 * How often a moderation statement runs before giving up: it runs again
 * only when a write of the same review committed between its snapshot and
 * its lock (sql.c, MOD_LOCK), and each run waits for that write, so a
 * second run is all it takes unless others keep arriving in that window.
 */
#define MODERATE_RUNS	8

/*
 * Run a moderation statement (DB_REPORT, DB_RESTORE, DB_REMOVE,
 * DB_RESPONSE: columns enum db_mod_col) with its parameters: 204, after
 * dropping the product's cached answers when a public one changed (the
 * statement notified the other app servers), or 404 when there is no such
 * review.  A write that changed nothing is a 204 too (API.md).  Run again
 * while the statement asks to; 503 (retry shortly) if it still does.
 */
struct answer
moderate_run(enum db_stmt stmt, const char *const *params)
{
	PGresult	*res;
	int64_t		 product;
	int32_t		 pid;
	int		 status, shown, again, run;

	for (run = 0; run < MODERATE_RUNS; run++) {
		if ((res = db_run(stmt, params, &status)) == NULL)
			return answer_failure(status);
		if (PQntuples(res) != 1) {
			PQclear(res);
			return answer_error(404, "review_id",
			    "does not name an existing review");
		}
		product = strtoll(PQgetvalue(res, 0, MOD_COL_PRODUCT), NULL, 10);
		shown = *PQgetvalue(res, 0, MOD_COL_SHOWN) == 't';
		again = *PQgetvalue(res, 0, MOD_COL_AGAIN) == 't';
		PQclear(res);
		if (again)
			continue;
		pid = (int32_t)product;
		if (shown && readcache_wrote(&pid, 1) < 0)
			return answer_failure(503);
		return answer_status(204);
	}
	return answer_failure(503);
}

/*
 * An admin write of the review ctx->id, logged under the token's name
 * (ctx->admin); text is DB_RESPONSE's third parameter.
 */
static struct answer
moderate_admin(struct route_ctx *ctx, enum db_stmt stmt, const char *text)
{
	char		 id[16];
	const char	*params[MOD__NPARAMS] = {
		[MOD_PARAM_REVIEW] = id,
		[MOD_PARAM_TOKEN] = ctx->admin,
		[MOD_PARAM_RESPONSE] = text,
	};

	snprintf(id, sizeof(id), "%" PRId64, ctx->id);
	return moderate_run(stmt, params);
}

/* PUT /admin/reviews/{id}/restore: published again, into every aggregate. */
struct answer
moderate_restore(struct route_ctx *ctx)
{
	return moderate_admin(ctx, DB_RESTORE, NULL);
}

/* PUT /admin/reviews/{id}/remove: hidden for good. */
struct answer
moderate_remove(struct route_ctx *ctx)
{
	return moderate_admin(ctx, DB_REMOVE, NULL);
}

/* PUT /admin/reviews/{id}/response: set or clear the merchant's response. */
struct answer
moderate_response(struct route_ctx *ctx)
{
	return moderate_admin(ctx, DB_RESPONSE, ctx->mod.response);
}
