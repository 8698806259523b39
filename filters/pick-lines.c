/* pick-lines: one merchant's rows of a period's lines file, read with the
 * index build-invoices wrote beside it (--lines-index, lib/lineidx.h),
 * without reading the other rows (lib/pick.h). */
#include <getopt.h>
#include <string.h>

#include "msg.h"
#include "out.h"
#include "pick.h"

struct options {
	const char *index, *merchant, *lines;
};

static const char usage[] =
	"Usage: pick-lines --index FILE --merchant ID LINES\n"
	"\n"
	"Write the header of LINES (a period's lines.tsv) and the rows of merchant ID,\n"
	"in the file's order, on stdout, reading only those rows: FILE is the index\n"
	"build-invoices --lines-index wrote with LINES (OUT/P/lines.idx).  A merchant\n"
	"without lines gives the header alone.\n"
	"\n"
	"  --index FILE    the index of LINES\n"
	"  --merchant ID   the merchant whose rows to write\n"
	"  --help          show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error (an index that does not describe\n"
	"LINES: another size, or a row that is not where or whose it says), 2 usage\n"
	"error.\n"
	"\n"
	"Example:\n"
	"  pick-lines --index out/2024-03-1/lines.idx --merchant anna-crafts \\\n"
	"      out/2024-03-1/lines.tsv > anna-lines.tsv\n";

static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"index", required_argument, NULL, 'i'},
		{"merchant", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof *o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': o->index = optarg; break;
		case 'm': o->merchant = optarg; break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	if (!o->index || !o->merchant)
		msg_usage("--index and --merchant are required");
	if (optind != argc - 1)
		msg_usage("give one lines file (LINES)");
	o->lines = argv[optind];
}

/* The one merchant asked for. */
static int
_is(void *arg, const char *id)
{
	return strcmp(id, arg) == 0;
}

int
main(int argc, char **argv)
{
	struct options opt;
	out o;

	msg_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	out_init(&o, 1);
	epick_lines(opt.index, opt.lines, _is, (void *)opt.merchant, &o);
	eout_close(&o, "<stdout>");
	return EXIT_OK;
}
