/*
 * The moderation writes (API.md Part 2): a merchant's restore, remove and
 * response under /admin, and the answer of every statement that moves a
 * review between published, reported and removed (the public report's
 * too: reviews.c).
 */
#ifndef MODERATE_H
#define MODERATE_H

#include "db.h"
#include "router.h"

struct answer	 moderate_run(enum db_stmt, const char *const *);
struct answer	 moderate_restore(struct route_ctx *);
struct answer	 moderate_remove(struct route_ctx *);
struct answer	 moderate_response(struct route_ctx *);

#endif
