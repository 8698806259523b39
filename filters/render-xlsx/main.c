/* render-xlsx: one XLSX workbook per invoice, credit note and payout of a
 * period.
 *
 * Reads the period's invoices, its lines (grouped by document: the
 * pipeline sorts them), payouts and payout items, and writes
 *     DIR/xlsx/ENTITY/MERCHANT_ID/INVOICE_NO.xlsx
 *     DIR/xlsx/ENTITY/MERCHANT_ID/PAYOUT_NO.xlsx
 * through libxlsxwriter in constant_memory mode: rows stream to disk, a
 * document longer than a sheet continues on further sheets.  Each
 * workbook is a document (SPEC 15): who issues it to whom, what, when and
 * for how much, printable on A4.  Text is always written as text (never
 * as a formula), amounts as numbers with the currency's decimals, dates
 * as date cells.  The workbook's creation time is the issue (or payout)
 * date, so the same inputs give the same bytes.  Memory holds the
 * period's documents and payout items, not the lines.
 *
 * Files: main.c (options, the order of the work), load.c (inputs, all
 * checked before the first workbook), book.c (workbooks, cells, widths,
 * print set-up, the parties), invoice.c (invoices and credit notes),
 * payout.c (payouts). */
#include <getopt.h>
#include <linux/magic.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "input.h"
#include "render.h"
#include "schema.h"

struct render st;

static const char usage[] =
	"Usage: render-xlsx --period P --out DIR [--merchants F] [--entities F]\n"
	"                   [--issuers F] [--corrected F] [--reasons F]\n"
	"                   [--lines F] [--invoices F] [--payouts F] [--items F]\n"
	"                   [--shard K/N] [--merchant ID] [--document NO]\n"
	"\n"
	"Write one XLSX workbook per invoice and credit note of period P and per\n"
	"payout created in its run, under DIR/xlsx/ENTITY/MERCHANT_ID/.  Inputs\n"
	"default to the period's files in DIR: lines.tsv (grouped by document, see\n"
	"docs), invoices.tsv, payouts.tsv and payout-items.tsv.\n"
	"\n"
	"  --period P      the period whose invoices are rendered\n"
	"  --out DIR       the period's output directory\n"
	"  --merchants F   merchants.tsv: legal name and address for the documents\n"
	"  --entities F    entities.tsv: every invoice's entity must be listed\n"
	"  --issuers F     issuers.tsv: the issuing entities' legal details\n"
	"  --corrected F   the invoices the credit notes correct: invoice_no,\n"
	"                  issued_on, period (other rows and columns are ignored)\n"
	"  --reasons F     the reason of each credit-note line (build-invoices\n"
	"                  --reasons): entity, merchant_id, currency, type, corrects,\n"
	"                  adjustment_id, reason, sorted as the lines\n"
	"  --lines F, --invoices F, --payouts F, --items F\n"
	"                  read these instead of the files in DIR\n"
	"  --shard K/N     render only merchants whose hash is K modulo N (0 <= K < N),\n"
	"                  so that N processes can share the work (shard 0 warns)\n"
	"  --merchant ID   render only the documents of merchant ID\n"
	"  --document NO   render only the invoice, credit note or payout NO; with\n"
	"                  either, the lines may be that merchant's only\n"
	"  --tmpdir DIR    where libxlsxwriter's temporary files go (about ten a\n"
	"                  workbook, each removed at once); default /dev/shm when it\n"
	"                  is a memory file system, else TMPDIR, else /tmp\n"
	"  --progress F    show progress on F (default: on stderr when a terminal)\n"
	"  --help          show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n"
	"\n"
	"Example:\n"
	"  (head -n 1; LC_ALL=C sort -s -t \"$(printf '\\t')\" -k2,5) < out/2024-03-1/lines.tsv > "
	"sorted.tsv\n"
	"  render-xlsx --period 2024-03-1 --out out/2024-03-1 --lines sorted.tsv \\\n"
	"      --merchants config/merchants.tsv --issuers config/issuers.tsv\n";

/* Where libxlsxwriter's temporary files go: it writes each part of a
 * workbook to a temporary file, reads it back and removes it, about ten
 * files a workbook.  On a disk's file system each costs an inode, and ext4
 * without a journal does not hand out again an inode freed in the last
 * minute (six, while its inode table block is not yet written back): it
 * scans past them, so that creating files slows down as the render goes
 * on (docs/performance.md).  A memory file system has none of it.  So:
 * --tmpdir (a directory that must exist and be writable); else /dev/shm
 * when it is a writable memory file system; else TMPDIR; else NULL, the
 * library's own choice (/tmp). */
static char *
_tmpdir(char *opt)
{
	struct statfs fs;
	struct stat sb;
	char *env;

	if (opt) {
		if (stat(opt, &sb) < 0 || !S_ISDIR(sb.st_mode) || access(opt, W_OK | X_OK) < 0)
			msg_usage("--tmpdir: not a directory this program can write to: '%s'", opt);
		return opt;
	}
	if (statfs("/dev/shm", &fs) == 0 && fs.f_type == TMPFS_MAGIC &&
	    access("/dev/shm", W_OK | X_OK) == 0)
		return "/dev/shm";
	env = getenv("TMPDIR");
	return env && *env ? env : NULL;
}

