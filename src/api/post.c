#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "post.h"
#include "valid.h"

/* How a field of the body is checked. */
enum post_kind {
	POST_INT,	/* integer rule from valid.h */
	POST_TEXT,	/* text with character bounds */
	POST_BOOL,
	POST_EMAIL,
	POST_PHOTOS,
	POST_CHARS
};

/* One row per field, in the order errors are reported. */
struct post_field {
	const char	*name;
	enum post_kind	 kind;
	int		 required;
	enum valid_rule	 rule;		/* POST_INT */
	size_t		 minc, maxc;	/* POST_TEXT */
	const char	*complaint;	/* POST_TEXT length error */
	size_t		 off;		/* where struct post keeps the value */
};

#define POST_AT(p, f, type)	((type *)(void *)((char *)(p) + (f)->off))

static const struct post_field post_fields[] = {
	{ "product_id", POST_INT, 1, VALID_PRODUCT_ID, 0, 0, NULL,
	    offsetof(struct post, product_id) },
	{ "rating", POST_INT, 1, VALID_RATING, 0, 0, NULL,
	    offsetof(struct post, rating) },
	{ "summary", POST_TEXT, 0, 0, 0, 60, "must be at most 60 characters",
	    offsetof(struct post, summary) },
	{ "body", POST_TEXT, 1, 0, 50, 1000,
	    "must be between 50 and 1000 characters",
	    offsetof(struct post, body) },
	{ "recommend", POST_BOOL, 1, 0, 0, 0, NULL,
	    offsetof(struct post, recommend) },
	{ "name", POST_TEXT, 1, 0, 1, 60, "must be between 1 and 60 characters",
	    offsetof(struct post, name) },
	{ "email", POST_EMAIL, 1, 0, 0, 0, NULL, offsetof(struct post, email) },
	{ "photos", POST_PHOTOS, 0, 0, 0, 0, NULL, 0 },
	{ "characteristics", POST_CHARS, 0, 0, 0, 0, NULL, 0 },
};

/*
 * Make NUL visible to the validators.  cJSON keeps strings as C strings, so a
 * raw NUL byte or a \u0000 escape would silently cut a value short.  Each is
 * replaced in place by the byte 0xFF, which is never valid UTF-8: the field's
 * text check then rejects it by name, and outside a string it is a syntax
 * error.  Returns the new length (never longer).
 */
size_t
post_mark_nul(char *buf, size_t len)
{
	size_t	 i, o = 0;

	for (i = 0; i < len; i++) {
		if (buf[i] == '\0') {
			buf[o++] = (char)0xff;
		} else if (buf[i] == '\\' && i + 1 < len) {
			if (len - i >= 6 && memcmp(buf + i + 1, "u0000", 5) == 0) {
				buf[o++] = (char)0xff;
				i += 5;
			} else {
				/* Copy the escape pair whole: "\\u0000" is text. */
				buf[o++] = buf[i++];
				buf[o++] = buf[i];
			}
		} else
			buf[o++] = buf[i];
	}
	buf[o] = '\0';
	return o;
}

/* A JSON string, checked as text of minc..maxc characters. */
static const char *
post_text(const cJSON *item, const struct post_field *f, const char **out)
{
	const char	*bad;

	if (!cJSON_IsString(item))
		return "must be a string";
	if ((bad = valid_text(item->valuestring, f->minc, f->maxc,
	    f->complaint)) != NULL)
		return bad;
	*out = item->valuestring;
	return NULL;
}

/* An array of at most five http(s) URLs. */
static const char *
post_photos(const cJSON *item, struct post *p)
{
	const cJSON	*u;
	const char	*bad;

	if (!cJSON_IsArray(item))
		return "must be an array of URLs";
	if (cJSON_GetArraySize(item) > POST_PHOTOS_MAX)
		return "must hold at most " VALID_XSTR(POST_PHOTOS_MAX) " URLs";
	cJSON_ArrayForEach(u, item) {
		if (!cJSON_IsString(u))
			return VALID_URL_COMPLAINT;
		if ((bad = valid_url(u->valuestring)) != NULL)
			return bad;
		p->photos[p->nphotos++] = u->valuestring;
	}
	return NULL;
}

/*
 * An object mapping characteristic ids (strings of digits) to ratings 1..5.
 * Whether each id belongs to the product needs the database: the handler
 * checks that next.  A key given twice is an error, not a double vote.
 */
static const char *
post_chars(const cJSON *item, struct post *p)
{
	const cJSON	*c;
	int64_t		 id, v;
	size_t		 i;

	if (!cJSON_IsObject(item))
		return "must be an object mapping characteristic ids to ratings";
	cJSON_ArrayForEach(c, item) {
		if (valid_str(VALID_PRODUCT_ID, c->string, &id) != NULL)
			return "keys must be characteristic ids (integers between 1 and 2147483647)";
		if (valid_json_int(VALID_RATING, c, &v) != NULL)
			return "values must be integers between 1 and 5";
		for (i = 0; i < p->nchars; i++)
			if (p->char_ids[i] == id)
				return "must not name a characteristic twice";
		if (p->nchars == POST_CHARS_MAX)
			return "has too many entries";
		p->char_ids[p->nchars] = id;
		p->char_values[p->nchars++] = v;
	}
	return NULL;
}

