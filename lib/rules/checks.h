/* checks: the row checks of SPEC 11 as a table per drop source, in the
 * order SPEC 11 gives them; the first check a row fails gives its reason
 * (reject.h) and the column at fault.
 *
 * Columns are known by role (COL_*): a filter resolves each role of a
 * source to a column index once, after the header, and hands the row's
 * fields with that index to checks_run().  The checks that need more than
 * the row itself are the caller's: the duplicate id (checks_run() stops
 * there and says so), and the checks against the state or configuration
 * made by later stages (unknown_payout, no_rate, no_entity).  Pure: no
 * I/O, no exit. */
#ifndef RULES_CHECKS_H
#define RULES_CHECKS_H

#include <stddef.h>
#include <stdint.h>

/* The sources of a drop (SPEC 4, 12, 14), in the order they are read. */
enum source_kind {
	SRC_ORDERS,
	SRC_REFUNDS,
	SRC_ADS,
	SRC_WEIGHTS,
	SRC_PAYOUTS_PAID,
	SRC_PAYOUT_REQUESTS,   /* SPEC 14 */
	SRC_MERCHANT_INVOICES, /* SPEC 14 */
	SRC_ADJUSTMENTS,
	SRC_NSOURCES
};

/* Every column of every source. */
enum col_role {
	COL_ORDER_ID,
	COL_REFUND_ID,
	COL_CHARGE_ID,
	COL_AUDIT_ID,
	COL_PAYOUT_NO,
	COL_MERCHANT_ID,
	COL_SHIPPED_AT,
	COL_REFUNDED_AT,
	COL_SPENT_ON,
	COL_AUDITED_AT,
	COL_PAID_ON,
	COL_SHIP_MODE,
	COL_DEST_COUNTRY,
	COL_CURRENCY,
	COL_PRODUCT_PRICE,
	COL_SHIPPING_PRICE,
	COL_JL_COST,
	COL_CATEGORY,
	COL_REASON,
	COL_FRACTION,
	COL_ND_COMPENSATION,
	COL_AMOUNT,
	COL_DECLARED_G,
	COL_ACTUAL_G,
	COL_COST_DECLARED,
	COL_COST_ACTUAL,
	/* SPEC 14: payout-requests, merchant-invoices */
	COL_REQUEST_ID,
	COL_ENTITY,
	COL_REQUESTED_AT,
	COL_MERCHANT_INVOICE_NO,
	COL_RECEIVED_AT,
	/* SPEC 12: adjustments (`reason` is COL_REASON, free text there) */
	COL_ADJUSTMENT_ID,
	COL_INVOICE_NO,
	COL_AT,
	COL_EVENT_ID,
	COL_NROLES
};

/* What a check tests. */
enum check_test {
	T_ID,	     /* an identifier (SPEC 2) */
	T_DUPLICATE, /* the id was not seen before in the source: the caller's */
	T_TIME,	     /* an ISO 8601 date or time */
	T_FUTURE,    /* the deciding date is before the run's issue date */
	T_SHIP_MODE, /* offline, offline_jl, jl, jl_merchant */
	T_REASON,    /* non_delivery, quality, other */
	T_CURRENCY,  /* ISO 4217 with numeric minor units */
	T_MONEY,     /* money of the row's currency */
	T_MONEY_OPT, /* money, or empty (0) */
	T_JL_COST,   /* money, or empty where the ship mode needs none */
	T_SUM_FITS,  /* product_price + shipping_price fits in int64 */
	T_MICRO,     /* a decimal of at most six places */
	T_NONNEG,    /* the value parsed earlier is not negative */
	T_FRACTION,  /* in (0, 1] */
	T_ND,	     /* a non-zero nd_compensation only where SPEC 6.2 allows it */
	T_TEXT_100,  /* free text of 1 to 100 characters that a document can hold */
	T_ID_OPT,    /* an identifier, or empty */
	T_TEXT	     /* document text of 1 to CHECK_TEXT_MAX characters (check_text) */
};

/* One check: the reason it gives, the column it looks at, the test. */
typedef struct check {
	signed char reason, role, test;
} check;

/* A source: its file name, its event kind, its columns in SPEC 4 order,
 * its primary id and deciding date, its checks in SPEC 11 order. */
