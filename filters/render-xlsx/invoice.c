/* render-xlsx: invoice and credit note workbooks, streamed from the
 * grouped lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "money.h"
#include "period.h"
#include "render.h"
#include "schema.h"
#include "text.h"

/* The reason column of a credit note: at most this wide, longer reasons
 * wrap onto more lines of the row (its height set for them: spreadsheets
 * do not all fit a row to wrapped text when they open a file). */
enum { REASON_COLS = 60, ROW_HEIGHT = 15 };

enum {
	L_PERIOD,
	L_ENTITY,
	L_MERCHANT,
	L_CURRENCY,
	L_TYPE,
	L_AMOUNT,
	L_EVENT,
	L_ORDER,
	L_AT,
	L_LATE,
	L_N
};
static const char *const line_cols[L_N] = {
	"period", "entity",   "merchant_id", "currency", "type",
	"amount", "event_id", "order_id",    "at",	 "late",
};

/* The lines' columns: those required, then `corrects` (-1 when absent:
 * every line is an ordinary invoice's). */
struct cols {
	int x[L_N];
	int corrects;
};

/* The key of the document the current line belongs to; 0 when it cannot
 * be one (a field too long). */
static size_t
_line_key(char *buf, const tsv_reader *r, const struct cols *c)
{
	const int *x = c->x;
	size_t n =
		schema_doc_key(buf, r->field[x[L_ENTITY]], r->flen[x[L_ENTITY]],
			       r->field[x[L_MERCHANT]], r->flen[x[L_MERCHANT]],
			       r->field[x[L_CURRENCY]], r->flen[x[L_CURRENCY]], r->field[x[L_TYPE]],
			       r->flen[x[L_TYPE]], c->corrects >= 0 ? r->field[c->corrects] : "",
			       c->corrects >= 0 ? r->flen[c->corrects] : 0);

	if (n == 0)
		einput_bad(r, x[L_MERCHANT], "a line of no invoice in invoices.tsv:");
	return n;
}

/* The payout's status in words, as the document shows it: the payout's
 * own row when it was created in the run, else the invoice's status. */
static void
_payout_status(const struct invoice *v, char *buf, size_t cap)
{
	long id = strset_find(&st.payout_nos, v->payout_no, strlen(v->payout_no));
	const struct payout *p = id >= 0 ? &st.po[id] : NULL;
	const char *status = p ? p->status : v->status;
	const char *words = schema_status_name(status);

	if (p && p->hold[0]) {
		const char *hold = schema_hold_name(p->hold);

		snprintf(buf, cap, "%s; on hold: %s", words ? words : status,
			 hold ? hold : p->hold);
	} else
		snprintf(buf, cap, "%s", words ? words : status);
}

/* The document's header: title, type, number, dates, currency, the
 * corrected invoice, the payout, the total, then the parties; returns
 * the row of the lines table's header. */
static int
_head(struct book *b, const struct invoice *v, int period)
{
	char words[96], status[256];
	int r = 0;

	book_spill(b, r++, 0, v->credit ? "Credit note" : "Invoice", b->title);
	book_type_words(words, sizeof words, v->type);
	book_spill(b, r++, 0, words, b->bold);
	r++;
	book_text(b, r, 0, v->credit ? "Credit note number" : "Invoice number", b->bold);
	book_spill(b, r++, 1, v->no, NULL);
	book_text(b, r, 0, "Issue date", b->bold);
	book_date(b, r++, 1, period_issue_date(period), b->date_left);
	book_text(b, r, 0, "Period", b->bold);
	book_date(b, r, 1, period_start(period), b->date_left);
	book_date(b, r++, 2, period_last_day(period), b->date_to);
	book_text(b, r, 0, "Currency", b->bold);
	book_spill(b, r++, 1, v->currency, NULL);
	if (v->credit) {
		const struct corrected *c = &st.corr[v->corrected];

		book_text(b, r, 0, "Corrects invoice", b->bold);
		book_spill(b, r++, 1, v->corrects, NULL);
		book_text(b, r, 0, "Invoice issued on", b->bold);
		book_date(b, r++, 1, c->issued_on, b->date_left);
		book_text(b, r, 0, "Invoice period", b->bold);
		book_date(b, r, 1, period_start(c->period), b->date_left);
		book_date(b, r++, 2, period_last_day(c->period), b->date_to);
	}
	if (v->payout_no[0]) {
		_payout_status(v, status, sizeof status);
		book_text(b, r, 0, "Payout number", b->bold);
		book_spill(b, r++, 1, v->payout_no, NULL);
		book_text(b, r, 0, "Payout status", b->bold);
		book_spill(b, r++, 1, status, NULL);
	}
	book_text(b, r, 0, "Total", b->bold);
	book_money(b, r++, 1, v->amount, b->money_left);
	r = book_parties(b, r + 1, v->entity, v->merchant);
	return r + 1;
}

