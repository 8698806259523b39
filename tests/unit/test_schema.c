/* schema: line types and their names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schema.h"
#include "suites.h"

#define N(a)   ((int)(sizeof(a) / sizeof((a)[0])))
#define S(lit) lit, sizeof(lit) - 1

/* ---- schema: every type round-trips, in the order of the help centre. */
START_TEST(test_types)
{
	const char *code = schema_type_code(_i);

	ck_assert_int_eq(schema_type_of(code, strlen(code)), _i);
	ck_assert_str_ne(schema_type_name(_i), "?");
}
END_TEST

START_TEST(test_type_unknown)
{
	ck_assert_int_eq(schema_type_of(S("RC")), -1);
	ck_assert_int_eq(schema_type_of(S("r")), -1);
	ck_assert_str_eq(schema_type_name(TYPE_AD), "Joom Ads");
	ck_assert_str_eq(schema_type_code(TYPE_NTYPES), "?");
}
END_TEST

/* ---- statuses and hold reasons in words; unknown codes are NULL. */
static const struct {
	const char *code, *status, *hold;
} word_cases[] = {
	{"created", "Created: not paid yet", NULL},
	{"paid", "Paid", NULL},
	{"awaiting_invoice", "Awaiting the merchant's invoice", NULL},
	{"processing", "Processing: the merchant's invoice has arrived", NULL},
	{"", NULL, "None"},
	{"frozen", NULL, "Payouts to the merchant are frozen"},
	{"payout_details", NULL, "The merchant's payout details are missing or invalid"},
	{"Created", NULL, NULL},
	{"held", NULL, NULL},
};

START_TEST(test_words)
{
	const char *s = schema_status_name(word_cases[_i].code);
	const char *h = schema_hold_name(word_cases[_i].code);

	if (word_cases[_i].status)
		ck_assert_str_eq(s, word_cases[_i].status);
	else
		ck_assert_ptr_null(s);
	if (word_cases[_i].hold)
		ck_assert_str_eq(h, word_cases[_i].hold);
	else
		ck_assert_ptr_null(h);
}
END_TEST

Suite *
suite_schema(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("schema");

	tcase_add_loop_test(tc, test_types, 0, TYPE_NTYPES);
	tcase_add_test(tc, test_type_unknown);
	tcase_add_loop_test(tc, test_words, 0, N(word_cases));
	suite_add_tcase(s, tc);
	return s;
}
