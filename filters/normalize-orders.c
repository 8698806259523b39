/* normalize-orders: validate a period's raw drop into one event stream.
 *
 * Reads the drop's orders, refunds, ads, weights and payouts-paid files
 * (CSV through libcsv, or TSV), checks every row in the order SPEC 11
 * gives, and writes the accepted rows as canonical events on stdout; the
 * rejected ones go to the rejects file verbatim.  Payout confirmations go
 * to their own file for net-payouts.  Memory holds only the per-source
 * duplicate-id set. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvin.h"
#include "ident.h"
#include "money.h"
#include "msg.h"
#include "out.h"
#include "period.h"
#include "reject.h"
#include "schema.h"
#include "strset.h"
#include "text.h"
#include "tsv.h"

enum kind { K_ORDER, K_REFUND, K_AD, K_WEIGHT, K_PAID, K_NKINDS };

/* Columns of each source, in the order SPEC 4 lists them. */
static const char *const cols_order[] = {
	"order_id", "merchant_id",   "shipped_at",     "ship_mode", "dest_country",
	"currency", "product_price", "shipping_price", "jl_cost",   "category",
};
static const char *const cols_refund[] = {
	"refund_id", "order_id",	"merchant_id",	  "refunded_at", "reason",
	"fraction",  "nd_compensation", "shipped_at",	  "ship_mode",	 "dest_country",
	"currency",  "product_price",	"shipping_price", "category",
};
static const char *const cols_ad[] = {
	"charge_id", "merchant_id", "spent_on", "currency", "amount",
};
static const char *const cols_weight[] = {
	"audit_id",   "order_id", "merchant_id",   "audited_at",  "currency",
	"declared_g", "actual_g", "cost_declared", "cost_actual",
};
static const char *const cols_paid[] = {"payout_no", "paid_on"};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static struct source {
	const char *name; /* file name without extension */
	const char *kind; /* the event's kind column */
	const char *const *cols;
	size_t ncols;
	strset ids; /* ids seen in this source (.csv and .tsv) */
} sources[K_NKINDS] = {
	{"orders", "order", cols_order, NCOLS(cols_order), {0}},
	{"refunds", "refund", cols_refund, NCOLS(cols_refund), {0}},
	{"ads", "ad", cols_ad, NCOLS(cols_ad), {0}},
	{"weights", "weight", cols_weight, NCOLS(cols_weight), {0}},
	{"payouts-paid", "paid", cols_paid, NCOLS(cols_paid), {0}},
};

enum ship_mode { SM_OFFLINE, SM_OFFLINE_JL, SM_JL, SM_JL_MERCHANT, SM_NMODES };
static const char *const ship_modes[SM_NMODES] = {"offline", "offline_jl", "jl", "jl_merchant"};
static const char *const reasons[] = {"non_delivery", "quality", "other"};

struct options {
	int period; /* run period, or -1 when unknown */
	const char *rejects;
	const char *confirmations;
	const char *stdin_as; /* the drop file name standard input stands for */
	const char *counts;   /* per file: rows read, accepted, rejected */
	const char *progress; /* where to show progress */
	char **paths;
	int npaths;
};

/* One input file to read. */
struct input {
	char *path;	   /* as given or joined to the drop directory */
	const char *label; /* for messages: the path, or <stdin> */
	const char *base;  /* file name: the `source` of rejects */
	int kind;
	int csv;
};

/* A record of either format, as the checks see it. */
struct record {
	long line;
	int malformed;
	const char *raw;
	size_t rawlen;
	size_t nfield;
	char **field;
	size_t *flen;
};

/* Per-file reading state handed to the row checks. */
struct ctx {
	const struct options *opt;
	const struct input *in;
	struct source *src;
	int idx[16];	       /* column index of each of src->cols */
	size_t ncol;	       /* the header's field count */
	out *out, *rej, *conf; /* rej and conf are NULL when not asked for */
	text_buf esc;
	msg_progress progress;
	long total; /* rows read in all files */
	long nread, nrejected;
};

