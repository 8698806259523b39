/* The unit-test suites, one per lib/ module. */
#ifndef SUITES_H
#define SUITES_H

#include <check.h>

Suite *suite_checks(void);
Suite *suite_config(void);
Suite *suite_docreg(void);
Suite *suite_entity(void);
Suite *suite_fmt(void);
Suite *suite_input(void);
Suite *suite_csvin(void);
Suite *suite_ident(void);
Suite *suite_money(void);
Suite *suite_msg(void);
Suite *suite_out(void);
Suite *suite_period(void);
Suite *suite_price(void);
Suite *suite_rate(void);
Suite *suite_reject(void);
Suite *suite_rules_misc(void);
Suite *suite_runsort(void);
Suite *suite_lineidx(void);
Suite *suite_linesum(void);
Suite *suite_schema(void);
Suite *suite_state(void);
Suite *suite_strset(void);
Suite *suite_tally(void);
Suite *suite_text(void);
Suite *suite_totals(void);
Suite *suite_tsv(void);

#endif
