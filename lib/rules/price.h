/* price: the money rules of SPEC 6 as tables, on int64 minor units.
 *
 * With p = product_price, s = shipping_price, t = take rate (millionths),
 * f = refund fraction (millionths), an event gives the invoice lines of
 * the tables of SPEC 6.1 (orders), 6.2 (refunds) and 6.3 (ads, weight
 * audits).  Each line's amount is computed exactly in 128 bits from the
 * row's own values and rounded once, half away from zero.  Pure: no I/O,
 * results by return code. */
#ifndef RULES_PRICE_H
#define RULES_PRICE_H

#include <stddef.h>
#include <stdint.h>

/* The ship modes of SPEC 4, by the names of the Case study. */
enum ship_mode { SHIP_OFFLINE, SHIP_OFFLINE_JL, SHIP_JL, SHIP_JL_MERCHANT, SHIP_NMODES };

/* A refund's reason; `other` is priced as `quality` (SPEC 4). */
enum refund_reason { REASON_NON_DELIVERY, REASON_QUALITY, REASON_OTHER, REASON_NREASONS };

enum price_err {
	PRICE_OK = 0,
	PRICE_ERANGE = -1 /* p + s, or a line, beyond +-INT64_MAX minor units */
};

enum { PRICE_MAX_LINES = 4 };

/* The lines of one event, in the order of SPEC 6's tables. */
typedef struct price_lines {
	int n;
	int type[PRICE_MAX_LINES]; /* enum line_type (schema.h) */
	int64_t amount[PRICE_MAX_LINES];
} price_lines;

/* The mode named s[0..n) ("offline", ...), or -1. */
int price_ship_mode(const char *s, size_t n);

/* The name of a mode. */
const char *price_ship_mode_name(int mode);

/* The reason named s[0..n) ("non_delivery", "quality", "other"), or -1. */
int price_refund_reason(const char *s, size_t n);

/* The name of a reason. */
const char *price_refund_reason_name(int reason);

/* 1 when a non-zero nd_compensation is allowed: a non-delivery refund of
 * a JL order (jl or jl_merchant); anything else is bad input. */
int price_nd_allowed(int mode, int reason);

/* 1 when the mode needs a jl_cost (jl_merchant: JLD = -jl_cost). */
int price_needs_jl_cost(int mode);

/* An order's lines (SPEC 6.1): rate in millionths, 0..10^6. */
int price_order(int mode, int64_t p, int64_t s, int64_t jl_cost, int64_t rate, price_lines *out)
	__attribute__((warn_unused_result));

/* A refund's lines (SPEC 6.2): fraction in millionths, (0, 10^6]; an ND
 * line only when nd is not zero. */
int price_refund(int mode, int reason, int64_t p, int64_t s, int64_t rate, int64_t fraction,
		 int64_t nd, price_lines *out) __attribute__((warn_unused_result));

/* An advertising charge: AD = -amount. */
int price_ad(int64_t amount, price_lines *out) __attribute__((warn_unused_result));

/* A weight audit (grams in millionths): IW = -(cost_actual -
 * cost_declared) when actual - declared exceeds max(10% of declared, 5 g),
 * else no line. */
int price_weight(int64_t declared_g, int64_t actual_g, int64_t cost_declared, int64_t cost_actual,
		 price_lines *out) __attribute__((warn_unused_result));

#endif
