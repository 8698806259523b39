/* net-payouts: invoices, payouts and their items, balances, totals. */
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "ident.h"
#include "money.h"
#include "msg.h"
#include "netpay.h"
#include "period.h"
#include "rules/docno.h"
#include "rules/payout.h"
#include "runsort.h"
#include "schema.h"
#include "totals.h"

/* A set member and a separator; its length adds to *room when o is NULL. */
static char *
_key(char *o, const strset *set, long id, char sep)
{
	size_t n;
	const char *k = strset_key(set, id, &n);

	return fmt_field(o, k, n, sep);
}

/* The length of a set member. */
static size_t
_len(const strset *set, long id)
{
	size_t n;

	strset_key(set, id, &n);
	return n;
}

/* The currency's minor digits. */
static int
_digits(const struct ledger *l, long currency)
{
	size_t n;
	const char *name = strset_key(&l->currencies, currency, &n);

	return money_currency_digits(name, n);
}

/* A document's kind and what it corrects (SPEC 12), ending the row; room
 * for 13 bytes and the number corrected. */
static char *
_kind(char *p, const struct ledger *l, const struct inv *v)
{
	if (v->corrects < 0)
		return fmt_str(p, "invoice\t", '\n');
	p = fmt_str(p, schema_kind_name(DOC_CREDIT_NOTE), '\t');
	return _key(p, &l->corrects, v->corrects, '\n');
}

/* A period's issue date, the last one asked kept: the invoices of a run
 * are nearly all of its own period. */
static int64_t
_issue_date(int period)
{
	static _Thread_local int last = -1;
	static _Thread_local int64_t date;

	if (period != last) {
		date = period_issue_date(period);
		last = period;
	}
	return date;
}

/* One invoice row (invoice i). */
static void
_write_invoice(const struct ledger *l, out *o, long i)
{
	const struct inv *v = &l->inv[i];
	const char *pay = v->payout >= 0 ? l->po[v->payout].no : "";
	size_t room = _len(&l->invoice_nos, i) + _len(&l->entities, v->entity) +
		      _len(&l->merchants, v->merchant) + _len(&l->currencies, v->currency) +
		      strlen(pay) + FMT_PERIOD_MAX + 8 + FMT_DATE_MAX + FMT_LONG_MAX +
		      FMT_MONEY_MAX + 8 + 1 + 13 +
		      (v->corrects >= 0 ? _len(&l->corrects, v->corrects) : 0);
	char *p = eout_room(o, room), *start = p;

	p = _key(p, &l->invoice_nos, i, '\t');
	p = _key(p, &l->entities, v->entity, '\t');
	p = _key(p, &l->merchants, v->merchant, '\t');
	p = _key(p, &l->currencies, v->currency, '\t');
	p = fmt_period(p, v->period, '\t');
	p = fmt_str(p, schema_type_code(v->type), '\t');
	p = fmt_date(p, _issue_date(v->period), '\t');
	p = fmt_long(p, v->lines, '\t');
	p = fmt_money(p, v->amount, _digits(l, v->currency), '\t');
	p = fmt_str(p, v->paid ? "paid" : "created", '\t');
	p = fmt_str(p, pay, '\t');
	p = _kind(p, l, v);
	out_commit(o, (size_t)(p - start));
}

/* One payout row. */
static void
_write_payout(const struct ledger *l, out *o, const struct po *v)
{
	const char *hold = payout_hold_name(v->hold);
	size_t room = strlen(v->no) + _len(&l->entities, v->entity) +
		      _len(&l->merchants, v->merchant) + _len(&l->currencies, v->currency) +
		      FMT_DATE_MAX + FMT_LONG_MAX + FMT_MONEY_MAX +
		      strlen(payout_status_name(v->status)) + 1 + strlen(hold) + 1 + FMT_DATE_MAX;
	char *p = eout_room(o, room), *start = p;

	p = fmt_str(p, v->no, '\t');
	p = _key(p, &l->entities, v->entity, '\t');
	p = _key(p, &l->merchants, v->merchant, '\t');
	p = _key(p, &l->currencies, v->currency, '\t');
	p = fmt_date(p, v->date, '\t');
	p = fmt_long(p, v->invoices, '\t');
	p = fmt_money(p, v->amount, _digits(l, v->currency), '\t');
	p = fmt_str(p, payout_status_name(v->status), '\t');
	p = fmt_str(p, hold, '\t');
	if (v->status == PAYOUT_PAID)
		p = fmt_date(p, v->paid_on, '\n');
	else
		*p++ = '\n';
	out_commit(o, (size_t)(p - start));
}

/* The ledger being sorted (qsort has no context argument). */
static _Thread_local const struct ledger *sort_l;

/* Invoices by number. */
static int
_cmp_inv_no(const void *a, const void *b)
{
	return strset_cmp(&sort_l->invoice_nos, *(const long *)a, *(const long *)b);
}

/* Payouts by number. */
static int
_cmp_po_no(const void *a, const void *b)
{
	return strcmp(sort_l->po[*(const long *)a].no, sort_l->po[*(const long *)b].no);
}

