/* Strict UTF-8: what every text the service stores must be. */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>

/* The most bytes one character takes: buffers are sized from it. */
#define UTF8_CHAR_MAX	4

int	 utf8_check(const char *, size_t *);

#endif
