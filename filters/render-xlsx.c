/* render-xlsx: one XLSX workbook per invoice and per payout of a period.
 *
 * Reads the period's invoices, its lines (grouped by invoice: the pipeline
 * sorts them), payouts and payout items, and writes
 *     DIR/xlsx/ENTITY/MERCHANT_ID/INVOICE_NO.xlsx
 *     DIR/xlsx/ENTITY/MERCHANT_ID/PAYOUT_NO.xlsx
 * through libxlsxwriter in constant_memory mode: rows stream to disk, an
 * invoice longer than a sheet continues on further sheets.  Text is always
 * written as text (never as a formula), amounts as numbers with the
 * currency's decimals, dates as date cells.  The workbook's creation time
 * is the issue (or payout) date, so the same inputs give the same bytes.
 * A credit note (SPEC 12) is titled so, cites the invoice it corrects
 * (--corrected: its issue date and period) and shows each line's reason
 * (--reasons: read in step with its lines).  Memory holds the period's
 * invoices and payout items, not the lines. */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "config.h"
#include "fmt.h"
#include "ident.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "period.h"
#include "rules/docno.h"
#include "schema.h"
#include "strset.h"

struct options {
	int period;
	const char *dir, *merchants, *entities, *lines, *invoices, *payouts, *items;
	const char *reasons, *corrected; /* credit notes: their lines' reasons, their invoices */
	long shard, nshards;
	long sheet_rows; /* lines per sheet before continuing on the next */
	const char *progress;
};

static const char usage[] =
	"Usage: render-xlsx --period P --out DIR [--merchants F] [--entities F]\n"
	"                   [--lines F] [--invoices F] [--payouts F] [--items F]\n"
	"                   [--reasons F] [--corrected F] [--shard K/N]\n"
	"\n"
	"Write one XLSX workbook per invoice of period P and per payout created in\n"
	"its run, under DIR/xlsx/ENTITY/MERCHANT_ID/.  Inputs default to the period's\n"
	"files in DIR: lines.tsv (grouped by invoice, see docs), invoices.tsv,\n"
	"payouts.tsv and payout-items.tsv.\n"
	"\n"
	"  --period P      the period whose invoices are rendered\n"
	"  --out DIR       the period's output directory\n"
	"  --merchants F   merchants.tsv: legal name and address for the documents\n"
	"  --entities F    entities.tsv: every invoice's entity must be listed\n"
	"  --lines F, --invoices F, --payouts F, --items F\n"
	"                  read these instead of the files in DIR\n"
	"  --reasons F     credit notes: their lines' reasons, in the order of --lines\n"
	"                  (build-invoices --reasons, sorted as the lines)\n"
	"  --corrected F   credit notes: the register rows of the invoices they correct\n"
	"                  (build-invoices --corrected)\n"
	"  --shard K/N     render only merchants whose hash is K modulo N (0 <= K < N),\n"
	"                  so that N processes can share the work\n"
	"  --progress F    show progress on F (default: on stderr when a terminal)\n"
	"  --help          show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n"
	"\n"
	"Example:\n"
	"  (head -n 1; LC_ALL=C sort -s -t \"$(printf '\\t')\" -k2,5 -k14,14) < "
	"out/2024-03-1/lines.tsv \\\n"
	"      > sorted.tsv\n"
	"  render-xlsx --period 2024-03-1 --out out/2024-03-1 --lines sorted.tsv \\\n"
	"      --merchants config/merchants.tsv\n";

/* Options; the shard is checked here. */
static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"period", required_argument, NULL, 'p'},
		{"out", required_argument, NULL, 'o'},
		{"merchants", required_argument, NULL, 'm'},
		{"entities", required_argument, NULL, 'e'},
		{"lines", required_argument, NULL, 'l'},
		{"invoices", required_argument, NULL, 'i'},
		{"payouts", required_argument, NULL, 'P'},
		{"items", required_argument, NULL, 't'},
		{"reasons", required_argument, NULL, 'R'},
		{"corrected", required_argument, NULL, 'C'},
		{"shard", required_argument, NULL, 's'},
		{"progress", required_argument, NULL, 'g'},
		{"sheet-rows", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	char *end;

	memset(o, 0, sizeof *o);
	o->period = -1;
	o->nshards = 1;
	o->sheet_rows = LXW_ROW_MAX - 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->period = msg_period_arg("--period", optarg); break;
		case 'o': o->dir = optarg; break;
		case 'm': o->merchants = optarg; break;
		case 'e': o->entities = optarg; break;
		case 'l': o->lines = optarg; break;
		case 'i': o->invoices = optarg; break;
		case 'P': o->payouts = optarg; break;
		case 't': o->items = optarg; break;
		case 'R': o->reasons = optarg; break;
		case 'C': o->corrected = optarg; break;
		case 's':
			o->shard = strtol(optarg, &end, 10);
			if (*end != '/' || (o->nshards = strtol(end + 1, &end, 10)) < 1 || *end ||
			    o->shard < 0 || o->shard >= o->nshards)
				msg_usage("--shard: not K/N with 0 <= K < N: '%s'", optarg);
			break;
		case 'g': o->progress = optarg; break;
		case 'r':
			/* Lines per sheet: for tests of the continuation sheets. */
			o->sheet_rows = strtol(optarg, &end, 10);
			if (*end || o->sheet_rows < 1 || o->sheet_rows > LXW_ROW_MAX - 1)
				msg_usage("--sheet-rows: not a number of rows: '%s'", optarg);
			break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	if (o->period < 0 || !o->dir)
		msg_usage("--period and --out are required");
	if (argc > optind)
		msg_usage("no operands: inputs are given by options");
}

