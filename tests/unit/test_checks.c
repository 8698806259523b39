/* rules/checks: each source's checks in SPEC 11's order.  A case is a row
 * (fields in SPEC 4's column order), the reason it must get and the column
 * at fault; the duplicate check is the caller's (CHECK_DUPLICATE). */
#include <stdint.h>
#include <string.h>

#include "reject.h"
#include "rules/checks.h"
#include "rules/docno.h"
#include "rules/price.h"
#include "suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* 200 characters of two bytes each (U+00E9). */
#define E10  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
#define E50  E10 E10 E10 E10 E10
#define E200 E50 E50 E50 E50

/* The run's issue date 2024-03-16: from then on, rows are future. */
#define FUTURE INT64_C(1710547200)

static const struct {
	int kind;
	const char *field[14];
	int reason; /* CHECK_OK when every check passes */
	int role;   /* the column at fault, -1 for CHECK_OK */
} cases[] = {
	/* orders: order_id merchant_id shipped_at ship_mode dest_country
	 * currency product_price shipping_price jl_cost category */
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-02", "offline", "US", "USD", "7", "4", "", "c"},
	 CHECK_OK,
	 -1},
	{SRC_ORDERS,
	 {"o 1", "m!", "x", "x", "", "x", "x", "x", "x", ""},
	 REJECT_BAD_ID,
	 COL_ORDER_ID},
	{SRC_ORDERS,
	 {"o1", "m!", "x", "x", "", "x", "x", "x", "x", ""},
	 REJECT_BAD_ID,
	 COL_MERCHANT_ID},
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-32", "x", "", "x", "x", "x", "x", ""},
	 REJECT_BAD_DATE,
	 COL_SHIPPED_AT},
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-16", "x", "", "x", "x", "x", "x", ""},
	 REJECT_FUTURE,
	 COL_SHIPPED_AT},
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-15T23:59:59Z", "air", "", "x", "x", "x", "x", ""},
	 REJECT_UNKNOWN_SHIP_MODE,
	 COL_SHIP_MODE},
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-01", "jl", "", "usd", "x", "x", "x", ""},
	 REJECT_UNKNOWN_CURRENCY,
	 COL_CURRENCY},
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-01", "jl", "", "USD", "7,00", "-1", "", ""},
	 REJECT_BAD_NUMBER,
	 COL_PRODUCT_PRICE},
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-01", "jl", "", "USD", "-7", "1.005", "", ""},
	 REJECT_BAD_NUMBER,
	 COL_SHIPPING_PRICE},
	/* jl_cost: empty is fine but for jl_merchant; present, it must parse */
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-01", "jl_merchant", "", "USD", "7", "4", "", ""},
	 REJECT_BAD_NUMBER,
	 COL_JL_COST},
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-01", "offline", "", "USD", "7", "4", "x", ""},
	 REJECT_BAD_NUMBER,
	 COL_JL_COST},
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-01", "offline", "", "USD", "92233720368547758.07", "0.01", "", ""},
	 REJECT_BAD_NUMBER,
	 COL_SHIPPING_PRICE},
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-01", "offline", "", "USD", "7", "-4", "", ""},
	 REJECT_NEGATIVE_PRICE,
	 COL_SHIPPING_PRICE},
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-01", "jl_merchant", "", "USD", "7", "4", "-3", ""},
	 REJECT_NEGATIVE_PRICE,
	 COL_JL_COST},
	{SRC_ORDERS,
	 {"o1", "m", "2024-03-01", "offline", "", "JPY", "7.5", "4", "", ""},
	 REJECT_BAD_NUMBER,
	 COL_PRODUCT_PRICE},
	/* refunds: refund_id order_id merchant_id refunded_at reason fraction
	 * nd_compensation shipped_at ship_mode dest_country currency
	 * product_price shipping_price category */
	{SRC_REFUNDS,
	 {"f1", "o1", "m", "2024-03-10", "non_delivery", "1", "2.50", "2024-02-01", "jl", "DE",
	  "USD", "7", "3", "c"},
	 CHECK_OK,
	 -1},
	{SRC_REFUNDS,
	 {"f1", "o 1", "m", "2024-03-10", "x", "x", "", "x", "x", "", "x", "x", "x", ""},
	 REJECT_BAD_ID,
	 COL_ORDER_ID},
	/* both dates are checked before future */
	{SRC_REFUNDS,
	 {"f1", "o1", "m", "2024-03-20", "x", "x", "", "soon", "x", "", "x", "x", "x", ""},
	 REJECT_BAD_DATE,
	 COL_SHIPPED_AT},
	{SRC_REFUNDS,
	 {"f1", "o1", "m", "2024-03-20", "x", "x", "", "2024-03-01", "x", "", "x", "x", "x", ""},
	 REJECT_FUTURE,
	 COL_REFUNDED_AT},
	/* the ship mode before the reason (docs/decisions.md) */
	{SRC_REFUNDS,
	 {"f1", "o1", "m", "2024-03-10", "lost", "x", "", "2024-03-01", "air", "", "x", "x", "x",
	  ""},
	 REJECT_UNKNOWN_SHIP_MODE,
	 COL_SHIP_MODE},
	{SRC_REFUNDS,
	 {"f1", "o1", "m", "2024-03-10", "lost", "x", "", "2024-03-01", "jl", "", "x", "x", "x",
	  ""},
	 REJECT_UNKNOWN_REASON,
	 COL_REASON},
	{SRC_REFUNDS,
	 {"f1", "o1", "m", "2024-03-10", "quality", "1.5", "", "2024-03-01", "jl", "", "USD", "7",
	  "-3", ""},
	 REJECT_NEGATIVE_PRICE,
	 COL_SHIPPING_PRICE},
	{SRC_REFUNDS,
	 {"f1", "o1", "m", "2024-03-10", "quality", "1.5", "", "2024-03-01", "jl", "", "USD", "7",
	  "3", ""},
	 REJECT_FRACTION_RANGE,
	 COL_FRACTION},
	{SRC_REFUNDS,
	 {"f1", "o1", "m", "2024-03-10", "quality", "0", "", "2024-03-01", "jl", "", "USD", "7",
	  "3", ""},
	 REJECT_FRACTION_RANGE,
	 COL_FRACTION},
	{SRC_REFUNDS,
	 {"f1", "o1", "m", "2024-03-10", "quality", "0.5", "x", "2024-03-01", "jl", "", "USD", "7",
	  "3", ""},
	 REJECT_BAD_NUMBER,
	 COL_ND_COMPENSATION},
	{SRC_REFUNDS,
	 {"f1", "o1", "m", "2024-03-10", "quality", "0.5", "1", "2024-03-01", "jl", "", "USD", "7",
	  "3", ""},
	 REJECT_ND_COMPENSATION,
	 COL_ND_COMPENSATION},
	{SRC_REFUNDS,
	 {"f1", "o1", "m", "2024-03-10", "non_delivery", "0.5", "1", "2024-03-01", "offline_jl", "",
	  "USD", "7", "3", ""},
	 REJECT_ND_COMPENSATION,
	 COL_ND_COMPENSATION},
	{SRC_REFUNDS,
	 {"f1", "o1", "m", "2024-03-10", "quality", "0.5", "0", "2024-03-01", "offline", "", "USD",
	  "7", "3", ""},
	 CHECK_OK,
	 -1},
	/* ads: charge_id merchant_id spent_on currency amount; negative is a credit */
	{SRC_ADS, {"a1", "m", "2024-03-05", "EUR", "-12.50"}, CHECK_OK, -1},
	{SRC_ADS, {"a1", "m", "2024-03-05", "EUR", "12.5.0"}, REJECT_BAD_NUMBER, COL_AMOUNT},
	/* weights: audit_id order_id merchant_id audited_at currency declared_g
	 * actual_g cost_declared cost_actual; grams before costs */
	{SRC_WEIGHTS,
	 {"w1", "o1", "m", "2024-03-05", "USD", "100", "130.5", "2", "3"},
	 CHECK_OK,
	 -1},
	{SRC_WEIGHTS,
	 {"w1", "o1", "m", "2024-03-05", "USD", "100", "x", "2", "3"},
	 REJECT_BAD_NUMBER,
	 COL_ACTUAL_G},
	{SRC_WEIGHTS,
	 {"w1", "o1", "m", "2024-03-05", "USD", "100", "-1", "-2", "3"},
	 REJECT_NEGATIVE_WEIGHT,
	 COL_ACTUAL_G},
	{SRC_WEIGHTS,
	 {"w1", "o1", "m", "2024-03-05", "USD", "100", "1", "2", "-3"},
	 REJECT_NEGATIVE_PRICE,
	 COL_COST_ACTUAL},
	/* payouts-paid: payout_no paid_on */
	{SRC_PAYOUTS_PAID, {"PO-SIA-2024-000001", "2024-03-15"}, CHECK_OK, -1},
	{SRC_PAYOUTS_PAID, {"PO-SIA-2024-000001", "15/03/2024"}, REJECT_BAD_DATE, COL_PAID_ON},
	{SRC_PAYOUTS_PAID, {"PO SIA", "2024-03-15"}, REJECT_BAD_ID, COL_PAYOUT_NO},
	/* payout-requests: request_id merchant_id entity currency requested_at */
	{SRC_PAYOUT_REQUESTS, {"R1", "m", "SIA", "EUR", "2024-03-10T09:00:00Z"}, CHECK_OK, -1},
	{SRC_PAYOUT_REQUESTS, {"R 1", "m!", "x", "x", "x"}, REJECT_BAD_ID, COL_REQUEST_ID},
	{SRC_PAYOUT_REQUESTS, {"R1", "m!", "S A", "x", "x"}, REJECT_BAD_ID, COL_MERCHANT_ID},
	{SRC_PAYOUT_REQUESTS, {"R1", "m", "S A", "x", "x"}, REJECT_BAD_ID, COL_ENTITY},
	{SRC_PAYOUT_REQUESTS,
	 {"R1", "m", "SIA", "x", "10/03/2024"},
	 REJECT_BAD_DATE,
	 COL_REQUESTED_AT},
	{SRC_PAYOUT_REQUESTS,
	 {"R1", "m", "SIA", "eur", "2024-03-16"},
	 REJECT_FUTURE,
	 COL_REQUESTED_AT},
	{SRC_PAYOUT_REQUESTS,
	 {"R1", "m", "SIA", "eur", "2024-02-10"},
	 REJECT_UNKNOWN_CURRENCY,
	 COL_CURRENCY},
	/* merchant-invoices: payout_no merchant_invoice_no received_at */
	{SRC_MERCHANT_INVOICES, {"PO-SIA-2024-000001", "F 2024/17", "2024-03-10"}, CHECK_OK, -1},
	{SRC_MERCHANT_INVOICES, {"PO SIA", "", "x"}, REJECT_BAD_ID, COL_PAYOUT_NO},
	{SRC_MERCHANT_INVOICES, {"PO-1", "", "x"}, REJECT_BAD_DATE, COL_RECEIVED_AT},
	{SRC_MERCHANT_INVOICES, {"PO-1", "", "2024-03-16"}, REJECT_FUTURE, COL_RECEIVED_AT},
	{SRC_MERCHANT_INVOICES,
	 {"PO-1", "", "2024-03-15"},
	 REJECT_BAD_TEXT,
	 COL_MERCHANT_INVOICE_NO},
	{SRC_MERCHANT_INVOICES,
	 {"PO-1", "F\x01", "2024-03-15"},
	 REJECT_BAD_TEXT,
	 COL_MERCHANT_INVOICE_NO},
	{SRC_MERCHANT_INVOICES,
	 {"PO-1",
	  "0123456789012345678901234567890123456789012345678901234567890123456789"
	  "012345678901234567890123456789",
	  "2024-03-15"},
	 CHECK_OK,
	 -1}, /* 100 characters */
	{SRC_MERCHANT_INVOICES,
	 {"PO-1",
	  "0123456789012345678901234567890123456789012345678901234567890123456789"
	  "0123456789012345678901234567890",
	  "2024-03-15"},
	 REJECT_BAD_TEXT,
	 COL_MERCHANT_INVOICE_NO}, /* 101 */
	{SRC_MERCHANT_INVOICES,
	 {"PO-1",
	  "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
	  "éééééééééééé",
	  "2024-03-15"},
	 CHECK_OK,
	 -1}, /* 200 bytes */
	{SRC_MERCHANT_INVOICES,
	 {"PO-1",
	  "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
	  "ééééééééééééé",
	  "2024-03-15"},
	 REJECT_BAD_TEXT,
	 COL_MERCHANT_INVOICE_NO},
	/* adjustments: adjustment_id invoice_no currency amount reason at
	 * event_id; SPEC 11's order, then bad_text; negative takes back */
	{SRC_ADJUSTMENTS,
	 {"a1", "SIA-2024-000001", "USD", "-5.00", "goodwill", "2024-03-10", ""},
	 CHECK_OK,
	 -1},
	{SRC_ADJUSTMENTS,
	 {"a1", "SIA-2024-000001", "JPY", "500", "disputed ad charge", "2024-03-10", "o-1"},
	 CHECK_OK,
	 -1},
	{SRC_ADJUSTMENTS,
	 {"a 1", "x y", "x", "x", "", "x", "x y"},
	 REJECT_BAD_ID,
	 COL_ADJUSTMENT_ID},
	{SRC_ADJUSTMENTS, {"a1", "x y", "x", "x", "", "x", "x y"}, REJECT_BAD_ID, COL_INVOICE_NO},
	{SRC_ADJUSTMENTS, {"a1", "", "x", "x", "", "x", ""}, REJECT_BAD_ID, COL_INVOICE_NO},
	{SRC_ADJUSTMENTS, {"a1", "I1", "x", "x", "", "x", "x y"}, REJECT_BAD_ID, COL_EVENT_ID},
	{SRC_ADJUSTMENTS, {"a1", "I1", "x", "x", "", "10/03/2024", ""}, REJECT_BAD_DATE, COL_AT},
	{SRC_ADJUSTMENTS, {"a1", "I1", "x", "x", "", "2024-03-16", ""}, REJECT_FUTURE, COL_AT},
	{SRC_ADJUSTMENTS,
	 {"a1", "I1", "usd", "x", "", "2024-03-15", ""},
	 REJECT_UNKNOWN_CURRENCY,
	 COL_CURRENCY},
	{SRC_ADJUSTMENTS,
	 {"a1", "I1", "USD", "5.001", "", "2024-03-15", ""},
	 REJECT_BAD_NUMBER,
	 COL_AMOUNT},
	{SRC_ADJUSTMENTS,
	 {"a1", "I1", "JPY", "5.0", "", "2024-03-15", ""},
	 REJECT_BAD_NUMBER,
	 COL_AMOUNT},
	{SRC_ADJUSTMENTS,
	 {"a1", "I1", "USD", "5", "", "2024-03-15", ""},
	 REJECT_BAD_TEXT,
	 COL_REASON},
	{SRC_ADJUSTMENTS,
	 {"a1", "I1", "USD", "5", "   ", "2024-03-15", ""},
	 REJECT_BAD_TEXT,
	 COL_REASON},
	{SRC_ADJUSTMENTS,
	 {"a1", "I1", "USD", "5", "bell\a", "2024-03-15", ""},
	 REJECT_BAD_TEXT,
	 COL_REASON},
	{SRC_ADJUSTMENTS,
	 {"a1", "I1", "USD", "5", "del\x7f", "2024-03-15", ""},
	 REJECT_BAD_TEXT,
	 COL_REASON},
	/* a noncharacter (U+FDD0) */
	{SRC_ADJUSTMENTS,
	 {"a1", "I1", "USD", "5", "\xef\xb7\x90", "2024-03-15", ""},
	 REJECT_BAD_TEXT,
	 COL_REASON},
	/* 200 characters of two bytes each fit, 201 do not */
	{SRC_ADJUSTMENTS, {"a1", "I1", "USD", "5", E200, "2024-03-15", ""}, CHECK_OK, -1},
	{SRC_ADJUSTMENTS,
	 {"a1", "I1", "USD", "5", E200 "x", "2024-03-15", ""},
	 REJECT_BAD_TEXT,
	 COL_REASON},
	{SRC_ADJUSTMENTS, {"a1", "I1", "USD", "5", " x ", "2024-03-15", ""}, CHECK_OK, -1},
};

