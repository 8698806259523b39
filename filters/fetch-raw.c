/* fetch-raw: fill in the raw record of rejects that a stage after
 * normalize-orders turned away.
 *
 * Those stages name a rejected row by its source file and line only: the
 * raw bytes do not travel down the pipe with every accepted row.  At the
 * end of a run, this reads rejects (source, line, reason, field, raw) and,
 * for each one whose raw is empty, reads the drop file `source` up to the
 * record that starts on `line` and writes that record's bytes, escaped as
 * normalize-orders escapes them.  Rows sorted by source and line (as the
 * pipeline sorts rejects.tsv) cost one pass over each file concerned. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "fmt.h"
#include "input.h"
#include "msg.h"
#include "out.h"
#include "schema.h"
#include "text.h"
#include "tsv.h"

struct options {
	const char *drop;
	char **inputs; /* none: stdin */
	int ninputs;
};

static const char usage[] =
	"Usage: fetch-raw --drop DIR [REJECTS...]\n"
	"\n"
	"Copy rejects (REJECTS or stdin: source, line, reason, field, raw) to stdout,\n"
	"filling in each empty raw with the record of DIR/source that starts on that\n"
	"line, escaped (\\\\, \\t, \\n, \\r, \\xNN).  Rows sorted by source and line\n"
	"read each drop file once.\n"
	"\n"
	"  --drop DIR   the drop the rejects came from\n"
	"  --help       show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error (a record that is not in the\n"
	"drop), 2 usage error.\n"
	"\n"
	"Example:\n"
	"  sort -t \"$(printf '\\t')\" -k1,1 -k2,2n rejects-*.tsv | fetch-raw --drop "
	"in/2024-03-1\n";

/* Options. */
static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"drop", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof *o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->drop = optarg; break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	if (!o->drop)
		msg_usage("--drop is required");
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
}

/* The drop file being read: CSV through csvin, TSV by rows. */
static struct {
	char *name; /* its source name; NULL when none is open */
	char *path;
	int csv;
	csvin c;
	tsv_reader t;
	long line; /* the line of the last record read */
	text_buf esc;
} src;

/* Close the open drop file. */
static void
_close(void)
{
	if (!src.name)
		return;
	if (src.csv)
		csvin_close(&src.c);
	else
		tsv_close(&src.t);
	free(src.name);
	free(src.path);
	src.name = NULL;
}

/* Open DIR/source, read from its start. */
static void
_open(const char *dir, const char *source)
{
	const char *dot = strrchr(source, '.');

	_close();
	if (strchr(source, '/') || !dot || (strcmp(dot, ".csv") && strcmp(dot, ".tsv")))
		msg_fatal(EXIT_DATA, source, 0, "not a drop file name");
	src.name = xstrdup(source);
	src.path = xjoin(dir, source);
	src.csv = strcmp(dot, ".csv") == 0;
	src.line = 0;
	if (src.csv ? csvin_open(&src.c, src.path) < 0 : tsv_open(&src.t, src.path) < 0)
		msg_fatal(EXIT_DATA, src.path, 0, "cannot open:");
	if (!src.csv)
		src.t.keep_raw = 1;
}

/* The escaped raw bytes of the record starting on `line` of the open file. */
static const text_buf *
_raw(const char *dir, const char *source, long line)
{
	if (!src.name || strcmp(src.name, source) != 0 || line <= src.line)
		_open(dir, source);
	for (;;) {
		const char *raw;
		size_t n;
		long at;

		if (src.csv) {
			csvin_record rec;
			int rc = csvin_next(&src.c, &rec);

			if (rc != CSVIN_RECORD)
				break;
			raw = rec.raw, n = rec.rawlen, at = rec.line;
		} else {
			if (tsv_read(&src.t) != TSV_ROW)
				break;
			raw = src.t.row, n = src.t.rowlen, at = src.t.line;
		}
		src.line = at;
		if (at == line) {
			src.esc.len = 0;
			if (text_escape(&src.esc, raw, n) < 0)
				msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
			return &src.esc;
		}
		if (at > line)
			break;
	}
	msg_fatal(EXIT_DATA, src.path, line,
		  "no record starts on this line: has the drop changed since the run?");
}

enum { R_SOURCE, R_LINE, R_REASON, R_FIELD, R_RAW, R_N };
static const char *const cols[R_N] = {"source", "line", "reason", "field", "raw"};

/* Copy one rejects file, filling in what is missing. */
static void
_copy(out *o, const char *dir, const char *path)
{
	tsv_reader r;
	int x[R_N], k;

	einput_open(&r, path);
	einput_require(&r, cols, x, R_N);
	while (einput_next(&r)) {
		const char *raw = r.field[x[R_RAW]];
		size_t n = r.flen[x[R_RAW]], room = 0;
		char *p, *start;

		if (n == 0) {
			const text_buf *b =
				_raw(dir, r.field[x[R_SOURCE]], einput_count(&r, x[R_LINE]));

			raw = b->p, n = b->len;
		}
		for (k = 0; k < R_RAW; k++)
			room += r.flen[x[k]] + 1;
		p = start = eout_room(o, room + n + 1);
		for (k = 0; k < R_RAW; k++)
			p = fmt_field(p, r.field[x[k]], r.flen[x[k]], '\t');
		p = fmt_field(p, raw, n, '\n');
		out_commit(o, (size_t)(p - start));
	}
	tsv_close(&r);
}

int
main(int argc, char **argv)
{
	struct options opt;
	out o;
	int k;

	msg_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	out_init(&o, 1);
	eout_puts(&o, SCHEMA_REJECT_HEADER);
	if (opt.ninputs == 0)
		_copy(&o, opt.drop, "-");
	for (k = 0; k < opt.ninputs; k++)
		_copy(&o, opt.drop, opt.inputs[k]);
	eout_close(&o, "<stdout>");
	_close();
	text_free(&src.esc);
	return EXIT_OK;
}
