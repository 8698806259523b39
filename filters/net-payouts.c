/* net-payouts: net the invoices that are due into payouts (SPEC 8).
 *
 * On payout date D (the run's issue date): confirmations of earlier payouts
 * are applied first; then, per (merchant, entity, currency), the unpaid
 * invoices without a payout that are due (period's last day + the
 * merchant's payout_delay_days < D) are netted, positive and negative, and
 * paid out when the net reaches max(marketplace minimum, merchant minimum).
 * Payouts of frozen merchants or merchants without valid payout details are
 * made but held.  Writes the invoices that are new or changed, the payouts
 * that are new or changed, each new payout's items, every open balance with
 * the reason nothing was paid, and the state for the next run.  Memory holds
 * the open invoices and payouts. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "out.h"
#include "period.h"
#include "reject.h"
#include "schema.h"
#include "state.h"
#include "strset.h"
#include "totals.h"

struct options {
	int64_t date;
	int period; /* the run's period: the one issued on date */
	const char *merchants, *payout, *state_in, *state_out, *confirmations;
	const char *payouts, *items, *balances, *rejects, *totals, *input;
};

static const char usage[] =
	"Usage: net-payouts --date D --merchants merchants.tsv [--payout payout.tsv]\n"
	"                   --state-in DIR|none --state-out DIR [--confirmations FILE]\n"
	"                   [--payouts FILE] [--items FILE] [--balances FILE]\n"
	"                   [--rejects FILE] [INVOICES]\n"
	"\n"
	"Net the invoices that are due into payouts.  Reads the open invoices and\n"
	"payouts of the previous state, this run's invoices (INVOICES or stdin, from\n"
	"build-invoices), then the confirmations, which apply before the netting;\n"
	"writes on stdout this run's invoices and the earlier ones whose payout_no\n"
	"or status changed.\n"
	"\n"
	"  --date D              the payout date: the run's issue date (YYYY-MM-01 or -16)\n"
	"  --merchants FILE      merchants.tsv (delays, minimums, frozen, payout_ok)\n"
	"  --payout FILE         payout.tsv: the marketplace minimum per currency\n"
	"  --state-in DIR        the previous period's state, or 'none'\n"
	"  --state-out DIR       where to write this run's state\n"
	"  --confirmations FILE  payouts-paid rows from normalize-orders\n"
	"  --payouts FILE        write the payouts created or marked paid in the run\n"
	"  --items FILE          write each new payout's invoices\n"
	"  --balances FILE       write every open balance and why nothing was paid\n"
	"  --rejects FILE        write rejected confirmations (unknown_payout)\n"
	"  --totals FILE         write per entity and currency: open invoices in,\n"
	"                        invoiced, paid out, open invoices out\n"
	"  --help                show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error, 2 usage error or a state that\n"
	"is not the previous period's.\n"
	"\n"
	"Example:\n"
	"  net-payouts --date 2024-04-01 --merchants config/merchants.tsv \\\n"
	"      --payout config/payout.tsv --state-in out/2024-03-1/state --state-out st \\\n"
	"      --payouts payouts.tsv --items payout-items.tsv --balances balances.tsv \\\n"
	"      < invoices-new.tsv > invoices.tsv\n";

/* Options; the date must be an issue date. */
static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"date", required_argument, NULL, 'd'},
		{"merchants", required_argument, NULL, 'm'},
		{"payout", required_argument, NULL, 'P'},
		{"state-in", required_argument, NULL, 'i'},
		{"state-out", required_argument, NULL, 'o'},
		{"confirmations", required_argument, NULL, 'c'},
		{"payouts", required_argument, NULL, 'p'},
		{"items", required_argument, NULL, 't'},
		{"balances", required_argument, NULL, 'b'},
		{"rejects", required_argument, NULL, 'r'},
		{"totals", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, have_date = 0;

	memset(o, 0, sizeof *o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (period_parse_date(optarg, strlen(optarg), &o->date) < 0)
				msg_usage("--date: not a date (YYYY-MM-DD): '%s'", optarg);
			o->period = period_of(o->date) - 1;
			if (period_issue_date(o->period) != o->date)
				msg_usage("--date: '%s' is not a payout date (the 1st or the 16th)",
					  optarg);
			have_date = 1;
			break;
		case 'm': o->merchants = optarg; break;
		case 'P': o->payout = optarg; break;
		case 'i': o->state_in = optarg; break;
		case 'o': o->state_out = optarg; break;
		case 'c': o->confirmations = optarg; break;
		case 'p': o->payouts = optarg; break;
		case 't': o->items = optarg; break;
		case 'b': o->balances = optarg; break;
		case 'r': o->rejects = optarg; break;
		case 'T': o->totals = optarg; break;
		case 'h': fputs(usage, stdout); exit(EXIT_OK);
		default: msg_bad_option(c, argv);
		}
	}
	if (!have_date)
		msg_usage("--date is required");
	if (!o->merchants)
		msg_usage("--merchants is required");
	if (!o->state_in || !o->state_out)
		msg_usage("--state-in (a directory or 'none') and --state-out are required");
	state_check_dirs(o->state_in, o->state_out);
	if (argc - optind > 1)
		msg_usage("one input at most");
	o->input = optind < argc ? argv[optind] : "-";
}

