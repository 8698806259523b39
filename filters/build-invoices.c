/* build-invoices: aggregate a period's lines into numbered invoices.
 *
 * One invoice per (entity, merchant_id, currency, type), issued the day
 * after the period.  Numbers PREFIX-YYYY-NNNNNN are gapless per entity and
 * year of issue, continue from the previous state's counters, and are given
 * in (merchant_id, currency, type) byte order, so the same inputs and state
 * always give the same numbers.  Lines of a merchant that is unknown or
 * whose record is incomplete are held: carried in the state and invoiced in
 * the first run whose merchants.tsv completes the record.  Memory holds the
 * invoices and the held merchants, not the lines. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fmt.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "out.h"
#include "period.h"
#include "rules/docno.h"
#include "rules/timing.h"
#include "schema.h"
#include "state.h"
#include "strset.h"
#include "text.h"
#include "totals.h"

struct options {
	int period;
	const char *merchants, *entities, *state_in, *state_out, *held, *lines, *totals;
	char **inputs; /* none: stdin */
	int ninputs;
};

static const char usage[] =
	"Usage: build-invoices --period P --merchants merchants.tsv --entities entities.tsv\n"
	"                      --state-in DIR|none --state-out DIR [--held FILE]\n"
	"                      [--lines FILE] [--totals FILE] [LINES...]\n"
	"\n"
	"Aggregate split-by-entity's lines (LINES or stdin) into one invoice per\n"
	"entity, merchant, currency and type, numbered PREFIX-YYYY-NNNNNN, on stdout.\n"
	"Lines of unknown or incomplete merchants are held and carried in the state;\n"
	"carried lines are released once the merchant's record is complete.\n"
	"\n"
	"  --period P          the run's period; invoices are issued the day after it\n"
	"  --merchants FILE    merchants.tsv\n"
	"  --entities FILE     entities.tsv (invoice number prefixes)\n"
	"  --state-in DIR      the previous period's state, or 'none' for the first run\n"
	"  --state-out DIR     where to write this run's state (created if needed)\n"
	"  --held FILE         also write every line still held to FILE\n"
	"  --lines FILE        write the lines invoiced in this run (released ones too)\n"
	"  --totals FILE       write per entity and currency: lines in (new and carried),\n"
	"                      invoiced and held out, with counts\n"
	"  --help              show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error, 2 usage error or a state that\n"
	"is not the previous period's.\n"
	"\n"
	"Example:\n"
	"  build-invoices --period 2024-03-2 --merchants config/merchants.tsv \\\n"
	"      --entities config/entities.tsv --state-in out/2024-03-1/state \\\n"
	"      --state-out tmp/state --held held.tsv --lines lines.tsv < by-entity.tsv\n";

/* Options; all required ones present before anything is read. */
static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"period", required_argument, NULL, 'p'},
		{"merchants", required_argument, NULL, 'm'},
		{"entities", required_argument, NULL, 'e'},
		{"state-in", required_argument, NULL, 'i'},
		{"state-out", required_argument, NULL, 'o'},
		{"held", required_argument, NULL, 'H'},
		{"lines", required_argument, NULL, 'l'},
		{"totals", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof *o);
	o->period = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->period = msg_period_arg("--period", optarg); break;
		case 'm': o->merchants = optarg; break;
		case 'e': o->entities = optarg; break;
		case 'i': o->state_in = optarg; break;
		case 'o': o->state_out = optarg; break;
		case 'H': o->held = optarg; break;
		case 'l': o->lines = optarg; break;
		case 't': o->totals = optarg; break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	if (o->period < 0)
		msg_usage("--period is required");
	if (!o->merchants || !o->entities)
		msg_usage("--merchants and --entities are required");
	if (!o->state_in || !o->state_out)
		msg_usage("--state-in (a directory or 'none') and --state-out are required");
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
	estate_check_dirs(o->state_in, o->state_out);
}

/* One invoice being built.  Invoices hang off their merchant's record: a
 * merchant that has invoices owns a small table indexed by [entity][type]
 * (slots[merchant]), whose slot holds its first invoice; invoices in
 * other currencies follow through `next`.  A line thus costs the merchant
 * lookup the hold check makes anyway, plus one table slot. */
struct invoice {
	int entity, type, digits;
	char currency[4];
	long merchant; /* index in merchants.tsv */
	long lines;
	int64_t amount;
	long number;
	long next; /* next invoice of the same slot (another currency), or -1 */
	long rank; /* sort key: merchant_id rank (see _issue) */
};

/* A held merchant, for the stderr report. */
struct held {
	char *merchant;
	const char *reason;
	unsigned missing;
	long lines;
};