/* One invoice (or credit note) of the period. */
struct invoice {
	char *no, *entity, *merchant;
	char *corrects; /* a credit note: the invoice it corrects; else "" */
	char currency[4];
	int type, digits;
	long lines;
	int64_t amount;
	int done;   /* its lines were read */
	long found; /* lines found, when they did not add up to the invoice */
};

/* One item of a payout (an invoice it pays).  The amount is parsed when
 * the payout row gives its currency. */
struct item {
	char *invoice, *amount_text;
	int type, period;
	int64_t amount;
};

/* A payout created in the period's run, with its items. */
struct payout {
	struct item *item;
	size_t n, cap;
};

/* An invoice a credit note corrects: its period (and so its dates). */
struct corrected {
	int period;
	int64_t issued;
};

static struct {
	strset keys; /* "entity\tmerchant\tcurrency\ttype\tcorrects" -> invoices[] */
	struct invoice *inv;
	size_t ninv;
	strset payout_nos; /* payout_no -> payouts[] */
	struct payout *po;
	merchants ms;
	int have_ms;
	long written;
	msg_progress progress;
	char shard[48];	      /* " (shard K/N)" when sharded, for progress */
	strset corrected_nos; /* --corrected: numbers -> corrected[] */
	struct corrected *corrected;
	tsv_reader reasons; /* --reasons, read in step with the lines */
	int have_reasons, rx[7];
} st;

/* mkdir -p for the directories of a path under the output directory.  A
 * merchant's workbooks come one after the other: the directory of the last
 * path is known to exist and is not created again. */
static void
_mkdirs(char *path)
{
	static char *last;
	static size_t last_len;
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;
	char *p;

	if (len == 0 || (last && len == last_len && memcmp(last, path, len) == 0))
		return;
	free(last);
	last = xmalloc(len + 1);
	memcpy(last, path, len);
	last[len] = '\0';
	last_len = len;
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST)
			msg_fatal(EXIT_DATA, path, 0, "cannot create directory:");
		*p = '/';
	}
}

/* Whether a merchant belongs to this process's shard. */
static int
_mine(const struct options *o, const char *merchant)
{
	return o->nshards == 1 ||
	       (long)(strset_hash(merchant, strlen(merchant)) % (uint64_t)o->nshards) == o->shard;
}

/* The number format of a currency with `digits` decimals. */
static const char *
_num_format(int digits)
{
	static const char *const f[] = {"#,##0", "#,##0.0", "#,##0.00", "#,##0.000", "#,##0.0000"};

	return f[digits < 0 ? 0 : digits > 4 ? 4 : digits];
}

/* An amount as a number cell: the exact decimal to the nearest double. */
static double
_number(int64_t v, int digits)
{
	double scale = 1;
	int i;

	for (i = 0; i < digits; i++)
		scale *= 10;
	return (double)v / scale;
}

/* A workbook being written, with its formats. */
struct book {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *title, *money, *date, *time;
	char *path;
	int sheets;
};

/* Stop on a libxlsxwriter error. */
static void
_check(lxw_error e, const char *path)
{
	if (e != LXW_NO_ERROR)
		msg_fatal(EXIT_DATA, path, 0, "%s", lxw_strerror(e));
}

/* Create a workbook at dir/xlsx/entity/merchant/name.xlsx, dated `created`. */
static void
_open_book(struct book *b, const struct options *o, const char *entity, const char *merchant,
	   const char *name, int64_t created, int digits, const char *title)
{
	lxw_workbook_options wo = {LXW_TRUE, NULL, LXW_FALSE};
	lxw_doc_properties props;
	size_t n = strlen(o->dir) + strlen(entity) + strlen(merchant) + strlen(name) + 16;

	memset(b, 0, sizeof *b);
	b->path = xmalloc(n);
	snprintf(b->path, n, "%s/xlsx/%s/%s/%s.xlsx", o->dir, entity, merchant, name);
	_mkdirs(b->path);
	wo.tmpdir = getenv("TMPDIR");
	b->wb = workbook_new_opt(b->path, &wo);
	if (!b->wb)
		msg_fatal(EXIT_DATA, b->path, 0, "cannot create workbook:");
	memset(&props, 0, sizeof props);
	props.title = (char *)title;
	props.created = (time_t)created;
	_check(workbook_set_properties(b->wb, &props), b->path);
	b->bold = workbook_add_format(b->wb);
	format_set_bold(b->bold);
	b->title = workbook_add_format(b->wb);
	format_set_bold(b->title);
	format_set_font_size(b->title, 14);
	b->money = workbook_add_format(b->wb);
	format_set_num_format(b->money, _num_format(digits));
	b->date = workbook_add_format(b->wb);
	format_set_num_format(b->date, "yyyy-mm-dd");
	b->time = workbook_add_format(b->wb);
	format_set_num_format(b->time, "yyyy-mm-dd hh:mm:ss");
}

