/*
 * JSON output: rendering cJSON trees into one reusable buffer, and the exact
 * text forms API.md asks for (ISO dates, 16-digit means, error bodies).
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>
#include <stdint.h>

struct cJSON;

#define JSON_DATE_LEN	24	/* 2019-04-14T00:00:00.000Z */
#define JSON_MEAN_MAX	48

const char	*json_render(const struct cJSON *, size_t *);
const char	*json_error(const char *, const char *, size_t *);
void		 json_iso_date(int64_t, char [JSON_DATE_LEN + 1]);
int		 json_mean(int64_t, int64_t, char [JSON_MEAN_MAX]);
void		 json_free(void);

#endif
