/* money: currencies, syntax, formatting, exact rounding, overflow. */
#include <stdint.h>
#include <string.h>

#include "money.h"
#include "suites.h"

static const struct {
	const char *code;
	int digits;
} currency_cases[] = {
	/* clang-format off */
	{"USD", 2}, {"EUR", 2}, {"GBP", 2}, {"RUB", 2}, {"JPY", 0}, {"KRW", 0},
	{"KWD", 3}, {"BHD", 3}, {"TND", 3}, {"CLF", 4}, {"UYW", 4}, {"XAF", 0},
	{"XOF", 0}, {"ISK", 0},
	/* no numeric minor units: not currencies here (SPEC 11) */
	{"XAU", -1}, {"XAG", -1}, {"XPT", -1}, {"XPD", -1}, {"XDR", -1},
	{"XSU", -1}, {"XUA", -1}, {"XBA", -1}, {"XBB", -1}, {"XBC", -1},
	{"XBD", -1}, {"XTS", -1}, {"XXX", -1},
	/* not codes at all; codes are case-sensitive */
	{"usd", -1}, {"Usd", -1}, {"US", -1}, {"USDD", -1}, {"", -1}, {"ABC", -1},
	/* clang-format on */
};

START_TEST(test_currency_digits)
{
	const char *code = currency_cases[_i].code;

	ck_assert_msg(money_currency_digits(code, strlen(code)) == currency_cases[_i].digits,
		      "currency '%s'", code);
}
END_TEST

static const struct {
	const char *in;
	int digits;
	int rc;
	int64_t value;
} parse_cases[] = {
	{"7", 2, MONEY_OK, 700},
	{"7.5", 2, MONEY_OK, 750},
	{"7.50", 2, MONEY_OK, 750},
	{"0", 2, MONEY_OK, 0},
	{"-0", 2, MONEY_OK, 0},
	{"-0.00", 2, MONEY_OK, 0},
	{"-3.00", 2, MONEY_OK, -300},
	{"007.10", 2, MONEY_OK, 710},
	{"5.95", 2, MONEY_OK, 595},
	{"1200", 0, MONEY_OK, 1200},
	{"1.234", 3, MONEY_OK, 1234},
	{"1.2", 3, MONEY_OK, 1200},
	{"0.0001", 4, MONEY_OK, 1},
	{"92233720368547758.07", 2, MONEY_OK, INT64_MAX},
	{"-92233720368547758.07", 2, MONEY_OK, -INT64_MAX},
	{"9223372036854775807", 0, MONEY_OK, INT64_MAX},
	/* SPEC 11's examples of bad_number */
	{"7.555", 2, MONEY_ESYNTAX, 0},
	{"1,000.00", 2, MONEY_ESYNTAX, 0},
	{"+1.00", 2, MONEY_ESYNTAX, 0},
	{" 1.00", 2, MONEY_ESYNTAX, 0},
	{"1.00 ", 2, MONEY_ESYNTAX, 0},
	{"1e3", 2, MONEY_ESYNTAX, 0},
	{"1200.0", 0, MONEY_ESYNTAX, 0},
	{"1200.", 0, MONEY_ESYNTAX, 0},
	{"1.2345", 3, MONEY_ESYNTAX, 0},
	{"", 2, MONEY_ESYNTAX, 0},
	{"-", 2, MONEY_ESYNTAX, 0},
	{".", 2, MONEY_ESYNTAX, 0},
	{"1.", 2, MONEY_ESYNTAX, 0},
	{".5", 2, MONEY_ESYNTAX, 0},
	{"--1", 2, MONEY_ESYNTAX, 0},
	{"1.0.0", 2, MONEY_ESYNTAX, 0},
	{"0x10", 2, MONEY_ESYNTAX, 0},
	{"1_000", 2, MONEY_ESYNTAX, 0},
	{"\xef\xbc\x91", 2, MONEY_ESYNTAX, 0}, /* fullwidth digit one */
	/* beyond int64 minor units */
	{"92233720368547758.08", 2, MONEY_ERANGE, 0},
	{"-92233720368547758.08", 2, MONEY_ERANGE, 0},
	{"9223372036854775808", 0, MONEY_ERANGE, 0},
	{"99999999999999999999999", 2, MONEY_ERANGE, 0},
	{"99999999999999999999999x", 2, MONEY_ESYNTAX, 0},
};

