/* reconcile: check that a period's run accounted for every row and cent.
 *
 * Reads the reports the filters wrote in the period's working directory
 * (counts of rows per source file at each stage, money per entity and
 * currency at build-invoices and net-payouts), counts the rejects files,
 * sums the output files and the previous state, and writes reconcile.tsv:
 * each measure, then each identity that must hold with its verdict.  Exits
 * 1 when an identity does not hold. */
#include <dirent.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "linesum.h"
#include "money.h"
#include "msg.h"
#include "out.h"
#include "period.h"
#include "state.h"
#include "strset.h"
#include "tally.h"
#include "totals.h"

struct options {
	int period;
	const char *dir, *state_in;
	int forecast;		  /* --forecast: no lines.tsv */
	const char *lines_totals; /* --lines-totals: the sums of lines.tsv made as it was written */
	const char *sum_lines;	  /* --sum-lines COPY */
	int uncached;		  /* --uncached: COPY kept out of the page cache */
};

static const char usage[] =
	"Usage: reconcile --period P --dir DIR --state-in DIR|none [--forecast]\n"
	"                 [--lines-totals FILE]\n"
	"       reconcile --sum-lines COPY [--uncached] < lines > totals\n"
	"\n"
	"Check a period's run in its working directory DIR: rows read = accepted +\n"
	"rejected for every source file, stage by stage; money per entity and currency\n"
	"from the lines to the invoices, the held lines, the payouts and the open\n"
	"invoices, against the files written and the previous state.  Writes every\n"
	"measure and every identity with its verdict (reconcile.tsv) on stdout.\n"
	"--forecast: a forecast's run (make expected), which writes no lines.tsv.\n"
	"--lines-totals FILE: the sums of DIR/lines.tsv per entity and currency, as\n"
	"--sum-lines wrote them, instead of reading lines.tsv again.\n"
	"--sum-lines COPY: copy the lines on stdin (build-invoices --lines) to COPY\n"
	"byte for byte and write their sums per entity and currency on stdout, with\n"
	"every check of the money that reading COPY back would make.  --uncached:\n"
	"keep COPY out of the page cache as it is written, for a run that does not read\n"
	"it again (new page-cache pages can cost more than the writing:\n"
	"docs/performance.md); the same bytes either way.\n"
	"\n"
	"Exit status: 0 every identity holds, 1 one does not (or a file is missing),\n"
	"2 usage error.\n"
	"\n"
	"Example (the pipeline runs it so, in the period's working folder):\n"
	"  reconcile --period 2024-03-2 --dir out/.2024-03-2.tmp \\\n"
	"      --state-in out/2024-03-1/state > reconcile.tsv\n";

/* Options. */
static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"period", required_argument, NULL, 'p'},
		{"dir", required_argument, NULL, 'd'},
		{"state-in", required_argument, NULL, 'i'},
		{"forecast", no_argument, NULL, 'f'},
		{"lines-totals", required_argument, NULL, 'l'},
		{"sum-lines", required_argument, NULL, 's'},
		{"uncached", no_argument, NULL, 'u'},
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
		case 'd': o->dir = optarg; break;
		case 'i': o->state_in = optarg; break;
		case 'f': o->forecast = 1; break;
		case 'l': o->lines_totals = optarg; break;
		case 's': o->sum_lines = optarg; break;
		case 'u': o->uncached = 1; break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	if (o->sum_lines) {
		if (optind < argc || o->period >= 0 || o->dir || o->state_in || o->forecast ||
		    o->lines_totals)
			msg_usage("--sum-lines takes no other option but --uncached");
		return;
	}
	if (o->uncached)
		msg_usage("--uncached goes with --sum-lines");
	if (o->period < 0 || !o->dir || !o->state_in)
		msg_usage("--period, --dir and --state-in are required");
}

static out rec;
static int failed;

/* One measure row. */
static void
_measure(const char *kind, const char *scope, const char *measure, const char *value)
{
	eout_puts(&rec, kind);
	eout_puts(&rec, "\t");
	eout_puts(&rec, scope);
	eout_puts(&rec, "\t");
	eout_puts(&rec, measure);
	eout_puts(&rec, "\t");
	eout_puts(&rec, value);
	eout_puts(&rec, "\n");
}