/* The checks against the register: only an invoice, in its currency. */
START_TEST(test_target)
{
	static const struct {
		int found, kind;
		const char *cur, *adj;
		int reason, role;
	} t[] = {
		{1, DOC_INVOICE, "USD", "USD", CHECK_OK, -1},
		{0, DOC_INVOICE, "USD", "USD", REJECT_UNKNOWN_INVOICE, COL_INVOICE_NO},
		{1, DOC_CREDIT_NOTE, "USD", "USD", REJECT_UNKNOWN_INVOICE, COL_INVOICE_NO},
		{1, DOC_PAYOUT, "USD", "EUR", REJECT_UNKNOWN_INVOICE, COL_INVOICE_NO},
		{1, DOC_INVOICE, "USD", "EUR", REJECT_CURRENCY_MISMATCH, COL_CURRENCY},
		{1, DOC_INVOICE, "JPY", "JPY", CHECK_OK, -1},
	};
	int i, role;

	for (i = 0; i < N(t); i++) {
		ck_assert_int_eq(
			check_adjustment_target(t[i].found, t[i].kind, t[i].cur, t[i].adj, &role),
			t[i].reason);
		ck_assert_int_eq(role, t[i].role);
	}
}
END_TEST

/* Document text: 1 to max characters, not only blanks, no control. */
START_TEST(test_text)
{
	ck_assert(check_text("a", 1, 1));
	ck_assert(!check_text("ab", 2, 1));
	ck_assert(check_text("\xc3\xa9\xc3\xa9", 4, 2)); /* two characters, four bytes */
	ck_assert(!check_text("\xc3\xa9\xc3\xa9", 4, 1));
	ck_assert(!check_text("", 0, 10));
	ck_assert(!check_text("  ", 2, 10));
	ck_assert(!check_text("a\x01", 2, 10));
	ck_assert(!check_text("\xc3", 1, 10));
}
END_TEST

