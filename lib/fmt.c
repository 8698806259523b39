/* fmt: row fields into reserved room. */
#include "fmt.h"

#include <limits.h>
#include <string.h>

/* A C string. */
char *
fmt_str(char *o, const char *s, char sep)
{
	return fmt_field(o, s, strlen(s), sep);
}

/* A bounded copy. */
void
fmt_copy(char *dst, size_t cap, const char *s)
{
	size_t n = strnlen(s, cap - 1);

	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Tabs. */
char *
fmt_empty(char *o, int n)
{
	while (n-- > 0)
		*o++ = '\t';
	return o;
}

/* Digits from the right. */
char *
fmt_long(char *o, long v, char sep)
{
	char tmp[24], *p = tmp + sizeof tmp;
	unsigned long u = v < 0 ? 0 : (unsigned long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	return fmt_field(o, p, (size_t)(tmp + sizeof tmp - p), sep);
}

/* Money. */
char *
fmt_money(char *o, int64_t v, int digits, char sep)
{
	o += money_format(v, digits, o);
	*o++ = sep;
	return o;
}

/* Millionths. */
char *
fmt_micro(char *o, int64_t v, char sep)
{
	o += money_format_micro(v, o);
	*o++ = sep;
	return o;
}

/* An instant. */
char *
fmt_time(char *o, int64_t t, char sep)
{
	period_format_time(t, o);
	o[PERIOD_TIME_LEN] = sep;
	return o + PERIOD_TIME_LEN + 1;
}

/* A date; rows of a file mostly share theirs (the issue date), so the
 * last one is kept formatted, one per thread. */
char *
fmt_date(char *o, int64_t t, char sep)
{
	static _Thread_local int64_t last_t = INT64_MIN;
	static _Thread_local char last[PERIOD_DATE_LEN + 1];

	if (t != last_t) {
		period_format_date(t, last);
		last_t = t;
	}
	return fmt_field(o, last, PERIOD_DATE_LEN, sep);
}

/* A period; kept formatted like the date (a file's rows are mostly of
 * one period). */
char *
fmt_period(char *o, int p, char sep)
{
	static _Thread_local int last_p = INT_MIN;
	static _Thread_local char last[PERIOD_ID_LEN + 1];

	if (p != last_p) {
		period_format(p, last);
		last_p = p;
	}
	return fmt_field(o, last, PERIOD_ID_LEN, sep);
}
