/*
 * The one main() of the Check suites (tests/check_main.c): each
 * tests/check_<module>.c exports check_suite, and is linked with it.
 */
#ifndef CHECK_MAIN_H
#define CHECK_MAIN_H

#include <check.h>

/* The suite of this test program; the caller srunner_frees it. */
Suite	*check_suite(void);

#endif
