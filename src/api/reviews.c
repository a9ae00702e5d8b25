#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cache.h"
#include "db.h"
#include "http.h"
#include "json.h"
#include "post.h"
#include "reviews.h"
#include "router.h"

/* List columns, in sql.c's LIST_COLUMNS order. */
enum {
	COL_ID, COL_RATING, COL_SUMMARY, COL_RECOMMEND, COL_RESPONSE, COL_BODY,
	COL_DATE, COL_NAME, COL_HELPFULNESS, COL_PHOTO_ID, COL_PHOTO_URL
};

/* Indexes of GET /reviews parameters in router.c's list_params. */
enum { ARG_PRODUCT, ARG_PAGE, ARG_COUNT, ARG_SORT };

/* An integer column as a JSON number. */
static cJSON *
reviews_num(cJSON *o, const char *key, const PGresult *res, int row, int col)
{
	return cJSON_AddNumberToObject(o, key,
	    strtod(PQgetvalue(res, row, col), NULL));
}

/*
 * Add the review on row to results, and its photos from this row and the
 * following rows of the same review.  Returns the first row of the next
 * review, or -1 when memory runs out.
 */
static int
reviews_one(cJSON *results, const PGresult *res, int row)
{
	char		 date[JSON_DATE_LEN + 1];
	const char	*id = PQgetvalue(res, row, COL_ID);
	cJSON		*r, *photos, *p;
	int		 n = PQntuples(res);

	if ((r = cJSON_CreateObject()) == NULL)
		return -1;
	cJSON_AddItemToArray(results, r);
	json_iso_date(strtoll(PQgetvalue(res, row, COL_DATE), NULL, 10), date);
	if (reviews_num(r, "review_id", res, row, COL_ID) == NULL ||
	    reviews_num(r, "rating", res, row, COL_RATING) == NULL ||
	    cJSON_AddStringToObject(r, "summary",
	    PQgetvalue(res, row, COL_SUMMARY)) == NULL ||
	    cJSON_AddBoolToObject(r, "recommend",
	    *PQgetvalue(res, row, COL_RECOMMEND) == 't') == NULL ||
	    (PQgetisnull(res, row, COL_RESPONSE) ?
	    cJSON_AddNullToObject(r, "response") :
	    cJSON_AddStringToObject(r, "response",
	    PQgetvalue(res, row, COL_RESPONSE))) == NULL ||
	    cJSON_AddStringToObject(r, "body",
	    PQgetvalue(res, row, COL_BODY)) == NULL ||
	    cJSON_AddStringToObject(r, "date", date) == NULL ||
	    cJSON_AddStringToObject(r, "reviewer_name",
	    PQgetvalue(res, row, COL_NAME)) == NULL ||
	    reviews_num(r, "helpfulness", res, row, COL_HELPFULNESS) == NULL ||
	    (photos = cJSON_AddArrayToObject(r, "photos")) == NULL)
		return -1;
	for (; row < n && strcmp(PQgetvalue(res, row, COL_ID), id) == 0; row++) {
		if (PQgetisnull(res, row, COL_PHOTO_ID))
			continue;
		if ((p = cJSON_CreateObject()) == NULL)
			return -1;
		cJSON_AddItemToArray(photos, p);
		if (reviews_num(p, "id", res, row, COL_PHOTO_ID) == NULL ||
		    cJSON_AddStringToObject(p, "url",
		    PQgetvalue(res, row, COL_PHOTO_URL)) == NULL)
			return -1;
	}
	return row;
}

/*
 * GET /reviews?product_id=&page=&count=&sort=: one page of a product's
 * non-reported reviews with their photos, in one query.
 */
