/*
 * Decimal integers as API.md and DATA.md write them: ASCII digits and
 * nothing else (no sign, no space, no trailing junk); and one hex digit's
 * value (percent-escapes, SHA-256 hashes in hex).
 */
#ifndef DIGITS_H
#define DIGITS_H

#include <stddef.h>
#include <stdint.h>

int	 digits_parse(const char *, size_t, int64_t, int64_t *);
int	 digits_hex(int);
uint64_t digits_lsn(const char *);

#endif
