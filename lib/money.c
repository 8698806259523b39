/* money: currencies, parsing, formatting, exact rounding. */
#include "money.h"

#include <string.h>

/* ISO 4217 List One codes with numeric minor units.  Precious metals,
 * SDR, test and fund-accounting codes without minor units (XAU, XAG, XPT,
 * XPD, XDR, XSU, XUA, XBA-XBD, XTS, XXX) are deliberately absent.  Codes
 * withdrawn since 2021 (CUC, HRK, SLL, ZWL, ANG) stay so that historical
 * periods can be replayed. */
static const struct {
	char code[4];
	signed char digits;
} currencies[] = {
	/* clang-format off */
	{"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2},
	{"ARS", 2}, {"AUD", 2}, {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2},
	{"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2},
	{"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2},
	{"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2},
	{"CHW", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2},
	{"CRC", 2}, {"CUC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0},
	{"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2},
	{"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2},
	{"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2},
	{"HNL", 2}, {"HRK", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2},
	{"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3},
	{"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2},
	{"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2},
	{"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2},
	{"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2},
	{"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2}, {"MYR", 2},
	{"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2},
	{"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2},
	{"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2},
	{"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2},
	{"SEK", 2}, {"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SLL", 2}, {"SOS", 2},
	{"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2},
	{"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
	{"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2},
	{"USN", 2}, {"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2},
	{"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2},
	{"XCG", 2}, {"XOF", 0}, {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2},
	{"ZWG", 2}, {"ZWL", 2},
	/* clang-format on */
};

static const int64_t pow10[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000,
};

/* The minor digits of a code: ISO 4217 letters only, case-sensitive. */
int
money_currency_digits(const char *s, size_t n)
{
	/* The codes' digits by letters, built on first use in each thread:
	 * one look-up a row instead of a search (0 = not a code, else
	 * digits + 1). */
	static _Thread_local signed char index[26 * 26 * 26];
	static _Thread_local int built;
	int k;

	if (!built) {
		size_t i;

		for (i = 0; i < sizeof currencies / sizeof currencies[0]; i++) {
			const char *k = currencies[i].code;

			index[((k[0] - 'A') * 26 + (k[1] - 'A')) * 26 + (k[2] - 'A')] =
				(signed char)(currencies[i].digits + 1);
		}
		built = 1;
	}
	if ((k = money_currency_slot(s, n)) < 0)
		return -1;
	return index[k] - 1;
}

/* Letters as a number in base 26. */
int
money_currency_slot(const char *s, size_t n)
{
	unsigned a, b, c;

	if (n != 3)
		return -1;
	a = (unsigned char)s[0] - 'A';
	b = (unsigned char)s[1] - 'A';
	c = (unsigned char)s[2] - 'A';
	if (a >= 26 || b >= 26 || c >= 26)
		return -1;
	return (int)((a * 26 + b) * 26 + c);
}

/* s[0..n) is of the form -?[0-9]+(\.[0-9]{1,maxdec})?. */
static int
_form_ok(const char *s, size_t n, int maxdec)
{
	size_t i = 0, d;

	if (i < n && s[i] == '-')
		i++;
	for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d)
		return 0;
	if (i == n)
		return 1;
	if (s[i] != '.' || maxdec == 0)
		return 0;
	for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	return i == n && i > d && i - d <= (size_t)maxdec;
}

/* The checked parser below, for numbers that may not fit. */
static int _parse_checked(const char *s, size_t n, int maxdec, int scale, int64_t *out);

/* Shared parser: -?[0-9]+(\.[0-9]{1,maxdec})?, scaled to `scale` decimals.
 * maxdec == 0 forbids the point altogether.  Up to 18 digits once scaled
 * no overflow is possible, so the digits are read without checks; longer
 * numbers go to the checked parser. */
static int
_parse_fixed(const char *s, size_t n, int maxdec, int scale, int64_t *out)
{
	const char *p = s, *end = s + n, *d0, *f0;
	uint64_t v = 0;
	size_t ni, nf = 0;
	int neg = 0;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	for (d0 = p; p < end && (unsigned)(*p - '0') < 10; p++)
		v = v * 10 + (unsigned)(*p - '0');
	ni = (size_t)(p - d0);
	if (ni == 0)
		return MONEY_ESYNTAX;
	if (p < end) {
		if (*p != '.' || maxdec == 0)
			return MONEY_ESYNTAX;
		for (f0 = ++p; p < end && (unsigned)(*p - '0') < 10; p++)
			v = v * 10 + (unsigned)(*p - '0');
		nf = (size_t)(p - f0);
		if (p != end || nf == 0 || nf > (size_t)maxdec)
			return MONEY_ESYNTAX;
	}
	if (ni + (nf > (size_t)scale ? nf : (size_t)scale) > 18)
		return _parse_checked(s, n, maxdec, scale, out);
	for (; nf < (size_t)scale; nf++)
		v *= 10;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return MONEY_OK;
}

/* Digit by digit with overflow checks. */
static int
_parse_checked(const char *s, size_t n, int maxdec, int scale, int64_t *out)
{
	size_t i = 0;
	int neg = 0, ndec = 0;
	uint64_t v = 0;
	const uint64_t lim = (uint64_t)INT64_MAX;

	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	if (i >= n || s[i] < '0' || s[i] > '9')
		return MONEY_ESYNTAX;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > (lim - d) / 10)
			goto range;
		v = v * 10 + d;
	}
	if (i < n && s[i] == '.') {
		if (maxdec == 0)
			return MONEY_ESYNTAX;
		i++;
		if (i >= n)
			return MONEY_ESYNTAX;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			unsigned d = (unsigned)(s[i] - '0');

			if (++ndec > maxdec)
				return MONEY_ESYNTAX;
			if (v > (lim - d) / 10)
				goto range;
			v = v * 10 + d;
		}
		if (ndec == 0)
			return MONEY_ESYNTAX;
	}
	if (i != n)
		return MONEY_ESYNTAX;
	for (; ndec < scale; ndec++) {
		if (v > lim / 10)
			goto range;
		v *= 10;
	}
	*out = neg ? -(int64_t)v : (int64_t)v;
	return MONEY_OK;
range:
	/* Text not of the form is a syntax error however many digits it
	 * starts with: "1e3", a second point, too many decimals. */
	return _form_ok(s, n, maxdec) ? MONEY_ERANGE : MONEY_ESYNTAX;
}

/* Money with the currency's minor digits. */
int
money_parse(const char *s, size_t n, int digits, int64_t *out)
{
	if (digits < 0 || digits > 6)
		return MONEY_ESYNTAX;
	return _parse_fixed(s, n, digits, digits, out);
}

/* Decimals with up to six places, as millionths. */
int
money_parse_micro(const char *s, size_t n, int64_t *out)
{
	return _parse_fixed(s, n, 6, 6, out);
}

/* Magnitude of v as unsigned, INT64_MIN included. */
static uint64_t
_mag(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* Write digits of u right-aligned ending at end; returns the start. */
static char *
_utoa_rev(uint64_t u, char *end, int mindigits)
{
	int k = 0;

	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
		k++;
	} while (u || k < mindigits);
	return end;
}

/* Fixed decimals, sign only when non-zero. */
size_t
money_format(int64_t v, int digits, char *buf)
{
	char tmp[MONEY_FMT_MAX];
	char *end = tmp + sizeof tmp, *p;
	uint64_t u = _mag(v);
	size_t n;

	if (digits > 0) {
		p = _utoa_rev(u % (uint64_t)pow10[digits], end, digits);
		*--p = '.';
		p = _utoa_rev(u / (uint64_t)pow10[digits], p, 1);
	} else {
		p = _utoa_rev(u, end, 1);
	}
	if (v < 0)
		*--p = '-';
	n = (size_t)(end - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

/* Shortest exact decimal for millionths. */
size_t
money_format_micro(int64_t v, char *buf)
{
	size_t n = money_format(v, 6, buf);

	while (buf[n - 1] == '0')
		n--;
	if (buf[n - 1] == '.')
		n--;
	buf[n] = '\0';
	if (n == 2 && buf[0] == '-' && buf[1] == '0') {
		buf[0] = '0';
		buf[1] = '\0';
		n = 1;
	}
	return n;
}

/* Checked addition within +-INT64_MAX. */
int
money_add(int64_t a, int64_t b, int64_t *out)
{
	int64_t s;

	if (__builtin_add_overflow(a, b, &s) || s == INT64_MIN)
		return MONEY_ERANGE;
	*out = s;
	return MONEY_OK;
}

/* Half away from zero: compare twice the remainder with the divisor. */
int
money_round(__int128 num, int64_t den, int64_t *out)
{
	__int128 q, r;

	/* Most numerators fit in 64 bits: divide there. */
	if (num > -(__int128)INT64_MAX && num < (__int128)INT64_MAX) {
		int64_t n = (int64_t)num, q64 = n / den, r64 = n % den;

		if (r64 < 0)
			r64 = -r64;
		if (r64 >= den - r64)
			q64 += n < 0 ? -1 : 1;
		*out = q64;
		return MONEY_OK;
	}
	q = num / den, r = num % den;

	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	if (q > INT64_MAX || q < -(__int128)INT64_MAX)
		return MONEY_ERANGE;
	*out = (int64_t)q;
	return MONEY_OK;
}

/* |amount| < 2^63 and both factors < 2^63 / 10^6 keep the product
 * within 128 bits only when the factors are rates; callers pass rates
 * and fractions, which are at most a few millions of millionths. */
int
money_scale(int64_t amount, int64_t a_micro, int64_t b_micro, int64_t *out)
{
	__int128 num = (__int128)amount * a_micro;

	if (a_micro > 1000000000LL || a_micro < -1000000000LL || b_micro > 1000000000LL ||
	    b_micro < -1000000000LL)
		return MONEY_ERANGE;
	num *= b_micro;
	return money_round(num, (int64_t)MONEY_MICRO * MONEY_MICRO, out);
}

/* Names for messages. */
const char *
money_strerror(int err)
{
	switch (err) {
	case MONEY_OK: return "ok";
	case MONEY_ESYNTAX: return "not a number of the expected form";
	case MONEY_ERANGE: return "out of range";
	}
	return "unknown error";
}