void
reviews_list(struct route_ctx *ctx)
{
	static const enum db_stmt by_sort[] = {
		[SORT_NEWEST] = DB_LIST_NEWEST,
		[SORT_HELPFUL] = DB_LIST_HELPFUL,
		[SORT_RELEVANT] = DB_LIST_RELEVANT,
	};
	struct cache_key key = { CACHE_LIST, (uint8_t)ctx->num[ARG_SORT], 0,
	    (int32_t)ctx->num[ARG_PRODUCT], (int32_t)ctx->num[ARG_PAGE],
	    (int32_t)ctx->num[ARG_COUNT] };
	char		 product[16], count[16], offset[24];
	const char	*params[3] = { product, count, offset }, *out;
	PGresult	*res;
	cJSON		*root, *results;
	uint64_t	 gen;
	size_t		 len;
	int		 status, row, n;

	if ((out = cache_get(&key, &len)) != NULL) {
		http_send(ctx->req, 200, NULL, out, len);
		return;
	}
	gen = cache_generation(key.product);
	snprintf(product, sizeof(product), "%" PRId64, ctx->num[ARG_PRODUCT]);
	snprintf(count, sizeof(count), "%" PRId64, ctx->num[ARG_COUNT]);
	snprintf(offset, sizeof(offset), "%" PRId64,
	    (ctx->num[ARG_PAGE] - 1) * ctx->num[ARG_COUNT]);
	res = db_run(by_sort[ctx->num[ARG_SORT]], params, &status);
	if (res == NULL) {
		http_send_failure(ctx->req, status);
		return;
	}
	out = NULL;
	if ((root = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(root, "product", product) == NULL ||
	    cJSON_AddNumberToObject(root, "page",
	    (double)(ctx->num[ARG_PAGE] - 1)) == NULL ||
	    cJSON_AddNumberToObject(root, "count",
	    (double)ctx->num[ARG_COUNT]) == NULL ||
	    (results = cJSON_AddArrayToObject(root, "results")) == NULL)
		goto out;
	n = PQntuples(res);
	for (row = 0; row < n; )
		if ((row = reviews_one(results, res, row)) < 0)
			goto out;
	if ((out = json_render(root, &len)) != NULL)
		cache_put(&key, gen, out, len);
out:
	if (out == NULL)
		http_send_failure(ctx->req, 500);
	else
		http_send(ctx->req, 200, NULL, out, len);
	cJSON_Delete(root);
	PQclear(res);
}

/*
 * Write a PostgreSQL array literal of n strings into buf, each quoted with
 * '"' and '\' escaped.  Returns 0, or -1 if it does not fit.
 */
static int
reviews_text_array(char *buf, size_t cap, const char *const *v, size_t n)
{
	size_t		 o = 0, i;
	const char	*s;

	if (cap < 3)
		return -1;
	buf[o++] = '{';
	for (i = 0; i < n; i++) {
		if (o + 4 >= cap)
			return -1;
		if (i > 0)
			buf[o++] = ',';
		buf[o++] = '"';
		for (s = v[i]; *s != '\0'; s++) {
			if (o + 4 >= cap)
				return -1;
			if (*s == '"' || *s == '\\')
				buf[o++] = '\\';
			buf[o++] = *s;
		}
		buf[o++] = '"';
	}
	buf[o++] = '}';
	buf[o] = '\0';
	return 0;
}

/* Write an array literal of n integers into buf (big enough by design). */
static void
reviews_int_array(char *buf, size_t cap, const int64_t *v, size_t n)
{
	size_t	 o = 0, i;

	o += (size_t)snprintf(buf, cap, "{");
	for (i = 0; i < n && o < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%" PRId64,
		    i ? "," : "", v[i]);
	if (o < cap)
		snprintf(buf + o, cap - o, "}");
}

/*
 * Whether every characteristic id of p belongs to its product.  Returns 0
 * when they do; else sends the answer (400 naming the id, or the database
 * failure) and returns -1.
 */
static int
reviews_check_chars(struct route_ctx *ctx, const struct post *p,
    const char *product)
{
	const char	*params[1] = { product };
	char		 msg[128];
	PGresult	*res;
	size_t		 i;
	int		 status, row, n, found;

	if (p->nchars == 0)
		return 0;
	if ((res = db_run(DB_PRODUCT_CHARS, params, &status)) == NULL) {
		http_send_failure(ctx->req, status);
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
			http_send_error(ctx->req, 400, NULL, "characteristics",
			    msg);
			return -1;
		}
	}
	PQclear(res);
	return 0;
}

/*
 * An Idempotency-Key: 1..255 printable ASCII characters.  Returns 1 when
 * good.
 */
static int
reviews_key_ok(const char *key)
{
	size_t	 n = 0;

	for (; key[n] != '\0'; n++)
		if (key[n] < 0x21 || key[n] > 0x7e)
			return 0;
	return n >= 1 && n <= 255;
}

/* The body as a bytea literal ("\x" and hex) for sha256() in SQL. */
static void
reviews_hex(const char *body, size_t len, char *out)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	*out++ = '\\';
	*out++ = 'x';
	for (i = 0; i < len; i++) {
		*out++ = digits[(unsigned char)body[i] >> 4];
		*out++ = digits[(unsigned char)body[i] & 15];
	}
	*out = '\0';
}

/*
 * Answer a retry from the key's record, if the key is known: the original
 * 201 for the same body, 409 for another.  Returns 1 when it answered
 * (including a database failure), 0 when the key is new.
 */