void
report_order(struct ledger *l)
{
	size_t i;

	l->by_no = xmalloc((l->ninv ? l->ninv : 1) * sizeof *l->by_no);
	for (i = 0; i < l->ninv; i++)
		l->by_no[i] = (long)i;
	/* The state's invoices, then the run's: each in numbering order. */
	sort_l = l;
	runsort(l->by_no, l->ninv, _cmp_inv_no);
}

/* The invoices of the run (new or changed), or those of the state (not
 * paid), by number (report_order()). */
void
report_invoices(const struct ledger *l, const char *path, int state)
{
	long *order = xmalloc((l->ninv ? l->ninv : 1) * sizeof *order);
	size_t i, n = 0;
	out o;

	for (i = 0; i < l->ninv; i++) {
		const struct inv *v = &l->inv[l->by_no[i]];

		if (state ? !v->paid : v->fresh || v->changed)
			order[n++] = l->by_no[i];
	}
	eout_open(&o, path);
	eout_puts(&o, SCHEMA_INVOICE_HEADER);
	for (i = 0; i < n; i++)
		_write_invoice(l, &o, order[i]);
	eout_close(&o, strcmp(path, "-") == 0 ? "<stdout>" : path);
	free(order);
}

/* A new payout's items, by invoice number. */
static void
_write_items(const struct ledger *l, out *it, const struct po *p)
{
	long *inv = xmalloc((size_t)(p->invoices ? p->invoices : 1) * sizeof *inv), k, ni = 0;

	for (k = p->first; k >= 0; k = l->inv[k].pnext)
		inv[ni++] = k;
	if (ni > 1)
		qsort(inv, (size_t)ni, sizeof *inv, _cmp_inv_no);
	for (k = 0; k < ni; k++) {
		const struct inv *v = &l->inv[inv[k]];
		size_t room = strlen(p->no) + _len(&l->invoice_nos, inv[k]) + 8 + FMT_PERIOD_MAX +
			      FMT_MONEY_MAX + 13 +
			      (v->corrects >= 0 ? _len(&l->corrects, v->corrects) : 0);
		char *q = eout_room(it, room), *start = q;

		q = fmt_str(q, p->no, '\t');
		q = _key(q, &l->invoice_nos, inv[k], '\t');
		q = fmt_str(q, schema_type_code(v->type), '\t');
		q = fmt_period(q, v->period, '\t');
		q = fmt_money(q, v->amount, _digits(l, v->currency), '\t');
		q = _kind(q, l, v);
		out_commit(it, (size_t)(q - start));
	}
	free(inv);
}

/* Payouts (new or changed, or open for the state) and, for new ones,
 * their items. */
void
report_payouts(const struct ledger *l, const char *path, const char *items, int state)
{
	long *order = xmalloc((l->npo ? l->npo : 1) * sizeof *order);
	size_t i, n = 0;
	out o, it;

	for (i = 0; i < l->npo; i++)
		if (state ? l->po[i].status != PAYOUT_PAID : l->po[i].fresh || l->po[i].changed)
			order[n++] = (long)i;
	sort_l = l;
	if (n > 1)
		qsort(order, n, sizeof *order, _cmp_po_no);
	eout_open(&o, path);
	eout_puts(&o, SCHEMA_PAYOUT_HEADER);
	if (items) {
		eout_open(&it, items);
		eout_puts(&it, SCHEMA_ITEM_HEADER);
	}
	for (i = 0; i < n; i++) {
		const struct po *p = &l->po[order[i]];

		_write_payout(l, &o, p);
		if (items && p->fresh)
			_write_items(l, &it, p);
	}
	eout_close(&o, path);
	if (items)
		eout_close(&it, items);
	free(order);
}

/* Name ranks for the balances' order. */
static _Thread_local struct ranks rk;

/* Balances by merchant, entity, currency. */
static int
_cmp_balance(const void *a, const void *b)
{
	const struct group *x = &sort_l->grp[*(const long *)a], *y = &sort_l->grp[*(const long *)b];
	int k;

	if ((k = rank_cmp(rk.m, x->merchant, y->merchant)) != 0)
		return k;
	if ((k = rank_cmp(rk.e, x->entity, y->entity)) != 0)
		return k;
	return rank_cmp(rk.c, x->currency, y->currency);
}

