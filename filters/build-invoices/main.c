/* build-invoices: aggregate a period's lines into numbered invoices.
 *
 * One invoice per (entity, merchant_id, currency, type), issued the day
 * after the period.  Numbers PREFIX-YYYY-NNNNNN are gapless per entity and
 * year of issue, continue from the previous state's counters, and are given
 * in (merchant_id, currency, type) byte order, so the same inputs and state
 * always give the same numbers.  Lines of a merchant that is unknown or
 * whose record is incomplete are held: carried in the state and invoiced in
 * the first run whose merchants.tsv completes the record.  Memory holds the
 * invoices and the held merchants, not the lines.
 *
 * The files: read.c (lines and assigned events, in batches), book.c (the
 * invoices, the held lines, the totals), issue.c (numbers, the invoices'
 * rows, the held report). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "msg.h"
#include "period.h"

static const char usage[] =
	"Usage: build-invoices --period P --merchants merchants.tsv --entities entities.tsv\n"
	"                      --state-in DIR|none --state-out DIR [--held FILE]\n"
	"                      [--lines FILE] [--totals FILE] [LINES...]\n"
	"\n"
	"Aggregate split-by-entity's assigned events, or lines (LINES or stdin; the\n"
	"format is told by the header), into one invoice per entity, merchant,\n"
	"currency and type, numbered PREFIX-YYYY-NNNNNN, on stdout.\n"
	"Lines of unknown or incomplete merchants are held and carried in the state;\n"
	"carried lines are released once the merchant's record is complete.\n"
	"\n"
	"  --period P          the run's period; invoices are issued the day after it\n"
	"  --merchants FILE    merchants.tsv\n"
	"  --entities FILE     entities.tsv (invoice number prefixes)\n"
	"  --state-in DIR      the previous period's state, or 'none' for the first run\n"
	"  --state-out DIR     where to write this run's state (created if needed)\n"
	"  --held FILE         also write every line still held to FILE\n"
	"  --lines FILE        write the lines invoiced in this run (released ones too)\n"
	"  --totals FILE       write per entity and currency: lines in (new and carried),\n"
	"                      invoiced and held out, with counts\n"
	"  --help              show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error, 2 usage error or a state that\n"
	"is not the previous period's.\n"
	"\n"
	"Example:\n"
	"  build-invoices --period 2024-03-2 --merchants config/merchants.tsv \\\n"
	"      --entities config/entities.tsv --state-in out/2024-03-1/state \\\n"
	"      --state-out tmp/state --held held.tsv --lines lines.tsv < by-entity.tsv\n";

/* Options; all required ones present before anything is read. */
static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"period", required_argument, NULL, 'p'},
		{"merchants", required_argument, NULL, 'm'},
		{"entities", required_argument, NULL, 'e'},
		{"state-in", required_argument, NULL, 'i'},
		{"state-out", required_argument, NULL, 'o'},
		{"held", required_argument, NULL, 'H'},
		{"lines", required_argument, NULL, 'l'},
		{"totals", required_argument, NULL, 't'},
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
		case 'm': o->merchants = optarg; break;
		case 'e': o->entities = optarg; break;
		case 'i': o->state_in = optarg; break;
		case 'o': o->state_out = optarg; break;
		case 'H': o->held = optarg; break;
		case 'l': o->lines = optarg; break;
		case 't': o->totals = optarg; break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	if (o->period < 0)
		msg_usage("--period is required");
	if (!o->merchants || !o->entities)
		msg_usage("--merchants and --entities are required");
	if (!o->state_in || !o->state_out)
		msg_usage("--state-in (a directory or 'none') and --state-out are required");
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
	estate_check_dirs(o->state_in, o->state_out);
}

/* Release everything (keeps leak checkers quiet). */
static void
_free(struct ctx *c)
{
	size_t i;

	free(c->inv);
	for (i = 0; i < c->ms.n; i++)
		free(c->slots[i]);
	free(c->slots);
	for (i = 0; i < strset_count(&c->held_ids); i++)
		free(c->held[i].merchant);
	free(c->held);
	free(c->sum_of);
	free(c->sums);
	strset_free(&c->held_ids);
	merchants_free(&c->ms);
	entities_free(&c->ent);
}

/* Carried held lines first, then this period's lines. */
static void
process(const struct options *opt)
{
	struct ctx c;
	counters cs;
	int has_state, k;
	char *held_path = xjoin(opt->state_out, "held.tsv"), *path;

	memset(&c, 0, sizeof c);
	c.opt = opt;
	period_format(opt->period, c.period);
	has_state = estate_open(opt->state_in, opt->period);
	econfig_merchants(&c.ms, opt->merchants);
	econfig_entities(&c.ent, opt->entities);
	c.slots = xcalloc(c.ms.n ? c.ms.n : 1, sizeof *c.slots);
	memset(&cs, 0, sizeof cs);
	if (has_state) {
		path = xjoin(opt->state_in, "invoice-counters.tsv");
		ecounters_load(&cs, path, 0);
		free(path);
	}
	estate_begin(opt->state_out);
	eout_open(&c.held_state, held_path);
	eout_puts(&c.held_state, SCHEMA_HELD_HEADER);
	if (opt->held) {
		eout_open(&c.held_file, opt->held);
		eout_puts(&c.held_file, SCHEMA_HELD_HEADER);
		c.has_held_file = 1;
	}
	if (opt->lines) {
		eout_open(&c.lines, opt->lines);
		eout_puts(&c.lines, SCHEMA_LINE_HEADER);
		c.has_lines = 1;
	}
	if (has_state) {
		path = xjoin(opt->state_in, "held.tsv");
		read_lines(&c, path, 1);
		free(path);
	}
	for (k = 0; k < (opt->ninputs ? opt->ninputs : 1); k++)
		read_lines(&c, opt->ninputs ? opt->inputs[k] : "-", 0);
	issue_invoices(&c, &cs);
	path = xjoin(opt->state_out, "invoice-counters.tsv");
	ecounters_save(&cs, path);
	free(path);
	eout_close(&c.held_state, held_path);
	if (c.has_held_file)
		eout_close(&c.held_file, opt->held);
	if (c.has_lines)
		eout_close(&c.lines, opt->lines);
	if (opt->totals) {
		static const char *const cols[] = {"new", "carried", "invoiced", "held"};

		book_totals(&c);
		etotals_write(&c.money, opt->totals, cols, 4);
	}
	totals_free(&c.money);
	estate_stamp(opt->state_out, opt->period);
	issue_report_held(&c);
	counters_free(&cs);
	_free(&c);
	free(held_path);
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