/* An invoice open at the start of the run, or issued in it.  Its number
 * is key i of st.invoice_nos (invoice i was added to the set as id i). */
struct inv {
	long entity, merchant, currency; /* ids in the name sets */
	int period, type;
	long lines;
	int64_t amount;
	int paid;
	long payout; /* index into po[], or -1 */
	long pnext;  /* next invoice of the same payout */
	unsigned char fresh, changed;
};

/* A payout open at the start of the run, or created in it. */
struct po {
	char *no;
	long entity, merchant, currency;
	int64_t date, amount, paid_on;
	long invoices;
	int paid;
	const char *hold; /* "", "frozen" or "payout_details" */
	long first;	  /* its first invoice */
	unsigned char fresh, changed;
};

/* Everything of one (entity, merchant, currency).  A merchant's groups
 * are linked from mfirst[merchant] through mnext: a handful each. */
struct group {
	long entity, merchant, currency;
	long mnext;
	long first; /* invoices without a payout, linked by gnext */
	int64_t due, pending, threshold, next_due, unpaid_amount;
	long ndue, npending, nunpaid;
	int fresh_payout; /* a payout that is not held was made in this run */
	const char *reason;
};

static struct {
	strset entities, merchants, currencies; /* names -> ids */
	strset invoice_nos, payout_nos;		/* numbers -> indexes */
	struct inv *inv;
	long *gnext;
	size_t ninv, capinv;
	struct po *po;
	size_t npo, cappo;
	long *mfirst;
	size_t capm;
	struct group *grp;
	size_t ngrp, capgrp;
	merchants ms;
	strset min_currencies; /* payout.tsv */
	int64_t *min_amount;
	counters counters;
} st;

