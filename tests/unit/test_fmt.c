/* fmt and grow: row fields formatted into reserved room; doubling arrays. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "grow.h"
#include "suites.h"

START_TEST(test_fields)
{
	char buf[256], *p = buf;

	p = fmt_field(p, "ab", 2, '\t');
	p = fmt_str(p, "", '\t');
	p = fmt_empty(p, 2);
	p = fmt_long(p, 0, '\t');
	p = fmt_long(p, 9223372036854775807L, '\t');
	p = fmt_money(p, -300, 2, '\t');
	p = fmt_money(p, 0, 2, '\t');
	p = fmt_money(p, 1200, 0, '\t');
	p = fmt_micro(p, 150000, '\t');
	p = fmt_time(p, 1710547200, '\t');
	p = fmt_date(p, 1710547199, '\t');
	p = fmt_period(p, (2024 * 12 + 2) * 2 + 1, '\n');
	*p = '\0';
	ck_assert_str_eq(buf, "ab\t\t\t\t0\t9223372036854775807\t-3.00\t0.00\t1200\t0.15\t"
			      "2024-03-16T00:00:00Z\t2024-03-15\t2024-03-2\n");
	ck_assert_int_ge(FMT_LONG_MAX, (int)strlen("9223372036854775807") + 1);
}
END_TEST

/* Dates and periods one after another, the same one again, back to an
 * earlier one: each row gets its own (fmt_date and fmt_period keep the
 * last one formatted). */
static const struct {
	int period; /* 1: v is a period, 0: an instant (its date) */
	int64_t v;
	const char *want;
} turns[] = {
	{0, 1710547199, "2024-03-15"},
	{0, 1710547199, "2024-03-15"},
	{0, 1710547200, "2024-03-16"},
	{0, 1710547199, "2024-03-15"},
	{0, 0, "1970-01-01"},
	{0, -1, "1969-12-31"},
	{0, 1710547200, "2024-03-16"},
	{0, 1710633599, "2024-03-16"},
	{0, 1710633600, "2024-03-17"},
	{1, (2024 * 12 + 2) * 2 + 1, "2024-03-2"},
	{1, (2024 * 12 + 2) * 2 + 1, "2024-03-2"},
	{1, (2024 * 12 + 2) * 2, "2024-03-1"},
	{1, (2023 * 12 + 11) * 2 + 1, "2023-12-2"},
	{1, (2024 * 12 + 2) * 2 + 1, "2024-03-2"},
};

START_TEST(test_turns)
{
	char buf[64], *p;
	size_t i, n;

	for (i = 0; i < sizeof turns / sizeof turns[0]; i++) {
		n = strlen(turns[i].want);
		p = turns[i].period ? fmt_period(buf, (int)turns[i].v, '|')
				    : fmt_date(buf, turns[i].v, '|');
		*p = '\0';
		ck_assert_msg(strlen(buf) == n + 1 && buf[n] == '|' &&
				      memcmp(buf, turns[i].want, n) == 0,
			      "row %zu: %s, want %s", i, buf, turns[i].want);
	}
}
END_TEST

/* A bounded copy: whole, cut at cap - 1, empty. */
static const struct {
	const char *s;
	size_t cap;
	const char *want;
} copies[] = {
	{"SIA-2024-000001", 16, "SIA-2024-000001"},
	{"SIA-2024-000001", 15, "SIA-2024-00000"},
	{"SIA", 1, ""},
	{"", 8, ""},
	{"é", 2, "\xc3"},
};

START_TEST(test_copy)
{
	char buf[32];

	memset(buf, 'x', sizeof buf);
	fmt_copy(buf, copies[_i].cap, copies[_i].s);
	ck_assert_str_eq(buf, copies[_i].want);
	ck_assert_int_eq(buf[copies[_i].cap], 'x');
}
END_TEST

/* Room doubles from 16; an impossible size fails and leaves the array. */
START_TEST(test_grow)
{
	size_t cap = 0;
	int *a = grow(NULL, &cap, 1, sizeof *a), *b;

	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(cap, 16);
	ck_assert_ptr_eq(grow(a, &cap, 16, sizeof *a), a);
	a = grow(a, &cap, 17, sizeof *a);
	ck_assert_uint_eq(cap, 32);
	a = grow(a, &cap, 1000, sizeof *a);
	ck_assert_uint_eq(cap, 1024);
	b = grow(a, &cap, SIZE_MAX / 2, sizeof *a);
	ck_assert_ptr_null(b);
	ck_assert_uint_eq(cap, 1024);
	free(a);
}
END_TEST

Suite *
suite_fmt(void)
{
	Suite *s = suite_create("fmt, grow");
	TCase *tc = tcase_create("fmt");

	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_turns);
	tcase_add_test(tc, test_grow);
	tcase_add_loop_test(tc, test_copy, 0, sizeof copies / sizeof *copies);
	suite_add_tcase(s, tc);
	return s;
}
