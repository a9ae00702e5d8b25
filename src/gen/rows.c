#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fmt.h"
#include "pools.h"
#include "rng.h"
#include "rows.h"

#define ROWS_DATE_FIRST	1588291200000ULL	/* 2020-05-01T00:00:00Z, ms */
#define ROWS_DATE_SPAN	31536000000ULL		/* to 2021-05-01: 365 days */
#define ROWS_BODY_MIN	50		/* characters */
#define ROWS_BODY_MAX	1000		/* bytes, hence at most as many chars */
#define ROWS_TEXT_MAX	4096		/* scratch for one text field */

#define ROWS_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

const struct rows_file_def rows_files[ROWS__MAX] = {
	[ROWS_REVIEWS] = { "reviews.csv",
	    "id,product_id,rating,date,summary,body,recommend,reported,"
	    "reviewer_name,reviewer_email,response,helpfulness\n" },
	[ROWS_PHOTOS] = { "reviews_photos.csv", "id,review_id,url\n" },
	[ROWS_CHARS] = { "characteristics.csv", "id,product_id,name\n" },
	[ROWS_CHARREVS] = { "characteristic_reviews.csv",
	    "id,characteristic_id,review_id,value\n" },
};

/*
 * The part of a review the other files need too: its rating (skewed to 4-5)
 * and how many photos it has (0..5, 0.475 on average; the plan corrects a
 * few so the total is exact).  The first draws of the review's stream, so
 * any file can have them without making the review; leaves r seeded for the
 * rest of the review's fields.
 */
void
rows_review_core(uint64_t seed, uint64_t rid, struct rng *r,
    unsigned *rating, unsigned *nphoto)
{
	uint64_t	 x;

	rng_seed(r, seed, RNG_S_REVIEW, rid);
	x = rng_below(r, 1000);
	*rating = x < 60 ? 1 : x < 130 ? 2 : x < 260 ? 3 : x < 540 ? 4 : 5;
	x = rng_below(r, 100000);
	*nphoto = x < 75300 ? 0 : x < 87300 ? 1 : x < 93300 ? 2 :
	    x < 96800 ? 3 : x < 98800 ? 4 : 5;
}

/* Sentiment of a rating: 0 negative, 1 mixed, 2 positive. */
static unsigned
rows_mood(unsigned rating)
{
	return rating <= 2 ? 0 : rating == 3 ? 1 : 2;
}

/* A summary (<= 120 bytes) matching the rating's mood, into out. */
static size_t
rows_summary(struct rng *r, unsigned rating, char *out)
{
	const struct pools_text	*a, *n, *e, *t;
	unsigned		 mood = rows_mood(rating);
	char			*p = out;

	if (rng_below(r, 100) < 35) {
		a = pools_pick(r, mood == 2 ? POOLS_SUM_ADJ_POS :
		    POOLS_SUM_ADJ_NEG);
		n = pools_pick(r, POOLS_SUM_NOUN);
		e = pools_pick(r, POOLS_SUM_END);
		p = fmt_put(p, a->s, a->len);
		*p++ = ' ';
		p = fmt_put(p, n->s, n->len);
		p = fmt_put(p, e->s, e->len);
		return (size_t)(p - out);
	}
	if (mood == 2)
		t = pools_pick(r, POOLS_SUM_POS);
	else if (mood == 0)
		t = pools_pick(r, POOLS_SUM_NEG);
	else
		t = pools_pick(r, POOLS_SUM_MID);
	return (size_t)(fmt_put(p, t->s, t->len) - out);
}

/* One body sentence, leaning to the rating's mood. */
static const struct pools_text *
rows_body_sentence(struct rng *r, unsigned rating)
{
	uint64_t	 x = rng_below(r, 1000);

	if (x < 12)
		return pools_pick(r, POOLS_BODY_INTL);
	x /= 10;
	switch (rows_mood(rating)) {
	case 2:
		if (x < 55)
			return pools_pick(r, POOLS_BODY_POS);
		break;
	case 0:
		if (x < 55)
			return pools_pick(r, POOLS_BODY_NEG);
		break;
	default:
		if (x < 30)
			return pools_pick(r, POOLS_BODY_POS);
		if (x < 60)
			return pools_pick(r, POOLS_BODY_NEG);
		break;
	}
	return pools_pick(r, POOLS_BODY_MID);
}

/*
 * A body of ROWS_BODY_MIN..ROWS_BODY_MAX characters (length skewed short, mean
 * about 290): whole sentences joined by spaces, now and then by a newline,
 * stopping before one that would pass ROWS_BODY_MAX bytes.  (The cut on a
 * UTF-8 boundary is only a backstop for a short body.)
 */