/* Run a row's checks as normalize-orders does: up to the duplicate check,
 * then (the id being new) on from after it. */
START_TEST(test_row)
{
	const check_source *src = check_source_of(cases[_i].kind);
	char *field[14];
	size_t flen[14], k, at = 0;
	int idx[COL_NROLES], reason;
	check_values v;
	check_row row = {field, flen, idx};

	for (k = 0; k < COL_NROLES; k++)
		idx[k] = -1;
	for (k = 0; k < src->ncols; k++) {
		field[k] = (char *)cases[_i].field[k];
		flen[k] = strlen(field[k]);
		idx[(int)src->cols[k]] = (int)k;
	}
	memset(&v, 0, sizeof v);
	reason = checks_run(src, &row, FUTURE, &v, &at);
	if (reason == CHECK_DUPLICATE) {
		ck_assert(src->checks[at].test == T_DUPLICATE);
		at++;
		reason = checks_run(src, &row, FUTURE, &v, &at);
	}
	ck_assert_msg(reason == cases[_i].reason, "case %d: %s, not %s", _i, reject_name(reason),
		      reject_name(cases[_i].reason));
	if (reason != CHECK_OK)
		ck_assert_msg(src->checks[at].role == cases[_i].role, "case %d: column %s", _i,
			      check_col_name(src->checks[at].role));
}
END_TEST

