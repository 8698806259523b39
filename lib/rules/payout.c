/* payout: due, threshold, hold, balance reason, payouts on request. */
#include "rules/payout.h"

#include <string.h>

#include "period.h"
#include "reject.h"

enum { DAY = 86400 };

/* Last day plus the delay. */
int64_t
payout_ready(int period, long delay_days)
{
	return period_last_day(period) + (int64_t)delay_days * DAY;
}

/* SPEC 8's "<". */
int
payout_due(int period, long delay_days, int64_t date)
{
	return payout_ready(period, delay_days) < date;
}

/* The issue date of the period holding `ready` is the first payout date
 * after it. */
int64_t
payout_next_date(int64_t ready)
{
	return period_end(period_of(ready));
}

/* max. */
int64_t
payout_threshold(int64_t market_min, int64_t merchant_min)
{
	return merchant_min > market_min ? merchant_min : market_min;
}

/* At least one due invoice, and the net at the threshold or over it. */
int
payout_made(long ndue, int64_t net, int64_t threshold)
{
	return ndue > 0 && net >= threshold;
}

static const char *const hold_names[HOLD_NHOLDS] = {"", "frozen", "payout_details"};

/* frozen = 1 wins; else payout_ok other than 1. */
int
payout_hold(int frozen, int payout_ok)
{
	return frozen ? HOLD_FROZEN : !payout_ok ? HOLD_DETAILS : HOLD_NONE;
}

/* A hold's name. */
const char *
payout_hold_name(int hold)
{
	return hold >= 0 && hold < HOLD_NHOLDS ? hold_names[hold] : "?";
}

/* A hold by name. */
int
payout_hold_of(const char *s, size_t n)
{
	int h;

	for (h = 0; h < HOLD_NHOLDS; h++)
		if (strlen(hold_names[h]) == n && memcmp(hold_names[h], s, n) == 0)
			return h;
	return -1;
}

/* The first reason that applies; a frozen merchant's money does not move
 * whatever the net, so the hold comes before the amounts. */
int
payout_balance_reason(int known, int hold, int paid, long ndue, int64_t due, long npending)
{
	if (!known)
		return BAL_UNKNOWN_MERCHANT;
	if (hold == HOLD_FROZEN)
		return BAL_FROZEN;
	if (hold == HOLD_DETAILS)
		return BAL_PAYOUT_DETAILS;
	if (paid)
		return BAL_PAID;
	if (ndue > 0)
		return due < 0 ? BAL_NEGATIVE : BAL_BELOW_MINIMUM;
	return npending > 0 ? BAL_NOT_DUE : BAL_NOT_CONFIRMED;
}

static const char *const reason_names[BAL_NREASONS] = {
	"",
	"unknown_merchant",
	"frozen",
	"payout_details",
	"negative",
	"below_minimum",
	"not_due",
	"not_confirmed",
	"awaiting_request",
	"awaiting_invoice",
};

/* A reason's name. */
const char *
payout_balance_reason_name(int reason)
{
	return reason >= 0 && reason < BAL_NREASONS ? reason_names[reason] : "?";
}

/* A name of a table of n, by name; -1 when none. */
static int
_lookup(const char *const *names, int n, const char *s, size_t len)
{
	int i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return i;
	return -1;
}

/* Empty is auto: the column is optional, and so is its value. */
int
payout_mode_of(const char *s, size_t n)
{
	static const char *const names[] = {"auto", "request"};

	return n == 0 ? PAYOUT_MODE_AUTO : _lookup(names, 2, s, n);
}

/* A request decides whether due invoices are paid, so what they net says
 * nothing of why they wait. */
int
payout_balance_reason_in_mode(int reason, int mode, long nawaiting)
{
	if (mode == PAYOUT_MODE_REQUEST && (reason == BAL_NEGATIVE || reason == BAL_BELOW_MINIMUM))
		return BAL_AWAITING_REQUEST;
	if (reason == BAL_NOT_CONFIRMED && nawaiting > 0)
		return BAL_AWAITING_INVOICE;
	return reason;
}

static const char *const status_names[PAYOUT_NSTATUSES] = {
	"created",
	"awaiting_invoice",
	"processing",
	"paid",
};
static const char *const status_words[PAYOUT_NSTATUSES] = {
	"Created: not paid yet",
	"Awaiting the merchant's invoice",
	"Processing: the merchant's invoice has arrived",
	"Paid",
};

/* A status's name. */
const char *
payout_status_name(int status)
{
	return status >= 0 && status < PAYOUT_NSTATUSES ? status_names[status] : "?";
}

/* A status by name. */
int
payout_status_of(const char *s, size_t n)
{
	return _lookup(status_names, PAYOUT_NSTATUSES, s, n);
}

/* A status in words. */
const char *
payout_status_words(int status)
{
	return status >= 0 && status < PAYOUT_NSTATUSES ? status_words[status] : "?";
}

/* SPEC 14's walk: awaiting_invoice -> processing -> paid, and SPEC 8's
 * created -> paid; anything else is turned away. */
int
payout_transition(int status, int event, int *next)
{
	if (event == PAYOUT_EV_MERCHANT_INVOICE) {
		if (status != PAYOUT_AWAITING_INVOICE)
			return REJECT_UNKNOWN_PAYOUT;
		*next = PAYOUT_PROCESSING;
		return PAYOUT_MOVED;
	}
	if (status == PAYOUT_AWAITING_INVOICE)
		return REJECT_AWAITING_INVOICE;
	if (status != PAYOUT_CREATED && status != PAYOUT_PROCESSING)
		return REJECT_UNKNOWN_PAYOUT;
	*next = PAYOUT_PAID;
	return PAYOUT_MOVED;
}

/* The hold first, then whether the automatic netting's test passes, then
 * why not. */
int
payout_request_outcome(int hold, long ndue, int64_t net, int64_t threshold)
{
	if (hold == HOLD_FROZEN)
		return REQUEST_FROZEN;
	if (hold == HOLD_DETAILS)
		return REQUEST_PAYOUT_DETAILS;
	if (payout_made(ndue, net, threshold))
		return REQUEST_PAYOUT;
	if (ndue == 0)
		return REQUEST_NOTHING_DUE;
	return net < 0 ? REQUEST_NEGATIVE : REQUEST_BELOW_THRESHOLD;
}

static const char *const outcome_names[REQUEST_NOUTCOMES] = {
	"", "frozen", "payout_details", "nothing_due", "negative", "below_threshold",
};

/* An outcome's name. */
const char *
payout_request_outcome_name(int outcome)
{
	return outcome >= 0 && outcome < REQUEST_NOUTCOMES ? outcome_names[outcome] : "?";
}
