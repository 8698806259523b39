/* period: instants and half-month periods. */
#include "period.h"

#include <string.h>

enum { DAY = 86400 };

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no tables, no floating point. */
int64_t
period_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse: civil date of a day count. */
static void
_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Days in a month of a year. */
static unsigned
_days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

/* n decimal digits at s, or -1.  Unrolled for the 2 and 4 of dates and
 * times: each digit once, one test for all of them. */
static inline int
_digits(const char *s, int n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n == 2) {
		unsigned a = u[0] - '0', b = u[1] - '0';

		return ((a > 9) | (b > 9)) ? -1 : (int)(a * 10 + b);
	}
	if (n == 4) {
		unsigned a = u[0] - '0', b = u[1] - '0', c = u[2] - '0', d = u[3] - '0';

		return ((a > 9) | (b > 9) | (c > 9) | (d > 9))
			       ? -1
			       : (int)(((a * 10 + b) * 10 + c) * 10 + d);
	}
	{
		int v = 0, i;

		for (i = 0; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			v = v * 10 + (s[i] - '0');
		}
		return v;
	}
}

/* "YYYY-MM-DD" into days since the epoch. */
static int
_parse_day(const char *s, int64_t *days)
{
	int y = _digits(s, 4), m = _digits(s + 5, 2), d = _digits(s + 8, 2);

	if (y < 0 || m < 1 || m > 12 || d < 1 || s[4] != '-' || s[7] != '-')
		return -1;
	if ((unsigned)d > _days_in_month(y, (unsigned)m))
		return -1;
	*days = period_days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

/* Date only. */
int
period_parse_date(const char *s, size_t n, int64_t *out)
{
	int64_t days;

	if (n != PERIOD_DATE_LEN || _parse_day(s, &days) < 0)
		return -1;
	*out = days * DAY;
	return 0;
}

/* The three accepted forms; see period.h. */
int
period_parse_time(const char *s, size_t n, int64_t *out)
{
	int64_t days, t;
	int hh, mm, ss, oh, om;

	if (n == PERIOD_DATE_LEN)
		return period_parse_date(s, n, out);
	if (n != 20 && n != 25)
		return -1;
	if (_parse_day(s, &days) < 0 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return -1;
	hh = _digits(s + 11, 2);
	mm = _digits(s + 14, 2);
	ss = _digits(s + 17, 2);
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
		return -1;
	t = days * DAY + hh * 3600 + mm * 60 + ss;
	if (n == 20) {
		if (s[19] != 'Z')
			return -1;
	} else {
		if ((s[19] != '+' && s[19] != '-') || s[22] != ':')
			return -1;
		oh = _digits(s + 20, 2);
		om = _digits(s + 23, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return -1;
		/* Local time = UTC + offset, so UTC = local - offset. */
		t += (s[19] == '+' ? -1 : 1) * (int64_t)(oh * 3600 + om * 60);
		/* An offset must not carry the instant out of years 0000-9999,
		 * which every formatter here assumes. */
		if (t < period_days_from_civil(0, 1, 1) * DAY ||
		    t >= period_days_from_civil(10000, 1, 1) * DAY)
			return -1;
	}
	*out = t;
	return 0;
}

/* Two digits at p. */
static void
_put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

/* Four digits at p. */
static void
_put4(char *p, int64_t v)
{
	_put2(p, (unsigned)(v / 100 % 100));
	_put2(p + 2, (unsigned)(v % 100));
}

/* Floor division of t by a day. */
static int64_t
_day_of(int64_t t)
{
	return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
}

/* "YYYY-MM-DDTHH:MM:SSZ". */
void
period_format_time(int64_t t, char *buf)
{
	int64_t days = _day_of(t), y, sec = t - days * DAY;

	unsigned m, d;

	_civil_from_days(days, &y, &m, &d);
	_put4(buf, y);
	buf[4] = '-';
	_put2(buf + 5, m);
	buf[7] = '-';
	_put2(buf + 8, d);
	buf[10] = 'T';
	_put2(buf + 11, (unsigned)(sec / 3600));
	buf[13] = ':';
	_put2(buf + 14, (unsigned)(sec / 60 % 60));
	buf[16] = ':';
	_put2(buf + 17, (unsigned)(sec % 60));
	buf[19] = 'Z';
	buf[20] = '\0';
}

/* "YYYY-MM-DD". */
void
period_format_date(int64_t t, char *buf)
{
	char tmp[PERIOD_TIME_LEN + 1];

	period_format_time(t, tmp);
	memcpy(buf, tmp, PERIOD_DATE_LEN);
	buf[PERIOD_DATE_LEN] = '\0';
}

/* "YYYY-MM-H". */
int
period_parse(const char *s, size_t n, int *out)
{
	int y, m, h;

	if (n != PERIOD_ID_LEN || s[4] != '-' || s[7] != '-')
		return -1;
	y = _digits(s, 4);
	m = _digits(s + 5, 2);
	h = _digits(s + 8, 1);
	if (y < PERIOD_YEAR_MIN || y > PERIOD_YEAR_MAX || m < 1 || m > 12 || h < 1 || h > 2)
		return -1;
	*out = (y * 12 + m - 1) * 2 + h - 1;
	return 0;
}

/* Inverse of period_parse(). */
void
period_format(int p, char *buf)
{
	int y = p / 24, m = p / 2 % 12 + 1, h = p % 2 + 1;

	_put4(buf, y);
	buf[4] = '-';
	_put2(buf + 5, (unsigned)m);
	buf[7] = '-';
	buf[8] = (char)('0' + h);
	buf[9] = '\0';
}

/* Day 1 or day 16 of the month. */
int64_t
period_start(int p)
{
	int y = p / 24, m = p / 2 % 12 + 1, h = p % 2 + 1;

	return period_days_from_civil(y, (unsigned)m, h == 1 ? 1 : 16) * DAY;
}

/* The next period's start. */
int64_t
period_end(int p)
{
	return period_start(p + 1);
}

/* Issued the day after the period ends. */
int64_t
period_issue_date(int p)
{
	return period_end(p);
}

/* The day before the issue date. */
int64_t
period_last_day(int p)
{
	return period_end(p) - DAY;
}

/* Year, month and day-of-month decide the period. */
int
period_of(int64_t t)
{
	int64_t y;
	unsigned m, d;

	_civil_from_days(_day_of(t), &y, &m, &d);
	return (int)((y * 12 + m - 1) * 2 + (d >= 16));
}

/* Calendar year of an instant. */
int
period_year_of(int64_t t)
{
	int64_t y;
	unsigned m, d;

	_civil_from_days(_day_of(t), &y, &m, &d);
	return (int)y;
}
