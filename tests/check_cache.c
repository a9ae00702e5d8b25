/*
 * The shared response cache: hits, invalidation by a write's generation
 * bump (seen across processes), the listener's confirmations and drops,
 * TTL expiry, what is not cached.  The test plays the listener: it calls
 * cache_heard as reviews-listen does after each of its pings.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "cache.h"
#include "clock.h"

static char	 path[64];

static void
setup(void)
{
	snprintf(path, sizeof(path), "/dev/shm/check_cache.%ld", (long)getpid());
	unlink(path);
	ck_assert_int_eq(cache_open(path, 1, 200), 0);
	cache_heard(clock_ms());
}

static void
teardown(void)
{
	cache_close();
	unlink(path);
}

static const struct cache_key k1 = { .kind = CACHE_LIST, .sort = 2,
    .product = 42, .page = 1, .count = 5 };

/* A stored response comes back byte for byte, for that key only. */
START_TEST(test_cache_hit)
{
	struct cache_key	 other = k1;
	const char		*got;
	size_t			 len;
	uint64_t		 etag;

	ck_assert_ptr_null(cache_get(&k1, &len, &etag));
	cache_put(&k1, cache_generation(42), "{\"a\":1}", 7, 7);
	got = cache_get(&k1, &len, &etag);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(len, 7);
	ck_assert_int_eq(memcmp(got, "{\"a\":1}", 7), 0);
	other.sort = 0;
	ck_assert_ptr_null(cache_get(&other, &len, &etag));
	other = k1;
	other.kind = CACHE_META;
	ck_assert_ptr_null(cache_get(&other, &len, &etag));
}
END_TEST

