/* apply-take-rate: turn canonical events into invoice lines (SPEC 6).
 *
 * Reads normalize-orders' events, finds each order's or refund's take rate
 * (merchant beats `*`, then category beats `*`, then the latest valid_from
 * not after shipped_at), and writes one row per invoice line with its
 * amount computed exactly from the row's own values and rounded once, half
 * away from zero.  Rows it cannot price go to the rejects file.  The take
 * rates are the only thing held in memory. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "out.h"
#include "period.h"
#include "reject.h"
#include "schema.h"
#include "strset.h"
#include "tally.h"

struct options {
	const char *rates;
	const char *rejects;
	const char *counts;
	const char *input;
	int period;
};

/* One take-rate row: from when, at what rate (millionths). */
struct rate {
	long key; /* id of "merchant\tcategory" in the key set */
	int64_t from;
	int64_t rate;
	long line; /* in take-rates.tsv, for messages */
};

/* The take-rate table: rows sorted by key then valid_from; each key's run
 * of rows is [first[key], first[key + 1]). */
static struct {
	strset keys;
	struct rate *row;
	size_t n;
	size_t *first;
} rates;

static const char usage[] =
	"Usage: apply-take-rate --rates take-rates.tsv --period P [--rejects FILE]\n"
	"                       [EVENTS]\n"
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
		{"rates", required_argument, NULL, 'r'},   {"period", required_argument, NULL, 'p'},
		{"rejects", required_argument, NULL, 'j'}, {"counts", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},	   {NULL, 0, NULL, 0},
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
		case 'p': opt->period = msg_period_arg("--period", optarg); break;
		case 'h': fputs(usage, stdout); exit(EXIT_OK);
		default: msg_bad_option(c, argv);
		}
	}
	if (!opt->rates)
		msg_usage("--rates is required");
	if (opt->period < 0)
		msg_usage("--period is required");
	if (argc - optind > 1)
		msg_usage("one input at most");
	opt->input = optind < argc ? argv[optind] : "-";
}

/* "merchant\tcategory" into buf (neither holds a tab); returns its length. */
static size_t
_key(char *buf, size_t cap, const char *merchant, size_t mn, const char *cat, size_t cn)
{
	if (mn + cn + 1 > cap)
		return 0;
	memcpy(buf, merchant, mn);
	buf[mn] = '\t';
	memcpy(buf + mn + 1, cat, cn);
	return mn + cn + 1;
}

/* Order rows by key, then valid_from. */
static int
_cmp_rate(const void *a, const void *b)
{
	const struct rate *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->from < y->from ? -1 : x->from > y->from;
}