/* Close and count a workbook. */
static void
_close_book(struct book *b)
{
	_check(workbook_close(b->wb), b->path);
	free(b->path);
	st.written++;
	msg_progress_show(&st.progress, "%ld workbooks written%s", st.written, st.shard);
}

/* Text cell: always a string, never a formula. */
static void
_text(struct book *b, int row, int col, const char *s, lxw_format *f)
{
	if (s && *s)
		_check(worksheet_write_string(b->ws, (lxw_row_t)row, (lxw_col_t)col, s, f),
		       b->path);
}

/* A label and its text value on one header row. */
static void
_field(struct book *b, int row, const char *label, const char *value)
{
	_text(b, row, 0, label, b->bold);
	_text(b, row, 1, value, NULL);
}

/* Add a sheet named `name`, or "name (k)" for continuation sheets. */
static void
_sheet(struct book *b, const char *name)
{
	char title[64];

	/* Sheet names hold at most 31 characters. */
	if (b->sheets++ == 0)
		snprintf(title, sizeof title, "%.31s", name);
	else
		snprintf(title, sizeof title, "%.18s (%d)", name, b->sheets);
	title[31] = '\0';
	b->ws = workbook_add_worksheet(b->wb, title);
	if (!b->ws)
		msg_fatal(EXIT_DATA, b->path, 0, "cannot add sheet '%s'", title);
}

/* The line table's header, column widths, frozen header, autofilter over
 * the `n` line rows that will follow; a credit note's has the reason
 * last. */
static void
_line_table(struct book *b, int row, long n, int credit)
{
	static const char *const head[] = {"Order", "Event",  "Kind",  "Date (UTC)",
					   "Late",  "Amount", "Reason"};
	static const double width[] = {16, 22, 8, 20, 6, 16, 48};
	int c, nc = credit ? 7 : 6;

	for (c = 0; c < nc; c++) {
		_check(worksheet_set_column(b->ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL),
		       b->path);
		_text(b, row, c, head[c], b->bold);
	}
	worksheet_freeze_panes(b->ws, (lxw_row_t)(row + 1), 0);
	_check(worksheet_autofilter(b->ws, (lxw_row_t)row, 0, (lxw_row_t)(row + n),
				    (lxw_col_t)(nc - 1)),
	       b->path);
}

/* A period's number and its first and last day in words. */
static void
_period_field(struct book *b, int row, const char *label, int period)
{
	char pid[PERIOD_ID_LEN + 1], span[64], a[PERIOD_DATE_LEN + 1], z[PERIOD_DATE_LEN + 1];

	period_format(period, pid);
	period_format_date(period_start(period), a);
	period_format_date(period_last_day(period), z);
	snprintf(span, sizeof span, "%s to %s", a, z);
	_field(b, row, label, pid);
	_text(b, row, 2, span, NULL);
}

/* A credit note's rows that cite the invoice it corrects (SPEC 12, 15):
 * number, issue date, period; returns the next free row. */
static int
_corrects_rows(struct book *b, const struct invoice *v, int r)
{
	long id = strset_find(&st.corrected_nos, v->corrects, strlen(v->corrects));

	if (id < 0)
		msg_fatal(EXIT_DATA, NULL, 0,
			  "credit note %s: invoice %s it corrects is not in the --corrected file",
			  v->no, v->corrects);
	_field(b, r++, "Corrects invoice", v->corrects);
	_text(b, r, 0, "Invoice issue date", b->bold);
	_check(worksheet_write_unixtime(b->ws, (lxw_row_t)r++, 1, st.corrected[id].issued, b->date),
	       b->path);
	_period_field(b, r++, "Invoice period", st.corrected[id].period);
	return r;
}

/* The invoice's header block; returns the next free row. */
static int
_invoice_header(struct book *b, const struct invoice *v, int period)
{
	const merchant *m =
		st.have_ms ? merchants_find(&st.ms, v->merchant, strlen(v->merchant)) : NULL;
	char *place = NULL;
	int r = 0;

	_text(b, r, 0, *v->corrects ? "Credit note" : "Invoice", b->title);
	r += 2;
	_field(b, r++, *v->corrects ? "Credit note number" : "Invoice number", v->no);
	_field(b, r, "Invoice type", schema_type_code(v->type));
	_text(b, r++, 2, schema_type_name(v->type), NULL);
	_period_field(b, r++, "Period", period);
	_text(b, r, 0, "Issue date", b->bold);
	_check(worksheet_write_unixtime(b->ws, (lxw_row_t)r++, 1, period_issue_date(period),
					b->date),
	       b->path);
	if (*v->corrects)
		r = _corrects_rows(b, v, r);
	_field(b, r++, "Invoicing entity", v->entity);
	_field(b, r++, "Merchant", v->merchant);
	_field(b, r++, "Legal name", m ? m->legal_name : "");
	_field(b, r++, "Address", m ? m->address : "");
	if (m) {
		size_t np = strlen(m->postal_code), nc = strlen(m->city);

		place = xmalloc(np + nc + 2);
		memcpy(place, m->postal_code, np);
		place[np] = ' ';
		memcpy(place + np + 1, m->city, nc + 1);
	}
	_field(b, r++, "Postal code, city", m ? place : "");
	free(place);
	_field(b, r++, "Country", m ? m->country : "");
	_field(b, r++, "VAT ID", m ? m->vat_id : "");
	_field(b, r++, "Currency", v->currency);
	_text(b, r, 0, "Total", b->bold);
	_check(worksheet_write_number(b->ws, (lxw_row_t)r++, 1, _number(v->amount, v->digits),
				      b->money),
	       b->path);
	_text(b, r, 0, "Lines", b->bold);
	_check(worksheet_write_number(b->ws, (lxw_row_t)r++, 1, (double)v->lines, NULL), b->path);
	return r + 1;
}