/* Options; the shard and the temporary directory are checked here. */
static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"period", required_argument, NULL, 'p'},
		{"out", required_argument, NULL, 'o'},
		{"merchants", required_argument, NULL, 'm'},
		{"entities", required_argument, NULL, 'e'},
		{"issuers", required_argument, NULL, 'I'},
		{"corrected", required_argument, NULL, 'c'},
		{"reasons", required_argument, NULL, 'R'},
		{"lines", required_argument, NULL, 'l'},
		{"invoices", required_argument, NULL, 'i'},
		{"payouts", required_argument, NULL, 'P'},
		{"items", required_argument, NULL, 't'},
		{"shard", required_argument, NULL, 's'},
		{"merchant", required_argument, NULL, 'M'},
		{"document", required_argument, NULL, 'D'},
		{"progress", required_argument, NULL, 'g'},
		{"tmpdir", required_argument, NULL, 'T'},
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
		case 'I': o->issuers = optarg; break;
		case 'c': o->corrected = optarg; break;
		case 'R': o->reasons = optarg; break;
		case 'l': o->lines = optarg; break;
		case 'i': o->invoices = optarg; break;
		case 'P': o->payouts = optarg; break;
		case 't': o->items = optarg; break;
		case 's':
			o->shard = strtol(optarg, &end, 10);
			if (*end != '/' || (o->nshards = strtol(end + 1, &end, 10)) < 1 || *end ||
			    o->shard < 0 || o->shard >= o->nshards)
				msg_usage("--shard: not K/N with 0 <= K < N: '%s'", optarg);
			break;
		case 'M': o->merchant = optarg; break;
		case 'D': o->document = optarg; break;
		case 'g': o->progress = optarg; break;
		case 'T': o->tmpdir = optarg; break;
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
	o->tmpdir = _tmpdir(o->tmpdir);
}

/* Open an input and check its columns, then close it: every input is
 * checked so before the first workbook is written. */
static void
_preflight(const char *path, const char *const *cols, size_t n)
{
	tsv_reader r;
	int x[16];

	if (strcmp(path, "-") == 0)
		return; /* standard input is read once, where it is used */
	einput_open(&r, path);
	einput_require(&r, cols, x, n);
	tsv_close(&r);
}

/* Read the period's files and write the workbooks. */
static void
process(const struct options *o)
{
	static const char *const invoice_cols[] = {"invoice_no", "entity", "merchant_id",
						   "currency",	 "period", "type",
						   "lines",	 "amount"};
	static const char *const item_cols[] = {"payout_no", "invoice_no", "type", "period",
						"amount"};
	char *lines = o->lines ? xstrdup(o->lines) : xjoin(o->dir, "lines.tsv");
	char *invoices = o->invoices ? xstrdup(o->invoices) : xjoin(o->dir, "invoices.tsv");
	char *payouts = o->payouts ? xstrdup(o->payouts) : xjoin(o->dir, "payouts.tsv");
	char *items = o->items ? xstrdup(o->items) : xjoin(o->dir, "payout-items.tsv");
	struct options opt = *o;
	const char *const *line_cols;
	size_t nline_cols;

	opt.items = items;
	/* Workbooks allocate and free large zeroed buffers: keep freed memory
	 * in the process instead of returning it to the kernel each time. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	if (o->merchants) {
		econfig_merchants(&st.ms, o->merchants);
		st.have_ms = 1;
	}
	if (o->entities) {
		econfig_entities(&st.ent, o->entities);
		st.have_ent = 1;
	}
	econfig_issuers(&st.is, o->issuers, st.have_ent ? &st.ent : NULL);
	msg_progress_open(&st.progress, o->progress);
	if (o->nshards > 1)
		snprintf(st.shard, sizeof st.shard, " (shard %ld/%ld)", o->shard, o->nshards);
	line_cols = render_line_cols(&nline_cols);
	_preflight(lines, line_cols, nline_cols);
	_preflight(invoices, invoice_cols, 8);
	_preflight(payouts, schema_payout_cols, PO_NCOLS);
	_preflight(items, item_cols, 5);
	load_invoices(&opt, invoices);
	load_items(&opt, items, payouts);
	load_payouts(payouts);
	load_corrected(&opt);
	load_reasons(&opt);
	load_warn_issuers(&opt);
	render_invoices(&opt, lines);
	render_payouts(&opt);
	msg_progress_end(&st.progress, "%ld workbooks written%s", st.written, st.shard);
	load_free();
	if (st.have_ms)
		merchants_free(&st.ms);
	if (st.have_ent)
		entities_free(&st.ent);
	issuers_free(&st.is);
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