/* One identity and its verdict; `a` and `b` are the two sides. */
static void
_check(const char *scope, const char *identity, const char *a, const char *b, int holds)
{
	char verdict[256];

	if (holds)
		snprintf(verdict, sizeof verdict, "ok");
	else
		snprintf(verdict, sizeof verdict, "FAILS: %s != %s", a, b);
	failed |= !holds;
	_measure("check", scope, identity, verdict);
}

/* Integer identity. */
static void
_check_n(const char *scope, const char *identity, long a, long b)
{
	char x[32], y[32];

	snprintf(x, sizeof x, "%ld", a);
	snprintf(y, sizeof y, "%ld", b);
	_check(scope, identity, x, y, a == b);
}

/* dir/name, kept until the end of the run (a handful of paths). */
static char *
_path(const char *dir, const char *name)
{
	static char **kept;
	static size_t n, cap;

	kept = xgrow(kept, &cap, n + 1, sizeof *kept);
	return kept[n++] = xjoin(dir, name);
}

/* Rows per source of a rejects file (columns source, line, reason, raw). */
static void
_count_rejects(tally *t, const char *path, int optional)
{
	static const char *const cols[] = {"source"};
	tsv_reader r;
	int x[1];

	if (optional && access(path, F_OK) < 0)
		return;
	einput_open(&r, path);
	einput_require(&r, cols, x, 1);
	while (einput_next(&r))
		if (tally_add(t, r.field[x[0]], r.flen[x[0]], 0, 1) < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	tsv_close(&r);
}

/* A count of a tally's row, 0 when absent. */
static long
_tally_get(const tally *t, const char *name, size_t col)
{
	long id = strset_find(&t->rows, name, strlen(name));

	return id < 0 ? 0 : t->n[id][col];
}

/* 1 when the file's header has the column. */
static int
_has_column(const char *path, const char *name)
{
	tsv_reader r;
	int has;

	einput_open(&r, path);
	has = tsv_column(&r, name) >= 0;
	tsv_close(&r);
	return has;
}

/* Per-source counts report of a stage: `source` then columns. */
static void
_load_counts(tally *t, const char *path, const char *const *cols, size_t ncols)
{
	tsv_reader r;
	int x[TALLY_MAXCOLS + 1];
	const char *all[TALLY_MAXCOLS + 1];
	size_t i;

	all[0] = "source";
	for (i = 0; i < ncols; i++)
		all[i + 1] = cols[i];
	einput_open(&r, path);
	einput_require(&r, all, x, ncols + 1);
	while (einput_next(&r))
		for (i = 0; i < ncols; i++)
			if (tally_add(t, r.field[x[0]], r.flen[x[0]], i,
				      einput_count(&r, x[i + 1])) < 0)
				msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	tsv_close(&r);
}

/* The same, of the file at path (none when optional and missing). */
static void
_sum_file(totals *t, size_t col, const char *path, int optional, const char *amount_name,
	  const char *filter_name, const char *filter)
{
	if (optional && access(path, F_OK) < 0)
		return;
	etotals_sum_file(t, col, path, amount_name, filter_name, filter);
}

/* --sum-lines COPY: the lines on stdin written to COPY as they come, and
 * their sums per entity and currency on stdout, for --lines-totals: the
 * same sums as of lines.tsv read back, made while the file is written. */
static void
_sum_lines(const char *copy, int uncached)
{
	static const char *const cols[] = {"lines"};
	totals t = {0};

	elines_copy_sum(stdin, copy, copy, uncached, &t);
	etotals_write(&t, "-", cols, 1);
	totals_free(&t);
}

/* Read a --totals report into columns [col, col + ncols) of t (amounts). */
static void
_load_totals(totals *t, size_t col, const char *path, const char *const *names, size_t n)
{
	const char *cols[2 + TOTALS_MAXCOLS] = {"entity", "currency"};
	tsv_reader r;
	int x[2 + TOTALS_MAXCOLS];
	size_t i;

	for (i = 0; i < n; i++)
		cols[2 + i] = names[i];
	einput_open(&r, path);
	einput_require(&r, cols, x, 2 + n);
	while (einput_next(&r)) {
		int d = einput_currency(&r, x[1]);

		for (i = 0; i < n; i++)
			if (totals_add(t, r.field[x[0]], r.field[x[1]], col + i,
				       einput_money(&r, x[2 + i], d)) < 0)
				msg_fatal(EXIT_DATA, r.name, r.line, "sum out of range");
	}
	tsv_close(&r);
}

/* Sum the payouts created on the run's date. */
static void
_sum_new_payouts(totals *t, size_t col, const char *path, const char *date, long *paid)
{
	static const char *const cols[] = {"entity", "currency", "amount", "payout_date", "status"};
	tsv_reader r;
	int x[5];

	einput_open(&r, path);
	einput_require(&r, cols, x, 5);
	while (einput_next(&r)) {
		if (strcmp(r.field[x[3]], date) == 0 &&
		    totals_add(t, r.field[x[0]], r.field[x[1]], col,
			       einput_money(&r, x[2], einput_currency(&r, x[1]))) < 0)
			msg_fatal(EXIT_DATA, r.name, r.line, "sum out of range");
		if (strcmp(r.field[x[4]], "paid") == 0)
			(*paid)++;
	}
	tsv_close(&r);
}

/* requests.tsv (when there is one): the requests made in the run (refused
 * or awaiting an invoice: a request listed again has moved on), and those
 * whose payout the merchant's invoice moved on (awaiting_invoice in the
 * previous state's requests.tsv, processing or paid now). */
static void
_count_requests(const struct options *o, long *made, long *moved)
{
	static const char *const cols[] = {"payout_no", "status", "amount"};
	strset awaiting = {0};
	tsv_reader r;
	int x[3], isnew;
	char *path = _path(o->dir, "requests.tsv");

	*made = *moved = 0;
	if (access(path, F_OK) < 0)
		return;
	if (strcmp(o->state_in, "none") != 0 &&
	    access(_path(o->state_in, "requests.tsv"), F_OK) == 0) {
		einput_open(&r, _path(o->state_in, "requests.tsv"));
		einput_require(&r, cols, x, 3);
		while (einput_next(&r))
			if (strcmp(r.field[x[1]], "awaiting_invoice") == 0 &&
			    strset_add(&awaiting, r.field[x[0]], r.flen[x[0]], &isnew) < 0)
				msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		tsv_close(&r);
	}
	einput_open(&r, path);
	einput_require(&r, cols, x, 3);
	while (einput_next(&r)) {
		const char *st = r.field[x[1]];

		if (strcmp(st, "refused") == 0 || strcmp(st, "awaiting_invoice") == 0)
			(*made)++;
		else if (strset_find(&awaiting, r.field[x[0]], r.flen[x[0]]) >= 0)
			(*moved)++;
	}
	tsv_close(&r);
	strset_free(&awaiting);
}

/* The identity that ends a source's checks: every row read was accepted at
 * the end or rejected somewhere, or (a forecast, CUT) left out as dated
 * after the cut. */
static void
_check_read(const char *src, int cut, long rows, long accepted, long rejected, long after)
{
	if (cut)
		_check_n(src, "read = accepted + rejected + after as of", rows,
			 accepted + rejected + after);
	else
		_check_n(src, "read = accepted + rejected", rows, accepted + rejected);
}

/* The rows: read, accepted and rejected at each stage, per source file. */
static void
_rows(const struct options *o)
{
	static const char *const nc[] = {"rows", "accepted", "rejected", "after_as_of"};
	static const char *const rc[] = {"events", "priced", "tolerated", "rejected"};
	static const char *const ec[] = {"events", "accepted", "rejected"};
	static const char *const ac[] = {"adjustments", "accepted", "rejected"};
	tally n = {0}, r = {0}, e = {0}, rej_n = {0}, rej_r = {0}, rej_e = {0}, rej_p = {0};
	tally a = {0}, rej_a = {0};
	size_t i, len;
	long paid_sources_accepted = 0, paid_rejected = 0;
	long req_accepted = 0, req_rejected = 0, minv_accepted = 0, minv_rejected = 0;
	char v[64];
	/* A forecast's normalize-orders (--as-of) counts the rows it left out
	 * as dated after the cut: read, but neither accepted nor rejected. */
	int cut = _has_column(_path(o->dir, "counts-normalize.tsv"), "after_as_of");

	_load_counts(&n, _path(o->dir, "counts-normalize.tsv"), nc, cut ? 4 : 3);
	_load_counts(&r, _path(o->dir, "counts-rate.tsv"), rc, 4);
	_load_counts(&e, _path(o->dir, "counts-entity.tsv"), ec, 3);
	_count_rejects(&rej_n, _path(o->dir, "rejects-normalize.tsv"), 0);
	_count_rejects(&rej_r, _path(o->dir, "rejects-rate.tsv"), 0);
	_count_rejects(&rej_e, _path(o->dir, "rejects-entity.tsv"), 0);
	_count_rejects(&rej_p, _path(o->dir, "rejects-payouts.tsv"), 0);
	_load_counts(&a, _path(o->dir, "counts-invoices.tsv"), ac, 3);
	_count_rejects(&rej_a, _path(o->dir, "rejects-invoices.tsv"), 0);
	for (i = 0; i < strset_count(&n.rows); i++) {
		const char *k = strset_key(&n.rows, (long)i, &len);
		char *src = xstrndup(k, len);
		long rows = n.n[i][0], acc = n.n[i][1], rej = n.n[i][2], after = n.n[i][3];
		long rejected_all, accepted_end;
		int paid = strncmp(k, "payouts-paid.", 13) == 0;
		/* SPEC 14's sources go to net-payouts, as the confirmations do. */
		int req = strncmp(k, "payout-requests.", 16) == 0;
		int minv = strncmp(k, "merchant-invoices.", 18) == 0;
		int adj = strncmp(k, "adjustments.", 12) == 0;

		snprintf(v, sizeof v, "%ld", rows);
		_measure("rows", src, "read", v);
		if (cut) {
			snprintf(v, sizeof v, "%ld", after);
			_measure("rows", src, "after as of", v);
			_check_n(src, "normalize-orders: read = accepted + rejected + after as of",
				 rows, acc + rej + after);
		} else {
			_check_n(src, "normalize-orders: read = accepted + rejected", rows,
				 acc + rej);
		}
		_check_n(src, "normalize-orders: rejected = its rows in rejects.tsv", rej,
			 _tally_get(&rej_n, src, 0));
		if (paid || req || minv) {
			long *a = paid	? &paid_sources_accepted
				  : req ? &req_accepted
					: &minv_accepted;
			long *j = paid ? &paid_rejected : req ? &req_rejected : &minv_rejected;

			*a += acc;
			*j += _tally_get(&rej_p, src, 0);
			rejected_all = rej + _tally_get(&rej_p, src, 0);
			snprintf(v, sizeof v, "%ld", rejected_all);
			_measure("rows", src, "rejected", v);
			free(src);
			continue;
		}
		if (adj) {
			/* Adjustments (SPEC 12) go to build-invoices, which checks them
			 * against the register. */
			_check_n(
				src,
				"accepted by normalize-orders = adjustments read by build-invoices",
				acc, _tally_get(&a, src, 0));
			_check_n(src, "build-invoices: adjustments = accepted + rejected",
				 _tally_get(&a, src, 0),
				 _tally_get(&a, src, 1) + _tally_get(&a, src, 2));
			_check_n(src, "build-invoices: rejected = its rows in rejects.tsv",
				 _tally_get(&a, src, 2), _tally_get(&rej_a, src, 0));
			accepted_end = _tally_get(&a, src, 1);
			rejected_all = rej + _tally_get(&rej_a, src, 0);
			snprintf(v, sizeof v, "%ld", accepted_end);
			_measure("rows", src, "accepted", v);
			snprintf(v, sizeof v, "%ld", rejected_all);
			_measure("rows", src, "rejected", v);
			_check_read(src, cut, rows, accepted_end, rejected_all, after);
			free(src);
			continue;
		}
		_check_n(src, "accepted by normalize-orders = events read by apply-take-rate", acc,
			 _tally_get(&r, src, 0));
		_check_n(src, "apply-take-rate: events = priced + tolerated + rejected",
			 _tally_get(&r, src, 0),
			 _tally_get(&r, src, 1) + _tally_get(&r, src, 2) + _tally_get(&r, src, 3));
		_check_n(src, "apply-take-rate: rejected = its rows in rejects.tsv",
			 _tally_get(&r, src, 3), _tally_get(&rej_r, src, 0));
		_check_n(src, "priced by apply-take-rate = events read by split-by-entity",
			 _tally_get(&r, src, 1), _tally_get(&e, src, 0));
		_check_n(src, "split-by-entity: events = accepted + rejected",
			 _tally_get(&e, src, 0), _tally_get(&e, src, 1) + _tally_get(&e, src, 2));
		_check_n(src, "split-by-entity: rejected = its rows in rejects.tsv",
			 _tally_get(&e, src, 2), _tally_get(&rej_e, src, 0));
		accepted_end = _tally_get(&e, src, 1) + _tally_get(&r, src, 2);
		rejected_all = rej + _tally_get(&rej_r, src, 0) + _tally_get(&rej_e, src, 0);
		snprintf(v, sizeof v, "%ld", accepted_end);
		_measure("rows", src, "accepted", v);
		snprintf(v, sizeof v, "%ld", rejected_all);
		_measure("rows", src, "rejected", v);
		_check_read(src, cut, rows, accepted_end, rejected_all, after);
		free(src);
	}
	if (paid_sources_accepted || paid_rejected) {
		long paid = 0;
		totals t = {0};

		_sum_new_payouts(&t, 0, _path(o->dir, "payouts.tsv"), "", &paid);
		_check_n("payouts-paid",
			 "confirmations accepted = payouts marked paid + rejected by net-payouts",
			 paid_sources_accepted, paid + paid_rejected);
		totals_free(&t);
	}
	if (req_accepted || req_rejected || minv_accepted || minv_rejected) {
		long made, moved;

		_count_requests(o, &made, &moved);
		if (req_accepted || req_rejected)
			_check_n("payout-requests",
				 "requests accepted = requests made in the run (requests.tsv) + "
				 "rejected by net-payouts",
				 req_accepted, made + req_rejected);
		if (minv_accepted || minv_rejected)
			_check_n("merchant-invoices",
				 "merchants' invoices accepted = payouts on request they moved on "
				 "(requests.tsv) + rejected by net-payouts",
				 minv_accepted, moved + minv_rejected);
	}
	tally_free(&n), tally_free(&r), tally_free(&e);
	tally_free(&rej_n), tally_free(&rej_r), tally_free(&rej_e), tally_free(&rej_p);
	tally_free(&a), tally_free(&rej_a);
}

/* a + b, which the totals kept within int64 each, for one side of an
 * identity; a sum beyond it stops the run rather than deciding on it. */
static void
_sum2(int64_t a, int64_t b, int64_t *out, const char *scope)
{
	if (money_add(a, b, out) != MONEY_OK)
		msg_fatal(EXIT_DATA, NULL, 0, "%s: sum out of range", scope);
}

/* The money: per entity and currency, stage to stage. */
static void
_money(const struct options *o)
{
	static const char *const bt[] = {"new", "carried", "invoiced", "held"};
	static const char *const nt[] = {"open_in", "invoiced", "paid_out", "open_out"};
	static const char *const lt[] = {"lines"};
	/* a: build-invoices' report, b: net-payouts' report, c: sums of the
	 * files (lines, invoices, held, previous held, new payouts, open out,
	 * previous open).  The last column of each is only there to give every
	 * table the same keys. */
	totals a = {0}, b = {0}, c = {0};
	char date[PERIOD_DATE_LEN + 1], pid[PERIOD_ID_LEN + 1];
	long paid = 0;
	size_t i, k, len;
	int has_prev = strcmp(o->state_in, "none") != 0;

	period_format_date(period_issue_date(o->period), date);
	period_format(o->period, pid);
	_load_totals(&a, 0, _path(o->dir, "totals-invoices.tsv"), bt, 4);
	_load_totals(&b, 0, _path(o->dir, "totals-payouts.tsv"), nt, 4);
	if (o->lines_totals)
		_load_totals(&c, 0, o->lines_totals, lt, 1);
	else if (!o->forecast)
		_sum_file(&c, 0, _path(o->dir, "lines.tsv"), 0, "amount", NULL, NULL);
	_sum_file(&c, 1, _path(o->dir, "invoices.tsv"), 0, "amount", "period", pid);
	_sum_file(&c, 2, _path(o->dir, "held.tsv"), 0, "amount", NULL, NULL);
	if (has_prev)
		_sum_file(&c, 3, _path(o->state_in, "held.tsv"), 0, "amount", NULL, NULL);
	_sum_new_payouts(&c, 4, _path(o->dir, "payouts.tsv"), date, &paid);
	_sum_file(&c, 5, _path(o->dir, "state/invoices.tsv"), 0, "amount", "payout_no", "");
	if (has_prev)
		_sum_file(&c, 6, _path(o->state_in, "invoices.tsv"), 0, "amount", "payout_no", "");
	/* Every (entity, currency) seen anywhere gets its rows, in a's and
	 * b's and c's order merged: make sure each table has each key. */
	for (k = 0; k < 3; k++) {
		totals *src = k == 0 ? &a : k == 1 ? &b : &c;

		for (i = 0; i < strset_count(&src->rows); i++) {
			const char *kk = strset_key(&src->rows, (long)i, &len);
			char *key = xstrndup(kk, len), *tab = strchr(key, '\t');

			*tab = '\0';
			if (totals_add(&a, key, tab + 1, TOTALS_MAXCOLS - 1, 0) < 0 ||
			    totals_add(&b, key, tab + 1, TOTALS_MAXCOLS - 1, 0) < 0 ||
			    totals_add(&c, key, tab + 1, TOTALS_MAXCOLS - 1, 0) < 0)
				msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
			free(key);
		}
	}
	for (i = 0; i < strset_count(&a.rows); i++) {
		const char *kk = strset_key(&a.rows, (long)i, &len);
		char *scope = xstrndup(kk, len);
		long ib = strset_find(&b.rows, kk, len), ic = strset_find(&c.rows, kk, len);
		int d = money_currency_digits(kk + len - 3, 3);
		int64_t *ma = a.amount[i], *mb = b.amount[ib], *mc = c.amount[ic];
		int64_t l1, r1;
		char x[MONEY_FMT_MAX], y[MONEY_FMT_MAX], v[MONEY_FMT_MAX];
		struct {
			const char *name;
			int64_t value;
		} m[] = {
			{"build-invoices: lines in (new)", ma[0]},
			{"build-invoices: held lines carried in", ma[1]},
			{"build-invoices: invoiced", ma[2]},
			{"build-invoices: held out", ma[3]},
			{"net-payouts: open invoices in", mb[0]},
			{"net-payouts: invoiced", mb[1]},
			{"net-payouts: paid out", mb[2]},
			{"net-payouts: open invoices out", mb[3]},
		};
		size_t j;

		*strchr(scope, '\t') = ' ';
		for (j = 0; j < sizeof m / sizeof m[0]; j++) {
			money_format(m[j].value, d, v);
			_measure("money", scope, m[j].name, v);
		}
#define SIDES(p, q) (money_format((p), d, x), money_format((q), d, y), (p) == (q))
		_sum2(ma[0], ma[1], &l1, scope);
		_sum2(ma[2], ma[3], &r1, scope);
		_check(scope, "lines in (new + carried) = invoiced + held out", x, y,
		       SIDES(l1, r1));
		if (!o->forecast)
			_check(scope, "invoiced lines = lines.tsv", x, y, SIDES(ma[2], mc[0]));
		_check(scope, "invoiced lines = this period's invoices", x, y, SIDES(ma[2], mc[1]));
		_check(scope, "held out = held.tsv", x, y, SIDES(ma[3], mc[2]));
		_check(scope, "held carried in = previous state's held.tsv", x, y,
		       SIDES(ma[1], has_prev ? mc[3] : 0));
		_check(scope, "invoices built = invoices netted", x, y, SIDES(ma[2], mb[1]));
		_sum2(mb[0], mb[1], &l1, scope);
		_sum2(mb[2], mb[3], &r1, scope);
		_check(scope, "open in + invoiced = paid out + open out", x, y, SIDES(l1, r1));
		_check(scope, "paid out = new payouts in payouts.tsv", x, y, SIDES(mb[2], mc[4]));
		_check(scope, "open out = state's invoices without payout", x, y,
		       SIDES(mb[3], mc[5]));
		_check(scope, "open in = previous state's invoices without payout", x, y,
		       SIDES(mb[0], has_prev ? mc[6] : 0));
#undef SIDES
		free(scope);
	}
	totals_free(&a), totals_free(&b), totals_free(&c);
}

/* The files under dir, `depth` folders down (billing-calls/ENTITY/MERCHANT). */
static long
_count_files(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char *sub;

		if (e->d_name[0] == '.')
			continue;
		if (depth == 0) {
			n++;
			continue;
		}
		sub = xjoin(dir, e->d_name);
		n += _count_files(sub, depth - 1);
		free(sub);
	}
	closedir(d);
	return n;
}

