/* Runs every unit suite; run from the project root (data paths are
 * relative to it).  Exit status 0 only when every test passed. */
#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	SRunner *sr = srunner_create(suite_money());
	int failed;

	srunner_add_suite(sr, suite_period());
	srunner_add_suite(sr, suite_ident());
	srunner_add_suite(sr, suite_text());
	srunner_add_suite(sr, suite_strset());
	srunner_add_suite(sr, suite_tsv());
	srunner_add_suite(sr, suite_csvin());
	srunner_add_suite(sr, suite_reject());
	srunner_add_suite(sr, suite_out());
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
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
