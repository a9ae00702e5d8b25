/*
 * sql-dump: the worker's statements as pgbench scripts, printed from
 * sql.c's table itself, so spawn/bench's database ceiling runs exactly what
 * the worker prepares.  The build writes tests/load/pgbench/ with it.
 * Links sql.c alone: nothing else of the worker.
 *
 *   sql-dump NAME       the statement NAME as a pgbench script
 *   sql-dump --options  the worker's session settings, for PGOPTIONS
 *   sql-dump --explain  a psql script that EXPLAINs every statement of the
 *                       table as the worker plans it (tests/explain.sh)
 *
 * A script gives each $n parameter a pgbench variable, set by a \set line
 * from the table below; only the statements the bench runs have one.
 * Exit 1 (and no output) for an unknown name, or when the statement's
 * parameters and the script's variables disagree: the build stops rather
 * than benchmark something else.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

#define DUMP_MAXVARS	4

/*
 * The bench's statements and their parameters in order: "name expression",
 * a \set line each.  Product ids are drawn from [lo, hi], which spawn/bench
 * passes as -D lo=N -D hi=M (the last 10% of the id range, as the wrk and
 * k6 profiles use); lists take the first page of 5, as the profiles do.
 */
static const struct dump_script {
	enum db_stmt	 stmt;
	const char	*vars[DUMP_MAXVARS];
} dump_scripts[] = {
	{ DB_LIST_NEWEST, { "pid random(:lo, :hi)", "cnt 5", "off 0" } },
	{ DB_LIST_HELPFUL, { "pid random(:lo, :hi)", "cnt 5", "off 0" } },
	{ DB_LIST_RELEVANT, { "pid random(:lo, :hi)", "cnt 5", "off 0" } },
	{ DB_META, { "pid random(:lo, :hi)" } },
};

/* The script of the statement called name, or NULL. */
static const struct dump_script *
dump_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(dump_scripts) / sizeof(dump_scripts[0]); i++)
		if (strcmp(db_sql[dump_scripts[i].stmt].name, name) == 0)
			return &dump_scripts[i];
	return NULL;
}

/* How many variables the script sets. */
static int
dump_nvars(const struct dump_script *d)
{
	int	 n = 0;

	while (n < DUMP_MAXVARS && d->vars[n] != NULL)
		n++;
	return n;
}

/*
 * Check that the statement's parameters are exactly the script's variables:
 * as many, and every $n in its SQL one of them.  Returns 0, or -1 and says
 * why.
 */
static int
dump_check(const struct dump_script *d)
{
	const struct db_sql	*q = &db_sql[d->stmt];
	const char		*s;
	long			 n;

	if (q->nparams != dump_nvars(d)) {
		fprintf(stderr, "sql-dump: %s takes %d parameters, its script "
		    "sets %d variables: update sql-dump.c\n", q->name,
		    q->nparams, dump_nvars(d));
		return -1;
	}
	for (s = strchr(q->sql, '$'); s != NULL; s = strchr(s + 1, '$')) {
		if (!isdigit((unsigned char)s[1]))
			continue;
		n = strtol(s + 1, NULL, 10);
		if (n < 1 || n > dump_nvars(d)) {
			fprintf(stderr, "sql-dump: %s: no variable for $%ld\n",
			    q->name, n);
			return -1;
		}
	}
	return 0;
}

/*
 * Print the pgbench script of d (checked by dump_check) to stdout: a
 * header, the \set lines, and the statement with each $n replaced by :var,
 * the n-th variable's name (its \set line up to the first space).
 */
static void
dump_script(const struct dump_script *d)
{
	const char	*s = db_sql[d->stmt].sql, *v;
	char		*end;
	int		 i;

	printf("-- pgbench script for spawn/bench: the worker's \"%s\" "
	    "statement, generated\n"
	    "-- from src/api/sql.c by src/api/sql-dump at build time: do not "
	    "edit.  Its $n\n"
	    "-- parameters are pgbench variables.  Run with -M prepared (what "
	    "the worker\n"
	    "-- does: prepared once per connection) or -M simple, -D lo=N -D "
	    "hi=M (product\n"
	    "-- ids drawn from [lo, hi]) and PGOPTIONS set to the worker's "
	    "session settings\n"
	    "-- (tests/load/pgbench/pgoptions).\n", db_sql[d->stmt].name);
	for (i = 0; i < dump_nvars(d); i++)
		printf("\\set %s\n", d->vars[i]);
	while (*s != '\0') {
		if (*s != '$' || !isdigit((unsigned char)s[1])) {
			putchar(*s++);
			continue;
		}
		v = d->vars[strtol(s + 1, &end, 10) - 1];
		printf(":%.*s", (int)strcspn(v, " "), v);
		s = end;
	}
	printf(";\n");
}