static size_t
rows_body(struct rng *r, unsigned rating, char *out)
{
	const struct pools_text	*t;
	double			 u = rng_unit(r);
	size_t			 target, len = 0, nch = 0;
	uint64_t		 x;

	target = ROWS_BODY_MIN +
	    (size_t)(u * u * u * (ROWS_BODY_MAX - ROWS_BODY_MIN + 1));
	while (nch < target) {
		if (len > 0) {
			x = rng_below(r, 1000);
			if (x < 4)
				out[len++] = '\n';
			else if (x < 6) {
				out[len++] = '\n';
				out[len++] = '\n';
				nch++;
			} else
				out[len++] = ' ';
			nch++;
		}
		t = rows_body_sentence(r, rating);
		if (len + t->len > ROWS_BODY_MAX && nch >= ROWS_BODY_MIN)
			break;
		memcpy(out + len, t->s, t->len);
		len += t->len;
		nch += t->nch;
	}
	if (len > ROWS_BODY_MAX) {
		len = ROWS_BODY_MAX;
		while (len > 0 && ((unsigned char)out[len] & 0xC0) == 0x80)
			len--;
	}
	while (len > 0 && (out[len - 1] == ' ' || out[len - 1] == '\n'))
		len--;
	return len;
}

/* A reviewer name (<= 30 bytes), handle-like or first name plus digits. */
static size_t
rows_name(struct rng *r, char *out)
{
	const struct pools_text	*a, *n;
	char			*p = out;

	if (rng_below(r, 100) < 70) {
		a = pools_pick(r, POOLS_NAME_ADJ);
		n = pools_pick(r, POOLS_NAME_NOUN);
		p = fmt_put(p, a->s, a->len);
		p = fmt_put(p, n->s, n->len);
		if (rng_below(r, 2) == 0)
			p = fmt_u64(p, rng_below(r, 1000));
	} else {
		a = pools_pick(r, POOLS_NAME_FIRST);
		p = fmt_put(p, a->s, a->len);
		p = fmt_u64(p, rng_below(r, 100000));
	}
	return (size_t)(p - out);
}

/* A reviewer email (<= 40 bytes) shaped local@domain.tld. */
static size_t
rows_email(struct rng *r, char *out)
{
	const struct pools_text	*f, *s, *l, *d;
	char			*p = out;

	if (rng_below(r, 100) < 5)
		return (size_t)(fmt_put(p, "first.last@gmail.com", 20) - out);
	f = pools_pick(r, POOLS_MAIL_FIRST);
	s = pools_pick(r, POOLS_MAIL_SEP);
	l = pools_pick(r, POOLS_MAIL_LAST);
	d = pools_pick(r, POOLS_MAIL_DOMAIN);
	p = fmt_put(p, f->s, f->len);
	p = fmt_put(p, s->s, s->len);
	p = fmt_put(p, l->s, l->len);
	if (rng_below(r, 100) < 40)
		p = fmt_u64(p, rng_below(r, 10000));
	*p++ = '@';
	p = fmt_put(p, d->s, d->len);
	return (size_t)(p - out);
}

/*
 * Write one reviews.csv row for review rid of product pid at out; returns
 * its length (at most ROWS_REVIEW_MAX).
 */
size_t
rows_review(char *out, uint64_t seed, uint64_t rid, uint32_t pid)
{
	struct rng		 r;
	const struct pools_text	*t;
	char			 text[ROWS_TEXT_MAX];
	char			*p = out;
	unsigned		 rating, nphoto, h;
	uint64_t		 x;

	rows_review_core(seed, rid, &r, &rating, &nphoto);
	p = fmt_u64(p, rid);
	*p++ = ',';
	p = fmt_u64(p, pid);
	*p++ = ',';
	*p++ = (char)('0' + rating);
	*p++ = ',';
	p = fmt_u64(p, ROWS_DATE_FIRST + rng_below(&r, ROWS_DATE_SPAN));
	*p++ = ',';
	p = fmt_quoted(p, text, rows_summary(&r, rating, text));
	*p++ = ',';
	p = fmt_quoted(p, text, rows_body(&r, rating, text));
	*p++ = ',';
	x = rng_below(&r, 100);
	p = fmt_bool(p, x < (rating == 5 ? 96u : rating == 4 ? 90u :
	    rating == 3 ? 60u : rating == 2 ? 25u : 10u));
	*p++ = ',';
	p = fmt_bool(p, rng_below(&r, 1000) < 20);
	*p++ = ',';
	p = fmt_quoted(p, text, rows_name(&r, text));
	*p++ = ',';
	p = fmt_quoted(p, text, rows_email(&r, text));
	*p++ = ',';
	if (rng_below(&r, 100) < 10) {
		t = pools_pick(&r, POOLS_RESPONSES);
		p = fmt_quoted(p, t->s, t->len);
	} else
		p = fmt_put(p, "null", 4);
	*p++ = ',';
	for (h = 0; h < 30 && rng_below(&r, 100) < 78; h++)
		continue;
	p = fmt_u64(p, h);
	*p++ = '\n';
	return (size_t)(p - out);
}

