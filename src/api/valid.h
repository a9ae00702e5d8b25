/*
 * Input validators (kcgi style): small pure functions that decide whether a
 * piece of hostile input is acceptable, indexed by an enum so routes and
 * request-body schemas can name them in tables.  A validator returns NULL when
 * the input is good, else a complaint to append to the field's name
 * ("must be an integer between 1 and 5").
 */
#ifndef VALID_H
#define VALID_H

#include <stddef.h>
#include <stdint.h>

struct cJSON;

/* Limits of API.md, named once; messages quote them with VALID_XSTR. */
#define VALID_URL_MAX		2048	/* characters of a photo URL */
#define VALID_EMAIL_MAX		60	/* characters of an email */
#define VALID_KEY_MAX		255	/* bytes of an Idempotency-Key */
#define VALID_URL_COMPLAINT \
	"must be absolute http(s) URLs of at most " VALID_XSTR(VALID_URL_MAX) \
	" characters"
#define VALID_STR(x)		#x
#define VALID_XSTR(x)		VALID_STR(x)

/* The integer and word rules of API.md. */
enum valid_rule {
	VALID_PRODUCT_ID,	/* 1..2147483647 */
	VALID_REVIEW_ID,	/* 1..2147483647 */
	VALID_PAGE,		/* 1..100000 */
	VALID_COUNT,		/* 1..1000 */
	VALID_RATING,		/* 1..5 */
	VALID_SORT,		/* newest | helpful | relevant | rating_desc |
				 * rating_asc */
	VALID_BOOL,		/* false | true (stored as 0, 1) */
	VALID_RATINGS,		/* "4,5": a set of ratings (VALID_RATINGS_ALL) */
	VALID_PRODUCT_IDS,	/* "1,2,3": the router keeps the list (route_ctx) */
	VALID_CURSOR,		/* a next_cursor token: the router decodes it */
	VALID_ADMIN_COUNT,	/* 1..100: a page of the admin API */
	VALID_QUEUE_STATUS,	/* open | closed (stored as 0, 1) */
	VALID__MAX
};

/* The sort orders, in the order VALID_SORT stores them. */
enum valid_sort {
	SORT_NEWEST,
	SORT_HELPFUL,
	SORT_RELEVANT,
	SORT_RATING_DESC,
	SORT_RATING_ASC,
	SORT__MAX
};

/*
 * VALID_RATINGS stores bit r - 1 for each rating r given; no filter is
 * every bit, so "1,2,3,4,5" and no filter are the same request.
 */
#define VALID_RATINGS_ALL	0x1f

/* Most ids product_ids= takes (API.md). */
#define VALID_IDS_MAX		100

const char	*valid_str(enum valid_rule, const char *, int64_t *);
const char	*valid_complaint(enum valid_rule);
const char	*valid_json_int(enum valid_rule, const struct cJSON *, int64_t *);
const char	*valid_text(const char *, size_t, size_t, const char *);
const char	*valid_email(const char *);
const char	*valid_url(const char *);
const char	*valid_idempotency_key(const char *);
const char	*valid_id_list(const char *, int32_t *, size_t *);

#endif
