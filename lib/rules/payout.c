/* payout: due, threshold, hold, balance reason. */
#include "rules/payout.h"

#include <string.h>

#include "period.h"

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
	"",	    "unknown_merchant", "frozen",  "payout_details",
	"negative", "below_minimum",	"not_due", "not_confirmed",
};

/* A reason's name. */
const char *
payout_balance_reason_name(int reason)
{
	return reason >= 0 && reason < BAL_NREASONS ? reason_names[reason] : "?";
}
