/* price: SPEC 6's tables of lines per ship mode and refund reason. */
#include "rules/price.h"

#include <string.h>

#include "money.h"
#include "schema.h"

static const char *const mode_names[SHIP_NMODES] = {"offline", "offline_jl", "jl", "jl_merchant"};
static const char *const reason_names[REASON_NREASONS] = {"non_delivery", "quality", "other"};

/* What a line is made of, in millionths of a minor unit (x 10^6): */
enum base {
	B_PS_KEEP,  /* (p + s)(1 - t) */
	B_P_KEEP_S, /* p(1 - t) + s */
	B_P_KEEP,   /* p(1 - t) */
	B_S,	    /* s */
	B_JL_COST,  /* jl_cost */
	B_ND	    /* nd_compensation, never scaled by the fraction */
};

/* One line of a table: its type, its base, its sign. */
struct rule {
	signed char type, base, sign;
};

enum { END = -1 };

/* SPEC 6.1, orders. */
static const struct rule order_lines[SHIP_NMODES][PRICE_MAX_LINES + 1] = {
	[SHIP_OFFLINE] = {{TYPE_R, B_PS_KEEP, 1}, {END, 0, 0}},
	[SHIP_OFFLINE_JL] = {{TYPE_R, B_P_KEEP_S, 1}, {END, 0, 0}},
	[SHIP_JL] = {{TYPE_R, B_P_KEEP, 1}, {TYPE_RJL, B_S, 1}, {TYPE_JLO, B_S, -1}, {END, 0, 0}},
	[SHIP_JL_MERCHANT] = {{TYPE_R, B_PS_KEEP, 1}, {TYPE_JLD, B_JL_COST, -1}, {END, 0, 0}},
};

/* SPEC 6.2, refunds: [mode][0: non_delivery, 1: quality or other]; every
 * base but ND is scaled by the fraction. */
static const struct rule refund_lines[SHIP_NMODES][2][PRICE_MAX_LINES + 1] = {
	[SHIP_OFFLINE] = {{{TYPE_RCM, B_PS_KEEP, -1}, {END, 0, 0}},
			  {{TYPE_RCM, B_PS_KEEP, -1}, {END, 0, 0}}},
	[SHIP_OFFLINE_JL] = {{{TYPE_RCM, B_P_KEEP_S, -1}, {END, 0, 0}},
			     {{TYPE_RCM, B_P_KEEP_S, -1}, {END, 0, 0}}},
	[SHIP_JL] = {{{TYPE_RCM, B_P_KEEP, -1},
		      {TYPE_RJLCM, B_S, -1},
		      {TYPE_JLOCM, B_S, 1},
		      {TYPE_ND, B_ND, 1},
		      {END, 0, 0}},
		     {{TYPE_RCM, B_P_KEEP_S, -1}, {END, 0, 0}}},
	[SHIP_JL_MERCHANT] = {{{TYPE_RCM, B_PS_KEEP, -1}, {TYPE_ND, B_ND, 1}, {END, 0, 0}},
			      {{TYPE_RCM, B_PS_KEEP, -1}, {END, 0, 0}}},
};

