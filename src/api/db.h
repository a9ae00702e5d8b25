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
const char	*db_sqlstate(void);

#endif