static const char usage[] =
	"Usage: normalize-orders [--period P] [--rejects FILE] [--confirmations FILE]\n"
	"                        DROP_DIR|FILE...\n"
	"\n"
	"Validate a period's raw drop and write one canonical event stream (TSV) on\n"
	"stdout.  A DROP_DIR is searched for orders, refunds, ads, weights and\n"
	"payouts-paid, each as .csv (read first) and/or .tsv; a FILE must be named\n"
	"like one of them.  Rejected rows go to the rejects file (source, line,\n"
	"reason, raw); without --rejects each is reported on stderr.\n"
	"\n"
	"  --period P            the run's period (YYYY-MM-1 or YYYY-MM-2): rows dated\n"
	"                        on or after its issue date are rejected 'future'.\n"
	"                        Default: the drop directory's name when it is a period.\n"
	"  --rejects FILE        write rejected rows to FILE\n"
	"  --confirmations FILE  write accepted payouts-paid rows to FILE; without it\n"
	"                        payouts-paid files are not read (a warning says so)\n"
	"  --stdin-as NAME       read '-' (standard input) as the drop file NAME,\n"
	"                        for example orders.csv\n"
	"  --counts FILE         write per file: source, rows, accepted, rejected\n"
	"  --progress FILE       show rows read on FILE (default: stderr when a terminal)\n"
	"  --help                show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n"
	"\n"
	"Example:\n"
	"  normalize-orders --rejects rejects.tsv in/2024-03-1 > events.tsv\n";

static int _classify(const char *base, int *csv);

/* Options and their checks; nothing is read before they are valid. */
static void
parse_args(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{"period", required_argument, NULL, 'p'},
		{"rejects", required_argument, NULL, 'r'},
		{"confirmations", required_argument, NULL, 'c'},
		{"stdin-as", required_argument, NULL, 's'},
		{"counts", required_argument, NULL, 'n'},
		{"progress", required_argument, NULL, 'g'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(opt, 0, sizeof *opt);
	opt->period = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': opt->period = msg_period_arg("--period", optarg); break;
		case 'r': opt->rejects = optarg; break;
		case 'c': opt->confirmations = optarg; break;
		case 's': opt->stdin_as = optarg; break;
		case 'n': opt->counts = optarg; break;
		case 'g': opt->progress = optarg; break;
		case 'h': fputs(usage, stdout); exit(EXIT_OK);
		default: msg_bad_option(c, argv);
		}
	}
	opt->paths = argv + optind;
	opt->npaths = argc - optind;
	if (opt->npaths == 0)
		msg_usage("no drop directory or file given");
	if (opt->stdin_as) {
		int csv;

		if (_classify(opt->stdin_as, &csv) < 0)
			msg_usage(
				"--stdin-as: not a drop file name (orders, refunds, ads, weights, "
				"payouts-paid with .csv or .tsv): '%s'",
				opt->stdin_as);
	}
}

/* Source kind and format of a file name, or -1. */
static int
_classify(const char *base, int *csv)
{
	const char *dot = strrchr(base, '.');
	int k;

	if (!dot)
		return -1;
	if (strcmp(dot, ".csv") == 0)
		*csv = 1;
	else if (strcmp(dot, ".tsv") == 0)
		*csv = 0;
	else
		return -1;
	for (k = 0; k < K_NKINDS; k++)
		if (strlen(sources[k].name) == (size_t)(dot - base) &&
		    strncmp(base, sources[k].name, (size_t)(dot - base)) == 0)
			return k;
	return -1;
}

/* Last path component. */
static const char *
_basename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Sort helper for directory listings. */
static int
_cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append one input. */
static void
_add_input(struct input **in, size_t *n, char *path, int kind, int csv)
{
	*in = xrealloc(*in, (*n + 1) * sizeof **in);
	(*in)[*n].path = path;
	(*in)[*n].base = _basename(path);
	(*in)[*n].label = strcmp(path, "-") == 0 ? "<stdin>" : path;
	(*in)[*n].kind = kind;
	(*in)[*n].csv = csv;
	(*n)++;
}

/* The files of a drop directory in their fixed order; other files are
 * named on stderr so that a misnamed export is not silently skipped. */