enum {
	C_PERIOD,
	C_ENTITY,
	C_MERCHANT,
	C_CURRENCY,
	C_TYPE,
	C_AMOUNT,
	C_EVENT,
	C_ORDER,
	C_AT,
	C_LATE,
	C_KIND,
	C_SOURCE,
	C_LINE,
	C_N
};
static const char *const cols[C_N] = {
	"period",   "entity", "merchant_id", "currency", "type",   "amount", "event_id",
	"order_id", "at",     "late",	     "kind",	 "source", "line",
};

struct ctx {
	const struct options *opt;
	merchants ms;
	entities ent;
	int32_t **slots; /* per merchant: [entity][type] -> first invoice, or NULL */
	struct invoice *inv;
	size_t ninv, capinv;
	strset held_ids; /* held merchant -> held[] */
	struct held *held;
	size_t capheld;
	long *entity_rank, type_rank[TYPE_NTYPES]; /* names in byte order */
	out lines, held_state, held_file;
	int has_lines, has_held_file;
	char period[PERIOD_ID_LEN + 1];
	long lines_in, lines_invoiced, lines_held;
	totals money; /* new, carried, invoiced, held: see T_* */
};

enum { T_NEW, T_CARRIED, T_INVOICED, T_HELD };

/* Why a merchant's lines cannot be invoiced, or NULL when they can. */
static const char *
_hold_reason(const merchant *m)
{
	if (!m)
		return "unknown";
	return m->missing ? "incomplete" : NULL;
}

/* Write a line: with `period` and `late` given (released lines), or as
 * read; with a hold reason as last column when `reason` is set. */
static void
_write_line(out *dst, const tsv_reader *r, const int *x, const char *period, const char *late,
	    const char *reason)
{
	char *o = eout_room(dst, r->rowlen + FMT_PERIOD_MAX + 2 + 16), *start = o;
	int k;

	for (k = 0; k < C_N; k++) {
		const char *s = r->field[x[k]];
		size_t n = r->flen[x[k]];

		if (k == C_PERIOD && period)
			s = period, n = PERIOD_ID_LEN;
		if (k == C_LATE && late)
			s = late, n = 1;
		o = fmt_field(o, s, n, k + 1 < C_N || reason ? '\t' : '\n');
	}
	if (reason)
		o = fmt_str(o, reason, '\n');
	out_commit(dst, (size_t)(o - start));
}

/* Add a line of a known merchant to its invoice. */
static void
_invoice(struct ctx *c, const tsv_reader *r, const int *x, const merchant *m)
{
	long mi = (long)(m - c->ms.m), id;
	int32_t *slot;
	int entity, type, digits;
	int64_t amount;
	const char *cur = r->field[x[C_CURRENCY]];

	entity = entities_find(&c->ent, r->field[x[C_ENTITY]]);
	if (entity < 0)
		einput_bad(r, x[C_ENTITY], "entity not in entities.tsv:");
	type = schema_type_of(r->field[x[C_TYPE]], r->flen[x[C_TYPE]]);
	if (type < 0)
		einput_bad(r, x[C_TYPE], "not a line type:");
	digits = einput_currency(r, x[C_CURRENCY]);
	amount = einput_money(r, x[C_AMOUNT], digits);
	if (!c->slots[mi]) {
		size_t n = c->ent.n * TYPE_NTYPES;

		c->slots[mi] = xmalloc(n * sizeof **c->slots);
		memset(c->slots[mi], 0xff, n * sizeof **c->slots);
	}
	slot = &c->slots[mi][entity * TYPE_NTYPES + type];
	for (id = *slot; id >= 0; id = c->inv[id].next)
		if (memcmp(c->inv[id].currency, cur, 4) == 0)
			break;
	if (id < 0) {
		struct invoice *v;

		c->inv = xgrow(c->inv, &c->capinv, c->ninv + 1, sizeof *c->inv);
		id = (long)c->ninv++;
		v = &c->inv[id];
		memset(v, 0, sizeof *v);
		v->entity = entity;
		memcpy(v->currency, cur, 4);
		v->merchant = mi;
		v->type = type;
		v->digits = digits;
		v->next = *slot;
		*slot = (int32_t)id;
	}
	c->inv[id].lines++;
	if (money_add(c->inv[id].amount, amount, &c->inv[id].amount) != MONEY_OK)
		msg_fatal(EXIT_DATA, r->name, r->line, "invoice amount out of range (%s %s %s)",
			  r->field[x[C_MERCHANT]], cur, r->field[x[C_TYPE]]);
	c->lines_invoiced++;
}