/* Load take-rates.tsv; a bad or repeated row stops the run. */
static void
_load_rates(const char *path)
{
	static const char *const cols[] = {"merchant_id", "category", "valid_from", "rate"};
	char key[2 * STRSET_KEY_MAX];
	tsv_reader r;
	int idx[4], isnew;
	size_t i, k, cap = 0;

	input_open(&r, path);
	input_require(&r, cols, idx, 4);
	while (input_next(&r)) {
		struct rate rt;
		size_t kn;

		if (strcmp(r.field[idx[0]], "*") != 0)
			input_ident(&r, idx[0]);
		kn = _key(key, sizeof key, r.field[idx[0]], r.flen[idx[0]], r.field[idx[1]],
			  r.flen[idx[1]]);
		if (kn == 0)
			input_bad(&r, idx[1], "too long:");
		rt.key = strset_add(&rates.keys, key, kn, &isnew);
		if (rt.key < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		rt.from = input_time(&r, idx[2]);
		rt.rate = input_micro(&r, idx[3]);
		if (rt.rate < 0 || rt.rate > MONEY_MICRO)
			input_bad(&r, idx[3], "rate outside [0, 1]:");
		rt.line = r.line;
		if (rates.n == cap) {
			cap = cap ? cap * 2 : 64;
			rates.row = xrealloc(rates.row, cap * sizeof *rates.row);
		}
		rates.row[rates.n++] = rt;
	}
	qsort(rates.row, rates.n, sizeof *rates.row, _cmp_rate);
	for (i = 1; i < rates.n; i++)
		if (rates.row[i].key == rates.row[i - 1].key &&
		    rates.row[i].from == rates.row[i - 1].from)
			msg_fatal(EXIT_DATA, r.name,
				  rates.row[i].line > rates.row[i - 1].line ? rates.row[i].line
									    : rates.row[i - 1].line,
				  "take rate repeats the merchant, category and valid_from of line "
				  "%ld",
				  rates.row[i].line < rates.row[i - 1].line
					  ? rates.row[i].line
					  : rates.row[i - 1].line);
	k = strset_count(&rates.keys);
	rates.first = xcalloc(k + 1, sizeof *rates.first);
	for (i = rates.n; i-- > 0;)
		rates.first[rates.row[i].key] = i;
	rates.first[k] = rates.n;
	tsv_close(&r);
}

/* The rate of the latest row of key `key` from no later than t, or -1. */
static int64_t
_latest(long key, int64_t t)
{
	size_t lo = rates.first[key], hi = rates.first[key + 1];

	/* Rows [lo, hi) are by valid_from; find the last one <= t. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rates.row[mid].from <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > rates.first[key] ? rates.row[lo - 1].rate : -1;
}

/* The take rate for merchant m, category c, shipped at t; -1 for none.
 * Probes in precedence order: (m, c), (m, *), (*, c), (*, *). */
static int64_t
_rate_of(const char *m, size_t mn, const char *c, size_t cn, int64_t t)
{
	char key[2 * STRSET_KEY_MAX];
	const char *ms[4] = {m, m, "*", "*"}, *cs[4] = {c, "*", c, "*"};
	size_t mns[4] = {mn, mn, 1, 1}, cns[4] = {cn, 1, cn, 1};
	int i;

	for (i = 0; i < 4; i++) {
		size_t kn = _key(key, sizeof key, ms[i], mns[i], cs[i], cns[i]);
		long id = kn ? strset_find(&rates.keys, key, kn) : -1;
		int64_t rate;

		if (id >= 0 && (rate = _latest(id, t)) >= 0)
			return rate;
	}
	return -1;
}

/* Columns of the event stream this filter uses. */
enum {
	C_KIND,
	C_SOURCE,
	C_LINE,
	C_EVENT,
	C_ORDER,
	C_MERCHANT,
	C_AT,
	C_CURRENCY,
	C_MODE,
	C_COUNTRY,
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
	C_RAW,
	C_N
};
static const char *const event_cols[C_N] = {
	"kind",		 "source",	    "line",	   "event_id",
	"order_id",	 "merchant_id",	    "at",	   "currency",
	"ship_mode",	 "dest_country",    "category",	   "shipped_at",
	"product_price", "shipping_price",  "jl_cost",	   "reason",
	"fraction",	 "nd_compensation", "amount",	   "declared_g",
	"actual_g",	 "cost_declared",   "cost_actual", "raw",
};

enum { M_OFFLINE, M_OFFLINE_JL, M_JL, M_JL_MERCHANT };
static const char *const modes[] = {"offline", "offline_jl", "jl", "jl_merchant"};

/* The lines of one event: type and amount. */
struct lines {
	int n;
	int type[4];
	int64_t amount[4];
};

/* Add a line. */
static void
_add(struct lines *ls, int type, int64_t amount)
{
	ls->type[ls->n] = type;
	ls->amount[ls->n++] = amount;
}

/* Index of a field value in a list, or input error. */
static int
_pick(const tsv_reader *r, int col, const char *const *list, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(r->field[col], list[i]) == 0)
			return i;
	input_bad(r, col, "unknown value:");
}

/* round(x / 10^6) for a 128-bit numerator; x stays far from overflow. */
static int64_t
_round_micro(__int128 num)
{
	int64_t v;

	if (money_round(num, MONEY_MICRO, &v) != MONEY_OK)
		msg_fatal(EXIT_DATA, NULL, 0, "amount out of range");
	return v;
}

/* round(x / 10^12). */
static int64_t
_round_micro2(__int128 num)
{
	int64_t v;

	if (money_round(num, (int64_t)MONEY_MICRO * MONEY_MICRO, &v) != MONEY_OK)
		msg_fatal(EXIT_DATA, NULL, 0, "amount out of range");
	return v;
}

/* Per-row state for writing. */
struct ctx {
	const struct options *opt;
	tsv_reader in;
	int idx[C_N];
	out *lines, *rej;
	int64_t start, end; /* the period's bounds */
	char period[PERIOD_ID_LEN + 1];
};

/* Reject the current event: its raw record goes to the rejects file. */
static void
_reject(struct ctx *c, int reason)
{
	const tsv_reader *r = &c->in;
	long line = input_count(r, c->idx[C_LINE]);

	if (c->rej) {
		if (reject_write(c->rej, r->field[c->idx[C_SOURCE]], line, reason,
				 r->field[c->idx[C_RAW]], r->flen[c->idx[C_RAW]]) < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	} else {
		msg_warn(r->field[c->idx[C_SOURCE]], line, "rejected (%s): %s", reject_name(reason),
			 r->field[c->idx[C_RAW]]);
	}
}

/* Price one event into ls; returns a reject reason or -1. */
static int
_price(struct ctx *c, struct lines *ls, int64_t at)
{
	const tsv_reader *r = &c->in;
	const int *x = c->idx;
	const char *kind = r->field[x[C_KIND]];
	int digits = input_currency(r, x[C_CURRENCY]);

	ls->n = 0;
	if (at >= c->end)
		return REJECT_FUTURE;
	if (strcmp(kind, "ad") == 0) {
		_add(ls, TYPE_AD, -input_money(r, x[C_AMOUNT], digits));
		return -1;
	}
	if (strcmp(kind, "weight") == 0) {
		int64_t d = input_micro(r, x[C_DECLARED]), a = input_micro(r, x[C_ACTUAL]);
		int64_t cd = input_money(r, x[C_COSTD], digits),
			ca = input_money(r, x[C_COSTA], digits);
		__int128 diff = (__int128)a - d;

		/* Over the tolerance: more than 10% of declared and more than 5 g. */
		if (diff * 10 > d && diff > 5 * (__int128)MONEY_MICRO) {
			if (money_add(cd, -ca, &cd) != MONEY_OK)
				return REJECT_BAD_NUMBER;
			_add(ls, TYPE_IW, cd);
		}
		return -1;
	}
	if (strcmp(kind, "order") == 0 || strcmp(kind, "refund") == 0) {
		int mode = _pick(r, x[C_MODE], modes, 4);
		int64_t p = input_money(r, x[C_PRICE], digits),
			s = input_money(r, x[C_SHIPPING], digits);
		int64_t t = _rate_of(r->field[x[C_MERCHANT]], r->flen[x[C_MERCHANT]],
				     r->field[x[C_CATEGORY]], r->flen[x[C_CATEGORY]],
				     input_time(r, x[C_SHIPPED]));
		int64_t keep;
		__int128 ps = (__int128)p + s;

		if (t < 0)
			return REJECT_NO_RATE;
		if (ps > INT64_MAX)
			return REJECT_BAD_NUMBER;
		keep = MONEY_MICRO - t; /* (1 - t) in millionths */
		if (kind[0] == 'o') {
			switch (mode) {
			case M_OFFLINE: _add(ls, TYPE_R, _round_micro(ps * keep)); break;
			case M_OFFLINE_JL:
				_add(ls, TYPE_R,
				     _round_micro((__int128)p * keep + (__int128)s * MONEY_MICRO));
				break;
			case M_JL:
				_add(ls, TYPE_R, _round_micro((__int128)p * keep));
				_add(ls, TYPE_RJL, s);
				_add(ls, TYPE_JLO, -s);
				break;
			case M_JL_MERCHANT:
				if (r->flen[x[C_JLCOST]] == 0)
					input_bad(r, x[C_JLCOST], "jl_merchant needs a jl_cost:");
				_add(ls, TYPE_R, _round_micro(ps * keep));
				_add(ls, TYPE_JLD, -input_money(r, x[C_JLCOST], digits));
				break;
			}
		} else {
			int nd_reason = strcmp(r->field[x[C_REASON]], "non_delivery") == 0;
			int64_t f = input_micro(r, x[C_FRACTION]);
			int64_t nd = input_money(r, x[C_ND], digits);

			if (f <= 0 || f > MONEY_MICRO)
				input_bad(r, x[C_FRACTION], "fraction outside (0, 1]:");
			if (nd != 0 && (!nd_reason || (mode != M_JL && mode != M_JL_MERCHANT)))
				return REJECT_ND_COMPENSATION;
			if (mode == M_OFFLINE || mode == M_JL_MERCHANT) {
				_add(ls, TYPE_RCM, -_round_micro2(ps * keep * f));
			} else if (mode == M_OFFLINE_JL || !nd_reason) {
				/* offline_jl, and jl refunded for quality or other */
				_add(ls, TYPE_RCM,
				     -_round_micro2(
					     ((__int128)p * keep + (__int128)s * MONEY_MICRO) * f));
			} else {
				/* jl, non-delivery: shipping is refunded by JL */
				int64_t sf = _round_micro((__int128)s * f);

				_add(ls, TYPE_RCM, -_round_micro2((__int128)p * keep * f));
				_add(ls, TYPE_RJLCM, -sf);
				_add(ls, TYPE_JLOCM, sf);
			}
			if (nd != 0)
				_add(ls, TYPE_ND, nd);
		}
		return -1;
	}
	input_bad(r, x[C_KIND], "not an event kind (order, refund, ad, weight):");
}

/* Copy a field and a tab. */
static char *
_put(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	o[n] = '\t';
	return o + n + 1;
}

/* Write the event's lines; raw goes on its first line only, which is
 * enough for a later stage to reject the whole event. */
static void
_write(struct ctx *c, const struct lines *ls, int64_t at)
{
	const tsv_reader *r = &c->in;
	const int *x = c->idx;
	char ts[PERIOD_TIME_LEN + 1];
	int i, digits = money_currency_digits(r->field[x[C_CURRENCY]], r->flen[x[C_CURRENCY]]);
	const char *late = at < c->start ? "1" : "0";

	period_format_time(at, ts);
	for (i = 0; i < ls->n; i++) {
		size_t room = 256 + r->rowlen;
		char *o = eout_room(c->lines, room), *start = o;
		const char *code = schema_type_code(ls->type[i]);

		o = _put(o, c->period, PERIOD_ID_LEN);
		o = _put(o, r->field[x[C_KIND]], r->flen[x[C_KIND]]);
		o = _put(o, r->field[x[C_EVENT]], r->flen[x[C_EVENT]]);
		o = _put(o, r->field[x[C_ORDER]], r->flen[x[C_ORDER]]);
		o = _put(o, r->field[x[C_MERCHANT]], r->flen[x[C_MERCHANT]]);
		o = _put(o, r->field[x[C_CURRENCY]], r->flen[x[C_CURRENCY]]);
		o = _put(o, r->field[x[C_COUNTRY]], r->flen[x[C_COUNTRY]]);
		o = _put(o, ts, PERIOD_TIME_LEN);
		o = _put(o, late, 1);
		o = _put(o, code, strlen(code));
		o += money_format(ls->amount[i], digits, o);
		*o++ = '\t';
		o = _put(o, r->field[x[C_SOURCE]], r->flen[x[C_SOURCE]]);
		o = _put(o, r->field[x[C_LINE]], r->flen[x[C_LINE]]);
		if (i == 0) {
			memcpy(o, r->field[x[C_RAW]], r->flen[x[C_RAW]]);
			o += r->flen[x[C_RAW]];
		}
		*o++ = '\n';
		out_commit(c->lines, (size_t)(o - start));
	}
}

/* Stream the events. */
static void
process(const struct options *opt)
{
	static out lines, rejects;
	static const char *const count_cols[] = {"events", "priced", "tolerated", "rejected"};
	struct ctx c;
	struct lines ls;
	tally counts;

	memset(&c, 0, sizeof c);
	memset(&counts, 0, sizeof counts);
	c.opt = opt;
	c.start = period_start(opt->period);
	c.end = period_end(opt->period);
	period_format(opt->period, c.period);
	_load_rates(opt->rates);
	input_open(&c.in, opt->input);
	input_require(&c.in, event_cols, c.idx, C_N);
	out_init(&lines, 1);
	c.lines = &lines;
	if (opt->rejects) {
		eout_open(&rejects, opt->rejects);
		c.rej = &rejects;
		reject_write_header(c.rej);
	}
	out_puts(c.lines, SCHEMA_PRICED_HEADER);
	while (input_next(&c.in)) {
		int64_t at = input_time(&c.in, c.idx[C_AT]);
		int reason;

		input_ident(&c.in, c.idx[C_MERCHANT]);
		reason = _price(&c, &ls, at);
		if (reason >= 0)
			_reject(&c, reason);
		else
			_write(&c, &ls, at);
		if (opt->counts &&
		    (tally_add(&counts, c.in.field[c.idx[C_SOURCE]], c.in.flen[c.idx[C_SOURCE]], 0,
			       1) < 0 ||
		     tally_add(&counts, c.in.field[c.idx[C_SOURCE]], c.in.flen[c.idx[C_SOURCE]],
			       reason >= 0 ? 3
			       : ls.n == 0 ? 2
					   : 1,
			       1) < 0))
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	}
	tsv_close(&c.in);
	if (c.rej)
		eout_close(c.rej, opt->rejects);
	eout_close(c.lines, "<stdout>");
	strset_free(&rates.keys);
	free(rates.row);
	free(rates.first);
	if (opt->counts)
		tally_write(&counts, opt->counts, "source", count_cols, 4);
	tally_free(&counts);
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
