/*
 * POST bodies: parse the JSON and check every field against API.md's
 * table before anything touches the database.  A review (POST /reviews),
 * and the e-mail address of a data-subject request (POST
 * /admin/reviewers/export and /erase).
 */
#ifndef POST_H
#define POST_H

#include <stddef.h>
#include <stdint.h>

#include "valid.h"

struct cJSON;

#define POST_PHOTOS_MAX	5
#define POST_CHARS_MAX	32
/* Bytes of an accepted e-mail address: VALID_EMAIL_MAX characters of up to
 * four bytes each, and the NUL. */
#define POST_EMAIL_CAP	(VALID_EMAIL_MAX * 4 + 1)

/* A checked review.  Strings point into tree; post_free releases it. */
struct post {
	struct cJSON	*tree;
	int64_t		 product_id;
	int64_t		 rating;
	const char	*summary;
	const char	*body;
	int		 recommend;
	const char	*name;
	const char	*email;
	const char	*photos[POST_PHOTOS_MAX];
	size_t		 nphotos;
	int64_t		 char_ids[POST_CHARS_MAX];
	int64_t		 char_values[POST_CHARS_MAX];
	size_t		 nchars;
};

int	 post_parse(char *, size_t, struct post *, const char **,
	    const char **);
void	 post_free(struct post *);
int	 post_email(char *, size_t, char [POST_EMAIL_CAP], const char **,
	    const char **);
size_t	 post_mark_nul(char *, size_t);

#endif
