/* config, schema, state, tally, totals, input: the shared pieces of the
 * filters, as tables where they compute and as exit tests where they stop
 * the run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "schema.h"
#include "state.h"
#include "suites.h"
#include "tally.h"
#include "totals.h"
#include "util.h"

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

/* ---- config: entity rules, first match wins. */
static const struct {
	int type;
	const char *country;
	const char *entity; /* NULL: no rule matches */
} match_cases[] = {
	{TYPE_AD, "", "SIA"},			       /* type rule before anything */
	{TYPE_JLD, "US", "SIA"},		       /* type rule beats the country rule */
	{TYPE_R, "US", "USA"},			       /* country rule */
	{TYPE_RJL, "RU", "JMT"}, {TYPE_R, "DE", NULL}, /* no * rule in this table */
	{TYPE_IW, "", NULL},			       /* no country: only type and * rules */
	{TYPE_R, "", NULL},
};

START_TEST(test_entities_match)
{
	char *path =
		util_temp_file(S("rule\tentity\tprefix\ntype:AD\tSIA\tSIA\ntype:JLD\tSIA\tSIA\n"
				 "country:US\tUSA\tUSA\ncountry:RU\tJMT\tJMT\n"));
	entities e;
	int k;

	config_entities(&e, path);
	ck_assert_uint_eq(e.n, 3);
	ck_assert_str_eq(e.prefix[entities_find(&e, "JMT")], "JMT");
	k = entities_match(&e, match_cases[_i].type, match_cases[_i].country);
	if (!match_cases[_i].entity)
		ck_assert_int_eq(k, -1);
	else
		ck_assert_str_eq(e.name[k], match_cases[_i].entity);
	entities_free(&e);
	unlink(path);
	free(path);
}
END_TEST

/* A merchant minimum in major units, rounded up to minor units. */
static const struct {
	int64_t micro;
	int digits;
	int64_t minor;
} min_cases[] = {
	{50000000, 2, 5000},			    /* 50 USD */
	{12345000, 2, 1235},			    /* 12.345 USD needs 12.35 */
	{12340000, 2, 1234}, {1, 2, 1},		    /* 0.000001 needs one cent */
	{0, 2, 0},	     {5000000000, 0, 5000}, /* 5000 JPY */
	{1500000, 0, 2},			    /* 1.5 JPY needs 2 */
	{1234500, 3, 1235},			    /* 1.2345 KWD needs 1.235 */
};

START_TEST(test_min_payout)
{
	merchant m;

	memset(&m, 0, sizeof m);
	m.min_payout = min_cases[_i].micro;
	ck_assert(merchant_min_payout(&m, min_cases[_i].digits) == min_cases[_i].minor);
}
END_TEST

START_TEST(test_merchants)
{
	char *path = util_temp_file(
		S("merchant_id\tlegal_name\taddress\tpostal_code\tcity\tcountry\tvat_id\t"
		  "payout_delay_days\tmin_payout\tpayout_ok\tfrozen\n"
		  "a\tA Ltd\t1 Road\t1000\tRiga\tLV\t\t14\t50\t1\t0\n"
		  "b\t  \t\t1000\tRiga\tLV\t\t\t\t0\t1\n"));
	merchants ms;
	const merchant *a, *b;
	char names[128];

	config_merchants(&ms, path);
	a = merchants_find(&ms, S("a"));
	b = merchants_find(&ms, S("b"));
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_null(merchants_find(&ms, S("c")));
	ck_assert_uint_eq(a->missing, 0);
	ck_assert_int_eq(a->delay_days, 14);
	ck_assert(a->min_payout == 50000000);
	ck_assert(a->payout_ok && !a->frozen);
	ck_assert_uint_eq(b->missing, MISSING_LEGAL_NAME | MISSING_ADDRESS);
	ck_assert(!b->payout_ok && b->frozen && b->delay_days == 0);
	merchants_missing_names(b->missing, names, sizeof names);
	ck_assert_str_eq(names, "legal_name, address");
	merchants_free(&ms);
	unlink(path);
	free(path);
}
END_TEST

/* A merchant listed twice stops the run with status 1. */
START_TEST(test_merchants_twice)
{
	char *path = util_temp_file(
		S("merchant_id\tlegal_name\taddress\tpostal_code\tcity\tcountry\tvat_id\t"
		  "payout_delay_days\tmin_payout\tpayout_ok\tfrozen\n"
		  "a\tA\t1\t1\t1\tLV\t\t\t\t1\t0\na\tA\t1\t1\t1\tLV\t\t\t\t1\t0\n"));
	merchants ms;

	msg_setprog("unit");
	config_merchants(&ms, path);
}
END_TEST

/* ---- input: a bad field stops the run with status 1. */
START_TEST(test_input_bad_money)
{
	char *path = util_temp_file(S("amount\n7.555\n"));
	tsv_reader r;
	int x;

	msg_setprog("unit");
	input_open(&r, path);
	x = tsv_column(&r, "amount");
	ck_assert(input_next(&r));
	input_money(&r, x, 2);
}
END_TEST

