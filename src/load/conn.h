/*
 * The loader's connections to PostgreSQL: every thread opens its own (a
 * COPY, a DDL worker), all to the one database named once by the command
 * line's environment.  Any error is fatal.
 */
#ifndef CONN_H
#define CONN_H

#include <libpq-fe.h>

void	 conn_init(const char *);
PGconn	*conn_open(void);
void	 conn_exec(PGconn *, const char *, const char *);

#endif