/* The lines table's header on the current sheet at `row`, filtered over
 * the `n` line rows below it. */
static void
_table(struct book *b, const struct invoice *v, int row, long n)
{
	static const char *const inv[] = {"Event", "Order", "Date (UTC)", "Late", "Amount"};
	static const char *const cn[] = {"Adjustment", "Event",	 "Date (UTC)",
					 "Late",       "Amount", "Reason"};

	book_table(b, row, v->credit ? cn : inv, v->credit ? 6 : 5, row + (int)n, 034);
}

/* The reason of the credit-note line r is on: the next row of --reasons,
 * which must be that line's (the same key and adjustment). */
static const char *
_reason(const tsv_reader *r, const struct cols *c, const struct invoice *v)
{
	const tsv_reader *q = &st.reasons;
	const int *y = st.rx;
	const int key[6] = {c->x[L_ENTITY], c->x[L_MERCHANT], c->x[L_CURRENCY],
			    c->x[L_TYPE],   c->corrects,      c->x[L_EVENT]};
	int k;

	if (!st.have_reasons)
		msg_fatal(EXIT_DATA, r->name, r->line,
			  "credit note %s: its lines' reasons are needed (--reasons)", v->no);
	if (!einput_next(&st.reasons))
		msg_fatal(EXIT_DATA, q->name, q->line,
			  "no reason for line %ld of %s (adjustment '%s'): the reasons must be "
			  "those of the credit notes' lines, sorted as the lines",
			  r->line, r->name, r->field[c->x[L_EVENT]]);
	for (k = 0; k < 6; k++)
		if (key[k] < 0 || q->flen[y[k]] != r->flen[key[k]] ||
		    memcmp(q->field[y[k]], r->field[key[k]], r->flen[key[k]]) != 0)
			msg_fatal(EXIT_DATA, q->name, q->line,
				  "the reason of another line than line %ld of %s (adjustment "
				  "'%s'): the reasons must be those of the credit notes' lines, "
				  "sorted as the lines",
				  r->line, r->name, r->field[c->x[L_EVENT]]);
	einput_text(q, y[6]);
	if (q->flen[y[6]] == 0)
		einput_bad(q, y[6], "an adjustment needs its reason:");
	return q->field[y[6]];
}

/* Set a row's height. */
static void
_check_row(struct book *b, int row, double height)
{
	lxw_error e = worksheet_set_row(b->ws, (lxw_row_t)row, height, NULL);

	if (e != LXW_NO_ERROR)
		msg_fatal(EXIT_DATA, b->path, 0, "%s", lxw_strerror(e));
}

/* Render one document from its lines, which the reader is positioned on:
 * reads them all and returns 1 when another row is waiting, 0 at the end. */
