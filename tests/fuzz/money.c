/* Fuzz money: the input as an amount for 0 to 4 minor digits and as
 * millionths, against a reference parser; what parses formats back to a
 * canonical string that parses to the same value.  Eight or more bytes are
 * also read as an int64 to format and parse back. */
#undef NDEBUG /* the checks are assertions */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "money.h"

/* The reference: -?[0-9]+(\.[0-9]{1,maxdec})? scaled to `scale` decimals,
 * accumulated in 128 bits (held once past 2^100, far beyond range). */
static int
_ref(const char *s, size_t n, int maxdec, int scale, int64_t *out)
{
	const __int128 cap = (__int128)1 << 100;
	__int128 v = 0;
	size_t i = 0, nint = 0;
	int neg = 0, ndec = 0;

	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, nint++)
		if (v < cap)
			v = v * 10 + (s[i] - '0');
	if (nint == 0)
		return MONEY_ESYNTAX;
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, ndec++)
			if (v < cap)
				v = v * 10 + (s[i] - '0');
		if (ndec == 0 || ndec > maxdec)
			return MONEY_ESYNTAX;
	}
	if (i != n)
		return MONEY_ESYNTAX;
	for (; ndec < scale; ndec++)
		if (v < cap)
			v *= 10;
	if (v > INT64_MAX)
		return MONEY_ERANGE;
	*out = (int64_t)(neg ? -v : v);
	return MONEY_OK;
}

/* s[0..n) is -?(0|[1-9][0-9]*) with exactly `digits` decimals after a
 * point, and no sign on zero. */
static int
_canonical(const char *s, size_t n, int digits)
{
	size_t i = s[0] == '-', start = i, nz = 0;

	if (i < n && s[i] == '0' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
		return 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		nz += s[i] != '0';
	if (i == start)
		return 0;
	if (digits > 0) {
		if (i + 1 + (size_t)digits != n || s[i] != '.')
			return 0;
		for (i++; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return 0;
			nz += s[i] != '0';
		}
	}
	return i == n && !(start && nz == 0);
}

/* s[0..n) is a value without trailing zeros in its decimals (millionths). */
static int
_shortest(const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);

	return !(n == 2 && s[0] == '-' && s[1] == '0') &&
	       (!dot || (s[n - 1] != '0' && dot < s + n - 1));
}

/* The value v with `digits` minor digits, written and read back. */
static void
_round_trip(int64_t v, int digits)
{
	char buf[MONEY_FMT_MAX];
	size_t n = money_format(v, digits, buf);
	int64_t back = 0;

	assert(n > 0 && n < MONEY_FMT_MAX && strlen(buf) == n);
	assert(_canonical(buf, n, digits));
	assert(money_parse(buf, n, digits, &back) == MONEY_OK && back == v);
	assert(_ref(buf, n, digits, digits, &back) == MONEY_OK && back == v);
}

/* Millionths written shortest and read back. */
static void
_round_trip_micro(int64_t v)
{
	char buf[MONEY_FMT_MAX];
	size_t n = money_format_micro(v, buf);
	int64_t back = 0;

	assert(n > 0 && n < MONEY_FMT_MAX && strlen(buf) == n);
	assert(_shortest(buf, n));
	assert(money_parse_micro(buf, n, &back) == MONEY_OK && back == v);
}

/* The parser against the reference. */
static void
_agree(int rc, int want, int64_t got, int64_t v)
{
	assert(rc == want);
	if (rc == MONEY_OK)
		assert(got == v && got != INT64_MIN);
}

/* The entry point: see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int64_t v, want, micro;
	int d, rc, ref, code;

	for (d = 0; d <= 4; d++) {
		v = want = 0;
		rc = money_parse(s, size, d, &v);
		ref = _ref(s, size, d, d, &want);
		_agree(rc, ref, v, want);
		if (rc == MONEY_OK)
			_round_trip(v, d);
	}
	v = want = micro = 0;
	rc = money_parse_micro(s, size, &micro);
	ref = _ref(s, size, 6, 6, &want);
	_agree(rc, ref, micro, want);
	assert(money_parse(s, size, 6, &v) == rc && (rc != MONEY_OK || v == micro));
	if (rc == MONEY_OK)
		_round_trip_micro(micro);

	assert(money_parse(s, size, -1, &v) == MONEY_ESYNTAX);
	assert(money_parse(s, size, 7, &v) == MONEY_ESYNTAX);
	code = money_currency_digits(s, size);
	assert(code == -1 || (size == 3 && code >= 0 && code <= 4));

	if (size >= 8) {
		memcpy(&v, data, sizeof v);
		if (v == INT64_MIN)
			v = -INT64_MAX;
		for (d = 0; d <= 4; d++)
			_round_trip(v, d);
		_round_trip_micro(v);
	}
	return 0;
}
