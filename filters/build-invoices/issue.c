/* build-invoices: numbering and writing the invoices, the held report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "fmt.h"
#include "msg.h"
#include "period.h"
#include "rules/docno.h"

/* The run being sorted (qsort has no context argument). */
static const struct ctx *sort_ctx;
static long type_rank[TYPE_NTYPES];

/* A merchant's invoices of one entity: currency, then type, in byte order. */
static int
_cmp_invoice(const void *a, const void *b)
{
	const struct invoice *x = &sort_ctx->inv[*(const long *)a];
	const struct invoice *y = &sort_ctx->inv[*(const long *)b];
	int k = memcmp(x->currency, y->currency, 3);

	return k ? k
		 : (type_rank[x->type] > type_rank[y->type]) -
			       (type_rank[x->type] < type_rank[y->type]);
}

/* A merchant's invoices of one entity in order: mostly a few (a
 * currency's types), by insertion, else by qsort; their keys differ, so
 * either gives this order. */
static void
_sort_few(long *a, size_t n)
{
	size_t i, j;

	if (n > 16) {
		qsort(a, n, sizeof *a, _cmp_invoice);
		return;
	}
	for (i = 1; i < n; i++) {
		long v = a[i];

		for (j = i; j > 0 && _cmp_invoice(&a[j - 1], &v) > 0; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

/* Merchant indexes by merchant_id. */
static int
_cmp_merchant(const void *a, const void *b)
{
	return strcmp(sort_ctx->ms.m[*(const long *)a].id, sort_ctx->ms.m[*(const long *)b].id);
}

/* Entity indexes by name. */
static int
_cmp_entity(const void *a, const void *b)
{
	return strcmp(sort_ctx->ent.name[*(const long *)a], sort_ctx->ent.name[*(const long *)b]);
}

/* How far ahead the loops over invoices in an order of their own fetch. */
enum { AHEAD = 16 };

/* The invoices in numbering order: entity name, then merchant_id,
 * currency, type, all in byte order.  Invoices hang off their merchant's
 * slot table, so they are gathered entity by entity, merchant by merchant
 * in merchant_id order, and only each merchant's few are sorted. */
static long *
_order(struct ctx *c)
{
	long *order = xmalloc((c->ninv ? c->ninv : 1) * sizeof *order);
	long *m = xmalloc((c->ms.n ? c->ms.n : 1) * sizeof *m);
	long *e = xmalloc((c->ent.n ? c->ent.n : 1) * sizeof *e);
	size_t i, j, n = 0, ei, mi;
	int t;

	sort_ctx = c;
	for (i = 0; i < TYPE_NTYPES; i++)
		for (j = 0, type_rank[i] = 0; j < TYPE_NTYPES; j++)
			type_rank[i] +=
				strcmp(schema_type_code((int)j), schema_type_code((int)i)) < 0;
	for (i = 0; i < c->ms.n; i++)
		m[i] = (long)i;
	if (c->ms.n > 1)
		qsort(m, c->ms.n, sizeof *m, _cmp_merchant);
	for (i = 0; i < c->ent.n; i++)
		e[i] = (long)i;
	if (c->ent.n > 1)
		qsort(e, c->ent.n, sizeof *e, _cmp_entity);
	for (ei = 0; ei < c->ent.n; ei++)
		for (mi = 0; mi < c->ms.n; mi++) {
			const int32_t *s = c->slots[m[mi]];
			size_t first = n;

			/* The slot tables of the merchants ahead, and their
			 * pointers further ahead: merchant_id order is not the
			 * order they were made in. */
			if (mi + AHEAD < c->ms.n)
				__builtin_prefetch(&c->slots[m[mi + AHEAD]]);
			if (mi + AHEAD / 2 < c->ms.n && c->slots[m[mi + AHEAD / 2]])
				__builtin_prefetch(c->slots[m[mi + AHEAD / 2]] +
						   e[ei] * TYPE_NTYPES);
			if (!s)
				continue;
			for (t = 0; t < TYPE_NTYPES; t++) {
				long id;

				for (id = s[e[ei] * TYPE_NTYPES + t]; id >= 0; id = c->inv[id].next)
					order[n++] = id;
			}
			_sort_few(order + first, n - first);
		}
	free(m);
	free(e);
	return order;
}

/* Credit notes in numbering order: entity name, merchant_id, currency,
 * type, corrected invoice number (SPEC 12). */
static int
_cmp_credit(const void *a, const void *b)
{
	const struct credit *x = &sort_ctx->cn[*(const long *)a];
	const struct credit *y = &sort_ctx->cn[*(const long *)b];
	int k = strcmp(sort_ctx->ent.name[x->entity], sort_ctx->ent.name[y->entity]);
	size_t nx, ny;
	const char *cx, *cy;

	if (k == 0)
		k = strcmp(sort_ctx->ms.m[x->merchant].id, sort_ctx->ms.m[y->merchant].id);
	if (k == 0)
		k = memcmp(x->currency, y->currency, 3);
	if (k == 0)
		k = (type_rank[x->type] > type_rank[y->type]) -
		    (type_rank[x->type] < type_rank[y->type]);
	if (k)
		return k;
	cx = strset_key(&sort_ctx->targets, x->target, &nx);
	cy = strset_key(&sort_ctx->targets, y->target, &ny);
	k = memcmp(cx, cy, nx < ny ? nx : ny);
	return k ? k : (nx > ny) - (nx < ny);
}

/* One row of invoices.tsv: a document's number and key, its lines and
 * amount, `created` without a payout, its kind and what it corrects. */
static void
_row(out *o, const char *no, size_t nn, const char *ent, size_t en, const char *mid,
     const char *currency, const char *pid, int type, const char *date, long lines, int64_t amount,
     int digits, int kind, const char *corrects, size_t cn)
{
	char *p, *start;

	p = start = eout_room(o, nn + en + strlen(mid) + 4 + FMT_PERIOD_MAX + 8 + FMT_DATE_MAX +
					 FMT_LONG_MAX + FMT_MONEY_MAX + 32 + cn);
	p = fmt_field(p, no, nn, '\t');
	p = fmt_field(p, ent, en, '\t');
	p = fmt_str(p, mid, '\t');
	p = fmt_field(p, currency, 3, '\t');
	memcpy(p, pid, FMT_PERIOD_MAX); /* with its tab */
	p += FMT_PERIOD_MAX;
	p = fmt_str(p, schema_type_code(type), '\t');
	memcpy(p, date, FMT_DATE_MAX);
	p += FMT_DATE_MAX;
	p = fmt_long(p, lines, '\t');
	p = fmt_money(p, amount, digits, '\t');
	memcpy(p, "created\t\t", 9); /* status; no payout yet */
	p += 9;
	p = fmt_str(p, schema_kind_name(kind), '\t');
	p = fmt_field(p, corrects, cn, '\n');
	out_commit(o, (size_t)(p - start));
}

/* A register entry of a document of the run. */
static void
_register_add(docreg_writer *w, const char *no, size_t n, long user)
{
	if (docreg_writer_add(w, no, n, user) != DOCREG_OK)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
}

/* The run's segment of the register: its invoices (user index i) and
 * credit notes (user index ninv + i) sorted by number, then the index. */
static void
_register(struct ctx *c, docreg_writer *w, int64_t issued)
{
	char *dir = xjoin(c->opt->state_out, "register"), name[PERIOD_ID_LEN + 5], *path;
	const char *ent = NULL, *mid = NULL;
	size_t i;
	int rc;
	docreg_doc d;
	out o;

	period_format(c->opt->period, name);
	strcat(name, ".tsv");
	if ((rc = docreg_writer_sort(w)) != DOCREG_OK)
		msg_fatal(EXIT_DATA, NULL, 0, "register: %s", docreg_strerror(rc));
	/* Before anything is written: the carried segments are hard links to
	 * the state read, and this period's name among them would be that
	 * state's own file, truncated by the writing. */
	if (strset_find(&c->reg.segments, name, strlen(name)) >= 0)
		msg_fatal(EXIT_USAGE, dir, 0,
			  "%s: the state read has this period's segment already (not the "
			  "previous period's state?)",
			  name);
	if (w->n) {
		path = xjoin(dir, name);
		eout_open(&o, path);
		eout_puts(&o, SCHEMA_REGISTER_HEADER);
		/* The rows go by number, so entity by entity and mostly
		 * merchant by merchant: those two are copied when they change. */
		memset(&d, 0, sizeof d);
		d.period = c->opt->period;
		d.issued = issued;
		for (i = 0; i < w->n; i++) {
			long u = w->user[i];
			int entity;
			long mi;

			if (i + AHEAD < w->n && (size_t)w->user[i + AHEAD] < c->ninv)
				invoice_prefetch(&c->inv[w->user[i + AHEAD]]);

			fmt_copy(d.no, sizeof d.no, w->arena + w->off[i]);
			if ((size_t)u < c->ninv) {
				const struct invoice *v = &c->inv[u];

				entity = v->entity, mi = v->merchant;
				memcpy(d.currency, v->currency, 3);
				d.type = v->type;
				d.kind = DOC_INVOICE;
			} else {
				const struct credit *v = &c->cn[(size_t)u - c->ninv];

				entity = v->entity, mi = v->merchant;
				memcpy(d.currency, v->currency, 3);
				d.type = v->type;
				d.kind = DOC_CREDIT_NOTE;
			}
			if (c->ent.name[entity] != ent)
				fmt_copy(d.entity, sizeof d.entity, ent = c->ent.name[entity]);
			if (c->ms.m[mi].id != mid)
				fmt_copy(d.merchant, sizeof d.merchant, mid = c->ms.m[mi].id);
			if (docreg_write_row(&o, &d) < 0)
				msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		}
		eout_close(&o, path);
		free(path);
	}
	if ((rc = docreg_write_index(&c->reg, w, name, dir)) != DOCREG_OK)
		msg_fatal(rc == DOCREG_EDUP ? EXIT_USAGE : EXIT_DATA, dir, 0, "index.tsv: %s%s",
			  docreg_strerror(rc),
			  rc == DOCREG_EDUP ? " (the state read has this period's segment)" : "");
	free(dir);
}

/* The register rows of the invoices the run's credit notes correct, in
 * the credit notes' order (--corrected, for the workbooks). */
static void
_corrected(struct ctx *c, const long *order)
{
	out o;
	size_t i;

	eout_open(&o, c->opt->corrected);
	eout_puts(&o, SCHEMA_REGISTER_HEADER);
	for (i = 0; i < c->ncn; i++) {
		const struct target *t = &c->tg[c->cn[order[i]].target];

		if (docreg_write_row(&o, &t->doc) < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	}
	eout_close(&o, c->opt->corrected);
}

/* Number the invoices, then the credit notes, and write them in number
 * order; then the register's segment. */
void
issue_invoices(struct ctx *c, counters *cs, counters *ccs)
{
	long *order = _order(c), *corder = xmalloc((c->ncn ? c->ncn : 1) * sizeof *corder);
	int64_t issued = period_issue_date(c->opt->period);
	int year = period_year_of(issued);
	char date[FMT_DATE_MAX], pid[FMT_PERIOD_MAX];
	size_t i;
	docreg_writer w;
	out o;

	memset(&w, 0, sizeof w);
	fmt_date(date, issued, '\t');
	fmt_period(pid, c->opt->period, '\t');
	out_init(&o, 1);
	eout_puts(&o, SCHEMA_INVOICE_HEADER);
	for (i = 0; i < c->ninv; i++) {
		struct invoice *v = &c->inv[order[i]];
		const char *mid = c->ms.m[v->merchant].id, *ent = c->ent.name[v->entity];
		char no[DOCNO_MAX];
		size_t nn;

		if (i + AHEAD < c->ninv)
			invoice_prefetch(&c->inv[order[i + AHEAD]]);

		v->number = ecounters_next(cs, ent, year);
		nn = docno_format(no, DOC_INVOICE, c->ent.prefix[v->entity], year, v->number);
		if (nn == 0)
			msg_fatal(EXIT_DATA, NULL, 0, "invoice number of %s out of range", ent);
		_row(&o, no, nn, ent, c->ent.len[v->entity], mid, v->currency, pid, v->type, date,
		     v->lines, v->amount, v->digits, DOC_INVOICE, "", 0);
		_register_add(&w, no, nn, order[i]);
	}
	for (i = 0; i < c->ncn; i++)
		corder[i] = (long)i;
	if (c->ncn > 1)
		qsort(corder, c->ncn, sizeof *corder, _cmp_credit);
	for (i = 0; i < c->ncn; i++) {
		struct credit *v = &c->cn[corder[i]];
		const struct target *t;
		const char *mid = c->ms.m[v->merchant].id, *ent = c->ent.name[v->entity];
		size_t nn, cn;
		const char *corrects = strset_key(&c->targets, v->target, &cn);
		char no[DOCNO_MAX];

		/* A held line released now was checked against the register
		 * when it came: its invoice is looked up again for the document. */
		t = &c->tg[adjust_target(c, corrects, cn)];
		if (!t->found || t->doc.kind != DOC_INVOICE || strcmp(t->doc.entity, ent) != 0 ||
		    strcmp(t->doc.merchant, mid) != 0 ||
		    memcmp(t->doc.currency, v->currency, 3) != 0 || t->doc.type != v->type)
			msg_fatal(EXIT_USAGE, NULL, 0,
				  "credit note of %.*s: the register does not hold that invoice of "
				  "%s, %s, %.3s, %s (held lines or register changed?); restore the "
				  "state, or run the periods again from the last good one",
				  (int)cn, corrects, ent, mid, v->currency,
				  schema_type_code(v->type));
		v->number = ecounters_next(ccs, ent, year);
		nn = docno_format(no, DOC_CREDIT_NOTE, c->ent.prefix[v->entity], year, v->number);
		if (nn == 0)
			msg_fatal(EXIT_DATA, NULL, 0, "credit note number of %s out of range", ent);
		_row(&o, no, nn, ent, c->ent.len[v->entity], mid, v->currency, pid, v->type, date,
		     v->lines, v->amount, v->digits, DOC_CREDIT_NOTE, corrects, cn);
		_register_add(&w, no, nn, (long)c->ninv + corder[i]);
	}
	eout_close(&o, "<stdout>");
	_register(c, &w, issued);
	if (c->opt->corrected)
		_corrected(c, corder);
	docreg_writer_free(&w);
	free(order);
	free(corder);
}

/* Held merchants by id. */
static int
_cmp_held(const void *a, const void *b)
{
	return strcmp(((const struct held *)a)->merchant, ((const struct held *)b)->merchant);
}

/* One stderr line per held merchant: who, why, what is missing, how many. */
void
issue_report_held(struct ctx *c)
{
	size_t i, n = strset_count(&c->held_ids);
	char missing[64];

	if (n > 1)
		qsort(c->held, n, sizeof *c->held, _cmp_held);
	for (i = 0; i < n; i++) {
		const struct held *h = &c->held[i];

		if (h->missing) {
			merchants_missing_names(h->missing, missing, sizeof missing);
			msg_warn(NULL, 0,
				 "merchant '%s' held: incomplete record (missing %s): %ld %s held",
				 h->merchant, missing, h->lines, h->lines == 1 ? "line" : "lines");
		} else {
			msg_warn(NULL, 0,
				 "merchant '%s' held: %s (not in merchants.tsv): %ld %s held",
				 h->merchant, h->reason, h->lines,
				 h->lines == 1 ? "line" : "lines");
		}
	}
}
