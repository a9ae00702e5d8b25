/*
 * The worker's persistent PostgreSQL connections: one to the primary, and
 * with standbys one to a standby that reads go to while it has replayed
 * what they need.  Each is opened lazily, its statements prepared once per
 * connection, re-established (and re-prepared) after it is lost, without
 * restarting the worker.
 */
#ifndef DB_H
#define DB_H

#include <stdint.h>

#include <libpq-fe.h>

/* Every statement the worker runs; their SQL sits in sql.c's table. */
enum db_stmt {
	DB_PING,
	DB_REPLAYED,		/* a standby's replay position */
	DB_WAL_POSITION,	/* the primary's WAL position */
	DB_LIST_NEWEST,
	DB_LIST_HELPFUL,
	DB_LIST_RELEVANT,
	DB_FILTERED_NEWEST,	/* in enum valid_sort's order */
	DB_FILTERED_HELPFUL,
	DB_FILTERED_RELEVANT,
	DB_FILTERED_RATING_DESC,
	DB_FILTERED_RATING_ASC,
	DB_AFTER_NEWEST,	/* in enum valid_sort's order */
	DB_AFTER_HELPFUL,
	DB_AFTER_RELEVANT,
	DB_AFTER_RATING_DESC,
	DB_AFTER_RATING_ASC,
	DB_META,
	DB_META_MANY,
	DB_PRODUCT_CHARS,
	DB_POST,
	DB_POST_KEYED,
	DB_IDEM_GET,
	DB_HELPFUL,
	DB_REPORT,
	DB_RESTORE,
	DB_REMOVE,
	DB_RESPONSE,
	DB_QUEUE_OPEN,
	DB_QUEUE_CLOSED,
	DB_AUDIT,
	DB_EXPORT,
	DB_ERASE,
	DB__MAX
};

/*
 * Columns and parameters of the statements, by name, in the order sql.c
 * writes them: change one with the other.
 */

/* DB_LIST_*, DB_FILTERED_*, DB_AFTER_*: one row per photo (or one with NULL
 * photo columns). */
enum db_list_col {
	LIST_COL_ID, LIST_COL_RATING, LIST_COL_SUMMARY, LIST_COL_RECOMMEND,
	LIST_COL_RESPONSE, LIST_COL_BODY, LIST_COL_DATE, LIST_COL_NAME,
	LIST_COL_HELPFULNESS, LIST_COL_PHOTO_ID, LIST_COL_PHOTO_URL
};
/*
 * DB_LIST_*: $1 product, $2 count, $3 offset; DB_FILTERED_* also $4 the
 * ratings' bits and $5 has_photos (0 any, 1 with, 2 without); DB_AFTER_*
 * also $6 the review id and $7, $8 the sort values after which to start.
 */
enum db_list_param {
	LIST_PARAM_PRODUCT, LIST_PARAM_COUNT, LIST_PARAM_OFFSET,
	LIST_PARAM_RATINGS, LIST_PARAM_PHOTOS, LIST_PARAM_ID, LIST_PARAM_A,
	LIST_PARAM_B, LIST__NPARAMS
};

/*
 * DB_META: one row per characteristic (at least one row); DB_META_MANY
 * the same for each product of $1 in turn, with its place in $1.
 */
enum db_meta_col {
	META_COL_RATING_1, META_COL_RATING_5 = META_COL_RATING_1 + 4,
	META_COL_REC_FALSE, META_COL_REC_TRUE, META_COL_WITH_PHOTOS,
	META_COL_CHAR_ID, META_COL_CHAR_NAME, META_COL_CHAR_SUM,
	META_COL_CHAR_COUNT, META_COL_PLACE
};

/* DB_POST ($1..$10) and DB_POST_KEYED ($1..$12). */
enum db_post_param {
	POST_PARAM_PRODUCT, POST_PARAM_RATING, POST_PARAM_SUMMARY,
	POST_PARAM_BODY, POST_PARAM_RECOMMEND, POST_PARAM_NAME,
	POST_PARAM_EMAIL, POST_PARAM_PHOTOS, POST_PARAM_CHAR_IDS,
	POST_PARAM_CHAR_VALUES, POST_PARAM_KEY, POST_PARAM_BODY_HEX,
	POST__NPARAMS
};

