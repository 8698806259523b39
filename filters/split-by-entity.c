/* split-by-entity: give every invoice line its invoicing entity.
 *
 * Reads apply-take-rate's priced events and writes each with its lines'
 * entities, by the first entities.tsv rule that matches the line's type
 * or the event's destination country (rules/entity).  When a line of an
 * event matches no rule, the whole event is rejected `no_entity` (its
 * input row is what gets rejected), so an event is never half invoiced.
 * With -o DIR each entity's lines are also written to DIR/ENTITY.tsv.
 * Holds one event at a time. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "fmt.h"
#include "ident.h"
#include "input.h"
#include "msg.h"
#include "out.h"
#include "period.h"
#include "reject.h"
#include "schema.h"
#include "tally.h"
#include "text.h"

struct options {
	const char *entities;
	const char *dir;
	const char *rejects;
	const char *counts;
	char **inputs; /* none: stdin */
	int ninputs;
};

static const char usage[] =
	"Usage: split-by-entity --entities entities.tsv [-o DIR] [--rejects FILE]\n"
	"                       [--counts FILE] [PRICED...]\n"
	"\n"
	"Give each line of apply-take-rate's priced events (PRICED or stdin) its\n"
	"invoicing entity and write the events on stdout.  The first rule of\n"
	"entities.tsv that matches wins: type:T by the line's type, country:C by the\n"
	"event's destination, * always.  An event with a line that no rule matches\n"
	"is rejected 'no_entity'.\n"
	"\n"
	"  --entities FILE  entities.tsv: rule, entity, prefix\n"
	"  -o DIR           also write each entity's lines to DIR/ENTITY.tsv\n"
	"  --rejects FILE   write rejected rows there (default: report on stderr)\n"
	"  --counts FILE    write per source: events, accepted, rejected\n"
	"  --help           show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error, 2 usage error.\n"
	"\n"
	"Example:\n"
	"  apply-take-rate --rates take-rates.tsv --period 2024-03-1 < events.tsv |\n"
	"      split-by-entity --entities entities.tsv -o by-entity > lines.tsv\n";

