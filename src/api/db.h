/*
 * The worker's one persistent PostgreSQL connection: opened lazily,
 * statements prepared once per connection, re-established (and re-prepared)
 * after it is lost, without restarting the worker.
 */
#ifndef DB_H
#define DB_H

#include <libpq-fe.h>

/* Every statement the worker runs; their SQL sits in sql.c's table. */
enum db_stmt {
	DB_PING,
	DB_LIST_NEWEST,
	DB_LIST_HELPFUL,
	DB_LIST_RELEVANT,
	DB_META,
	DB_PRODUCT_CHARS,
	DB_POST,
	DB_POST_KEYED,
	DB_IDEM_GET,
	DB_HELPFUL,
	DB_REPORT,
	DB__MAX
};

/*
 * Columns and parameters of the statements, by name, in the order sql.c
 * writes them: change one with the other.
 */

/* DB_LIST_*: one row per photo (or one with NULL photo columns). */
enum db_list_col {
	LIST_COL_ID, LIST_COL_RATING, LIST_COL_SUMMARY, LIST_COL_RECOMMEND,
	LIST_COL_RESPONSE, LIST_COL_BODY, LIST_COL_DATE, LIST_COL_NAME,
	LIST_COL_HELPFULNESS, LIST_COL_PHOTO_ID, LIST_COL_PHOTO_URL
};
/* DB_LIST_*: $1 product, $2 count, $3 offset. */
enum db_list_param {
	LIST_PARAM_PRODUCT, LIST_PARAM_COUNT, LIST_PARAM_OFFSET,
	LIST__NPARAMS
};

/* DB_META: one row per characteristic (at least one row). */
enum db_meta_col {
	META_COL_RATING_1, META_COL_RATING_5 = META_COL_RATING_1 + 4,
	META_COL_REC_FALSE, META_COL_REC_TRUE, META_COL_CHAR_ID,
	META_COL_CHAR_NAME, META_COL_CHAR_SUM, META_COL_CHAR_COUNT
};

/* DB_POST ($1..$10) and DB_POST_KEYED ($1..$12). */
enum db_post_param {
	POST_PARAM_PRODUCT, POST_PARAM_RATING, POST_PARAM_SUMMARY,
	POST_PARAM_BODY, POST_PARAM_RECOMMEND, POST_PARAM_NAME,
	POST_PARAM_EMAIL, POST_PARAM_PHOTOS, POST_PARAM_CHAR_IDS,
	POST_PARAM_CHAR_VALUES, POST_PARAM_KEY, POST_PARAM_BODY_HEX,
	POST__NPARAMS
};

struct db_sql {
	const char	*name;
	const char	*sql;
	int		 nparams;
	int		 idempotent;	/* safe to run again after a lost connection */
};

extern const struct db_sql db_sql[DB__MAX];
/* The session settings every connection starts with (libpq "options"). */
extern const char db_options[];

void		 db_init(const char *);
void		 db_close(void);
PGresult	*db_run(enum db_stmt, const char *const *, int *);
int		 db_http_status(const char *);

#endif