/* What an accepted order's checks parsed. */
START_TEST(test_values)
{
	const check_source *src = check_source_of(SRC_ORDERS);
	char *field[] = {
		"o1", "m", "2024-03-02T10:00:00+02:00", "jl_merchant", "US", "KWD", "7.5", "0.125",
		"3",  "c"};
	size_t flen[10], k, at = 0;
	int idx[COL_NROLES];
	check_values v;
	check_row row = {field, flen, idx};

	for (k = 0; k < COL_NROLES; k++)
		idx[k] = -1;
	for (k = 0; k < 10; k++) {
		flen[k] = strlen(field[k]);
		idx[(int)src->cols[k]] = (int)k;
	}
	ck_assert_int_eq(checks_run(src, &row, FUTURE, &v, &at), CHECK_DUPLICATE);
	at++;
	ck_assert_int_eq(checks_run(src, &row, FUTURE, &v, &at), CHECK_OK);
	ck_assert_int_eq(v.digits, 3);
	ck_assert_int_eq(v.ship_mode, SHIP_JL_MERCHANT);
	ck_assert(v.num[COL_SHIPPED_AT] == INT64_C(1709366400)); /* 08:00Z */
	ck_assert(v.num[COL_PRODUCT_PRICE] == 7500 && v.num[COL_SHIPPING_PRICE] == 125);
	ck_assert(v.has_jl_cost && v.num[COL_JL_COST] == 3000);
}
END_TEST

