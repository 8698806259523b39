/* net-payouts: SPEC 8's netting, group by group (rules/payout); a
 * request-mode merchant's group is decided by its request (request.c). */
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "msg.h"
#include "netpay.h"
#include "period.h"
#include "rules/docno.h"
#include "rules/payout.h"

/* The group of an (entity, merchant, currency), made when new. */
static struct group *
_group(struct ledger *l, long entity, long merchant, long currency)
{
	long g;

	if ((size_t)merchant >= l->capm) {
		size_t old = l->capm;

		l->mfirst = xgrow(l->mfirst, &l->capm, (size_t)merchant + 1, sizeof *l->mfirst);
		memset(l->mfirst + old, 0xff, (l->capm - old) * sizeof *l->mfirst);
	}
	for (g = l->mfirst[merchant]; g >= 0; g = l->grp[g].mnext)
		if (l->grp[g].entity == entity && l->grp[g].currency == currency)
			return &l->grp[g];
	l->grp = xgrow(l->grp, &l->capgrp, l->ngrp + 1, sizeof *l->grp);
	g = (long)l->ngrp++;
	memset(&l->grp[g], 0, sizeof l->grp[g]);
	l->grp[g].entity = entity;
	l->grp[g].merchant = merchant;
	l->grp[g].currency = currency;
	l->grp[g].first = -1;
	l->grp[g].req = -1;
	l->grp[g].mnext = l->mfirst[merchant];
	l->mfirst[merchant] = g;
	return &l->grp[g];
}

/* The marketplace minimum for a currency (0 when not listed). */
static int64_t
_market_min(const struct ledger *l, long currency)
{
	size_t n;
	const char *name = strset_key(&l->currencies, currency, &n);
	long id = strset_find(&l->min_currencies, name, n);

	return id < 0 ? 0 : l->min_amount[id];
}

/* The currency's minor digits. */
static int
_digits(const struct ledger *l, long currency)
{
	size_t n;
	const char *name = strset_key(&l->currencies, currency, &n);

	return money_currency_digits(name, n);
}

/* A sum that must stay in int64. */
static void
_add(int64_t *sum, int64_t v, const struct ledger *l, const struct group *g)
{
	size_t n;
	const char *m;

	if (money_add(*sum, v, sum) == MONEY_OK)
		return;
	m = strset_key(&l->merchants, g->merchant, &n);
	msg_fatal(EXIT_DATA, NULL, 0, "net of %.*s out of range", (int)n, m);
}

/* A new payout's number: PO-PREFIX-YYYY-NNNNNN, the prefix read from one
 * of its invoices' numbers, the number the entity's next of the year. */
static char *
_payout_no(struct ledger *l, const struct group *g, long invoice, int year)
{
	size_t n, en;
	const char *no = strset_key(&l->invoice_nos, invoice, &n);
	const char *ent = strset_key(&l->entities, g->entity, &en);
	char prefix[IDENT_MAX + 1], entity[IDENT_MAX + 1], buf[DOCNO_MAX];
	docno d;

	if (docno_parse(no, n, &d) < 0 || d.prefix_len > IDENT_MAX || en > IDENT_MAX)
		msg_fatal(EXIT_DATA, NULL, 0, "'%.*s': not an invoice number", (int)n, no);
	memcpy(prefix, no + d.prefix, d.prefix_len);
	prefix[d.prefix_len] = '\0';
	memcpy(entity, ent, en);
	entity[en] = '\0';
	if (!docno_format(buf, DOC_PAYOUT, prefix, year,
			  ecounters_next(&l->counters, entity, year)))
		msg_fatal(EXIT_DATA, NULL, 0, "payout number of '%s' out of range", prefix);
	return xstrdup(buf);
}

/* A payout of a group's due invoices, which get its number. */
long
ledger_make_payout(struct ledger *l, const struct group *g, long delay_days, int64_t due, long ndue,
		   long first_due, int64_t date, int year, int hold, int status)
{
	struct po p;
	long pi, i;

	memset(&p, 0, sizeof p);
	p.no = _payout_no(l, g, first_due, year);
	p.entity = g->entity;
	p.merchant = g->merchant;
	p.currency = g->currency;
	p.date = date;
	p.amount = due;
	p.invoices = ndue;
	p.hold = hold;
	p.status = status;
	p.first = -1;
	p.request = -1;
	p.fresh = 1;
	l->po = xgrow(l->po, &l->cappo, l->npo + 1, sizeof *l->po);
	pi = (long)l->npo;
	l->po[l->npo++] = p;
	for (i = g->first; i >= 0; i = l->inv[i].gnext) {
		if (!payout_due(l->inv[i].period, delay_days, date))
			continue;
		l->inv[i].payout = pi;
		l->inv[i].changed = 1;
		l->inv[i].pnext = l->po[pi].first;
		l->po[pi].first = i;
	}
	return pi;
}

/* Net one group: make its payout when the due net reaches the threshold
 * (a request-mode merchant's: when its request says so), then work out its
 * balance. */