/* Index of s[0..n) in a list of names, or -1. */
static int
_lookup(const char *s, size_t n, const char *const *list, int nlist)
{
	int i;

	for (i = 0; i < nlist; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return i;
	return -1;
}

/* A mode by name. */
int
price_ship_mode(const char *s, size_t n)
{
	return _lookup(s, n, mode_names, SHIP_NMODES);
}

/* A mode's name. */
const char *
price_ship_mode_name(int mode)
{
	return mode >= 0 && mode < SHIP_NMODES ? mode_names[mode] : "?";
}

/* A reason by name. */
int
price_refund_reason(const char *s, size_t n)
{
	return _lookup(s, n, reason_names, REASON_NREASONS);
}

/* A reason's name. */
const char *
price_refund_reason_name(int reason)
{
	return reason >= 0 && reason < REASON_NREASONS ? reason_names[reason] : "?";
}

/* SPEC 6.2: ND only for a JL parcel not delivered. */
int
price_nd_allowed(int mode, int reason)
{
	return reason == REASON_NON_DELIVERY && (mode == SHIP_JL || mode == SHIP_JL_MERCHANT);
}

/* SPEC 6.1: JLD needs the JL cost. */
int
price_needs_jl_cost(int mode)
{
	return mode == SHIP_JL_MERCHANT;
}

/* The values a table's bases are computed from. */
struct values {
	int64_t p, s, jl_cost, nd, keep; /* keep = 1 - t, in millionths */
};

/* A base in millionths of a minor unit. */
static __int128
_base(int base, const struct values *v)
{
	switch (base) {
	case B_PS_KEEP: return ((__int128)v->p + v->s) * v->keep;
	case B_P_KEEP_S: return (__int128)v->p * v->keep + (__int128)v->s * MONEY_MICRO;
	case B_P_KEEP: return (__int128)v->p * v->keep;
	case B_S: return (__int128)v->s * MONEY_MICRO;
	case B_JL_COST: return (__int128)v->jl_cost * MONEY_MICRO;
	default: return (__int128)v->nd * MONEY_MICRO;
	}
}

/* Emit the lines of a table row: amount = sign x round(base x scale /
 * 10^12), scale being the fraction (refunds) or 1 (10^6 millionths). */
static int
_emit(const struct rule *rules, const struct values *v, int64_t scale, price_lines *out)
{
	const struct rule *r;

	out->n = 0;
	for (r = rules; r->type != END; r++) {
		int64_t amount;
		__int128 num;

		if (r->base == B_ND) {
			if (v->nd == 0)
				continue; /* ND only when there is a compensation */
			num = _base(r->base, v) * MONEY_MICRO;
		} else {
			num = _base(r->base, v) * scale;
		}
		if (money_round(num, (int64_t)MONEY_MICRO * MONEY_MICRO, &amount) != MONEY_OK)
			return PRICE_ERANGE;
		out->type[out->n] = r->type;
		out->amount[out->n++] = r->sign < 0 ? -amount : amount;
	}
	return PRICE_OK;
}

/* SPEC 6.1. */
int
price_order(int mode, int64_t p, int64_t s, int64_t jl_cost, int64_t rate, price_lines *out)
{
	struct values v = {p, s, jl_cost, 0, MONEY_MICRO - rate};

	/* (p + s) appears in the tables: it must fit. */
	if ((__int128)p + s > INT64_MAX)
		return PRICE_ERANGE;
	return _emit(order_lines[mode], &v, MONEY_MICRO, out);
}

/* SPEC 6.2. */
int
price_refund(int mode, int reason, int64_t p, int64_t s, int64_t rate, int64_t fraction, int64_t nd,
	     price_lines *out)
{
	struct values v = {p, s, 0, nd, MONEY_MICRO - rate};

	if ((__int128)p + s > INT64_MAX)
		return PRICE_ERANGE;
	return _emit(refund_lines[mode][reason == REASON_NON_DELIVERY ? 0 : 1], &v, fraction, out);
}

/* SPEC 6.3, ads. */
int
price_ad(int64_t amount, price_lines *out)
{
	out->n = 1;
	out->type[0] = TYPE_AD;
	out->amount[0] = -amount;
	return PRICE_OK;
}

/* SPEC 6.3, weight audits. */
int
price_weight(int64_t declared_g, int64_t actual_g, int64_t cost_declared, int64_t cost_actual,
	     price_lines *out)
{
	__int128 diff = (__int128)actual_g - declared_g;
	int64_t iw;

	out->n = 0;
	/* Over the tolerance: more than 10% of declared and more than 5 g. */
	if (!(diff * 10 > declared_g && diff > 5 * (__int128)MONEY_MICRO))
		return PRICE_OK;
	if (money_add(cost_declared, -cost_actual, &iw) != MONEY_OK)
		return PRICE_ERANGE;
	out->n = 1;
	out->type[0] = TYPE_IW;
	out->amount[0] = iw;
	return PRICE_OK;
}
