/* checks: SPEC 11's row checks as one table per source. */
#include "rules/checks.h"

#include <string.h>

#include "ident.h"
#include "money.h"
#include "period.h"
#include "reject.h"
#include "rules/docno.h"
#include "rules/price.h"
#include "text.h"

static const char *const col_names[COL_NROLES] = {
	[COL_ORDER_ID] = "order_id",
	[COL_REFUND_ID] = "refund_id",
	[COL_CHARGE_ID] = "charge_id",
	[COL_AUDIT_ID] = "audit_id",
	[COL_PAYOUT_NO] = "payout_no",
	[COL_MERCHANT_ID] = "merchant_id",
	[COL_SHIPPED_AT] = "shipped_at",
	[COL_REFUNDED_AT] = "refunded_at",
	[COL_SPENT_ON] = "spent_on",
	[COL_AUDITED_AT] = "audited_at",
	[COL_PAID_ON] = "paid_on",
	[COL_SHIP_MODE] = "ship_mode",
	[COL_DEST_COUNTRY] = "dest_country",
	[COL_CURRENCY] = "currency",
	[COL_PRODUCT_PRICE] = "product_price",
	[COL_SHIPPING_PRICE] = "shipping_price",
	[COL_JL_COST] = "jl_cost",
	[COL_CATEGORY] = "category",
	[COL_REASON] = "reason",
	[COL_FRACTION] = "fraction",
	[COL_ND_COMPENSATION] = "nd_compensation",
	[COL_AMOUNT] = "amount",
	[COL_DECLARED_G] = "declared_g",
	[COL_ACTUAL_G] = "actual_g",
	[COL_COST_DECLARED] = "cost_declared",
	[COL_COST_ACTUAL] = "cost_actual",
	[COL_REQUEST_ID] = "request_id",
	[COL_ENTITY] = "entity",
	[COL_REQUESTED_AT] = "requested_at",
	[COL_MERCHANT_INVOICE_NO] = "merchant_invoice_no",
	[COL_RECEIVED_AT] = "received_at",
	[COL_ADJUSTMENT_ID] = "adjustment_id",
	[COL_INVOICE_NO] = "invoice_no",
	[COL_AT] = "at",
	[COL_EVENT_ID] = "event_id",
};

/* SPEC 4's columns of each source, in its order. */
static const signed char cols_orders[] = {
	COL_ORDER_ID, COL_MERCHANT_ID,	 COL_SHIPPED_AT,     COL_SHIP_MODE, COL_DEST_COUNTRY,
	COL_CURRENCY, COL_PRODUCT_PRICE, COL_SHIPPING_PRICE, COL_JL_COST,   COL_CATEGORY,
};
static const signed char cols_refunds[] = {
	COL_REFUND_ID, COL_ORDER_ID,	    COL_MERCHANT_ID,	COL_REFUNDED_AT, COL_REASON,
	COL_FRACTION,  COL_ND_COMPENSATION, COL_SHIPPED_AT,	COL_SHIP_MODE,	 COL_DEST_COUNTRY,
	COL_CURRENCY,  COL_PRODUCT_PRICE,   COL_SHIPPING_PRICE, COL_CATEGORY,
};
static const signed char cols_ads[] = {
	COL_CHARGE_ID, COL_MERCHANT_ID, COL_SPENT_ON, COL_CURRENCY, COL_AMOUNT,
};
static const signed char cols_weights[] = {
	COL_AUDIT_ID,	COL_ORDER_ID, COL_MERCHANT_ID,	 COL_AUDITED_AT,  COL_CURRENCY,
	COL_DECLARED_G, COL_ACTUAL_G, COL_COST_DECLARED, COL_COST_ACTUAL,
};
static const signed char cols_paid[] = {COL_PAYOUT_NO, COL_PAID_ON};
static const signed char cols_requests[] = {
	COL_REQUEST_ID, COL_MERCHANT_ID, COL_ENTITY, COL_CURRENCY, COL_REQUESTED_AT,
};
static const signed char cols_merchant_invoices[] = {
	COL_PAYOUT_NO,
	COL_MERCHANT_INVOICE_NO,
	COL_RECEIVED_AT,
};
static const signed char cols_adjustments[] = {
	COL_ADJUSTMENT_ID, COL_INVOICE_NO, COL_CURRENCY, COL_AMOUNT,
	COL_REASON,	   COL_AT,	   COL_EVENT_ID,
};

