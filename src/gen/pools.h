/*
 * What the rows are made of: the text pools (review sentences, summaries
 * and their parts, responses, reviewer names and mail addresses, in the
 * style of the original data), the characteristic names, and the
 * category-like sets of characteristics a product has.  Which entry a row
 * gets is a draw, so a pool's order and content are part of the output:
 * changing either changes the generated files.
 */
#ifndef GEN_POOLS_H
#define GEN_POOLS_H

#include <stddef.h>

#include "rng.h"

/* A piece of text, with its length in bytes and (pools_init) characters. */
struct pools_text {
	const char	*s;
	size_t		 len;
	size_t		 nch;
};

/* The text pools. */
enum pools_id {
	POOLS_BODY_POS,
	POOLS_BODY_NEG,
	POOLS_BODY_MID,
	POOLS_BODY_INTL,
	POOLS_SUM_POS,
	POOLS_SUM_NEG,
	POOLS_SUM_MID,
	POOLS_SUM_ADJ_POS,
	POOLS_SUM_ADJ_NEG,
	POOLS_SUM_NOUN,
	POOLS_SUM_END,
	POOLS_RESPONSES,
	POOLS_NAME_ADJ,
	POOLS_NAME_NOUN,
	POOLS_NAME_FIRST,
	POOLS_MAIL_FIRST,
	POOLS_MAIL_LAST,
	POOLS_MAIL_DOMAIN,
	POOLS_MAIL_SEP,
	POOLS__MAX
};

/* Characteristic names; the first four are "fit-like" scales. */
enum pools_char { POOLS_C_FIT, POOLS_C_LENGTH, POOLS_C_SIZE, POOLS_C_WIDTH,
    POOLS_C_COMFORT, POOLS_C_QUALITY, POOLS_C__MAX };

extern const char *const pools_char_names[POOLS_C__MAX];

/*
 * Category-like characteristic sets.  up/down name the category one
 * characteristic larger/smaller (-1: none), used to hit the exact count.
 */
struct pools_cat {
	unsigned	 weight;	/* per mille */
	unsigned	 n;
	int		 up, down;
	unsigned char	 names[4];	/* enum pools_char */
};

#define POOLS_NCATS	6

extern const struct pools_cat pools_cats[POOLS_NCATS];

int			 pools_init(void);
const struct pools_text	*pools_pick(struct rng *, enum pools_id);

#endif
