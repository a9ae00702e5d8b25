/*
 * Answers built from result rows, one JSON item per group of rows (a
 * review and its photos, say): the admin API's pages and lists.
 */
#ifndef ITEMS_H
#define ITEMS_H

#include <stdint.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "db.h"
#include "http.h"

/*
 * The item of the rows from row on: a new object (the caller attaches or
 * frees it), with *next set to the first row of the next item; NULL when
 * memory runs out.
 */
typedef cJSON	*(*items_fn)(const PGresult *, int row, int *next);

int		 items_array(cJSON *, const PGresult *, items_fn);
struct answer	 items_page(enum db_stmt, int64_t page, int64_t count,
		    items_fn);

#endif
