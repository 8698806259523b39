/* tally: counts per named row, in first-seen order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "tally.h"
#include "util.h"

#define N(a)   ((int)(sizeof(a) / sizeof((a)[0])))
#define S(lit) lit, sizeof(lit) - 1

START_TEST(test_tally)
{
	static const char *const cols[] = {"a", "b"};
	char *path = util_temp_file("", 0), *got;
	tally t;
	size_t n;

	memset(&t, 0, sizeof t);
	ck_assert_int_eq(tally_add(&t, S("z.csv"), 0, 2), 0);
	ck_assert_int_eq(tally_add(&t, S("a.csv"), 1, 1), 0);
	ck_assert_int_eq(tally_add(&t, S("z.csv"), 1, 3), 0);
	ck_assert_int_eq(tally_add(&t, S("z.csv"), TALLY_MAXCOLS, 1), -1);
	etally_write(&t, path, "source", cols, 2);
	got = util_read_file(path, &n);
	ck_assert_str_eq(got, "source\ta\tb\nz.csv\t2\t3\na.csv\t0\t1\n");
	free(got);
	tally_free(&t);
	unlink(path);
	free(path);
}
END_TEST

Suite *
suite_tally(void)
{
	Suite *s = suite_create("tally");
	TCase *tc = tcase_create("tally");

	tcase_add_test(tc, test_tally);
	suite_add_tcase(s, tc);
	return s;
}
