/* billing-calls: the billing call of each payout on request (SPEC 14).
 *
 * A payout on request waits for the merchant's own invoice; the billing
 * call tells the merchant what to invoice: the request, the payout, the
 * merchant's and the issuing entity's details, one row per line of the
 * netted invoices and the total, which is the payout's amount.  It is a
 * CSV file (RFC 4180, UTF-8 with a BOM, so that Excel opens it), written
 * through libcsv's writer:
 *
 *     OUT/billing-calls/ENTITY/MERCHANT_ID/PAYOUT_NO.csv
 *
 * The netting is net-payouts': this reads what it wrote (payouts.tsv,
 * payout-items.tsv, requests.tsv, invoices.tsv, state/invoices.tsv) and
 * the lines.  A run reads nothing of the past but the previous state, so
 * the lines of a request-mode merchant's invoices that wait for a request
 * are carried in the state (request-lines.tsv): the previous state's and
 * this period's lines (LINES, picked and sorted by entity, merchant_id and
 * currency) are merged group by group, one pass over each, and each line
 * goes to the billing call of its invoice's payout, to the next state, or
 * nowhere.  Memory holds the invoices concerned, never the lines.
 *
 * --pick writes the lines of request-mode merchants only (those a billing
 * call can need), for the sort.  --payout writes one billing call again
 * on stdout, the same bytes, from the files of the run that made it. */
#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fmt.h"
#include "ident.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "out.h"
#include "period.h"
#include "pick.h"
#include "rules/payout.h"
#include "schema.h"
#include "state.h"
#include "strset.h"

struct options {
	int period;
	int64_t date; /* the run's payout date: the period's issue date */
	const char *merchants, *issuers, *entities, *state_in, *state_out, *dir, *out, *payout;
	int pick;
	const char *index; /* --index: LINES' lines.idx, with --pick */
	char **inputs;	   /* the lines; none: stdin */
	int ninputs;
};

static const char usage[] =
	"Usage: billing-calls --period P --dir DIR --merchants merchants.tsv\n"
	"                     [--issuers issuers.tsv] [--entities entities.tsv]\n"
	"                     --state-in DIR|none [--state-out DIR] [--out DIR]\n"
	"                     [--payout PAYOUT_NO] [LINES]\n"
	"       billing-calls --pick --merchants merchants.tsv [--index IDX] [LINES]\n"
	"\n"
	"Write the billing call of each payout on request made by the run of period\n"
	"P, whose files are in DIR (payouts.tsv, payout-items.tsv, requests.tsv,\n"
	"invoices.tsv, state/invoices.tsv): OUT/billing-calls/ENTITY/MERCHANT_ID/\n"
	"PAYOUT_NO.csv, RFC 4180 CSV in UTF-8 with a BOM.  LINES (or stdin) are the\n"
	"period's lines of request-mode merchants, sorted by entity, merchant_id and\n"
	"currency; the lines of earlier invoices come from the previous state's\n"
	"request-lines.tsv.  The lines of invoices still waiting for a request go\n"
	"to the new state's request-lines.tsv.\n"
	"\n"
	"  --period P            the period whose run made the payouts\n"
	"  --dir DIR             that run's output folder\n"
	"  --merchants FILE      merchants.tsv: the merchants' details and payout_mode\n"
	"  --issuers FILE        issuers.tsv: the issuing entities' details (optional:\n"
	"                        an entity without a row is shown by its code)\n"
	"  --entities FILE       entities.tsv, to check issuers.tsv against\n"
	"  --state-in DIR        the state that run read, or 'none'\n"
	"  --state-out DIR       where to write request-lines.tsv (that run's state)\n"
	"  --out DIR             where billing-calls/ goes (default: DIR)\n"
	"  --payout PAYOUT_NO    write that payout's billing call again, on stdout, and\n"
	"                        nothing else\n"
	"  --pick                copy the lines (LINES or stdin) of request-mode\n"
	"                        merchants to stdout, header first\n"
	"  --index IDX           with --pick: read only those merchants' rows of LINES,\n"
	"                        through its index (the period's lines.idx)\n"
	"  --help                show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n"
	"\n"
	"Example (the pipeline's):\n"
	"  billing-calls --pick --merchants config/merchants.tsv --index tmp/lines.idx \\\n"
	"      tmp/lines.tsv |\n"
	"      sort -s -t \"$(printf '\\t')\" -k2,5 |\n"
	"      billing-calls --period 2024-04-1 --dir tmp --merchants config/merchants.tsv\n"
	"          --state-in out/2024-03-2/state --state-out tmp/state\n";