typedef struct check_source {
	const char *name; /* file name without extension: "orders" */
	const char *kind; /* the event's kind: "order" */
	const signed char *cols;
	size_t ncols;
	int primary; /* role of the primary id */
	int decides; /* role of the deciding date (late, future) */
	const check *checks;
	size_t nchecks;
} check_source;

/* The values a row's checks parsed, by role; valid where the source has
 * the role and the checks got that far. */
typedef struct check_values {
	int64_t num[COL_NROLES]; /* money (minor units), decimals (millionths), times */
	int digits;		 /* the currency's minor digits */
	int ship_mode;		 /* enum ship_mode */
	int reason;		 /* enum refund_reason */
	int has_jl_cost;	 /* jl_cost was given */
} check_values;

/* A row as the checks see it: field idx[role] of field[] (flen[] its
 * length); idx[role] is -1 for a role the source does not have. */
typedef struct check_row {
	char *const *field;
	const size_t *flen;
	const int *idx;
} check_row;

enum { CHECK_OK = -1, CHECK_DUPLICATE = -2 };

/* The source of a kind. */
const check_source *check_source_of(int kind);

/* The kind of a file name's stem s[0..n) ("orders", "payouts-paid"), or -1. */
int check_source_by_name(const char *s, size_t n);

/* The kind of an event's kind s[0..n) ("order", "paid"), or -1. */
int check_source_by_kind(const char *s, size_t n);

/* The column name of a role. */
const char *check_col_name(int role);

/* The record-level checks of SPEC 11, before any field: a quote error
 * (malformed_csv), a field count other than the header's (field_count),
 * then invalid UTF-8 (bad_utf8) and a tab, CR, LF or NUL inside a field
 * (bad_char) anywhere in raw; tab_ok in TSV, where the tab separates.
 * Returns a reason or CHECK_OK. */
int check_record(int malformed, size_t nfield, size_t ncol, const char *raw, size_t rawlen,
		 int tab_ok);

/* The first field of a record that check_record() turned away for
 * `reason` (bad_utf8: invalid UTF-8; bad_char: a CR, LF or NUL, or a tab
 * unless tab_ok), or -1 for the other reasons. */
int check_record_field(char *const *field, const size_t *flen, size_t nfield, int reason,
		       int tab_ok);

/* Run src's checks on a row from check *at on, with `future` the first
 * instant that is `future` (INT64_MAX: none).  Returns CHECK_OK when all
 * pass, CHECK_DUPLICATE when it reaches the duplicate check (the caller
 * looks the id up and, when new, calls again from *at + 1), or the reason
 * of the failing check, whose index is left in *at. */
int checks_run(const check_source *src, const check_row *row, int64_t future, check_values *v,
	       size_t *at);

/* SPEC 13's cut of a forecast as of the day `as_of` (00:00Z of it): 1
 * when the row's deciding date is a time in T_TIME's syntax at or after
 * the end of that day, a row not exported yet that day, left out as if
 * it were absent (neither accepted nor rejected).  A deciding date that
 * does not parse is not after the cut: the row's checks reject it.  For
 * a record whose shape passed (not malformed_csv, not field_count). */
int check_after_as_of(const check_source *src, const check_row *row, int64_t as_of);

/* The longest adjustment reason, in characters (SPEC 12). */
enum { CHECK_TEXT_MAX = 200 };

/* 1 when s[0..n) is text a document can show, of 1 to max characters
 * (code points): valid UTF-8 without control characters or
 * noncharacters (text_check_document()), and not blanks only. */
int check_text(const char *s, size_t n, size_t max);

/* The checks of an accepted adjustment against the register of issued
 * documents (SPEC 12), which the stage that reads the register makes:
 * `found` when a document numbered invoice_no was ever issued, `kind` its
 * kind (rules/docno: only an invoice is corrected), `currency` its
 * currency and `adj_currency` the adjustment's (three letters each).
 * Returns CHECK_OK, REJECT_UNKNOWN_INVOICE or REJECT_CURRENCY_MISMATCH,
 * and in *role the column at fault (COL_INVOICE_NO, COL_CURRENCY). */
int check_adjustment_target(int found, int kind, const char *currency, const char *adj_currency,
			    int *role);

#endif
