/* payout: the netting rules of SPEC 8 and 11, one decision per function.
 *
 * On payout date D an unpaid invoice without a payout is due when its
 * period's last day + the merchant's payout_delay_days < D.  The due
 * invoices of a (merchant, entity, currency) are netted; a payout is made
 * when there is at least one and the net reaches the threshold, max(the
 * marketplace minimum, the merchant's).  A frozen merchant's payout, or
 * one without valid payout details, is made but held.  Pure. */
#ifndef RULES_PAYOUT_H
#define RULES_PAYOUT_H

#include <stddef.h>
#include <stdint.h>

/* The instant after which an invoice of period p is due, for a merchant
 * with a delay of `delay_days`: 00:00Z of the period's last day plus the
 * delay. */
int64_t payout_ready(int period, long delay_days);

/* 1 when such an invoice is due on payout date `date` (ready < date). */
int payout_due(int period, long delay_days, int64_t date);

/* The first payout date on which an invoice ready at `ready` is due. */
int64_t payout_next_date(int64_t ready);

/* The threshold: the larger of the two minimums (SPEC 11). */
int64_t payout_threshold(int64_t market_min, int64_t merchant_min);

/* 1 when netting `ndue` due invoices to `net` makes a payout. */
int payout_made(long ndue, int64_t net, int64_t threshold);

/* Why a payout is held: frozen wins over payout details. */
enum payout_hold { HOLD_NONE, HOLD_FROZEN, HOLD_DETAILS, HOLD_NHOLDS };

/* The hold of a merchant with these flags. */
int payout_hold(int frozen, int payout_ok);

/* "", "frozen" or "payout_details". */
const char *payout_hold_name(int hold);

/* The hold named s[0..n), or -1. */
int payout_hold_of(const char *s, size_t n);

/* Why money of a (merchant, entity, currency) has not reached the
 * merchant after a run (balances.tsv); the first that applies. */
enum balance_reason {
	BAL_PAID,	      /* "": a payout that is not held was made in the run */
	BAL_UNKNOWN_MERCHANT, /* not in merchants.tsv: never due */
	BAL_FROZEN,
	BAL_PAYOUT_DETAILS,
	BAL_NEGATIVE,	   /* due invoices net below zero */
	BAL_BELOW_MINIMUM, /* due invoices net below the threshold */
	BAL_NOT_DUE,	   /* only invoices not due yet */
	BAL_NOT_CONFIRMED, /* only payouts waiting for confirmation */
	BAL_NREASONS
};

/* The reason: `known` merchant, its hold, whether an unheld payout was
 * made in the run, and what is left without a payout (ndue invoices due
 * netting `due`, npending not due yet). */
int payout_balance_reason(int known, int hold, int paid, long ndue, int64_t due, long npending);

/* The reason's name in balances.tsv. */
const char *payout_balance_reason_name(int reason);

#endif
