/* net-payouts: payouts on request (SPEC 14).
 *
 * A merchant in request mode is never paid by the automatic netting.  Its
 * request (payout-requests) nets the same due invoices as the automatic
 * netting would, against max(request_min, the merchant's min_payout); a
 * payout it makes is numbered in the same series and waits for the
 * merchant's own invoice (awaiting_invoice).  merchant-invoices move it to
 * processing, payouts-paid then to paid.  The decisions are rules/payout's;
 * this file reads the requests and merchants' invoices, keeps the open
 * requests in the state and writes requests.tsv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "ident.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "netpay.h"
#include "reject.h"
#include "rules/payout.h"
#include "schema.h"

/* The request minimum for a currency: request_min, or the row's
 * min_payout; 0 when payout.tsv does not list the currency. */
int64_t
request_min(const struct ledger *l, long currency)
{
	size_t n;
	const char *name = strset_key(&l->currencies, currency, &n);
	long id = strset_find(&l->min_currencies, name, n);

	return id < 0 ? 0 : l->request_min[id];
}

/* A new request slot. */
static struct req *
_new(struct ledger *l)
{
	struct req *r;

	l->req = xgrow(l->req, &l->capreq, l->nreq + 1, sizeof *l->req);
	r = &l->req[l->nreq++];
	memset(r, 0, sizeof *r);
	r->payout = -1;
	r->outcome = -1;
	r->received_at = -1;
	return r;
}

/* 1 when payout p is a payout on request not paid yet. */
static int
_on_request(const struct po *p)
{
	return p->status == PAYOUT_AWAITING_INVOICE || p->status == PAYOUT_PROCESSING;
}

enum {
	Q_ID,
	Q_MERCHANT,
	Q_ENTITY,
	Q_CURRENCY,
	Q_AT,
	Q_STATUS,
	Q_PAYOUT,
	Q_AMOUNT,
	Q_THRESHOLD,
	Q_MINV,
	Q_RECEIVED,
	Q_N
};
static const char *const state_cols[Q_N] = {
	"request_id",  "merchant_id", "entity", "currency",  "requested_at",
	"status",      "payout_no",   "amount", "threshold", "merchant_invoice_no",
	"received_at",
};

/* The state's open requests, each the request of an open payout on
 * request of the same merchant, entity, currency and status; every such
 * payout must have one.  A state without the file has none (a state
 * written before payouts on request existed). */
void
request_load_state(struct ledger *l, const char *dir)
{
	char *path = xjoin(dir, "requests.tsv");
	tsv_reader r;
	int x[Q_N];
	size_t i;

	if (access(path, F_OK) == 0) {
		einput_open(&r, path);
		einput_require(&r, state_cols, x, Q_N);
		while (einput_next(&r)) {
			long p = strset_find(&l->payout_nos, r.field[x[Q_PAYOUT]],
					     r.flen[x[Q_PAYOUT]]);
			int digits = einput_currency(&r, x[Q_CURRENCY]);
			struct req *q;

			einput_ident(&r, x[Q_ID]);
			if (p < 0)
				einput_bad(&r, x[Q_PAYOUT], "payout not in the state:");
			if (!_on_request(&l->po[p]) ||
			    payout_status_of(r.field[x[Q_STATUS]], r.flen[x[Q_STATUS]]) !=
				    l->po[p].status)
				einput_bad(&r, x[Q_STATUS],
					   "not the status of its payout in the state:");
			if (l->po[p].request >= 0)
				einput_bad(&r, x[Q_PAYOUT], "a second request for the payout:");
			q = _new(l);
			q->id = xstrdup(r.field[x[Q_ID]]);
			q->merchant = ledger_intern(&l->merchants, einput_ident(&r, x[Q_MERCHANT]),
						    r.flen[x[Q_MERCHANT]]);
			q->entity = ledger_intern(&l->entities, einput_ident(&r, x[Q_ENTITY]),
						  r.flen[x[Q_ENTITY]]);
			q->currency = ledger_intern(&l->currencies, r.field[x[Q_CURRENCY]],
						    r.flen[x[Q_CURRENCY]]);
			if (q->merchant != l->po[p].merchant || q->entity != l->po[p].entity ||
			    q->currency != l->po[p].currency)
				einput_bad(&r, x[Q_PAYOUT],
					   "a payout of another merchant, entity or currency:");
			q->requested_at = einput_time(&r, x[Q_AT]);
			q->amount = einput_money(&r, x[Q_AMOUNT], digits);
			q->threshold = einput_money(&r, x[Q_THRESHOLD], digits);
			q->outcome = REQUEST_PAYOUT;
			q->payout = p;
			if (l->po[p].status == PAYOUT_PROCESSING) {
				if (!r.flen[x[Q_MINV]])
					einput_bad(&r, x[Q_MINV],
						   "a payout in processing has the merchant's "
						   "invoice:");
				einput_text(&r, x[Q_MINV]);
				q->merchant_invoice_no = xstrdup(r.field[x[Q_MINV]]);
				q->received_at = einput_time(&r, x[Q_RECEIVED]);
			}
			l->po[p].request = (long)(q - l->req);
		}
		tsv_close(&r);
	}
	for (i = 0; i < l->npo; i++)
		if (_on_request(&l->po[i]) && l->po[i].request < 0)
			msg_fatal(EXIT_DATA, path, 0,
				  "payout %s is %s, a payout on request, but the state has no "
				  "request for it: the state was changed; restore it, or run the "
				  "periods again from the last good one",
				  l->po[i].no, payout_status_name(l->po[i].status));
	free(path);
}