/* Check one present field and store it in p.  Returns NULL or a complaint. */
static const char *
post_field(const struct post_field *f, const cJSON *item, struct post *p)
{
	const char	*bad;

	switch (f->kind) {
	case POST_INT:
		return valid_json_int(f->rule, item, POST_AT(p, f, int64_t));
	case POST_TEXT:
		return post_text(item, f, POST_AT(p, f, const char *));
	case POST_BOOL:
		if (!cJSON_IsBool(item))
			return "must be true or false";
		*POST_AT(p, f, int) = cJSON_IsTrue(item);
		return NULL;
	case POST_EMAIL:
		if (!cJSON_IsString(item))
			return "must be a string";
		if ((bad = valid_email(item->valuestring)) != NULL)
			return bad;
		*POST_AT(p, f, const char *) = item->valuestring;
		return NULL;
	case POST_PHOTOS:
		return post_photos(item, p);
	case POST_CHARS:
		return post_chars(item, p);
	}
	return "is not understood";
}

/*
 * Parse a request body of len bytes in buf (modified in place) as one JSON
 * object.  empty says what is missing when there is no body at all.
 * Returns the tree (the caller frees it with cJSON_Delete), or NULL with
 * *complaint set; the field named is "body" either way.
 */
static cJSON *
post_document(char *buf, size_t len, const char *empty,
    const char **complaint)
{
	cJSON	*tree;

	if (len == 0) {
		*complaint = empty;
		return NULL;
	}
	len = post_mark_nul(buf, len);
	/* The length counts the terminating NUL: cJSON then insists that
	 * nothing but whitespace follows the value. */
	if ((tree = cJSON_ParseWithLengthOpts(buf, len + 1, NULL, 1)) == NULL) {
		*complaint = "is not valid JSON";
		return NULL;
	}
	if (!cJSON_IsObject(tree)) {
		*complaint = "must be a JSON object";
		cJSON_Delete(tree);
		return NULL;
	}
	return tree;
}

/*
 * Parse and check a request body of len bytes in buf (modified in place).
 * Returns 0 with p filled (the caller calls post_free), or -1 with *field
 * naming the offending field ("body" for the document as a whole) and
 * *complaint saying what is wrong; p then holds nothing to free.
 */
int
post_parse(char *buf, size_t len, struct post *p, const char **field,
    const char **complaint)
{
	const struct post_field	*f;
	const cJSON		*item;
	size_t			 i;

	memset(p, 0, sizeof(*p));
	p->summary = "";
	*field = "body";
	if ((p->tree = post_document(buf, len,
	    "is required: a JSON object describing the review",
	    complaint)) == NULL)
		return -1;
	for (i = 0; i < sizeof(post_fields) / sizeof(post_fields[0]); i++) {
		f = &post_fields[i];
		*field = f->name;
		/* Case-sensitive, and the first of duplicated keys wins. */
		item = cJSON_GetObjectItemCaseSensitive(p->tree, f->name);
		if (item == NULL || cJSON_IsNull(item)) {
			if (f->required) {
				*complaint = "is required";
				goto bad;
			}
			continue;
		}
		if ((*complaint = post_field(f, item, p)) != NULL)
			goto bad;
	}
	return 0;
bad:
	post_free(p);
	return -1;
}

/*
 * A data-subject request's body (POST /admin/reviewers/export and
 * /erase): {"email": E}, E checked as a posted review's email is (an
 * address no review can have is a mistake worth a 400, not an empty
 * answer).  Unknown fields are ignored, null is absent, the first of
 * duplicated keys counts, as for reviews.  Parses len bytes of buf
 * (modified in place) and copies the address into email (POST_EMAIL_CAP
 * bytes).  Returns 0, or -1 with *field and *complaint set.
 */
int
post_email(char *buf, size_t len, char email[POST_EMAIL_CAP],
    const char **field, const char **complaint)
{
	cJSON		*tree;
	const cJSON	*item;
	int		 rc = -1;

	*field = "body";
	if ((tree = post_document(buf, len,
	    "is required: a JSON object {\"email\": address}",
	    complaint)) == NULL)
		return -1;
	*field = "email";
	item = cJSON_GetObjectItemCaseSensitive(tree, "email");
	if (item == NULL || cJSON_IsNull(item))
		*complaint = "is required";
	else if (!cJSON_IsString(item))
		*complaint = "must be a string";
	else if ((*complaint = valid_email(item->valuestring)) == NULL) {
		/* valid_email took at most VALID_EMAIL_MAX characters. */
		snprintf(email, POST_EMAIL_CAP, "%s", item->valuestring);
		rc = 0;
	}
	cJSON_Delete(tree);
	return rc;
}

/* Release what post_parse kept. */
void
post_free(struct post *p)
{
	cJSON_Delete(p->tree);
	p->tree = NULL;
}
