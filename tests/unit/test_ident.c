/* ident: the identifier rule of SPEC 2. */
#include <string.h>

#include "ident.h"
#include "suites.h"

static const struct {
	const char *in;
	int ok;
} cases[] = {
	{"a", 1},
	{"S01", 1},
	{"cs-merchant", 1},
	{"A-Z_0.9", 1},
	{"a.", 1},
	{"-a", 1},
	{"_", 1},
	{"0", 1},
	{"3442f8959a84dea7ee197c632cb2df15", 1},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1},  /* 64 */
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0}, /* 65 */
	{"", 0},
	{".a", 0},
	{".", 0},
	{"..", 0},
	{"a b", 0},
	{"a/b", 0},
	{"../etc", 0},
	{"a\\b", 0},
	{"a\tb", 0},
	{"\xc3\xa9", 0},
	{"a:b", 0},
	{"a,b", 0},
	{"a+b", 0},
};

START_TEST(test_ident)
{
	const char *in = cases[_i].in;

	ck_assert_msg(ident_valid(in, strlen(in)) == cases[_i].ok, "'%s'", in);
}
END_TEST

Suite *
suite_ident(void)
{
	Suite *s = suite_create("ident");
	TCase *tc = tcase_create("tables");

	tcase_add_loop_test(tc, test_ident, 0, (int)(sizeof cases / sizeof cases[0]));
	suite_add_tcase(s, tc);
	return s;
}