/* Options; --pick needs only the merchants. */
static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"period", required_argument, NULL, 'p'},
		{"dir", required_argument, NULL, 'd'},
		{"merchants", required_argument, NULL, 'm'},
		{"issuers", required_argument, NULL, 'I'},
		{"entities", required_argument, NULL, 'e'},
		{"state-in", required_argument, NULL, 'i'},
		{"state-out", required_argument, NULL, 'o'},
		{"out", required_argument, NULL, 'O'},
		{"payout", required_argument, NULL, 'P'},
		{"pick", no_argument, NULL, 'k'},
		{"index", required_argument, NULL, 'x'},
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
		case 'm': o->merchants = optarg; break;
		case 'I': o->issuers = optarg; break;
		case 'e': o->entities = optarg; break;
		case 'i': o->state_in = optarg; break;
		case 'o': o->state_out = optarg; break;
		case 'O': o->out = optarg; break;
		case 'P':
			if (!ident_valid(optarg, strlen(optarg)))
				msg_usage("--payout: not a payout number: '%s'", optarg);
			o->payout = optarg;
			break;
		case 'k': o->pick = 1; break;
		case 'x': o->index = optarg; break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	if (!o->merchants)
		msg_usage("--merchants is required");
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
	if (o->ninputs > 1)
		msg_usage("one LINES file at most (the lines of one period)");
	if (o->index && (!o->pick || o->ninputs != 1))
		msg_usage("--index goes with --pick and a LINES file");
	if (o->pick)
		return;
	if (o->period < 0 || !o->dir || !o->state_in)
		msg_usage("--period, --dir and --state-in are required (or --pick)");
	if (o->payout && o->state_out)
		msg_usage("--payout writes one billing call on stdout: no --state-out");
	if (o->state_out)
		estate_check_dirs(o->state_in, o->state_out);
	o->date = period_issue_date(o->period);
	if (!o->out)
		o->out = o->dir;
}

static merchants ms;

/* 1 when the merchant is in request mode. */
static int
_request_mode(const char *id, size_t n)
{
	const merchant *m = merchants_find(&ms, id, n);

	return m && m->payout_mode == PAYOUT_MODE_REQUEST;
}

/* 1 when some merchant is in request mode. */
static int
_any_request_mode(void)
{
	size_t i;

	for (i = 0; i < ms.n; i++)
		if (ms.m[i].payout_mode == PAYOUT_MODE_REQUEST)
			return 1;
	return 0;
}

/* 1 when the merchant is in request mode, for epick_lines(). */
static int
_wanted(void *arg, const char *id)
{
	(void)arg;
	return _request_mode(id, strlen(id));
}

/* --pick: the lines of request-mode merchants, as they are; with --index,
 * only theirs are read. */
static void
_pick(const struct options *o)
{
	static const char *const cols[] = {"merchant_id"};
	tsv_reader r;
	out w;
	int x[1], any = 0;
	size_t i;

	out_init(&w, 1);
	if (o->index) {
		epick_lines(o->index, o->inputs[0], _wanted, NULL, &w);
		eout_close(&w, "<stdout>");
		return;
	}
	/* No merchant in request mode: no line to pick, none read. */
	any = _any_request_mode();
	einput_open(&r, o->ninputs ? o->inputs[0] : "-");
	einput_require(&r, cols, x, 1);
	for (i = 0; i < r.ncol; i++) {
		eout_puts(&w, r.names[i]);
		eout_puts(&w, i + 1 < r.ncol ? "\t" : "\n");
	}
	while (any && einput_next(&r)) {
		if (!_request_mode(r.field[x[0]], r.flen[x[0]]))
			continue;
		for (i = 0; i < r.nfield; i++) {
			eout_write(&w, r.field[i], r.flen[i]);
			eout_puts(&w, i + 1 < r.nfield ? "\t" : "\n");
		}
	}
	tsv_close(&r);
	eout_close(&w, "<stdout>");
}

/* A payout on request made by the run, and its billing call. */
struct call {
	char *no, *entity, *merchant, *currency, *request_id;
	int64_t requested_at, amount, sum;
	int digits, have_request, written;
};

/* An invoice whose lines are wanted: one of a billing call, or one whose
 * lines go to the next state. */
struct want {
	char *no;
	int period, type;
	long lines; /* its line count, -1 until invoices.tsv gives it */
	int64_t amount;
	long call; /* calls[], or -1 */
	int carry;
	long found;
	int64_t found_sum;
};

