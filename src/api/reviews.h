/* The review resource: list, post, mark helpful, report. */
#ifndef REVIEWS_H
#define REVIEWS_H

struct route_ctx;

void	 reviews_list(struct route_ctx *);
void	 reviews_post(struct route_ctx *);
void	 reviews_helpful(struct route_ctx *);
void	 reviews_report(struct route_ctx *);

#endif
