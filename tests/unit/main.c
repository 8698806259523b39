/* Runs every unit suite; run from the project root (data paths are
 * relative to it).  Exit status 0 only when every test passed.  The
 * tests' files go into one directory of the runner's own under $TMPDIR
 * (or /tmp), removed at the end with whatever a test that exits (an
 * exit test) could not remove itself. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	SRunner *sr;
	int failed;

	snprintf(dir, sizeof dir, "%s/settle-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("unit-tests: mkdtemp");
		return EXIT_FAILURE;
	}
	setenv("TMPDIR", dir, 1);
	sr = srunner_create(suite_money());

	srunner_add_suite(sr, suite_period());
	srunner_add_suite(sr, suite_ident());
	srunner_add_suite(sr, suite_text());
	srunner_add_suite(sr, suite_strset());
	srunner_add_suite(sr, suite_tsv());
	srunner_add_suite(sr, suite_csvin());
	srunner_add_suite(sr, suite_reject());
	srunner_add_suite(sr, suite_out());
	srunner_add_suite(sr, suite_linesum());
	srunner_add_suite(sr, suite_config());
	srunner_add_suite(sr, suite_msg());
	srunner_add_suite(sr, suite_input());
	srunner_add_suite(sr, suite_schema());
	srunner_add_suite(sr, suite_state());
	srunner_add_suite(sr, suite_tally());
	srunner_add_suite(sr, suite_totals());
	srunner_add_suite(sr, suite_fmt());
	srunner_add_suite(sr, suite_price());
	srunner_add_suite(sr, suite_checks());
	srunner_add_suite(sr, suite_rate());
	srunner_add_suite(sr, suite_entity());
	srunner_add_suite(sr, suite_rules_misc());
	srunner_add_suite(sr, suite_docreg());
	srunner_add_suite(sr, suite_runsort());
	srunner_add_suite(sr, suite_lineidx());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0) {
		perror(dir);
		failed++;
	}
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