/*
 * Print db_options ("-c name=value" pairs, as libpq's options take them)
 * as SET lines, or with print 0 only check them.  Returns 0, or -1 and
 * says why when it holds anything else: the script must run under exactly
 * the worker's settings.
 */
static int
dump_settings(int print)
{
	const char	*s = db_options, *eq;
	size_t		 n;

	for (;;) {
		s += strspn(s, " ");
		if (*s == '\0')
			return 0;
		if (strncmp(s, "-c ", 3) != 0)
			break;
		s += 3;
		n = strcspn(s, " ");
		eq = memchr(s, '=', n);
		if (eq == NULL || eq == s || memchr(s, '\'', n) != NULL)
			break;
		if (print)
			printf("SET %.*s = '%.*s';\n", (int)(eq - s), s,
			    (int)(n - (size_t)(eq - s) - 1), eq + 1);
		s += n;
	}
	fprintf(stderr, "sql-dump: cannot read the session settings \"%s\"\n",
	    db_options);
	return -1;
}

/*
 * Print a psql script that EXPLAINs every statement of the table, in
 * table order, as the worker plans it: its session settings first, then
 * per statement a line "statement NAME", PREPARE NAME AS its SQL, and
 * EXPLAIN EXECUTE NAME with a NULL for each parameter.  The settings hold
 * plan_cache_mode=force_generic_plan, so what is explained is the generic
 * plan every execution of the worker uses, whatever its parameters: the
 * NULLs choose nothing.  EXPLAIN without ANALYZE runs nothing, so writes
 * are explained too.  A statement that fails to prepare or explain gets
 * a line "error MESSAGE" and the script goes on; it ends with "end N", N
 * the number of statements, so a reader can tell it ran to the end.
 * Returns 0, or -1 (nothing printed) when the settings cannot be read.
 */
static int
dump_explain(void)
{
	int	 i, j;

	if (dump_settings(0) < 0)
		return -1;
	printf("-- EXPLAIN of every statement the worker prepares, generated "
	    "from\n-- src/api/sql.c by src/api/sql-dump --explain: run with psql "
	    "-tA (tests/explain.sh).\n");
	dump_settings(1);
	for (i = 0; i < DB__MAX; i++) {
		printf("\\echo 'statement %s'\n", db_sql[i].name);
		printf("PREPARE %s AS %s;\n", db_sql[i].name, db_sql[i].sql);
		printf("\\if :ERROR\n\\echo 'error' :LAST_ERROR_MESSAGE\n"
		    "\\else\n");
		printf("EXPLAIN EXECUTE %s", db_sql[i].name);
		for (j = 0; j < db_sql[i].nparams; j++)
			printf("%sNULL", j == 0 ? "(" : ", ");
		printf("%s;\n", db_sql[i].nparams > 0 ? ")" : "");
		printf("\\if :ERROR\n\\echo 'error' :LAST_ERROR_MESSAGE\n"
		    "\\endif\n\\endif\n");
	}
	printf("\\echo 'end %d'\n", DB__MAX);
	return 0;
}

int
main(int argc, char *argv[])
{
	const struct dump_script	*d;

	if (argc != 2) {
		fprintf(stderr, "usage: sql-dump NAME | --options | --explain\n");
		return 2;
	}
	if (strcmp(argv[1], "--options") == 0)
		printf("%s\n", db_options);
	else if (strcmp(argv[1], "--explain") == 0) {
		if (dump_explain() < 0)
			return 1;
	} else if ((d = dump_find(argv[1])) == NULL) {
		fprintf(stderr, "sql-dump: no pgbench script for \"%s\"\n",
		    argv[1]);
		return 1;
	} else if (dump_check(d) < 0)
		return 1;
	else
		dump_script(d);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
