/*
 * SHA-256 (src/common/sha256.c) against FIPS 180-4's examples, and the
 * admin token check (src/api/auth.c): the token file's lines, the
 * Authorization header's forms, and a file that changes under a running
 * worker.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "check_main.h"
#include "sha256.h"

#define NROWS(a)	(sizeof(a) / sizeof((a)[0]))

static void
hex(const unsigned char *d, char out[2 * SHA256_LEN + 1])
{
	int	 i;

	for (i = 0; i < SHA256_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

struct sha_row {
	const char	*in;
	const char	*want;
};

static const struct sha_row sha_rows[] = {
	{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	/* 55 and 56 bytes: the length just fits the last block, or not
	 * (digests from coreutils' sha256sum). */
	{ "0123456789012345678901234567890123456789012345678901234",
	    "f34d5a0f80c0cbf84c8c0b90218c22637abd199965249da736a20143c8c9c9d9" },
	{ "01234567890123456789012345678901234567890123456789012345",
	    "83aa034bda83e458a0dc9cbce0d4e354716aa0ff770ed37ac0ed2b292052e4af" },
};

START_TEST(sha256_vectors)
{
	unsigned char	 d[SHA256_LEN];
	char		 got[2 * SHA256_LEN + 1];
	struct sha256	 s;
	size_t		 i;

	for (i = 0; i < NROWS(sha_rows); i++) {
		sha256(sha_rows[i].in, strlen(sha_rows[i].in), d);
		hex(d, got);
		ck_assert_str_eq(got, sha_rows[i].want);
	}
	/* A million 'a's, fed in pieces that straddle the blocks. */
	sha256_init(&s);
	for (i = 0; i < 1000000 / 125; i++)
		sha256_add(&s, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 125);
	sha256_end(&s, d);
	hex(d, got);
	ck_assert_str_eq(got,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

static char	 path[64];

/* A token file holding text; returns its path. */
static const char *
tokens(const char *text)
{
	FILE	*f;

	if (path[0] == '\0') {
		snprintf(path, sizeof(path), "/tmp/check_auth.%ld", (long)getpid());
	}
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	return path;
}

/* A line for token t named name. */
static void
line_for(const char *name, const char *t, char *out, size_t n)
{
	unsigned char	 d[SHA256_LEN];
	char		 h[2 * SHA256_LEN + 1];

	sha256(t, strlen(t), d);
	hex(d, h);
	snprintf(out, n, "%s %s\n", name, h);
}

struct header_row {
	const char	*header;	/* NULL: no header */
	const char	*name;		/* the token's name, or NULL: refused */
};

static const struct header_row header_rows[] = {
	{ "Bearer s3cret-Token_1.~+/=", "alice" },
	{ "bearer s3cret-Token_1.~+/=", "alice" },	/* the scheme's case */
	{ "Bearer   s3cret-Token_1.~+/=", "alice" },	/* blanks */
	{ "Bearer tok2", "bob" },
	{ NULL, NULL },
	{ "", NULL },
	{ "Bearer", NULL },
	{ "Bearer ", NULL },
	{ "Basic dG9rMg==", NULL },
	{ "Bearer TOK2", NULL },			/* the token's case */
	{ "Bearer tok", NULL },				/* a prefix */
	{ "Bearer tok22", NULL },
	{ "Bearer tok2 ", NULL },
	{ "Bearer tok 2", NULL },
	{ "Bearer \"tok2\"", NULL },
	{ "Bearer tok2,", NULL },
	{ "Bearertok2", NULL },
	{ "Token tok2", NULL },
	{ "Bearer =tok2", NULL },
	{ "Bearer tok2=x", NULL },
};

START_TEST(header_forms)
{
	char		 file[512], l[160];
	const char	*name, *why;
	size_t		 i;

	line_for("alice", "s3cret-Token_1.~+/=", file, sizeof(file));
	line_for("bob", "tok2", l, sizeof(l));
	strcat(file, "# a comment, then a blank line\n\n");
	strcat(file, l);
	auth_init(tokens(file));
	ck_assert_int_eq(auth_enabled(), 1);
	for (i = 0; i < NROWS(header_rows); i++) {
		name = NULL;
		why = auth_check(header_rows[i].header, &name);
		if (header_rows[i].name != NULL) {
			ck_assert_msg(why == NULL, "row %zu refused: %s", i, why);
			ck_assert_str_eq(name, header_rows[i].name);
		} else
			ck_assert_msg(why != NULL, "row %zu taken as %s", i, name);
	}
}
END_TEST

/* A 10 KB token is refused without being hashed into a match. */
START_TEST(long_token)
{
	static char	 h[10240 + 8];
	const char	*name;

	memcpy(h, "Bearer ", 7);
	memset(h + 7, 'a', 10240);
	auth_init(tokens(""));
	ck_assert_ptr_nonnull(auth_check(h, &name));
}
END_TEST

/* Bad lines are skipped, good ones around them kept. */
START_TEST(file_lines)
{
	char	 file[1024], l[160];
	const char *name;

	strcpy(file, "no-hash-here\n");
	strcat(file, "bad name 0000000000000000000000000000000000000000000000000000000000000000\n");
	strcat(file, "short 00000000\n");
	line_for("carol", "t3", l, sizeof(l));
	strcat(file, l);
	strcat(file, "tail 0000000000000000000000000000000000000000000000000000000000000000 x\n");
	auth_init(tokens(file));
	ck_assert_ptr_null(auth_check("Bearer t3", &name));
	ck_assert_str_eq(name, "carol");
	ck_assert_ptr_nonnull(auth_check("Bearer no-hash-here", &name));
}
END_TEST

/* A changed file is read again; a removed one holds no tokens. */
START_TEST(file_changes)
{
	char	 l[160];
	const char *name;

	line_for("dave", "first", l, sizeof(l));
	auth_init(tokens(l));
	ck_assert_ptr_null(auth_check("Bearer first", &name));
	line_for("erin", "second-token", l, sizeof(l));
	tokens(l);
	ck_assert_ptr_nonnull(auth_check("Bearer first", &name));
	ck_assert_ptr_null(auth_check("Bearer second-token", &name));
	ck_assert_str_eq(name, "erin");
	unlink(path);
	ck_assert_ptr_nonnull(auth_check("Bearer second-token", &name));
	auth_init(NULL);
	ck_assert_int_eq(auth_enabled(), 0);
	auth_init("");
	ck_assert_int_eq(auth_enabled(), 0);
}
END_TEST

Suite *
check_suite(void)
{
	Suite	*s = suite_create("auth");
	TCase	*tc;

	tc = tcase_create("sha256");
	tcase_add_test(tc, sha256_vectors);
	suite_add_tcase(s, tc);
	tc = tcase_create("tokens");
	tcase_add_test(tc, header_forms);
	tcase_add_test(tc, long_token);
	tcase_add_test(tc, file_lines);
	tcase_add_test(tc, file_changes);
	suite_add_tcase(s, tc);
	return s;
}
