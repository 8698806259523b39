/* input: checked reading of the pipeline's own TSV files. */
#include "input.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ident.h"
#include "money.h"
#include "msg.h"
#include "period.h"
#include "text.h"

/* Open and read the header. */
void
einput_open(tsv_reader *r, const char *path)
{
	if (tsv_open(r, path) < 0)
		msg_fatal(EXIT_DATA, path, 0, "cannot open:");
	einput_header(r);
}

/* The header of a reader already started. */
void
einput_header(tsv_reader *r)
{
	int rc = tsv_read_header(r);

	if (rc == TSV_EOF)
		msg_fatal(EXIT_DATA, r->name, 0, "empty file: no header");
	if (rc < 0)
		msg_fatal(EXIT_DATA, r->name, 0, "%s", tsv_strerror(rc));
}

/* Every required column must be there. */
void
einput_require(tsv_reader *r, const char *const *names, int *idx, size_t n)
{
	int missing = tsv_columns(r, names, idx, n);
	const char *hint = "";

	if (missing < 0)
		return;
	if (r->ncol && strchr(r->names[r->ncol - 1], '\r'))
		hint = " (the header ends with CR: the file has Windows line ends; save it with LF "
		       "line ends)";
	else if (r->ncol == 1 && (strchr(r->names[0], ',') || strchr(r->names[0], ';')))
		hint = " (the header has no tab: the file is not tab-separated)";
	msg_fatal(EXIT_DATA, r->name, 1, "missing required column '%s'%s", names[missing], hint);
}

/* A row of the header's width, without CR. */
int
einput_next(tsv_reader *r)
{
	int rc = tsv_read(r);

	if (rc == TSV_EOF)
		return 0;
	if (rc < 0)
		msg_fatal(EXIT_DATA, r->name, r->line, "%s", tsv_strerror(rc));
	einput_check_row(r);
	return 1;
}

/* The header's width, no CR. */
void
einput_check_row(const tsv_reader *r)
{
	if (r->nfield != r->ncol)
		msg_fatal(EXIT_DATA, r->name, r->line, "%zu fields, the header has %zu", r->nfield,
			  r->ncol);
	if (memchr(r->row, '\r', r->rowlen))
		msg_fatal(EXIT_DATA, r->name, r->line, "CR in a row: TSV rows end with LF only");
}

/* One message for every kind of bad field. */
void
einput_bad(const tsv_reader *r, int col, const char *what)
{
	msg_fatal(EXIT_DATA, r->name, r->line, "field '%s': %s '%.*s'", r->names[col], what,
		  (int)r->flen[col], r->field[col]);
}

/* Text for documents. */
void
einput_text(const tsv_reader *r, int col)
{
	static const char *const why[] = {
		[TEXT_BAD_UTF8] = "not valid UTF-8",
		[TEXT_CONTROL] = "a control character (or NUL)",
		[TEXT_NONCHAR] = "a Unicode noncharacter",
	};
	int t = text_check_document(r->field[col], r->flen[col]);
	text_buf esc = {0}, shown = {0};
	size_t i;

	if (t == TEXT_OK)
		return;
	/* The value as text_escape() writes it, control characters as \xNN
	 * too, so that the message shows what is wrong. */
	if (text_escape(&esc, r->field[col], r->flen[col]) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	for (i = 0; i < esc.len; i++) {
		unsigned char c = (unsigned char)esc.p[i];
		char hex[5];

		snprintf(hex, sizeof hex, "\\x%02X", c);
		if (text_append(&shown, c < 0x20 || c == 0x7f ? hex : esc.p + i,
				c < 0x20 || c == 0x7f ? 4 : 1) < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	}
	msg_fatal(EXIT_DATA, r->name, r->line, "field '%s': %s, which no document can hold: '%s'",
		  r->names[col], why[t], shown.p ? shown.p : "");
}

/* Money of a known currency. */
int64_t
einput_money(const tsv_reader *r, int col, int digits)
{
	int64_t v;

	if (money_parse(r->field[col], r->flen[col], digits, &v) != MONEY_OK)
		einput_bad(r, col, "not an amount with the currency's decimals:");
	return v;
}

/* Rates, fractions, grams. */
int64_t
einput_micro(const tsv_reader *r, int col)
{
	int64_t v;

	if (money_parse_micro(r->field[col], r->flen[col], &v) != MONEY_OK)
		einput_bad(r, col, "not a decimal with at most 6 decimals:");
	return v;
}

/* ISO 8601 date or time. */
int64_t
einput_time(const tsv_reader *r, int col)
{
	int64_t t;

	if (period_parse_time(r->field[col], r->flen[col], &t) < 0)
		einput_bad(r, col, "not an ISO 8601 date or time:");
	return t;
}

/* YYYY-MM-1 or YYYY-MM-2. */
int
einput_period(const tsv_reader *r, int col)
{
	int p;

	if (period_parse(r->field[col], r->flen[col], &p) < 0)
		einput_bad(r, col, "not a period:");
	return p;
}

/* SPEC 2 identifier. */
const char *
einput_ident(const tsv_reader *r, int col)
{
	if (!ident_valid(r->field[col], r->flen[col]))
		einput_bad(r, col, "not an identifier:");
	return r->field[col];
}

/* ISO 4217 code with numeric minor units. */
int
einput_currency(const tsv_reader *r, int col)
{
	int d = money_currency_digits(r->field[col], r->flen[col]);

	if (d < 0)
		einput_bad(r, col, "not a currency:");
	return d;
}

/* 0 or 1. */
int
einput_flag(const tsv_reader *r, int col)
{
	if (r->flen[col] != 1 || (r->field[col][0] != '0' && r->field[col][0] != '1'))
		einput_bad(r, col, "not 0 or 1:");
	return r->field[col][0] == '1';
}

/* A count or a number of days. */
long
einput_count(const tsv_reader *r, int col)
{
	long v = 0;
	size_t i;

	if (r->flen[col] == 0 || r->flen[col] > 12)
		einput_bad(r, col, "not a whole number:");
	for (i = 0; i < r->flen[col]; i++) {
		if (r->field[col][i] < '0' || r->field[col][i] > '9')
			einput_bad(r, col, "not a whole number:");
		v = v * 10 + (r->field[col][i] - '0');
	}
	return v;
}
