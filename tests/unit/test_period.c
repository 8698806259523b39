/* period: ISO 8601 parsing to UTC, formatting, half-month periods. */
#include <string.h>

#include "period.h"
#include "suites.h"

/* Each accepted input with its instant in canonical UTC form; NULL: bad. */
static const struct {
	const char *in;
	const char *utc;
} time_cases[] = {
	{"2024-03-15", "2024-03-15T00:00:00Z"},
	{"2024-03-15T23:59:59Z", "2024-03-15T23:59:59Z"},
	{"2024-03-16T00:00:00Z", "2024-03-16T00:00:00Z"},
	/* offsets that cross a period edge */
	{"2024-03-16T01:30:00+02:00", "2024-03-15T23:30:00Z"},
	{"2024-03-15T23:30:00-01:00", "2024-03-16T00:30:00Z"},
	{"2024-03-16T00:00:00+00:00", "2024-03-16T00:00:00Z"},
	{"2024-03-16T00:00:00-00:00", "2024-03-16T00:00:00Z"},
	/* month and year ends */
	{"2024-12-31T23:30:00-01:00", "2025-01-01T00:30:00Z"},
	{"2025-01-01T00:30:00+01:00", "2024-12-31T23:30:00Z"},
	{"2024-04-01T01:00:00+02:00", "2024-03-31T23:00:00Z"},
	{"1970-01-01", "1970-01-01T00:00:00Z"},
	{"1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"},
	/* leap days */
	{"2024-02-29", "2024-02-29T00:00:00Z"},
	{"2000-02-29", "2000-02-29T00:00:00Z"},
	{"2023-02-29", NULL},
	{"1900-02-29", NULL},
	{"2100-02-29", NULL},
	{"2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z"},
	/* everything else is bad_date */
	{"2024-04-31", NULL},
	{"2024-13-01", NULL},
	{"2024-00-10", NULL},
	{"2024-01-00", NULL},
	{"2024-1-01", NULL},
	{"24-01-01", NULL},
	{"2024/03/15", NULL},
	{"15.03.2024", NULL},
	{"2024-03-15T24:00:00Z", NULL},
	{"2024-03-15T23:60:00Z", NULL},
	{"2024-03-15T23:59:60Z", NULL},
	{"2024-03-15 23:59:59Z", NULL},
	{"2024-03-15T23:59:59", NULL},
	{"2024-03-15T23:59:59z", NULL},
	{"2024-03-15T23:59:59+0200", NULL},
	{"2024-03-15T23:59:59+02", NULL},
	{"2024-03-15T23:59:59.5Z", NULL},
	{"2024-03-15T23:59:59+24:00", NULL},
	{"2024-03-15T23:59:59+02:60", NULL},
	{"2024-03-15T23:59Z", NULL},
	{"2024-03-15T", NULL},
	{" 2024-03-15", NULL},
	{"", NULL},
};

START_TEST(test_parse_time)
{
	int64_t t = 0;
	char buf[PERIOD_TIME_LEN + 1];
	int rc = period_parse_time(time_cases[_i].in, strlen(time_cases[_i].in), &t);

	if (!time_cases[_i].utc) {
		ck_assert_msg(rc < 0, "'%s' accepted", time_cases[_i].in);
		return;
	}
	ck_assert_msg(rc == 0, "'%s' refused", time_cases[_i].in);
	period_format_time(t, buf);
	ck_assert_str_eq(buf, time_cases[_i].utc);
}
END_TEST

/* The period that holds an instant, at the edges. */
static const struct {
	const char *at;
	const char *period;
} period_of_cases[] = {
	{"2024-03-01T00:00:00Z", "2024-03-1"},	    {"2024-03-15T23:59:59Z", "2024-03-1"},
	{"2024-03-16T00:00:00Z", "2024-03-2"},	    {"2024-03-31T23:59:59Z", "2024-03-2"},
	{"2024-04-01T00:00:00Z", "2024-04-1"},	    {"2024-02-29T12:00:00Z", "2024-02-2"},
	{"2024-12-31T23:59:59Z", "2024-12-2"},	    {"2025-01-01T00:00:00Z", "2025-01-1"},
	{"2024-03-16T01:30:00+02:00", "2024-03-1"}, {"2024-03-15T23:30:00-01:00", "2024-03-2"},
	{"2024-12-31T23:30:00-01:00", "2025-01-1"},
};

START_TEST(test_period_of)
{
	int64_t t;
	char buf[PERIOD_ID_LEN + 1];

	ck_assert_int_eq(
		period_parse_time(period_of_cases[_i].at, strlen(period_of_cases[_i].at), &t), 0);
	period_format(period_of(t), buf);
	ck_assert_str_eq(buf, period_of_cases[_i].period);
}
END_TEST

