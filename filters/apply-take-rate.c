/* apply-take-rate: turn canonical events into invoice lines (SPEC 6).
 *
 * Reads normalize-orders' events, finds each order's or refund's take rate
 * (rules/rate: merchant beats `*`, then category beats `*`, then the latest
 * valid_from not after shipped_at), and writes one row per invoice line
 * (rules/price) with its amount computed exactly from the row's own values
 * and rounded once, half away from zero.  Rows it cannot price go to the
 * rejects file.  The take rates are the only thing held in memory. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "out.h"
#include "period.h"
#include "reject.h"
#include "rules/checks.h"
#include "rules/price.h"
#include "rules/rate.h"
#include "rules/timing.h"
#include "schema.h"
#include "tally.h"

struct options {
	const char *rates;
	const char *rejects;
	const char *counts;
	int with_rate; /* --with-rate: a last column with the take rate used */
	char **inputs; /* none: stdin */
	int ninputs;
	int period;
};

static const char usage[] =
	"Usage: apply-take-rate --rates take-rates.tsv --period P [--rejects FILE]\n"
	"                       [EVENTS...]\n"
	"\n"
	"Turn normalize-orders' events (EVENTS or stdin) into invoice lines on\n"
	"stdout: one row per line of SPEC 6's tables (R, RJL, JLO, JLD, RCM,\n"
	"RJLCM, JLOCM, ND, AD, IW) with its exact amount, rounded once, half away\n"
	"from zero.  Rows dated before the period are marked late=1.  Rows that\n"
	"cannot be priced (no_rate, nd_compensation, future) go to the rejects file.\n"
	"\n"
	"  --rates FILE     take-rates.tsv: merchant_id, category, valid_from, rate\n"
	"  --period P       the run's period, YYYY-MM-1 or YYYY-MM-2\n"
	"  --rejects FILE   write rejected rows there (default: report on stderr)\n"
	"  --counts FILE    write per source: events, priced, tolerated (audits\n"
	"                   within tolerance: no line), rejected\n"
	"  --with-rate      add a last column, rate: the take rate each order or\n"
	"                   refund was priced with (empty for ads and audits)\n"
	"  --help           show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n"
	"\n"
	"Example:\n"
	"  normalize-orders in/2024-03-1 | apply-take-rate --rates config/take-rates.tsv \\\n"
	"      --period 2024-03-1 --rejects rejects-rate.tsv > priced.tsv\n";

