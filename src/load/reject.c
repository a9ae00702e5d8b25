#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "die.h"
#include "reject.h"

static FILE		*rejects;
static pthread_mutex_t	 rejects_lock = PTHREAD_MUTEX_INITIALIZER;

/* Create (or empty) the report at path and write its header; dies on error. */
void
reject_open(const char *path)
{
	if ((rejects = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	fputs("file\tline\treason\trow\n", rejects);
}

/*
 * Write a reject line for c's current record of file: file, the line the
 * record starts on, reason, the raw record (escaped).  Thread-safe: one
 * line is never interleaved with another.
 */
void
reject_row(const char *file, const struct csv *c, const char *reason)
{
	size_t	 i;

	pthread_mutex_lock(&rejects_lock);
	fprintf(rejects, "%s\t%ld\t%s\t", file, c->rec_line, reason);
	for (i = 0; i < c->rawlen; i++) {
		unsigned char ch = (unsigned char)c->raw[i];

		if (ch == '\n')
			fputs("\\n", rejects);
		else if (ch == '\t')
			fputs("\\t", rejects);
		else if (ch == '\\')
			fputs("\\\\", rejects);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(rejects, "\\x%02x", ch);
		else
			fputc(ch, rejects);
	}
	fputc('\n', rejects);
	pthread_mutex_unlock(&rejects_lock);
}

/* Close the report once no thread writes to it any more. */
void
reject_close(void)
{
	fclose(rejects);
	rejects = NULL;
}