/*
 * Write reviews_photos.csv row id, photo n of review rid, at out; returns
 * its length (at most ROWS_SMALL_MAX).
 */
size_t
rows_photo(char *out, uint64_t seed, uint64_t id, uint64_t rid,
    unsigned n)
{
	static const char	 hex[] = "0123456789abcdef";
	static const unsigned	 widths[] = { 300, 500, 634, 750, 975, 1000,
	    1234, 1350, 1500, 1650, 2000 };
	struct rng		 r;
	char			*p = out;
	char			 url[ROWS_SMALL_MAX];
	char			*u = url;
	uint64_t		 x;
	unsigned		 i;

	rng_seed(&r, seed, RNG_S_PHOTO, id);
	p = fmt_u64(p, id);
	*p++ = ',';
	p = fmt_u64(p, rid);
	*p++ = ',';
	if (rng_below(&r, 100) < 60) {
		u = fmt_put(u, "https://images.example/p/", 25);
		u = fmt_u64(u, rid);
		*u++ = '-';
		u = fmt_u64(u, n);
		u = fmt_put(u, ".jpg", 4);
	} else {
		u = fmt_put(u, "https://images.unsplash.com/photo-", 34);
		u = fmt_u64(u, 1400000000 + rng_below(&r, 220000000));
		*u++ = '-';
		x = rng_next(&r);
		for (i = 0; i < 12; i++, x >>= 4)
			*u++ = hex[x & 15];
		u = fmt_put(u, "?ixlib=rb-1.2.1&", 16);
		if (rng_below(&r, 100) < 30)
			u = fmt_put(u, "ixid=eyJhcHBfaWQiOjEyMDd9&", 26);
		u = fmt_put(u, "auto=format&fit=crop&w=", 23);
		u = fmt_u64(u, widths[rng_below(&r, ROWS_NELEM(widths))]);
		u = fmt_put(u, rng_below(&r, 4) == 0 ? "&q=60" : "&q=80", 5);
	}
	p = fmt_quoted(p, url, (size_t)(u - url));
	*p++ = '\n';
	return (size_t)(p - out);
}

/*
 * The value (1..5) a review gives one characteristic: quality-like ones
 * follow the rating, fit-like ones sit near 3 ("as expected") when the
 * review is happy and wander when it is not.
 */
static unsigned
rows_char_value(struct rng *r, unsigned rating, unsigned name)
{
	uint64_t	 x = rng_below(r, 100);
	int		 v;

	if (name == POOLS_C_COMFORT || name == POOLS_C_QUALITY) {
		v = (int)rating + (x < 20 ? -1 : x < 80 ? 0 : 1);
		return v < 1 ? 1 : v > 5 ? 5 : (unsigned)v;
	}
	if (rating >= 4)
		return x < 70 ? 3 : x < 85 ? 2 : 4;
	return 1 + (unsigned)rng_below(r, 5);
}

/*
 * Write the characteristics.csv rows of product pid, whose category is cat,
 * with ids id + 1 .. id + cat->n, at out; returns their length (at most
 * ROWS_CHARS_MAX).
 */
size_t
rows_chars(char *out, uint64_t id, uint32_t pid, const struct pools_cat *cat)
{
	const char	*name;
	char		*o = out;
	unsigned	 j;

	for (j = 0; j < cat->n; j++) {
		name = pools_char_names[cat->names[j]];
		o = fmt_u64(o, ++id);
		*o++ = ',';
		o = fmt_u64(o, pid);
		*o++ = ',';
		o = fmt_quoted(o, name, strlen(name));
		*o++ = '\n';
	}
	return (size_t)(o - out);
}

/*
 * Write the characteristic_reviews.csv rows of review rid, one per
 * characteristic of its product (category cat, characteristic ids cid + 1
 * .. cid + cat->n), with ids id + 1 .. id + cat->n, at out; returns their
 * length (at most ROWS_CHARS_MAX).  The values follow the review's rating,
 * so its core is drawn again.
 */
size_t
rows_charrevs(char *out, uint64_t seed, uint64_t id, uint64_t cid,
    uint64_t rid, const struct pools_cat *cat)
{
	struct rng	 r;
	char		*o = out;
	unsigned	 rating, nphoto, j;

	rows_review_core(seed, rid, &r, &rating, &nphoto);
	rng_seed(&r, seed, RNG_S_CHARREV, rid);
	for (j = 0; j < cat->n; j++) {
		o = fmt_u64(o, ++id);
		*o++ = ',';
		o = fmt_u64(o, cid + j + 1);
		*o++ = ',';
		o = fmt_u64(o, rid);
		*o++ = ',';
		*o++ = (char)('0' + rows_char_value(&r, rating,
		    cat->names[j]));
		*o++ = '\n';
	}
	return (size_t)(o - out);
}