/* SPEC 11's order: bad_id (primary), duplicate, bad_id (other ids),
 * bad_date, future, unknown_ship_mode / unknown_reason, unknown_currency,
 * bad_number, negative_price / negative_weight, fraction_range,
 * nd_compensation.  Within one reason, columns in SPEC 4's order, except
 * that a refund's ship_mode comes before its reason. */
#define C(reason, role, test)                                                                      \
	{                                                                                          \
		REJECT_##reason, role, test                                                        \
	}
static const check checks_orders[] = {
	C(BAD_ID, COL_ORDER_ID, T_ID),
	C(DUPLICATE, COL_ORDER_ID, T_DUPLICATE),
	C(BAD_ID, COL_MERCHANT_ID, T_ID),
	C(BAD_DATE, COL_SHIPPED_AT, T_TIME),
	C(FUTURE, COL_SHIPPED_AT, T_FUTURE),
	C(UNKNOWN_SHIP_MODE, COL_SHIP_MODE, T_SHIP_MODE),
	C(UNKNOWN_CURRENCY, COL_CURRENCY, T_CURRENCY),
	C(BAD_NUMBER, COL_PRODUCT_PRICE, T_MONEY),
	C(BAD_NUMBER, COL_SHIPPING_PRICE, T_MONEY),
	C(BAD_NUMBER, COL_JL_COST, T_JL_COST),
	C(BAD_NUMBER, COL_SHIPPING_PRICE, T_SUM_FITS),
	C(NEGATIVE_PRICE, COL_PRODUCT_PRICE, T_NONNEG),
	C(NEGATIVE_PRICE, COL_SHIPPING_PRICE, T_NONNEG),
	C(NEGATIVE_PRICE, COL_JL_COST, T_NONNEG),
};
static const check checks_refunds[] = {
	C(BAD_ID, COL_REFUND_ID, T_ID),
	C(DUPLICATE, COL_REFUND_ID, T_DUPLICATE),
	C(BAD_ID, COL_ORDER_ID, T_ID),
	C(BAD_ID, COL_MERCHANT_ID, T_ID),
	C(BAD_DATE, COL_REFUNDED_AT, T_TIME),
	C(BAD_DATE, COL_SHIPPED_AT, T_TIME),
	C(FUTURE, COL_REFUNDED_AT, T_FUTURE),
	C(UNKNOWN_SHIP_MODE, COL_SHIP_MODE, T_SHIP_MODE),
	C(UNKNOWN_REASON, COL_REASON, T_REASON),
	C(UNKNOWN_CURRENCY, COL_CURRENCY, T_CURRENCY),
	C(BAD_NUMBER, COL_FRACTION, T_MICRO),
	C(BAD_NUMBER, COL_ND_COMPENSATION, T_MONEY_OPT),
	C(BAD_NUMBER, COL_PRODUCT_PRICE, T_MONEY),
	C(BAD_NUMBER, COL_SHIPPING_PRICE, T_MONEY),
	C(BAD_NUMBER, COL_SHIPPING_PRICE, T_SUM_FITS),
	C(NEGATIVE_PRICE, COL_ND_COMPENSATION, T_NONNEG),
	C(NEGATIVE_PRICE, COL_PRODUCT_PRICE, T_NONNEG),
	C(NEGATIVE_PRICE, COL_SHIPPING_PRICE, T_NONNEG),
	C(FRACTION_RANGE, COL_FRACTION, T_FRACTION),
	C(ND_COMPENSATION, COL_ND_COMPENSATION, T_ND),
};
static const check checks_ads[] = {
	C(BAD_ID, COL_CHARGE_ID, T_ID),	    C(DUPLICATE, COL_CHARGE_ID, T_DUPLICATE),
	C(BAD_ID, COL_MERCHANT_ID, T_ID),   C(BAD_DATE, COL_SPENT_ON, T_TIME),
	C(FUTURE, COL_SPENT_ON, T_FUTURE),  C(UNKNOWN_CURRENCY, COL_CURRENCY, T_CURRENCY),
	C(BAD_NUMBER, COL_AMOUNT, T_MONEY), /* may be negative: a credit */
};
static const check checks_weights[] = {
	C(BAD_ID, COL_AUDIT_ID, T_ID),
	C(DUPLICATE, COL_AUDIT_ID, T_DUPLICATE),
	C(BAD_ID, COL_ORDER_ID, T_ID),
	C(BAD_ID, COL_MERCHANT_ID, T_ID),
	C(BAD_DATE, COL_AUDITED_AT, T_TIME),
	C(FUTURE, COL_AUDITED_AT, T_FUTURE),
	C(UNKNOWN_CURRENCY, COL_CURRENCY, T_CURRENCY),
	C(BAD_NUMBER, COL_DECLARED_G, T_MICRO),
	C(BAD_NUMBER, COL_ACTUAL_G, T_MICRO),
	C(BAD_NUMBER, COL_COST_DECLARED, T_MONEY),
	C(BAD_NUMBER, COL_COST_ACTUAL, T_MONEY),
	C(NEGATIVE_WEIGHT, COL_DECLARED_G, T_NONNEG),
	C(NEGATIVE_WEIGHT, COL_ACTUAL_G, T_NONNEG),
	C(NEGATIVE_PRICE, COL_COST_DECLARED, T_NONNEG),
	C(NEGATIVE_PRICE, COL_COST_ACTUAL, T_NONNEG),
};
static const check checks_paid[] = {
	C(BAD_ID, COL_PAYOUT_NO, T_ID),
	C(DUPLICATE, COL_PAYOUT_NO, T_DUPLICATE),
	C(BAD_DATE, COL_PAID_ON, T_TIME),
	C(FUTURE, COL_PAID_ON, T_FUTURE),
};
/* SPEC 14: the entity is an identifier (it names folders); whether the
 * merchant is in request mode and has no open request is net-payouts'. */