/* Reject a row of a side file: source and line lead to the drop's row,
 * whose raw record the pipeline fetches (fetch-raw). */
static void
_reject(const tsv_reader *r, int source, int line, out *rej, int reason, const char *field)
{
	long ln = einput_count(r, line);

	if (!rej)
		msg_warn(r->field[source], ln, "rejected (%s%s%s)", reject_name(reason),
			 *field ? ", field " : "", field);
	else if (reject_write(rej, r->field[source], ln, reason, field, "", 0) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
}

enum { M_SOURCE, M_LINE, M_PAYOUT, M_MINV, M_RECEIVED, M_N };
static const char *const minv_cols[M_N] = {"source", "line", "payout_no", "merchant_invoice_no",
					   "received_at"};

/* merchant-invoices: the merchant's invoice of a payout awaiting one
 * moves it to processing; any other payout_no is unknown_payout. */
void
request_merchant_invoices(struct ledger *l, const char *path, out *rej)
{
	tsv_reader r;
	int x[M_N];

	einput_open(&r, path);
	einput_require(&r, minv_cols, x, M_N);
	while (einput_next(&r)) {
		long p = strset_find(&l->payout_nos, r.field[x[M_PAYOUT]], r.flen[x[M_PAYOUT]]);
		int64_t at = einput_time(&r, x[M_RECEIVED]);
		int next, why = p < 0 ? REJECT_UNKNOWN_PAYOUT
				      : payout_transition(l->po[p].status,
							  PAYOUT_EV_MERCHANT_INVOICE, &next);
		struct req *q;

		einput_text(&r, x[M_MINV]);
		if (why != PAYOUT_MOVED) {
			_reject(&r, x[M_SOURCE], x[M_LINE], rej, why, "payout_no");
			continue;
		}
		l->po[p].status = next;
		l->po[p].changed = 1;
		q = &l->req[l->po[p].request];
		q->merchant_invoice_no = xstrdup(r.field[x[M_MINV]]);
		q->received_at = at;
		q->changed = 1;
	}
	tsv_close(&r);
}

enum { R_SOURCE, R_LINE, R_ID, R_MERCHANT, R_ENTITY, R_CURRENCY, R_AT, R_N };
static const char *const req_cols[R_N] = {"source", "line",	"request_id",  "merchant_id",
					  "entity", "currency", "requested_at"};

/* A name of a set as a C string in buf (IDENT_MAX + 1 bytes). */
static const char *
_cstr(const strset *set, long id, char *buf)
{
	size_t n;
	const char *k = strset_key(set, id, &n);

	memcpy(buf, k, n);
	buf[n] = '\0';
	return buf;
}

/* Add a (merchant, entity, currency) to the set of open requests; *isnew
 * says whether it was not there. */
static void
_key(strset *open, const char *m, const char *e, const char *c, int *isnew)
{
	char buf[3 * (IDENT_MAX + 1)];
	int n = snprintf(buf, sizeof buf, "%s\t%s\t%s", m, e, c);

	if (strset_add(open, buf, (size_t)n, isnew) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
}

/* The run's payout requests: a merchant unknown or in auto mode is
 * not_request_mode; one with a payout on request not paid yet for that
 * entity and currency (after this run's confirmations), or with an
 * earlier request in this drop, open_request.  The others wait for the
 * netting, which decides them. */
void
request_read(struct ledger *l, const char *path, out *rej)
{
	strset open = {0};
	tsv_reader r;
	int x[R_N], isnew;
	size_t i;

	for (i = 0; i < l->npo; i++) {
		const struct po *p = &l->po[i];
		char m[IDENT_MAX + 1], e[IDENT_MAX + 1], c[IDENT_MAX + 1];

		if (!_on_request(p))
			continue;
		_key(&open, _cstr(&l->merchants, p->merchant, m), _cstr(&l->entities, p->entity, e),
		     _cstr(&l->currencies, p->currency, c), &isnew);
	}
	einput_open(&r, path);
	einput_require(&r, req_cols, x, R_N);
	while (einput_next(&r)) {
		const merchant *m =
			merchants_find(&l->ms, r.field[x[R_MERCHANT]], r.flen[x[R_MERCHANT]]);
		struct req *q;

		einput_ident(&r, x[R_ID]);
		einput_ident(&r, x[R_MERCHANT]);
		einput_ident(&r, x[R_ENTITY]);
		einput_currency(&r, x[R_CURRENCY]);
		if (!m || m->payout_mode != PAYOUT_MODE_REQUEST) {
			_reject(&r, x[R_SOURCE], x[R_LINE], rej, REJECT_NOT_REQUEST_MODE,
				"merchant_id");
			continue;
		}
		_key(&open, r.field[x[R_MERCHANT]], r.field[x[R_ENTITY]], r.field[x[R_CURRENCY]],
		     &isnew);
		if (!isnew) {
			_reject(&r, x[R_SOURCE], x[R_LINE], rej, REJECT_OPEN_REQUEST, "");
			continue;
		}
		q = _new(l);
		q->id = xstrdup(r.field[x[R_ID]]);
		q->merchant =
			ledger_intern(&l->merchants, r.field[x[R_MERCHANT]], r.flen[x[R_MERCHANT]]);
		q->entity = ledger_intern(&l->entities, r.field[x[R_ENTITY]], r.flen[x[R_ENTITY]]);
		q->currency = ledger_intern(&l->currencies, r.field[x[R_CURRENCY]],
					    r.flen[x[R_CURRENCY]]);
		q->requested_at = einput_time(&r, x[R_AT]);
		q->fresh = 1;
	}
	tsv_close(&r);
	strset_free(&open);
}

/* Decide the group's request: the outcome of rules/payout on the due
 * invoices the automatic netting would net; a payout awaits the
 * merchant's invoice. */
int
request_net(struct ledger *l, struct group *g, long delay_days, int hold, long ndue, int64_t due,
	    long first_due, int64_t date, int year)
{
	long q = g->req, p;

	if (q < 0)
		return 0;
	l->req[q].outcome = payout_request_outcome(hold, ndue, due, g->threshold);
	l->req[q].amount = due;
	l->req[q].threshold = g->threshold;
	if (l->req[q].outcome != REQUEST_PAYOUT)
		return 0;
	p = ledger_make_payout(l, g, delay_days, due, ndue, first_due, date, year, HOLD_NONE,
			       PAYOUT_AWAITING_INVOICE);
	l->po[p].request = q;
	l->req[q].payout = p;
	return 1;
}

/* Ranks for the order of requests.tsv. */
static _Thread_local struct ranks rk;
static _Thread_local const struct ledger *sort_l;

/* By merchant, entity, currency, then requested_at and request_id. */
static int
_cmp(const void *a, const void *b)
{
	const struct req *x = &sort_l->req[*(const long *)a], *y = &sort_l->req[*(const long *)b];
	int k;

	if ((k = rank_cmp(rk.m, x->merchant, y->merchant)) != 0)
		return k;
	if ((k = rank_cmp(rk.e, x->entity, y->entity)) != 0)
		return k;
	if ((k = rank_cmp(rk.c, x->currency, y->currency)) != 0)
		return k;
	if (x->requested_at != y->requested_at)
		return x->requested_at < y->requested_at ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* A set member and a separator. */
static char *
_name(char *o, const strset *set, long id, char sep)
{
	size_t n;
	const char *k = strset_key(set, id, &n);

	return fmt_field(o, k, n, sep);
}

/* One requests.tsv row. */
static void
_write(const struct ledger *l, out *o, const struct req *q)
{
	const struct po *p = q->payout >= 0 ? &l->po[q->payout] : NULL;
	const char *status = p ? payout_status_name(p->status) : "refused";
	const char *reason = payout_request_outcome_name(q->outcome);
	const char *minv = q->merchant_invoice_no ? q->merchant_invoice_no : "";
	size_t n;
	const char *cur = strset_key(&l->currencies, q->currency, &n);
	int digits = money_currency_digits(cur, n);
	size_t room = strlen(q->id) + 3 * (IDENT_MAX + 1) + FMT_TIME_MAX + strlen(status) + 1 +
		      (p ? strlen(p->no) : 0) + 1 + 2 * FMT_MONEY_MAX + strlen(reason) + 1 +
		      strlen(minv) + 1 + FMT_TIME_MAX + FMT_DATE_MAX + 1;
	char *w = eout_room(o, room), *start = w;

	w = fmt_str(w, q->id, '\t');
	w = _name(w, &l->merchants, q->merchant, '\t');
	w = _name(w, &l->entities, q->entity, '\t');
	w = _name(w, &l->currencies, q->currency, '\t');
	w = fmt_time(w, q->requested_at, '\t');
	w = fmt_str(w, status, '\t');
	w = fmt_str(w, p ? p->no : "", '\t');
	w = fmt_money(w, q->amount, digits, '\t');
	w = fmt_str(w, reason, '\t');
	w = fmt_money(w, q->threshold, digits, '\t');
	w = fmt_str(w, minv, '\t');
	if (q->received_at >= 0)
		w = fmt_time(w, q->received_at, '\t');
	else
		*w++ = '\t';
	if (p && p->status == PAYOUT_PAID)
		w = fmt_date(w, p->paid_on, '\n');
	else
		*w++ = '\n';
	out_commit(o, (size_t)(w - start));
}

/* requests.tsv: this run's requests and the earlier ones whose status
 * changed in it; or, for the state, every request whose payout is not
 * paid. */
void
request_report(const struct ledger *l, const char *path, int state)
{
	long *order = xmalloc((l->nreq ? l->nreq : 1) * sizeof *order);
	size_t i, n = 0;
	out o;

	for (i = 0; i < l->nreq; i++) {
		const struct req *q = &l->req[i];

		if (state ? q->payout >= 0 && l->po[q->payout].status != PAYOUT_PAID
			  : q->fresh || q->changed)
			order[n++] = (long)i;
	}
	sort_l = l;
	ledger_ranks(l, &rk);
	if (n > 1)
		qsort(order, n, sizeof *order, _cmp);
	eout_open(&o, path);
	eout_puts(&o, SCHEMA_REQUEST_HEADER);
	for (i = 0; i < n; i++)
		_write(l, &o, &l->req[order[i]]);
	eout_close(&o, path);
	free(order);
	ranks_free(&rk);
}

/* Release the requests. */
void
request_free(struct ledger *l)
{
	size_t i;

	for (i = 0; i < l->nreq; i++) {
		free(l->req[i].id);
		free(l->req[i].merchant_invoice_no);
	}
	free(l->req);
}
