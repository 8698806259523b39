/* rules/price: SPEC 6's tables, the Case study's twelve scenarios first,
 * then rounding, fractions, compensation and weight audits. */
#include <stdint.h>
#include <string.h>

#include "rules/price.h"
#include "schema.h"
#include "suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

enum { ORDER, REFUND };

/* One event and the lines it must give ("R 5.95" as type and minor units). */
static const struct {
	const char *name;
	int kind, mode, reason;
	int64_t p, s, jl, rate, fraction, nd;
	int n;
	struct {
		int type;
		int64_t amount;
	} line[PRICE_MAX_LINES];
} cases[] = {
	/* The Case study: product $7, offline shipping $4, online shipping
	 * $3, take rate 15%, ND compensation $2.50; full refunds. */
	{"1 online order with JL",
	 ORDER,
	 SHIP_JL,
	 0,
	 700,
	 300,
	 300,
	 150000,
	 0,
	 0,
	 3,
	 {{TYPE_R, 595}, {TYPE_RJL, 300}, {TYPE_JLO, -300}}},
	{"2 JL, refunded: non-delivery",
	 REFUND,
	 SHIP_JL,
	 REASON_NON_DELIVERY,
	 700,
	 300,
	 0,
	 150000,
	 1000000,
	 250,
	 4,
	 {{TYPE_RCM, -595}, {TYPE_RJLCM, -300}, {TYPE_JLOCM, 300}, {TYPE_ND, 250}}},
	{"3 JL, refunded: quality",
	 REFUND,
	 SHIP_JL,
	 REASON_QUALITY,
	 700,
	 300,
	 0,
	 150000,
	 1000000,
	 0,
	 1,
	 {{TYPE_RCM, -895}}},
	{"4 online order paid by the merchant",
	 ORDER,
	 SHIP_JL_MERCHANT,
	 0,
	 700,
	 400,
	 300,
	 150000,
	 0,
	 0,
	 2,
	 {{TYPE_R, 935}, {TYPE_JLD, -300}}},
	{"5 paid by the merchant, refunded: non-delivery",
	 REFUND,
	 SHIP_JL_MERCHANT,
	 REASON_NON_DELIVERY,
	 700,
	 400,
	 0,
	 150000,
	 1000000,
	 250,
	 2,
	 {{TYPE_RCM, -935}, {TYPE_ND, 250}}},
	{"6 paid by the merchant, refunded: quality",
	 REFUND,
	 SHIP_JL_MERCHANT,
	 REASON_QUALITY,
	 700,
	 400,
	 0,
	 150000,
	 1000000,
	 0,
	 1,
	 {{TYPE_RCM, -935}}},
	{"7 offline order", ORDER, SHIP_OFFLINE, 0, 700, 400, 0, 150000, 0, 0, 1, {{TYPE_R, 935}}},
	{"8 offline, refunded: non-delivery",
	 REFUND,
	 SHIP_OFFLINE,
	 REASON_NON_DELIVERY,
	 700,
	 400,
	 0,
	 150000,
	 1000000,
	 0,
	 1,
	 {{TYPE_RCM, -935}}},
	{"9 offline, refunded: quality",
	 REFUND,
	 SHIP_OFFLINE,
	 REASON_QUALITY,
	 700,
	 400,
	 0,
	 150000,
	 1000000,
	 0,
	 1,
	 {{TYPE_RCM, -935}}},
	{"10 offline with JL cost",
	 ORDER,
	 SHIP_OFFLINE_JL,
	 0,
	 700,
	 300,
	 300,
	 150000,
	 0,
	 0,
	 1,
	 {{TYPE_R, 895}}},
	{"11 offline with JL cost, refunded: non-delivery",
	 REFUND,
	 SHIP_OFFLINE_JL,
	 REASON_NON_DELIVERY,
	 700,
	 300,
	 0,
	 150000,
	 1000000,
	 0,
	 1,
	 {{TYPE_RCM, -895}}},
	{"12 offline with JL cost, refunded: quality",
	 REFUND,
	 SHIP_OFFLINE_JL,
	 REASON_QUALITY,
	 700,
	 300,
	 0,
	 150000,
	 1000000,
	 0,
	 1,
	 {{TYPE_RCM, -895}}},
	/* `other` is priced as quality. */
	{"JL, refunded: other",
	 REFUND,
	 SHIP_JL,
	 REASON_OTHER,
	 700,
	 300,
	 0,
	 150000,
	 1000000,
	 0,
	 1,
	 {{TYPE_RCM, -895}}},
	/* Rounded once, half away from zero: 0.10 x 0.85 = 0.085 -> 0.09;
	 * the refund -0.085 -> -0.09. */
	{"half up", ORDER, SHIP_OFFLINE, 0, 10, 0, 0, 150000, 0, 0, 1, {{TYPE_R, 9}}},
	{"half away from zero, negative",
	 REFUND,
	 SHIP_OFFLINE,
	 REASON_QUALITY,
	 10,
	 0,
	 0,
	 150000,
	 1000000,
	 0,
	 1,
	 {{TYPE_RCM, -9}}},
	/* A partial refund is one product, rounded once: 9.35 x 0.333333 =
	 * 3.116663... -> 3.12, not 9.35 rounded then scaled. */
	{"fraction of a third",
	 REFUND,
	 SHIP_OFFLINE,
	 REASON_QUALITY,
	 700,
	 400,
	 0,
	 150000,
	 333333,
	 0,
	 1,
	 {{TYPE_RCM, -312}}},
	{"half refund, JL non-delivery",
	 REFUND,
	 SHIP_JL,
	 REASON_NON_DELIVERY,
	 700,
	 300,
	 0,
	 150000,
	 500000,
	 0,
	 3,
	 {{TYPE_RCM, -298}, {TYPE_RJLCM, -150}, {TYPE_JLOCM, 150}}},
	/* Every line is emitted, even at 0; ND only when there is one. */
	{"take rate 1: R is 0",
	 ORDER,
	 SHIP_JL,
	 0,
	 700,
	 300,
	 300,
	 1000000,
	 0,
	 0,
	 3,
	 {{TYPE_R, 0}, {TYPE_RJL, 300}, {TYPE_JLO, -300}}},
	{"free shipping",
	 ORDER,
	 SHIP_JL,
	 0,
	 700,
	 0,
	 0,
	 150000,
	 0,
	 0,
	 3,
	 {{TYPE_R, 595}, {TYPE_RJL, 0}, {TYPE_JLO, 0}}},
	{"take rate 0", ORDER, SHIP_OFFLINE_JL, 0, 700, 300, 300, 0, 0, 0, 1, {{TYPE_R, 1000}}},
	/* JPY (0 decimals): 1234 x 0.85 = 1048.9 -> 1049. */
	{"JPY", ORDER, SHIP_OFFLINE, 0, 1234, 0, 0, 150000, 0, 0, 1, {{TYPE_R, 1049}}},
	/* Largest prices that fit: (p + s)(1 - t) stays exact in 128 bits. */
	{"near int64",
	 ORDER,
	 SHIP_OFFLINE,
	 0,
	 INT64_MAX - 1,
	 1,
	 0,
	 0,
	 0,
	 0,
	 1,
	 {{TYPE_R, INT64_MAX}}},
};

