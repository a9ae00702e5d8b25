#include <stdlib.h>

#include "die.h"
#include "idmap.h"

/*
 * Allocate the flat array (zeroed: nothing kept) and an empty overflow
 * table.  Dies when memory runs out.  The map lives as long as the
 * program; nothing frees it.
 */
void
idmap_init(struct idmap *m)
{
	if ((m->dense = calloc(IDMAP_DENSE, sizeof(int32_t))) == NULL)
		die("out of memory");
	table_init(&m->over, 1024, 1);
}

/* The value kept for id, or 0. */
int32_t
idmap_get(const struct idmap *m, int64_t id)
{
	uint32_t	 v;

	if (id < IDMAP_DENSE)
		return m->dense[id];
	if (!table_get(&m->over, (uint64_t)id, &v))
		return 0;
	return (int32_t)v;
}

/* Keep id with value v (non-zero), replacing what was kept for it. */
void
idmap_put(struct idmap *m, int64_t id, int32_t v)
{
	if (id < IDMAP_DENSE)
		m->dense[id] = v;
	else
		table_put(&m->over, (uint64_t)id, (uint32_t)v);
}
