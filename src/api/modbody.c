#include <stddef.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "modbody.h"
#include "post.h"
#include "valid.h"

const char *const modbody_reasons[MODBODY_NREASONS] = {
	"spam", "offensive", "off_topic", "fake", "privacy", "other"
};

#define MODBODY_REASONS \
	"must be one of spam, offensive, off_topic, fake, privacy, other"

/* The reason word s names, as the table holds it, or NULL. */
static const char *
modbody_reason(const char *s)
{
	size_t	 i;

	for (i = 0; i < MODBODY_NREASONS; i++)
		if (strcmp(s, modbody_reasons[i]) == 0)
			return modbody_reasons[i];
	return NULL;
}

/*
 * Parse len bytes of buf (changed in place) into m->tree: a JSON object,
 * NUL bytes in any form made visible to the text checks first.  Returns 0,
 * or -1 with the complaint about the document ("body").
 */
static int
modbody_tree(char *buf, size_t len, struct modbody *m, const char **complaint)
{
	len = post_mark_nul(buf, len);
	/* The length counts the NUL: nothing but whitespace may follow. */
	if ((m->tree = cJSON_ParseWithLengthOpts(buf, len + 1, NULL, 1)) == NULL) {
		*complaint = "is not valid JSON";
		return -1;
	}
	if (!cJSON_IsObject(m->tree)) {
		*complaint = "must be a JSON object";
		cJSON_Delete(m->tree);
		m->tree = NULL;
		return -1;
	}
	return 0;
}

/*
 * A member of the object by its exact name (the first of duplicated keys
 * counts, as in POST), or NULL when it is missing or null: null means
 * absent (API.md).
 */
static const cJSON *
modbody_member(const struct modbody *m, const char *name)
{
	const cJSON	*item;

	item = cJSON_GetObjectItemCaseSensitive(m->tree, name);
	return item == NULL || cJSON_IsNull(item) ? NULL : item;
}

/*
 * A report's body, len bytes in buf (changed in place): {"reason": one of
 * the six words, case-sensitive, default "other"; "note": at most 500
 * characters of text, optional}; unknown fields ignored.  No bytes at all
 * is a report without a body (Part 1's), so the defaults.  Returns 0 with
 * m filled (the caller calls modbody_free), or -1 with *field ("reason",
 * "note" or "body") and *complaint; m then holds nothing to free.
 */
int
modbody_report(char *buf, size_t len, struct modbody *m, const char **field,
    const char **complaint)
{
	const cJSON	*item;

	memset(m, 0, sizeof(*m));
	m->reason = "other";
	if (len == 0)
		return 0;
	*field = "body";
	if (modbody_tree(buf, len, m, complaint) < 0)
		return -1;
	*field = "reason";
	if ((item = modbody_member(m, "reason")) != NULL) {
		m->reason = cJSON_IsString(item) ?
		    modbody_reason(item->valuestring) : NULL;
		if (m->reason == NULL) {
			*complaint = MODBODY_REASONS;
			goto bad;
		}
	}
	*field = "note";
	if ((item = modbody_member(m, "note")) != NULL) {
		if (!cJSON_IsString(item)) {
			*complaint = "must be a string";
			goto bad;
		}
		if ((*complaint = valid_text(item->valuestring, 0,
		    MODBODY_NOTE_MAX, "must be at most "
		    VALID_XSTR(MODBODY_NOTE_MAX) " characters")) != NULL)
			goto bad;
		m->note = item->valuestring;
	}
	return 0;
bad:
	modbody_free(m);
	return -1;
}

/*
 * A merchant's response, len bytes in buf (changed in place): {"response":
 * 1..1000 characters of text, or null to clear it}; the key is required,
 * unknown fields ignored.  Returns 0 with m->response set (NULL: clear;
 * the caller calls modbody_free), or -1 with *field ("response" or
 * "body") and *complaint; m then holds nothing to free.
 */
int
modbody_response(char *buf, size_t len, struct modbody *m, const char **field,
    const char **complaint)
{
	static const char	 rule[] = "must be between 1 and "
	    VALID_XSTR(MODBODY_RESPONSE_MAX) " characters, or null to clear it";
	const cJSON		*item;

	memset(m, 0, sizeof(*m));
	*field = "body";
	if (len == 0) {
		*complaint = "is required: a JSON object {\"response\": ...}";
		return -1;
	}
	if (modbody_tree(buf, len, m, complaint) < 0)
		return -1;
	*field = "response";
	/* Here null is not absent: it is the way to clear a response. */
	item = cJSON_GetObjectItemCaseSensitive(m->tree, "response");
	if (item == NULL) {
		*complaint = "is required (a string, or null to clear it)";
		goto bad;
	}
	if (cJSON_IsNull(item))
		return 0;
	if (!cJSON_IsString(item)) {
		*complaint = rule;
		goto bad;
	}
	if ((*complaint = valid_text(item->valuestring, 1, MODBODY_RESPONSE_MAX,
	    rule)) != NULL)
		goto bad;
	m->response = item->valuestring;
	return 0;
bad:
	modbody_free(m);
	return -1;
}

/* Release what a parser kept. */
void
modbody_free(struct modbody *m)
{
	cJSON_Delete(m->tree);
	m->tree = NULL;
}