/* Record-level checks come first, in SPEC 11's order. */
START_TEST(test_record)
{
	ck_assert_int_eq(check_record(1, 1, 3, "a", 1, 0), REJECT_MALFORMED_CSV);
	ck_assert_int_eq(check_record(0, 2, 3, "a,b", 3, 0), REJECT_FIELD_COUNT);
	ck_assert_int_eq(check_record(0, 3, 3, "a,\xff,c", 5, 0), REJECT_BAD_UTF8);
	ck_assert_int_eq(check_record(0, 3, 3, "a,\r,c", 5, 0), REJECT_BAD_CHAR);
	ck_assert_int_eq(check_record(0, 3, 3, "a\tb\tc", 5, 1), CHECK_OK);
	ck_assert_int_eq(check_record(0, 3, 3, "a,\tb,c", 6, 0), REJECT_BAD_CHAR);
}
END_TEST

/* Sources by file stem and by event kind; each source's primary id is its
 * first column, its first check, and the duplicate check follows it. */
START_TEST(test_sources)
{
	int k;

	ck_assert_int_eq(check_source_by_name("payouts-paid", 12), SRC_PAYOUTS_PAID);
	ck_assert_int_eq(check_source_by_name("payout-requests", 15), SRC_PAYOUT_REQUESTS);
	ck_assert_int_eq(check_source_by_name("merchant-invoices", 17), SRC_MERCHANT_INVOICES);
	ck_assert_int_eq(check_source_by_name("adjustments", 11), SRC_ADJUSTMENTS);
	ck_assert_int_eq(check_source_by_kind("adjustment", 10), SRC_ADJUSTMENTS);
	ck_assert_int_eq(check_source_by_name("Orders", 6), -1);
	ck_assert_int_eq(check_source_by_kind("weight", 6), SRC_WEIGHTS);
	for (k = 0; k < SRC_NSOURCES; k++) {
		const check_source *s = check_source_of(k);

		ck_assert_int_eq(s->cols[0], s->primary);
		ck_assert(s->checks[0].role == s->primary && s->checks[0].test == T_ID);
		ck_assert(s->checks[1].test == T_DUPLICATE);
	}
	ck_assert_str_eq(check_col_name(COL_ND_COMPENSATION), "nd_compensation");
}
END_TEST

