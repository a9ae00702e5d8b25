/*
 * The admin API's bearer tokens (API.md Part 2).  The token file, named by
 * the worker's configuration (ADMIN_TOKENS_FILE), holds one "NAME
 * SHA256HEX" line per token: the hex SHA-256 of the token, never the token.
 * A presented token is hashed and compared with every line in constant
 * time.  The file is read again whenever it changes, so a new token works
 * without a restart.  No file configured: the admin API does not exist
 * (every /admin path is a 404).
 */
#ifndef AUTH_H
#define AUTH_H

#define AUTH_NAME_MAX	64	/* characters of a token's name */
#define AUTH_TOKEN_MAX	512	/* characters of a token */

void		 auth_init(const char *);
int		 auth_enabled(void);
const char	*auth_check(const char *, const char **);

#endif