/* Payouts on request (SPEC 14), per entity and currency: the requests
 * that made a payout (requests.tsv) = the new payouts awaiting the
 * merchant's invoice (payouts.tsv); and one billing call each.  Nothing
 * when the run had none. */
static void
_request_money(const struct options *o)
{
	totals t = {0};
	char date[PERIOD_DATE_LEN + 1];
	long *order, made = 0, calls = _count_files(_path(o->dir, "billing-calls"), 2);
	size_t i, len;
	char *path = _path(o->dir, "requests.tsv");

	if (access(path, F_OK) < 0)
		return;
	period_format_date(period_issue_date(o->period), date);
	_sum_file(&t, 0, path, 0, "amount", "status", "awaiting_invoice");
	{
		static const char *const cols[] = {"entity", "currency", "amount", "payout_date",
						   "status"};
		tsv_reader r;
		int x[5];

		einput_open(&r, _path(o->dir, "payouts.tsv"));
		einput_require(&r, cols, x, 5);
		while (einput_next(&r)) {
			if (strcmp(r.field[x[3]], date) != 0 ||
			    strcmp(r.field[x[4]], "awaiting_invoice") != 0)
				continue;
			made++;
			if (totals_add(&t, r.field[x[0]], r.field[x[1]], 1,
				       einput_money(&r, x[2], einput_currency(&r, x[1]))) < 0)
				msg_fatal(EXIT_DATA, r.name, r.line, "sum out of range");
		}
		tsv_close(&r);
	}
	/* A forecast writes no billing calls (nor the lines they list). */
	if (!o->forecast && (made || calls))
		_check_n("billing calls", "billing calls written = new payouts awaiting an invoice",
			 calls, made);
	order = totals_order(&t);
	if (!order)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	for (i = 0; i < strset_count(&t.rows); i++) {
		const char *kk = strset_key(&t.rows, order[i], &len);
		char *scope = xstrndup(kk, len);
		int d = money_currency_digits(kk + len - 3, 3);
		int64_t *m = t.amount[order[i]];
		char x[MONEY_FMT_MAX], y[MONEY_FMT_MAX];

		*strchr(scope, '\t') = ' ';
		money_format(m[1], d, x);
		_measure("money", scope, "net-payouts: paid out on request", x);
		money_format(m[0], d, x);
		money_format(m[1], d, y);
		_check(scope, "requests that made a payout = new payouts awaiting an invoice", x, y,
		       m[0] == m[1]);
		free(scope);
	}
	free(order);
	totals_free(&t);
}

int
main(int argc, char **argv)
{
	struct options o;

	msg_setprog(argv[0]);
	parse_args(argc, argv, &o);
	if (o.sum_lines) {
		_sum_lines(o.sum_lines, o.uncached);
		return EXIT_OK;
	}
	if (strcmp(o.state_in, "none") != 0)
		estate_open(o.state_in, o.period);
	out_init(&rec, 1);
	eout_puts(&rec, "kind\tscope\tmeasure\tvalue\n");
	_rows(&o);
	_money(&o);
	_request_money(&o);
	eout_close(&rec, "<stdout>");
	if (failed)
		msg_fatal(EXIT_DATA, o.dir, 0, "the period does not reconcile: see the FAILS rows");
	return EXIT_OK;
}
