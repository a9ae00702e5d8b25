#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "http.h"
#include "readcache.h"
#include "moderate.h"
#include "pgenc.h"
#include "post.h"
#include "reviews.h"
#include "router.h"

/*
 * Whether every characteristic id of p belongs to its product.  Returns 0
 * when they do; else -1 with *a set (400 naming the id, or the database
 * failure).
 */
static int
reviews_check_chars(const struct post *p, const char *product,
    struct answer *a)
{
	static char	 msg[128];
	const char	*params[1] = { product };
	PGresult	*res;
	size_t		 i;
	int		 status, row, n, found;

	if (p->nchars == 0)
		return 0;
	if ((res = db_run(DB_PRODUCT_CHARS, params, &status)) == NULL) {
		*a = answer_failure(status);
		return -1;
	}
	n = PQntuples(res);
	for (i = 0; i < p->nchars; i++) {
		found = 0;
		for (row = 0; row < n && !found; row++)
			found = strtoll(PQgetvalue(res, row, 0), NULL, 10) ==
			    p->char_ids[i];
		if (!found) {
			snprintf(msg, sizeof(msg), "has id %" PRId64 ", which "
			    "is not a characteristic of product %s",
			    p->char_ids[i], product);
			PQclear(res);
			*a = answer_error(400, "characteristics", msg);
			return -1;
		}
	}
	PQclear(res);
	return 0;
}

/*
 * The answer to a retry from the key's record, if the key is known: the
 * original 201 for the same body, 409 for another.  Returns 1 when *a is
 * the answer (a database failure included), 0 when the key is new.
 */
static int
reviews_replay(const char *key, const char *hex, struct answer *a)
{
	static char	 reply[48];
	const char	*params[2] = { key, hex };
	PGresult	*res;
	size_t		 len;
	int		 status;

	if ((res = db_run(DB_IDEM_GET, params, &status)) == NULL) {
		*a = answer_failure(status);
		return 1;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	if (*PQgetvalue(res, 0, 1) == 't') {
		len = (size_t)snprintf(reply, sizeof(reply),
		    "{\"review_id\":%s}", PQgetvalue(res, 0, 0));
		*a = answer_json(201, reply, len);
		a->headers = "Idempotent-Replayed: true\r\n";
	} else
		*a = answer_error(409, "Idempotency-Key",
		    "was already used with a different body");
	PQclear(res);
	return 1;
}

/*
 * POST /reviews, its body checked by the router (ctx->post): write the
 * review, its photos, its characteristic ratings and every aggregate in
 * one statement.  With an Idempotency-Key, a retry gets the first answer
 * instead of a second review.
 */
struct answer
reviews_post(struct route_ctx *ctx)
{
	static char	 hex[PGENC_BYTEA_CAP(HTTP_BODY_MAX)];
	static char	 photos[PGENC_TEXT_ARRAY_CAP(POST_PHOTOS_MAX,
			    VALID_URL_MAX)];
	static char	 reply[48];
	char		 product[16], rating[4];
	int32_t		 pid;
	char		 ids[PGENC_INT_ARRAY_CAP(POST_CHARS_MAX)];
	char		 values[PGENC_INT_ARRAY_CAP(POST_CHARS_MAX)];
	const char	*key = ctx->req->idempotency_key;
	const struct post *p = &ctx->post;
	const char	*params[POST__NPARAMS] = {
		[POST_PARAM_PRODUCT] = product,
		[POST_PARAM_RATING] = rating,
		[POST_PARAM_SUMMARY] = p->summary,
		[POST_PARAM_BODY] = p->body,
		[POST_PARAM_RECOMMEND] = p->recommend ? "t" : "f",
		[POST_PARAM_NAME] = p->name,
		[POST_PARAM_EMAIL] = p->email,
		[POST_PARAM_PHOTOS] = photos,
		[POST_PARAM_CHAR_IDS] = ids,
		[POST_PARAM_CHAR_VALUES] = values,
		[POST_PARAM_KEY] = key,
		[POST_PARAM_BODY_HEX] = hex,
	};
	struct answer	 a;
	PGresult	*res;
	size_t		 len;
	int		 status;

	/* The key's record compares the body as sent. */
	if (key != NULL) {
		if (pgenc_bytea(hex, sizeof(hex), ctx->body, ctx->bodylen) < 0)
			return answer_failure(500);
		if (reviews_replay(key, hex, &a))
			return a;
	}
	snprintf(product, sizeof(product), "%" PRId64, p->product_id);
	snprintf(rating, sizeof(rating), "%" PRId64, p->rating);
	if (reviews_check_chars(p, product, &a) < 0)
		return a;
	if (pgenc_text_array(photos, sizeof(photos), p->photos,
	    p->nphotos) < 0 ||
	    pgenc_int_array(ids, sizeof(ids), p->char_ids, p->nchars) < 0 ||
	    pgenc_int_array(values, sizeof(values), p->char_values,
	    p->nchars) < 0)
		return answer_failure(500);
	res = db_run(key != NULL ? DB_POST_KEYED : DB_POST, params, &status);
	if (res == NULL) {
		/* 409: a concurrent retry with the same key won the race. */
		if (key != NULL && status == 409 && reviews_replay(key, hex, &a))
			return a;
		return answer_failure(status);
	}
	len = (size_t)snprintf(reply, sizeof(reply), "{\"review_id\":%s}",
	    PQgetvalue(res, 0, 0));
	PQclear(res);
	pid = (int32_t)p->product_id;
	if (readcache_wrote(&pid, 1) < 0)
		return answer_failure(503);
	return answer_json(201, reply, len);
}

/*
 * PUT /reviews/{id}/helpful: one more helpful vote.  The statement's one
 * cell is the review's product, or there is no row when there is no such
 * review: 204 after invalidating the product's cached responses (the
 * review's helpfulness shows in its lists), else 404.
 */
struct answer
reviews_helpful(struct route_ctx *ctx)
{
	char		 id[16];
	const char	*params[1] = { id };
	PGresult	*res;
	int		 status;
	int64_t		 product = 0;
	int32_t		 pid;

	snprintf(id, sizeof(id), "%" PRId64, ctx->id);
	if ((res = db_run(DB_HELPFUL, params, &status)) == NULL)
		return answer_failure(status);
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		product = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (product == 0)
		return answer_error(404, "review_id",
		    "does not name an existing review");
	pid = (int32_t)product;
	if (readcache_wrote(&pid, 1) < 0)
		return answer_failure(503);
	return answer_status(204);
}

/*
 * PUT /reviews/{id}/report, its reason and note checked by the router
 * (ctx->mod; no body: reason other, no note).  The first report hides the
 * review and takes it out of meta; each report of a review not removed is
 * recorded for the moderators.
 */
struct answer
reviews_report(struct route_ctx *ctx)
{
	char		 id[16];
	const char	*params[MOD__NPARAMS] = {
		[MOD_PARAM_REVIEW] = id,
		[MOD_PARAM_REASON] = ctx->mod.reason,
		[MOD_PARAM_NOTE] = ctx->mod.note,
	};

	snprintf(id, sizeof(id), "%" PRId64, ctx->id);
	return moderate_run(DB_REPORT, params);
}