/* Options first. */
static void
parse_args(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{"entities", required_argument, NULL, 'e'},
		{"rejects", required_argument, NULL, 'r'},
		{"counts", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(opt, 0, sizeof *opt);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': opt->entities = optarg; break;
		case 'o': opt->dir = optarg; break;
		case 'r': opt->rejects = optarg; break;
		case 'n': opt->counts = optarg; break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	if (!opt->entities)
		msg_usage("--entities is required");
	opt->inputs = argv + optind;
	opt->ninputs = argc - optind;
}

/* The priced events' columns: [period .. line] is the run the assigned
 * rows copy, then the country and the line slots. */
enum {
	C_PERIOD,
	C_MERCHANT,
	C_CURRENCY,
	C_EVENT,
	C_ORDER,
	C_AT,
	C_LATE,
	C_KIND,
	C_SOURCE,
	C_LINE,
	C_COUNTRY,
	C_SLOTS,
	C_N = C_SLOTS + 2 * SCHEMA_SLOTS
};
static const char *const cols[C_N] = {
	"period",   "merchant_id", "currency", "event_id",     "order_id", "at",       "late",
	"kind",	    "source",	   "line",     "dest_country", "type_1",   "amount_1", "type_2",
	"amount_2", "type_3",	   "amount_3", "type_4",       "amount_4",
};

struct ctx {
	entities ent;
	out *lines, *rej;
	out *per; /* one stream per entity with -o, else NULL */
	char **perpath;
	tally counts;		    /* per source: events, accepted, rejected */
	int run;		    /* the input has [period .. line] in order */
	char period[PERIOD_ID_LEN]; /* the last period checked, when have_period */
	int have_period;
};

/* Columns first to last, each followed by sep. */
static char *
_copy(char *o, const tsv_reader *r, const int *x, int first, int last, int run, char sep)
{
	int k;

	if (run) {
		const char *from = r->field[x[first]];
		size_t n = (size_t)(r->field[x[last]] + r->flen[x[last]] - from);

		return fmt_field(o, from, n, sep);
	}
	for (k = first; k <= last; k++)
		o = fmt_field(o, r->field[x[k]], r->flen[x[k]], k < last ? '\t' : sep);
	return o;
}

/* Reject the event (no_entity) by its source and line. */
static void
_reject(struct ctx *c, const tsv_reader *r, const int *x)
{
	char *src = xstrndup(r->field[x[C_SOURCE]], r->flen[x[C_SOURCE]]);
	long line = einput_count(r, x[C_LINE]);
	const char *field = r->flen[x[C_COUNTRY]] ? "dest_country" : "type";

	if (!c->rej)
		msg_warn(src, line, "rejected (no_entity)");
	else if (reject_write(c->rej, src, line, REJECT_NO_ENTITY, field, "", 0) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	free(src);
}

/* The lines of an assigned event, one per entity file (-o). */
static void
_per_entity(struct ctx *c, const tsv_reader *r, const int *x, const int *entity)
{
	int k;

	for (k = 0; k < SCHEMA_SLOTS; k++) {
		int t = x[C_SLOTS + 2 * k], a = x[C_SLOTS + 2 * k + 1];
		const char *name;
		size_t nn;
		char *o, *start;
		out *dst;

		if (entity[k] < 0)
			continue;
		name = c->ent.name[entity[k]];
		nn = c->ent.len[entity[k]];
		dst = &c->per[entity[k]];
		o = start = eout_room(dst, r->rowlen + nn + 3);
		o = fmt_field(o, r->field[x[C_PERIOD]], r->flen[x[C_PERIOD]], '\t');
		o = fmt_field(o, name, nn, '\t');
		o = _copy(o, r, x, C_MERCHANT, C_CURRENCY, 0, '\t');
		o = fmt_field(o, r->field[t], r->flen[t], '\t');
		o = fmt_field(o, r->field[a], r->flen[a], '\t');
		o = _copy(o, r, x, C_EVENT, C_LINE, 0, '\t');
		*o++ = '\n'; /* corrects: empty, a line of an event */
		out_commit(dst, (size_t)(o - start));
	}
}

/* One event: every line its entity, or the whole event rejected. */
static void
_event(struct ctx *c, const tsv_reader *r, const int *x)
{
	int entity[SCHEMA_SLOTS], k, bad = 0;
	const char *country = r->field[x[C_COUNTRY]];
	size_t nc = r->flen[x[C_COUNTRY]], room = r->rowlen + 2;
	char *o, *start;

	for (k = 0; k < SCHEMA_SLOTS; k++) {
		int t = x[C_SLOTS + 2 * k], type;

		entity[k] = -1;
		if (r->flen[t] == 0)
			continue;
		if ((type = schema_type_of(r->field[t], r->flen[t])) < 0)
			einput_bad(r, t, "not a line type:");
		if ((entity[k] = entities_match_n(&c->ent, type, country, nc)) < 0)
			bad = 1;
		else
			room += c->ent.len[entity[k]];
	}
	if (tally_add(&c->counts, r->field[x[C_SOURCE]], r->flen[x[C_SOURCE]], 0, 1) < 0 ||
	    tally_add(&c->counts, r->field[x[C_SOURCE]], r->flen[x[C_SOURCE]], bad ? 2 : 1, 1) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	if (bad) {
		_reject(c, r, x);
		return;
	}
	/* Every event of a run has the same period: checked once. */
	if (!c->have_period || r->flen[x[C_PERIOD]] != PERIOD_ID_LEN ||
	    memcmp(r->field[x[C_PERIOD]], c->period, PERIOD_ID_LEN) != 0) {
		einput_period(r, x[C_PERIOD]);
		memcpy(c->period, r->field[x[C_PERIOD]], PERIOD_ID_LEN);
		c->have_period = 1;
	}
	o = start = eout_room(c->lines, room + SCHEMA_SLOTS * 3);
	o = _copy(o, r, x, C_PERIOD, C_LINE, c->run, '\t');
	for (k = 0; k < SCHEMA_SLOTS; k++) {
		int t = x[C_SLOTS + 2 * k], a = x[C_SLOTS + 2 * k + 1];
		char sep = k + 1 < SCHEMA_SLOTS ? '\t' : '\n';

		if (entity[k] >= 0)
			o = fmt_field(o, c->ent.name[entity[k]], c->ent.len[entity[k]], '\t');
		else
			*o++ = '\t';
		o = fmt_field(o, r->field[t], r->flen[t], '\t');
		o = fmt_field(o, r->field[a], r->flen[a], sep);
	}
	out_commit(c->lines, (size_t)(o - start));
	if (c->per)
		_per_entity(c, r, x, entity);
}

/* Open DIR/ENTITY.tsv for every entity, each with the header. */
static void
_open_dir(struct ctx *c, const char *dir)
{
	size_t i;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		msg_fatal(EXIT_DATA, dir, 0, "cannot create directory:");
	c->per = xcalloc(c->ent.n, sizeof *c->per);
	c->perpath = xcalloc(c->ent.n, sizeof *c->perpath);
	for (i = 0; i < c->ent.n; i++) {
		size_t n = strlen(c->ent.name[i]);
		char name[IDENT_MAX + 5];

		memcpy(name, c->ent.name[i], n);
		memcpy(name + n, ".tsv", 5);
		c->perpath[i] = xjoin(dir, name);
		eout_open(&c->per[i], c->perpath[i]);
		eout_puts(&c->per[i], SCHEMA_LINE_HEADER);
	}
}

/* Stream one input's events. */
static void
_lines(struct ctx *c, const char *path)
{
	tsv_reader r;
	int x[C_N], k;

	einput_open(&r, path);
	einput_require(&r, cols, x, C_N);
	/* Rows stay intact (fields are read by length), so that a run of
	 * columns can be copied with its tabs. */
	r.keep_raw = 1;
	c->run = 1;
	for (k = C_PERIOD + 1; k <= C_LINE; k++)
		c->run &= x[k] == x[k - 1] + 1;
	while (einput_next(&r))
		_event(c, &r, x);
	tsv_close(&r);
}

/* Every input in order. */
static void
process(const struct options *opt)
{
	static out lines, rejects;
	struct ctx c;
	size_t i;
	int k;

	memset(&c, 0, sizeof c);
	econfig_entities(&c.ent, opt->entities);
	out_init(&lines, 1);
	c.lines = &lines;
	if (opt->rejects) {
		eout_open(&rejects, opt->rejects);
		c.rej = &rejects;
		eout_puts(c.rej, SCHEMA_REJECT_HEADER);
	}
	if (opt->dir)
		_open_dir(&c, opt->dir);
	eout_puts(c.lines, SCHEMA_ASSIGNED_HEADER);
	if (opt->ninputs == 0)
		_lines(&c, "-");
	for (k = 0; k < opt->ninputs; k++)
		_lines(&c, opt->inputs[k]);
	if (c.rej)
		eout_close(c.rej, opt->rejects);
	for (i = 0; c.per && i < c.ent.n; i++) {
		eout_close(&c.per[i], c.perpath[i]);
		free(c.perpath[i]);
	}
	free(c.per);
	free(c.perpath);
	eout_close(c.lines, "<stdout>");
	entities_free(&c.ent);
	if (opt->counts) {
		static const char *const count_cols[] = {"events", "accepted", "rejected"};

		etally_write(&c.counts, opt->counts, "source", count_cols, 3);
	}
	tally_free(&c.counts);
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