static const check checks_requests[] = {
	C(BAD_ID, COL_REQUEST_ID, T_ID),
	C(DUPLICATE, COL_REQUEST_ID, T_DUPLICATE),
	C(BAD_ID, COL_MERCHANT_ID, T_ID),
	C(BAD_ID, COL_ENTITY, T_ID),
	C(BAD_DATE, COL_REQUESTED_AT, T_TIME),
	C(FUTURE, COL_REQUESTED_AT, T_FUTURE),
	C(UNKNOWN_CURRENCY, COL_CURRENCY, T_CURRENCY),
};
/* SPEC 14: received_at decides late and future (the day the merchant's
 * invoice arrived); whether the payout awaits an invoice is net-payouts'. */
static const check checks_merchant_invoices[] = {
	C(BAD_ID, COL_PAYOUT_NO, T_ID),
	C(DUPLICATE, COL_PAYOUT_NO, T_DUPLICATE),
	C(BAD_DATE, COL_RECEIVED_AT, T_TIME),
	C(FUTURE, COL_RECEIVED_AT, T_FUTURE),
	C(BAD_TEXT, COL_MERCHANT_INVOICE_NO, T_TEXT_100),
};
/* SPEC 12: SPEC 11's order up to bad_number, then bad_text; the amount
 * may be negative (it takes money back).  unknown_invoice and
 * currency_mismatch need the register: check_adjustment_target(). */
static const check checks_adjustments[] = {
	C(BAD_ID, COL_ADJUSTMENT_ID, T_ID),
	C(DUPLICATE, COL_ADJUSTMENT_ID, T_DUPLICATE),
	C(BAD_ID, COL_INVOICE_NO, T_ID),
	C(BAD_ID, COL_EVENT_ID, T_ID_OPT),
	C(BAD_DATE, COL_AT, T_TIME),
	C(FUTURE, COL_AT, T_FUTURE),
	C(UNKNOWN_CURRENCY, COL_CURRENCY, T_CURRENCY),
	C(BAD_NUMBER, COL_AMOUNT, T_MONEY),
	C(BAD_TEXT, COL_REASON, T_TEXT),
};
#undef C

