/*
 * Checks of one CSV field as DATA.md writes them: bare integers within
 * bounds, bare true/false, the bare null, and text that is valid UTF-8
 * without NUL.  Pure functions: they read the field and nothing else.
 */
#ifndef FIELD_H
#define FIELD_H

#include <stdint.h>

#include "csv.h"

int	 field_int(const struct csv_field *, int64_t, int64_t, int64_t *);
int	 field_bool(const struct csv_field *, int *);
int	 field_null(const struct csv_field *);
int	 field_text(const struct csv_field *);

#endif
