/* money: ISO 4217 currencies, exact decimal parsing, formatting and
 * rounding on int64 minor units.  No floating point anywhere.
 *
 * Amounts are int64 counts of the currency's minor unit (cents for USD,
 * yen for JPY, fils for KWD) and always stay within +-INT64_MAX, so that
 * negation never overflows.  Rates, fractions and grams have at most six
 * decimals and are held as int64 millionths ("micro").  A product such as
 * amount x (1 - rate) x fraction is computed exactly in 128 bits and
 * rounded once, half away from zero. */
#ifndef MONEY_H
#define MONEY_H

#include <stddef.h>
#include <stdint.h>

enum money_err {
	MONEY_OK = 0,
	MONEY_ESYNTAX = -1, /* not of the accepted form */
	MONEY_ERANGE = -2   /* beyond +-INT64_MAX minor units */
};

enum {
	MONEY_MICRO = 1000000, /* the scale of rates, fractions and grams */
	MONEY_FMT_MAX = 32     /* buffer size enough for any formatted value */
};

/* Minor digits of the ISO 4217 code s[0..n) (0 to 4), or -1 when the code
 * is not a currency with numeric minor units. */
int money_currency_digits(const char *s, size_t n);

enum { MONEY_CURRENCY_SLOTS = 26 * 26 * 26 };

/* A slot 0..MONEY_CURRENCY_SLOTS-1 for the three capital letters s[0..n),
 * for tables indexed by currency; -1 for anything else. */
int money_currency_slot(const char *s, size_t n);

/* Parse -?[0-9]+(\.[0-9]{1,digits})? into minor units. */
int money_parse(const char *s, size_t n, int digits, int64_t *out)
	__attribute__((warn_unused_result));

/* Parse -?[0-9]+(\.[0-9]{1,6})? into millionths. */
int money_parse_micro(const char *s, size_t n, int64_t *out) __attribute__((warn_unused_result));

/* Write v as a decimal with exactly `digits` decimals ("-3.00", "0.00",
 * "1200"); zero has no sign.  Returns the length; buf holds MONEY_FMT_MAX. */
size_t money_format(int64_t v, int digits, char *buf);

/* Write millionths with the fewest decimals that keep the value exact
 * ("0.15", "1", "0.000001"). */
size_t money_format_micro(int64_t v, char *buf);

/* a + b into *out; MONEY_ERANGE when the sum leaves +-INT64_MAX. */
int money_add(int64_t a, int64_t b, int64_t *out) __attribute__((warn_unused_result));

/* num / den rounded half away from zero (den > 0) into *out;
 * MONEY_ERANGE when the result leaves +-INT64_MAX. */
int money_round(__int128 num, int64_t den, int64_t *out) __attribute__((warn_unused_result));

/* Amount times `a` and `b` millionths, exact, rounded once:
 * round(amount x a/10^6 x b/10^6). */
int money_scale(int64_t amount, int64_t a_micro, int64_t b_micro, int64_t *out)
	__attribute__((warn_unused_result));

/* Textual name of an error code. */
const char *money_strerror(int err);

#endif
