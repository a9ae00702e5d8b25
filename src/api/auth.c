#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "auth.h"
#include "digits.h"
#include "sha256.h"

#define AUTH_TOKENS_MAX	64

struct auth_token {
	char		 name[AUTH_NAME_MAX + 1];
	unsigned char	 hash[SHA256_LEN];
};

static char		*auth_path;
static struct auth_token auth_tokens[AUTH_TOKENS_MAX];
static size_t		 auth_ntokens;
static struct stat	 auth_seen;	/* the file as last read */
static int		 auth_read_once;

/* Name the token file (NULL or "": no admin API). */
void
auth_init(const char *path)
{
	free(auth_path);
	auth_path = path != NULL && *path != '\0' ? strdup(path) : NULL;
	auth_ntokens = 0;
	auth_read_once = 0;
}

int
auth_enabled(void)
{
	return auth_path != NULL;
}

/*
 * One line of the file into t: NAME (letters, digits, ". _ -"), one or
 * more blanks, 64 hex digits, nothing else.  Returns 0, or -1.
 */
static int
auth_parse(const char *line, struct auth_token *t)
{
	size_t	 n = strspn(line, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");
	int	 i, hi, lo;

	if (n == 0 || n > AUTH_NAME_MAX || (line[n] != ' ' && line[n] != '\t'))
		return -1;
	memcpy(t->name, line, n);
	t->name[n] = '\0';
	line += n + strspn(line + n, " \t");
	for (i = 0; i < SHA256_LEN; i++) {
		if ((hi = digits_hex(line[2 * i])) < 0 ||
		    (lo = digits_hex(line[2 * i + 1])) < 0)
			return -1;
		t->hash[i] = (unsigned char)(hi << 4 | lo);
	}
	line += 2 * SHA256_LEN;
	return line[strspn(line, " \t\r\n")] == '\0' ? 0 : -1;
}

/*
 * Read the file again if it changed since it was last read.  A missing
 * or unreadable file holds no tokens (every token is refused); a bad line
 * is reported and skipped.
 */
static void
auth_reload(void)
{
	struct stat	 st;
	char		 line[512];
	FILE		*f;
	int		 lineno = 0;

	if (stat(auth_path, &st) < 0) {
		auth_ntokens = 0;
		memset(&auth_seen, 0, sizeof(auth_seen));
		return;
	}
	if (auth_read_once && st.st_ino == auth_seen.st_ino &&
	    st.st_size == auth_seen.st_size &&
	    st.st_mtim.tv_sec == auth_seen.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == auth_seen.st_mtim.tv_nsec)
		return;
	auth_ntokens = 0;
	auth_seen = st;
	auth_read_once = 1;
	if ((f = fopen(auth_path, "r")) == NULL) {
		fprintf(stderr, "reviews-fcgi: %s: cannot read the admin tokens\n",
		    auth_path);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0' || line[0] == '#')
			continue;
		if (auth_ntokens == AUTH_TOKENS_MAX ||
		    auth_parse(line, &auth_tokens[auth_ntokens]) < 0) {
			fprintf(stderr, "reviews-fcgi: %s:%d: not a \"NAME "
			    "SHA256HEX\" line (or past %d tokens): skipped\n",
			    auth_path, lineno, AUTH_TOKENS_MAX);
			continue;
		}
		auth_ntokens++;
	}
	fclose(f);
}

/* RFC 6750's b64token: the characters a bearer token may hold. */
static int
auth_token_ok(const char *s)
{
	size_t	 n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/");

	n += strspn(s + n, "=");
	return n > 0 && n <= AUTH_TOKEN_MAX && s[n] == '\0';
}

/*
 * Check an Authorization header (NULL when absent).  Returns NULL with
 * *name the token's name, else what is wrong (answer 401).
 */
const char *
auth_check(const char *header, const char **name)
{
	unsigned char	 hash[SHA256_LEN];
	unsigned	 diff;
	size_t		 i, j, found = AUTH_TOKENS_MAX;

	if (header == NULL)
		return "is required: Bearer <token>";
	if (strncasecmp(header, "Bearer ", 7) != 0)
		return "must be Bearer <token>";
	header += 7;
	header += strspn(header, " ");
	if (!auth_token_ok(header))
		return "must be Bearer <token>";
	auth_reload();
	sha256(header, strlen(header), hash);
	/* Every line is compared, whatever matched: no timing says which. */
	for (i = 0; i < auth_ntokens; i++) {
		for (diff = 0, j = 0; j < SHA256_LEN; j++)
			diff |= hash[j] ^ auth_tokens[i].hash[j];
		if (diff == 0)
			found = i;
	}
	if (found == AUTH_TOKENS_MAX)
		return "is not a valid admin token";
	*name = auth_tokens[found].name;
	return NULL;
}