/* Every (merchant, entity, currency) with money not yet with the merchant. */
void
report_balances(const struct ledger *l, const char *path)
{
	size_t ng = l->ngrp, i, n = 0;
	long *order = xmalloc((ng ? ng : 1) * sizeof *order);
	out o;

	for (i = 0; i < ng; i++) {
		const struct group *g = &l->grp[i];

		if (g->ndue || g->npending || g->nunpaid)
			order[n++] = (long)i;
	}
	sort_l = l;
	ledger_ranks(l, &rk);
	if (n > 1)
		qsort(order, n, sizeof *order, _cmp_balance);
	eout_open(&o, path);
	eout_puts(&o, SCHEMA_BALANCE_HEADER);
	for (i = 0; i < n; i++) {
		const struct group *g = &l->grp[order[i]];
		int d = _digits(l, g->currency);
		const char *reason = payout_balance_reason_name(g->reason);
		size_t room = _len(&l->merchants, g->merchant) + _len(&l->entities, g->entity) +
			      _len(&l->currencies, g->currency) + 3 * FMT_LONG_MAX +
			      4 * FMT_MONEY_MAX + FMT_DATE_MAX + strlen(reason) + 3;
		char *p = eout_room(&o, room), *start = p;

		p = _key(p, &l->merchants, g->merchant, '\t');
		p = _key(p, &l->entities, g->entity, '\t');
		p = _key(p, &l->currencies, g->currency, '\t');
		p = fmt_long(p, g->ndue, '\t');
		p = fmt_money(p, g->due, d, '\t');
		p = fmt_long(p, g->npending, '\t');
		p = fmt_money(p, g->pending, d, '\t');
		p = fmt_money(p, g->threshold, d, '\t');
		if (g->next_due >= 0)
			p = fmt_date(p, g->next_due, '\t');
		else
			*p++ = '\t';
		p = fmt_long(p, g->nunpaid, '\t');
		p = fmt_money(p, g->unpaid_amount, d, '\t');
		p = fmt_str(p, reason, '\n');
		out_commit(&o, (size_t)(p - start));
	}
	eout_close(&o, path);
	free(order);
	ranks_free(&rk);
}

/* The next payout of every (merchant, entity, currency) with an invoice
 * without a payout, as this run's netting made it (SPEC 13): the due net
 * of the state's invoices and of this run's, whether a payout was made
 * (held or not) and its hold, else the balance's reason. */
void
report_next(const struct ledger *l, const char *path, int64_t date)
{
	size_t ng = l->ngrp, i, n = 0;
	long *order = xmalloc((ng ? ng : 1) * sizeof *order);
	out o;

	for (i = 0; i < ng; i++)
		if (l->grp[i].nopen)
			order[n++] = (long)i;
	sort_l = l;
	ledger_ranks(l, &rk);
	if (n > 1)
		qsort(order, n, sizeof *order, _cmp_balance);
	eout_open(&o, path);
	eout_puts(&o, SCHEMA_NEXT_PAYOUT_HEADER);
	for (i = 0; i < n; i++) {
		const struct group *g = &l->grp[order[i]];
		int d = _digits(l, g->currency);
		const char *reason =
			g->made ? payout_hold_name(g->hold) : payout_balance_reason_name(g->reason);
		int64_t net;
		size_t room = _len(&l->merchants, g->merchant) + _len(&l->entities, g->entity) +
			      _len(&l->currencies, g->currency) + FMT_DATE_MAX + 4 * FMT_MONEY_MAX +
			      2 + strlen(reason) + 9;
		char *p, *start;

		if (money_add(g->due_carried, g->due_fresh, &net) != MONEY_OK)
			msg_fatal(EXIT_DATA, NULL, 0, "net out of range");
		p = start = eout_room(&o, room);
		p = _key(p, &l->merchants, g->merchant, '\t');
		p = _key(p, &l->entities, g->entity, '\t');
		p = _key(p, &l->currencies, g->currency, '\t');
		p = fmt_date(p, date, '\t');
		p = fmt_money(p, g->due_carried, d, '\t');
		p = fmt_money(p, g->due_fresh, d, '\t');
		p = fmt_money(p, net, d, '\t');
		p = fmt_money(p, g->threshold, d, '\t');
		p = fmt_str(p, g->made ? "1" : "0", '\t');
		p = fmt_str(p, reason, '\n');
		out_commit(&o, (size_t)(p - start));
	}
	eout_close(&o, path);
	free(order);
	ranks_free(&rk);
}

/* Money per entity and currency: open (no payout) before the run, this
 * run's invoices, paid out in new payouts, open after. */
void
report_totals(const struct ledger *l, const char *path)
{
	static const char *const cols[] = {"open_in", "invoiced", "paid_out", "open_out"};
	totals t;
	size_t i;

	memset(&t, 0, sizeof t);
	for (i = 0; i < l->ninv; i++) {
		const struct inv *v = &l->inv[i];
		char e[IDENT_MAX + 1], c[4];
		size_t en, cn;
		const char *ek = strset_key(&l->entities, v->entity, &en);
		const char *ck = strset_key(&l->currencies, v->currency, &cn);
		int rc = 0;

		memcpy(e, ek, en), e[en] = '\0';
		memcpy(c, ck, cn), c[cn] = '\0';
		if (v->open_in)
			rc |= totals_add(&t, e, c, 0, v->amount);
		if (v->fresh)
			rc |= totals_add(&t, e, c, 1, v->amount);
		if (v->payout >= 0 && l->po[v->payout].fresh)
			rc |= totals_add(&t, e, c, 2, v->amount);
		if (v->payout < 0 && !v->paid)
			rc |= totals_add(&t, e, c, 3, v->amount);
		if (rc)
			msg_fatal(EXIT_DATA, NULL, 0, "totals out of range");
	}
	etotals_write(&t, path, cols, 4);
	totals_free(&t);
}