/* A write's bump, from another process, makes older responses invisible. */
START_TEST(test_cache_bump_across_processes)
{
	uint64_t	 gen = cache_generation(42);
	size_t		 len;
	uint64_t	 etag;
	pid_t		 pid;
	int		 st;

	cache_put(&k1, gen, "old", 3, 7);
	ck_assert_ptr_nonnull(cache_get(&k1, &len, &etag));
	if ((pid = fork()) == 0) {
		cache_bump(42);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ck_assert_ptr_null(cache_get(&k1, &len, &etag));
	ck_assert_uint_eq(cache_generation(42), gen + 1);
	/* A response computed after reading the new generation is served. */
	cache_put(&k1, cache_generation(42), "new", 3, 7);
	ck_assert_ptr_nonnull(cache_get(&k1, &len, &etag));
}
END_TEST

/* A response computed before a bump but stored after it is never served. */
START_TEST(test_cache_put_after_bump)
{
	uint64_t	 gen = cache_generation(42);
	size_t		 len;
	uint64_t	 etag;

	cache_bump(42);
	cache_put(&k1, gen, "raced", 5, 7);
	ck_assert_ptr_null(cache_get(&k1, &len, &etag));
}
END_TEST

/* Responses older than the TTL are not served. */
START_TEST(test_cache_ttl)
{
	size_t	 len;
	uint64_t etag;

	cache_put(&k1, cache_generation(42), "x", 1, 7);
	ck_assert_ptr_nonnull(cache_get(&k1, &len, &etag));
	usleep(250 * 1000);
	ck_assert_ptr_null(cache_get(&k1, &len, &etag));
}
END_TEST

/* Too large a response is not cached; without a region nothing is. */
START_TEST(test_cache_limits)
{
	static char	 big[8192];
	size_t		 len;
	uint64_t	 etag;

	cache_put(&k1, cache_generation(42), big, sizeof(big), 7);
	ck_assert_ptr_null(cache_get(&k1, &len, &etag));
	cache_close();
	ck_assert_int_eq(cache_enabled(), 0);
	cache_put(&k1, 0, "x", 1, 7);
	ck_assert_ptr_null(cache_get(&k1, &len, &etag));
	/* No TTL: the region holds metrics, no answers. */
	ck_assert_int_eq(cache_open(path, 1, 0), 0);
	cache_heard(clock_ms());
	ck_assert_int_eq(cache_enabled(), 0);
	cache_put(&k1, cache_generation(42), "x", 1, 7);
	ck_assert_ptr_null(cache_get(&k1, &len, &etag));
	cache_close();
	ck_assert_int_eq(cache_open(NULL, 1, 100), -1);
}
END_TEST

/*
 * Four ways a set: 200 answers in a 1 MiB region (256 slots) nearly all
 * stay (a direct-mapped cache of that size keeps about 140; four ways
 * never fewer than 160 in 2,000 simulated runs).
 */
START_TEST(test_cache_ways)
{
	struct cache_key	 k = k1;
	size_t			 len;
	uint64_t		 etag;
	int			 i, kept = 0;

	for (i = 0; i < 200; i++) {
		k.product = 1000 + i;
		cache_put(&k, cache_generation(k.product), "x", 1, 7);
	}
	for (i = 0; i < 200; i++) {
		k.product = 1000 + i;
		kept += cache_get(&k, &len, &etag) != NULL;
	}
	ck_assert_int_ge(kept, 160);
}
END_TEST

/* The ETag is stored with the answer and comes back with it. */
START_TEST(test_cache_etag)
{
	size_t		 len;
	uint64_t	 etag = 0;

	cache_put(&k1, cache_generation(42), "{}", 2, 0x1234abcd5678ef90ull);
	ck_assert_ptr_nonnull(cache_get(&k1, &len, &etag));
	ck_assert_uint_eq(etag, 0x1234abcd5678ef90ull);
}
END_TEST

/*
 * Without a recent confirmation from the listener nothing is served or
 * stored: it may be dead, or cut off from the database.
 */
START_TEST(test_cache_needs_listener)
{
	size_t		 len;
	uint64_t	 etag;

	cache_put(&k1, cache_generation(42), "x", 1, 7);
	ck_assert_ptr_nonnull(cache_get(&k1, &len, &etag));
	cache_deaf();
	ck_assert_ptr_null(cache_get(&k1, &len, &etag));
	ck_assert_uint_eq(cache_generation(42), 0);
	cache_put(&k1, cache_generation(42), "y", 1, 7);
	/* A confirmation older than CACHE_HEARD_MS does not count. */
	cache_heard(clock_ms() - CACHE_HEARD_MS - 5);
	ck_assert_ptr_null(cache_get(&k1, &len, &etag));
	ck_assert_uint_eq(cache_generation(42), 0);
	cache_heard(clock_ms());
	ck_assert_ptr_nonnull(cache_get(&k1, &len, &etag));
	ck_assert_int_eq(memcmp(cache_get(&k1, &len, &etag), "x", 1), 0);
}
END_TEST

/* A (re)connected listener drops every answer; so does "*". */
START_TEST(test_cache_drops)
{
	static const struct cache_key k2 = { .kind = CACHE_META,
	    .product = 43 };
	struct cache_stats	 st;
	size_t			 len;
	uint64_t		 etag;

	cache_put(&k1, cache_generation(42), "x", 1, 7);
	cache_put(&k2, cache_generation(43), "y", 1, 7);
	cache_connected();
	ck_assert_ptr_null(cache_get(&k1, &len, &etag));
	ck_assert_ptr_null(cache_get(&k2, &len, &etag));
	cache_put(&k1, cache_generation(42), "x", 1, 7);
	ck_assert_ptr_nonnull(cache_get(&k1, &len, &etag));
	cache_drop_all();
	ck_assert_ptr_null(cache_get(&k1, &len, &etag));
	cache_put(&k2, cache_generation(43), "y", 1, 7);
	cache_invalidate(42);
	ck_assert_ptr_nonnull(cache_get(&k2, &len, &etag));
	cache_stats(&st);
	ck_assert_uint_eq(st.drops, 2);
	ck_assert_uint_eq(st.listener_connects, 1);
	ck_assert_uint_eq(st.invalidations, 1);
}
END_TEST

/* The suite tests/check_main.c runs. */
/*
 * Replay positions: a product's need is the highest of its writers', the
 * listener's and the whole-cache one; unknown while the listener does not
 * confirm, or between a notification and its ping's answer.
 */
START_TEST(test_cache_lsn)
{
	uint64_t	 gen = cache_generation(42);
	pid_t		 pid;
	int		 st;

	ck_assert_uint_eq(cache_lsn_needed(42), 0);
	if ((pid = fork()) == 0) {	/* a writer of another process */
		cache_wrote(42, 1000);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ck_assert_uint_eq(cache_lsn_needed(42), 1000);
	ck_assert_uint_eq(cache_generation(42), gen + 1);	/* and bumped */
	cache_wrote(42, 500);		/* a lower position lowers nothing */
	ck_assert_uint_eq(cache_lsn_needed(42), 1000);
	ck_assert_uint_eq(cache_lsn_needed(43), 0);
	/* The listener heard 43: unknown until its ping answers 2000. */
	cache_lsn_heard_set(43, CACHE_LSN_UNKNOWN);
	ck_assert_uint_eq(cache_lsn_needed(43), CACHE_LSN_UNKNOWN);
	cache_lsn_heard_set(43, 2000);
	ck_assert_uint_eq(cache_lsn_needed(43), 2000);
	/* Every product: at least the whole-cache position. */
	cache_lsn_heard_set(-1, 3000);
	ck_assert_uint_eq(cache_lsn_needed(42), 3000);
	ck_assert_uint_eq(cache_lsn_needed(7), 3000);
	cache_wrote(7, 4000);
	ck_assert_uint_eq(cache_lsn_needed(7), 4000);
	/* Products share slots as generations do: only more reads move. */
	ck_assert(cache_lsn_shared(7, 7 + (1 << 20)));
	ck_assert(!cache_lsn_shared(7, 8));
	ck_assert_uint_eq(cache_lsn_needed(7 + (1 << 20)), 4000);
	/* A listener not confirming: nothing is known. */
	cache_deaf();
	ck_assert_uint_eq(cache_lsn_needed(1), CACHE_LSN_UNKNOWN);
	cache_heard(clock_ms());
	ck_assert_uint_eq(cache_lsn_needed(1), 3000);
}
END_TEST

/* The standbys' lag as the listener wrote it. */
START_TEST(test_cache_standbys)
{
	struct cache_standby	 in[2] = {
		{ .name = "db2", .lag_bytes = 10, .lag_ms = 2, .at_ms = 5 },
		{ .name = "db3", .lag_bytes = 0, .lag_ms = 0, .at_ms = 5 },
	}, out[CACHE_STANDBYS];

	ck_assert_int_eq(cache_standbys_get(out), 0);
	cache_standbys_set(in, 2);
	ck_assert_int_eq(cache_standbys_get(out), 2);
	ck_assert_str_eq(out[0].name, "db2");
	ck_assert_int_eq(out[0].lag_bytes, 10);
	ck_assert_str_eq(out[1].name, "db3");
	cache_standbys_set(in, 1);
	ck_assert_int_eq(cache_standbys_get(out), 1);
}
END_TEST

Suite *
check_suite(void)
{
	Suite	*s = suite_create("cache");
	TCase	*tc = tcase_create("shm");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cache_hit);
	tcase_add_test(tc, test_cache_etag);
	tcase_add_test(tc, test_cache_ways);
	tcase_add_test(tc, test_cache_needs_listener);
	tcase_add_test(tc, test_cache_drops);
	tcase_add_test(tc, test_cache_bump_across_processes);
	tcase_add_test(tc, test_cache_put_after_bump);
	tcase_add_test(tc, test_cache_ttl);
	tcase_add_test(tc, test_cache_limits);
	tcase_add_test(tc, test_cache_lsn);
	tcase_add_test(tc, test_cache_standbys);
	suite_add_tcase(s, tc);
	return s;
}
