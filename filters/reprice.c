/* reprice: the adjustments that bring an issued period to other take
 * rates (SPEC 12, repricing).
 *
 * Reads the period's lines as issued (OUT/P/lines.tsv), its invoices, and
 * two pricings of its drop's events by apply-take-rate --with-rate: with
 * the configuration it was issued with (--old; it must give the issued
 * amounts) and with the new one (stdin or NEW).  The three are in the
 * drop's order (sources in reading order, lines rising), so they are
 * merged in one pass.  For each issued line whose amount changes it writes
 * one adjustments row: amount = new - issued, invoice_no the invoice that
 * holds the line, adjustment_id RP-<invoice_no>-<N> (N: 1, 2, ... per
 * invoice in the order of lines.tsv), reason "reprice P: rate <old> ->
 * <new>", at P's issue date, event_id the line's event.  Lines it cannot
 * reprice are named on stderr with their count: lines released from the
 * held lines of earlier drops (the first --released of lines.tsv), lines
 * whose entity would change with the new entities.tsv, lines of events the
 * new rates do not price (no_rate).  Memory holds the period's invoices,
 * not the lines. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fmt.h"
#include "ident.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "out.h"
#include "period.h"
#include "rules/checks.h"
#include "rules/docno.h"
#include "rules/entity.h"
#include "schema.h"
#include "strset.h"

struct options {
	int period;
	const char *lines, *invoices, *old, *entities, *held;
	long released;
	const char *input; /* the new pricing: a file, or "-" */
};

static const char usage[] =
	"Usage: reprice --period P --lines LINES --invoices INVOICES --old PRICED\n"
	"               --entities entities.tsv [--released N] [--held HELD] [NEW]\n"
	"\n"
	"Write on stdout the adjustments (SPEC 12) that bring the lines of period P\n"
	"as issued (LINES: P's lines.tsv, INVOICES: its invoices.tsv) to another\n"
	"pricing of the same drop: NEW (or stdin), apply-take-rate --with-rate of P's\n"
	"events with the new take rates; PRICED is the same with the rates P was\n"
	"issued with, which must give the issued amounts.  One row per line whose\n"
	"amount changes.  Lines that cannot be repriced are named on stderr with\n"
	"their count.\n"
	"\n"
	"  --period P          the period repriced\n"
	"  --lines FILE        P's lines.tsv\n"
	"  --invoices FILE     P's invoices.tsv\n"
	"  --old FILE          P's events priced with its own take rates (--with-rate)\n"
	"  --entities FILE     the new entities.tsv: a line whose entity would change\n"
	"                      is not repriced\n"
	"  --released N        the first N lines of LINES were released from the held\n"
	"                      lines of earlier drops: not repriced (default 0)\n"
	"  --held FILE         P's held.tsv: its lines of P are counted on stderr\n"
	"  --help              show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n"
	"\n"
	"Example:\n"
	"  apply-take-rate --rates new/take-rates.tsv --period 2024-03-1 --with-rate \\\n"
	"      < events.tsv | reprice --period 2024-03-1 --lines out/2024-03-1/lines.tsv \\\n"
	"      --invoices out/2024-03-1/invoices.tsv --old old-priced.tsv \\\n"
	"      --entities new/entities.tsv > adjustments.tsv\n";

/* Options; all required ones present before anything is read. */
static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"period", required_argument, NULL, 'p'},
		{"lines", required_argument, NULL, 'l'},
		{"invoices", required_argument, NULL, 'i'},
		{"old", required_argument, NULL, 'o'},
		{"entities", required_argument, NULL, 'e'},
		{"released", required_argument, NULL, 'r'},
		{"held", required_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	char *end;

	memset(o, 0, sizeof *o);
	o->period = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->period = msg_period_arg("--period", optarg); break;
		case 'l': o->lines = optarg; break;
		case 'i': o->invoices = optarg; break;
		case 'o': o->old = optarg; break;
		case 'e': o->entities = optarg; break;
		case 'r':
			o->released = strtol(optarg, &end, 10);
			if (*end || end == optarg || o->released < 0)
				msg_usage("--released: not a number of lines: '%s'", optarg);
			break;
		case 'H': o->held = optarg; break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	if (o->period < 0)
		msg_usage("--period is required");
	if (!o->lines || !o->invoices || !o->old || !o->entities)
		msg_usage("--lines, --invoices, --old and --entities are required");
	if (argc - optind > 1)
		msg_usage("one NEW pricing at most");
	o->input = optind < argc ? argv[optind] : "-";
}

