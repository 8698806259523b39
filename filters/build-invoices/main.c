/* build-invoices: aggregate a period's lines into numbered invoices.
 *
 * One invoice per (entity, merchant_id, currency, type), issued the day
 * after the period.  Numbers PREFIX-YYYY-NNNNNN are gapless per entity and
 * year of issue, continue from the previous state's counters, and are given
 * in (merchant_id, currency, type) byte order, so the same inputs and state
 * always give the same numbers.  Lines of a merchant that is unknown or
 * whose record is incomplete are held: carried in the state and invoiced in
 * the first run whose merchants.tsv completes the record.  Adjustments of
 * issued invoices (SPEC 12), checked against the state's register of
 * every document issued, become credit notes: one per corrected invoice,
 * numbered CN-PREFIX-YYYY-NNNNNN in a series of their own.  The run's
 * invoices and credit notes go to the register as a new segment.  Memory
 * holds the invoices, credit notes and held merchants, not the lines, and
 * not the register (looked up on disk).
 *
 * The files: read.c (lines and assigned events, in batches), adjust.c
 * (the adjustments against the register), book.c (the invoices, the
 * credit notes, the held lines, the totals), issue.c (numbers, the
 * invoices' rows, the register's segment, the held report). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "linesum.h"
#include "msg.h"
#include "period.h"
#include "rules/docno.h"

static const char usage[] =
	"Usage: build-invoices --period P --merchants merchants.tsv --entities entities.tsv\n"
	"                      --state-in DIR|none --state-out DIR [--held FILE]\n"
	"                      [--lines FILE] [--totals FILE] [--adjustments FILE]\n"
	"                      [--rejects FILE] [--counts FILE] [--reasons FILE]\n"
	"                      [--corrected FILE] [--register-read FILE]\n"
	"                      [--lines-index FILE] [--uncached] [--lines-totals FILE]\n"
	"                      [LINES...]\n"
	"\n"
	"Aggregate split-by-entity's assigned events, or lines (LINES or stdin; the\n"
	"format is told by the header), into one invoice per entity, merchant,\n"
	"currency and type, numbered PREFIX-YYYY-NNNNNN, on stdout.\n"
	"Lines of unknown or incomplete merchants are held and carried in the state;\n"
	"carried lines are released once the merchant's record is complete.\n"
	"Adjustments of issued invoices make credit notes (CN-PREFIX-YYYY-NNNNNN),\n"
	"one per corrected invoice, checked against the state's register.\n"
	"\n"
	"  --period P          the run's period; invoices are issued the day after it\n"
	"  --merchants FILE    merchants.tsv\n"
	"  --entities FILE     entities.tsv (invoice number prefixes)\n"
	"  --state-in DIR      the previous period's state, or 'none' for the first run\n"
	"  --state-out DIR     where to write this run's state (created if needed)\n"
	"  --held FILE         also write every line still held to FILE\n"
	"  --lines FILE        write the lines invoiced in this run (released ones too)\n"
	"  --lines-index FILE  with --lines, write an index of them by merchant, for\n"
	"                      rendering one merchant's documents (docs/pipeline.md)\n"
	"  --uncached          with --lines, keep a regular FILE out of the page cache\n"
	"                      as it is written (for a run that does not read it back)\n"
	"  --lines-totals FILE with --lines, write the sums of the lines per entity and\n"
	"                      currency, read back from what is written to its FILE by\n"
	"                      a thread of its own (as reconcile --sum-lines does)\n"
	"  --totals FILE       write per entity and currency: lines in (new and carried),\n"
	"                      invoiced and held out, with counts\n"
	"  --adjustments FILE  normalize-orders' accepted adjustments, read after LINES\n"
	"  --rejects FILE      write rejected adjustments (unknown_invoice,\n"
	"                      currency_mismatch); default: report on stderr\n"
	"  --counts FILE       write per source: adjustments, accepted, rejected\n"
	"  --reasons FILE      write each credit-note line's reason, for the workbooks\n"
	"  --corrected FILE    write the register rows of the invoices corrected\n"
	"  --register-read FILE  write the register segments looked up in\n"
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
		{"adjustments", required_argument, NULL, 'a'},
		{"rejects", required_argument, NULL, 'r'},
		{"counts", required_argument, NULL, 'n'},
		{"reasons", required_argument, NULL, 'R'},
		{"corrected", required_argument, NULL, 'C'},
		{"register-read", required_argument, NULL, 'g'},
		{"lines-index", required_argument, NULL, 'x'},
		{"uncached", no_argument, NULL, 'u'},
		{"lines-totals", required_argument, NULL, 'T'},
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
		case 'a': o->adjustments = optarg; break;
		case 'r': o->rejects = optarg; break;
		case 'n': o->counts = optarg; break;
		case 'R': o->reasons = optarg; break;
		case 'C': o->corrected = optarg; break;
		case 'g': o->register_read = optarg; break;
		case 'x': o->lines_index = optarg; break;
		case 'u': o->uncached = 1; break;
		case 'T': o->lines_totals = optarg; break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	if (o->period < 0)
		msg_usage("--period is required");
	if (o->lines_index && !o->lines)
		msg_usage("--lines-index indexes the lines of --lines: give both");
	if (o->uncached && !o->lines)
		msg_usage("--uncached is for the file of --lines: give both");
	if (o->lines_totals && !o->lines)
		msg_usage("--lines-totals sums the lines of --lines: give both");
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
	free(c->slots);
	free(c->slot_mem);
	for (i = 0; i < strset_count(&c->held_ids); i++)
		free(c->held[i].merchant);
	free(c->held);
	free(c->sum_of);
	free(c->sums);
	free(c->tg);
	free(c->cn);
	strset_free(&c->targets);
	tally_free(&c->counts);
	docreg_close(&c->reg);
	strset_free(&c->held_ids);
	merchants_free(&c->ms);
	entities_free(&c->ent);
}

/* The register of the state read, carried into the new state. */
static void
_register(struct ctx *c, const struct options *opt, int has_state)
{
	char *in = has_state ? xjoin(opt->state_in, "register") : xstrdup("/nonexistent"),
	     *out = xjoin(opt->state_out, "register");
	int rc = docreg_open(&c->reg, in);

	if (rc == DOCREG_OK)
		rc = docreg_carry(&c->reg, out);
	if (rc != DOCREG_OK)
		register_fail(c, rc);
	free(in);
	free(out);
}

