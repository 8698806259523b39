/* build-invoices: numbering and writing the invoices, the held report. */
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

			if (!s)
				continue;
			for (t = 0; t < TYPE_NTYPES; t++) {
				long id;

				for (id = s[e[ei] * TYPE_NTYPES + t]; id >= 0; id = c->inv[id].next)
					order[n++] = id;
			}
			if (n - first > 1)
				qsort(order + first, n - first, sizeof *order, _cmp_invoice);
		}
	free(m);
	free(e);
	return order;
}

/* Number the invoices and write them in number order. */
void
issue_invoices(struct ctx *c, counters *cs)
{
	long *order = _order(c);
	int64_t issued = period_issue_date(c->opt->period);
	int year = period_year_of(issued);
	char date[FMT_DATE_MAX], pid[FMT_PERIOD_MAX];
	size_t i;
	out o;

	fmt_date(date, issued, '\t');
	fmt_period(pid, c->opt->period, '\t');
	out_init(&o, 1);
	eout_puts(&o, SCHEMA_INVOICE_HEADER);
	for (i = 0; i < c->ninv; i++) {
		struct invoice *v = &c->inv[order[i]];
		const char *mid = c->ms.m[v->merchant].id, *ent = c->ent.name[v->entity];
		char no[DOCNO_MAX], *p, *start;
		size_t nn;

		v->number = ecounters_next(cs, ent, year);
		nn = docno_format(no, DOC_INVOICE, c->ent.prefix[v->entity], year, v->number);
		if (nn == 0)
			msg_fatal(EXIT_DATA, NULL, 0, "invoice number of %s out of range", ent);
		p = start = eout_room(&o, nn + c->ent.len[v->entity] + strlen(mid) + 4 +
						  FMT_PERIOD_MAX + 8 + FMT_DATE_MAX + FMT_LONG_MAX +
						  FMT_MONEY_MAX + 16);
		p = fmt_field(p, no, nn, '\t');
		p = fmt_field(p, ent, c->ent.len[v->entity], '\t');
		p = fmt_str(p, mid, '\t');
		p = fmt_field(p, v->currency, 3, '\t');
		memcpy(p, pid, FMT_PERIOD_MAX); /* with its tab */
		p += FMT_PERIOD_MAX;
		p = fmt_str(p, schema_type_code(v->type), '\t');
		memcpy(p, date, FMT_DATE_MAX);
		p += FMT_DATE_MAX;
		p = fmt_long(p, v->lines, '\t');
		p = fmt_money(p, v->amount, v->digits, '\t');
		memcpy(p, "created\t\n", 9); /* status; no payout yet */
		p += 9;
		out_commit(&o, (size_t)(p - start));
	}
	eout_close(&o, "<stdout>");
	free(order);
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