/* The place of a row in the drop's order: its source in reading order
 * (normalize-orders: orders, refunds, ads, weights; .csv before .tsv),
 * then its line. */
typedef struct key {
	int source;
	long line;
} key;

/* A source file name's rank, or -1. */
static int
_rank(const char *s, size_t n)
{
	int k;

	if (n < 5 || (memcmp(s + n - 4, ".csv", 4) != 0 && memcmp(s + n - 4, ".tsv", 4) != 0))
		return -1;
	k = check_source_by_name(s, n - 4);
	return k < 0 ? -1 : k * 2 + (s[n - 3] == 't');
}

/* a before b: < 0, equal: 0, after: > 0. */
static int
_cmp(key a, key b)
{
	if (a.source != b.source)
		return a.source < b.source ? -1 : 1;
	return (a.line > b.line) - (a.line < b.line);
}

/* A pricing (apply-take-rate --with-rate) read in step with the lines. */
enum { P_SOURCE, P_LINE, P_COUNTRY, P_RATE, P_SLOTS, P_N = P_SLOTS + 2 * SCHEMA_SLOTS };
static const char *const priced_cols[P_N] = {
	"source", "line",     "dest_country", "rate",	  "type_1", "amount_1",
	"type_2", "amount_2", "type_3",	      "amount_3", "type_4", "amount_4",
};

struct pricing {
	tsv_reader r;
	int x[P_N];
	int more; /* a row is current */
	key at;	  /* its place */
};

/* Open a pricing at its first row. */
static void
_open_pricing(struct pricing *p, const char *path)
{
	memset(p, 0, sizeof *p);
	einput_open(&p->r, path);
	einput_require(&p->r, priced_cols, p->x, P_N);
	p->at.source = -1;
}

/* Step to the next row; its place must come after the last one's. */
static void
_next(struct pricing *p)
{
	key was = p->at;

	p->more = einput_next(&p->r);
	if (!p->more)
		return;
	p->at.source = _rank(p->r.field[p->x[P_SOURCE]], p->r.flen[p->x[P_SOURCE]]);
	p->at.line = einput_count(&p->r, p->x[P_LINE]);
	if (p->at.source < 0)
		einput_bad(&p->r, p->x[P_SOURCE], "not a drop file name:");
	if (was.source >= 0 && _cmp(was, p->at) >= 0)
		einput_bad(&p->r, p->x[P_LINE], "rows not in the drop's order:");
}

/* Move p to the row at k, if it has one: 1, else 0 (p then after k). */
static int
_seek(struct pricing *p, key k)
{
	if (p->at.source < 0)
		_next(p);
	while (p->more && _cmp(p->at, k) < 0)
		_next(p);
	return p->more && _cmp(p->at, k) == 0;
}

/* The slot of type t[0..n) in the current row, or -1. */
static int
_slot(const struct pricing *p, const char *t, size_t n)
{
	int k;

	for (k = 0; k < SCHEMA_SLOTS; k++) {
		int c = p->x[P_SLOTS + 2 * k];

		if (p->r.flen[c] == n && memcmp(p->r.field[c], t, n) == 0)
			return k;
	}
	return -1;
}

/* The lines' columns read. */
enum {
	L_PERIOD,
	L_ENTITY,
	L_MERCHANT,
	L_CURRENCY,
	L_TYPE,
	L_AMOUNT,
	L_EVENT,
	L_SOURCE,
	L_LINE,
	L_N
};
static const char *const line_cols[L_N] = {
	"period", "entity",   "merchant_id", "currency", "type",
	"amount", "event_id", "source",	     "line",
};

