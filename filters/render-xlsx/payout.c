/* render-xlsx: payout workbooks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "period.h"
#include "render.h"
#include "schema.h"

/* Items by type (byte order of the code), then number. */
static int
_cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int k = strcmp(schema_type_code(x->type), schema_type_code(y->type));

	return k ? k : strcmp(x->invoice, y->invoice);
}

/* Stop when a sum leaves the range of money. */
static void
_add(int64_t *sum, int64_t v, const struct payout *p, const char *what)
{
	if (money_add(*sum, v, sum) != MONEY_OK)
		msg_fatal(EXIT_DATA, NULL, 0, "payout %s: %s out of range", p->no, what);
}

/* A code in words, or the code itself when it has none. */
static const char *
_words(const char *words, const char *code)
{
	return words ? words : code;
}

/* The payout card: number, dates, status, hold, currency, amount and
 * count, then the parties; returns the next free row. */
static int
_head(struct book *b, const struct payout *p)
{
	int r = 0;

	book_spill(b, r++, 0, "Payout", b->title);
	r++;
	book_text(b, r, 0, "Payout number", b->bold);
	book_spill(b, r++, 1, p->no, NULL);
	book_text(b, r, 0, "Payout date", b->bold);
	book_date(b, r++, 1, p->date, b->date_left);
	book_text(b, r, 0, "Status", b->bold);
	book_spill(b, r++, 1, _words(schema_status_name(p->status), p->status), NULL);
	book_text(b, r, 0, "Hold reason", b->bold);
	book_spill(b, r++, 1, _words(schema_hold_name(p->hold), p->hold), NULL);
	if (p->paid_on >= 0) {
		book_text(b, r, 0, "Paid on", b->bold);
		book_date(b, r++, 1, p->paid_on, b->date_left);
	}
	book_text(b, r, 0, "Currency", b->bold);
	book_spill(b, r++, 1, p->currency, NULL);
	book_text(b, r, 0, "Amount", b->bold);
	book_money(b, r++, 1, p->amount, b->money_left);
	book_text(b, r, 0, "Documents", b->bold);
	book_count(b, r++, 1, (long)p->n, b->count_left);
	return book_parties(b, r + 1, p->entity, p->merchant);
}

/* One payout: its card, then its invoices and credit notes grouped by
 * type with a subtotal per type, and the net total. */
static void
_render(const struct options *o, struct payout *p)
{
	static const char *const head[] = {"Type",   "Invoice type", "Document",
					   "Number", "Period",	     "Amount"};
	const issuer *is = issuers_find(&st.is, p->entity);
	int64_t total = 0, sub = 0;
	struct book b;
	size_t i, groups = 0;
	int row;

	if (p->n > 1)
		qsort(p->item, p->n, sizeof *p->item, _cmp_item);
	for (i = 0; i < p->n; i++)
		if (i + 1 == p->n || p->item[i + 1].type != p->item[i].type)
			groups++;
	book_open(&b, o, p->entity, p->merchant, p->no, p->date, p->digits, "Payout",
		  is ? is->legal_name : p->entity);
	book_sheet(&b, "Payout");
	row = _head(&b, p) + 1;
	book_table(&b, row, head, 6, row + (int)(p->n + groups), 040);
	row++;
	for (i = 0; i < p->n; i++) {
		const struct item *it = &p->item[i];
		char pid[PERIOD_ID_LEN + 1], label[64];

		period_format(it->period, pid);
		book_text(&b, row, 0, schema_type_code(it->type), NULL);
		book_text(&b, row, 1, schema_type_name(it->type), NULL);
		book_text(&b, row, 2, it->credit ? "Credit note" : "Invoice", NULL);
		book_text(&b, row, 3, it->invoice, NULL);
		book_text(&b, row, 4, pid, NULL);
		book_money(&b, row++, 5, it->amount, b.money);
		_add(&sub, it->amount, p, "subtotal");
		if (i + 1 == p->n || p->item[i + 1].type != it->type) {
			snprintf(label, sizeof label, "Subtotal %s", schema_type_code(it->type));
			book_text(&b, row, 0, label, b.bold);
			book_text(&b, row, 1, schema_type_name(it->type), b.bold);
			book_money(&b, row++, 5, sub, b.money_bold);
			_add(&total, sub, p, "total");
			sub = 0;
		}
	}
	book_text(&b, row, 0, "Net total", b.bold);
	book_money(&b, row, 5, total, b.money_bold);
	book_close(&b);
}

void
render_payouts(const struct options *o)
{
	size_t i;

	for (i = 0; i < st.norder; i++) {
		struct payout *p = &st.po[st.order[i]];

		if (render_wanted(o, p->merchant, p->no))
			_render(o, p);
	}
}