START_TEST(test_table)
{
	price_lines ls;
	int i, rc;

	memset(&ls, 0, sizeof ls);
	if (cases[_i].kind == ORDER)
		rc = price_order(cases[_i].mode, cases[_i].p, cases[_i].s, cases[_i].jl,
				 cases[_i].rate, &ls);
	else
		rc = price_refund(cases[_i].mode, cases[_i].reason, cases[_i].p, cases[_i].s,
				  cases[_i].rate, cases[_i].fraction, cases[_i].nd, &ls);
	ck_assert_msg(rc == PRICE_OK, "%s: %d", cases[_i].name, rc);
	ck_assert_msg(ls.n == cases[_i].n, "%s: %d lines", cases[_i].name, ls.n);
	for (i = 0; i < ls.n; i++) {
		ck_assert_msg(ls.type[i] == cases[_i].line[i].type, "%s: line %d is %s",
			      cases[_i].name, i, schema_type_code(ls.type[i]));
		ck_assert_msg(ls.amount[i] == cases[_i].line[i].amount, "%s: line %d: %lld",
			      cases[_i].name, i, (long long)ls.amount[i]);
	}
}
END_TEST

/* SPEC 6.2's invariants: RJL + JLO = 0 and RJLCM + JLOCM = 0, for any
 * shipping price and fraction. */
