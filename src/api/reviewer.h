/*
 * The data-subject requests of the admin API: everything written with an
 * e-mail address (export), and its erasure.  The address travels only in
 * the body (router.c's ROUTE_BODY_EMAIL), never in a URL.
 */
#ifndef REVIEWER_H
#define REVIEWER_H

#include "router.h"

struct answer	 reviewer_export(struct route_ctx *);
struct answer	 reviewer_erase(struct route_ctx *);

#endif
