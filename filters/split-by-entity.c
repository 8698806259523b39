/* split-by-entity: give every invoice line its invoicing entity.
 *
 * Reads apply-take-rate's priced lines and adds the `entity` column by the
 * first entities.tsv rule that matches the line's type or its event's
 * destination country.  When a line of an event matches no rule, the whole
 * event is rejected `no_entity` (its input row is what gets rejected), so
 * an event is never half invoiced.  With -o DIR each entity's lines are
 * also written to DIR/ENTITY.tsv.  Holds one event's lines at a time. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "ident.h"
#include "input.h"
#include "msg.h"
#include "out.h"
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
	"                       [PRICED...]\n"
	"\n"
	"Add the invoicing entity to apply-take-rate's lines (PRICED or stdin) and\n"
	"write them on stdout.  The first rule of entities.tsv that matches wins:\n"
	"type:T by the line's type, country:C by the event's destination, * always.\n"
	"An event with a line that no rule matches is rejected 'no_entity'.\n"
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

enum {
	C_PERIOD,
	C_KIND,
	C_EVENT,
	C_ORDER,
	C_MERCHANT,
	C_CURRENCY,
	C_COUNTRY,
	C_AT,
	C_LATE,
	C_TYPE,
	C_AMOUNT,
	C_SOURCE,
	C_LINE,
	C_RAW,
	C_N
};
static const char *const cols[C_N] = {
	"period", "kind", "event_id", "order_id", "merchant_id", "currency", "dest_country",
	"at",	  "late", "type",     "amount",	  "source",	 "line",     "raw",
};

/* The current event's lines: each as its output row without the leading
 * period and entity, plus its entity. */
static struct {
	text_buf rows; /* output rows from merchant_id on, back to back */
	size_t *end;   /* end offset of each row in rows */
	int *entity;
	size_t n, cap, capent;
	int bad; /* a line matched no rule */
	text_buf source, line, raw, period;
} ev;

struct ctx {
	entities ent;
	out *lines, *rej;
	out *per; /* one stream per entity with -o, else NULL */
	char **perpath;
	tally counts; /* per source: events, accepted, rejected */
};

/* Remember a value of the event's first line. */
static void
_keep(text_buf *b, const char *s, size_t n)
{
	b->len = 0;
	if (text_append(b, s, n) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
}

/* Write out (or reject) the held event and forget it. */
static void
_flush(struct ctx *c)
{
	size_t i, from = 0;

	if (ev.n == 0)
		return;
	if (tally_add(&c->counts, ev.source.p, ev.source.len, 0, 1) < 0 ||
	    tally_add(&c->counts, ev.source.p, ev.source.len, ev.bad ? 2 : 1, 1) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	if (ev.bad) {
		long line = atol(ev.line.p);

		if (c->rej && reject_write(c->rej, ev.source.p, line, REJECT_NO_ENTITY, ev.raw.p,
					   ev.raw.len) < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		if (!c->rej)
			msg_warn(ev.source.p, line, "rejected (no_entity): %s", ev.raw.p);
	} else {
		for (i = 0; i < ev.n; i++) {
			const char *name = c->ent.name[ev.entity[i]];
			size_t nn = strlen(name), len = ev.end[i] - from;
			char *o = eout_room(c->lines, ev.period.len + nn + len + 2), *start = o;

			memcpy(o, ev.period.p, ev.period.len);
			o += ev.period.len;
			*o++ = '\t';
			memcpy(o, name, nn);
			o += nn;
			*o++ = '\t';
			memcpy(o, ev.rows.p + from, len);
			o += len;
			if (c->per)
				eout_write(&c->per[ev.entity[i]], start, (size_t)(o - start));
			out_commit(c->lines, (size_t)(o - start));
			from = ev.end[i];
		}
	}
	ev.n = 0;
	ev.bad = 0;
	ev.rows.len = 0;
}

/* Hold one line of the current event. */
static void
_hold(struct ctx *c, const tsv_reader *r, const int *x)
{
	int type = schema_type_of(r->field[x[C_TYPE]], r->flen[x[C_TYPE]]);
	int entity;

	if (type < 0)
		einput_bad(r, x[C_TYPE], "not a line type:");
	entity = entities_match(&c->ent, type, r->field[x[C_COUNTRY]]);
	ev.end = xgrow(ev.end, &ev.cap, ev.n + 1, sizeof *ev.end);
	ev.entity = xgrow(ev.entity, &ev.capent, ev.n + 1, sizeof *ev.entity);
	if (entity < 0)
		ev.bad = 1;
	/* merchant_id currency type amount event_id order_id at late kind
	 * source line: at most the input row's length plus separators. */
	{
		static const int order[] = {C_MERCHANT, C_CURRENCY, C_TYPE, C_AMOUNT,
					    C_EVENT,	C_ORDER,    C_AT,   C_LATE,
					    C_KIND,	C_SOURCE,   C_LINE};
		char *o;
		size_t k;

		if (text_reserve(&ev.rows, r->rowlen + 16) < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		o = ev.rows.p + ev.rows.len;
		for (k = 0; k < sizeof order / sizeof order[0]; k++) {
			memcpy(o, r->field[x[order[k]]], r->flen[x[order[k]]]);
			o += r->flen[x[order[k]]];
			*o++ = '\t';
		}
		o[-1] = '\n';
		ev.rows.len = (size_t)(o - ev.rows.p);
	}
	ev.end[ev.n] = ev.rows.len;
	ev.entity[ev.n++] = entity;
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

/* Stream one input's lines, one event at a time. */
static void
_lines(struct ctx *c, const char *path)
{
	tsv_reader r;
	int x[C_N];

	einput_open(&r, path);
	einput_require(&r, cols, x, C_N);
	while (einput_next(&r)) {
		const char *src = r.field[x[C_SOURCE]], *line = r.field[x[C_LINE]];

		/* A new event begins where source or line changes. */
		if (ev.n > 0 && (strcmp(src, ev.source.p) != 0 || strcmp(line, ev.line.p) != 0))
			_flush(c);
		if (ev.n == 0) {
			_keep(&ev.source, src, r.flen[x[C_SOURCE]]);
			_keep(&ev.line, line, r.flen[x[C_LINE]]);
			_keep(&ev.raw, r.field[x[C_RAW]], r.flen[x[C_RAW]]);
			einput_period(&r, x[C_PERIOD]);
			_keep(&ev.period, r.field[x[C_PERIOD]], r.flen[x[C_PERIOD]]);
		}
		_hold(c, &r, x);
	}
	_flush(c);
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
	eout_puts(c.lines, SCHEMA_LINE_HEADER);
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
	text_free(&ev.rows);
	text_free(&ev.source);
	text_free(&ev.line);
	text_free(&ev.raw);
	text_free(&ev.period);
	free(ev.end);
	free(ev.entity);
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