START_TEST(test_invariants)
{
	static const int64_t ships[] = {0, 1, 3, 299, 12345, INT64_MAX / 4};
	static const int64_t fractions[] = {1, 333333, 500000, 999999, 1000000};
	size_t i, j;
	price_lines ls;

	for (i = 0; i < sizeof ships / sizeof ships[0]; i++) {
		ck_assert(price_order(SHIP_JL, 700, ships[i], 0, 150000, &ls) == PRICE_OK);
		ck_assert(ls.amount[1] + ls.amount[2] == 0);
		for (j = 0; j < sizeof fractions / sizeof fractions[0]; j++) {
			ck_assert(price_refund(SHIP_JL, REASON_NON_DELIVERY, 700, ships[i], 150000,
					       fractions[j], 0, &ls) == PRICE_OK);
			ck_assert(ls.n == 3 && ls.amount[1] + ls.amount[2] == 0);
		}
	}
}
END_TEST

/* Prices whose sum leaves int64 are out of range, whatever the mode. */
START_TEST(test_range)
{
	price_lines ls;

	ck_assert(price_order(SHIP_JL, INT64_MAX, 1, 0, 0, &ls) == PRICE_ERANGE);
	ck_assert(price_refund(SHIP_OFFLINE, REASON_QUALITY, INT64_MAX, 1, 0, 1000000, 0, &ls) ==
		  PRICE_ERANGE);
	ck_assert(price_weight(0, 100000000, INT64_MIN + 1, INT64_MAX, &ls) == PRICE_ERANGE);
}
END_TEST

/* Weight audits: a line only beyond max(10% of declared, 5 g). */
static const struct {
	int64_t declared, actual; /* grams, millionths */
	int lines;
} weight_cases[] = {
	{100000000, 110000000, 0}, /* +10 g on 100 g: 10%, not beyond */
	{100000000, 110000001, 1}, /* just beyond 10% */
	{20000000, 25000000, 0},   /* +5 g on 20 g: beyond 10%, not beyond 5 g */
	{20000000, 25000001, 1},   /* beyond both */
	{0, 5000001, 1},	   /* nothing declared */
	{100000000, 90000000, 0},  /* lighter than declared */
};

START_TEST(test_weight)
{
	price_lines ls;

	ck_assert(price_weight(weight_cases[_i].declared, weight_cases[_i].actual, 250, 400, &ls) ==
		  PRICE_OK);
	ck_assert_int_eq(ls.n, weight_cases[_i].lines);
	if (ls.n)
		ck_assert(ls.type[0] == TYPE_IW && ls.amount[0] == -150);
}
END_TEST

/* Ads: AD = -amount; a negative charge is a credit. */
START_TEST(test_ad)
{
	price_lines ls;

	ck_assert(price_ad(1250, &ls) == PRICE_OK && ls.n == 1 && ls.type[0] == TYPE_AD &&
		  ls.amount[0] == -1250);
	ck_assert(price_ad(-500, &ls) == PRICE_OK && ls.amount[0] == 500);
}
END_TEST

/* Names, and where compensation and a JL cost belong. */
START_TEST(test_codes)
{
	ck_assert_int_eq(price_ship_mode("offline_jl", 10), SHIP_OFFLINE_JL);
	ck_assert_int_eq(price_ship_mode("Offline", 7), -1);
	ck_assert_int_eq(price_refund_reason("other", 5), REASON_OTHER);
	ck_assert_int_eq(price_refund_reason("lost", 4), -1);
	ck_assert_str_eq(price_ship_mode_name(SHIP_JL_MERCHANT), "jl_merchant");
	ck_assert_str_eq(price_refund_reason_name(REASON_NON_DELIVERY), "non_delivery");
	ck_assert(price_nd_allowed(SHIP_JL, REASON_NON_DELIVERY));
	ck_assert(price_nd_allowed(SHIP_JL_MERCHANT, REASON_NON_DELIVERY));
	ck_assert(!price_nd_allowed(SHIP_OFFLINE, REASON_NON_DELIVERY));
	ck_assert(!price_nd_allowed(SHIP_OFFLINE_JL, REASON_NON_DELIVERY));
	ck_assert(!price_nd_allowed(SHIP_JL, REASON_QUALITY));
	ck_assert(price_needs_jl_cost(SHIP_JL_MERCHANT) && !price_needs_jl_cost(SHIP_JL));
}
END_TEST

Suite *
suite_price(void)
{
	Suite *s = suite_create("rules/price");
	TCase *tc = tcase_create("price");

	tcase_add_loop_test(tc, test_table, 0, N(cases));
	tcase_add_test(tc, test_invariants);
	tcase_add_test(tc, test_range);
	tcase_add_loop_test(tc, test_weight, 0, N(weight_cases));
	tcase_add_test(tc, test_ad);
	tcase_add_test(tc, test_codes);
	suite_add_tcase(s, tc);
	return s;
}