#define N(a) (sizeof(a) / sizeof((a)[0]))
static const check_source sources[SRC_NSOURCES] = {
	{"orders", "order", cols_orders, N(cols_orders), COL_ORDER_ID, COL_SHIPPED_AT,
	 checks_orders, N(checks_orders)},
	{"refunds", "refund", cols_refunds, N(cols_refunds), COL_REFUND_ID, COL_REFUNDED_AT,
	 checks_refunds, N(checks_refunds)},
	{"ads", "ad", cols_ads, N(cols_ads), COL_CHARGE_ID, COL_SPENT_ON, checks_ads,
	 N(checks_ads)},
	{"weights", "weight", cols_weights, N(cols_weights), COL_AUDIT_ID, COL_AUDITED_AT,
	 checks_weights, N(checks_weights)},
	{"payouts-paid", "paid", cols_paid, N(cols_paid), COL_PAYOUT_NO, COL_PAID_ON, checks_paid,
	 N(checks_paid)},
	{"payout-requests", "request", cols_requests, N(cols_requests), COL_REQUEST_ID,
	 COL_REQUESTED_AT, checks_requests, N(checks_requests)},
	{"merchant-invoices", "merchant_invoice", cols_merchant_invoices, N(cols_merchant_invoices),
	 COL_PAYOUT_NO, COL_RECEIVED_AT, checks_merchant_invoices, N(checks_merchant_invoices)},
	{"adjustments", "adjustment", cols_adjustments, N(cols_adjustments), COL_ADJUSTMENT_ID,
	 COL_AT, checks_adjustments, N(checks_adjustments)},
};

/* A source by kind. */
const check_source *
check_source_of(int kind)
{
	return kind >= 0 && kind < SRC_NSOURCES ? &sources[kind] : NULL;
}

/* A source by file stem. */
int
check_source_by_name(const char *s, size_t n)
{
	int k;

	for (k = 0; k < SRC_NSOURCES; k++)
		if (strlen(sources[k].name) == n && memcmp(sources[k].name, s, n) == 0)
			return k;
	return -1;
}

/* A source by event kind. */
int
check_source_by_kind(const char *s, size_t n)
{
	int k;

	for (k = 0; k < SRC_NSOURCES; k++)
		if (strlen(sources[k].kind) == n && memcmp(sources[k].kind, s, n) == 0)
			return k;
	return -1;
}

/* A role's column name. */
const char *
check_col_name(int role)
{
	return role >= 0 && role < COL_NROLES ? col_names[role] : "?";
}

/* The checks about the whole record. */
int
check_record(int malformed, size_t nfield, size_t ncol, const char *raw, size_t rawlen, int tab_ok)
{
	if (malformed)
		return REJECT_MALFORMED_CSV;
	if (nfield != ncol)
		return REJECT_FIELD_COUNT;
	/* A CSV record's raw bytes hold a tab, CR or LF exactly when one of
	 * its fields does (only a malformed record breaks this, and it was
	 * turned away above); in TSV the tab is the separator. */
	switch (text_check(raw, rawlen, tab_ok)) {
	case TEXT_BAD_UTF8: return REJECT_BAD_UTF8;
	case TEXT_BAD_CHAR: return REJECT_BAD_CHAR;
	}
	return CHECK_OK;
}

/* The field at fault for the bytes. */
int
check_record_field(char *const *field, const size_t *flen, size_t nfield, int reason, int tab_ok)
{
	size_t i;

	if (reason != REJECT_BAD_UTF8 && reason != REJECT_BAD_CHAR)
		return -1;
	for (i = 0; i < nfield; i++) {
		int t = text_check(field[i], flen[i], tab_ok);

		if ((reason == REJECT_BAD_UTF8 && t == TEXT_BAD_UTF8) ||
		    (reason == REJECT_BAD_CHAR && t != TEXT_OK))
			return (int)i;
	}
	return -1;
}

