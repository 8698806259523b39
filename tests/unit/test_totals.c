/* totals: money per entity and currency. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stdint.h>

#include "suites.h"
#include "totals.h"
#include "util.h"

#define N(a)   ((int)(sizeof(a) / sizeof((a)[0])))
#define S(lit) lit, sizeof(lit) - 1

/* ---- totals: rows sorted by key, money added with overflow checks. */
START_TEST(test_totals)
{
	static const char *const cols[] = {"in", "out"};
	char *path = util_temp_file("", 0), *got;
	totals t;
	size_t n;

	memset(&t, 0, sizeof t);
	ck_assert_int_eq(totals_add(&t, "USA", "USD", 0, 1050), 0);
	ck_assert_int_eq(totals_add(&t, "SIA", "JPY", 1, -300), 0);
	ck_assert_int_eq(totals_add(&t, "USA", "USD", 0, -50), 0);
	ck_assert_int_eq(totals_add(&t, "SIA", "KWD", 1, 1234), 0);
	ck_assert_int_eq(totals_add(&t, "SIA", "KWD", 0, INT64_MAX), 0);
	ck_assert_int_eq(totals_add(&t, "SIA", "KWD", 0, 1), -1); /* overflow */
	etotals_write(&t, path, cols, 2);
	got = util_read_file(path, &n);
	ck_assert_str_eq(got, "entity\tcurrency\tin_count\tin\tout_count\tout\n"
			      "SIA\tJPY\t0\t0\t1\t-300\n"
			      "SIA\tKWD\t2\t9223372036854775.807\t1\t1.234\n"
			      "USA\tUSD\t2\t10.00\t0\t0.00\n");
	free(got);
	totals_free(&t);
	unlink(path);
	free(path);
}
END_TEST

Suite *
suite_totals(void)
{
	Suite *s = suite_create("totals");
	TCase *tc = tcase_create("totals");

	tcase_add_test(tc, test_totals);
	suite_add_tcase(s, tc);
	return s;
}
