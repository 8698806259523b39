/* runsort: the same order as a stable sort, for sorted runs and for any
 * array; equal keys keep their order. */
#include <stdlib.h>
#include <string.h>

#include "runsort.h"
#include "suites.h"

/* Ids sort by key[id] / 10: ids 10..19 are equal, so that a stable sort
 * is told from another. */
static const int *key;

static int
_cmp(const void *a, const void *b)
{
	int x = key[*(const long *)a] / 10, y = key[*(const long *)b] / 10;

	return (x > y) - (x < y);
}

/* The reference: insertion sort, stable. */
static void
_reference(long *a, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		long v = a[i];

		for (j = i; j > 0 && _cmp(&a[j - 1], &v) > 0; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

static const struct {
	const char *name;
	int keys[40];
	size_t n;
	int stable; /* at most RUNSORT_MAX_RUNS runs: equal keys keep their order */
} cases[] = {
	{"empty", {0}, 0, 1},
	{"one", {5}, 1, 1},
	{"sorted", {10, 20, 30, 40, 50}, 5, 1},
	{"two_runs", {30, 40, 50, 10, 20, 60}, 6, 1},
	{"two_runs_in_order", {10, 20, 30, 40}, 4, 1},
	{"equal_keys_across_runs", {10, 11, 20, 12, 13, 21}, 6, 1},
	{"three_runs", {70, 80, 10, 20, 30, 90, 0, 5}, 8, 1},
	{"descending_16_runs",
	 {150, 140, 130, 120, 110, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10, 0},
	 16,
	 1},
	{"descending_17_runs_to_qsort",
	 {160, 150, 140, 130, 120, 110, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10, 0},
	 17,
	 0},
	{"many_runs_equal_keys",
	 {30, 10, 31, 11, 32, 12, 33, 13, 34, 14, 35, 15, 36, 16, 37, 17, 38, 18, 39, 19, 1, 2},
	 22,
	 0},
};

START_TEST(test_cases)
{
	size_t n = cases[_i].n, i;
	long got[40], want[40];

	key = cases[_i].keys;
	for (i = 0; i < n; i++)
		got[i] = want[i] = (long)i;
	runsort(got, n, _cmp);
	_reference(want, n);
	for (i = 0; i < n; i++) {
		ck_assert_msg(key[got[i]] / 10 == key[want[i]] / 10,
			      "%s: position %zu: key %d, want %d", cases[_i].name, i, key[got[i]],
			      key[want[i]]);
		if (cases[_i].stable)
			ck_assert_msg(got[i] == want[i],
				      "%s: position %zu: id %ld, want %ld (stable)", cases[_i].name,
				      i, got[i], want[i]);
	}
}
END_TEST

/* A large array of two runs, as net-payouts sees it: the state's rows,
 * then the run's. */
START_TEST(test_two_large_runs)
{
	size_t n = 300000, i, half = 120000;
	int *k = malloc(n * sizeof *k);
	long *a = malloc(n * sizeof *a);

	for (i = 0; i < half; i++)
		k[i] = (int)(i * 20); /* even tens */
	for (i = half; i < n; i++)
		k[i] = (int)((i - half) * 10 + 5);
	key = k;
	for (i = 0; i < n; i++)
		a[i] = (long)i;
	runsort(a, n, _cmp);
	for (i = 1; i < n; i++)
		ck_assert_msg(_cmp(&a[i - 1], &a[i]) <= 0, "out of order at %zu", i);
	free(k);
	free(a);
}
END_TEST

Suite *
suite_runsort(void)
{
	Suite *s = suite_create("runsort");
	TCase *tc = tcase_create("tables");

	tcase_add_loop_test(tc, test_cases, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, test_two_large_runs);
	suite_add_tcase(s, tc);
	return s;
}