/* The counters against the register: each series of an entity (by its
 * prefix in entities.tsv) must count at least the highest number the
 * register holds, else a number would be issued twice (what a manifest
 * cannot tell: a state whose manifest was made again). */
static void
_check_counters(const struct ctx *c, const counters *cs, const counters *ccs, const char *dir)
{
	size_t i, k, pn;

	for (i = 0; i < c->reg.n; i++) {
		const docreg_range *r = &c->reg.r[i];
		const char *prefix = strset_key(&c->reg.prefixes, r->prefix, &pn);
		const counters *which = r->kind == DOC_CREDIT_NOTE ? ccs : cs;

		for (k = 0; k < c->ent.n; k++)
			if (strlen(c->ent.prefix[k]) == pn &&
			    memcmp(c->ent.prefix[k], prefix, pn) == 0)
				break;
		if (k == c->ent.n || counters_last(which, c->ent.name[k], r->year) >= r->last)
			continue;
		msg_fatal(EXIT_USAGE,
			  xjoin(dir, r->kind == DOC_CREDIT_NOTE ? "credit-note-counters.tsv"
								: "invoice-counters.tsv"),
			  0,
			  "%s %d: the counter says %ld numbers were used, the register holds "
			  "number %ld: the state was changed; restore it, or run the periods again "
			  "from the last good one",
			  c->ent.name[k], r->year, counters_last(which, c->ent.name[k], r->year),
			  r->last);
	}
}

/* The segments of the register looked up in, for the run to check their
 * SHA-256 against the state's manifest. */
static void
_register_read(const struct ctx *c, const char *path)
{
	size_t i, n;
	out o;

	eout_open(&o, path);
	eout_puts(&o, "segment\n");
	for (i = 0; i < strset_count(&c->reg.segments); i++) {
		const char *name = strset_key(&c->reg.segments, (long)i, &n);

		if (!c->reg.read[i])
			continue;
		eout_write(&o, name, n);
		eout_puts(&o, "\n");
	}
	eout_close(&o, path);
}

/* A counters file of the state read; the credit-note counters are
 * optional (a state written before credit notes). */
static void
_counters(counters *cs, const char *dir, const char *name, int optional)
{
	char *path = xjoin(dir, name);

	ecounters_load(cs, path, optional);
	free(path);
}

/* The lines' index closed with the merchant ids by number: a merchant's
 * number is its row in merchants.tsv. */
static void
_close_index(struct ctx *c)
{
	const char **ids = xmalloc((c->ms.n + 1) * sizeof *ids);
	size_t i;

	for (i = 0; i < c->ms.n; i++)
		ids[i] = c->ms.m[i].id;
	if (lineidx_finish(&c->lines_index, ids, c->ms.n) < 0)
		msg_fatal(EXIT_DATA, c->opt->lines_index, 0, "cannot write:");
	free(ids);
}

/* Carried held lines first, then this period's lines, then the
 * adjustments. */
