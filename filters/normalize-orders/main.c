/* normalize-orders: validate a period's raw drop into one event stream.
 *
 * Reads the drop's orders, refunds, ads, weights, payouts-paid and
 * adjustments files (CSV through libcsv, or TSV), checks every row in the
 * order SPEC 11 gives (rules/checks), and writes the accepted rows as
 * canonical events on stdout; the rejected ones go to the rejects file
 * verbatim.  Payout confirmations go to their own file for net-payouts,
 * adjustments (SPEC 12) to theirs for build-invoices.  Memory holds only
 * the per-source duplicate-id set.
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
	"                        [--adjustments FILE] [--stdin-as NAME] [--counts FILE]\n"
	"                        [--progress FILE] DROP_DIR|FILE...\n"
	"\n"
	"Validate a period's raw drop and write one canonical event stream (TSV) on\n"
	"stdout.  A DROP_DIR is searched for orders, refunds, ads, weights,\n"
	"payouts-paid and adjustments, each as .csv (read first) and/or .tsv; a FILE\n"
	"must be named like one of them.  A file named like one in another case or\n"
	"with another extension (Orders.CSV, orders.csv.gz) stops the run; other\n"
	"files are named and skipped.  Only regular files are read.  Rejected rows go\n"
	"to the rejects file (source, line, reason, field, raw); without --rejects\n"
	"each is reported on stderr.\n"
	"\n"
	"  --period P            the run's period (YYYY-MM-1 or YYYY-MM-2): rows dated\n"
	"                        on or after its issue date are rejected 'future'.\n"
	"                        Default: the drop directory's name when it is a period.\n"
	"  --rejects FILE        write rejected rows to FILE\n"
	"  --confirmations FILE  write accepted payouts-paid rows to FILE; without it\n"
	"                        payouts-paid files are not read (a warning says so)\n"
	"  --adjustments FILE    write accepted adjustments rows (corrections of issued\n"
	"                        invoices) to FILE; without it adjustments files are\n"
	"                        not read (a warning says so)\n"
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

/* Options and their checks; nothing is read before they are valid. */
static void
parse_args(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{"period", required_argument, NULL, 'p'},
		{"rejects", required_argument, NULL, 'r'},
		{"confirmations", required_argument, NULL, 'c'},
		{"adjustments", required_argument, NULL, 'a'},
		{"stdin-as", required_argument, NULL, 's'},
		{"counts", required_argument, NULL, 'n'},
		{"progress", required_argument, NULL, 'g'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, csv;

	memset(opt, 0, sizeof *opt);
	opt->period = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': opt->period = msg_period_arg("--period", optarg); break;
		case 'r': opt->rejects = optarg; break;
		case 'c': opt->confirmations = optarg; break;
		case 'a': opt->adjustments = optarg; break;
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
		msg_usage("--stdin-as: not a drop file name (%s with .csv or .tsv): '%s'",
			  drop_names(), opt->stdin_as);
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
	p = fmt_long(p, c->nread - c->nrejected, '\t');
	p = fmt_long(p, c->nrejected, '\n');
	out_commit(o, (size_t)(p - start));
}

/* Read every input in order; a source's id set is dropped when the next
 * source begins, so memory holds one source's ids at a time. */
static void
process(const struct options *opt, const struct input *in, size_t nin)
{
	static out events, rejects, confirmations, adjustments, counts;
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
	if (opt->adjustments) {
		eout_open(&adjustments, opt->adjustments);
		c.adj = &adjustments;
		eout_puts(c.adj, SCHEMA_ADJUSTMENT_HEADER);
	}
	eout_puts(c.out, SCHEMA_EVENT_HEADER);
	msg_progress_open(&c.progress, opt->progress);
	if (opt->counts) {
		eout_open(&counts, opt->counts);
		eout_puts(&counts, "source\trows\taccepted\trejected\n");
	}
	for (i = 0; i < nin; i++) {
		c.in = &in[i];
		c.src = check_source_of(in[i].kind);
		if (in[i].kind == SRC_PAYOUTS_PAID && !c.conf) {
			msg_warn(in[i].label, 0, "not read: no --confirmations file given");
			continue;
		}
		if (in[i].kind == SRC_ADJUSTMENTS && !c.adj) {
			msg_warn(in[i].label, 0, "not read: no --adjustments file given");
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
		c.nread = c.nrejected = 0;
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
	process(&opt, in, nin);
	for (i = 0; i < nin; i++)
		free(in[i].path);
	free(in);
	return EXIT_OK;
}