START_TEST(test_parse)
{
	int64_t v = 42;
	int rc = money_parse(parse_cases[_i].in, strlen(parse_cases[_i].in), parse_cases[_i].digits,
			     &v);

	ck_assert_msg(rc == parse_cases[_i].rc, "'%s': rc %d, want %d", parse_cases[_i].in, rc,
		      parse_cases[_i].rc);
	if (rc == MONEY_OK)
		ck_assert_msg(v == parse_cases[_i].value, "'%s': %lld", parse_cases[_i].in,
			      (long long)v);
}
END_TEST

static const struct {
	const char *in;
	int rc;
	int64_t value;
} micro_cases[] = {
	{"0.15", MONEY_OK, 150000},
	{"1", MONEY_OK, 1000000},
	{"0", MONEY_OK, 0},
	{"0.000001", MONEY_OK, 1},
	{"0.5", MONEY_OK, 500000},
	{"-0.5", MONEY_OK, -500000},
	{"100.25", MONEY_OK, 100250000},
	{"0.0000001", MONEY_ESYNTAX, 0},
	{"1.1234567", MONEY_ESYNTAX, 0},
	{"15%", MONEY_ESYNTAX, 0},
	{"", MONEY_ESYNTAX, 0},
	{"1e-3", MONEY_ESYNTAX, 0},
	{"99999999999999", MONEY_ERANGE, 0},
};

START_TEST(test_parse_micro)
{
	int64_t v = 42;
	int rc = money_parse_micro(micro_cases[_i].in, strlen(micro_cases[_i].in), &v);

	ck_assert_msg(rc == micro_cases[_i].rc, "'%s': rc %d", micro_cases[_i].in, rc);
	if (rc == MONEY_OK)
		ck_assert_msg(v == micro_cases[_i].value, "'%s': %lld", micro_cases[_i].in,
			      (long long)v);
}
END_TEST

static const struct {
	int64_t v;
	int digits;
	const char *out;
} format_cases[] = {
	{0, 2, "0.00"},
	{-300, 2, "-3.00"},
	{595, 2, "5.95"},
	{5, 2, "0.05"},
	{-5, 2, "-0.05"},
	{1200, 0, "1200"},
	{-1, 0, "-1"},
	{0, 0, "0"},
	{1234, 3, "1.234"},
	{-1, 3, "-0.001"},
	{1, 4, "0.0001"},
	{INT64_MAX, 2, "92233720368547758.07"},
	{INT64_MIN, 2, "-92233720368547758.08"},
	{INT64_MAX, 0, "9223372036854775807"},
};

START_TEST(test_format)
{
	char buf[MONEY_FMT_MAX];
	size_t n = money_format(format_cases[_i].v, format_cases[_i].digits, buf);

	ck_assert_str_eq(buf, format_cases[_i].out);
	ck_assert_uint_eq(n, strlen(format_cases[_i].out));
}
END_TEST

static const struct {
	int64_t v;
	const char *out;
} format_micro_cases[] = {
	{150000, "0.15"},  {1000000, "1"},	  {1, "0.000001"},   {0, "0"},
	{-500000, "-0.5"}, {100250000, "100.25"}, {-1, "-0.000001"},
};

START_TEST(test_format_micro)
{
	char buf[MONEY_FMT_MAX];

	money_format_micro(format_micro_cases[_i].v, buf);
	ck_assert_str_eq(buf, format_micro_cases[_i].out);
}
END_TEST

/* Round once, half away from zero: exact halves at several scales go
 * away from zero, one unit under a half goes toward it. */
static const struct {
	__int128 num;
	int64_t den;
	int rc;
	int64_t q;
} round_cases[] = {
	{5, 10, MONEY_OK, 1},
	{-5, 10, MONEY_OK, -1},
	{15, 10, MONEY_OK, 2},
	{25, 10, MONEY_OK, 3}, /* not banker's rounding */
	{-25, 10, MONEY_OK, -3},
	{14, 10, MONEY_OK, 1},
	{-14, 10, MONEY_OK, -1},
	{0, 10, MONEY_OK, 0},
	{1, 3, MONEY_OK, 0},
	{2, 3, MONEY_OK, 1},
	{-2, 3, MONEY_OK, -1},
	{50, 100, MONEY_OK, 1},
	{49, 100, MONEY_OK, 0},
	{-50, 100, MONEY_OK, -1},
	{-49, 100, MONEY_OK, 0},
	{500000, 1000000, MONEY_OK, 1},
	{499999, 1000000, MONEY_OK, 0},
	{-500000, 1000000, MONEY_OK, -1},
	{(__int128)7 * 1000000000000LL + 500000000000LL, 1000000000000LL, MONEY_OK, 8},
	{(__int128)7 * 1000000000000LL + 499999999999LL, 1000000000000LL, MONEY_OK, 7},
	{-((__int128)7 * 1000000000000LL + 500000000000LL), 1000000000000LL, MONEY_OK, -8},
	{-((__int128)7 * 1000000000000LL + 499999999999LL), 1000000000000LL, MONEY_OK, -7},
	{(__int128)INT64_MAX * 10 + 4, 10, MONEY_OK, INT64_MAX},
	{(__int128)INT64_MAX * 10 + 5, 10, MONEY_ERANGE, 0},
	{-(__int128)INT64_MAX * 10 - 5, 10, MONEY_ERANGE, 0},
};

