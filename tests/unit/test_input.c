/* input: checked fields of the pipeline's own files; a bad one stops the
 * run with status 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "msg.h"
#include "suites.h"
#include "util.h"

#define N(a)   ((int)(sizeof(a) / sizeof((a)[0])))
#define S(lit) lit, sizeof(lit) - 1

/* ---- input: a bad field stops the run with status 1. */
START_TEST(test_input_bad_money)
{
	char *path = util_temp_file(S("amount\n7.555\n"));
	tsv_reader r;
	int x;

	msg_setprog("unit");
	einput_open(&r, path);
	x = tsv_column(&r, "amount");
	ck_assert(einput_next(&r));
	einput_money(&r, x, 2);
}
END_TEST

START_TEST(test_input_fields)
{
	char *path = util_temp_file(S("m\tp\tt\tf\tn\nab-1\t2024-03-2\t2024-03-16\t1\t42\n"));
	tsv_reader r;

	einput_open(&r, path);
	ck_assert(einput_next(&r));
	ck_assert_str_eq(einput_ident(&r, 0), "ab-1");
	ck_assert_int_eq(einput_period(&r, 1) % 2, 1);
	ck_assert(einput_time(&r, 2) == 1710547200);
	ck_assert_int_eq(einput_flag(&r, 3), 1);
	ck_assert_int_eq(einput_count(&r, 4), 42);
	ck_assert(!einput_next(&r));
	tsv_close(&r);
	unlink(path);
	free(path);
}
END_TEST

Suite *
suite_input(void)
{
	Suite *s = suite_create("input");
	TCase *tc = tcase_create("input");

	tcase_add_exit_test(tc, test_input_bad_money, EXIT_DATA);
	tcase_add_test(tc, test_input_fields);
	suite_add_tcase(s, tc);
	return s;
}