static int
reviews_replay(struct route_ctx *ctx, const char *key, const char *hex)
{
	const char	*params[2] = { key, hex };
	char		 reply[48];
	PGresult	*res;
	size_t		 len;
	int		 status;

	if ((res = db_run(DB_IDEM_GET, params, &status)) == NULL) {
		http_send_failure(ctx->req, status);
		return 1;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	if (*PQgetvalue(res, 0, 1) == 't') {
		len = (size_t)snprintf(reply, sizeof(reply),
		    "{\"review_id\":%s}", PQgetvalue(res, 0, 0));
		http_send(ctx->req, 201, "Idempotent-Replayed: true\r\n", reply,
		    len);
	} else
		http_send_error(ctx->req, 409, NULL, "Idempotency-Key",
		    "was already used with a different body");
	PQclear(res);
	return 1;
}

/*
 * POST /reviews: check the body, then write the review, its photos, its
 * characteristic ratings and every aggregate in one statement.  With an
 * Idempotency-Key, a retry gets the first answer instead of a second review.
 */
void
reviews_post(struct route_ctx *ctx)
{
	static char	 body[HTTP_BODY_MAX + 1];
	static char	 hex[2 * HTTP_BODY_MAX + 3];
	static char	 photos[POST_PHOTOS_MAX * 4200 + 16];
	char		 product[16], rating[4], ids[POST_CHARS_MAX * 12 + 4];
	char		 values[POST_CHARS_MAX * 3 + 4], reply[48];
	const char	*params[12], *field, *complaint;
	const char	*key = ctx->req->idempotency_key;
	struct post	 p;
	PGresult	*res;
	size_t		 len;
	int		 status;

	if (!http_is_json(ctx->req->content_type)) {
		http_send_error(ctx->req, 415, NULL, "Content-Type",
		    "must be application/json");
		return;
	}
	if (key != NULL && !reviews_key_ok(key)) {
		http_send_error(ctx->req, 400, NULL, "Idempotency-Key",
		    "must be 1 to 255 printable ASCII characters");
		return;
	}
	if (http_read_body(ctx->req, body, sizeof(body), &len) < 0) {
		http_send_error(ctx->req, 413, NULL, "body",
		    "must be at most 65536 bytes");
		return;
	}
	/* The key's record compares the body as sent: hash it before the
	 * parser marks NULs in place. */
	if (key != NULL)
		reviews_hex(body, len, hex);
	if (post_parse(body, len, &p, &field, &complaint) < 0) {
		http_send_error(ctx->req, 400, NULL, field, complaint);
		return;
	}
	if (key != NULL && reviews_replay(ctx, key, hex))
		goto out;
	snprintf(product, sizeof(product), "%" PRId64, p.product_id);
	snprintf(rating, sizeof(rating), "%" PRId64, p.rating);
	if (reviews_check_chars(ctx, &p, product) < 0)
		goto out;
	if (reviews_text_array(photos, sizeof(photos), p.photos,
	    p.nphotos) < 0) {
		http_send_failure(ctx->req, 500);
		goto out;
	}
	reviews_int_array(ids, sizeof(ids), p.char_ids, p.nchars);
	reviews_int_array(values, sizeof(values), p.char_values, p.nchars);
	params[0] = product;
	params[1] = rating;
	params[2] = p.summary;
	params[3] = p.body;
	params[4] = p.recommend ? "t" : "f";
	params[5] = p.name;
	params[6] = p.email;
	params[7] = photos;
	params[8] = ids;
	params[9] = values;
	params[10] = key;
	params[11] = hex;
	res = db_run(key != NULL ? DB_POST_KEYED : DB_POST, params, &status);
	if (res == NULL) {
		/* A concurrent retry with the same key won the race. */
		if (key != NULL && strcmp(db_sqlstate(), "23505") == 0 &&
		    reviews_replay(ctx, key, hex))
			goto out;
		http_send_failure(ctx->req, status);
		goto out;
	}
	len = (size_t)snprintf(reply, sizeof(reply), "{\"review_id\":%s}",
	    PQgetvalue(res, 0, 0));
	PQclear(res);
	cache_bump((int32_t)p.product_id);
	http_send(ctx->req, 201, NULL, reply, len);
out:
	post_free(&p);
}

/*
 * Run a review write (helpful, report) whose single result cell is the
 * review's product, or empty/NULL when there is no such review: 204 after
 * invalidating the product's cached responses, else 404.
 */
static void
reviews_write(struct route_ctx *ctx, enum db_stmt stmt)
{
	char		 id[16];
	const char	*params[1] = { id };
	PGresult	*res;
	int		 status;
	int64_t		 product = 0;

	snprintf(id, sizeof(id), "%" PRId64, ctx->id);
	if ((res = db_run(stmt, params, &status)) == NULL) {
		http_send_failure(ctx->req, status);
		return;
	}
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		product = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (product == 0) {
		http_send_error(ctx->req, 404, NULL, "review_id",
		    "does not name an existing review");
		return;
	}
	cache_bump((int32_t)product);
	http_send_status(ctx->req, 204);
}

/* PUT /reviews/{id}/helpful: one more helpful vote. */
void
reviews_helpful(struct route_ctx *ctx)
{
	reviews_write(ctx, DB_HELPFUL);
}

/* PUT /reviews/{id}/report: hide the review and take it out of meta. */
void
reviews_report(struct route_ctx *ctx)
{
	reviews_write(ctx, DB_REPORT);
}
