/*
 * The loader's DDL: SQL scripts of the --sql-dir run whole on one
 * connection, and the keys and indexes of constraints.sql and indexes.sql
 * cut into statements and run several at once, each worker thread on a
 * connection of its own.  Any error is fatal.
 */
#ifndef DDL_H
#define DDL_H

#include <libpq-fe.h>

#define DDL_JOBS_MAX	32	/* connections at once at most (--jobs) */

void	 ddl_script(PGconn *, const char *, const char *);
void	 ddl_keys(const char *, int);

#endif
