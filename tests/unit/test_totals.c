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

/* ---- More (entity, currency) pairs than the recent rows hold, added in
 * turn, and an entity too long to be among them: each row's sum is its
 * own. */
START_TEST(test_totals_many)
{
	static const char *const cols[] = {"in"};
	static const char *const cur[] = {"USD", "EUR", "JPY"};
	char *path = util_temp_file("", 0), *got, ent[64],
	     want[4096] = "entity\tcurrency\tin_count\tin\n";
	static const int by_key[] = {1, 2, 0}; /* EUR, JPY, USD */
	totals t;
	size_t n;
	int i, j, k, round;

	memset(&t, 0, sizeof t);
	for (round = 1; round <= 3; round++)
		for (i = 0; i < 5; i++)
			for (k = 0; k < 3; k++) {
				snprintf(ent, sizeof ent, "E%d%s", i,
					 i == 4 ? "-an-entity-name-longer-than-the-recent-keys"
						: "");
				ck_assert_int_eq(
					totals_add(&t, ent, cur[k], 0, 100 * i + 10 * k + round),
					0);
			}
	etotals_write(&t, path, cols, 1);
	got = util_read_file(path, &n);
	/* In key order: entity, then currency (EUR, JPY, USD). */
	for (i = 0; i < 5; i++)
		for (j = 0; j < 3; j++) {
			k = by_key[j];
			snprintf(ent, sizeof ent, "E%d%s", i,
				 i == 4 ? "-an-entity-name-longer-than-the-recent-keys" : "");
			long sum = 3 * (100 * i + 10 * k) + 6; /* rounds 1 + 2 + 3 */

			if (k == 2) /* JPY: no decimals */
				snprintf(want + strlen(want), sizeof want - strlen(want),
					 "%s\t%s\t3\t%ld\n", ent, cur[k], sum);
			else
				snprintf(want + strlen(want), sizeof want - strlen(want),
					 "%s\t%s\t3\t%ld.%02ld\n", ent, cur[k], sum / 100,
					 sum % 100);
		}
	ck_assert_str_eq(got, want);
	free(got);
	totals_free(&t);
	unlink(path);
	free(path);
}
END_TEST

/* ---- Pairs whose keys have the same bytes but for where entity ends,
 * added in turn (each is a recent row when the other comes): a row each. */
START_TEST(test_totals_split)
{
	static const struct {
		const char *entity, *currency;
		int64_t amount;
	} add[] = {
		{"AB", "C", 1}, {"A", "BC", 10}, {"AB", "C", 100}, {"A", "BC", 1000},
		{"ABC", "", 5}, {"", "ABC", 7},	 {"A", "BC", 2},   {"AB", "C", 3},
	};
	static const char *const cols[] = {"in"};
	char *path = util_temp_file("", 0), *got;
	totals t;
	size_t n;
	int i;

	memset(&t, 0, sizeof t);
	for (i = 0; i < N(add); i++)
		ck_assert_int_eq(totals_add(&t, add[i].entity, add[i].currency, 0, add[i].amount),
				 0);
	ck_assert_int_eq(strset_count(&t.rows), 4);
	etotals_write(&t, path, cols, 1);
	got = util_read_file(path, &n);
	/* Not currencies: the sums are written as whole numbers. */
	ck_assert_str_eq(got, "entity\tcurrency\tin_count\tin\n"
			      "\tABC\t1\t7\n"
			      "A\tBC\t3\t1012\n"
			      "AB\tC\t3\t104\n"
			      "ABC\t\t1\t5\n");
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
	tcase_add_test(tc, test_totals_many);
	tcase_add_test(tc, test_totals_split);
	suite_add_tcase(s, tc);
	return s;
}