/* Characters counted as UTF-8 lead bytes, once the text is known valid;
 * blanks only are no text. */
int
check_text(const char *s, size_t n, size_t max)
{
	size_t i, chars = 0, blanks = 0;

	if (n == 0 || text_check_document(s, n) != TEXT_OK)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		chars += (c & 0xc0) != 0x80;
		blanks += c == ' ';
	}
	return chars <= max && blanks < n;
}

/* Whether one check passes; parsed values go to v. */
static int
_pass(const check *c, const check_row *row, int64_t future, check_values *v)
{
	int col = row->idx[(int)c->role];
	const char *s = row->field[col];
	size_t n = row->flen[col];
	int64_t *num = &v->num[(int)c->role];

	switch (c->test) {
	case T_ID: return ident_valid(s, n);
	case T_TIME: return period_parse_time(s, n, num) == 0;
	case T_FUTURE: return *num < future;
	case T_SHIP_MODE: return (v->ship_mode = price_ship_mode(s, n)) >= 0;
	case T_REASON: return (v->reason = price_refund_reason(s, n)) >= 0;
	case T_CURRENCY: return (v->digits = money_currency_digits(s, n)) >= 0;
	case T_MONEY: return money_parse(s, n, v->digits, num) == MONEY_OK;
	case T_MONEY_OPT: *num = 0; return n == 0 || money_parse(s, n, v->digits, num) == MONEY_OK;
	case T_JL_COST:
		*num = 0;
		v->has_jl_cost = n > 0;
		if (n == 0)
			return !price_needs_jl_cost(v->ship_mode);
		return money_parse(s, n, v->digits, num) == MONEY_OK;
	case T_SUM_FITS: {
		int64_t p = v->num[COL_PRODUCT_PRICE], q = v->num[COL_SHIPPING_PRICE];

		return !(p >= 0 && q >= 0 && p > INT64_MAX - q);
	}
	case T_MICRO: return money_parse_micro(s, n, num) == MONEY_OK;
	case T_NONNEG: return *num >= 0;
	case T_FRACTION: return *num > 0 && *num <= MONEY_MICRO;
	case T_ND: return *num == 0 || price_nd_allowed(v->ship_mode, v->reason);
	case T_TEXT_100: return check_text(s, n, 100);
	case T_ID_OPT: return n == 0 || ident_valid(s, n);
	case T_TEXT: return check_text(s, n, CHECK_TEXT_MAX);
	}
	return 1; /* T_DUPLICATE: the caller's */
}

/* The checks in order from *at. */
int
checks_run(const check_source *src, const check_row *row, int64_t future, check_values *v,
	   size_t *at)
{
	size_t i;

	for (i = *at; i < src->nchecks; i++) {
		const check *c = &src->checks[i];

		if (c->test == T_DUPLICATE) {
			*at = i;
			return CHECK_DUPLICATE;
		}
		if (!_pass(c, row, future, v)) {
			*at = i;
			return c->reason;
		}
	}
	*at = i;
	return CHECK_OK;
}

/* The deciding date parsed, and from the next day's 00:00Z on. */
int
check_after_as_of(const check_source *src, const check_row *row, int64_t as_of)
{
	int col = row->idx[src->decides];
	int64_t at;

	return col >= 0 && period_parse_time(row->field[col], row->flen[col], &at) == 0 &&
	       at >= as_of + 86400;
}

/* Only an invoice is corrected, in its own currency. */
int
check_adjustment_target(int found, int kind, const char *currency, const char *adj_currency,
			int *role)
{
	if (!found || kind != DOC_INVOICE) {
		*role = COL_INVOICE_NO;
		return REJECT_UNKNOWN_INVOICE;
	}
	if (memcmp(currency, adj_currency, 3) != 0) {
		*role = COL_CURRENCY;
		return REJECT_CURRENCY_MISMATCH;
	}
	*role = -1;
	return CHECK_OK;
}