/* SPEC 13's cut as of 2024-03-10: rows whose deciding date is from
 * 2024-03-11T00:00:00Z on are left out; the other date columns do not
 * decide; a deciding date that does not parse is not cut. */
#define AS_OF INT64_C(1710028800) /* 2024-03-10 */
static const struct {
	int kind;
	int role;	/* the column given `at`; the others hold 2024-03-20 */
	const char *at; /* the deciding date, or another date column */
	int after;	/* check_after_as_of() */
} as_of_cases[] = {
	{SRC_ORDERS, COL_SHIPPED_AT, "2024-03-10", 0},
	{SRC_ORDERS, COL_SHIPPED_AT, "2024-03-10T23:59:59Z", 0},
	{SRC_ORDERS, COL_SHIPPED_AT, "2024-03-11", 1},
	{SRC_ORDERS, COL_SHIPPED_AT, "2024-03-11T00:00:00Z", 1},
	{SRC_ORDERS, COL_SHIPPED_AT, "2024-03-11T01:30:00+02:00", 0}, /* 03-10 23:30Z */
	{SRC_ORDERS, COL_SHIPPED_AT, "2024-03-10T23:30:00-01:00", 1}, /* 03-11 00:30Z */
	{SRC_ORDERS, COL_SHIPPED_AT, "2024-04-02", 1},		      /* future too */
	{SRC_ORDERS, COL_SHIPPED_AT, "2024-02-20", 0},		      /* late */
	{SRC_ORDERS, COL_SHIPPED_AT, "2024-03-32", 0},		      /* bad_date */
	{SRC_ORDERS, COL_SHIPPED_AT, "11/03/2024", 0},
	{SRC_ORDERS, COL_SHIPPED_AT, "", 0},
	{SRC_REFUNDS, COL_REFUNDED_AT, "2024-03-12", 1},
	{SRC_REFUNDS, COL_REFUNDED_AT, "2024-03-09", 0}, /* shipped_at 03-20 does not decide */
	{SRC_ADS, COL_SPENT_ON, "2024-03-11", 1},
	{SRC_WEIGHTS, COL_AUDITED_AT, "2024-03-10", 0},
	{SRC_WEIGHTS, COL_AUDITED_AT, "2024-03-14", 1},
	{SRC_PAYOUTS_PAID, COL_PAID_ON, "2024-03-11", 1},
	{SRC_PAYOUTS_PAID, COL_PAID_ON, "2024-03-01", 0},
};

