/* net-payouts: reading the previous state, this run's invoices, the
 * minimums and the confirmations. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ident.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "netpay.h"
#include "reject.h"
#include "rules/docno.h"
#include "rules/payout.h"
#include "schema.h"

/* Id of a name in a set. */
long
ledger_intern(strset *s, const char *name, size_t n)
{
	int isnew;
	long id = strset_add(s, name, n, &isnew);

	if (id < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	return id;
}

/* The same, for a run of rows that mostly repeat the key of the row
 * before (the invoices come merchant by merchant): *last is the id that
 * key had, -1 at first. */
static long
_intern_again(strset *s, long *last, const char *name, size_t n)
{
	size_t kn;
	const char *k;

	if (*last >= 0 && (k = strset_key(s, *last, &kn), kn == n) && memcmp(k, name, n) == 0)
		return *last;
	return *last = ledger_intern(s, name, n);
}

enum {
	I_NO,
	I_ENTITY,
	I_MERCHANT,
	I_CURRENCY,
	I_PERIOD,
	I_TYPE,
	I_ISSUED,
	I_LINES,
	I_AMOUNT,
	I_STATUS,
	I_PAYOUT,
	I_N,
	I_KIND = I_N, /* optional (SPEC 12): absent, an invoice */
	I_CORRECTS,
	I_ALL
};
static const char *const inv_cols[I_ALL] = {
	"invoice_no", "entity", "merchant_id", "currency",  "period", "type",	  "issued_on",
	"lines",      "amount", "status",      "payout_no", "kind",   "corrects",
};

/* A credit note (SPEC 12) says what it corrects, an invoice nothing, and
 * the number is of its kind: -1, or the id of what it corrects. */
static long
_kind(struct ledger *l, const tsv_reader *r, const int *x)
{
	int kind = x[I_KIND] >= 0 ? schema_kind_of(r->field[x[I_KIND]], r->flen[x[I_KIND]])
				  : DOC_INVOICE;
	size_t cn = x[I_CORRECTS] >= 0 ? r->flen[x[I_CORRECTS]] : 0;
	docno d;

	if (kind < 0)
		einput_bad(r, x[I_KIND], "not a kind (invoice, credit_note):");
	if (docno_parse(r->field[x[I_NO]], r->flen[x[I_NO]], &d) < 0 || d.kind != kind)
		einput_bad(r, x[I_NO],
			   kind == DOC_INVOICE
				   ? "not an invoice number (PREFIX-YYYY-NNNNNN):"
				   : "not a credit note number (CN-PREFIX-YYYY-NNNNNN):");
	if (kind == DOC_INVOICE) {
		if (cn)
			einput_bad(r, x[I_CORRECTS], "an invoice corrects nothing:");
		return -1;
	}
	if (!cn)
		einput_bad(r, x[I_NO], "a credit note without the invoice it corrects:");
	einput_ident(r, x[I_CORRECTS]);
	return ledger_intern(&l->corrects, r->field[x[I_CORRECTS]], cn);
}

/* Read invoices; `fresh` ones are this run's (period P, created, no
 * payout), the others open invoices of the state. */
void
ledger_load_invoices(struct ledger *l, const char *path, int fresh, int period)
{
	tsv_reader r;
	int x[I_ALL];
	long last_entity = -1, last_merchant = -1, last_currency = -1;

	einput_open(&r, path);
	einput_require(&r, inv_cols, x, I_N);
	x[I_KIND] = tsv_column(&r, inv_cols[I_KIND]);
	x[I_CORRECTS] = tsv_column(&r, inv_cols[I_CORRECTS]);
	while (einput_next(&r)) {
		struct inv v;
		int isnew, digits;
		long id;

		memset(&v, 0, sizeof v);
		einput_ident(&r, x[I_NO]);
		id = strset_add(&l->invoice_nos, r.field[x[I_NO]], r.flen[x[I_NO]], &isnew);
		if (id < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		if (!isnew)
			einput_bad(&r, x[I_NO], "invoice listed twice:");
		v.entity = _intern_again(&l->entities, &last_entity, einput_ident(&r, x[I_ENTITY]),
					 r.flen[x[I_ENTITY]]);
		v.merchant = _intern_again(&l->merchants, &last_merchant,
					   einput_ident(&r, x[I_MERCHANT]), r.flen[x[I_MERCHANT]]);
		digits = einput_currency(&r, x[I_CURRENCY]);
		v.currency = _intern_again(&l->currencies, &last_currency, r.field[x[I_CURRENCY]],
					   r.flen[x[I_CURRENCY]]);
		v.period = einput_period(&r, x[I_PERIOD]);
		v.type = schema_type_of(r.field[x[I_TYPE]], r.flen[x[I_TYPE]]);
		if (v.type < 0)
			einput_bad(&r, x[I_TYPE], "not a line type:");
		v.lines = einput_count(&r, x[I_LINES]);
		v.amount = einput_money(&r, x[I_AMOUNT], digits);
		v.payout = -1;
		v.pnext = -1;
		v.gnext = -1;
		v.corrects = _kind(l, &r, x);
		if (strcmp(r.field[x[I_STATUS]], "created") != 0)
			einput_bad(&r, x[I_STATUS],
				   fresh ? "a new invoice must be 'created':"
					 : "an open invoice must be 'created':");
		if (fresh) {
			if (v.period != period)
				einput_bad(&r, x[I_PERIOD], "an invoice of another period:");
			if (r.flen[x[I_PAYOUT]])
				einput_bad(&r, x[I_PAYOUT], "a new invoice has no payout yet:");
			v.fresh = 1;
		} else if (r.flen[x[I_PAYOUT]]) {
			long p = strset_find(&l->payout_nos, r.field[x[I_PAYOUT]],
					     r.flen[x[I_PAYOUT]]);

			if (p < 0)
				einput_bad(&r, x[I_PAYOUT], "payout not in the state:");
			v.payout = p;
			v.pnext = l->po[p].first;
			l->po[p].first = (long)l->ninv;
		}
		/* What was open without a payout before this run's invoices. */
		v.open_in = !fresh && v.payout < 0;
		if (l->ninv >= INT32_MAX) /* struct inv's indexes */
			msg_fatal(EXIT_DATA, path, r.line, "more than %ld invoices",
				  (long)INT32_MAX);
		l->inv = xgrow(l->inv, &l->capinv, l->ninv + 1, sizeof *l->inv);
		l->inv[l->ninv++] = v;
	}
	tsv_close(&r);
}

/* Read the open payouts of the state. */
static void
_load_payouts(struct ledger *l, const char *path)
{
	tsv_reader r;
	int x[PO_NCOLS];

	einput_open(&r, path);
	einput_require(&r, schema_payout_cols, x, PO_NCOLS);
	while (einput_next(&r)) {
		struct po p;
		int isnew, digits;

		memset(&p, 0, sizeof p);
		einput_ident(&r, x[PO_NO]);
		if (strset_add(&l->payout_nos, r.field[x[PO_NO]], r.flen[x[PO_NO]], &isnew) < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		if (!isnew)
			einput_bad(&r, x[PO_NO], "payout listed twice:");
		p.no = xstrdup(r.field[x[PO_NO]]);
		p.entity = ledger_intern(&l->entities, einput_ident(&r, x[PO_ENTITY]),
					 r.flen[x[PO_ENTITY]]);
		p.merchant = ledger_intern(&l->merchants, einput_ident(&r, x[PO_MERCHANT]),
					   r.flen[x[PO_MERCHANT]]);
		digits = einput_currency(&r, x[PO_CURRENCY]);
		p.currency = ledger_intern(&l->currencies, r.field[x[PO_CURRENCY]],
					   r.flen[x[PO_CURRENCY]]);
		p.date = einput_time(&r, x[PO_DATE]);
		p.invoices = einput_count(&r, x[PO_INVOICES]);
		p.amount = einput_money(&r, x[PO_AMOUNT], digits);
		p.status = payout_status_of(r.field[x[PO_STATUS]], r.flen[x[PO_STATUS]]);
		if (p.status < 0 || p.status == PAYOUT_PAID)
			einput_bad(&r, x[PO_STATUS],
				   "an open payout must be 'created', 'awaiting_invoice' or "
				   "'processing':");
		p.hold = payout_hold_of(r.field[x[PO_HOLD]], r.flen[x[PO_HOLD]]);
		if (p.hold < 0)
			einput_bad(&r, x[PO_HOLD], "not a hold reason:");
		p.first = -1;
		p.request = -1;
		l->po = xgrow(l->po, &l->cappo, l->npo + 1, sizeof *l->po);
		l->po[l->npo++] = p;
	}
	tsv_close(&r);
}

/* The number of a document of the state against the counter of its
 * entity and year: a counter below a number in use would give it again
 * (what a manifest cannot tell: a state whose manifest was made again). */
static void
_check_number(const char *no, size_t n, const strset *entities, long entity, const counters *cs,
	      const char *file)
{
	size_t en;
	const char *e = strset_key(entities, entity, &en);
	char name[IDENT_MAX + 1];
	docno d;

	if (docno_parse(no, n, &d) < 0 || en > IDENT_MAX)
		msg_fatal(EXIT_USAGE, file, 0, "'%.*s' is not a document number", (int)n, no);
	memcpy(name, e, en);
	name[en] = '\0';
	if (d.number > counters_last(cs, name, d.year))
		msg_fatal(EXIT_USAGE, file, 0,
			  "'%.*s' is above the last number its counter says was used (%s %d: %ld): "
			  "the state was changed; restore it, or run the periods again from the "
			  "last good one",
			  (int)n, no, name, d.year, counters_last(cs, name, d.year));
}

/* Every open invoice, credit note and payout numbered within its counter.
 * The invoice and credit-note counters are build-invoices' files: a
 * pipeline state always has them (its manifest says so); net-payouts run
 * alone, on a state of its own, checks its payouts only. */
static void
_check_numbers(const struct ledger *l, const char *dir)
{
	char *path = xjoin(dir, "invoice-counters.tsv");
	char *cpath = xjoin(dir, "credit-note-counters.tsv");
	counters inv, cns;
	size_t i, n;
	int have = access(path, F_OK) == 0;

	ecounters_load(&inv, path, 1);
	ecounters_load(&cns, cpath, 1);
	for (i = 0; have && i < l->ninv; i++) {
		const char *no = strset_key(&l->invoice_nos, (long)i, &n);
		int cn = l->inv[i].corrects >= 0;

		_check_number(no, n, &l->entities, l->inv[i].entity, cn ? &cns : &inv,
			      cn ? cpath : path);
	}
	counters_free(&inv);
	counters_free(&cns);
	free(path);
	free(cpath);
	path = xjoin(dir, "payout-counters.tsv");
	for (i = 0; i < l->npo; i++)
		_check_number(l->po[i].no, strlen(l->po[i].no), &l->entities, l->po[i].entity,
			      &l->counters, path);
	free(path);
}

/* The previous state: payouts first (invoices name them), then invoices,
 * then the payout counters. */
void
ledger_load_state(struct ledger *l, const char *dir, int period)
{
	struct stat sb;
	char *path = xjoin(dir, "invoices.tsv");

	/* Size the number set once: about 60 bytes an invoice row, and as
	 * many new invoices again as carried ones. */
	if (stat(path, &sb) == 0 &&
	    strset_reserve(&l->invoice_nos, (size_t)sb.st_size / 60 * 2) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	free(path);
	path = xjoin(dir, "payouts.tsv");
	_load_payouts(l, path);
	free(path);
	path = xjoin(dir, "invoices.tsv");
	ledger_load_invoices(l, path, 0, period);
	free(path);
	l->nstate = l->ninv;
	path = xjoin(dir, "payout-counters.tsv");
	ecounters_load(&l->counters, path, 0);
	free(path);
	_check_numbers(l, dir);
}

/* payout.tsv: the marketplace minimum per currency, and the minimum of a
 * payout on request (SPEC 14: the optional column request_min, empty for
 * the row's min_payout). */
void
ledger_load_minimums(struct ledger *l, const char *path)
{
	static const char *const cols[] = {"currency", "min_payout"};
	tsv_reader r;
	int x[2], isnew, rq;

	einput_open(&r, path);
	einput_require(&r, cols, x, 2);
	rq = tsv_column(&r, "request_min");
	while (einput_next(&r)) {
		int digits = einput_currency(&r, x[0]);
		long id = strset_add(&l->min_currencies, r.field[x[0]], r.flen[x[0]], &isnew);
		int64_t v = einput_money(&r, x[1], digits), w = v;
		size_t cap = l->capmin;

		if (id < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		if (!isnew)
			einput_bad(&r, x[0], "currency listed twice:");
		if (v < 0)
			einput_bad(&r, x[1], "negative minimum:");
		if (rq >= 0 && r.flen[rq] && (w = einput_money(&r, rq, digits)) < 0)
			einput_bad(&r, rq, "negative minimum:");
		l->min_amount =
			xgrow(l->min_amount, &l->capmin, (size_t)id + 1, sizeof *l->min_amount);
		if (l->capmin != cap || !l->request_min)
			l->request_min =
				xrealloc(l->request_min, l->capmin * sizeof *l->request_min);
		l->min_amount[id] = v;
		l->request_min[id] = w;
	}
	tsv_close(&r);
}

enum { C_SOURCE, C_LINE, C_PAYOUT, C_PAID_ON, C_RAW, C_N };
static const char *const conf_cols[C_N] = {"source", "line", "payout_no", "paid_on", "raw"};

/* Reject a confirmation row: reason, the column at fault, its raw record. */
static void
_reject(const tsv_reader *r, const int *x, out *rej, int reason, const char *field)
{
	long line = einput_count(r, x[C_LINE]);

	if (!rej)
		msg_warn(r->field[x[C_SOURCE]], line, "rejected (%s): %s", reject_name(reason),
			 r->field[x[C_RAW]]);
	else if (reject_write(rej, r->field[x[C_SOURCE]], line, reason, field, r->field[x[C_RAW]],
			      r->flen[x[C_RAW]]) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
}

/* Apply confirmations: an open payout and its invoices become paid.  A
 * payout_no that is unknown or paid already is rejected unknown_payout, a
 * payout on request still awaiting the merchant's invoice awaiting_invoice
 * (SPEC 14, rules/payout); a paid_on before the payout was made,
 * paid_before_payout (SPEC 16). */
void
ledger_confirm(struct ledger *l, const char *path, out *rej)
{
	tsv_reader r;
	int x[C_N];

	einput_open(&r, path);
	einput_require(&r, conf_cols, x, C_N);
	while (einput_next(&r)) {
		long p = strset_find(&l->payout_nos, r.field[x[C_PAYOUT]], r.flen[x[C_PAYOUT]]);
		int64_t on = einput_time(&r, x[C_PAID_ON]);
		long i;
		int next, why = p < 0 ? REJECT_UNKNOWN_PAYOUT
				      : payout_transition(l->po[p].status, PAYOUT_EV_CONFIRMATION,
							  &next);

		if (why != PAYOUT_MOVED) {
			_reject(&r, x, rej, why, "payout_no");
			continue;
		}
		if (on < l->po[p].date) {
			_reject(&r, x, rej, REJECT_PAID_BEFORE_PAYOUT, "paid_on");
			continue;
		}
		l->po[p].status = next;
		l->po[p].paid_on = on;
		l->po[p].changed = 1;
		if (l->po[p].request >= 0)
			l->req[l->po[p].request].changed = 1;
		for (i = l->po[p].first; i >= 0; i = l->inv[i].pnext) {
			l->inv[i].paid = 1;
			l->inv[i].changed = 1;
		}
	}
	tsv_close(&r);
}

/* Ranks of the names. */
void
ledger_ranks(const struct ledger *l, struct ranks *r)
{
	r->e = strset_rank(&l->entities);
	r->m = strset_rank(&l->merchants);
	r->c = strset_rank(&l->currencies);
	if (!r->e || !r->m || !r->c)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
}

void
ranks_free(struct ranks *r)
{
	free(r->e), free(r->m), free(r->c);
	r->e = r->m = r->c = NULL;
}

/* Free everything (keeps leak checkers quiet). */
void
ledger_free(struct ledger *l)
{
	size_t i;

	for (i = 0; i < l->npo; i++)
		free(l->po[i].no);
	request_free(l);
	free(l->inv), free(l->by_no), free(l->po), free(l->grp), free(l->min_amount),
		free(l->mfirst);
	free(l->request_min);
	strset_free(&l->entities), strset_free(&l->merchants), strset_free(&l->currencies);
	strset_free(&l->invoice_nos), strset_free(&l->payout_nos), strset_free(&l->corrects);
	strset_free(&l->min_currencies);
	merchants_free(&l->ms);
	counters_free(&l->counters);
}