/* Id of a name in a set. */
static long
_intern(strset *s, const char *name, size_t n)
{
	int isnew;
	long id = strset_add(s, name, n, &isnew);

	if (id < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	return id;
}

/* The name of an id. */
static const char *
_name(const strset *s, long id, size_t *n)
{
	return strset_key(s, id, n);
}

/* A name as a NUL-terminated string in a small rotating buffer. */
static const char *
_str(const strset *s, long id)
{
	static char buf[4][STRSET_KEY_MAX + 1];
	static int k;
	size_t n;
	const char *p = _name(s, id, &n);
	char *b = buf[k++ % 4];

	memcpy(b, p, n);
	b[n] = '\0';
	return b;
}

/* The group of an (entity, merchant, currency), made when new. */
static struct group *
_group(long entity, long merchant, long currency)
{
	long g;

	if ((size_t)merchant >= st.capm) {
		size_t cap = st.capm ? st.capm : 1024;

		while (cap <= (size_t)merchant)
			cap *= 2;
		st.mfirst = xrealloc(st.mfirst, cap * sizeof *st.mfirst);
		memset(st.mfirst + st.capm, 0xff, (cap - st.capm) * sizeof *st.mfirst);
		st.capm = cap;
	}
	for (g = st.mfirst[merchant]; g >= 0; g = st.grp[g].mnext)
		if (st.grp[g].entity == entity && st.grp[g].currency == currency)
			return &st.grp[g];
	if (st.ngrp == st.capgrp) {
		st.capgrp = st.capgrp ? st.capgrp * 2 : 1024;
		st.grp = xrealloc(st.grp, st.capgrp * sizeof *st.grp);
	}
	g = (long)st.ngrp++;
	memset(&st.grp[g], 0, sizeof st.grp[g]);
	st.grp[g].entity = entity;
	st.grp[g].merchant = merchant;
	st.grp[g].currency = currency;
	st.grp[g].first = -1;
	st.grp[g].mnext = st.mfirst[merchant];
	st.mfirst[merchant] = g;
	return &st.grp[g];
}

/* Invoice i's number (not NUL-terminated) and its length. */
static const char *
_inv_no(long i, size_t *n)
{
	return strset_key(&st.invoice_nos, i, n);
}

/* Compare invoice numbers i and j in byte order. */
static int
_cmp_nos(long i, long j)
{
	size_t ni, nj;
	const char *a = _inv_no(i, &ni), *b = _inv_no(j, &nj);
	int k = memcmp(a, b, ni < nj ? ni : nj);

	return k ? k : (ni > nj) - (ni < nj);
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
	I_N
};
static const char *const inv_cols[I_N] = {
	"invoice_no", "entity", "merchant_id", "currency", "period",	"type",
	"issued_on",  "lines",	"amount",      "status",   "payout_no",
};

/* Read invoices; `fresh` ones are this run's (period P, created, no
 * payout), the others open invoices of the state. */
static void
_load_invoices(const char *path, int fresh, int period)
{
	tsv_reader r;
	int x[I_N];

	input_open(&r, path);
	input_require(&r, inv_cols, x, I_N);
	while (input_next(&r)) {
		struct inv v;
		int isnew, digits;
		long id;

		memset(&v, 0, sizeof v);
		input_ident(&r, x[I_NO]);
		id = strset_add(&st.invoice_nos, r.field[x[I_NO]], r.flen[x[I_NO]], &isnew);
		if (id < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		if (!isnew)
			input_bad(&r, x[I_NO], "invoice listed twice:");
		v.entity = _intern(&st.entities, input_ident(&r, x[I_ENTITY]), r.flen[x[I_ENTITY]]);
		v.merchant = _intern(&st.merchants, input_ident(&r, x[I_MERCHANT]),
				     r.flen[x[I_MERCHANT]]);
		digits = input_currency(&r, x[I_CURRENCY]);
		(void)digits;
		v.currency = _intern(&st.currencies, r.field[x[I_CURRENCY]], r.flen[x[I_CURRENCY]]);
		v.period = input_period(&r, x[I_PERIOD]);
		v.type = schema_type_of(r.field[x[I_TYPE]], r.flen[x[I_TYPE]]);
		if (v.type < 0)
			input_bad(&r, x[I_TYPE], "not a line type:");
		v.lines = input_count(&r, x[I_LINES]);
		v.amount = input_money(&r, x[I_AMOUNT],
				       money_currency_digits(r.field[x[I_CURRENCY]], 3));
		v.payout = -1;
		v.pnext = -1;
		if (strcmp(r.field[x[I_STATUS]], "created") != 0)
			input_bad(&r, x[I_STATUS],
				  fresh ? "a new invoice must be 'created':"
					: "an open invoice must be 'created':");
		if (fresh) {
			if (v.period != period)
				input_bad(&r, x[I_PERIOD], "an invoice of another period:");
			if (r.flen[x[I_PAYOUT]])
				input_bad(&r, x[I_PAYOUT], "a new invoice has no payout yet:");
			v.fresh = 1;
		} else if (r.flen[x[I_PAYOUT]]) {
			long p = strset_find(&st.payout_nos, r.field[x[I_PAYOUT]],
					     r.flen[x[I_PAYOUT]]);

			if (p < 0)
				input_bad(&r, x[I_PAYOUT], "payout not in the state:");
			v.payout = p;
			v.pnext = st.po[p].first;
			st.po[p].first = (long)st.ninv;
		}
		if (st.ninv == st.capinv) {
			st.capinv = st.capinv ? st.capinv * 2 : 1024;
			st.inv = xrealloc(st.inv, st.capinv * sizeof *st.inv);
			st.gnext = xrealloc(st.gnext, st.capinv * sizeof *st.gnext);
		}
		st.gnext[st.ninv] = -1;
		st.inv[st.ninv++] = v;
	}
	tsv_close(&r);
}

/* Add a payout record. */
static long
_add_payout(const struct po *p)
{
	if (st.npo == st.cappo) {
		st.cappo = st.cappo ? st.cappo * 2 : 256;
		st.po = xrealloc(st.po, st.cappo * sizeof *st.po);
	}
	st.po[st.npo] = *p;
	return (long)st.npo++;
}

/* Read the open payouts of the state. */
static void
_load_payouts(const char *path)
{
	tsv_reader r;
	int x[PO_NCOLS];

	input_open(&r, path);
	input_require(&r, schema_payout_cols, x, PO_NCOLS);
	while (input_next(&r)) {
		struct po p;
		int isnew;
		const char *hold = r.field[x[PO_HOLD]];

		memset(&p, 0, sizeof p);
		input_ident(&r, x[PO_NO]);
		if (strset_add(&st.payout_nos, r.field[x[PO_NO]], r.flen[x[PO_NO]], &isnew) < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		if (!isnew)
			input_bad(&r, x[PO_NO], "payout listed twice:");
		p.no = xstrdup(r.field[x[PO_NO]]);
		p.entity =
			_intern(&st.entities, input_ident(&r, x[PO_ENTITY]), r.flen[x[PO_ENTITY]]);
		p.merchant = _intern(&st.merchants, input_ident(&r, x[PO_MERCHANT]),
				     r.flen[x[PO_MERCHANT]]);
		input_currency(&r, x[PO_CURRENCY]);
		p.currency =
			_intern(&st.currencies, r.field[x[PO_CURRENCY]], r.flen[x[PO_CURRENCY]]);
		p.date = input_time(&r, x[PO_DATE]);
		p.invoices = input_count(&r, x[PO_INVOICES]);
		p.amount = input_money(&r, x[PO_AMOUNT],
				       money_currency_digits(r.field[x[PO_CURRENCY]], 3));
		if (strcmp(r.field[x[PO_STATUS]], "created") != 0)
			input_bad(&r, x[PO_STATUS], "an open payout must be 'created':");
		p.hold = strcmp(hold, "frozen") == 0	       ? "frozen"
			 : strcmp(hold, "payout_details") == 0 ? "payout_details"
			 : hold[0] == '\0'		       ? ""
							       : NULL;
		if (!p.hold)
			input_bad(&r, x[PO_HOLD], "not a hold reason:");
		p.first = -1;
		_add_payout(&p);
	}
	tsv_close(&r);
}

/* payout.tsv: the marketplace minimum per currency. */
static void
_load_minimums(const char *path)
{
	static const char *const cols[] = {"currency", "min_payout"};
	tsv_reader r;
	int x[2], isnew;
	size_t cap = 0;

	input_open(&r, path);
	input_require(&r, cols, x, 2);
	while (input_next(&r)) {
		int digits = input_currency(&r, x[0]);
		long id = strset_add(&st.min_currencies, r.field[x[0]], r.flen[x[0]], &isnew);
		int64_t v = input_money(&r, x[1], digits);

		if (id < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		if (!isnew)
			input_bad(&r, x[0], "currency listed twice:");
		if (v < 0)
			input_bad(&r, x[1], "negative minimum:");
		if ((size_t)id >= cap) {
			cap = cap ? cap * 2 : 16;
			st.min_amount = xrealloc(st.min_amount, cap * sizeof *st.min_amount);
		}
		st.min_amount[id] = v;
	}
	tsv_close(&r);
}

enum { C_SOURCE, C_LINE, C_PAYOUT, C_PAID_ON, C_RAW, C_N };
static const char *const conf_cols[C_N] = {"source", "line", "payout_no", "paid_on", "raw"};

/* Apply confirmations: an open payout and its invoices become paid; any
 * other payout_no (unknown, or paid already) is rejected. */
static void
_confirm(const char *path, out *rej)
{
	tsv_reader r;
	int x[C_N];

	input_open(&r, path);
	input_require(&r, conf_cols, x, C_N);
	while (input_next(&r)) {
		long p = strset_find(&st.payout_nos, r.field[x[C_PAYOUT]], r.flen[x[C_PAYOUT]]);
		int64_t on = input_time(&r, x[C_PAID_ON]);
		long i;

		if (p < 0 || st.po[p].paid) {
			long line = input_count(&r, x[C_LINE]);

			if (rej) {
				if (reject_write(rej, r.field[x[C_SOURCE]], line,
						 REJECT_UNKNOWN_PAYOUT, r.field[x[C_RAW]],
						 r.flen[x[C_RAW]]) < 0)
					msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
			} else {
				msg_warn(r.field[x[C_SOURCE]], line,
					 "rejected (unknown_payout): %s", r.field[x[C_RAW]]);
			}
			continue;
		}
		st.po[p].paid = 1;
		st.po[p].paid_on = on;
		st.po[p].changed = 1;
		for (i = st.po[p].first; i >= 0; i = st.inv[i].pnext) {
			st.inv[i].paid = 1;
			st.inv[i].changed = 1;
		}
	}
	tsv_close(&r);
}

/* The entity's prefix, from an invoice number PREFIX-YYYY-NNNNNN. */
static void
_prefix(const char *invoice_no, char *buf, size_t cap)
{
	const char *last = strrchr(invoice_no, '-'), *p;
	size_t n;

	for (p = last ? last - 1 : invoice_no; p > invoice_no && *p != '-'; p--)
		;
	n = last && p > invoice_no ? (size_t)(p - invoice_no) : strlen(invoice_no);
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, invoice_no, n);
	buf[n] = '\0';
}

/* Groups by entity name, merchant_id, currency (byte order). */
static int
_cmp_group(const void *a, const void *b)
{
	const struct group *x = &st.grp[*(const long *)a], *y = &st.grp[*(const long *)b];
	int k = strcmp(_str(&st.entities, x->entity), _str(&st.entities, y->entity));

	if (!k)
		k = strcmp(_str(&st.merchants, x->merchant), _str(&st.merchants, y->merchant));
	if (!k)
		k = strcmp(_str(&st.currencies, x->currency), _str(&st.currencies, y->currency));
	return k;
}

/* The marketplace minimum for a currency (0 when not listed). */
static int64_t
_market_min(long currency)
{
	size_t n;
	const char *name = _name(&st.currencies, currency, &n);
	long id = strset_find(&st.min_currencies, name, n);

	return id < 0 ? 0 : st.min_amount[id];
}

/* Net one group: make its payout when the due net reaches the threshold,
 * then work out its balance. */
static void
_net(struct group *g, const struct options *opt, int year)
{
	size_t n;
	const char *mname = _name(&st.merchants, g->merchant, &n);
	const merchant *m = merchants_find(&st.ms, mname, n);
	int digits = money_currency_digits(_str(&st.currencies, g->currency), 3);
	int64_t due = 0, mmin;
	long i, ndue = 0, first_due = -1;
	int64_t next = INT64_MAX;

	g->threshold = _market_min(g->currency);
	if (m && (mmin = merchant_min_payout(m, digits)) > g->threshold)
		g->threshold = mmin;
	/* Due invoices: the period's last day plus the delay is before D. */
	for (i = g->first; m && i >= 0; i = st.gnext[i]) {
		int64_t ready = period_last_day(st.inv[i].period) + (int64_t)m->delay_days * 86400;

		if (ready < opt->date) {
			if (money_add(due, st.inv[i].amount, &due) != MONEY_OK)
				msg_fatal(EXIT_DATA, NULL, 0, "net of %s out of range", mname);
			ndue++;
			if (first_due < 0 || _cmp_nos(i, first_due) < 0)
				first_due = i;
		}
	}
	if (ndue > 0 && due >= g->threshold) {
		struct po p;
		char prefix[STRSET_KEY_MAX + 1], no[2 * STRSET_KEY_MAX];
		long pi;

		memset(&p, 0, sizeof p);
		{
			size_t nn;
			const char *k = _inv_no(first_due, &nn);

			memcpy(no, k, nn);
			no[nn] = '\0';
			_prefix(no, prefix, sizeof prefix);
		}
		snprintf(no, sizeof no, "PO-%s-%d-%06ld", prefix, year,
			 counters_next(&st.counters, _str(&st.entities, g->entity), year));
		p.no = xstrdup(no);
		p.entity = g->entity;
		p.merchant = g->merchant;
		p.currency = g->currency;
		p.date = opt->date;
		p.amount = due;
		p.invoices = ndue;
		p.hold = m->frozen ? "frozen" : !m->payout_ok ? "payout_details" : "";
		p.first = -1;
		p.fresh = 1;
		pi = _add_payout(&p);
		for (i = g->first; i >= 0; i = st.gnext[i]) {
			int64_t ready =
				period_last_day(st.inv[i].period) + (int64_t)m->delay_days * 86400;

			if (ready < opt->date) {
				st.inv[i].payout = pi;
				st.inv[i].changed = 1;
				st.inv[i].pnext = st.po[pi].first;
				st.po[pi].first = i;
			}
		}
		g->fresh_payout = p.hold[0] == '\0';
	}
	/* The balance: what is left without a payout, due or not yet due. */
	for (i = g->first; i >= 0; i = st.gnext[i]) {
		const struct inv *v = &st.inv[i];
		int64_t ready;

		if (v->payout >= 0)
			continue;
		ready = m ? period_last_day(v->period) + (int64_t)m->delay_days * 86400 : INT64_MAX;
		if (m && ready < opt->date) {
			g->ndue++;
			money_add(g->due, v->amount, &g->due);
		} else {
			g->npending++;
			money_add(g->pending, v->amount, &g->pending);
			if (m && period_end(period_of(ready)) < next)
				next = period_end(period_of(ready));
		}
	}
	g->next_due = m && g->npending ? next : -1;
	if (!m)
		g->reason = "unknown_merchant";
	else if (m->frozen)
		g->reason = "frozen";
	else if (!m->payout_ok)
		g->reason = "payout_details";
	else if (g->fresh_payout)
		g->reason = "";
	else if (g->ndue > 0)
		g->reason = g->due < 0 ? "negative" : "below_minimum";
	else if (g->npending > 0)
		g->reason = "not_due";
	else
		g->reason = "not_confirmed";
}

/* Sort indexes of invoices or payouts by their number. */
static int
_cmp_inv_no(const void *a, const void *b)
{
	return _cmp_nos(*(const long *)a, *(const long *)b);
}

static int
_cmp_po_no(const void *a, const void *b)
{
	return strcmp(st.po[*(const long *)a].no, st.po[*(const long *)b].no);
}

/* Copy bytes and a separator. */
static char *
_put(char *o, const char *s, size_t n, char sep)
{
	memcpy(o, s, n);
	o[n] = sep;
	return o + n + 1;
}

/* Copy a set member and a separator. */
static char *
_putk(char *o, const strset *set, long id, char sep)
{
	size_t n;
	const char *k = _name(set, id, &n);

	return _put(o, k, n, sep);
}

/* One invoice row (invoice i). */
static void
_write_invoice(out *o, long i)
{
	const struct inv *v = &st.inv[i];
	char buf[MONEY_FMT_MAX], *p = eout_room(o, 4 * STRSET_KEY_MAX + 128), *start = p;
	const char *pay = v->payout >= 0 ? st.po[v->payout].no : "";
	size_t n;
	const char *cur = _name(&st.currencies, v->currency, &n);

	p = _putk(p, &st.invoice_nos, i, '\t');
	p = _putk(p, &st.entities, v->entity, '\t');
	p = _putk(p, &st.merchants, v->merchant, '\t');
	p = _put(p, cur, n, '\t');
	period_format(v->period, p);
	p[PERIOD_ID_LEN] = '\t';
	p += PERIOD_ID_LEN + 1;
	p = _put(p, schema_type_code(v->type), strlen(schema_type_code(v->type)), '\t');
	period_format_date(period_issue_date(v->period), p);
	p[PERIOD_DATE_LEN] = '\t';
	p += PERIOD_DATE_LEN + 1;
	p += sprintf(p, "%ld\t", v->lines);
	p = _put(p, buf, money_format(v->amount, money_currency_digits(cur, 3), buf), '\t');
	p = v->paid ? _put(p, "paid", 4, '\t') : _put(p, "created", 7, '\t');
	p = _put(p, pay, strlen(pay), '\n');
	out_commit(o, (size_t)(p - start));
}

/* One payout row. */
static void
_write_payout(out *o, const struct po *v)
{
	char amount[MONEY_FMT_MAX], date[PERIOD_DATE_LEN + 1], on[PERIOD_DATE_LEN + 1];
	const char *cur = _str(&st.currencies, v->currency);
	char *p = eout_room(o, 3 * STRSET_KEY_MAX + 256);

	money_format(v->amount, money_currency_digits(cur, 3), amount);
	period_format_date(v->date, date);
	on[0] = '\0';
	if (v->paid)
		period_format_date(v->paid_on, on);
	out_commit(o, (size_t)sprintf(p, "%s\t%s\t%s\t%s\t%s\t%ld\t%s\t%s\t%s\t%s\n", v->no,
				      _str(&st.entities, v->entity),
				      _str(&st.merchants, v->merchant), cur, date, v->invoices,
				      amount, v->paid ? "paid" : "created", v->hold, on));
}

/* Write a set of invoices (by a predicate) sorted by number. */
static void
_write_invoices(const char *path, int state)
{
	long *order = xmalloc((st.ninv ? st.ninv : 1) * sizeof *order);
	size_t i, n = 0;
	out o;

	for (i = 0; i < st.ninv; i++)
		if (state ? !st.inv[i].paid : st.inv[i].fresh || st.inv[i].changed)
			order[n++] = (long)i;
	if (n > 1)
		qsort(order, n, sizeof *order, _cmp_inv_no);
	eout_open(&o, path);
	out_puts(&o, SCHEMA_INVOICE_HEADER);
	for (i = 0; i < n; i++)
		_write_invoice(&o, order[i]);
	eout_close(&o, strcmp(path, "-") == 0 ? "<stdout>" : path);
	free(order);
}

/* Write payouts (new or changed, or open for the state) and, for new ones,
 * their items. */
static void
_write_payouts(const char *path, const char *items, int state)
{
	long *order = xmalloc((st.npo ? st.npo : 1) * sizeof *order);
	size_t i, n = 0;
	out o, it;

	for (i = 0; i < st.npo; i++)
		if (state ? !st.po[i].paid : st.po[i].fresh || st.po[i].changed)
			order[n++] = (long)i;
	if (n > 1)
		qsort(order, n, sizeof *order, _cmp_po_no);
	eout_open(&o, path);
	out_puts(&o, SCHEMA_PAYOUT_HEADER);
	if (items) {
		eout_open(&it, items);
		out_puts(&it, "payout_no\tinvoice_no\ttype\tperiod\tamount\n");
	}
	for (i = 0; i < n; i++) {
		const struct po *p = &st.po[order[i]];
		long *inv, k, ni = 0;

		_write_payout(&o, p);
		if (!items || !p->fresh)
			continue;
		inv = xmalloc((size_t)(p->invoices ? p->invoices : 1) * sizeof *inv);
		for (k = p->first; k >= 0; k = st.inv[k].pnext)
			inv[ni++] = k;
		if (ni > 1)
			qsort(inv, (size_t)ni, sizeof *inv, _cmp_inv_no);
		for (k = 0; k < ni; k++) {
			const struct inv *v = &st.inv[inv[k]];
			char amount[MONEY_FMT_MAX], period[PERIOD_ID_LEN + 1];
			char *q = eout_room(&it, 2 * STRSET_KEY_MAX + 64), *start = q;

			money_format(v->amount,
				     money_currency_digits(_str(&st.currencies, v->currency), 3),
				     amount);
			period_format(v->period, period);
			q = _put(q, p->no, strlen(p->no), '\t');
			q = _putk(q, &st.invoice_nos, inv[k], '\t');
			q += sprintf(q, "%s\t%s\t%s\n", schema_type_code(v->type), period, amount);
			out_commit(&it, (size_t)(q - start));
		}
		free(inv);
	}
	eout_close(&o, path);
	if (items)
		eout_close(&it, items);
	free(order);
}

/* Balances by merchant, entity, currency. */
static int
_cmp_balance(const void *a, const void *b)
{
	const struct group *x = &st.grp[*(const long *)a], *y = &st.grp[*(const long *)b];
	int k = strcmp(_str(&st.merchants, x->merchant), _str(&st.merchants, y->merchant));

	if (!k)
		k = strcmp(_str(&st.entities, x->entity), _str(&st.entities, y->entity));
	if (!k)
		k = strcmp(_str(&st.currencies, x->currency), _str(&st.currencies, y->currency));
	return k;
}

/* Every (merchant, entity, currency) with money not yet with the merchant. */
static void
_write_balances(const char *path)
{
	size_t ng = st.ngrp, i, n = 0;
	long *order = xmalloc((ng ? ng : 1) * sizeof *order);
	out o;

	for (i = 0; i < ng; i++) {
		struct group *g = &st.grp[i];

		if (g->ndue || g->npending || g->nunpaid)
			order[n++] = (long)i;
	}
	if (n > 1)
		qsort(order, n, sizeof *order, _cmp_balance);
	eout_open(&o, path);
	out_puts(&o, SCHEMA_BALANCE_HEADER);
	for (i = 0; i < n; i++) {
		const struct group *g = &st.grp[order[i]];
		const char *cur = _str(&st.currencies, g->currency);
		int d = money_currency_digits(cur, 3);
		char due[MONEY_FMT_MAX], pend[MONEY_FMT_MAX], thr[MONEY_FMT_MAX],
			unp[MONEY_FMT_MAX];
		char next[PERIOD_DATE_LEN + 1];
		char *p = eout_room(&o, 3 * STRSET_KEY_MAX + 256);

		money_format(g->due, d, due);
		money_format(g->pending, d, pend);
		money_format(g->threshold, d, thr);
		money_format(g->unpaid_amount, d, unp);
		next[0] = '\0';
		if (g->next_due >= 0)
			period_format_date(g->next_due, next);
		out_commit(&o, (size_t)sprintf(
				       p, "%s\t%s\t%s\t%ld\t%s\t%ld\t%s\t%s\t%s\t%ld\t%s\t%s\n",
				       _str(&st.merchants, g->merchant),
				       _str(&st.entities, g->entity), cur, g->ndue, due,
				       g->npending, pend, thr, next, g->nunpaid, unp, g->reason));
	}
	eout_close(&o, path);
	free(order);
}

/* Money per entity and currency: open (no payout) before the run, this
 * run's invoices, paid out in new payouts, open after. */
static void
_write_totals(const char *path, const unsigned char *open_in)
{
	static const char *const cols[] = {"open_in", "invoiced", "paid_out", "open_out"};
	totals t;
	size_t i, nin = 0;
	char e[STRSET_KEY_MAX + 1], c[8];

	memset(&t, 0, sizeof t);
	for (i = 0; i < st.ninv; i++)
		nin += !st.inv[i].fresh;
	for (i = 0; i < st.ninv; i++) {
		const struct inv *v = &st.inv[i];
		int rc = 0;

		snprintf(e, sizeof e, "%s", _str(&st.entities, v->entity));
		snprintf(c, sizeof c, "%s", _str(&st.currencies, v->currency));
		if (i < nin && open_in[i])
			rc |= totals_add(&t, e, c, 0, v->amount);
		if (v->fresh)
			rc |= totals_add(&t, e, c, 1, v->amount);
		if (v->payout >= 0 && st.po[v->payout].fresh)
			rc |= totals_add(&t, e, c, 2, v->amount);
		if (v->payout < 0 && !v->paid)
			rc |= totals_add(&t, e, c, 3, v->amount);
		if (rc)
			msg_fatal(EXIT_DATA, NULL, 0, "totals out of range");
	}
	totals_write(&t, path, cols, 4);
	totals_free(&t);
}

/* The run: state, confirmations, this run's invoices, netting, outputs. */
static void
process(const struct options *opt)
{
	static out rejects;
	out *rej = NULL;
	int has_state, year = period_year_of(opt->date);
	unsigned char *open_in;
	char path[4096];
	size_t i, ng;
	long *order;

	has_state = state_open(opt->state_in, opt->period);
	config_merchants(&st.ms, opt->merchants);
	if (opt->payout)
		_load_minimums(opt->payout);
	if (has_state) {
		struct stat sb;

		/* Size the number set once: about 60 bytes an invoice row, and
		 * as many new invoices again as carried ones. */
		state_path(path, sizeof path, opt->state_in, "invoices.tsv");
		if (stat(path, &sb) == 0 &&
		    strset_reserve(&st.invoice_nos, (size_t)sb.st_size / 60 * 2) < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		state_path(path, sizeof path, opt->state_in, "payouts.tsv");
		_load_payouts(path);
		state_path(path, sizeof path, opt->state_in, "invoices.tsv");
		_load_invoices(path, 0, opt->period);
		state_path(path, sizeof path, opt->state_in, "payout-counters.tsv");
		counters_load(&st.counters, path, 0);
	}
	/* Before this run's invoices come in: what was open without a payout. */
	open_in = xcalloc(st.ninv ? st.ninv : 1, 1);
	for (i = 0; i < st.ninv; i++)
		open_in[i] = st.inv[i].payout < 0 && !st.inv[i].paid;
	_load_invoices(opt->input, 1, opt->period);
	/* Confirmations after the invoices: in one pipeline, normalize-orders
	 * finishes the confirmations file before the invoices stream ends.
	 * They only touch payouts of the state, and still come before netting. */
	if (opt->rejects) {
		eout_open(&rejects, opt->rejects);
		rej = &rejects;
		reject_write_header(rej);
	}
	if (opt->confirmations)
		_confirm(opt->confirmations, rej);

	/* Group the invoices without a payout, and the unpaid payouts. */
	for (i = 0; i < st.ninv; i++) {
		struct inv *v = &st.inv[i];

		if (v->payout < 0 && !v->paid) {
			struct group *g = _group(v->entity, v->merchant, v->currency);

			st.gnext[i] = g->first;
			g->first = (long)i;
		}
	}
	for (i = 0; i < st.npo; i++)
		_group(st.po[i].entity, st.po[i].merchant, st.po[i].currency);
	ng = st.ngrp;
	order = xmalloc((ng ? ng : 1) * sizeof *order);
	for (i = 0; i < ng; i++)
		order[i] = (long)i;
	if (ng > 1)
		qsort(order, ng, sizeof *order, _cmp_group);
	for (i = 0; i < ng; i++)
		_net(&st.grp[order[i]], opt, year);
	free(order);
	for (i = 0; i < st.npo; i++) {
		struct group *g = _group(st.po[i].entity, st.po[i].merchant, st.po[i].currency);

		if (!st.po[i].paid) {
			g->nunpaid++;
			money_add(g->unpaid_amount, st.po[i].amount, &g->unpaid_amount);
		}
	}

	if (opt->totals)
		_write_totals(opt->totals, open_in);
	_write_invoices("-", 0);
	if (opt->payouts)
		_write_payouts(opt->payouts, opt->items, 0);
	if (opt->balances)
		_write_balances(opt->balances);
	if (rej)
		eout_close(rej, opt->rejects);
	state_begin(opt->state_out);
	state_path(path, sizeof path, opt->state_out, "invoices.tsv");
	_write_invoices(path, 1);
	state_path(path, sizeof path, opt->state_out, "payouts.tsv");
	_write_payouts(path, NULL, 1);
	state_path(path, sizeof path, opt->state_out, "payout-counters.tsv");
	counters_save(&st.counters, path);
	state_stamp(opt->state_out, opt->period);
	free(open_in);
}

/* Release everything (keeps leak checkers quiet). */
static void
_free(void)
{
	size_t i;

	for (i = 0; i < st.npo; i++)
		free(st.po[i].no);
	free(st.inv), free(st.gnext), free(st.po), free(st.grp), free(st.min_amount);
	strset_free(&st.entities), strset_free(&st.merchants), strset_free(&st.currencies);
	strset_free(&st.invoice_nos), strset_free(&st.payout_nos);
	free(st.mfirst);
	strset_free(&st.min_currencies);
	merchants_free(&st.ms);
	counters_free(&st.counters);
}

int
main(int argc, char **argv)
{
	struct options opt;

	msg_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	process(&opt);
	_free();
	return EXIT_OK;
}
