/*
 * The shared response cache: hits, invalidation by a write's generation
 * bump (seen across processes), TTL expiry, what is not cached.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"

static char	 path[64];

static void
setup(void)
{
	snprintf(path, sizeof(path), "/dev/shm/check_cache.%ld", (long)getpid());
	unlink(path);
	ck_assert_int_eq(cache_open(path, 1, 200), 0);
}

static void
teardown(void)
{
	cache_close();
	unlink(path);
}

static const struct cache_key k1 = { CACHE_LIST, 2, 0, 42, 1, 5 };

/* A stored response comes back byte for byte, for that key only. */
START_TEST(test_cache_hit)
{
	struct cache_key	 other = k1;
	const char		*got;
	size_t			 len;

	ck_assert_ptr_null(cache_get(&k1, &len));
	cache_put(&k1, cache_generation(42), "{\"a\":1}", 7);
	got = cache_get(&k1, &len);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(len, 7);
	ck_assert_int_eq(memcmp(got, "{\"a\":1}", 7), 0);
	other.sort = 0;
	ck_assert_ptr_null(cache_get(&other, &len));
	other = k1;
	other.kind = CACHE_META;
	ck_assert_ptr_null(cache_get(&other, &len));
}
END_TEST

/* A write's bump, from another process, makes older responses invisible. */
START_TEST(test_cache_bump_across_processes)
{
	uint64_t	 gen = cache_generation(42);
	size_t		 len;
	pid_t		 pid;
	int		 st;

	cache_put(&k1, gen, "old", 3);
	ck_assert_ptr_nonnull(cache_get(&k1, &len));
	if ((pid = fork()) == 0) {
		cache_bump(42);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ck_assert_ptr_null(cache_get(&k1, &len));
	ck_assert_uint_eq(cache_generation(42), gen + 1);
	/* A response computed after reading the new generation is served. */
	cache_put(&k1, cache_generation(42), "new", 3);
	ck_assert_ptr_nonnull(cache_get(&k1, &len));
}
END_TEST

/* A response computed before a bump but stored after it is never served. */
START_TEST(test_cache_put_after_bump)
{
	uint64_t	 gen = cache_generation(42);
	size_t		 len;

	cache_bump(42);
	cache_put(&k1, gen, "raced", 5);
	ck_assert_ptr_null(cache_get(&k1, &len));
}
END_TEST

/* Responses older than the TTL are not served. */
START_TEST(test_cache_ttl)
{
	size_t	 len;

	cache_put(&k1, cache_generation(42), "x", 1);
	ck_assert_ptr_nonnull(cache_get(&k1, &len));
	usleep(250 * 1000);
	ck_assert_ptr_null(cache_get(&k1, &len));
}
END_TEST

/* Too large a response is not cached; without a region nothing is. */
START_TEST(test_cache_limits)
{
	static char	 big[8192];
	size_t		 len;

	cache_put(&k1, cache_generation(42), big, sizeof(big));
	ck_assert_ptr_null(cache_get(&k1, &len));
	cache_close();
	ck_assert_int_eq(cache_enabled(), 0);
	cache_put(&k1, 0, "x", 1);
	ck_assert_ptr_null(cache_get(&k1, &len));
	ck_assert_int_eq(cache_open(path, 1, 0), -1);
	ck_assert_int_eq(cache_open(NULL, 1, 100), -1);
}
END_TEST

static Suite *
cache_suite(void)
{
	Suite	*s = suite_create("cache");
	TCase	*tc = tcase_create("shm");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cache_hit);
	tcase_add_test(tc, test_cache_bump_across_processes);
	tcase_add_test(tc, test_cache_put_after_bump);
	tcase_add_test(tc, test_cache_ttl);
	tcase_add_test(tc, test_cache_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(cache_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
