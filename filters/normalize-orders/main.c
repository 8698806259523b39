/* normalize-orders: validate a period's raw drop into one event stream.
 *
 * Reads the drop's orders, refunds, ads, weights, payouts-paid,
 * payout-requests, merchant-invoices and adjustments files (CSV through
 * libcsv, or TSV), checks every row in the order SPEC 11 gives
 * (rules/checks), and writes the accepted rows as canonical events on
 * stdout; the rejected ones go to the rejects file verbatim.  Payout
 * confirmations, payout requests and merchants' invoices go to files of
 * their own for net-payouts, adjustments (SPEC 12) to theirs for
 * build-invoices.  Memory holds only the per-source duplicate-id set.
 *
 * The files: discover.c (which files, in which order), read.c (CSV and
 * TSV records in prefetched batches), check.c (the checks), emit.c (events
 * and rejects). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fmt.h"
#include "normalize.h"
#include "period.h"
#include "reject.h"
#include "rules/timing.h"
#include "schema.h"

static const char usage[] =
	"Usage: normalize-orders [--period P] [--rejects FILE] [--confirmations FILE]\n"
	"                        [--payout-requests FILE] [--merchant-invoices FILE]\n"
	"                        [--adjustments FILE] [--stdin-as NAME] [--counts FILE]\n"
	"                        [--progress FILE] [--as-of DATE] DROP_DIR|FILE...\n"
	"\n"
	"Validate a period's raw drop and write one canonical event stream (TSV) on\n"
	"stdout.  A DROP_DIR is searched for orders, refunds, ads, weights,\n"
	"payouts-paid, payout-requests, merchant-invoices and adjustments, each as\n"
	".csv (read first) and/or .tsv; a FILE must be named like one of them.  A\n"
	"file named like one in another case or with another extension (Orders.CSV,\n"
	"orders.csv.gz) stops the run; other files are named and skipped.  Only\n"
	"regular files are read.  Rejected rows go to the rejects file (source,\n"
	"line, reason, field, raw); without --rejects each is reported on stderr.\n"
	"\n"
	"  --period P            the run's period (YYYY-MM-1 or YYYY-MM-2): rows dated\n"
	"                        on or after its issue date are rejected 'future'.\n"
	"                        Default: the drop directory's name when it is a period.\n"
	"  --as-of DATE          the drop as exported on DATE (YYYY-MM-DD, a day of the\n"
	"                        period): rows dated after that day are left out,\n"
	"                        neither accepted nor rejected (make expected)\n"
	"  --rejects FILE        write rejected rows to FILE\n"
	"  --confirmations FILE  write accepted payouts-paid rows to FILE; without it\n"
	"                        payouts-paid files are not read (a warning says so)\n"
	"  --payout-requests FILE, --merchant-invoices FILE\n"
	"                        the same for payout-requests and merchant-invoices\n"
	"  --adjustments FILE    write accepted adjustments rows (corrections of issued\n"
	"                        invoices) to FILE; without it adjustments files are\n"
	"                        not read (a warning says so)\n"
	"  --stdin-as NAME       read '-' (standard input) as the drop file NAME,\n"
	"                        for example orders.csv\n"
	"  --counts FILE         write per file: source, rows, accepted, rejected\n"
	"                        (and after_as_of with --as-of)\n"
	"  --progress FILE       show rows read on FILE (default: stderr when a terminal)\n"
	"  --help                show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n"
	"\n"
	"Example:\n"
	"  normalize-orders --rejects rejects.tsv in/2024-03-1 > events.tsv\n";

/* Options and their checks; nothing is read before they are valid. */
static void
parse_args(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{"period", required_argument, NULL, 'p'},
		{"as-of", required_argument, NULL, 'a'},
		{"rejects", required_argument, NULL, 'r'},
		{"confirmations", required_argument, NULL, 'c'},
		{"payout-requests", required_argument, NULL, 'q'},
		{"merchant-invoices", required_argument, NULL, 'i'},
		{"adjustments", required_argument, NULL, 'A'},
		{"stdin-as", required_argument, NULL, 's'},
		{"counts", required_argument, NULL, 'n'},
		{"progress", required_argument, NULL, 'g'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, csv;

	memset(opt, 0, sizeof *opt);
	opt->period = -1;
	opt->as_of = INT64_MIN;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': opt->period = msg_period_arg("--period", optarg); break;
		case 'a':
			if (period_parse_date(optarg, strlen(optarg), &opt->as_of) < 0)
				msg_usage("--as-of: not a date (YYYY-MM-DD): '%s'", optarg);
			break;
		case 'r': opt->rejects = optarg; break;
		case 'c': opt->confirmations = optarg; break;
		case 'q': opt->requests = optarg; break;
		case 'i': opt->merchant_invoices = optarg; break;
		case 'A': opt->adjustments = optarg; break;
		case 's': opt->stdin_as = optarg; break;
		case 'n': opt->counts = optarg; break;
		case 'g': opt->progress = optarg; break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	opt->paths = argv + optind;
	opt->npaths = argc - optind;
	if (opt->npaths == 0)
		msg_usage("no drop directory or file given");
	if (opt->stdin_as && drop_classify(opt->stdin_as, &csv) < 0)
		msg_usage("--stdin-as: not a drop file name (%s, with .csv or .tsv): '%s'",
			  drop_names(), opt->stdin_as);
}

/* --as-of must be a day of the run's period, once that is known (it may
 * come from the drop directory's name). */
static void
_check_as_of(const struct options *opt)
{
	char p[PERIOD_ID_LEN + 1], day[PERIOD_DATE_LEN + 1], first[PERIOD_DATE_LEN + 1],
		last[PERIOD_DATE_LEN + 1];

	if (opt->as_of == INT64_MIN || opt->period < 0 || period_of(opt->as_of) == opt->period)
		return;
	period_format(opt->period, p);
	period_format_date(opt->as_of, day);
	period_format_date(period_start(opt->period), first);
	period_format_date(period_last_day(opt->period), last);
	msg_usage("--as-of: %s is not a day of the period %s: give a date from %s to %s", day, p,
		  first, last);
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

	if (strcmp(path, "-") == 0 || stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
	    !(fp = fopen(path, "rb")))
		return 0;
	n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	for (i = 0; i < n; i++)
		lines += buf[i] == '\n';
	if (lines == 0 || (off_t)n >= st.st_size)
		return lines + 1;
	return (size_t)((double)st.st_size / ((double)n / (double)lines) * 1.05);
}

/* One line of the --counts report. */
static void
_count(out *o, const struct ctx *c)
{
	char *p = eout_room(o, strlen(c->in->base) + 3 * FMT_LONG_MAX + 1), *start = p;

	p = fmt_str(p, c->in->base, '\t');
	p = fmt_long(p, c->nread, '\t');
	p = fmt_long(p, c->nread - c->nrejected - c->nafter, '\t');
	if (c->opt->as_of == INT64_MIN) {
		p = fmt_long(p, c->nrejected, '\n');
	} else {
		p = fmt_long(p, c->nrejected, '\t');
		p = fmt_long(p, c->nafter, '\n');
	}
	out_commit(o, (size_t)(p - start));
}

/* Read every input in order; a source's id set is dropped when the next
 * source begins, so memory holds one source's ids at a time. */
static void
process(const struct options *opt, const struct input *in, size_t nin)
{
	static out events, rejects, confirmations, requests, merchant_invoices, adjustments, counts;
	strset ids = {0};
	struct ctx c;
	size_t i;
	int last = -1;

	memset(&c, 0, sizeof c);
	c.opt = opt;
	c.ids = &ids;
	c.future = opt->period >= 0 ? timing_future_from(opt->period) : INT64_MAX;
	out_init(&events, 1);
	c.out = &events;
	if (opt->rejects) {
		eout_open(&rejects, opt->rejects);
		c.rej = &rejects;
		eout_puts(c.rej, SCHEMA_REJECT_HEADER);
	}
	if (opt->confirmations) {
		eout_open(&confirmations, opt->confirmations);
		c.conf = &confirmations;
		eout_puts(c.conf, SCHEMA_CONFIRMATION_HEADER);
	}
	if (opt->requests) {
		eout_open(&requests, opt->requests);
		c.req = &requests;
		eout_puts(c.req, SCHEMA_REQUEST_IN_HEADER);
	}
	if (opt->merchant_invoices) {
		eout_open(&merchant_invoices, opt->merchant_invoices);
		c.minv = &merchant_invoices;
		eout_puts(c.minv, SCHEMA_MERCHANT_INVOICE_HEADER);
	}
	if (opt->adjustments) {
		eout_open(&adjustments, opt->adjustments);
		c.adj = &adjustments;
		eout_puts(c.adj, SCHEMA_ADJUSTMENT_HEADER);
	}
	eout_puts(c.out, SCHEMA_EVENT_HEADER);
	msg_progress_open(&c.progress, opt->progress);
	if (opt->counts) {
		eout_open(&counts, opt->counts);
		eout_puts(&counts, opt->as_of == INT64_MIN
					   ? "source\trows\taccepted\trejected\n"
					   : "source\trows\taccepted\trejected\tafter_as_of\n");
	}
	for (i = 0; i < nin; i++) {
		c.in = &in[i];
		c.src = check_source_of(in[i].kind);
		if (in[i].kind == SRC_PAYOUTS_PAID && !c.conf) {
			msg_warn(in[i].label, 0, "not read: no --confirmations file given");
			continue;
		}
		if ((in[i].kind == SRC_PAYOUT_REQUESTS && !c.req) ||
		    (in[i].kind == SRC_MERCHANT_INVOICES && !c.minv) ||
		    (in[i].kind == SRC_ADJUSTMENTS && !c.adj)) {
			/* The option is named after the source. */
			msg_warn(in[i].label, 0, "not read: no --%s file given", c.src->name);
			continue;
		}
		if (last != in[i].kind) {
			size_t j, rows = 0;

			strset_free(&ids);
			for (j = i; j < nin && in[j].kind == in[i].kind; j++)
				rows += _estimate_rows(in[j].path);
			if (strset_reserve(&ids, rows) < 0)
				msg_fatal(EXIT_DATA, in[i].label, 0,
					  "out of memory for the id set");
		}
		last = in[i].kind;
		c.nread = c.nrejected = c.nafter = 0;
		read_input(&c);
		if (opt->counts)
			_count(&counts, &c);
	}
	if (c.rej)
		eout_close(c.rej, opt->rejects);
	if (c.conf)
		eout_close(c.conf, opt->confirmations);
	/* Before stdout: the stages downstream read the side files once the
	 * events have ended. */
	if (c.req)
		eout_close(c.req, opt->requests);
	if (c.minv)
		eout_close(c.minv, opt->merchant_invoices);
	if (c.adj)
		eout_close(c.adj, opt->adjustments);
	msg_progress_end(&c.progress, "%ld rows read", c.total);
	eout_close(c.out, "<stdout>");
	if (opt->counts)
		eout_close(&counts, opt->counts);
	text_free(&c.esc);
	text_free(&c.cst);
	read_free(&c);
	strset_free(&ids);
}

int
main(int argc, char **argv)
{
	struct options opt;
	struct input *in;
	size_t nin, i;

	msg_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	in = drop_inputs(&opt, &nin);
	_check_as_of(&opt);
	process(&opt, in, nin);
	for (i = 0; i < nin; i++)
		free(in[i].path);
	free(in);
	return EXIT_OK;
}
