/*
 * The reject report: a TSV file with a header line, then one line per
 * rejected row (file, line, reason, the raw row with \n, \t, \\ and other
 * control bytes escaped).  Threads that check rows write to it at once.
 */
#ifndef REJECT_H
#define REJECT_H

#include "csv.h"

void	 reject_open(const char *);
void	 reject_row(const char *, const struct csv *, const char *);
void	 reject_close(void);

#endif