static const struct {
	const char *in;
	int ok;
} period_parse_cases[] = {
	{"2024-03-1", 1}, {"2024-03-2", 1},  {"0001-01-1", 1}, {"9998-12-2", 1}, {"2024-03-3", 0},
	{"2024-03-0", 0}, {"2024-3-1", 0},   {"2024-13-1", 0}, {"2024-00-1", 0}, {"0000-01-1", 0},
	{"24-03-1", 0},	  {"2024-03-01", 0}, {"2024-03", 0},   {"", 0},		 {"2024-03-1 ", 0},
};

START_TEST(test_period_parse)
{
	int p = -1;
	char buf[PERIOD_ID_LEN + 1];
	const char *in = period_parse_cases[_i].in;
	int rc = period_parse(in, strlen(in), &p);

	ck_assert_msg((rc == 0) == period_parse_cases[_i].ok, "'%s'", in);
	if (rc == 0) {
		period_format(p, buf);
		ck_assert_str_eq(buf, in);
	}
}
END_TEST

/* Bounds: start, issue date (end), last day; next and previous periods. */
static const struct {
	const char *p, *start, *issue, *last, *next, *prev;
	int issue_year;
} bounds_cases[] = {
	{"2024-03-1", "2024-03-01", "2024-03-16", "2024-03-15", "2024-03-2", "2024-02-2", 2024},
	{"2024-03-2", "2024-03-16", "2024-04-01", "2024-03-31", "2024-04-1", "2024-03-1", 2024},
	{"2024-02-2", "2024-02-16", "2024-03-01", "2024-02-29", "2024-03-1", "2024-02-1", 2024},
	{"2023-02-2", "2023-02-16", "2023-03-01", "2023-02-28", "2023-03-1", "2023-02-1", 2023},
	{"2024-04-2", "2024-04-16", "2024-05-01", "2024-04-30", "2024-05-1", "2024-04-1", 2024},
	{"2024-12-2", "2024-12-16", "2025-01-01", "2024-12-31", "2025-01-1", "2024-12-1", 2025},
	{"2025-01-1", "2025-01-01", "2025-01-16", "2025-01-15", "2025-01-2", "2024-12-2", 2025},
};

START_TEST(test_bounds)
{
	int p;
	char buf[PERIOD_TIME_LEN + 1];

	ck_assert_int_eq(period_parse(bounds_cases[_i].p, PERIOD_ID_LEN, &p), 0);
	period_format_date(period_start(p), buf);
	ck_assert_str_eq(buf, bounds_cases[_i].start);
	period_format_date(period_issue_date(p), buf);
	ck_assert_str_eq(buf, bounds_cases[_i].issue);
	period_format_date(period_end(p), buf);
	ck_assert_str_eq(buf, bounds_cases[_i].issue);
	period_format_date(period_last_day(p), buf);
	ck_assert_str_eq(buf, bounds_cases[_i].last);
	period_format(p + 1, buf);
	ck_assert_str_eq(buf, bounds_cases[_i].next);
	period_format(p - 1, buf);
	ck_assert_str_eq(buf, bounds_cases[_i].prev);
	ck_assert_int_eq(period_year_of(period_issue_date(p)), bounds_cases[_i].issue_year);
	/* The last second of the period is in it, the issue date is not. */
	ck_assert_int_eq(period_of(period_end(p) - 1), p);
	ck_assert_int_eq(period_of(period_end(p)), p + 1);
}
END_TEST

/* Date-only parsing refuses times. */
START_TEST(test_parse_date)
{
	int64_t t;

	ck_assert_int_eq(period_parse_date("2024-03-15", 10, &t), 0);
	ck_assert_int_eq(period_parse_date("2024-03-15T00:00:00Z", 20, &t), -1);
	ck_assert_int_eq(period_parse_date("2024-02-30", 10, &t), -1);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
suite_period(void)
{
	Suite *s = suite_create("period");
	TCase *tc = tcase_create("tables");

	tcase_add_loop_test(tc, test_parse_time, 0, N(time_cases));
	tcase_add_loop_test(tc, test_period_of, 0, N(period_of_cases));
	tcase_add_loop_test(tc, test_period_parse, 0, N(period_parse_cases));
	tcase_add_loop_test(tc, test_bounds, 0, N(bounds_cases));
	tcase_add_test(tc, test_parse_date);
	suite_add_tcase(s, tc);
	return s;
}