/* The run: the period's invoices by key, per invoice the adjustments so
 * far, the counts of lines not repriced. */
struct ctx {
	const struct options *opt;
	strset keys; /* "entity\tmerchant\tcurrency\ttype" -> invoices */
	char **no;   /* per key: the invoice's number */
	long *n;     /* per key: adjustments written */
	size_t cap;
	entities ent;
	char pid[PERIOD_ID_LEN + 1], date[PERIOD_DATE_LEN + 1];
	long released, entity, no_rate, changed;
	out o;
};

/* An invoice's key into buf (room for four identifiers). */
static size_t
_key(char *buf, const char *e, size_t en, const char *m, size_t mn, const char *c, size_t cn,
     const char *t, size_t tn)
{
	char *p = buf;

	p = fmt_field(p, e, en, '\t');
	p = fmt_field(p, m, mn, '\t');
	p = fmt_field(p, c, cn, '\t');
	p = fmt_field(p, t, tn, '\0');
	return (size_t)(p - buf) - 1;
}

/* The period's invoices (not its credit notes, not earlier invoices). */
static void
_load_invoices(struct ctx *c, const char *path)
{
	static const char *const cols[] = {"invoice_no", "entity", "merchant_id",
					   "currency",	 "period", "type"};
	tsv_reader r;
	int x[6], kind, isnew;
	char k[4 * (IDENT_MAX + 1) + 8];

	einput_open(&r, path);
	einput_require(&r, cols, x, 6);
	kind = tsv_column(&r, "kind");
	while (einput_next(&r)) {
		long id;
		size_t n;

		if (einput_period(&r, x[4]) != c->opt->period ||
		    (kind >= 0 && strcmp(r.field[kind], "credit_note") == 0))
			continue;
		einput_ident(&r, x[0]);
		einput_ident(&r, x[1]);
		einput_ident(&r, x[2]);
		einput_currency(&r, x[3]);
		if (schema_type_of(r.field[x[5]], r.flen[x[5]]) < 0)
			einput_bad(&r, x[5], "not a line type:");
		n = _key(k, r.field[x[1]], r.flen[x[1]], r.field[x[2]], r.flen[x[2]], r.field[x[3]],
			 r.flen[x[3]], r.field[x[5]], r.flen[x[5]]);
		if ((id = strset_add(&c->keys, k, n, &isnew)) < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		if (!isnew)
			einput_bad(&r, x[0], "a second invoice of the same key:");
		if ((size_t)id >= c->cap) {
			size_t cap = c->cap;

			c->no = xgrow(c->no, &cap, (size_t)id + 1, sizeof *c->no);
			c->n = xrealloc(c->n, cap * sizeof *c->n);
			c->cap = cap;
		}
		c->no[id] = xstrdup(r.field[x[0]]);
		c->n[id] = 0;
	}
	tsv_close(&r);
}

/* A line not repriced, on stderr. */
static void
_skip(const tsv_reader *r, const int *x, const char *no, const char *why)
{
	msg_warn(r->name, r->line, "%s %s %s: not repriced: %s", no, r->field[x[L_TYPE]],
		 r->field[x[L_EVENT]], why);
}

/* One adjustments row. */
static void
_adjust(struct ctx *c, long inv, const tsv_reader *r, const int *x, int64_t delta, int digits,
	int64_t was, int64_t now)
{
	char id[IDENT_MAX + 32], reason[128], a[MONEY_FMT_MAX], b[MONEY_FMT_MAX];
	size_t idn, rn;
	char *p, *start;

	c->n[inv]++;
	idn = (size_t)snprintf(id, sizeof id, "RP-%s-%ld", c->no[inv], c->n[inv]);
	if (!ident_valid(id, idn))
		msg_fatal(EXIT_DATA, r->name, r->line,
			  "adjustment id '%s' is longer than an identifier (64 characters)", id);
	money_format_micro(was, a);
	money_format_micro(now, b);
	rn = (size_t)snprintf(reason, sizeof reason, "reprice %s: rate %s -> %s", c->pid, a, b);
	p = start = eout_room(&c->o, idn + strlen(c->no[inv]) + rn + r->flen[x[L_EVENT]] + 64 +
					     FMT_MONEY_MAX);
	p = fmt_field(p, id, idn, '\t');
	p = fmt_str(p, c->no[inv], '\t');
	p = fmt_field(p, r->field[x[L_CURRENCY]], r->flen[x[L_CURRENCY]], '\t');
	p = fmt_money(p, delta, digits, '\t');
	p = fmt_field(p, reason, rn, '\t');
	p = fmt_str(p, c->date, '\t');
	p = fmt_field(p, r->field[x[L_EVENT]], r->flen[x[L_EVENT]], '\n');
	out_commit(&c->o, (size_t)(p - start));
	c->changed++;
}

/* One issued line of an event of the drop, against both pricings. */
static void
_line(struct ctx *c, const tsv_reader *r, const int *x, struct pricing *old, struct pricing *now,
      const char *no, long inv)
{
	key k;
	int s, digits = einput_currency(r, x[L_CURRENCY]), e;
	int64_t issued = einput_money(r, x[L_AMOUNT], digits), was, then, rate_was, rate_now;
	const char *type = r->field[x[L_TYPE]];
	size_t tn = r->flen[x[L_TYPE]];
	char why[2 * IDENT_MAX + 64];

	k.source = _rank(r->field[x[L_SOURCE]], r->flen[x[L_SOURCE]]);
	k.line = einput_count(r, x[L_LINE]);
	if (k.source < 0)
		einput_bad(r, x[L_SOURCE], "not a drop file name:");
	if (!_seek(old, k) || (s = _slot(old, type, tn)) < 0 ||
	    (was = einput_money(&old->r, old->x[P_SLOTS + 2 * s + 1], digits)) != issued)
		msg_fatal(EXIT_DATA, r->name, r->line,
			  "%s %.*s of %s: the drop priced with the configuration %s was issued "
			  "with does not give this line as issued: was the drop or its archived "
			  "configuration changed?",
			  no, (int)tn, type, r->field[x[L_EVENT]], c->pid);
	if (!_seek(now, k)) {
		_skip(r, x, no, "the new take rates give its event no rate (no_rate)");
		c->no_rate++;
		return;
	}
	if ((s = _slot(now, type, tn)) < 0)
		msg_fatal(EXIT_DATA, now->r.name, now->r.line,
			  "no %.*s line where the issued has one", (int)tn, type);
	e = entities_match_n(&c->ent, schema_type_of(type, tn), now->r.field[now->x[P_COUNTRY]],
			     now->r.flen[now->x[P_COUNTRY]]);
	if (e < 0 || strcmp(c->ent.name[e], r->field[x[L_ENTITY]]) != 0) {
		snprintf(why, sizeof why, "its entity would change (%s -> %s)",
			 r->field[x[L_ENTITY]], e < 0 ? "none" : c->ent.name[e]);
		_skip(r, x, no, why);
		c->entity++;
		return;
	}
	then = einput_money(&now->r, now->x[P_SLOTS + 2 * s + 1], digits);
	if (then == was)
		return;
	rate_was = old->r.flen[old->x[P_RATE]] ? einput_micro(&old->r, old->x[P_RATE]) : -1;
	rate_now = now->r.flen[now->x[P_RATE]] ? einput_micro(&now->r, now->x[P_RATE]) : -1;
	if (rate_was < 0 || rate_now < 0)
		msg_fatal(EXIT_DATA, r->name, r->line,
			  "%s %.*s of %s: its amount changes without a rate", no, (int)tn, type,
			  r->field[x[L_EVENT]]);
	_adjust(c, inv, r, x, then - was, digits, rate_was, rate_now);
}

/* Lines of the period held at its run (not invoiced, so not repriced). */
static long
_held(const struct ctx *c, const char *path)
{
	static const char *const cols[] = {"period"};
	tsv_reader r;
	int x[1], corrects;
	long n = 0;

	einput_open(&r, path);
	einput_require(&r, cols, x, 1);
	corrects = tsv_column(&r, "corrects");
	while (einput_next(&r))
		n += strcmp(r.field[x[0]], c->pid) == 0 && (corrects < 0 || r.flen[corrects] == 0);
	tsv_close(&r);
	return n;
}

/* "1 line", "2 lines". */
static const char *
_lines(long n)
{
	return n == 1 ? "line" : "lines";
}

/* Every issued line in order. */
static void
process(const struct options *opt)
{
	struct ctx c;
	struct pricing old, now;
	tsv_reader r;
	int x[L_N], corrects;
	char k[4 * (IDENT_MAX + 1) + 8];
	size_t i;

	memset(&c, 0, sizeof c);
	c.opt = opt;
	period_format(opt->period, c.pid);
	period_format_date(period_issue_date(opt->period), c.date);
	econfig_entities(&c.ent, opt->entities);
	_load_invoices(&c, opt->invoices);
	_open_pricing(&old, opt->old);
	_open_pricing(&now, opt->input);
	out_init(&c.o, 1);
	eout_puts(&c.o, "adjustment_id\tinvoice_no\tcurrency\tamount\treason\tat\tevent_id\n");
	einput_open(&r, opt->lines);
	einput_require(&r, line_cols, x, L_N);
	corrects = tsv_column(&r, "corrects");
	while (einput_next(&r)) {
		size_t n;
		long inv;

		/* The key's parts checked first, so that it fits in k. */
		einput_ident(&r, x[L_ENTITY]);
		einput_ident(&r, x[L_MERCHANT]);
		einput_currency(&r, x[L_CURRENCY]);
		if (schema_type_of(r.field[x[L_TYPE]], r.flen[x[L_TYPE]]) < 0)
			einput_bad(&r, x[L_TYPE], "not a line type:");
		n = _key(k, r.field[x[L_ENTITY]], r.flen[x[L_ENTITY]], r.field[x[L_MERCHANT]],
			 r.flen[x[L_MERCHANT]], r.field[x[L_CURRENCY]], r.flen[x[L_CURRENCY]],
			 r.field[x[L_TYPE]], r.flen[x[L_TYPE]]);

		if (einput_period(&r, x[L_PERIOD]) != opt->period)
			einput_bad(&r, x[L_PERIOD], "a line of another period:");
		if (corrects >= 0 && r.flen[corrects])
			continue; /* a credit note's line: no take rate */
		if ((inv = strset_find(&c.keys, k, n)) < 0)
			einput_bad(&r, x[L_MERCHANT], "a line of no invoice in the invoices:");
		if (r.line - 1 <= opt->released) {
			_skip(&r, x, c.no[inv],
			      "released from the held lines of an earlier drop (invoiced with the "
			      "amount it was priced with then)");
			c.released++;
			continue;
		}
		_line(&c, &r, x, &old, &now, c.no[inv], inv);
	}
	tsv_close(&r);
	if (c.released)
		msg_warn(NULL, 0,
			 "%s: %ld %s not repriced: released from the held lines of earlier drops",
			 c.pid, c.released, _lines(c.released));
	if (c.entity)
		msg_warn(NULL, 0, "%s: %ld %s not repriced: %s entity would change", c.pid,
			 c.entity, _lines(c.entity), c.entity == 1 ? "its" : "their");
	if (c.no_rate)
		msg_warn(NULL, 0, "%s: %ld %s not repriced: the new take rates give no rate", c.pid,
			 c.no_rate, _lines(c.no_rate));
	if (opt->held) {
		long h = _held(&c, opt->held);

		if (h)
			msg_warn(NULL, 0,
				 "%s: %ld %s held at its run, not invoiced: not repriced (invoiced "
				 "when released, with the amounts they were priced with)",
				 c.pid, h, _lines(h));
	}
	eout_close(&c.o, "<stdout>");
	tsv_close(&old.r);
	tsv_close(&now.r);
	for (i = 0; i < strset_count(&c.keys); i++)
		free(c.no[i]);
	free(c.no);
	free(c.n);
	strset_free(&c.keys);
	entities_free(&c.ent);
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
