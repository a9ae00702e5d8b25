/*
 * Encoders of the PostgreSQL text-format literals the worker passes as
 * statement parameters: text[] and integer[] arrays, and bytea in hex.
 * Every buffer is sized by a macro from the limits the validators enforce,
 * so valid input always fits; an encoder still refuses (-1) what does not.
 */
#ifndef PGENC_H
#define PGENC_H

#include <stddef.h>
#include <stdint.h>

#include "utf8.h"

/*
 * A text[] of n strings of at most maxchars characters each.  A character
 * is at most UTF8_CHAR_MAX bytes, and the only escaped ones ('"' and '\')
 * are one byte that becomes two, so an element takes at most
 * UTF8_CHAR_MAX * maxchars bytes, its two quotes and a comma; then the
 * braces and the NUL.
 */
#define PGENC_TEXT_ARRAY_CAP(n, maxchars) \
	((n) * (UTF8_CHAR_MAX * (size_t)(maxchars) + 3) + 3)
/* An integer[] of n 64-bit integers: 20 characters and a comma each. */
#define PGENC_INT_ARRAY_CAP(n)	((n) * 21 + 3)
/* A bytea of len bytes in hex: "\x", two digits a byte, the NUL. */
#define PGENC_BYTEA_CAP(len)	(2 * (size_t)(len) + 3)

int	 pgenc_text_array(char *, size_t, const char *const *, size_t);
int	 pgenc_int_array(char *, size_t, const int64_t *, size_t);
int	 pgenc_bytea(char *, size_t, const char *, size_t);

#endif