START_TEST(test_input_fields)
{
	char *path = util_temp_file(S("m\tp\tt\tf\tn\nab-1\t2024-03-2\t2024-03-16\t1\t42\n"));
	tsv_reader r;

	input_open(&r, path);
	ck_assert(input_next(&r));
	ck_assert_str_eq(input_ident(&r, 0), "ab-1");
	ck_assert_int_eq(input_period(&r, 1) % 2, 1);
	ck_assert(input_time(&r, 2) == 1710547200);
	ck_assert_int_eq(input_flag(&r, 3), 1);
	ck_assert_int_eq(input_count(&r, 4), 42);
	ck_assert(!input_next(&r));
	tsv_close(&r);
	unlink(path);
	free(path);
}
END_TEST

/* ---- state: counters per entity and year, saved sorted; a state of
 * another period stops the run with status 2. */
START_TEST(test_counters)
{
	char *path = util_temp_file(S("entity\tyear\tlast\nSIA\t2024\t41\n")), *got;
	counters cs;
	size_t n;

	counters_load(&cs, path, 0);
	ck_assert_int_eq(counters_next(&cs, "SIA", 2024), 42);
	ck_assert_int_eq(counters_next(&cs, "SIA", 2025), 1);
	ck_assert_int_eq(counters_next(&cs, "USA", 2024), 1);
	ck_assert_int_eq(counters_next(&cs, "SIA", 2025), 2);
	counters_save(&cs, path);
	counters_free(&cs);
	got = util_read_file(path, &n);
	ck_assert_str_eq(got, "entity\tyear\tlast\nSIA\t2024\t42\nSIA\t2025\t2\nUSA\t2024\t1\n");
	free(got);
	counters_load(&cs, "/nonexistent/counters.tsv", 1);
	ck_assert_uint_eq(cs.n, 0);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_state_stamp)
{
	char dir[] = "/tmp/settle-state-XXXXXX", path[4096];
	int p;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	msg_setprog("unit");
	state_begin(dir);
	p = msg_period_arg("--period", "2024-03-1");
	state_stamp(dir, p);
	ck_assert_int_eq(state_open("none", p + 1), 0);
	ck_assert_int_eq(state_open(dir, p + 1), 1);
	state_begin(dir); /* a new run removes the stamp first */
	snprintf(path, sizeof path, "%s/period", dir);
	ck_assert_int_eq(access(path, F_OK), -1);
	rmdir(dir);
}
END_TEST

START_TEST(test_state_wrong_period)
{
	char dir[] = "/tmp/settle-state-XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	msg_setprog("unit");
	state_stamp(dir, msg_period_arg("--period", "2024-03-1"));
	state_open(dir, msg_period_arg("--period", "2024-04-1"));
}
END_TEST

/* A state written where it is read: the same directory however spelled
 * is a usage error; two directories are fine. */
START_TEST(test_state_dirs_differ)
{
	char a[] = "/tmp/settle-state-XXXXXX", b[] = "/tmp/settle-state-XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(a));
	ck_assert_ptr_nonnull(mkdtemp(b));
	state_check_dirs(a, b);
	state_check_dirs("none", b);
	rmdir(a);
	rmdir(b);
}
END_TEST

START_TEST(test_state_dirs_same)
{
	char dir[] = "/tmp/settle-state-XXXXXX", other[64];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(other, sizeof other, "%s/../%s/", dir, strrchr(dir, '/') + 1);
	state_check_dirs(dir, other);
}
END_TEST

/* ---- tally and totals: rows in first-seen order (tally) or sorted
 * (totals), money added with overflow checks. */
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
	tally_write(&t, path, "source", cols, 2);
	got = util_read_file(path, &n);
	ck_assert_str_eq(got, "source\ta\tb\nz.csv\t2\t3\na.csv\t0\t1\n");
	free(got);
	tally_free(&t);
	unlink(path);
	free(path);
}
END_TEST

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
	totals_write(&t, path, cols, 2);
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

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
suite_config(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("shared");

	tcase_add_loop_test(tc, test_types, 0, TYPE_NTYPES);
	tcase_add_test(tc, test_type_unknown);
	tcase_add_loop_test(tc, test_entities_match, 0, N(match_cases));
	tcase_add_loop_test(tc, test_min_payout, 0, N(min_cases));
	tcase_add_test(tc, test_merchants);
	tcase_add_exit_test(tc, test_merchants_twice, EXIT_DATA);
	tcase_add_exit_test(tc, test_input_bad_money, EXIT_DATA);
	tcase_add_test(tc, test_input_fields);
	tcase_add_test(tc, test_counters);
	tcase_add_test(tc, test_state_stamp);
	tcase_add_exit_test(tc, test_state_wrong_period, EXIT_USAGE);
	tcase_add_test(tc, test_state_dirs_differ);
	tcase_add_exit_test(tc, test_state_dirs_same, EXIT_USAGE);
	tcase_add_test(tc, test_tally);
	tcase_add_test(tc, test_totals);
	suite_add_tcase(s, tc);
	return s;
}
