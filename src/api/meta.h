/* A product's rating meta, and the health check. */
#ifndef META_H
#define META_H

struct route_ctx;

void	 meta_get(struct route_ctx *);
void	 health_get(struct route_ctx *);

#endif