/* An invoice's key in a period: "entity\tmerchant\tcurrency\ttype\tcorrects"
 * (corrects: empty but for a credit note, SPEC 12). */
enum { KEY_MAX = 3 * IDENT_MAX + 3 + 8 + 5 };

/* Build the key into buf (KEY_MAX bytes); entity, merchant and corrects
 * are identifiers, the currency three letters, the type a line type's
 * code. */
static size_t
_key(char *buf, const char *entity, size_t en, const char *merchant, size_t mn,
     const char *currency, size_t cn, const char *type, size_t tn, const char *corrects, size_t kn)
{
	char *p = buf;

	if (en > IDENT_MAX || mn > IDENT_MAX || cn > 3 || tn > 8 || kn > IDENT_MAX)
		return 0;
	p = fmt_field(p, entity, en, '\t');
	p = fmt_field(p, merchant, mn, '\t');
	p = fmt_field(p, currency, cn, '\t');
	p = fmt_field(p, type, tn, '\t');
	memcpy(p, corrects, kn);
	return (size_t)(p - buf) + kn;
}

/* The key of the lines row r is on. */
static size_t _line_key(char *buf, const tsv_reader *r, const int *x);

enum {
	L_PERIOD,
	L_ENTITY,
	L_MERCHANT,
	L_CURRENCY,
	L_TYPE,
	L_AMOUNT,
	L_EVENT,
	L_ORDER,
	L_AT,
	L_LATE,
	L_KIND,
	L_N,
	L_CORRECTS = L_N, /* optional: lines written before credit notes lack it */
	L_ALL
};
static const char *const line_cols[L_ALL] = {
	"period",   "entity",	"merchant_id", "currency", "type", "amount",
	"event_id", "order_id", "at",	       "late",	   "kind", "corrects",
};

static size_t
_line_key(char *buf, const tsv_reader *r, const int *x)
{
	int k = x[L_CORRECTS];
	size_t n = _key(buf, r->field[x[L_ENTITY]], r->flen[x[L_ENTITY]], r->field[x[L_MERCHANT]],
			r->flen[x[L_MERCHANT]], r->field[x[L_CURRENCY]], r->flen[x[L_CURRENCY]],
			r->field[x[L_TYPE]], r->flen[x[L_TYPE]], k >= 0 ? r->field[k] : "",
			k >= 0 ? r->flen[k] : 0);

	if (n == 0)
		einput_bad(r, x[L_MERCHANT], "a line of no invoice in invoices.tsv:");
	return n;
}

/* The reason of the credit-note line r is on: the next row of --reasons,
 * which must be that line's (its invoice's key and its adjustment). */
static const char *
_reason(const tsv_reader *r, const int *x, const struct invoice *v)
{
	static const int key[] = {L_ENTITY, L_MERCHANT, L_CURRENCY, L_TYPE, L_CORRECTS, L_EVENT};
	const int *y = st.rx;
	int k;

	if (!st.have_reasons)
		msg_fatal(EXIT_DATA, NULL, 0,
			  "credit note %s: its lines' reasons are needed (--reasons)", v->no);
	if (!einput_next(&st.reasons))
		msg_fatal(EXIT_DATA, st.reasons.name, st.reasons.line,
			  "no reason for line %ld of %s (adjustment '%s'): the reasons must be "
			  "those of the credit notes' lines, in the same order",
			  r->line, r->name, r->field[x[L_EVENT]]);
	for (k = 0; k < 6; k++)
		if (st.reasons.flen[y[k]] != r->flen[x[key[k]]] ||
		    memcmp(st.reasons.field[y[k]], r->field[x[key[k]]], r->flen[x[key[k]]]) != 0)
			msg_fatal(EXIT_DATA, st.reasons.name, st.reasons.line,
				  "the reason of another line than line %ld of %s (adjustment "
				  "'%s'): the reasons must be those of the credit notes' lines, "
				  "in the same order (sort both alike)",
				  r->line, r->name, r->field[x[L_EVENT]]);
	einput_text(&st.reasons, y[6]);
	return st.reasons.field[y[6]];
}

