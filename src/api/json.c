#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"

/*
 * One output buffer per worker, grown on demand and kept between requests:
 * rendering a response allocates nothing once the buffer has reached the
 * size of the largest response seen.
 */
static char	*json_buf;
static size_t	 json_cap;

#define JSON_BUF_MIN	(16 * 1024)
#define JSON_BUF_MAX	(64 * 1024 * 1024)

/*
 * Render tree compactly.  Returns a pointer into the worker's buffer, valid
 * until the next call (the caller does not free it), and sets *len; NULL if
 * memory runs out.
 */
const char *
json_render(const cJSON *tree, size_t *len)
{
	char	*p;
	size_t	 cap;

	if (json_buf == NULL) {
		if ((json_buf = malloc(JSON_BUF_MIN)) == NULL)
			return NULL;
		json_cap = JSON_BUF_MIN;
	}
	/* cJSON's estimate may be off by a few bytes: it asks for 5 spare. */
	while (!cJSON_PrintPreallocated((cJSON *)tree, json_buf,
	    (int)json_cap - 5, 0)) {
		if (json_cap >= JSON_BUF_MAX)
			return NULL;
		cap = json_cap * 2;
		if ((p = realloc(json_buf, cap)) == NULL)
			return NULL;
		json_buf = p;
		json_cap = cap;
	}
	*len = strlen(json_buf);
	return json_buf;
}

/*
 * Render {"error":"<field> <complaint>"}, or {"error":"<complaint>"} when
 * field is NULL, into the worker's buffer (see json_render).
 */
const char *
json_error(const char *field, const char *complaint, size_t *len)
{
	char		 msg[512];
	cJSON		*o;
	const char	*out = NULL;

	if (field != NULL)
		snprintf(msg, sizeof(msg), "%s %s", field, complaint);
	else
		snprintf(msg, sizeof(msg), "%s", complaint);
	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	if (cJSON_AddStringToObject(o, "error", msg) != NULL)
		out = json_render(o, len);
	cJSON_Delete(o);
	return out;
}

/* Release the output buffer (at worker exit, so leak checkers stay quiet). */
void
json_free(void)
{
	free(json_buf);
	json_buf = NULL;
	json_cap = 0;
}

/*
 * Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm): exact
 * for every day of the proleptic Gregorian calendar, no time zone involved.
 */
static void
json_civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t		 era, yoe, doy, mp;

	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	yoe = days - era * 146097;
	yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
	doy = days - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/*
 * Format milliseconds since the epoch as 2019-04-14T00:00:00.000Z (what
 * JavaScript's toISOString gives, which front ends slice).  Years outside
 * 0..9999 are clamped: the schema never stores them.
 */
void
json_iso_date(int64_t ms, char out[JSON_DATE_LEN + 1])
{
	int64_t		 days, rem, y;
	unsigned	 m, d;

	days = ms / 86400000;
	rem = ms % 86400000;
	if (rem < 0) {
		rem += 86400000;
		days--;
	}
	json_civil(days, &y, &m, &d);
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	snprintf(out, JSON_DATE_LEN + 1, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
	    (int)y, m, d, (int)(rem / 3600000), (int)(rem / 60000 % 60),
	    (int)(rem / 1000 % 60), (int)(rem % 1000));
}

/*
 * The mean sum/count as PostgreSQL prints avg() of small integers: exactly
 * sixteen fractional digits, the last rounded half up.  Integer long
 * division, so the digits are exact (a double would not be).  count must be
 * positive and sum non-negative; returns 0 otherwise.
 */
int
json_mean(int64_t sum, int64_t count, char out[JSON_MEAN_MAX])
{
	char		 frac[17];
	int64_t		 ip, rem;
	int		 i;

	if (count <= 0 || sum < 0)
		return 0;
	ip = sum / count;
	rem = sum % count;
	for (i = 0; i < 16; i++) {
		rem *= 10;
		frac[i] = (char)('0' + rem / count);
		rem %= count;
	}
	frac[16] = '\0';
	/* Round half up on what is left; carry through the digits. */
	if (rem * 2 >= count) {
		for (i = 15; i >= 0; i--) {
			if (frac[i] != '9') {
				frac[i]++;
				break;
			}
			frac[i] = '0';
		}
		if (i < 0)
			ip++;
	}
	snprintf(out, JSON_MEAN_MAX, "%lld.%s", (long long)ip, frac);
	return 1;
}
