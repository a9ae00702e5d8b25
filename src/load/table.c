#include <stdlib.h>
#include <string.h>

#include "die.h"
#include "hash.h"
#include "table.h"

/*
 * Set up an empty table; nothing is allocated until the first put, which
 * allocates first slots (a power of two).  With values, each key carries a
 * 32-bit value; without, the table is a set.  table_free frees the slots.
 */
void
table_init(struct table *t, size_t first, int values)
{
	memset(t, 0, sizeof(*t));
	t->first = first;
	t->values = values;
}

/* Give back the slots; the table is empty again and can be reused. */
void
table_free(struct table *t)
{
	free(t->key);
	free(t->val);
	t->key = NULL;
	t->val = NULL;
	t->cap = t->len = 0;
}

/*
 * Whether key (non-zero) is in the table; if so and val is not NULL, *val
 * is its value (0 in a set).
 */
int
table_get(const struct table *t, uint64_t key, uint32_t *val)
{
	size_t	 i;

	if (t->cap == 0)
		return 0;
	for (i = hash_mix(key) & (t->cap - 1); t->key[i] != 0;
	    i = (i + 1) & (t->cap - 1))
		if (t->key[i] == key) {
			if (val != NULL)
				*val = t->val != NULL ? t->val[i] : 0;
			return 1;
		}
	return 0;
}

/* Double the slots (or make the first ones) and put every key back. */
static void
table_grow(struct table *t)
{
	uint64_t	*oldkey = t->key;
	uint32_t	*oldval = t->val;
	size_t		 oldcap = t->cap, i;

	t->cap = oldcap ? oldcap * 2 : t->first;
	if ((t->key = calloc(t->cap, sizeof(*t->key))) == NULL)
		die("out of memory");
	t->val = NULL;
	if (t->values && (t->val = calloc(t->cap, sizeof(*t->val))) == NULL)
		die("out of memory");
	t->len = 0;
	for (i = 0; i < oldcap; i++)
		if (oldkey[i] != 0)
			table_put(t, oldkey[i], oldval != NULL ? oldval[i] : 0);
	free(oldkey);
	free(oldval);
}

/*
 * Put key (non-zero) with value val (ignored in a set).  Returns 1 if the
 * key is new, 0 if it was there already (its value is then replaced).
 * Dies when memory runs out.
 */
int
table_put(struct table *t, uint64_t key, uint32_t val)
{
	size_t	 i;

	if (t->len * 2 >= t->cap)
		table_grow(t);
	for (i = hash_mix(key) & (t->cap - 1); t->key[i] != 0;
	    i = (i + 1) & (t->cap - 1))
		if (t->key[i] == key) {
			if (t->val != NULL)
				t->val[i] = val;
			return 0;
		}
	t->key[i] = key;
	if (t->val != NULL)
		t->val[i] = val;
	t->len++;
	return 1;
}