static void
_net(struct ledger *l, struct group *g, int64_t date, int year)
{
	size_t n;
	const char *mname = strset_key(&l->merchants, g->merchant, &n);
	const merchant *m = merchants_find(&l->ms, mname, n);
	int hold = m ? payout_hold(m->frozen, m->payout_ok) : HOLD_NONE, paid = 0;
	int mode = m ? m->payout_mode : PAYOUT_MODE_AUTO;
	int64_t due = 0, next = INT64_MAX;
	long i, ndue = 0, first_due = -1;

	g->threshold = payout_threshold(mode == PAYOUT_MODE_REQUEST ? request_min(l, g->currency)
								    : _market_min(l, g->currency),
					m ? merchant_min_payout(m, _digits(l, g->currency)) : 0);
	/* Invoices of a merchant no longer listed are never due. */
	for (i = g->first; i >= 0; i = l->inv[i].gnext)
		g->nopen++;
	for (i = g->first; m && i >= 0; i = l->inv[i].gnext) {
		if (!payout_due(l->inv[i].period, m->delay_days, date))
			continue;
		_add(&due, l->inv[i].amount, l, g);
		_add(l->inv[i].fresh ? &g->due_fresh : &g->due_carried, l->inv[i].amount, l, g);
		ndue++;
		if (first_due < 0 || strset_cmp(&l->invoice_nos, i, first_due) < 0)
			first_due = i;
	}
	if (mode == PAYOUT_MODE_REQUEST) {
		paid = request_net(l, g, m->delay_days, hold, ndue, due, first_due, date, year);
		g->made = paid; /* a request's payout is never held */
	} else if (payout_made(ndue, due, g->threshold)) {
		ledger_make_payout(l, g, m->delay_days, due, ndue, first_due, date, year, hold,
				   PAYOUT_CREATED);
		paid = hold == HOLD_NONE;
		g->made = 1;
	}
	g->hold = hold;
	/* The balance: what is left without a payout, due or not yet due. */
	for (i = g->first; i >= 0; i = l->inv[i].gnext) {
		const struct inv *v = &l->inv[i];

		if (v->payout >= 0)
			continue;
		if (m && payout_due(v->period, m->delay_days, date)) {
			g->ndue++;
			_add(&g->due, v->amount, l, g);
		} else {
			int64_t ready;

			g->npending++;
			_add(&g->pending, v->amount, l, g);
			if (m && (ready = payout_next_date(
					  payout_ready(v->period, m->delay_days))) < next)
				next = ready;
		}
	}
	g->next_due = m && g->npending ? next : -1;
	g->reason = payout_balance_reason_in_mode(
		payout_balance_reason(m != NULL, hold, paid, g->ndue, g->due, g->npending), mode,
		g->nawaiting);
}

/* Name ranks, for sorting groups without comparing strings. */
static _Thread_local struct ranks rk;
static _Thread_local const struct group *sort_grp;

/* Groups by entity name, merchant_id, currency (byte order): payout
 * numbers go per entity in (merchant_id, currency) order. */
static int
_cmp_group(const void *a, const void *b)
{
	const struct group *x = &sort_grp[*(const long *)a], *y = &sort_grp[*(const long *)b];
	int k;

	if ((k = rank_cmp(rk.e, x->entity, y->entity)) != 0)
		return k;
	if ((k = rank_cmp(rk.m, x->merchant, y->merchant)) != 0)
		return k;
	return rank_cmp(rk.c, x->currency, y->currency);
}

/* Group the invoices without a payout and the unpaid payouts, net each
 * group, then count what payouts are still unpaid. */
void
ledger_net(struct ledger *l, const struct options *opt)
{
	int year = period_year_of(opt->date);
	size_t i, ng;
	long *order;

	for (i = 0; i < l->ninv; i++) {
		struct inv *v = &l->inv[i];

		if (v->payout < 0 && !v->paid) {
			struct group *g = _group(l, v->entity, v->merchant, v->currency);

			v->gnext = g->first;
			g->first = (long)i;
		}
	}
	for (i = 0; i < l->npo; i++) {
		struct group *g = _group(l, l->po[i].entity, l->po[i].merchant, l->po[i].currency);

		g->nawaiting += l->po[i].status == PAYOUT_AWAITING_INVOICE;
	}
	/* A request of this run joins its group, which it makes when new: a
	 * request for money there is none of is still decided (nothing_due). */
	for (i = 0; i < l->nreq; i++)
		if (l->req[i].fresh)
			_group(l, l->req[i].entity, l->req[i].merchant, l->req[i].currency)->req =
				(long)i;
	ng = l->ngrp;
	order = xmalloc((ng ? ng : 1) * sizeof *order);
	ledger_ranks(l, &rk);
	for (i = 0; i < ng; i++)
		order[i] = (long)i;
	sort_grp = l->grp;
	if (ng > 1)
		qsort(order, ng, sizeof *order, _cmp_group);
	for (i = 0; i < ng; i++)
		_net(l, &l->grp[order[i]], opt->date, year);
	free(order);
	ranks_free(&rk);
	for (i = 0; i < l->npo; i++) {
		struct group *g;

		if (l->po[i].status == PAYOUT_PAID)
			continue;
		g = _group(l, l->po[i].entity, l->po[i].merchant, l->po[i].currency);
		g->nunpaid++;
		_add(&g->unpaid_amount, l->po[i].amount, l, g);
	}
}