/* Render one invoice from its lines, which the reader is positioned on:
 * reads them all and returns 1 when another row is waiting, 0 at the end. */
static int
_render_invoice(const struct options *o, tsv_reader *r, const int *x, struct invoice *v,
		const char *key, size_t keylen)
{
	struct book b;
	char name[64];
	long done = 0, on_sheet = 0, rows_here;
	int row, more;
	int64_t sum = 0;
	const char *tname = schema_type_name(v->type);

	snprintf(name, sizeof name, "%s", tname);
	_open_book(&b, o, v->entity, v->merchant, v->no, period_issue_date(o->period), v->digits,
		   v->no);
	_sheet(&b, name);
	row = _invoice_header(&b, v, o->period);
	rows_here = v->lines < o->sheet_rows ? v->lines : o->sheet_rows;
	_line_table(&b, row++, rows_here + (v->lines <= o->sheet_rows), *v->corrects != '\0');
	for (;;) {
		int64_t amount = einput_money(r, x[L_AMOUNT], v->digits);

		if (on_sheet == o->sheet_rows) {
			/* This sheet is full: the invoice goes on, on the next. */
			_sheet(&b, name);
			rows_here =
				v->lines - done < o->sheet_rows ? v->lines - done : o->sheet_rows;
			row = 0;
			_line_table(&b, row++, rows_here + (v->lines - done <= o->sheet_rows),
				    *v->corrects != '\0');
			on_sheet = 0;
		}
		_text(&b, row, 0, r->field[x[L_ORDER]], NULL);
		_text(&b, row, 1, r->field[x[L_EVENT]], NULL);
		_text(&b, row, 2, r->field[x[L_KIND]], NULL);
		_check(worksheet_write_unixtime(b.ws, (lxw_row_t)row, 3, einput_time(r, x[L_AT]),
						b.time),
		       b.path);
		_check(worksheet_write_number(b.ws, (lxw_row_t)row, 4,
					      (double)einput_flag(r, x[L_LATE]), NULL),
		       b.path);
		_check(worksheet_write_number(b.ws, (lxw_row_t)row, 5, _number(amount, v->digits),
					      b.money),
		       b.path);
		if (*v->corrects)
			_text(&b, row, 6, _reason(r, x, v), NULL);
		if (money_add(sum, amount, &sum) != MONEY_OK)
			msg_fatal(EXIT_DATA, r->name, r->line, "invoice %s: total out of range",
				  v->no);
		row++, on_sheet++, done++;
		more = einput_next(r);
		if (!more)
			break;
		{
			char k[KEY_MAX];
			size_t n = _line_key(k, r, x);

			if (n != keylen || memcmp(k, key, n) != 0)
				break;
		}
	}
	if (done != v->lines || sum != v->amount) {
		/* Lines missing, or the file not grouped: which one shows later;
		 * no workbook is left for this invoice. */
		_check(workbook_close(b.wb), b.path);
		unlink(b.path);
		free(b.path);
		v->found = done;
		return more;
	}
	_text(&b, row, 0, "Total", b.bold);
	_check(worksheet_write_number(b.ws, (lxw_row_t)row, 5, _number(sum, v->digits), b.money),
	       b.path);
	_close_book(&b);
	return more;
}

/* The columns read of invoices.tsv (kind and corrects optional: absent,
 * an invoice) and payout-items.tsv. */
static const char *const invoice_cols[] = {"invoice_no", "entity",  "merchant_id", "currency",
					   "period",	 "type",    "lines",	   "amount",
					   "kind",	 "corrects"};
static const char *const item_cols[] = {"payout_no", "invoice_no", "type", "period", "amount"};

/* Open an input and check its columns, then close it: every input is
 * checked so before the first workbook is written. */
static void
_preflight(const char *path, const char *const *cols, size_t n)
{
	tsv_reader r;
	int x[PO_NCOLS + L_ALL];

	if (strcmp(path, "-") == 0)
		return; /* standard input is read once, where it is used */
	einput_open(&r, path);
	einput_require(&r, cols, x, n);
	tsv_close(&r);
}