static void
_add_dir(struct input **in, size_t *n, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t nnames = 0, i;
	int k, csv;

	if (!d)
		msg_fatal(EXIT_DATA, dir, 0, "cannot read directory:");
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (nnames + 1) * sizeof *names);
		names[nnames++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (nnames > 1)
		qsort(names, nnames, sizeof *names, _cmpstr);
	for (k = 0; k < K_NKINDS; k++)
		for (csv = 1; csv >= 0; csv--)
			for (i = 0; i < nnames; i++) {
				int kc, kk = _classify(names[i], &kc);

				if (kk == k && kc == csv) {
					size_t len = strlen(dir) + strlen(names[i]) + 2;
					char *path = xmalloc(len);

					snprintf(path, len, "%s/%s", dir, names[i]);
					_add_input(in, n, path, k, csv);
				}
			}
	for (i = 0; i < nnames; i++) {
		int kc;

		if (_classify(names[i], &kc) < 0)
			msg_warn(dir, 0,
				 "'%s' is not a drop file (orders, refunds, ads, weights, "
				 "payouts-paid as .csv or .tsv): ignored",
				 names[i]);
		free(names[i]);
	}
	free(names);
}

/* Period named by a drop directory (its last component), or -1. */
static int
_period_of_dir(const char *path)
{
	char *copy = xstrdup(path);
	size_t n = strlen(copy);
	int p = -1;

	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	if (period_parse(_basename(copy), strlen(_basename(copy)), &p) < 0)
		p = -1;
	free(copy);
	return p;
}

/* Field k (in src->cols order) of the record. */
#define F(k) (r->field[c->idx[(k)]])
#define L(k) (r->flen[c->idx[(k)]])

/* Copy a field and its tab separator at o; returns the next position.
 * The row's room was reserved once (see _emit), so no call here grows it. */
static char *
_put(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	o[n] = '\t';
	return o + n + 1;
}

/* Copy a C string field. */
static char *
_puts(char *o, const char *s)
{
	return _put(o, s, strlen(s));
}

/* n empty fields. */
static char *
_empty(char *o, int n)
{
	while (n-- > 0)
		*o++ = '\t';
	return o;
}