static struct {
	struct call *call;
	size_t ncall, capcall;
	strset call_nos, call_groups; /* payout_no, "entity\tmerchant\tcurrency" -> call */
	struct want *want;
	size_t nwant, capwant;
	strset want_nos; /* invoice_no -> want */
	strset keys;	 /* this period's "entity\tmerchant\tcurrency\ttype\tcorrects" */
	long *key_want;	 /* -> want, or -1 */
	size_t capkey;
	issuers is;
	strset warned; /* entities without an issuer, named once */
} st;

/* The id of a key, made when new. */
static long
_add(strset *s, const char *k, size_t n, int *isnew)
{
	long id = strset_add(s, k, n, isnew);

	if (id < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	return id;
}

/* "a\tb\tc" into buf (3 * (IDENT_MAX + 1) bytes); its length. */
static size_t
_group_key(char *buf, const char *e, const char *m, const char *c)
{
	return (size_t)snprintf(buf, 3 * (IDENT_MAX + 1), "%s\t%s\t%s", e, m, c);
}

/* payouts.tsv: the payouts on request made in the run (created on its
 * date, awaiting the merchant's invoice); with --payout, only that one. */
static void
_load_payouts(const struct options *o, const char *path)
{
	tsv_reader r;
	int x[PO_NCOLS], isnew;

	einput_open(&r, path);
	einput_require(&r, schema_payout_cols, x, PO_NCOLS);
	while (einput_next(&r)) {
		struct call *c;
		char key[3 * (IDENT_MAX + 1)];
		int digits;

		if (einput_time(&r, x[PO_DATE]) != o->date ||
		    payout_status_of(r.field[x[PO_STATUS]], r.flen[x[PO_STATUS]]) !=
			    PAYOUT_AWAITING_INVOICE)
			continue;
		if (o->payout && strcmp(o->payout, r.field[x[PO_NO]]) != 0)
			continue;
		einput_ident(&r, x[PO_NO]);
		einput_ident(&r, x[PO_ENTITY]);
		einput_ident(&r, x[PO_MERCHANT]);
		digits = einput_currency(&r, x[PO_CURRENCY]);
		_add(&st.call_nos, r.field[x[PO_NO]], r.flen[x[PO_NO]], &isnew);
		if (!isnew)
			einput_bad(&r, x[PO_NO], "payout listed twice:");
		_add(&st.call_groups, key,
		     _group_key(key, r.field[x[PO_ENTITY]], r.field[x[PO_MERCHANT]],
				r.field[x[PO_CURRENCY]]),
		     &isnew);
		if (!isnew)
			einput_bad(&r, x[PO_MERCHANT],
				   "a second payout on request of the merchant, entity and "
				   "currency:");
		st.call = xgrow(st.call, &st.capcall, st.ncall + 1, sizeof *st.call);
		c = &st.call[st.ncall++];
		memset(c, 0, sizeof *c);
		c->no = xstrdup(r.field[x[PO_NO]]);
		c->entity = xstrdup(r.field[x[PO_ENTITY]]);
		c->merchant = xstrdup(r.field[x[PO_MERCHANT]]);
		c->currency = xstrdup(r.field[x[PO_CURRENCY]]);
		c->digits = digits;
		c->amount = einput_money(&r, x[PO_AMOUNT], digits);
	}
	tsv_close(&r);
	if (o->payout && st.ncall == 0)
		msg_fatal(EXIT_DATA, path, 0,
			  "%s is not a payout on request made by the run of this period (the "
			  "billing call of a payout is written by the run that made it)",
			  o->payout);
}

/* requests.tsv: each billing call's request. */
static void
_load_requests(const char *path)
{
	static const char *const cols[] = {"request_id", "requested_at", "payout_no"};
	tsv_reader r;
	int x[3];
	size_t i;

	einput_open(&r, path);
	einput_require(&r, cols, x, 3);
	while (einput_next(&r)) {
		long c = strset_find(&st.call_nos, r.field[x[2]], r.flen[x[2]]);

		if (c < 0)
			continue;
		st.call[c].request_id = xstrdup(einput_ident(&r, x[0]));
		st.call[c].requested_at = einput_time(&r, x[1]);
		st.call[c].have_request = 1;
	}
	tsv_close(&r);
	for (i = 0; i < st.ncall; i++)
		if (!st.call[i].have_request)
			msg_fatal(EXIT_DATA, path, 0, "no request made payout %s", st.call[i].no);
}

/* The want of an invoice number, made when new. */
static struct want *
_want(const char *no, size_t n)
{
	int isnew;
	long id = _add(&st.want_nos, no, n, &isnew);

	if (isnew) {
		st.want = xgrow(st.want, &st.capwant, (size_t)id + 1, sizeof *st.want);
		memset(&st.want[id], 0, sizeof st.want[id]);
		st.want[id].no = xstrndup(no, n);
		st.want[id].lines = -1;
		st.want[id].call = -1;
		st.nwant = (size_t)id + 1;
	}
	return &st.want[id];
}

/* payout-items.tsv: the invoices of each billing call's payout. */
static void
_load_items(const char *path)
{
	static const char *const cols[] = {"payout_no", "invoice_no", "type", "period", "amount"};
	tsv_reader r;
	int x[5];

	einput_open(&r, path);
	einput_require(&r, cols, x, 5);
	while (einput_next(&r)) {
		long c = strset_find(&st.call_nos, r.field[x[0]], r.flen[x[0]]);
		struct want *w;

		if (c < 0)
			continue;
		w = _want(einput_ident(&r, x[1]), r.flen[x[1]]);
		if (w->call >= 0)
			einput_bad(&r, x[1], "an invoice of two payouts:");
		w->call = c;
		w->type = schema_type_of(r.field[x[2]], r.flen[x[2]]);
		if (w->type < 0)
			einput_bad(&r, x[2], "not a line type:");
		w->period = einput_period(&r, x[3]);
		w->amount = einput_money(&r, x[4], st.call[c].digits);
	}
	tsv_close(&r);
}

enum { V_NO, V_ENTITY, V_MERCHANT, V_CURRENCY, V_PERIOD, V_TYPE, V_LINES, V_AMOUNT, V_PAYOUT, V_N };
static const char *const inv_cols[V_N] = {
	"invoice_no", "entity", "merchant_id", "currency",  "period",
	"type",	      "lines",	"amount",      "payout_no",
};

/* An invoices file: in state/invoices.tsv (`carry`), the open invoices
 * without a payout of request-mode merchants, whose lines go to the next
 * state; in invoices.tsv, each wanted invoice's line count and amount,
 * and the key of this period's invoices of request-mode merchants, by
 * which their lines are known. */
static void
_load_invoices(const struct options *o, const char *path, int carry)
{
	tsv_reader r;
	int x[V_N], corrects;

	einput_open(&r, path);
	einput_require(&r, inv_cols, x, V_N);
	/* A credit note shares its invoice's key but for what it corrects
	 * (SPEC 12). */
	corrects = tsv_column(&r, "corrects");
	while (einput_next(&r)) {
		const char *no;
		int digits, period, isnew;
		long id;
		struct want *w;

		if (!_request_mode(r.field[x[V_MERCHANT]], r.flen[x[V_MERCHANT]]))
			continue;
		no = einput_ident(&r, x[V_NO]);
		digits = einput_currency(&r, x[V_CURRENCY]);
		period = einput_period(&r, x[V_PERIOD]);
		if (carry) {
			if (r.flen[x[V_PAYOUT]] || o->payout)
				continue;
			w = _want(no, r.flen[x[V_NO]]);
			w->carry = 1;
			w->period = period;
			w->type = schema_type_of(r.field[x[V_TYPE]], r.flen[x[V_TYPE]]);
		}
		id = strset_find(&st.want_nos, no, r.flen[x[V_NO]]);
		w = id >= 0 ? &st.want[id] : NULL;
		if (w) {
			w->lines = einput_count(&r, x[V_LINES]);
			w->amount = einput_money(&r, x[V_AMOUNT], digits);
		}
		if (carry || period != o->period)
			continue;
		{
			char key[SCHEMA_KEY_MAX];
			size_t n = schema_doc_key(key, r.field[x[V_ENTITY]], r.flen[x[V_ENTITY]],
						  r.field[x[V_MERCHANT]], r.flen[x[V_MERCHANT]],
						  r.field[x[V_CURRENCY]], r.flen[x[V_CURRENCY]],
						  r.field[x[V_TYPE]], r.flen[x[V_TYPE]],
						  corrects >= 0 ? r.field[corrects] : "",
						  corrects >= 0 ? r.flen[corrects] : 0);
			long k;

			if (n == 0)
				einput_bad(&r, x[V_NO], "an invoice key too long:");
			k = _add(&st.keys, key, (size_t)n, &isnew);
			if (!isnew)
				einput_bad(&r, x[V_NO], "two invoices of one key in the period:");
			st.key_want =
				xgrow(st.key_want, &st.capkey, (size_t)k + 1, sizeof *st.key_want);
			st.key_want[k] = id;
		}
	}
	tsv_close(&r);
}

/* ---- The CSV writer (libcsv quotes every field). */

/* One field and its separator: ',' or, after the last, CRLF (RFC 4180). */
static void
_field(out *o, const char *s, size_t n, int last)
{
	size_t room = 2 * n + 4, k;
	char *p = eout_room(o, room);

	k = csv_write(p, room, s, n);
	if (k > room - 2)
		msg_fatal(EXIT_DATA, NULL, 0, "a billing call field too long");
	if (last)
		p[k++] = '\r', p[k++] = '\n';
	else
		p[k++] = ',';
	out_commit(o, k);
}

enum { NCOLS = 5 };

/* A row of NCOLS fields, the missing ones empty. */
static void
_row(out *o, const char *const *f, int n)
{
	int i;

	for (i = 0; i < NCOLS; i++) {
		const char *s = i < n && f[i] ? f[i] : "";

		_field(o, s, strlen(s), i == NCOLS - 1);
	}
}

/* A label and its value; text that a spreadsheet would take for a formula
 * (=, +, -, @ first) gets an apostrophe before it, which spreadsheets show
 * as text. */
static void
_pair(out *o, const char *label, const char *value, int text)
{
	char *v = NULL;
	const char *f[2];

	if (text && value && value[0] && strchr("=+-@", value[0])) {
		v = xmalloc(strlen(value) + 2);
		v[0] = '\'';
		strcpy(v + 1, value);
	}
	f[0] = label;
	f[1] = v ? v : value;
	_row(o, f, 2);
	free(v);
}

static out call_out;
static long open_call = -1;

/* Start the billing call of call c: its file (or stdout) and the header
 * block. */
static void
_open_call(const struct options *o, long c)
{
	struct call *k = &st.call[c];
	const merchant *m = merchants_find(&ms, k->merchant, strlen(k->merchant));
	const issuer *is = issuers_find(&st.is, k->entity);
	char at[PERIOD_TIME_LEN + 1], date[PERIOD_DATE_LEN + 1];
	static const char *const head[] = {"invoice_no", "type", "event_id", "order_id", "amount"};
	int isnew;

	if (o->payout) {
		out_init(&call_out, 1);
	} else {
		size_t n = strlen(o->out) + strlen(k->entity) + strlen(k->merchant) +
			   strlen(k->no) + 32;
		char *path = xmalloc(n);
		size_t i;

		snprintf(path, n, "%s/billing-calls/%s/%s/%s.csv", o->out, k->entity, k->merchant,
			 k->no);
		for (i = strlen(o->out) + 1; path[i]; i++) {
			if (path[i] != '/')
				continue;
			path[i] = '\0';
			if (mkdir(path, 0777) < 0 && errno != EEXIST)
				msg_fatal(EXIT_DATA, path, 0, "cannot create directory:");
			path[i] = '/';
		}
		eout_open(&call_out, path);
		free(path);
	}
	if (!is) {
		_add(&st.warned, k->entity, strlen(k->entity), &isnew);
		if (isnew)
			msg_warn(NULL, 0,
				 "issuers.tsv has no row for entity '%s'%s: its billing calls "
				 "show it by its code",
				 k->entity, o->issuers ? "" : " (there is no issuers.tsv)");
	}
	eout_puts(&call_out, "\xef\xbb\xbf");
	_pair(&call_out, "Billing call", k->no, 0);
	_pair(&call_out,
	      "Please send us your invoice for the total below, quoting the payout number; the "
	      "payout is made once it has arrived.",
	      "", 0);
	_row(&call_out, NULL, 0);
	period_format_time(k->requested_at, at);
	period_format_date(o->date, date);
	_pair(&call_out, "Request number", k->request_id, 0);
	_pair(&call_out, "Request date", at, 0);
	_pair(&call_out, "Payout number", k->no, 0);
	_pair(&call_out, "Payout date", date, 0);
	_pair(&call_out, "Currency", k->currency, 0);
	_row(&call_out, NULL, 0);
	_pair(&call_out, "Merchant", k->merchant, 0);
	_pair(&call_out, "Merchant legal name", m ? m->legal_name : "", 1);
	_pair(&call_out, "Merchant address", m ? m->address : "", 1);
	_pair(&call_out, "Merchant postal code", m ? m->postal_code : "", 1);
	_pair(&call_out, "Merchant city", m ? m->city : "", 1);
	_pair(&call_out, "Merchant country", m ? m->country : "", 1);
	_pair(&call_out, "Merchant VAT ID", m ? m->vat_id : "", 1);
	_row(&call_out, NULL, 0);
	_pair(&call_out, "Bill to", is ? is->legal_name : k->entity, 1);
	_pair(&call_out, "Issuing entity", k->entity, 0);
	_pair(&call_out, "Issuer address", is ? is->address : "", 1);
	_pair(&call_out, "Issuer postal code", is ? is->postal_code : "", 1);
	_pair(&call_out, "Issuer city", is ? is->city : "", 1);
	_pair(&call_out, "Issuer country", is ? is->country : "", 1);
	_pair(&call_out, "Issuer VAT ID", is ? is->vat_id : "", 1);
	_pair(&call_out, "Issuer registration", is ? is->registration : "", 1);
	_row(&call_out, NULL, 0);
	_row(&call_out, head, NCOLS);
	open_call = c;
}

/* One line of the open billing call. */
static void
_call_line(const char *invoice, const char *type, const char *event, const char *order,
	   int64_t amount)
{
	struct call *k = &st.call[open_call];
	char money[MONEY_FMT_MAX];
	const char *f[NCOLS];

	money_format(amount, k->digits, money);
	f[0] = invoice, f[1] = type, f[2] = event, f[3] = order, f[4] = money;
	_row(&call_out, f, NCOLS);
	if (money_add(k->sum, amount, &k->sum) != MONEY_OK)
		msg_fatal(EXIT_DATA, NULL, 0, "%s: total out of range", k->no);
}

/* The invoices of the open call issued before the period whose lines were
 * not kept (issued while the merchant was paid automatically): one row
 * each, its total. */
static void
_call_unkept(const struct options *o)
{
	size_t i;

	for (i = 0; i < st.nwant; i++) {
		struct want *w = &st.want[i];

		if (w->call != open_call || w->found || w->period >= o->period)
			continue;
		msg_warn(NULL, 0,
			 "%s: invoice %s was issued before its merchant was paid on request: its "
			 "lines were not kept, the billing call shows its total",
			 st.call[open_call].no, w->no);
		_call_line(w->no, schema_type_code(w->type), "", "", w->amount);
	}
}

/* The total row, the payout's amount (that the lines add up to it is
 * checked once every line is read: an unsorted input is named first);
 * close the call. */
static void
_close_call(const struct options *o)
{
	struct call *k = &st.call[open_call];
	char money[MONEY_FMT_MAX];
	const char *f[NCOLS] = {"Total", "", "", "", money};

	money_format(k->amount, k->digits, money);
	_row(&call_out, f, NCOLS);
	eout_close(&call_out, o->payout ? "<stdout>" : k->no);
	k->written = 1;
	open_call = -1;
}

/* ---- The two streams of lines, merged group by group. */

enum { S_INVOICE, S_ENTITY, S_MERCHANT, S_CURRENCY, S_TYPE, S_EVENT, S_ORDER, S_AT, S_AMOUNT, S_N };

struct stream {
	tsv_reader r;
	int on;	      /* a row is current */
	int x[S_N];   /* columns; S_INVOICE is -1 for the period's lines */
	int corrects; /* the period's lines: the column, or -1 */
	char key[3 * (IDENT_MAX + 1)], prev[3 * (IDENT_MAX + 1)];
	const char *what;
};

/* The next row of a stream, and its group; the groups must not go back. */
static void
_next(struct stream *s)
{
	if (!s->on)
		return;
	if (!einput_next(&s->r)) {
		s->on = 0;
		return;
	}
	strcpy(s->prev, s->key);
	einput_currency(&s->r, s->x[S_CURRENCY]); /* three letters: the key fits */
	_group_key(s->key, einput_ident(&s->r, s->x[S_ENTITY]),
		   einput_ident(&s->r, s->x[S_MERCHANT]), s->r.field[s->x[S_CURRENCY]]);
	if (strcmp(s->key, s->prev) < 0)
		msg_fatal(EXIT_DATA, s->r.name, s->r.line,
			  "%s not sorted by entity, merchant_id and currency (the pipeline sorts "
			  "them: sort -s -t TAB -k2,5)",
			  s->what);
}

/* Open a stream: the previous state's request lines, or the period's. */
static int
_open_stream(struct stream *s, const char *path, int state)
{
	static const char *const state_cols[S_N] = {
		"invoice_no", "entity",	  "merchant_id", "currency", "type",
		"event_id",   "order_id", "at",		 "amount",
	};

	memset(s, 0, sizeof *s);
	if (!path)
		return 0;
	einput_open(&s->r, path);
	if (state) {
		einput_require(&s->r, state_cols, s->x, S_N);
		s->what = "request lines";
	} else {
		einput_require(&s->r, state_cols + 1, s->x + 1, S_N - 1);
		s->x[S_INVOICE] = -1;
		s->corrects = tsv_column(&s->r, "corrects");
		s->what = "lines";
	}
	s->on = 1;
	_next(s);
	return 1;
}

static out carry_out;
static int carrying;

/* Route the current line of a stream: to its invoice's billing call, to
 * the next state, or nowhere. */
static void
_route(struct stream *s)
{
	tsv_reader *r = &s->r;
	long id;
	struct want *w;
	int digits = einput_currency(r, s->x[S_CURRENCY]);
	int64_t amount = einput_money(r, s->x[S_AMOUNT], digits);
	const char *invoice;

	if (s->x[S_INVOICE] >= 0) {
		id = strset_find(&st.want_nos, r->field[s->x[S_INVOICE]], r->flen[s->x[S_INVOICE]]);
	} else {
		char key[SCHEMA_KEY_MAX];
		size_t n = schema_doc_key(key, r->field[s->x[S_ENTITY]], r->flen[s->x[S_ENTITY]],
					  r->field[s->x[S_MERCHANT]], r->flen[s->x[S_MERCHANT]],
					  r->field[s->x[S_CURRENCY]], r->flen[s->x[S_CURRENCY]],
					  r->field[s->x[S_TYPE]], r->flen[s->x[S_TYPE]],
					  s->corrects >= 0 ? r->field[s->corrects] : "",
					  s->corrects >= 0 ? r->flen[s->corrects] : 0);
		long k;

		if (n == 0)
			einput_bad(r, s->x[S_TYPE], "a line key too long:");
		k = strset_find(&st.keys, key, n);
		if (k < 0 && !_request_mode(r->field[s->x[S_MERCHANT]], r->flen[s->x[S_MERCHANT]]))
			return; /* not one a billing call can need */
		if (k < 0)
			msg_fatal(EXIT_DATA, r->name, r->line,
				  "a line of no invoice of the period in invoices.tsv");
		id = st.key_want[k];
	}
	if (id < 0)
		return;
	w = &st.want[id];
	invoice = w->no;
	w->found++;
	if (money_add(w->found_sum, amount, &w->found_sum) != MONEY_OK)
		msg_fatal(EXIT_DATA, r->name, r->line, "invoice %s: sum out of range", w->no);
	if (w->call >= 0 && w->call == open_call)
		_call_line(invoice, r->field[s->x[S_TYPE]], r->field[s->x[S_EVENT]],
			   r->field[s->x[S_ORDER]], amount);
	if (w->carry && carrying) {
		char *p =
			eout_room(&carry_out,
				  strlen(invoice) + strlen(s->key) + 1 + r->flen[s->x[S_TYPE]] + 1 +
					  r->flen[s->x[S_EVENT]] + 1 + r->flen[s->x[S_ORDER]] + 1 +
					  FMT_TIME_MAX + FMT_MONEY_MAX);
		char *start = p;

		p = fmt_str(p, invoice, '\t');
		p = fmt_str(p, s->key, '\t');
		p = fmt_field(p, r->field[s->x[S_TYPE]], r->flen[s->x[S_TYPE]], '\t');
		p = fmt_field(p, r->field[s->x[S_EVENT]], r->flen[s->x[S_EVENT]], '\t');
		p = fmt_field(p, r->field[s->x[S_ORDER]], r->flen[s->x[S_ORDER]], '\t');
		p = fmt_time(p, einput_time(r, s->x[S_AT]), '\t');
		p = fmt_money(p, amount, digits, '\n');
		out_commit(&carry_out, (size_t)(p - start));
	}
}

/* Every line of both streams, group by group in key order: in a group,
 * the state's lines (earlier invoices) come before the period's. */
static void
_merge(const struct options *o, struct stream *a, struct stream *b)
{
	char group[3 * (IDENT_MAX + 1)];

	while (a->on || b->on) {
		long c;

		strcpy(group, !b->on || (a->on && strcmp(a->key, b->key) <= 0) ? a->key : b->key);
		c = strset_find(&st.call_groups, group, strlen(group));
		if (c >= 0)
			_open_call(o, c);
		while (a->on && strcmp(a->key, group) == 0) {
			_route(a);
			_next(a);
		}
		if (c >= 0)
			_call_unkept(o);
		while (b->on && strcmp(b->key, group) == 0) {
			_route(b);
			_next(b);
		}
		if (c >= 0)
			_close_call(o);
	}
}

/* Each wanted invoice's lines were all found, or (an invoice issued before
 * its merchant was in request mode) none. */
static void
_check_found(const struct options *o)
{
	size_t i;

	for (i = 0; i < st.nwant; i++) {
		const struct want *w = &st.want[i];

		if (w->lines < 0)
			msg_fatal(EXIT_DATA, o->dir, 0, "invoice %s is not in invoices.tsv", w->no);
		if (w->found == 0 && w->period < o->period)
			continue;
		if (w->found != w->lines || w->found_sum != w->amount)
			msg_fatal(
				EXIT_DATA, o->dir, 0,
				"invoice %s: %ld lines found of %ld, or not its amount: the lines "
				"(this period's, or the state's request-lines.tsv) do not match "
				"the invoices; restore the state, or run the periods again from "
				"the last good one",
				w->no, w->found, w->lines);
	}
}

/* Read the run's files, merge the lines, write the billing calls and the
 * request lines of the next state. */
static void
process(const struct options *o)
{
	struct stream a, b;
	char *path, *prev = NULL;
	entities ent;
	size_t i;

	if (o->entities)
		econfig_entities(&ent, o->entities);
	econfig_issuers(&st.is, o->issuers, o->entities ? &ent : NULL);
	if (strcmp(o->state_in, "none") != 0 && estate_open(o->state_in, o->period)) {
		prev = xjoin(o->state_in, "request-lines.tsv");
		if (access(prev, F_OK) < 0) { /* a state of a run before it was kept */
			free(prev);
			prev = NULL;
		}
	}
	path = xjoin(o->dir, "payouts.tsv");
	_load_payouts(o, path);
	free(path);
	path = xjoin(o->dir, "requests.tsv");
	_load_requests(path);
	free(path);
	path = xjoin(o->dir, "payout-items.tsv");
	_load_items(path);
	free(path);
	/* The invoices files give only request-mode merchants' invoices: with
	 * none in request mode, and so no invoice wanted, they give nothing
	 * (the 230 MB of them at 10^7 orders are not read). */
	if (_any_request_mode() || st.nwant) {
		if (!o->payout) {
			path = xjoin(o->dir, "state/invoices.tsv");
			_load_invoices(o, path, 1);
			free(path);
		}
		path = xjoin(o->dir, "invoices.tsv");
		_load_invoices(o, path, 0);
		free(path);
	}
	if (o->state_out) {
		/* The state net-payouts wrote, or a folder of its own. */
		if (mkdir(o->state_out, 0777) < 0 && errno != EEXIST)
			msg_fatal(EXIT_DATA, o->state_out, 0, "cannot create directory:");
		path = xjoin(o->state_out, "request-lines.tsv");
		eout_open(&carry_out, path);
		eout_puts(&carry_out, SCHEMA_REQUEST_LINE_HEADER);
		carrying = 1;
	}
	_open_stream(&a, prev, 1);
	_open_stream(&b, o->ninputs ? o->inputs[0] : "-", 0);
	_merge(o, &a, &b);
	/* The calls of groups without a line: every invoice not kept. */
	for (i = 0; i < st.ncall; i++) {
		if (st.call[i].written)
			continue;
		_open_call(o, (long)i);
		_call_unkept(o);
		_close_call(o);
	}
	_check_found(o);
	for (i = 0; i < st.ncall; i++) {
		char money[MONEY_FMT_MAX];

		if (st.call[i].sum != st.call[i].amount)
			msg_fatal(EXIT_DATA, NULL, 0,
				  "%s: its lines add up to %s, not to the payout's amount: the "
				  "lines do not match the invoices",
				  st.call[i].no,
				  (money_format(st.call[i].sum, st.call[i].digits, money), money));
	}
	if (prev)
		tsv_close(&a.r);
	tsv_close(&b.r);
	if (carrying) {
		eout_close(&carry_out, path);
		free(path);
	}
	free(prev);
	if (o->entities)
		entities_free(&ent);
}

int
main(int argc, char **argv)
{
	struct options opt;
	size_t i;

	msg_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	econfig_merchants(&ms, opt.merchants);
	if (opt.pick)
		_pick(&opt);
	else
		process(&opt);
	for (i = 0; i < st.ncall; i++) {
		free(st.call[i].no), free(st.call[i].entity), free(st.call[i].merchant);
		free(st.call[i].currency), free(st.call[i].request_id);
	}
	for (i = 0; i < st.nwant; i++)
		free(st.want[i].no);
	free(st.call), free(st.want), free(st.key_want);
	strset_free(&st.call_nos), strset_free(&st.call_groups), strset_free(&st.want_nos);
	strset_free(&st.keys), strset_free(&st.warned);
	issuers_free(&st.is);
	merchants_free(&ms);
	return EXIT_OK;
}
