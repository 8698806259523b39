/* period: ISO 8601 instants and half-month invoice periods, all in UTC.
 *
 * An instant is int64 seconds since 1970-01-01T00:00:00Z.  A period is an
 * int counting half-months since year 0: (year * 12 + month - 1) * 2 +
 * half - 1, so the next period is p + 1.  "YYYY-MM-1" covers days 1-15,
 * "YYYY-MM-2" day 16 to the month's end; a period's invoices are issued on
 * the day after it ends, which is also the day its run takes place. */
#ifndef PERIOD_H
#define PERIOD_H

#include <stddef.h>
#include <stdint.h>

enum {
	PERIOD_TIME_LEN = 20, /* "YYYY-MM-DDTHH:MM:SSZ" */
	PERIOD_DATE_LEN = 10, /* "YYYY-MM-DD" */
	PERIOD_ID_LEN = 9,    /* "YYYY-MM-H" */
	PERIOD_YEAR_MIN = 1,
	PERIOD_YEAR_MAX = 9998
};

/* Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MM:SS+HH:MM"
 * (or -HH:MM) into UTC seconds; 0 on success, -1 on anything else. */
int period_parse_time(const char *s, size_t n, int64_t *out);

/* Parse a date "YYYY-MM-DD" only (midnight UTC); 0 or -1. */
int period_parse_date(const char *s, size_t n, int64_t *out);

/* Write "YYYY-MM-DDTHH:MM:SSZ"; buf holds PERIOD_TIME_LEN + 1. */
void period_format_time(int64_t t, char *buf);

/* Write "YYYY-MM-DD" of the instant's UTC day; buf holds PERIOD_DATE_LEN + 1. */
void period_format_date(int64_t t, char *buf);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t period_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Parse "YYYY-MM-1" or "YYYY-MM-2"; 0 or -1. */
int period_parse(const char *s, size_t n, int *out);

/* Write "YYYY-MM-H"; buf holds PERIOD_ID_LEN + 1. */
void period_format(int p, char *buf);

/* First instant of the period. */
int64_t period_start(int p);

/* First instant after the period: 00:00Z of its issue date. */
int64_t period_end(int p);

/* The issue date (and run and payout date) of the period. */
int64_t period_issue_date(int p);

/* 00:00Z of the period's last day. */
int64_t period_last_day(int p);

/* The period holding instant t. */
int period_of(int64_t t);

/* The calendar year of instant t. */
int period_year_of(int64_t t);

#endif
