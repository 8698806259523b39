/* fmt: the fields of a TSV row, formatted into room the caller reserved.
 *
 * A writer asks its out stream for room once per row (out_room), sized
 * from the lengths of the fields it copies plus the FMT_* bound of each
 * value it formats, then chains these helpers: each writes one field and
 * its separator and returns the position after them.  No guessed buffer
 * sizes, no sprintf on hot paths. */
#ifndef FMT_H
#define FMT_H

#include <stddef.h>
#include <stdint.h>

#include "money.h"
#include "period.h"

enum {
	FMT_LONG_MAX = 21,		    /* a long and a separator */
	FMT_MONEY_MAX = MONEY_FMT_MAX + 1,  /* money and a separator */
	FMT_TIME_MAX = PERIOD_TIME_LEN + 1, /* an instant and a separator */
	FMT_DATE_MAX = PERIOD_DATE_LEN + 1, /* a date and a separator */
	FMT_PERIOD_MAX = PERIOD_ID_LEN + 1  /* a period and a separator */
};

/* s[0..n) and sep.  Inline: most fields are short, and copied with two
 * overlapping loads and stores that stay within s[0..n) (every stage
 * copies a dozen fields a row). */
static inline char *
fmt_field(char *o, const char *s, size_t n, char sep)
{
	if (n >= 8 && n <= 16) {
		uint64_t a, b;

		__builtin_memcpy(&a, s, 8);
		__builtin_memcpy(&b, s + n - 8, 8);
		__builtin_memcpy(o, &a, 8);
		__builtin_memcpy(o + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t a, b;

		__builtin_memcpy(&a, s, 4);
		__builtin_memcpy(&b, s + n - 4, 4);
		__builtin_memcpy(o, &a, 4);
		__builtin_memcpy(o + n - 4, &b, 4);
	} else if (n < 4) {
		size_t i;

		for (i = 0; i < n; i++)
			o[i] = s[i];
	} else {
		__builtin_memcpy(o, s, n);
	}
	o[n] = sep;
	return o + n + 1;
}

/* A C string and sep. */
char *fmt_str(char *o, const char *s, char sep);

/* C string s into dst[cap], cut to cap - 1 bytes, NUL-terminated (what
 * snprintf(dst, cap, "%s", s) gives, without printf); cap > 0. */
void fmt_copy(char *dst, size_t cap, const char *s);

/* n empty fields: n tabs. */
char *fmt_empty(char *o, int n);

/* A non-negative count in decimal and sep. */
char *fmt_long(char *o, long v, char sep);

/* Money with `digits` decimals (money_format) and sep. */
char *fmt_money(char *o, int64_t v, int digits, char sep);

/* Millionths in their shortest exact form (money_format_micro) and sep. */
char *fmt_micro(char *o, int64_t v, char sep);

/* An instant as YYYY-MM-DDTHH:MM:SSZ and sep. */
char *fmt_time(char *o, int64_t t, char sep);

/* The UTC date of an instant as YYYY-MM-DD and sep. */
char *fmt_date(char *o, int64_t t, char sep);

/* A period as YYYY-MM-H and sep. */
char *fmt_period(char *o, int p, char sep);

#endif
