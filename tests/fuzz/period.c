/* Fuzz period: the input as an instant, a date and a period id, against
 * glibc's timegm() and gmtime_r() as the reference calendar; what parses
 * formats back (the UTC forms to the same bytes) and parses again to the
 * same value.  Eight or more bytes are also read as an instant and a
 * period in range, to format and parse back. */
#undef NDEBUG /* the checks are assertions */
#include <assert.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "period.h"

enum { DAY = 86400 };

/* n digits at s, or -1. */
static int
_num(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The reference for "YYYY-MM-DD" and "YYYY-MM-DDTHH:MM:SS" at s (n is 10
 * or 19): a calendar date and a time of day without leap seconds, read by
 * timegm() and confirmed by gmtime_r() giving the same fields back. */
static int
_ref_local(const char *s, size_t n, int64_t *out)
{
	struct tm tm = {0}, back;
	int y = _num(s, 4), m = _num(s + 5, 2), d = _num(s + 8, 2), hh = 0, mm = 0, ss = 0;
	time_t t;

	if (y < 0 || m < 1 || m > 12 || d < 1 || s[4] != '-' || s[7] != '-')
		return -1;
	if (n == 19) {
		hh = _num(s + 11, 2);
		mm = _num(s + 14, 2);
		ss = _num(s + 17, 2);
		if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || hh < 0 || hh > 23 || mm < 0 ||
		    mm > 59 || ss < 0 || ss > 59)
			return -1;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	t = timegm(&tm);
	if (!gmtime_r(&t, &back) || back.tm_year != y - 1900 || back.tm_mon != m - 1 ||
	    back.tm_mday != d)
		return -1;
	*out = (int64_t)t;
	return 0;
}

/* The reference for the three forms of period_parse_time(). */
static int
_ref_time(const char *s, size_t n, int64_t *out)
{
	int64_t t, off, lo = -62167219200, hi = 253402300800; /* 0000-01-01, 10000-01-01 */
	int oh, om;

	if (n == PERIOD_DATE_LEN)
		return _ref_local(s, n, out);
	if ((n != 20 && n != 25) || _ref_local(s, 19, &t) < 0)
		return -1;
	if (n == 20) {
		if (s[19] != 'Z')
			return -1;
		*out = t;
		return 0;
	}
	oh = _num(s + 20, 2);
	om = _num(s + 23, 2);
	if ((s[19] != '+' && s[19] != '-') || s[22] != ':' || oh < 0 || oh > 23 || om < 0 ||
	    om > 59)
		return -1;
	off = (int64_t)oh * 3600 + om * 60;
	t += s[19] == '+' ? -off : off;
	if (t < lo || t >= hi)
		return -1;
	*out = t;
	return 0;
}

/* An instant of years 0000-9999 written and read back; its day, period
 * and year agree. */
static void
_round_trip_time(int64_t t)
{
	char buf[PERIOD_TIME_LEN + 1], date[PERIOD_DATE_LEN + 1];
	int64_t back = 0, day;
	int p;

	period_format_time(t, buf);
	assert(strlen(buf) == PERIOD_TIME_LEN);
	assert(period_parse_time(buf, PERIOD_TIME_LEN, &back) == 0 && back == t);
	assert(_ref_time(buf, PERIOD_TIME_LEN, &back) == 0 && back == t);
	period_format_date(t, date);
	assert(strlen(date) == PERIOD_DATE_LEN && memcmp(date, buf, PERIOD_DATE_LEN) == 0);
	assert(period_parse_date(date, PERIOD_DATE_LEN, &day) == 0);
	assert(day <= t && t - day < DAY && day % DAY == 0);
	assert(period_year_of(t) == _num(buf, 4));
	p = period_of(t);
	if (_num(buf, 4) >= PERIOD_YEAR_MIN && _num(buf, 4) <= PERIOD_YEAR_MAX)
		assert(period_start(p) <= t && t < period_end(p));
}

/* A period written and read back; its days hold together. */
static void
_round_trip_period(int p)
{
	char buf[PERIOD_ID_LEN + 1];
	int back = -1;
	int64_t start = period_start(p), end = period_end(p);

	period_format(p, buf);
	assert(strlen(buf) == PERIOD_ID_LEN);
	assert(period_parse(buf, PERIOD_ID_LEN, &back) == 0 && back == p);
	assert(start < end && start % DAY == 0 && end % DAY == 0);
	assert(end - start >= 13 * DAY && end - start <= 16 * DAY);
	assert(period_of(start) == p && period_of(end - 1) == p && period_of(end) == p + 1);
	assert(period_issue_date(p) == end && period_last_day(p) == end - DAY);
	assert(period_year_of(start) == p / 24);
}

/* The entry point: see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int64_t t = 0, want = 0, lo = -62167219200, span = 253402300800 - lo;
	int rc, ref, p = -1;
	char buf[PERIOD_TIME_LEN + 1];

	rc = period_parse_time(s, size, &t);
	ref = _ref_time(s, size, &want);
	assert(rc == ref && (rc < 0 || t == want));
	if (rc == 0) {
		_round_trip_time(t);
		period_format_time(t, buf);
		if (size == PERIOD_TIME_LEN)
			assert(memcmp(buf, s, size) == 0);
	}

	rc = period_parse_date(s, size, &t);
	assert(rc == (size == PERIOD_DATE_LEN ? ref : -1));
	if (rc == 0) {
		assert(t == want);
		period_format_date(t, buf);
		assert(memcmp(buf, s, size) == 0);
	}

	rc = period_parse(s, size, &p);
	if (size == PERIOD_ID_LEN) {
		int y = _num(s, 4), m = _num(s + 5, 2), h = _num(s + 8, 1);
		int ok = s[4] == '-' && s[7] == '-' && y >= PERIOD_YEAR_MIN &&
			 y <= PERIOD_YEAR_MAX && m >= 1 && m <= 12 && h >= 1 && h <= 2;

		assert(rc == (ok ? 0 : -1));
	} else {
		assert(rc == -1);
	}
	if (rc == 0) {
		_round_trip_period(p);
		period_format(p, buf);
		assert(memcmp(buf, s, size) == 0);
	}

	if (size >= 8) {
		uint64_t u;

		memcpy(&u, data, sizeof u);
		_round_trip_time(lo + (int64_t)(u % (uint64_t)span));
		_round_trip_period(
			PERIOD_YEAR_MIN * 24 +
			(int)(u % (uint64_t)((PERIOD_YEAR_MAX - PERIOD_YEAR_MIN + 1) * 24)));
	}
	return 0;
}