/* Hold a line: to the state and the held file, counted per merchant. */
static void
_hold(struct ctx *c, const tsv_reader *r, const int *x, const merchant *m, const char *reason)
{
	int isnew;
	long id = strset_add(&c->held_ids, r->field[x[C_MERCHANT]], r->flen[x[C_MERCHANT]], &isnew);

	if (id < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	if (isnew) {
		c->held = xgrow(c->held, &c->capheld, (size_t)id + 1, sizeof *c->held);
		c->held[id].merchant = xstrdup(r->field[x[C_MERCHANT]]);
		c->held[id].reason = reason;
		c->held[id].missing = m ? m->missing : 0;
		c->held[id].lines = 0;
	}
	c->held[id].lines++;
	c->lines_held++;
	_write_line(&c->held_state, r, x, NULL, NULL, reason);
	if (c->has_held_file)
		_write_line(&c->held_file, r, x, NULL, NULL, reason);
}

/* Route one line of merchant m (NULL: unknown): invoice it or hold it.
 * `released` marks a carried held line, which is invoiced in this run's
 * period with late recomputed. */
static void
_route(struct ctx *c, const tsv_reader *r, const int *x, const merchant *m, int released)
{
	const char *reason;

	einput_ident(r, x[C_MERCHANT]);
	reason = _hold_reason(m);
	c->lines_in++;
	if (c->opt->totals) {
		int64_t amount = einput_money(r, x[C_AMOUNT], einput_currency(r, x[C_CURRENCY]));
		const char *e = r->field[x[C_ENTITY]], *cur = r->field[x[C_CURRENCY]];

		if (totals_add(&c->money, e, cur, released ? T_CARRIED : T_NEW, amount) < 0 ||
		    totals_add(&c->money, e, cur, reason ? T_HELD : T_INVOICED, amount) < 0)
			msg_fatal(EXIT_DATA, r->name, r->line, "totals out of range");
	}
	if (reason) {
		_hold(c, r, x, m, reason);
		return;
	}
	_invoice(c, r, x, m);
	if (c->has_lines) {
		if (released)
			_write_line(&c->lines, r, x, c->period,
				    timing_late(einput_time(r, x[C_AT]), c->opt->period) ? "1"
											 : "0",
				    NULL);
		else
			_write_line(&c->lines, r, x, NULL, NULL, NULL);
	}
}

/* Invoice order: entity name, then merchant_id, currency, type, all in
 * byte order.  Names are ranked once, so the sort compares integers. */
static struct ctx *sort_ctx;

static int
_cmp_invoice(const void *a, const void *b)
{
	const struct invoice *x = &sort_ctx->inv[*(const size_t *)a];
	const struct invoice *y = &sort_ctx->inv[*(const size_t *)b];
	const long *er = sort_ctx->entity_rank, *tr = sort_ctx->type_rank;

	if (x->entity != y->entity)
		return er[x->entity] < er[y->entity] ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (memcmp(x->currency, y->currency, 4))
		return memcmp(x->currency, y->currency, 4);
	return (tr[x->type] > tr[y->type]) - (tr[x->type] < tr[y->type]);
}

/* Merchant indexes by merchant_id. */
static int
_cmp_merchant(const void *a, const void *b)
{
	return strcmp(sort_ctx->ms.m[*(const long *)a].id, sort_ctx->ms.m[*(const long *)b].id);
}

/* Fill the ranks of entities, types and merchants. */
static void
_rank(struct ctx *c)
{
	long *m = xmalloc((c->ms.n ? c->ms.n : 1) * sizeof *m), *rank;
	size_t i, j;

	c->entity_rank = xcalloc(c->ent.n ? c->ent.n : 1, sizeof *c->entity_rank);
	for (i = 0; i < c->ent.n; i++)
		for (j = 0; j < c->ent.n; j++)
			c->entity_rank[i] += strcmp(c->ent.name[j], c->ent.name[i]) < 0;
	for (i = 0; i < TYPE_NTYPES; i++)
		for (j = 0, c->type_rank[i] = 0; j < TYPE_NTYPES; j++)
			c->type_rank[i] +=
				strcmp(schema_type_code((int)j), schema_type_code((int)i)) < 0;
	for (i = 0; i < c->ms.n; i++)
		m[i] = (long)i;
	if (c->ms.n > 1)
		qsort(m, c->ms.n, sizeof *m, _cmp_merchant);
	rank = xmalloc((c->ms.n ? c->ms.n : 1) * sizeof *rank);
	for (i = 0; i < c->ms.n; i++)
		rank[m[i]] = (long)i;
	for (i = 0; i < c->ninv; i++)
		c->inv[i].rank = rank[c->inv[i].merchant];
	free(m);
	free(rank);
}

/* Held merchants by id. */
static int
_cmp_held(const void *a, const void *b)
{
	return strcmp(((const struct held *)a)->merchant, ((const struct held *)b)->merchant);
}

/* Number the invoices and write them in number order. */
static void
_issue(struct ctx *c, counters *cs)
{
	size_t *order = xmalloc((c->ninv ? c->ninv : 1) * sizeof *order), i;
	int64_t issued = period_issue_date(c->opt->period);
	int year = period_year_of(issued);
	out o;

	for (i = 0; i < c->ninv; i++)
		order[i] = i;
	sort_ctx = c;
	_rank(c);
	if (c->ninv > 1)
		qsort(order, c->ninv, sizeof *order, _cmp_invoice);
	out_init(&o, 1);
	eout_puts(&o, SCHEMA_INVOICE_HEADER);
	for (i = 0; i < c->ninv; i++) {
		struct invoice *v = &c->inv[order[i]];
		const char *mid = c->ms.m[v->merchant].id, *ent = c->ent.name[v->entity];
		char no[DOCNO_MAX];
		size_t nn;
		char *p;

		v->number = ecounters_next(cs, ent, year);
		nn = docno_format(no, DOC_INVOICE, c->ent.prefix[v->entity], year, v->number);
		if (nn == 0)
			msg_fatal(EXIT_DATA, NULL, 0, "invoice number of %s out of range", ent);
		p = eout_room(&o, nn + strlen(ent) + strlen(mid) + 4 + FMT_PERIOD_MAX + 8 +
					  FMT_DATE_MAX + FMT_LONG_MAX + FMT_MONEY_MAX + 16);
		{
			char *start = p;

			p = fmt_field(p, no, nn, '\t');
			p = fmt_str(p, ent, '\t');
			p = fmt_str(p, mid, '\t');
			p = fmt_field(p, v->currency, 3, '\t');
			p = fmt_period(p, c->opt->period, '\t');
			p = fmt_str(p, schema_type_code(v->type), '\t');
			p = fmt_date(p, issued, '\t');
			p = fmt_long(p, v->lines, '\t');
			p = fmt_money(p, v->amount, v->digits, '\t');
			p = fmt_str(p, "created", '\t');
			*p++ = '\n';
			out_commit(&o, (size_t)(p - start));
		}
	}
	eout_close(&o, "<stdout>");
	free(order);
}

/* One stderr line per held merchant: who, why, what is missing, how many. */
static void
_report_held(struct ctx *c)
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

/* This period's lines are read in batches: every line of a batch is copied,
 * its merchant's table slot fetched ahead, then its merchant record, and
 * only then are the lines routed, in input order.  The lookups of a batch
 * thus wait for memory together instead of one after another. */
enum { BATCH = 64 };

static void
_read_batched(struct ctx *c, tsv_reader *r, const int *x)
{
	static struct {
		size_t off[BATCH], len[BATCH], moff[BATCH], mlen[BATCH];
		long line[BATCH];
		uint64_t hash[BATCH];
		long id[BATCH];
		int slot[BATCH]; /* entity * TYPE_NTYPES + type, or -1 */
	} b;
	text_buf bytes = {0};
	int n, i, more = 1;

	r->keep_raw = 1;
	while (more) {
		bytes.len = 0;
		for (n = 0; n < BATCH && (more = einput_next(r)); n++) {
			const char *mid = r->field[x[C_MERCHANT]];

			b.off[n] = bytes.len;
			b.len[n] = r->rowlen;
			b.line[n] = r->line;
			b.moff[n] = (size_t)(mid - r->row);
			b.mlen[n] = r->flen[x[C_MERCHANT]];
			b.hash[n] = strset_hash(mid, b.mlen[n]);
			strset_prefetch(&c->ms.ids, b.hash[n]);
			{
				int e = entities_find_n(&c->ent, r->field[x[C_ENTITY]],
							r->flen[x[C_ENTITY]]);
				int t = schema_type_of(r->field[x[C_TYPE]], r->flen[x[C_TYPE]]);

				b.slot[n] = e >= 0 && t >= 0 ? e * TYPE_NTYPES + t : -1;
			}
			if (text_append(&bytes, r->row, r->rowlen + 1) < 0)
				msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		}
		for (i = 0; i < n; i++) {
			b.id[i] = strset_find_hashed(&c->ms.ids, bytes.p + b.off[i] + b.moff[i],
						     b.mlen[i], b.hash[i]);
			if (b.id[i] >= 0) {
				__builtin_prefetch(&c->ms.m[b.id[i]].missing);
				__builtin_prefetch(&c->slots[b.id[i]]);
			}
		}
		for (i = 0; i < n; i++)
			if (b.id[i] >= 0 && b.slot[i] >= 0 && c->slots[b.id[i]])
				__builtin_prefetch(&c->slots[b.id[i]][b.slot[i]]);
		for (i = 0; i < n; i++) {
			long v;

			if (b.id[i] >= 0 && b.slot[i] >= 0 && c->slots[b.id[i]] &&
			    (v = c->slots[b.id[i]][b.slot[i]]) >= 0)
				__builtin_prefetch(&c->inv[v]);
		}
		for (i = 0; i < n; i++) {
			if (tsv_split_row(r, bytes.p + b.off[i], b.len[i], b.line[i]) < 0)
				msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
			if (strcmp(r->field[x[C_PERIOD]], c->period) != 0)
				einput_bad(r, x[C_PERIOD], "a line of another period:");
			_route(c, r, x, b.id[i] >= 0 ? &c->ms.m[b.id[i]] : NULL, 0);
		}
	}
	text_free(&bytes);
}

/* Open a lines file and resolve its columns. */
static void
_open_lines(tsv_reader *r, int *x, const char *path)
{
	einput_open(r, path);
	einput_require(r, cols, x, C_N);
}

/* Release everything (keeps leak checkers quiet). */
static void
_free(struct ctx *c)
{
	size_t i;

	free(c->inv);
	for (i = 0; i < c->ms.n; i++)
		free(c->slots[i]);
	free(c->slots);
	for (i = 0; i < strset_count(&c->held_ids); i++)
		free(c->held[i].merchant);
	free(c->held);
	free(c->entity_rank);
	strset_free(&c->held_ids);
	merchants_free(&c->ms);
	entities_free(&c->ent);
}

/* Carried held lines first, then this period's lines. */
static void
process(const struct options *opt)
{
	struct ctx c;
	counters cs;
	tsv_reader r;
	int x[C_N], has_state, k;
	char *held_path = xjoin(opt->state_out, "held.tsv"), *path;

	memset(&c, 0, sizeof c);
	c.opt = opt;
	period_format(opt->period, c.period);
	has_state = estate_open(opt->state_in, opt->period);
	econfig_merchants(&c.ms, opt->merchants);
	econfig_entities(&c.ent, opt->entities);
	c.slots = xcalloc(c.ms.n ? c.ms.n : 1, sizeof *c.slots);
	memset(&cs, 0, sizeof cs);
	if (has_state) {
		path = xjoin(opt->state_in, "invoice-counters.tsv");
		ecounters_load(&cs, path, 0);
		free(path);
	}
	estate_begin(opt->state_out);
	eout_open(&c.held_state, held_path);
	eout_puts(&c.held_state, SCHEMA_HELD_HEADER);
	if (opt->held) {
		eout_open(&c.held_file, opt->held);
		eout_puts(&c.held_file, SCHEMA_HELD_HEADER);
		c.has_held_file = 1;
	}
	if (opt->lines) {
		eout_open(&c.lines, opt->lines);
		eout_puts(&c.lines, SCHEMA_LINE_HEADER);
		c.has_lines = 1;
	}
	if (has_state) {
		path = xjoin(opt->state_in, "held.tsv");
		_open_lines(&r, x, path);
		while (einput_next(&r))
			_route(&c, &r, x,
			       merchants_find(&c.ms, r.field[x[C_MERCHANT]], r.flen[x[C_MERCHANT]]),
			       1);
		tsv_close(&r);
		free(path);
	}
	for (k = 0; k < (opt->ninputs ? opt->ninputs : 1); k++) {
		_open_lines(&r, x, opt->ninputs ? opt->inputs[k] : "-");
		_read_batched(&c, &r, x);
		tsv_close(&r);
	}
	_issue(&c, &cs);
	path = xjoin(opt->state_out, "invoice-counters.tsv");
	ecounters_save(&cs, path);
	free(path);
	eout_close(&c.held_state, held_path);
	if (c.has_held_file)
		eout_close(&c.held_file, opt->held);
	if (c.has_lines)
		eout_close(&c.lines, opt->lines);
	if (opt->totals) {
		static const char *const cols[] = {"new", "carried", "invoiced", "held"};

		etotals_write(&c.money, opt->totals, cols, 4);
	}
	totals_free(&c.money);
	estate_stamp(opt->state_out, opt->period);
	_report_held(&c);
	counters_free(&cs);
	_free(&c);
	free(held_path);
}

int
main(int argc, char **argv)
{
	struct options opt;

	msg_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	process(&opt);
	return EXIT_OK;
}
