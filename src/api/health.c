#include "db.h"
#include "health.h"

/*
 * GET /healthz: 200 when this worker can answer reads (from a standby or
 * the primary), else 503.
 */
struct answer
health_get(struct route_ctx *ctx)
{
	static const char	 ok[] = "{\"status\":\"ok\"}";
	PGresult		*res;
	int			 status;

	(void)ctx;
	if ((res = db_read(DB_PING, NULL, 0, &status)) == NULL)
		return answer_failure(503);
	PQclear(res);
	return answer_json(200, ok, sizeof(ok) - 1);
}