/* Options; nothing is read before they are all valid. */
static void
parse_args(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{"rates", required_argument, NULL, 'r'},
		{"period", required_argument, NULL, 'p'},
		{"rejects", required_argument, NULL, 'j'},
		{"counts", required_argument, NULL, 'n'},
		{"with-rate", no_argument, NULL, 'w'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(opt, 0, sizeof *opt);
	opt->period = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': opt->rates = optarg; break;
		case 'j': opt->rejects = optarg; break;
		case 'n': opt->counts = optarg; break;
		case 'w': opt->with_rate = 1; break;
		case 'p': opt->period = msg_period_arg("--period", optarg); break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	if (!opt->rates)
		msg_usage("--rates is required");
	if (opt->period < 0)
		msg_usage("--period is required");
	opt->inputs = argv + optind;
	opt->ninputs = argc - optind;
}

/* Load take-rates.tsv; a bad or repeated row stops the run. */
static void
_load_rates(rate_table *t, const char *path)
{
	static const char *const cols[] = {"merchant_id", "category", "valid_from", "rate"};
	tsv_reader r;
	int x[4];
	long a, b;

	memset(t, 0, sizeof *t);
	einput_open(&r, path);
	einput_require(&r, cols, x, 4);
	while (einput_next(&r)) {
		int64_t from, rate;

		if (strcmp(r.field[x[0]], "*") != 0)
			einput_ident(&r, x[0]);
		from = einput_time(&r, x[2]);
		rate = einput_micro(&r, x[3]);
		switch (rate_table_add(t, r.field[x[0]], r.flen[x[0]], r.field[x[1]], r.flen[x[1]],
				       from, rate, r.line)) {
		case RATE_OK: break;
		case RATE_ERANGE: einput_bad(&r, x[3], "rate outside [0, 1]:");
		case RATE_ELONG: einput_bad(&r, x[1], "too long:");
		default: msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		}
	}
	switch (rate_table_finish(t, &a, &b)) {
	case RATE_OK: break;
	case RATE_EDUP:
		msg_fatal(EXIT_DATA, r.name, b,
			  "take rate repeats the merchant, category and valid_from of line %ld", a);
	default: msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	}
	tsv_close(&r);
}

/* Columns of the event stream this filter uses, in SCHEMA_EVENT_HEADER's
 * order: [merchant_id .. at] and [kind .. dest_country] are the runs the
 * priced rows copy. */
enum {
	C_MERCHANT,
	C_CURRENCY,
	C_EVENT,
	C_ORDER,
	C_AT,
	C_KIND,
	C_SOURCE,
	C_LINE,
	C_COUNTRY,
	C_MODE,
	C_CATEGORY,
	C_SHIPPED,
	C_PRICE,
	C_SHIPPING,
	C_JLCOST,
	C_REASON,
	C_FRACTION,
	C_ND,
	C_AMOUNT,
	C_DECLARED,
	C_ACTUAL,
	C_COSTD,
	C_COSTA,
	C_N
};
static const char *const event_cols[C_N] = {
	"merchant_id",
	"currency",
	"event_id",
	"order_id",
	"at",
	"kind",
	"source",
	"line",
	"dest_country",
	"ship_mode",
	"category",
	"shipped_at",
	"product_price",
	"shipping_price",
	"jl_cost",
	"reason",
	"fraction",
	"nd_compensation",
	"amount",
	"declared_g",
	"actual_g",
	"cost_declared",
	"cost_actual",
};

/* Per-run state. */
struct ctx {
	const struct options *opt;
	rate_table rates;
	tsv_reader in;
	int idx[C_N];
	int runs;      /* the input has [merchant_id .. at] and [kind .. dest_country] in order */
	timing bounds; /* of the run's period: late, future (rules/timing) */
	out *lines, *rej;
	tally counts;
	char period[PERIOD_ID_LEN + 1];
};

/* The column named in rejects for the reasons decided here. */
static const char *
_field(int reason)
{
	switch (reason) {
	case REJECT_FUTURE: return "at";
	case REJECT_ND_COMPENSATION: return "nd_compensation";
	case REJECT_NO_RATE: return "shipped_at"; /* no row valid then */
	default: return "";
	}
}

/* Reject the current event by its source and line; the pipeline fetches
 * its raw record from the drop (fetch-raw). */
static void
_reject(struct ctx *c, int reason)
{
	const tsv_reader *r = &c->in;
	const int *x = c->idx;
	long line = einput_count(r, x[C_LINE]);
	char *source = xstrndup(r->field[x[C_SOURCE]], r->flen[x[C_SOURCE]]);

	if (!c->rej)
		msg_warn(source, line, "rejected (%s)", reject_name(reason));
	else if (reject_write(c->rej, source, line, reason, _field(reason), "", 0) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	free(source);
}

/* A code field's value by the list's lookup, or an input error. */
static int
_code(const tsv_reader *r, int col, int (*lookup)(const char *, size_t))
{
	int v = lookup(r->field[col], r->flen[col]);

	if (v < 0)
		einput_bad(r, col, "unknown value:");
	return v;
}

/* An order's shipped_at is its `at`, written alike: parsed once. */
static int64_t
_shipped_at(const tsv_reader *r, const int *x, int64_t at)
{
	size_t n = r->flen[x[C_SHIPPED]];

	if (n == r->flen[x[C_AT]] && memcmp(r->field[x[C_SHIPPED]], r->field[x[C_AT]], n) == 0)
		return at;
	return einput_time(r, x[C_SHIPPED]);
}

/* Price one event into ls, and its take rate into *rate (-1 for ads and
 * audits); returns a reject reason or -1. */
static int
_price(struct ctx *c, price_lines *ls, int64_t at, int64_t *rate)
{
	const tsv_reader *r = &c->in;
	const int *x = c->idx;
	int kind = check_source_by_kind(r->field[x[C_KIND]], r->flen[x[C_KIND]]);
	int digits = einput_currency(r, x[C_CURRENCY]), rc, mode, reason = 0;
	int64_t p, s, t, f = 0, nd = 0;

	ls->n = 0;
	*rate = -1;
	if (at >= c->bounds.future)
		return REJECT_FUTURE;
	switch (kind) {
	case SRC_ADS: rc = price_ad(einput_money(r, x[C_AMOUNT], digits), ls); break;
	case SRC_WEIGHTS:
		rc = price_weight(einput_micro(r, x[C_DECLARED]), einput_micro(r, x[C_ACTUAL]),
				  einput_money(r, x[C_COSTD], digits),
				  einput_money(r, x[C_COSTA], digits), ls);
		break;
	case SRC_ORDERS:
	case SRC_REFUNDS:
		mode = _code(r, x[C_MODE], price_ship_mode);
		p = einput_money(r, x[C_PRICE], digits);
		s = einput_money(r, x[C_SHIPPING], digits);
		if (kind == SRC_REFUNDS) {
			reason = _code(r, x[C_REASON], price_refund_reason);
			f = einput_micro(r, x[C_FRACTION]);
			nd = einput_money(r, x[C_ND], digits);
			if (f <= 0 || f > MONEY_MICRO)
				einput_bad(r, x[C_FRACTION], "fraction outside (0, 1]:");
			if (nd != 0 && !price_nd_allowed(mode, reason))
				return REJECT_ND_COMPENSATION;
		} else if (price_needs_jl_cost(mode) && r->flen[x[C_JLCOST]] == 0) {
			einput_bad(r, x[C_JLCOST], "jl_merchant needs a jl_cost:");
		}
		t = rate_table_find(&c->rates, r->field[x[C_MERCHANT]], r->flen[x[C_MERCHANT]],
				    r->field[x[C_CATEGORY]], r->flen[x[C_CATEGORY]],
				    _shipped_at(r, x, at));
		if (t < 0)
			return REJECT_NO_RATE;
		*rate = t;
		if (kind == SRC_REFUNDS)
			rc = price_refund(mode, reason, p, s, t, f, nd, ls);
		else
			rc = price_order(mode, p, s,
					 r->flen[x[C_JLCOST]] ? einput_money(r, x[C_JLCOST], digits)
							      : 0,
					 t, ls);
		break;
	default: einput_bad(r, x[C_KIND], "not an event kind (order, refund, ad, weight):");
	}
	return rc == PRICE_OK ? -1 : REJECT_BAD_NUMBER;
}

/* Columns first to last into o, each followed by a tab. */
static char *
_copy(char *o, const tsv_reader *r, const int *x, int first, int last, int runs)
{
	int k;

	if (runs) {
		const char *from = r->field[x[first]];
		size_t n = (size_t)(r->field[x[last]] + r->flen[x[last]] - from);

		return fmt_field(o, from, n, '\t');
	}
	for (k = first; k <= last; k++)
		o = fmt_field(o, r->field[x[k]], r->flen[x[k]], '\t');
	return o;
}

/* Write the event with its lines (SCHEMA_PRICED_HEADER): the event's own
 * fields in two runs, `at` as normalize-orders wrote it when canonical,
 * then a type and an amount per line. */
static void
_write(struct ctx *c, const price_lines *ls, int64_t at, int64_t rate)
{
	const tsv_reader *r = &c->in;
	const int *x = c->idx;
	int i, digits = money_currency_digits(r->field[x[C_CURRENCY]], r->flen[x[C_CURRENCY]]);
	size_t room = r->rowlen + FMT_PERIOD_MAX + FMT_TIME_MAX + 2 +
		      SCHEMA_SLOTS * (8 + FMT_MONEY_MAX) + 1 + FMT_MONEY_MAX;
	char *o = eout_room(c->lines, room), *start = o;

	o = fmt_field(o, c->period, PERIOD_ID_LEN, '\t');
	if (r->flen[x[C_AT]] == PERIOD_TIME_LEN) {
		o = _copy(o, r, x, C_MERCHANT, C_AT, c->runs);
	} else {
		o = _copy(o, r, x, C_MERCHANT, C_ORDER, c->runs);
		o = fmt_time(o, at, '\t');
	}
	o = fmt_field(o, at < c->bounds.start ? "1" : "0", 1, '\t'); /* late */
	o = _copy(o, r, x, C_KIND, C_COUNTRY, c->runs);
	for (i = 0; i < SCHEMA_SLOTS; i++) {
		char sep = i + 1 < SCHEMA_SLOTS || c->opt->with_rate ? '\t' : '\n';

		if (i < ls->n) {
			o = fmt_str(o, schema_type_code(ls->type[i]), '\t');
			o = fmt_money(o, ls->amount[i], digits, sep);
		} else {
			*o++ = '\t';
			*o++ = sep;
		}
	}
	if (c->opt->with_rate) {
		if (rate >= 0)
			o = fmt_micro(o, rate, '\n');
		else
			*o++ = '\n';
	}
	out_commit(c->lines, (size_t)(o - start));
}

/* Count an event of its source in column col of the --counts report. */
static void
_tally(struct ctx *c, size_t col)
{
	const tsv_reader *r = &c->in;
	int k = c->idx[C_SOURCE];

	if (tally_add(&c->counts, r->field[k], r->flen[k], 0, 1) < 0 ||
	    tally_add(&c->counts, r->field[k], r->flen[k], col, 1) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
}

/* Stream the events of one input. */
static void
_events(struct ctx *c, const char *path)
{
	price_lines ls;
	int k;

	einput_open(&c->in, path);
	einput_require(&c->in, event_cols, c->idx, C_N);
	/* Rows stay intact (fields are read by length): runs of columns are
	 * copied with their tabs. */
	c->in.keep_raw = 1;
	c->runs = 1;
	for (k = C_MERCHANT + 1; k <= C_COUNTRY; k++)
		c->runs &= k == C_KIND || c->idx[k] == c->idx[k - 1] + 1;
	while (einput_next(&c->in)) {
		int64_t at = einput_time(&c->in, c->idx[C_AT]), rate;
		int reason = _price(c, &ls, at, &rate);

		if (reason >= 0)
			_reject(c, reason);
		else if (ls.n > 0)
			_write(c, &ls, at,
			       rate); /* an audit within tolerance has no line, no row */
		if (c->opt->counts)
			_tally(c, reason >= 0 ? 3 : ls.n == 0 ? 2 : 1);
	}
	tsv_close(&c->in);
}

/* Price every input in order. */
static void
process(const struct options *opt)
{
	static out lines, rejects;
	static const char *const count_cols[] = {"events", "priced", "tolerated", "rejected"};
	struct ctx c;
	int k;

	memset(&c, 0, sizeof c);
	c.opt = opt;
	c.bounds = timing_of(opt->period);
	period_format(opt->period, c.period);
	_load_rates(&c.rates, opt->rates);
	out_init(&lines, 1);
	c.lines = &lines;
	if (opt->rejects) {
		eout_open(&rejects, opt->rejects);
		c.rej = &rejects;
		eout_puts(c.rej, SCHEMA_REJECT_HEADER);
	}
	if (opt->with_rate) {
		/* The header with a last column, rate. */
		eout_write(c.lines, SCHEMA_PRICED_HEADER, sizeof SCHEMA_PRICED_HEADER - 2);
		eout_puts(c.lines, "\trate\n");
	} else {
		eout_puts(c.lines, SCHEMA_PRICED_HEADER);
	}
	if (opt->ninputs == 0)
		_events(&c, "-");
	for (k = 0; k < opt->ninputs; k++)
		_events(&c, opt->inputs[k]);
	if (c.rej)
		eout_close(c.rej, opt->rejects);
	eout_close(c.lines, "<stdout>");
	rate_table_free(&c.rates);
	if (opt->counts)
		etally_write(&c.counts, opt->counts, "source", count_cols, 4);
	tally_free(&c.counts);
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