static int
_render(const struct options *o, tsv_reader *r, const struct cols *c, struct invoice *v,
	const char *key, size_t keylen)
{
	const int *x = c->x;
	const issuer *is = issuers_find(&st.is, v->entity);
	struct book b;
	const char *subject = v->credit ? "Credit note" : "Invoice";
	long done = 0, on_sheet = 0, left;
	const char *why = NULL;
	int row, more;
	int64_t sum = 0;
	const char *name = schema_type_name(v->type);

	book_open(&b, o, v->entity, v->merchant, v->no, period_issue_date(o->period), v->digits,
		  subject, is ? is->legal_name : v->entity);
	if (v->credit)
		b.cap[5] = REASON_COLS;
	book_sheet(&b, name);
	row = _head(&b, v, o->period);
	left = v->lines < o->sheet_rows ? v->lines : o->sheet_rows;
	_table(&b, v, row++, left);
	for (;;) {
		int64_t amount = einput_money(r, x[L_AMOUNT], v->digits);

		if (on_sheet == o->sheet_rows) {
			/* This sheet is full: the document goes on, on the next,
			 * with its table header, print set-up and widths. */
			book_sheet(&b, name);
			left = v->lines - done < o->sheet_rows ? v->lines - done : o->sheet_rows;
			row = 0;
			_table(&b, v, row++, left);
			on_sheet = 0;
		}
		if (v->credit) {
			/* The row's height first: rows are written in order. */
			size_t w;

			why = _reason(r, c, v);
			w = text_width(why, strlen(why)) + 4;
			if (w > REASON_COLS)
				_check_row(&b, row,
					   (double)ROW_HEIGHT * (double)((w + REASON_COLS - 5) /
									 (REASON_COLS - 4)));
		}
		book_text(&b, row, 0, r->field[x[L_EVENT]], NULL);
		book_text(&b, row, 1, r->field[x[L_ORDER]], NULL);
		book_date(&b, row, 2, einput_time(r, x[L_AT]), b.time);
		book_count(&b, row, 3, einput_flag(r, x[L_LATE]), NULL);
		book_money(&b, row, 4, amount, b.money);
		if (v->credit)
			book_text(&b, row, 5, why, b.wrap);
		if (money_add(sum, amount, &sum) != MONEY_OK)
			msg_fatal(EXIT_DATA, r->name, r->line, "invoice %s: total out of range",
				  v->no);
		row++, on_sheet++, done++;
		more = einput_next(r);
		if (!more)
			break;
		{
			char k[SCHEMA_KEY_MAX];
			size_t n = _line_key(k, r, c);

			if (n != keylen || memcmp(k, key, n) != 0)
				break;
		}
	}
	if (done != v->lines || sum != v->amount) {
		/* Lines missing, or the file not grouped: which one shows later;
		 * no workbook is left for this invoice. */
		book_discard(&b);
		v->found = done;
		return more;
	}
	book_text(&b, row, 0, "Total", b.bold);
	book_money(&b, row, 4, sum, b.money_bold);
	book_close(&b);
	return more;
}

void
render_invoices(const struct options *o, const char *path)
{
	tsv_reader r;
	struct cols c;
	int more;
	char key[SCHEMA_KEY_MAX];
	size_t i;

	einput_open(&r, path);
	einput_require(&r, line_cols, c.x, L_N);
	c.corrects = tsv_column(&r, "corrects");
	more = einput_next(&r);
	while (more) {
		size_t n;
		long id;
		struct invoice *v;

		if (o->merchant && strcmp(r.field[c.x[L_MERCHANT]], o->merchant) != 0) {
			/* --merchant: another merchant's line (lines picked out
			 * by a text match may hold some) */
			more = einput_next(&r);
			continue;
		}
		n = _line_key(key, &r, &c);
		id = strset_find(&st.keys, key, n);

		if (strcmp(r.field[c.x[L_PERIOD]], "") == 0 ||
		    einput_period(&r, c.x[L_PERIOD]) != o->period)
			einput_bad(&r, c.x[L_PERIOD], "a line of another period:");
		if (id < 0)
			einput_bad(&r, c.x[L_MERCHANT], "a line of no invoice in invoices.tsv:");
		v = &st.inv[id];
		if (v->done)
			msg_fatal(EXIT_DATA, r.name, r.line,
				  "lines of invoice %s are not together: sort lines.tsv by entity, "
				  "merchant_id, currency, type and corrects first",
				  v->no);
		v->done = 1;
		if (render_wanted(o, v->merchant, v->no)) {
			more = _render(o, &r, &c, v, key, n);
			continue;
		}
		/* Another shard's invoice: skip its lines (and their reasons). */
		for (;;) {
			char k[SCHEMA_KEY_MAX];
			size_t kn;

			if (v->credit)
				_reason(&r, &c, v);
			if (!(more = einput_next(&r)))
				break;
			kn = _line_key(k, &r, &c);
			if (kn != n || memcmp(k, key, n) != 0)
				break;
		}
	}
	tsv_close(&r);
	if (st.have_reasons && einput_next(&st.reasons))
		msg_fatal(EXIT_DATA, st.reasons.name, st.reasons.line,
			  "a reason of no credit-note line of %s", path);
	for (i = 0; i < st.ninv; i++) {
		const struct invoice *v = &st.inv[i];

		/* With --merchant or --document, the lines given may be that
		 * merchant's only: the others are not looked for. */
		if ((o->merchant || o->document) && !render_wanted(o, v->merchant, v->no))
			continue;
		if (v->found)
			msg_fatal(
				EXIT_DATA, path, 0,
				"invoice %s: its %ld lines here do not add up to the invoice (%ld "
				"lines)",
				v->no, v->found, v->lines);
		if (!v->done && v->lines > 0)
			msg_fatal(EXIT_DATA, path, 0, "invoice %s has no lines in this file",
				  v->no);
	}
}

const char *const *
render_line_cols(size_t *n)
{
	*n = L_N;
	return line_cols;
}
