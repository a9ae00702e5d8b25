/*
 * Answers built from result rows, one JSON item per group of rows (a
 * review and its photos, say): the admin API's pages and lists.
 */
#ifndef ROWS_H
#define ROWS_H

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
typedef cJSON	*(*rows_item)(const PGresult *, int row, int *next);

int		 rows_array(cJSON *, const PGresult *, rows_item);
struct answer	 rows_page(enum db_stmt, int64_t page, int64_t count,
		    rows_item);

#endif
