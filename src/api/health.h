/* GET /healthz: whether this worker can reach the database. */
#ifndef HEALTH_H
#define HEALTH_H

#include "http.h"

struct route_ctx;

struct answer	 health_get(struct route_ctx *);

#endif
