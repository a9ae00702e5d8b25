/*
 * The bodies of the moderation writes (API.md Part 2): a public report's
 * {"reason": R, "note": N} and a merchant's {"response": T}.  Parsed and
 * checked before the handler runs, as POST /reviews bodies are (post.c),
 * with the same text rules (valid_text) and the same NUL handling
 * (post_mark_nul).
 */
#ifndef MODBODY_H
#define MODBODY_H

#include <stddef.h>

struct cJSON;

/*
 * The reasons a report may give (API.md; the CHECK on
 * review_reports.reason), in the order the queue lists and counts them
 * (queue.c, sql.c's QUEUE_TALLY): change all three.
 */
#define MODBODY_NREASONS	6
extern const char *const	 modbody_reasons[MODBODY_NREASONS];

#define MODBODY_NOTE_MAX	500	/* characters of a report's note */
#define MODBODY_RESPONSE_MAX	1000	/* characters of a response */

/*
 * A checked body.  Strings point into tree (or at static text);
 * modbody_free releases it.  A report's reason is never NULL; its note
 * and a response are NULL when absent (a NULL response clears it).
 */
struct modbody {
	struct cJSON	*tree;
	const char	*reason;
	const char	*note;
	const char	*response;
};

int	 modbody_report(char *, size_t, struct modbody *, const char **,
	    const char **);
int	 modbody_response(char *, size_t, struct modbody *, const char **,
	    const char **);
void	 modbody_free(struct modbody *);

#endif