START_TEST(test_after_as_of)
{
	const check_source *src = check_source_of(as_of_cases[_i].kind);
	char *field[14];
	size_t flen[14], k;
	int idx[COL_NROLES];
	check_row row = {field, flen, idx};

	for (k = 0; k < COL_NROLES; k++)
		idx[k] = -1;
	for (k = 0; k < src->ncols; k++) {
		int role = src->cols[k];

		field[k] =
			(char *)(role == as_of_cases[_i].role ? as_of_cases[_i].at : "2024-03-20");
		flen[k] = strlen(field[k]);
		idx[role] = (int)k;
	}
	ck_assert_msg(check_after_as_of(src, &row, AS_OF) == as_of_cases[_i].after, "case %d: %s",
		      _i, as_of_cases[_i].at);
}
END_TEST

Suite *
suite_checks(void)
{
	Suite *s = suite_create("rules/checks");
	TCase *tc = tcase_create("checks");

	tcase_add_loop_test(tc, test_row, 0, N(cases));
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_record);
	tcase_add_test(tc, test_sources);
	tcase_add_loop_test(tc, test_after_as_of, 0, N(as_of_cases));
	tcase_add_test(tc, test_target);
	tcase_add_test(tc, test_text);
	suite_add_tcase(s, tc);
	return s;
}
