/* render-xlsx: the period's documents and what they show, loaded and
 * checked before the first workbook is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "input.h"
#include "money.h"
#include "period.h"
#include "render.h"
#include "rules/docno.h"
#include "schema.h"

int
render_mine(const struct options *o, const char *merchant)
{
	if (o->merchant && strcmp(o->merchant, merchant) != 0)
		return 0;
	return o->nshards == 1 ||
	       (long)(strset_hash(merchant, strlen(merchant)) % (uint64_t)o->nshards) == o->shard;
}

int
render_wanted(const struct options *o, const char *merchant, const char *no)
{
	return render_mine(o, merchant) && (!o->document || strcmp(o->document, no) == 0);
}

/* A name's id in a set, made when new. */
static long
_intern(strset *s, const char *k, size_t n, int *isnew)
{
	long id = strset_add(s, k, n, isnew);

	if (id < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	return id;
}

/* A field of an optional column, or "" when the file has no such column. */
static const char *
_opt(const tsv_reader *r, int col)
{
	return col >= 0 ? r->field[col] : "";
}

/* The columns read of invoices.tsv. */
static const char *const invoice_cols[] = {"invoice_no", "entity", "merchant_id", "currency",
					   "period",	 "type",   "lines",	  "amount"};

void
load_invoices(const struct options *o, const char *path)
{
	tsv_reader r;
	int x[8], isnew, kind, corrects, payout, status;
	size_t cap = 0;
	char key[SCHEMA_KEY_MAX];

	einput_open(&r, path);
	einput_require(&r, invoice_cols, x, 8);
	kind = tsv_column(&r, "kind");
	corrects = tsv_column(&r, "corrects");
	payout = tsv_column(&r, "payout_no");
	status = tsv_column(&r, "status");
	while (einput_next(&r)) {
		struct invoice v;
		const char *code;
		size_t n;

		if (o->merchant && strcmp(r.field[x[2]], o->merchant) != 0)
			continue; /* --merchant: another merchant's */
		if (einput_period(&r, x[4]) != o->period)
			continue; /* an earlier invoice whose payout or status changed */
		memset(&v, 0, sizeof v);
		v.no = xstrdup(einput_ident(&r, x[0]));
		v.entity = xstrdup(einput_ident(&r, x[1]));
		if (st.have_ent && entities_find(&st.ent, v.entity) < 0)
			einput_bad(&r, x[1], "entity not in entities.tsv:");
		v.merchant = xstrdup(einput_ident(&r, x[2]));
		v.digits = einput_currency(&r, x[3]);
		memcpy(v.currency, r.field[x[3]], 4);
		v.type = schema_type_of(r.field[x[5]], r.flen[x[5]]);
		if (v.type < 0)
			einput_bad(&r, x[5], "not a line type:");
		v.lines = einput_count(&r, x[6]);
		v.amount = einput_money(&r, x[7], v.digits);
		if (kind >= 0 && strcmp(r.field[kind], "credit_note") == 0)
			v.credit = 1;
		else if (kind >= 0 && strcmp(r.field[kind], "invoice") != 0)
			einput_bad(&r, kind, "not a kind of document (invoice or credit_note):");
		if (v.credit && (corrects < 0 || !r.flen[corrects]))
			einput_bad(&r, corrects >= 0 ? corrects : x[0],
				   "a credit note must name the invoice it corrects (corrects):");
		if (!v.credit && corrects >= 0 && r.flen[corrects])
			einput_bad(&r, corrects,
				   "only a credit note corrects an invoice (kind credit_note):");
		v.corrects = xstrdup(v.credit ? einput_ident(&r, corrects) : "");
		v.payout_no =
			xstrdup(payout >= 0 && r.flen[payout] ? einput_ident(&r, payout) : "");
		v.status = xstrdup(_opt(&r, status));
		v.corrected = -1;
		code = schema_type_code(v.type);
		n = schema_doc_key(key, v.entity, strlen(v.entity), v.merchant, strlen(v.merchant),
				   v.currency, 3, code, strlen(code), v.corrects,
				   strlen(v.corrects));
		_intern(&st.keys, key, n, &isnew);
		if (!isnew)
			einput_bad(&r, x[0],
				   v.credit ? "a second credit note of the period for the same "
					      "invoice:"
					    : "a second invoice for the same entity, merchant, "
					      "currency and type:");
		st.inv = xgrow(st.inv, &cap, st.ninv + 1, sizeof *st.inv);
		st.inv[st.ninv++] = v;
	}
	tsv_close(&r);
}

/* The columns read of payout-items.tsv. */
static const char *const item_cols[] = {"payout_no", "invoice_no", "type", "period", "amount"};

/* Item amounts are parsed when the payout row gives the currency. */
static char **item_amount;
static size_t nitem_amount, capitem_amount;

/* --merchant: the merchant's payout numbers, so that only their items
 * are kept (payout-items.tsv does not name the merchant). */
static void
_mine(const char *merchant, const char *path)
{
	static const char *const cols[] = {"payout_no", "merchant_id"};
	tsv_reader r;
	int x[2], isnew;

	einput_open(&r, path);
	einput_require(&r, cols, x, 2);
	while (einput_next(&r))
		if (strcmp(r.field[x[1]], merchant) == 0)
			_intern(&st.mine, r.field[x[0]], r.flen[x[0]], &isnew);
	tsv_close(&r);
	st.have_mine = 1;
}

void
load_items(const struct options *o, const char *path, const char *payouts)
{
	tsv_reader r;
	int x[5], isnew;
	size_t cap = 0;

	if (o->merchant)
		_mine(o->merchant, payouts);
	einput_open(&r, path);
	einput_require(&r, item_cols, x, 5);
	while (einput_next(&r)) {
		long id;
		struct payout *p;
		struct item it;
		docno d;

		if (st.have_mine && strset_find(&st.mine, r.field[x[0]], r.flen[x[0]]) < 0)
			continue; /* another merchant's payout */
		id = _intern(&st.payout_nos, r.field[x[0]], r.flen[x[0]], &isnew);
		einput_ident(&r, x[0]);
		if (isnew) {
			st.po = xgrow(st.po, &cap, (size_t)id + 1, sizeof *st.po);
			memset(&st.po[id], 0, sizeof st.po[id]);
		}
		p = &st.po[id];
		it.invoice = xstrdup(einput_ident(&r, x[1]));
		it.type = schema_type_of(r.field[x[2]], r.flen[x[2]]);
		if (it.type < 0)
			einput_bad(&r, x[2], "not a line type:");
		it.period = einput_period(&r, x[3]);
		it.credit = docno_parse(r.field[x[1]], r.flen[x[1]], &d) == 0 &&
			    d.kind == DOC_CREDIT_NOTE;
		/* The amount's index, until the currency is known. */
		it.amount = (int64_t)nitem_amount;
		item_amount =
			xgrow(item_amount, &capitem_amount, nitem_amount + 1, sizeof *item_amount);
		item_amount[nitem_amount++] = xstrdup(r.field[x[4]]);
		p->item = xgrow(p->item, &p->cap, p->n + 1, sizeof *p->item);
		p->item[p->n++] = it;
	}
	tsv_close(&r);
}

/* The payouts that have items (created in the run), in payouts.tsv's
 * order, with their items' amounts in their currency. */
void
load_payouts(const char *path)
{
	tsv_reader r;
	int x[PO_NCOLS], paid_on;
	size_t cap = 0, i;
	int64_t sum;

	einput_open(&r, path);
	einput_require(&r, schema_payout_cols, x, PO_NCOLS);
	paid_on = tsv_column(&r, "paid_on");
	while (einput_next(&r)) {
		long id = strset_find(&st.payout_nos, r.field[x[PO_NO]], r.flen[x[PO_NO]]);
		struct payout *p;

		einput_ident(&r, x[PO_NO]);
		einput_ident(&r, x[PO_ENTITY]);
		einput_ident(&r, x[PO_MERCHANT]);
		if (id < 0)
			continue; /* an earlier payout marked paid in this run */
		p = &st.po[id];
		if (p->listed)
			einput_bad(&r, x[PO_NO], "payout listed twice:");
		p->listed = 1;
		p->no = xstrdup(r.field[x[PO_NO]]);
		p->entity = xstrdup(r.field[x[PO_ENTITY]]);
		p->merchant = xstrdup(r.field[x[PO_MERCHANT]]);
		p->digits = einput_currency(&r, x[PO_CURRENCY]);
		memcpy(p->currency, r.field[x[PO_CURRENCY]], 4);
		p->date = einput_time(&r, x[PO_DATE]);
		p->amount = einput_money(&r, x[PO_AMOUNT], p->digits);
		p->status = xstrdup(r.field[x[PO_STATUS]]);
		p->hold = xstrdup(r.field[x[PO_HOLD]]);
		p->paid_on = paid_on >= 0 && r.flen[paid_on] ? einput_time(&r, paid_on) : -1;
		for (i = 0, sum = 0; i < p->n; i++) {
			const char *txt = item_amount[p->item[i].amount];

			if (money_parse(txt, strlen(txt), p->digits, &p->item[i].amount) !=
			    MONEY_OK)
				msg_fatal(
					EXIT_DATA, r.name, r.line,
					"payout %s: item amount '%s' of invoice %s is not %s money",
					p->no, txt, p->item[i].invoice, p->currency);
			if (money_add(sum, p->item[i].amount, &sum) != MONEY_OK)
				msg_fatal(EXIT_DATA, r.name, r.line,
					  "payout %s: its items' total is out of range", p->no);
		}
		if (sum != p->amount)
			einput_bad(&r, x[PO_AMOUNT],
				   "the payout's items (payout-items.tsv) do not add up to its "
				   "amount:");
		st.order = xgrow(st.order, &cap, st.norder + 1, sizeof *st.order);
		st.order[st.norder++] = id;
	}
	tsv_close(&r);
	for (i = 0; i < nitem_amount; i++)
		free(item_amount[i]);
	free(item_amount);
	item_amount = NULL;
	nitem_amount = capitem_amount = 0;
	for (i = 0; i < strset_count(&st.payout_nos); i++)
		if (!st.po[i].listed) {
			size_t n;
			const char *no = strset_key(&st.payout_nos, (long)i, &n);

			msg_fatal(EXIT_DATA, path, 0,
				  "payout %.*s has items but no row: give the payouts.tsv of the "
				  "same run",
				  (int)n, no);
		}
}

/* The invoices the period's credit notes correct: their issue date and
 * period, from --corrected, which may be the register of every invoice
 * ever issued: only the rows of corrected invoices are kept. */
void
load_corrected(const struct options *o)
{
	static const char *const cols[] = {"invoice_no", "issued_on", "period"};
	tsv_reader r;
	int x[3], isnew;
	size_t i, cap = 0;

	for (i = 0; i < st.ninv; i++) {
		struct invoice *v = &st.inv[i];
		long id;

		if (!v->credit)
			continue;
		id = _intern(&st.corrected_nos, v->corrects, strlen(v->corrects), &isnew);
		st.corr = xgrow(st.corr, &cap, (size_t)id + 1, sizeof *st.corr);
		memset(&st.corr[id], 0, sizeof st.corr[id]);
		st.corr[id].credit = (long)i;
		v->corrected = id;
	}
	if (strset_count(&st.corrected_nos) == 0)
		return;
	if (!o->corrected)
		msg_fatal(EXIT_DATA, NULL, 0,
			  "credit note %s corrects invoice %s: give --corrected FILE (invoice_no, "
			  "issued_on, period) for the issue date and period it must show",
			  st.inv[st.corr[0].credit].no, st.inv[st.corr[0].credit].corrects);
	einput_open(&r, o->corrected);
	einput_require(&r, cols, x, 3);
	while (einput_next(&r)) {
		long id = strset_find(&st.corrected_nos, r.field[x[0]], r.flen[x[0]]);
		struct corrected *c;

		if (id < 0)
			continue;
		c = &st.corr[id];
		if (c->found)
			einput_bad(&r, x[0], "invoice listed twice:");
		c->found = 1;
		c->issued_on = einput_time(&r, x[1]);
		c->period = einput_period(&r, x[2]);
	}
	tsv_close(&r);
	for (i = 0; i < strset_count(&st.corrected_nos); i++)
		if (!st.corr[i].found)
			msg_fatal(EXIT_DATA, o->corrected, 0,
				  "credit note %s corrects invoice %s, which is not in this file: "
				  "give the register of the invoices issued",
				  st.inv[st.corr[i].credit].no, st.inv[st.corr[i].credit].corrects);
}

/* --reasons: the reason of every credit-note line of the period (entity,
 * merchant_id, currency, type, corrects, adjustment_id, reason), sorted
 * as the lines are: read in step with them (invoice.c), so that memory
 * does not grow with the adjustments. */
void
load_reasons(const struct options *o)
{
	static const char *const cols[] = {"entity",   "merchant_id",	"currency", "type",
					   "corrects", "adjustment_id", "reason"};

	if (!o->reasons)
		return;
	st.have_reasons = 1;
	einput_open(&st.reasons, o->reasons);
	einput_require(&st.reasons, cols, st.rx, 7);
}

/* One warning per entity of the period's documents without issuers.tsv
 * row; with shards, shard 0 warns for all of them (every shard loads all
 * invoices and payouts), so that a run warns once. */
void
load_warn_issuers(const struct options *o)
{
	strset seen;
	size_t i;
	int isnew;

	if (o->shard != 0)
		return;
	memset(&seen, 0, sizeof seen);
	for (i = 0; i < st.ninv + st.norder; i++) {
		const char *e =
			i < st.ninv ? st.inv[i].entity : st.po[st.order[i - st.ninv]].entity;

		_intern(&seen, e, strlen(e), &isnew);
		if (!isnew || issuers_find(&st.is, e))
			continue;
		if (o->issuers)
			msg_warn(o->issuers, 0,
				 "warning: no row for entity '%s': its documents show its code "
				 "instead of its legal name, address, VAT ID and registration; add "
				 "its row",
				 e);
		else
			msg_warn(
				NULL, 0,
				"warning: no issuers.tsv (--issuers): the documents of entity '%s' "
				"show its code instead of its legal name, address, VAT ID and "
				"registration",
				e);
	}
	strset_free(&seen);
}

void
load_free(void)
{
	size_t i, k;

	for (i = 0; i < st.ninv; i++) {
		struct invoice *v = &st.inv[i];

		free(v->no), free(v->entity), free(v->merchant), free(v->corrects);
		free(v->payout_no), free(v->status);
	}
	free(st.inv);
	for (i = 0; i < strset_count(&st.payout_nos); i++) {
		struct payout *p = &st.po[i];

		for (k = 0; k < p->n; k++)
			free(p->item[k].invoice);
		free(p->item);
		free(p->no), free(p->entity), free(p->merchant), free(p->status), free(p->hold);
	}
	free(st.po);
	free(st.order);
	free(st.corr);
	if (st.have_reasons)
		tsv_close(&st.reasons);
	strset_free(&st.keys);
	strset_free(&st.payout_nos);
	strset_free(&st.corrected_nos);
	strset_free(&st.mine);
}
