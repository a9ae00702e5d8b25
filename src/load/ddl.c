#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "conn.h"
#include "ddl.h"
#include "die.h"

/* Statements run by several connections at once. */
static char		**par_stmt;
static int		 par_n;
static int		 par_next;
static pthread_mutex_t	 par_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Read the script dir/name into a NUL-terminated string the caller frees
 * with free.  Dies when it cannot.
 */
static char *
ddl_read(const char *dir, const char *name)
{
	char		 path[4096];
	struct stat	 st;
	char		*s;
	int		 fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) < 0)
		die("%s: %s", path, strerror(errno));
	if ((s = malloc((size_t)st.st_size + 1)) == NULL)
		die("out of memory");
	if (read(fd, s, (size_t)st.st_size) != st.st_size)
		die("%s: short read", path);
	s[st.st_size] = '\0';
	close(fd);
	return s;
}

/* Run the script dir/name on c, all statements at once; errors name it. */
void
ddl_script(PGconn *c, const char *dir, const char *name)
{
	char	*sql = ddl_read(dir, name);

	conn_exec(c, sql, name);
	free(sql);
}

/* Take statements off the list until none is left.  A thread body. */
static void *
ddl_worker(void *arg)
{
	PGconn	*c = conn_open();
	int	 i;

	(void)arg;
	conn_exec(c, "SET maintenance_work_mem = '512MB'", "settings");
	for (;;) {
		pthread_mutex_lock(&par_lock);
		i = par_next++;
		pthread_mutex_unlock(&par_lock);
		if (i >= par_n)
			break;
		conn_exec(c, par_stmt[i], par_stmt[i]);
	}
	PQfinish(c);
	return NULL;
}

/* Run n statements on jobs connections at once; wait for all. */
static void
ddl_parallel(char **stmt, int n, int jobs)
{
	pthread_t	 t[DDL_JOBS_MAX];
	int		 i;

	par_stmt = stmt;
	par_n = n;
	par_next = 0;
	for (i = 0; i < jobs && i < n; i++)
		pthread_create(&t[i], NULL, ddl_worker, NULL);
	for (i = 0; i < jobs && i < n; i++)
		pthread_join(t[i], NULL);
}

/*
 * Split an SQL script into statements (in place): "--" comments blanked
 * (they may hold ';'), then cut at each ';'.  Returns how many, at most max.
 */
static int
ddl_split(char *sql, char **out, int max)
{
	char	*p;
	int	 n = 0;

	for (p = strstr(sql, "--"); p != NULL; p = strstr(p, "--"))
		while (*p != '\0' && *p != '\n')
			*p++ = ' ';
	for (p = strtok(sql, ";"); p != NULL && n < max; p = strtok(NULL, ";"))
		if (strspn(p, " \t\n") != strlen(p))
			out[n++] = p;
	return n;
}

/*
 * Keys and indexes of dir's constraints.sql and indexes.sql at once (jobs
 * connections, 1..DDL_JOBS_MAX), then the foreign keys, NOT VALID: the
 * loader proved every one of them row by row, so PostgreSQL need not scan
 * 22 million rows again; it checks every new row.
 */
void
ddl_keys(const char *dir, int jobs)
{
	char	*cons = ddl_read(dir, "constraints.sql");
	char	*idx = ddl_read(dir, "indexes.sql");
	char	*all[64], *first[64], *fks[16], buf[16][512];
	int	 n, i, nf = 0, nk = 0;

	n = ddl_split(cons, all, 32);
	n += ddl_split(idx, all + n, 32);
	for (i = 0; i < n; i++) {
		if (strstr(all[i], "FOREIGN KEY") != NULL && nk < 16) {
			snprintf(buf[nk], sizeof(buf[nk]), "%s NOT VALID", all[i]);
			fks[nk] = buf[nk];
			nk++;
		} else
			first[nf++] = all[i];
	}
	ddl_parallel(first, nf, jobs);
	ddl_parallel(fks, nk, jobs);
	free(cons);
	free(idx);
}
