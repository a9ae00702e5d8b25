/* The review resource's writes: post, mark helpful, report. */
#ifndef REVIEWS_H
#define REVIEWS_H

#include "router.h"

struct answer	 reviews_post(struct route_ctx *);
struct answer	 reviews_helpful(struct route_ctx *);
struct answer	 reviews_report(struct route_ctx *);

#endif