/* Load the period's invoices. */
static void
_load_invoices(const struct options *o, const char *path, const entities *ent)
{
	const char *const *cols = invoice_cols;
	tsv_reader r;
	int x[10], isnew;
	size_t cap = 0;
	char key[KEY_MAX];

	einput_open(&r, path);
	einput_require(&r, cols, x, 8);
	x[8] = tsv_column(&r, cols[8]);
	x[9] = tsv_column(&r, cols[9]);
	while (einput_next(&r)) {
		struct invoice v;
		long id;
		size_t n;
		int kind = x[8] >= 0 ? schema_kind_of(r.field[x[8]], r.flen[x[8]]) : DOC_INVOICE;

		if (einput_period(&r, x[4]) != o->period)
			continue; /* an earlier invoice whose payout or status changed */
		memset(&v, 0, sizeof v);
		v.no = xstrdup(einput_ident(&r, x[0]));
		v.entity = xstrdup(einput_ident(&r, x[1]));
		if (ent && entities_find(ent, v.entity) < 0)
			einput_bad(&r, x[1], "entity not in entities.tsv:");
		v.merchant = xstrdup(einput_ident(&r, x[2]));
		v.digits = einput_currency(&r, x[3]);
		memcpy(v.currency, r.field[x[3]], 4);
		v.type = schema_type_of(r.field[x[5]], r.flen[x[5]]);
		if (v.type < 0)
			einput_bad(&r, x[5], "not a line type:");
		v.lines = einput_count(&r, x[6]);
		v.amount = einput_money(&r, x[7], v.digits);
		if (kind < 0)
			einput_bad(&r, x[8], "not a kind (invoice, credit_note):");
		v.corrects = xstrdup(kind == DOC_CREDIT_NOTE && x[9] >= 0 ? r.field[x[9]] : "");
		if ((kind == DOC_CREDIT_NOTE) != (*v.corrects != '\0'))
			einput_bad(&r, x[9] >= 0 ? x[9] : x[0],
				   "a credit note names the invoice it corrects, an invoice none:");
		if (*v.corrects)
			einput_ident(&r, x[9]);
		n = _key(key, v.entity, strlen(v.entity), v.merchant, strlen(v.merchant),
			 v.currency, 3, schema_type_code(v.type), strlen(schema_type_code(v.type)),
			 v.corrects, strlen(v.corrects));
		id = strset_add(&st.keys, key, n, &isnew);
		if (id < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		if (!isnew)
			einput_bad(&r, x[0],
				   "a second invoice for the same entity, merchant, currency, "
				   "type (and corrected invoice):");
		st.inv = xgrow(st.inv, &cap, st.ninv + 1, sizeof *st.inv);
		st.inv[st.ninv++] = v;
	}
	tsv_close(&r);
}

/* Render every invoice of this shard from the grouped lines. */
static void
_render_invoices(const struct options *o, const char *path)
{
	tsv_reader r;
	int x[L_ALL], more;
	char key[KEY_MAX];
	size_t i;

	einput_open(&r, path);
	einput_require(&r, line_cols, x, L_N);
	x[L_CORRECTS] = tsv_column(&r, line_cols[L_CORRECTS]);
	more = einput_next(&r);
	while (more) {
		size_t n = _line_key(key, &r, x);
		long id = strset_find(&st.keys, key, n);
		struct invoice *v;

		if (strcmp(r.field[x[L_PERIOD]], "") == 0 ||
		    einput_period(&r, x[L_PERIOD]) != o->period)
			einput_bad(&r, x[L_PERIOD], "a line of another period:");
		if (id < 0)
			einput_bad(&r, x[L_MERCHANT], "a line of no invoice in invoices.tsv:");
		v = &st.inv[id];
		if (v->done)
			msg_fatal(EXIT_DATA, r.name, r.line,
				  "lines of invoice %s are not together: sort lines.tsv by entity, "
				  "merchant_id, currency, type and corrects first",
				  v->no);
		v->done = 1;
		if (_mine(o, v->merchant)) {
			more = _render_invoice(o, &r, x, v, key, n);
			continue;
		}
		/* Another shard's invoice: skip its lines (and their reasons). */
		for (;;) {
			char k[KEY_MAX];
			size_t kn;

			if (*v->corrects)
				_reason(&r, x, v);
			if (!(more = einput_next(&r)))
				break;
			kn = _line_key(k, &r, x);
			if (kn != n || memcmp(k, key, n) != 0)
				break;
		}
	}
	tsv_close(&r);
	if (st.have_reasons && einput_next(&st.reasons))
		msg_fatal(EXIT_DATA, st.reasons.name, st.reasons.line,
			  "a reason of no credit-note line of %s", path);
	for (i = 0; i < st.ninv; i++) {
		const struct invoice *v = &st.inv[i];

		if (v->found)
			msg_fatal(
				EXIT_DATA, path, 0,
				"invoice %s: its %ld lines here do not add up to the invoice (%ld "
				"lines)",
				v->no, v->found, v->lines);
		if (!v->done && v->lines > 0)
			msg_fatal(EXIT_DATA, path, 0, "invoice %s has no lines in this file",
				  v->no);
	}
}

/* The invoices the credit notes correct: register rows (invoice_no, ...,
 * period, issued_on). */
static void
_load_corrected(const char *path)
{
	static const char *const cols[] = {"invoice_no", "period", "issued_on"};
	tsv_reader r;
	int x[3], isnew;
	size_t cap = 0;

	einput_open(&r, path);
	einput_require(&r, cols, x, 3);
	while (einput_next(&r)) {
		long id =
			strset_add(&st.corrected_nos, einput_ident(&r, x[0]), r.flen[x[0]], &isnew);

		if (id < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		st.corrected = xgrow(st.corrected, &cap, (size_t)id + 1, sizeof *st.corrected);
		st.corrected[id].period = einput_period(&r, x[1]);
		st.corrected[id].issued = einput_time(&r, x[2]);
	}
	tsv_close(&r);
}

/* Open the reasons, read in step with the lines. */
static void
_open_reasons(const char *path)
{
	static const char *const cols[] = {"entity",   "merchant_id",	"currency", "type",
					   "corrects", "adjustment_id", "reason"};

	einput_open(&st.reasons, path);
	einput_require(&st.reasons, cols, st.rx, 7);
	st.have_reasons = 1;
}

/* Load the payout items (the payouts created in the period's run). */
static void
_load_items(const char *path)
{
	const char *const *cols = item_cols;
	tsv_reader r;
	int x[5], isnew;
	size_t cap = 0;

	einput_open(&r, path);
	einput_require(&r, cols, x, 5);
	while (einput_next(&r)) {
		long id = strset_add(&st.payout_nos, r.field[x[0]], r.flen[x[0]], &isnew);
		struct payout *p;
		struct item it;

		if (id < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		if (isnew) {
			st.po = xgrow(st.po, &cap, (size_t)id + 1, sizeof *st.po);
			memset(&st.po[id], 0, sizeof st.po[id]);
		}
		p = &st.po[id];
		it.invoice = xstrdup(einput_ident(&r, x[1]));
		it.amount_text = xstrdup(r.field[x[4]]);
		it.type = schema_type_of(r.field[x[2]], r.flen[x[2]]);
		if (it.type < 0)
			einput_bad(&r, x[2], "not a line type:");
		it.period = einput_period(&r, x[3]);
		it.amount = 0;
		p->item = xgrow(p->item, &p->cap, p->n + 1, sizeof *p->item);
		p->item[p->n++] = it;
	}
	tsv_close(&r);
}

/* Items by type (byte order of the code), then invoice number. */
static int
_cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int k = strcmp(schema_type_code(x->type), schema_type_code(y->type));

	return k ? k : strcmp(x->invoice, y->invoice);
}

/* Render one payout: its card, then its invoices grouped by type with a
 * subtotal per type and a total. */
static void
_render_payout(const struct options *o, const tsv_reader *r, const int *x, struct payout *p,
	       int paid_on_col)
{
	const char *no = r->field[x[PO_NO]], *ent = r->field[x[PO_ENTITY]];
	const char *mid = r->field[x[PO_MERCHANT]];
	const merchant *m = st.have_ms ? merchants_find(&st.ms, mid, strlen(mid)) : NULL;
	int digits = einput_currency(r, x[PO_CURRENCY]), row = 0, c;
	int64_t date = einput_time(r, x[PO_DATE]), amount = einput_money(r, x[PO_AMOUNT], digits);
	int64_t total = 0, sub = 0;
	size_t i;
	struct book b;
	static const char *const head[] = {"Type", "Invoice type", "Invoice", "Period", "Amount"};
	static const double width[] = {18, 28, 22, 12, 16};

	for (i = 0; i < p->n; i++) {
		const char *txt = p->item[i].amount_text;

		if (money_parse(txt, strlen(txt), digits, &p->item[i].amount) != MONEY_OK)
			msg_fatal(EXIT_DATA, o->items, 0,
				  "payout %s: item amount '%s' is not %s money", no, txt,
				  r->field[x[PO_CURRENCY]]);
	}
	if (p->n > 1)
		qsort(p->item, p->n, sizeof *p->item, _cmp_item);
	_open_book(&b, o, ent, mid, no, date, digits, no);
	_sheet(&b, "Payout");
	_text(&b, row, 0, "Payout", b.title);
	row += 2;
	_field(&b, row++, "Payout number", no);
	_text(&b, row, 0, "Payout date", b.bold);
	_check(worksheet_write_unixtime(b.ws, (lxw_row_t)row++, 1, date, b.date), b.path);
	_field(&b, row++, "Status", r->field[x[PO_STATUS]]);
	_field(&b, row++, "Hold reason", r->field[x[PO_HOLD]]);
	_text(&b, row, 0, "Paid on", b.bold);
	if (paid_on_col >= 0 && r->flen[paid_on_col])
		_check(worksheet_write_unixtime(b.ws, (lxw_row_t)row, 1,
						einput_time(r, paid_on_col), b.date),
		       b.path);
	row++;
	_field(&b, row++, "Invoicing entity", ent);
	_field(&b, row++, "Merchant", mid);
	_field(&b, row++, "Legal name", m ? m->legal_name : "");
	_field(&b, row++, "Currency", r->field[x[PO_CURRENCY]]);
	_text(&b, row, 0, "Amount", b.bold);
	_check(worksheet_write_number(b.ws, (lxw_row_t)row++, 1, _number(amount, digits), b.money),
	       b.path);
	_text(&b, row, 0, "Invoices", b.bold);
	_check(worksheet_write_number(b.ws, (lxw_row_t)row++, 1, (double)p->n, NULL), b.path);
	row++;
	for (c = 0; c < 5; c++) {
		_check(worksheet_set_column(b.ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL),
		       b.path);
		_text(&b, row, c, head[c], b.bold);
	}
	worksheet_freeze_panes(b.ws, (lxw_row_t)(row + 1), 0);
	row++;
	for (i = 0; i < p->n; i++) {
		const struct item *it = &p->item[i];
		char pid[PERIOD_ID_LEN + 1], label[64];

		period_format(it->period, pid);
		_text(&b, row, 0, schema_type_code(it->type), NULL);
		_text(&b, row, 1, schema_type_name(it->type), NULL);
		_text(&b, row, 2, it->invoice, NULL);
		_text(&b, row, 3, pid, NULL);
		_check(worksheet_write_number(b.ws, (lxw_row_t)row++, 4,
					      _number(it->amount, digits), b.money),
		       b.path);
		if (money_add(sub, it->amount, &sub) != MONEY_OK)
			msg_fatal(EXIT_DATA, o->items, 0, "payout %s: subtotal out of range", no);
		if (i + 1 == p->n || p->item[i + 1].type != it->type) {
			snprintf(label, sizeof label, "Subtotal %s", schema_type_code(it->type));
			_text(&b, row, 0, label, b.bold);
			_text(&b, row, 1, schema_type_name(it->type), b.bold);
			_check(worksheet_write_number(b.ws, (lxw_row_t)row++, 4,
						      _number(sub, digits), b.money),
			       b.path);
			if (money_add(total, sub, &total) != MONEY_OK)
				msg_fatal(EXIT_DATA, o->items, 0, "payout %s: total out of range",
					  no);
			sub = 0;
		}
	}
	if (total != amount)
		msg_fatal(EXIT_DATA, o->items, 0,
			  "payout %s: its items do not add up to its amount", no);
	_text(&b, row, 0, "Total", b.bold);
	_check(worksheet_write_number(b.ws, (lxw_row_t)row, 4, _number(total, digits), b.money),
	       b.path);
	_close_book(&b);
}

/* Render the payouts of this shard that have items (created in the run). */
static void
_render_payouts(const struct options *o, const char *path)
{
	tsv_reader r;
	int x[PO_NCOLS], paid_on;

	einput_open(&r, path);
	einput_require(&r, schema_payout_cols, x, PO_NCOLS);
	paid_on = tsv_column(&r, "paid_on");
	while (einput_next(&r)) {
		long id = strset_find(&st.payout_nos, r.field[x[PO_NO]], r.flen[x[PO_NO]]);

		einput_ident(&r, x[PO_NO]);
		einput_ident(&r, x[PO_ENTITY]);
		einput_ident(&r, x[PO_MERCHANT]);
		if (id >= 0 && _mine(o, r.field[x[PO_MERCHANT]]))
			_render_payout(o, &r, x, &st.po[id], paid_on);
	}
	tsv_close(&r);
}

/* Read the period's files and write the workbooks. */
static void
process(const struct options *o)
{
	char *lines = o->lines ? xstrdup(o->lines) : xjoin(o->dir, "lines.tsv");
	char *invoices = o->invoices ? xstrdup(o->invoices) : xjoin(o->dir, "invoices.tsv");
	char *payouts = o->payouts ? xstrdup(o->payouts) : xjoin(o->dir, "payouts.tsv");
	char *items = o->items ? xstrdup(o->items) : xjoin(o->dir, "payout-items.tsv");
	struct options opt = *o;
	entities ent;
	size_t i, k;

	opt.items = items;
	/* Workbooks allocate and free large zeroed buffers: keep freed memory
	 * in the process instead of returning it to the kernel each time. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	if (o->merchants) {
		econfig_merchants(&st.ms, o->merchants);
		st.have_ms = 1;
	}
	if (o->entities)
		econfig_entities(&ent, o->entities);
	msg_progress_open(&st.progress, o->progress);
	if (o->nshards > 1)
		snprintf(st.shard, sizeof st.shard, " (shard %ld/%ld)", o->shard, o->nshards);
	_preflight(lines, line_cols, L_N);
	_preflight(invoices, invoice_cols, 8);
	_preflight(payouts, schema_payout_cols, PO_NCOLS);
	_preflight(items, item_cols, 5);
	if (o->corrected)
		_load_corrected(o->corrected);
	if (o->reasons)
		_open_reasons(o->reasons);
	_load_invoices(&opt, invoices, o->entities ? &ent : NULL);
	_render_invoices(&opt, lines);
	_load_items(items);
	_render_payouts(&opt, payouts);
	msg_progress_end(&st.progress, "%ld workbooks written%s", st.written, st.shard);
	for (i = 0; i < st.ninv; i++) {
		free(st.inv[i].no);
		free(st.inv[i].entity);
		free(st.inv[i].merchant);
		free(st.inv[i].corrects);
	}
	if (st.have_reasons)
		tsv_close(&st.reasons);
	strset_free(&st.corrected_nos);
	free(st.corrected);
	free(st.inv);
	for (i = 0; i < strset_count(&st.payout_nos); i++) {
		for (k = 0; k < st.po[i].n; k++) {
			free(st.po[i].item[k].invoice);
			free(st.po[i].item[k].amount_text);
		}
		free(st.po[i].item);
	}
	free(st.po);
	strset_free(&st.keys);
	strset_free(&st.payout_nos);
	if (st.have_ms)
		merchants_free(&st.ms);
	if (o->entities)
		entities_free(&ent);
	free(lines), free(invoices), free(payouts), free(items);
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
