#include "db.h"
#include "health.h"

/* GET /healthz: 200 when this worker can reach the database, else 503. */
struct answer
health_get(struct route_ctx *ctx)
{
	static const char	 ok[] = "{\"status\":\"ok\"}";
	PGresult		*res;
	int			 status;

	(void)ctx;
	if ((res = db_run(DB_PING, NULL, &status)) == NULL)
		return answer_failure(503);
	PQclear(res);
	return answer_json(200, ok, sizeof(ok) - 1);
}
