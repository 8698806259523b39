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

Suite *
suite_schema(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("schema");

	tcase_add_loop_test(tc, test_types, 0, TYPE_NTYPES);
	tcase_add_test(tc, test_type_unknown);
	suite_add_tcase(s, tc);
	return s;
}
