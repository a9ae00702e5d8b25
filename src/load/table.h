/*
 * The loader's one hash table: open addressing over 64-bit keys (0 is no
 * key), linear probing, hashed with hash_mix, doubled when half full.  A
 * table made with values holds a 32-bit value per key (a map: kept ids
 * past the dense range, see idmap.h); one made without is a set and costs
 * 8 bytes a slot (the (review, characteristic) pairs already rated).
 */
#ifndef TABLE_H
#define TABLE_H

#include <stddef.h>
#include <stdint.h>

struct table {
	uint64_t	*key;		/* cap slots, 0 = empty */
	uint32_t	*val;		/* cap values, or NULL for a set */
	size_t		 cap, len;
	size_t		 first;		/* slots of the first allocation */
	int		 values;
};

void	 table_init(struct table *, size_t, int);
int	 table_get(const struct table *, uint64_t, uint32_t *);
int	 table_put(struct table *, uint64_t, uint32_t);
void	 table_free(struct table *);

#endif
