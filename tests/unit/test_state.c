/* state: the period stamp and the number counters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "state.h"
#include "suites.h"
#include "util.h"

#define N(a)   ((int)(sizeof(a) / sizeof((a)[0])))
#define S(lit) lit, sizeof(lit) - 1

/* ---- state: counters per entity and year, saved sorted; a state of
 * another period stops the run with status 2. */
START_TEST(test_counters)
{
	char *path = util_temp_file(S("entity\tyear\tlast\nSIA\t2024\t41\n")), *got;
	counters cs;
	size_t n;

	ecounters_load(&cs, path, 0);
	ck_assert_int_eq(ecounters_next(&cs, "SIA", 2024), 42);
	ck_assert_int_eq(ecounters_next(&cs, "SIA", 2025), 1);
	ck_assert_int_eq(ecounters_next(&cs, "USA", 2024), 1);
	ck_assert_int_eq(ecounters_next(&cs, "SIA", 2025), 2);
	ecounters_save(&cs, path);
	counters_free(&cs);
	got = util_read_file(path, &n);
	ck_assert_str_eq(got, "entity\tyear\tlast\nSIA\t2024\t42\nSIA\t2025\t2\nUSA\t2024\t1\n");
	free(got);
	ecounters_load(&cs, "/nonexistent/counters.tsv", 1);
	ck_assert_uint_eq(cs.n, 0);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_state_stamp)
{
	char dir[4096], path[4096 + 16];
	int p;

	util_temp_dir(dir, sizeof dir);
	msg_setprog("unit");
	estate_begin(dir);
	p = msg_period_arg("--period", "2024-03-1");
	estate_stamp(dir, p);
	ck_assert_int_eq(estate_open("none", p + 1), 0);
	ck_assert_int_eq(estate_open(dir, p + 1), 1);
	estate_begin(dir); /* a new run removes the stamp first */
	snprintf(path, sizeof path, "%s/period", dir);
	ck_assert_int_eq(access(path, F_OK), -1);
	rmdir(dir);
}
END_TEST

START_TEST(test_state_wrong_period)
{
	char dir[4096];

	util_temp_dir(dir, sizeof dir);
	msg_setprog("unit");
	estate_stamp(dir, msg_period_arg("--period", "2024-03-1"));
	estate_open(dir, msg_period_arg("--period", "2024-04-1"));
}
END_TEST

/* A state written where it is read: the same directory however spelled
 * is a usage error; two directories are fine. */
START_TEST(test_state_dirs_differ)
{
	char a[4096], b[4096];

	util_temp_dir(a, sizeof a);
	util_temp_dir(b, sizeof b);
	estate_check_dirs(a, b);
	estate_check_dirs("none", b);
	rmdir(a);
	rmdir(b);
}
END_TEST

START_TEST(test_state_dirs_same)
{
	char dir[4096], other[8192];

	util_temp_dir(dir, sizeof dir);
	snprintf(other, sizeof other, "%s/../%s/", dir, strrchr(dir, '/') + 1);
	estate_check_dirs(dir, other);
}
END_TEST

Suite *
suite_state(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("state");

	tcase_add_test(tc, test_counters);
	tcase_add_test(tc, test_state_stamp);
	tcase_add_exit_test(tc, test_state_wrong_period, EXIT_USAGE);
	tcase_add_test(tc, test_state_dirs_differ);
	tcase_add_exit_test(tc, test_state_dirs_same, EXIT_USAGE);
	suite_add_tcase(s, tc);
	return s;
}