/*
 * DB_REPORT ($1 review, $2 reason, $3 note), DB_RESTORE and DB_REMOVE ($1
 * review, $2 the admin token's name), DB_RESPONSE (those and $3 the
 * response): one row, or none when there is no such review.
 */
enum db_mod_param {
	MOD_PARAM_REVIEW,
	MOD_PARAM_REASON, MOD_PARAM_TOKEN = MOD_PARAM_REASON,
	MOD_PARAM_NOTE, MOD_PARAM_RESPONSE = MOD_PARAM_NOTE,
	MOD__NPARAMS
};
enum db_mod_col {
	MOD_COL_PRODUCT,	/* the review's product */
	MOD_COL_CHANGED,	/* anything written: a report, a transition */
	MOD_COL_SHOWN,		/* a public answer changed (list or meta) */
	MOD_COL_AGAIN		/* nothing written: run it again (sql.c) */
};

/*
 * DB_QUEUE_OPEN, DB_QUEUE_CLOSED: the list's columns (enum db_list_col),
 * one row per photo, then the review's place in the queue: its product,
 * status, how many reports, one count per reason (spam, offensive,
 * off_topic, fake, privacy, other: queue.c's table), the first and last
 * report's time in ms since the epoch (NULL without reports) and the
 * reviewer's e-mail.
 * DB_QUEUE_* and DB_AUDIT take $1 count, $2 offset.
 */
enum db_queue_col {
	QUEUE_COL_PRODUCT = LIST_COL_PHOTO_URL + 1, QUEUE_COL_STATUS,
	QUEUE_COL_REPORTS, QUEUE_COL_REASONS,
	QUEUE_COL_FIRST = QUEUE_COL_REASONS + 6, QUEUE_COL_LAST,
	QUEUE_COL_EMAIL
};
enum db_page_param {
	PAGE_PARAM_COUNT, PAGE_PARAM_OFFSET, PAGE__NPARAMS
};

/* DB_AUDIT: one row per entry, newest first. */
enum db_audit_col {
	AUDIT_COL_AT, AUDIT_COL_TOKEN, AUDIT_COL_ACTION, AUDIT_COL_TARGET
};

/*
 * DB_EXPORT: one row per photo and per characteristic rating of each
 * review (kind 1 and 2, in that order, each by id), or one row with NULL
 * item columns for a review with neither; reviews by id.
 */
enum db_export_col {
	EXPORT_COL_ID, EXPORT_COL_PRODUCT, EXPORT_COL_STATUS, EXPORT_COL_RATING,
	EXPORT_COL_SUMMARY, EXPORT_COL_RECOMMEND, EXPORT_COL_RESPONSE,
	EXPORT_COL_BODY, EXPORT_COL_DATE, EXPORT_COL_NAME, EXPORT_COL_EMAIL,
	EXPORT_COL_HELPFULNESS, EXPORT_COL_KIND, EXPORT_COL_ITEM_ID,
	EXPORT_COL_ITEM_TEXT, EXPORT_COL_ITEM_VALUE
};

/* DB_ERASE: the number deleted on every row, and one row per product
 * touched (one row with a NULL product when none was). */
enum db_erase_col {
	ERASE_COL_DELETED, ERASE_COL_PRODUCT
};

/* DB_EXPORT, DB_ERASE: $1 the e-mail, $2 the admin token's name. */
enum db_reviewer_param {
	REVIEWER_PARAM_EMAIL, REVIEWER_PARAM_TOKEN, REVIEWER__NPARAMS
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

void		 db_init(const char *, const char *);
void		 db_close(void);
PGresult	*db_run(enum db_stmt, const char *const *, int *);
PGresult	*db_read(enum db_stmt, const char *const *, uint64_t, int *);
uint64_t	 db_wal_position(void);
int		 db_http_status(const char *);

#endif