/* Reject the current record. */
static void
_reject(struct ctx *c, const struct record *r, int reason)
{
	c->nrejected++;
	c->esc.len = 0;
	if (text_escape(&c->esc, r->raw, r->rawlen) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	if (c->rej && reject_write(c->rej, c->in->base, r->line, reason, c->esc.p, c->esc.len) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	if (c->rej)
		return;
	msg_warn(c->in->label, r->line, "rejected (%s): %s", reject_name(reason), c->esc.p);
}

/* Index of s in a list of names, or -1. */
static int
_lookup(const char *s, size_t n, const char *const *list, int nlist)
{
	int i;

	for (i = 0; i < nlist; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return i;
	return -1;
}

/* Parsed values of a row that passed every check. */
struct values {
	int64_t at, shipped_at;
	int ship_mode, reason, digits;
	int64_t price, shipping, jl_cost, nd, amount;
	int has_jl_cost;
	int64_t fraction, declared_g, actual_g, cost_declared, cost_actual;
};

/* Money field k; `optional` lets it be empty (absent).  Returns 0 when
 * it parsed, 1 when empty and allowed, -1 when bad. */
static int
_money(const struct ctx *c, const struct record *r, int k, int digits, int optional, int64_t *out)
{
	if (L(k) == 0 && optional) {
		*out = 0;
		return 1;
	}
	return money_parse(F(k), L(k), digits, out) == MONEY_OK ? 0 : -1;
}

/* The checks that need no other row: malformed CSV, field count, UTF-8,
 * bad characters and the primary identifier.  Returns a reason or -1. */
static int
_precheck(const struct ctx *c, const struct record *r)
{
	if (r->malformed)
		return REJECT_MALFORMED_CSV;
	if (r->nfield != c->ncol)
		return REJECT_FIELD_COUNT;
	/* A CSV record's raw bytes hold a tab, CR or LF exactly when one of
	 * its fields does (only a malformed record breaks this, and it was
	 * turned away above); in TSV the tab is the separator. */
	switch (text_check(r->raw, r->rawlen, !c->in->csv)) {
	case TEXT_BAD_UTF8: return REJECT_BAD_UTF8;
	case TEXT_BAD_CHAR: return REJECT_BAD_CHAR;
	}
	if (!ident_valid(F(0), L(0)))
		return REJECT_BAD_ID;
	return -1;
}

/* The remaining checks of SPEC 11 in their order, from the duplicate id
 * on, for a record that passed _precheck(); returns a reason or -1. */
static int
_check(struct ctx *c, const struct record *r, uint64_t hash, struct values *v)
{
	int kind = c->in->kind, isnew;

	if (strset_add_hashed(&c->src->ids, F(0), L(0), hash, &isnew) < 0)
		msg_fatal(EXIT_DATA, c->in->label, r->line, "out of memory for the id set");
	if (!isnew)
		return REJECT_DUPLICATE;
	switch (kind) {
	case K_ORDER:
	case K_AD:
		if (!ident_valid(F(1), L(1)))
			return REJECT_BAD_ID;
		break;
	case K_REFUND:
	case K_WEIGHT:
		if (!ident_valid(F(1), L(1)) || !ident_valid(F(2), L(2)))
			return REJECT_BAD_ID;
		break;
	}

	/* Dates, then the deciding date against the run's issue date. */
	switch (kind) {
	case K_ORDER:
		if (period_parse_time(F(2), L(2), &v->at) < 0)
			return REJECT_BAD_DATE;
		v->shipped_at = v->at;
		break;
	case K_REFUND:
		if (period_parse_time(F(3), L(3), &v->at) < 0 ||
		    period_parse_time(F(7), L(7), &v->shipped_at) < 0)
			return REJECT_BAD_DATE;
		break;
	case K_AD:
		if (period_parse_time(F(2), L(2), &v->at) < 0)
			return REJECT_BAD_DATE;
		break;
	case K_WEIGHT:
		if (period_parse_time(F(3), L(3), &v->at) < 0)
			return REJECT_BAD_DATE;
		break;
	case K_PAID:
		if (period_parse_time(F(1), L(1), &v->at) < 0)
			return REJECT_BAD_DATE;
		break;
	}
	if (c->opt->period >= 0 && v->at >= period_issue_date(c->opt->period))
		return REJECT_FUTURE;
	if (kind == K_PAID)
		return -1;

	/* Codes. */
	if (kind == K_ORDER || kind == K_REFUND) {
		int k = kind == K_ORDER ? 3 : 8;

		v->ship_mode = _lookup(F(k), L(k), ship_modes, SM_NMODES);
		if (v->ship_mode < 0)
			return REJECT_UNKNOWN_SHIP_MODE;
	}
	if (kind == K_REFUND) {
		v->reason = _lookup(F(4), L(4), reasons, 3);
		if (v->reason < 0)
			return REJECT_UNKNOWN_REASON;
	}
	{
		int k = kind == K_ORDER ? 5 : kind == K_REFUND ? 10 : kind == K_AD ? 3 : 4;

		v->digits = money_currency_digits(F(k), L(k));
		if (v->digits < 0)
			return REJECT_UNKNOWN_CURRENCY;
	}

	/* Numbers, then signs, then ranges. */
	switch (kind) {
	case K_ORDER: {
		int jl;

		if (_money(c, r, 6, v->digits, 0, &v->price) < 0 ||
		    _money(c, r, 7, v->digits, 0, &v->shipping) < 0)
			return REJECT_BAD_NUMBER;
		jl = _money(c, r, 8, v->digits, v->ship_mode != SM_JL_MERCHANT, &v->jl_cost);
		if (jl < 0)
			return REJECT_BAD_NUMBER;
		v->has_jl_cost = jl == 0;
		/* (p + s) appears in the take-rate formulas: it must fit. */
		if (v->price >= 0 && v->shipping >= 0 && v->price > INT64_MAX - v->shipping)
			return REJECT_BAD_NUMBER;
		if (v->price < 0 || v->shipping < 0 || v->jl_cost < 0)
			return REJECT_NEGATIVE_PRICE;
		break;
	}
	case K_REFUND:
		if (money_parse_micro(F(5), L(5), &v->fraction) != MONEY_OK ||
		    _money(c, r, 6, v->digits, 1, &v->nd) < 0 ||
		    _money(c, r, 11, v->digits, 0, &v->price) < 0 ||
		    _money(c, r, 12, v->digits, 0, &v->shipping) < 0)
			return REJECT_BAD_NUMBER;
		if (v->price >= 0 && v->shipping >= 0 && v->price > INT64_MAX - v->shipping)
			return REJECT_BAD_NUMBER;
		if (v->nd < 0 || v->price < 0 || v->shipping < 0)
			return REJECT_NEGATIVE_PRICE;
		if (v->fraction <= 0 || v->fraction > MONEY_MICRO)
			return REJECT_FRACTION_RANGE;
		if (v->nd != 0 &&
		    (v->reason != 0 || (v->ship_mode != SM_JL && v->ship_mode != SM_JL_MERCHANT)))
			return REJECT_ND_COMPENSATION;
		break;
	case K_AD:
		if (_money(c, r, 4, v->digits, 0, &v->amount) < 0)
			return REJECT_BAD_NUMBER;
		break;
	case K_WEIGHT:
		if (money_parse_micro(F(5), L(5), &v->declared_g) != MONEY_OK ||
		    money_parse_micro(F(6), L(6), &v->actual_g) != MONEY_OK ||
		    _money(c, r, 7, v->digits, 0, &v->cost_declared) < 0 ||
		    _money(c, r, 8, v->digits, 0, &v->cost_actual) < 0)
			return REJECT_BAD_NUMBER;
		if (v->declared_g < 0 || v->actual_g < 0)
			return REJECT_NEGATIVE_WEIGHT;
		if (v->cost_declared < 0 || v->cost_actual < 0)
			return REJECT_NEGATIVE_PRICE;
		break;
	}
	return -1;
}

/* A money value in canonical form. */
static char *
_put_money(char *o, int64_t v, int digits)
{
	o += money_format(v, digits, o);
	*o++ = '\t';
	return o;
}

/* A six-decimal value in its shortest exact form. */
static char *
_put_micro(char *o, int64_t v)
{
	o += money_format_micro(v, o);
	*o++ = '\t';
	return o;
}

/* An instant as YYYY-MM-DDTHH:MM:SSZ. */
static char *
_put_time(char *o, int64_t t)
{
	period_format_time(t, o);
	o[PERIOD_TIME_LEN] = '\t';
	return o + PERIOD_TIME_LEN + 1;
}

/* A line number and its tab. */
static char *
_put_line(char *o, long line)
{
	char tmp[24], *p = tmp + sizeof tmp;

	do {
		*--p = (char)('0' + line % 10);
		line /= 10;
	} while (line > 0);
	return _put(o, p, (size_t)(tmp + sizeof tmp - p));
}

/* Write the canonical event (or confirmation) of an accepted row straight
 * into the output buffer. */
static void
_emit(struct ctx *c, const struct record *r, const struct values *v)
{
	int kind = c->in->kind;
	out *dst = kind == K_PAID ? c->conf : c->out;
	size_t i, room = 512 + strlen(c->in->base) + 4 * r->rawlen;
	char *o, *start;

	/* Fields are copied at most once, raw escaped at most fourfold;
	 * formatted values are short. */
	for (i = 0; i < r->nfield; i++)
		room += r->flen[i];
	o = start = eout_room(dst, room);
	if (kind != K_PAID)
		o = _puts(o, c->src->kind);
	o = _puts(o, c->in->base);
	o = _put_line(o, r->line);
	o = _put(o, F(0), L(0));
	if (kind == K_PAID) {
		o = _put_time(o, v->at);
		goto raw;
	}
	/* order_id merchant_id at currency */
	switch (kind) {
	case K_ORDER: o = _put(o, F(0), L(0)), o = _put(o, F(1), L(1)); break;
	case K_REFUND: o = _put(o, F(1), L(1)), o = _put(o, F(2), L(2)); break;
	case K_AD: o = _empty(o, 1), o = _put(o, F(1), L(1)); break;
	case K_WEIGHT: o = _put(o, F(1), L(1)), o = _put(o, F(2), L(2)); break;
	}
	o = _put_time(o, v->at);
	switch (kind) {
	case K_ORDER: o = _put(o, F(5), L(5)); break;
	case K_REFUND: o = _put(o, F(10), L(10)); break;
	case K_AD: o = _put(o, F(3), L(3)); break;
	case K_WEIGHT: o = _put(o, F(4), L(4)); break;
	}
	/* ship_mode dest_country category shipped_at product_price
	 * shipping_price jl_cost reason fraction nd_compensation */
	if (kind == K_ORDER || kind == K_REFUND) {
		int ord = kind == K_ORDER;

		o = _puts(o, ship_modes[v->ship_mode]);
		o = _put(o, F(ord ? 4 : 9), L(ord ? 4 : 9));
		o = _put(o, F(ord ? 9 : 13), L(ord ? 9 : 13));
		o = _put_time(o, v->shipped_at);
		o = _put_money(o, v->price, v->digits);
		o = _put_money(o, v->shipping, v->digits);
		o = ord && v->has_jl_cost ? _put_money(o, v->jl_cost, v->digits) : _empty(o, 1);
		if (ord) {
			o = _empty(o, 3);
		} else {
			o = _puts(o, reasons[v->reason]);
			o = _put_micro(o, v->fraction);
			o = _put_money(o, v->nd, v->digits);
		}
	} else {
		o = _empty(o, 10);
	}
	/* amount declared_g actual_g cost_declared cost_actual */
	if (kind == K_AD) {
		o = _put_money(o, v->amount, v->digits);
		o = _empty(o, 4);
	} else if (kind == K_WEIGHT) {
		o = _empty(o, 1);
		o = _put_micro(o, v->declared_g);
		o = _put_micro(o, v->actual_g);
		o = _put_money(o, v->cost_declared, v->digits);
		o = _put_money(o, v->cost_actual, v->digits);
	} else {
		o = _empty(o, 5);
	}
raw:
	/* raw, escaped, ends the row. */
	o += text_escape_to(o, r->raw, r->rawlen);
	*o++ = '\n';
	out_commit(dst, (size_t)(o - start));
}

/* Records wait in a small batch so that the id-set slots of the whole
 * batch are fetched from memory together; the checks then run row by
 * row in input order, so the first row with an id is still the one that
 * goes on. */
enum { BATCH = 64 };

struct held {
	struct record r;
	size_t raw_off, field0; /* offsets into the batch's bytes and fields */
	int reason;		/* _precheck()'s verdict */
	uint64_t hash;		/* hash of the primary id */
};

static struct {
	struct held h[BATCH];
	int n;
	text_buf bytes; /* raw and field bytes of the held records */
	size_t *foff, *flen;
	char **fptr;
	size_t nf, fcap;
} batch;

/* Check and route every held record, then empty the batch. */
static void
_drain(struct ctx *c)
{
	int i;
	size_t k;

	for (k = 0; k < batch.nf; k++)
		batch.fptr[k] = batch.bytes.p + batch.foff[k];
	for (i = 0; i < batch.n; i++) {
		struct held *h = &batch.h[i];
		const struct record *r = &h->r;

		h->r.raw = batch.bytes.p + h->raw_off;
		h->r.field = batch.fptr + h->field0;
		h->r.flen = batch.flen + h->field0;
		h->reason = _precheck(c, r);
		if (h->reason < 0) {
			h->hash = strset_hash(F(0), L(0));
			strset_prefetch(&c->src->ids, h->hash);
		}
	}
	for (i = 0; i < batch.n; i++) {
		struct held *h = &batch.h[i];
		struct values v;

		memset(&v, 0, sizeof v);
		if (h->reason < 0)
			h->reason = _check(c, &h->r, h->hash, &v);
		if (h->reason >= 0)
			_reject(c, &h->r, h->reason);
		else
			_emit(c, &h->r, &v);
	}
	batch.n = 0;
	batch.nf = 0;
	batch.bytes.len = 0;
}

/* Copy a record into the batch; drain it when full. */
static void
_record(struct ctx *c, const struct record *r)
{
	struct held *h = &batch.h[batch.n];
	size_t i;

	c->nread++;
	if (batch.nf + r->nfield > batch.fcap) {
		batch.fcap = (batch.nf + r->nfield) * 2;
		batch.foff = xrealloc(batch.foff, batch.fcap * sizeof *batch.foff);
		batch.flen = xrealloc(batch.flen, batch.fcap * sizeof *batch.flen);
		batch.fptr = xrealloc(batch.fptr, batch.fcap * sizeof *batch.fptr);
	}
	h->r = *r;
	h->raw_off = batch.bytes.len;
	h->field0 = batch.nf;
	if (text_append(&batch.bytes, r->raw, r->rawlen) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	for (i = 0; i < r->nfield; i++) {
		batch.foff[batch.nf] = batch.bytes.len;
		batch.flen[batch.nf++] = r->flen[i];
		if (text_append(&batch.bytes, r->field[i], r->flen[i]) < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	}
	if (++batch.n == BATCH) {
		_drain(c);
		c->total += BATCH;
		if ((c->total & 0xffff) == 0)
			msg_progress_show(&c->progress, "%ld rows read", c->total);
	}
}

/* Resolve the source's columns in the header; a missing one stops the run. */
static void
_resolve(struct ctx *c, char **names, size_t n)
{
	size_t i, k;

	for (k = 0; k < c->src->ncols; k++) {
		c->idx[k] = -1;
		for (i = 0; i < n; i++)
			if (strcmp(names[i], c->src->cols[k]) == 0) {
				c->idx[k] = (int)i;
				break;
			}
		if (c->idx[k] < 0)
			msg_fatal(EXIT_DATA, c->in->label, 1, "missing required column '%s'%s",
				  c->src->cols[k],
				  n && strchr(names[n - 1], '\r')
					  ? " (the header ends with CR: TSV rows must end with LF "
					    "only)"
					  : "");
	}
	c->ncol = n;
}

/* Read a CSV file record by record. */
static void
_read_csv(struct ctx *c)
{
	csvin in;
	csvin_record rec;
	struct record r;
	int rc;
	size_t i;
	char **names;

	if (csvin_open(&in, c->in->path) < 0)
		msg_fatal(EXIT_DATA, c->in->label, 0, "cannot open:");
	rc = csvin_next(&in, &rec);
	if (rc == CSVIN_EOF)
		msg_fatal(EXIT_DATA, c->in->label, 0, "empty file: no header");
	if (rc < 0)
		goto ioerr;
	if (rec.malformed)
		msg_fatal(EXIT_DATA, c->in->label, 1, "malformed header");
	names = xmalloc(rec.nfield * sizeof *names);
	for (i = 0; i < rec.nfield; i++)
		names[i] = xstrdup(rec.field[i]);
	_resolve(c, names, rec.nfield);
	for (i = 0; i < rec.nfield; i++)
		free(names[i]);
	free(names);
	while ((rc = csvin_next(&in, &rec)) == CSVIN_RECORD) {
		r.line = rec.line;
		r.malformed = rec.malformed;
		r.raw = rec.raw;
		r.rawlen = rec.rawlen;
		r.nfield = rec.nfield;
		r.field = rec.field;
		r.flen = rec.flen;
		_record(c, &r);
	}
	if (rc < 0)
		goto ioerr;
	_drain(c);
	csvin_close(&in);
	return;
ioerr:
	msg_fatal(EXIT_DATA, c->in->label, 0, "%s",
		  rc == CSVIN_ENOMEM ? "out of memory" : strerror(errno));
}

/* Read a TSV file row by row. */
static void
_read_tsv(struct ctx *c)
{
	tsv_reader in;
	struct record r;
	int rc;

	if (tsv_open(&in, c->in->path) < 0)
		msg_fatal(EXIT_DATA, c->in->label, 0, "cannot open:");
	rc = tsv_read_header(&in);
	if (rc == TSV_EOF)
		msg_fatal(EXIT_DATA, c->in->label, 0, "empty file: no header");
	if (rc < 0)
		msg_fatal(EXIT_DATA, c->in->label, 0, "%s", tsv_strerror(rc));
	_resolve(c, in.names, in.ncol);
	in.keep_raw = 1;
	while ((rc = tsv_read(&in)) == TSV_ROW) {
		r.line = in.line;
		r.malformed = 0;
		r.raw = in.row;
		r.rawlen = in.rowlen;
		r.nfield = in.nfield;
		r.field = in.field;
		r.flen = in.flen;
		_record(c, &r);
	}
	if (rc < 0)
		msg_fatal(EXIT_DATA, c->in->label, 0, "%s", tsv_strerror(rc));
	_drain(c);
	tsv_close(&in);
}

/* Rows a file probably holds, from its size and the line length of its
 * first 64 KiB; 0 for standard input.  Used to size the id set once. */
static size_t
_estimate_rows(const char *path)
{
	static char buf[1 << 16];
	struct stat st;
	size_t n, lines = 0, i;
	FILE *fp;

	if (strcmp(path, "-") == 0 || stat(path, &st) < 0 || !(fp = fopen(path, "rb")))
		return 0;
	n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	for (i = 0; i < n; i++)
		lines += buf[i] == '\n';
	if (lines == 0 || (off_t)n >= st.st_size)
		return lines + 1;
	return (size_t)((double)st.st_size / ((double)n / (double)lines) * 1.05);
}

/* Read every input in order; sources reset their id sets when the next
 * source begins, so memory holds one source's ids at a time. */
static void
process(const struct options *opt, struct input *in, size_t nin)
{
	static out events, rejects, confirmations, counts;
	struct ctx c;
	size_t i;
	int last = -1;

	memset(&c, 0, sizeof c);
	c.opt = opt;
	out_init(&events, 1);
	c.out = &events;
	if (opt->rejects) {
		eout_open(&rejects, opt->rejects);
		c.rej = &rejects;
		reject_write_header(c.rej);
	}
	if (opt->confirmations) {
		eout_open(&confirmations, opt->confirmations);
		c.conf = &confirmations;
		out_puts(c.conf, SCHEMA_CONFIRMATION_HEADER);
	}
	out_puts(c.out, SCHEMA_EVENT_HEADER);
	msg_progress_open(&c.progress, opt->progress);
	if (opt->counts) {
		eout_open(&counts, opt->counts);
		out_puts(&counts, "source\trows\taccepted\trejected\n");
	}
	for (i = 0; i < nin; i++) {
		c.in = &in[i];
		c.src = &sources[in[i].kind];
		if (in[i].kind == K_PAID && !c.conf) {
			msg_warn(in[i].label, 0, "not read: no --confirmations file given");
			continue;
		}
		if (last != in[i].kind) {
			size_t j, rows = 0;

			if (last >= 0)
				strset_free(&sources[last].ids);
			for (j = i; j < nin && in[j].kind == in[i].kind; j++)
				rows += _estimate_rows(in[j].path);
			if (strset_reserve(&sources[in[i].kind].ids, rows) < 0)
				msg_fatal(EXIT_DATA, in[i].label, 0,
					  "out of memory for the id set");
		}
		last = in[i].kind;
		c.nread = c.nrejected = 0;
		if (in[i].csv)
			_read_csv(&c);
		else
			_read_tsv(&c);
		if (opt->counts) {
			char row[256];

			snprintf(row, sizeof row, "\t%ld\t%ld\t%ld\n", c.nread,
				 c.nread - c.nrejected, c.nrejected);
			out_puts(&counts, in[i].base);
			out_puts(&counts, row);
		}
	}
	if (c.rej)
		eout_close(c.rej, opt->rejects);
	if (c.conf)
		eout_close(c.conf, opt->confirmations);
	msg_progress_end(&c.progress, "%ld rows read", c.total + batch.n);
	eout_close(c.out, "<stdout>");
	if (opt->counts)
		eout_close(&counts, opt->counts);
	text_free(&c.esc);
	text_free(&batch.bytes);
	free(batch.foff);
	free(batch.flen);
	free(batch.fptr);
	for (i = 0; i < K_NKINDS; i++)
		strset_free(&sources[i].ids);
}

int
main(int argc, char **argv)
{
	struct options opt;
	struct input *in = NULL;
	size_t nin = 0, i;
	int k, csv;
	struct stat st;

	msg_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	for (k = 0; k < opt.npaths; k++) {
		const char *p = opt.paths[k];

		if (strcmp(p, "-") == 0) {
			if (!opt.stdin_as)
				msg_usage("'-' (standard input) needs --stdin-as NAME, for example "
					  "--stdin-as orders.csv");
			i = (size_t)_classify(opt.stdin_as, &csv);
			_add_input(&in, &nin, xstrdup("-"), (int)i, csv);
			in[nin - 1].base = opt.stdin_as;
			continue;
		}
		if (stat(p, &st) < 0)
			msg_fatal(EXIT_DATA, p, 0, "cannot open:");
		if (S_ISDIR(st.st_mode)) {
			if (opt.period < 0 && opt.npaths == 1)
				opt.period = _period_of_dir(p);
			_add_dir(&in, &nin, p);
			continue;
		}
		if ((i = (size_t)_classify(_basename(p), &csv)) == (size_t)-1)
			msg_usage("'%s': not a drop file name (orders, refunds, ads, weights, "
				  "payouts-paid with .csv or .tsv)",
				  p);
		_add_input(&in, &nin, xstrdup(p), (int)i, csv);
	}
	process(&opt, in, nin);
	for (i = 0; i < nin; i++)
		free(in[i].path);
	free(in);
	return EXIT_OK;
}
