/* rules/rate: the take-rate choice.  One table of rows, then cases of
 * (merchant, category, shipped_at) and the rate they must get. */
#include <stdint.h>
#include <string.h>

#include "period.h"
#include "rules/rate.h"
#include "suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Rows in no particular order, as a file may hold them. */
static const struct {
	const char *m, *c, *from;
	int64_t rate;
} rows[] = {
	{"*", "*", "2020-01-01", 150000},
	{"*", "*", "2024-03-10", 160000},
	{"*", "toys", "2020-01-01", 120000},
	{"acme", "*", "2024-01-01", 100000},
	{"acme", "toys", "2024-03-05T12:00:00Z", 50000},
	{"late", "*", "2025-01-01", 10000},
};

static const struct {
	const char *m, *c, *at;
	int64_t rate; /* -1: no_rate */
} cases[] = {
	{"other", "books", "2024-03-01", 150000},	    /* (*, *) */
	{"other", "books", "2024-03-10", 160000},	    /* valid_from is inclusive */
	{"other", "books", "2024-03-09T23:59:59Z", 150000}, /* the latest not after */
	{"other", "toys", "2024-03-12", 120000},	    /* category beats * */
	{"acme", "books", "2024-03-12", 100000},	    /* merchant beats category */
	{"acme", "toys", "2024-03-05T11:59:59Z", 100000},   /* (acme, toys) not yet valid */
	{"acme", "toys", "2024-03-05T12:00:00Z", 50000},    /* most specific */
	{"acme", "*", "2024-03-12", 100000},		    /* a literal * matches wildcards */
	{"other", "", "2024-03-12", 160000},		    /* empty category */
	{"late", "books", "2024-03-12", 160000},	    /* its own row is not valid yet */
	{"other", "books", "2019-12-31", -1},		    /* before every row: no_rate */
};

static rate_table table;

/* Build the table once for the cases. */
static void
_setup(void)
{
	long a, b;
	int i;

	memset(&table, 0, sizeof table);
	for (i = 0; i < N(rows); i++) {
		int64_t t;

		ck_assert_int_eq(period_parse_time(rows[i].from, strlen(rows[i].from), &t), 0);
		ck_assert_int_eq(rate_table_add(&table, rows[i].m, strlen(rows[i].m), rows[i].c,
						strlen(rows[i].c), t, rows[i].rate, i + 2),
				 RATE_OK);
	}
	ck_assert_int_eq(rate_table_finish(&table, &a, &b), RATE_OK);
}

static void
_teardown(void)
{
	rate_table_free(&table);
}

START_TEST(test_find)
{
	int64_t t;

	ck_assert_int_eq(period_parse_time(cases[_i].at, strlen(cases[_i].at), &t), 0);
	ck_assert_msg(rate_table_find(&table, cases[_i].m, strlen(cases[_i].m), cases[_i].c,
				      strlen(cases[_i].c), t) == cases[_i].rate,
		      "case %d", _i);
}
END_TEST

/* Configuration errors: a rate outside [0, 1], a repeated row. */
START_TEST(test_errors)
{
	rate_table t;
	long a = 0, b = 0;

	memset(&t, 0, sizeof t);
	ck_assert_int_eq(rate_table_add(&t, "*", 1, "*", 1, 0, 1000001, 2), RATE_ERANGE);
	ck_assert_int_eq(rate_table_add(&t, "*", 1, "*", 1, 0, -1, 2), RATE_ERANGE);
	ck_assert_int_eq(rate_table_add(&t, "*", 1, "*", 1, 0, 1000000, 3), RATE_OK);
	ck_assert_int_eq(rate_table_add(&t, "m", 1, "*", 1, 0, 0, 4), RATE_OK);
	ck_assert_int_eq(rate_table_add(&t, "*", 1, "*", 1, 0, 150000, 7), RATE_OK);
	ck_assert_int_eq(rate_table_finish(&t, &a, &b), RATE_EDUP);
	ck_assert(a == 3 && b == 7);
	rate_table_free(&t);
}
END_TEST

/* An empty table gives no rate, a table without a (*, *) row none where
 * nothing else applies, and a long category still works. */
START_TEST(test_edges)
{
	rate_table t;
	long a, b;
	char cat[1000];

	memset(&t, 0, sizeof t);
	ck_assert_int_eq(rate_table_finish(&t, &a, &b), RATE_OK);
	ck_assert(rate_table_find(&t, "m", 1, "c", 1, 0) == -1);
	rate_table_free(&t);
	memset(cat, 'x', sizeof cat);
	ck_assert_int_eq(rate_table_add(&t, "m", 1, cat, sizeof cat, 0, 42, 2), RATE_OK);
	ck_assert_int_eq(rate_table_finish(&t, &a, &b), RATE_OK);
	ck_assert(rate_table_find(&t, "m", 1, cat, sizeof cat, 1) == 42);
	ck_assert(rate_table_find(&t, "n", 1, cat, sizeof cat, 1) == -1);
	rate_table_free(&t);
	ck_assert_int_eq(rate_table_add(&t, "*", 1, "toys", 4, 0, 7, 2), RATE_OK);
	ck_assert_int_eq(rate_table_add(&t, "m", 1, "*", 1, 0, 9, 3), RATE_OK);
	ck_assert_int_eq(rate_table_finish(&t, &a, &b), RATE_OK);
	ck_assert(rate_table_find(&t, "n", 1, "toys", 4, 1) == 7);
	ck_assert(rate_table_find(&t, "n", 1, "books", 5, 1) == -1);
	ck_assert(rate_table_find(&t, "m", 1, "books", 5, 1) == 9);
	rate_table_free(&t);
}
END_TEST

Suite *
suite_rate(void)
{
	Suite *s = suite_create("rules/rate");
	TCase *tc = tcase_create("rate");

	tcase_add_unchecked_fixture(tc, _setup, _teardown);
	tcase_add_loop_test(tc, test_find, 0, N(cases));
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_edges);
	suite_add_tcase(s, tc);
	return s;
}
