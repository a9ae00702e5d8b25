#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "die.h"

/*
 * Print "reviews-load: " and the printf-style message to stderr, then
 * exit(1).  The module's one function carries the module's name, so it has
 * no prefix of its own.
 */
void
die(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fputs("reviews-load: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}
