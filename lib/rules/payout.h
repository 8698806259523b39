/* payout: the netting rules of SPEC 8, 11 and 14, one decision per function.
 *
 * On payout date D an unpaid invoice without a payout is due when its
 * period's last day + the merchant's payout_delay_days < D.  The due
 * invoices of a (merchant, entity, currency) are netted; a payout is made
 * when there is at least one and the net reaches the threshold, max(the
 * marketplace minimum, the merchant's).  A frozen merchant's payout, or
 * one without valid payout details, is made but held.  A merchant in
 * request mode is paid only when it asks (SPEC 14): the request nets the
 * same due invoices against its own threshold, and the payout waits for
 * the merchant's invoice before it is paid.  Pure. */
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
	/* SPEC 14 */
	BAL_AWAITING_REQUEST, /* a request-mode merchant's due invoices wait for its request */
	BAL_AWAITING_INVOICE, /* only payouts on request waiting for the merchant's invoice */
	BAL_NREASONS
};

/* The reason: `known` merchant, its hold, whether an unheld payout was
 * made in the run, and what is left without a payout (ndue invoices due
 * netting `due`, npending not due yet). */
int payout_balance_reason(int known, int hold, int paid, long ndue, int64_t due, long npending);

/* The reason's name in balances.tsv. */
const char *payout_balance_reason_name(int reason);

/* ---- Payouts on request (SPEC 14). */

/* How a merchant is paid: by the automatic netting (SPEC 8), or only
 * when it asks (a payout request) and after its own invoice. */
enum payout_mode { PAYOUT_MODE_AUTO, PAYOUT_MODE_REQUEST };

/* The mode named s[0..n): "auto" or empty, "request"; -1 for anything
 * else. */
int payout_mode_of(const char *s, size_t n);

/* The balance reason of payout_balance_reason() for a merchant in
 * `mode` with `nawaiting` payouts on request waiting for its invoice:
 * a request-mode merchant's due invoices wait for its request
 * (awaiting_request, whatever their net: a request decides), and
 * payouts that wait for the merchant's invoice say so rather than
 * not_confirmed. */
int payout_balance_reason_in_mode(int reason, int mode, long nawaiting);

/* A payout's status.  The automatic netting makes a payout `created`; a
 * request makes it `awaiting_invoice`, the merchant's invoice moves it to
 * `processing`; a confirmation makes either `paid`. */
enum payout_status {
	PAYOUT_CREATED,
	PAYOUT_AWAITING_INVOICE,
	PAYOUT_PROCESSING,
	PAYOUT_PAID,
	PAYOUT_NSTATUSES
};

/* The status's name in payouts.tsv and requests.tsv. */
const char *payout_status_name(int status);

/* The status named s[0..n), or -1. */
int payout_status_of(const char *s, size_t n);

/* The status in words, for documents ("Awaiting the merchant's invoice"). */
const char *payout_status_words(int status);

/* What happens to a payout: the merchant's invoice arrives
 * (merchant-invoices), or the transfer is confirmed (payouts-paid). */
enum payout_event { PAYOUT_EV_MERCHANT_INVOICE, PAYOUT_EV_CONFIRMATION };

/* The event applied to a payout of `status`: PAYOUT_MOVED with the new
 * status in *next, or the reason it is rejected (reject.h):
 * unknown_payout for a merchant's invoice of a payout that is not
 * awaiting one, or a confirmation of a paid payout; awaiting_invoice for a
 * confirmation that comes before the merchant's invoice. */
enum { PAYOUT_MOVED = -1 };
int payout_transition(int status, int event, int *next);

/* How a payout request ends: a payout, or refused for one reason.  The
 * hold comes first (a frozen merchant's money does not move whatever the
 * net), then nothing due, then the amounts. */
enum request_outcome {
	REQUEST_PAYOUT,
	REQUEST_FROZEN,
	REQUEST_PAYOUT_DETAILS,
	REQUEST_NOTHING_DUE,
	REQUEST_NEGATIVE,
	REQUEST_BELOW_THRESHOLD,
	REQUEST_NOUTCOMES
};

/* The outcome of a request netting `ndue` due invoices to `net`, against
 * the threshold (payout_threshold() of the request minimum and the
 * merchant's) and the merchant's hold; the same test as the automatic
 * netting's payout_made(). */
int payout_request_outcome(int hold, long ndue, int64_t net, int64_t threshold);

/* "" for a payout, else the refusal's reason in requests.tsv. */
const char *payout_request_outcome_name(int outcome);

#endif