static void
process(const struct options *opt)
{
	struct ctx c;
	linesum sum; /* --lines-totals */
	counters cs, ccs;
	int has_state, k;
	size_t slot_bytes;
	char *held_path = xjoin(opt->state_out, "held.tsv"), *path;

	memset(&c, 0, sizeof c);
	c.opt = opt;
	period_format(opt->period, c.period);
	has_state = estate_open(opt->state_in, opt->period);
	econfig_merchants(&c.ms, opt->merchants);
	econfig_entities(&c.ent, opt->entities);
	c.slots = xcalloc(c.ms.n ? c.ms.n : 1, sizeof *c.slots);
	/* One block for all slot tables, in merchant order (-1: no invoice).
	 * Not on huge pages: asked for them, the block once cost a second of
	 * kernel compaction in a run whose page cache was full, for a gain of
	 * a few percent otherwise. */
	slot_bytes = (c.ms.n ? c.ms.n : 1) * c.ent.n * TYPE_NTYPES * sizeof *c.slot_mem;
	c.slot_mem = xmalloc(slot_bytes);
	memset(c.slot_mem, 0xff, slot_bytes);
	memset(&cs, 0, sizeof cs);
	memset(&ccs, 0, sizeof ccs);
	if (has_state) {
		_counters(&cs, opt->state_in, "invoice-counters.tsv", 0);
		_counters(&ccs, opt->state_in, "credit-note-counters.tsv", 1);
	}
	estate_begin(opt->state_out);
	_register(&c, opt, has_state);
	if (has_state)
		_check_counters(&c, &cs, &ccs, opt->state_in);
	eout_open(&c.held_state, held_path);
	eout_puts(&c.held_state, SCHEMA_HELD_HEADER);
	if (opt->held) {
		eout_open(&c.held_file, opt->held);
		eout_puts(&c.held_file, SCHEMA_HELD_HEADER);
		c.has_held_file = 1;
	}
	if (opt->lines && opt->lines_totals) {
		out_init(&c.lines, -1);
		elinesum_start(&sum, &c.lines, opt->lines, opt->uncached);
	} else if (opt->lines) {
		eout_open(&c.lines, opt->lines);
		if (opt->uncached)
			out_nocache(&c.lines); /* a FIFO or a device: written as it is */
	}
	if (opt->lines) {
		eout_puts(&c.lines, SCHEMA_LINE_HEADER);
		c.has_lines = 1;
	}
	if (opt->lines_index) {
		if (lineidx_create(&c.lines_index, opt->lines_index, strlen(SCHEMA_LINE_HEADER)) <
		    0)
			msg_fatal(EXIT_DATA, opt->lines_index, 0, "cannot open:");
		c.has_lines_index = 1;
	}
	if (opt->reasons) {
		eout_open(&c.reasons, opt->reasons);
		eout_puts(&c.reasons, SCHEMA_REASON_HEADER);
		c.has_reasons = 1;
	}
	if (opt->rejects) {
		eout_open(&c.rejects, opt->rejects);
		eout_puts(&c.rejects, SCHEMA_REJECT_HEADER);
		c.has_rejects = 1;
	}
	if (has_state) {
		path = xjoin(opt->state_in, "held.tsv");
		read_lines(&c, path, 1);
		free(path);
	}
	for (k = 0; k < (opt->ninputs ? opt->ninputs : 1); k++)
		read_lines(&c, opt->ninputs ? opt->inputs[k] : "-", 0);
	if (opt->adjustments)
		adjust_read(&c, opt->adjustments);
	issue_invoices(&c, &cs, &ccs);
	path = xjoin(opt->state_out, "invoice-counters.tsv");
	ecounters_save(&cs, path);
	free(path);
	path = xjoin(opt->state_out, "credit-note-counters.tsv");
	ecounters_save(&ccs, path);
	free(path);
	eout_close(&c.held_state, held_path);
	if (c.has_held_file)
		eout_close(&c.held_file, opt->held);
	if (c.has_lines)
		eout_close(&c.lines, opt->lines);
	if (c.has_lines_index)
		_close_index(&c);
	if (c.has_reasons)
		eout_close(&c.reasons, opt->reasons);
	if (c.has_rejects)
		eout_close(&c.rejects, opt->rejects);
	if (opt->counts) {
		static const char *const cols[] = {"adjustments", "accepted", "rejected"};

		etally_write(&c.counts, opt->counts, "source", cols, 3);
	}
	if (opt->register_read)
		_register_read(&c, opt->register_read);
	if (opt->totals) {
		static const char *const cols[] = {"new", "carried", "invoiced", "held"};

		book_totals(&c);
		etotals_write(&c.money, opt->totals, cols, 4);
	}
	totals_free(&c.money);
	estate_stamp(opt->state_out, opt->period);
	issue_report_held(&c);
	counters_free(&cs);
	counters_free(&ccs);
	_free(&c);
	free(held_path);
	if (opt->lines_totals)
		elinesum_finish(&sum, opt->lines_totals);
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