START_TEST(test_round)
{
	int64_t q = 42;
	int rc = money_round(round_cases[_i].num, round_cases[_i].den, &q);

	ck_assert_int_eq(rc, round_cases[_i].rc);
	if (rc == MONEY_OK)
		ck_assert_msg(q == round_cases[_i].q, "case %d: %lld", _i, (long long)q);
}
END_TEST

/* amount x a x b, in minor units and millionths. */
static const struct {
	int64_t amount, a, b;
	int rc;
	int64_t q;
} scale_cases[] = {
	{700, 850000, 1000000, MONEY_OK, 595},	/* $7 x (1 - 15%) */
	{1100, 850000, 1000000, MONEY_OK, 935}, /* $11 x (1 - 15%) */
	{10, 850000, 1000000, MONEY_OK, 9},	/* 8.5 cents -> 9 */
	{-10, 850000, 1000000, MONEY_OK, -9},	/* -8.5 cents -> -9 */
	{1, 1000000, 500000, MONEY_OK, 1},	/* half a cent -> 1 */
	{-1, 1000000, 500000, MONEY_OK, -1},
	{3, 500000, 1000000, MONEY_OK, 2},     /* 1.5 -> 2 */
	{1, 1, 500000, MONEY_OK, 0},	       /* 5e-7 -> 0 */
	{1000000, 500000, 1, MONEY_OK, 1},     /* 0.5 exactly, at 10^-12 */
	{999999, 500000, 1, MONEY_OK, 0},      /* just under a half */
	{333, 1000000, 333333, MONEY_OK, 111}, /* 110.999889 */
	{595, 1000000, 1, MONEY_OK, 0},	       /* refund of 0.000001 */
	{0, 850000, 1000000, MONEY_OK, 0},
	{INT64_MAX, 1000000, 1000000, MONEY_OK, INT64_MAX},
	{INT64_MAX, 1000001, 1000000, MONEY_ERANGE, 0},
	{-INT64_MAX, 1000000, 1000000, MONEY_OK, -INT64_MAX},
};

START_TEST(test_scale)
{
	int64_t q = 42;
	int rc = money_scale(scale_cases[_i].amount, scale_cases[_i].a, scale_cases[_i].b, &q);

	ck_assert_int_eq(rc, scale_cases[_i].rc);
	if (rc == MONEY_OK)
		ck_assert_msg(q == scale_cases[_i].q, "case %d: %lld", _i, (long long)q);
}
END_TEST

static const struct {
	int64_t a, b;
	int rc;
	int64_t sum;
} add_cases[] = {
	{1, 2, MONEY_OK, 3},
	{-5, 5, MONEY_OK, 0},
	{INT64_MAX, -1, MONEY_OK, INT64_MAX - 1},
	{INT64_MAX, 1, MONEY_ERANGE, 0},
	{-INT64_MAX, -1, MONEY_ERANGE, 0}, /* would be INT64_MIN */
	{-INT64_MAX, -INT64_MAX, MONEY_ERANGE, 0},
};

START_TEST(test_add)
{
	int64_t s = 42;
	int rc = money_add(add_cases[_i].a, add_cases[_i].b, &s);

	ck_assert_int_eq(rc, add_cases[_i].rc);
	if (rc == MONEY_OK)
		ck_assert(s == add_cases[_i].sum);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
suite_money(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("tables");

	tcase_add_loop_test(tc, test_currency_digits, 0, N(currency_cases));
	tcase_add_loop_test(tc, test_parse, 0, N(parse_cases));
	tcase_add_loop_test(tc, test_parse_micro, 0, N(micro_cases));
	tcase_add_loop_test(tc, test_format, 0, N(format_cases));
	tcase_add_loop_test(tc, test_format_micro, 0, N(format_micro_cases));
	tcase_add_loop_test(tc, test_round, 0, N(round_cases));
	tcase_add_loop_test(tc, test_scale, 0, N(scale_cases));
	tcase_add_loop_test(tc, test_add, 0, N(add_cases));
	suite_add_tcase(s, tc);
	return s;
}
