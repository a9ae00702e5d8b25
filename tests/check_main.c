/*
 * main() of every Check suite: run check_suite() and speak TAP on stdout
 * (one "ok N - ..." or "not ok N - file:line:...: message" per test, and
 * the plan), which automake's tap-driver.sh and tests/run read.  With
 * CK_VERBOSITY set, Check's own report is printed as well.  Exit status
 * 0 when every test passed.
 */
#include <stdlib.h>

#include "check_main.h"
#include "check_main.h"

int
main(void)
{
	SRunner	*sr = srunner_create(check_suite());
	int	 failed;

	srunner_set_tap(sr, "-");
	srunner_run_all(sr, getenv("CK_VERBOSITY") != NULL ? CK_ENV : CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
