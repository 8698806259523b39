/* pick-lines: one merchant's rows of a period's lines file, read with the
 * index build-invoices wrote beside it (--lines-index, lib/lineidx.h).
 *
 * A period's lines.tsv is in event order: a merchant's lines are spread
 * over all of it, and finding them by reading it costs a pass over the
 * whole file (gigabytes at tens of millions of orders).  The index gives
 * every row's merchant and length; this reads the index once and then
 * only the merchant's rows, where they lie, runs of neighbouring rows in
 * one read.  Each row read is checked against the index: it ends where
 * the index says and its merchant_id is the merchant's. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lineidx.h"
#include "msg.h"
#include "out.h"

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

/* The run: the rows of a range of neighbours are read together. */
enum { RANGE_MAX = 1 << 20 };

static struct {
	const struct options *opt;
	int fd;
	int col; /* merchant_id's column */
	out o;
	char *buf; /* RANGE_MAX + one row beyond */
	size_t cap;
	uint64_t start, end; /* the range not read yet */
	uint64_t first_row;  /* its first row's number */
	uint32_t *len;	     /* its rows' lengths */
	size_t n, caplen;
} pk;

/* Read n bytes at off into buf (the file being cut short is an error). */
static void
_read_at(char *buf, size_t n, uint64_t off)
{
	while (n) {
		ssize_t k = pread(pk.fd, buf, n, (off_t)off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			msg_fatal(EXIT_DATA, pk.opt->lines, 0,
				  k ? "cannot read:" : "shorter than its index says");
		buf += k, n -= (size_t)k, off += (uint64_t)k;
	}
}

/* Field `col` of a row (tabs counted), its length in *n; NULL when the row
 * has fewer fields. */
static const char *
_field(const char *row, size_t len, int col, size_t *n)
{
	const char *p = row, *end = row + len, *t;

	for (; col > 0; col--) {
		t = memchr(p, '\t', (size_t)(end - p));
		if (!t)
			return NULL;
		p = t + 1;
	}
	t = memchr(p, '\t', (size_t)(end - p));
	*n = (size_t)((t ? t : end) - p);
	return p;
}

/* Read the pending range, check each of its rows, write them out. */
static void
_flush(void)
{
	size_t i, at = 0, idn = strlen(pk.opt->merchant);

	if (!pk.n)
		return;
	_read_at(pk.buf, (size_t)(pk.end - pk.start), pk.start);
	for (i = 0; i < pk.n; i++) {
		const char *row = pk.buf + at, *f;
		size_t len = pk.len[i], fn;
		long line = (long)(pk.first_row + i) + 2;

		if (row[len - 1] != '\n')
			msg_fatal(EXIT_DATA, pk.opt->lines, line,
				  "the row does not end where the index %s says: the index is not "
				  "this file's",
				  pk.opt->index);
		f = _field(row, len - 1, pk.col, &fn);
		if (!f || fn != idn || memcmp(f, pk.opt->merchant, idn) != 0)
			msg_fatal(EXIT_DATA, pk.opt->lines, line,
				  "not a row of merchant %s, as the index %s says: the index is "
				  "not this file's",
				  pk.opt->merchant, pk.opt->index);
		at += len;
	}
	eout_write(&pk.o, pk.buf, at);
	pk.n = 0;
}

/* A row of the merchant: added to the range, or a new range begun. */
static int
_row(void *arg, uint64_t row, uint64_t off, uint32_t len)
{
	(void)arg;
	if (pk.n && (off != pk.end || pk.end - pk.start + len > RANGE_MAX))
		_flush();
	if (len > pk.cap) {
		free(pk.buf);
		pk.cap = len > RANGE_MAX ? len : RANGE_MAX;
		pk.buf = xmalloc(pk.cap);
	}
	if (!pk.n)
		pk.start = pk.end = off, pk.first_row = row;
	pk.len = xgrow(pk.len, &pk.caplen, pk.n + 1, sizeof *pk.len);
	pk.len[pk.n++] = len;
	pk.end += len;
	return 0;
}

/* The header of the lines file: written out, merchant_id's column found. */
static void
_header(const lineidx *x)
{
	size_t n = (size_t)x->m.first;
	char *h, *p, *t;
	int col = 0;

	if (n == 0)
		msg_fatal(EXIT_DATA, pk.opt->index, 0, "not an index of a lines file (no header)");
	h = xmalloc(n);
	_read_at(h, n, 0);
	if (h[n - 1] != '\n')
		msg_fatal(EXIT_DATA, pk.opt->lines, 1,
			  "the header does not end where the index %s says: the index is not "
			  "this file's",
			  pk.opt->index);
	eout_write(&pk.o, h, n);
	h[n - 1] = '\0';
	p = n >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0 ? h + 3 : h;
	for (pk.col = -1; p && pk.col < 0; p = t ? t + 1 : NULL, col++) {
		t = strchr(p, '\t');
		if (t)
			*t = '\0';
		if (strcmp(p, "merchant_id") == 0)
			pk.col = col;
	}
	free(h);
	if (pk.col < 0)
		msg_fatal(EXIT_DATA, pk.opt->lines, 1, "no column merchant_id: not a lines file");
}

/* A lineidx_ result: on with LINEIDX_OK, else the message of its kind
 * (`format`: the index's own is wrong). */
static void
_check(int rc, const char *format)
{
	if (rc == LINEIDX_EIO)
		msg_fatal(EXIT_DATA, pk.opt->index, 0, "cannot read:");
	if (rc == LINEIDX_ENOMEM)
		msg_fatal(EXIT_DATA, pk.opt->index, 0, "out of memory");
	if (rc != LINEIDX_OK)
		msg_fatal(EXIT_DATA, pk.opt->index, 0, "%s", format);
}

int
main(int argc, char **argv)
{
	struct options opt;
	struct stat sb;
	lineidx x;
	long m;

	msg_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	pk.opt = &opt;
	_check(lineidx_open(&x, opt.index),
	       "not an index of lines (lineidx), or cut short: the period's run writes it with "
	       "its lines.tsv");
	pk.fd = open(opt.lines, O_RDONLY | O_CLOEXEC);
	if (pk.fd < 0 || fstat(pk.fd, &sb) < 0)
		msg_fatal(EXIT_DATA, opt.lines, 0, "cannot open:");
	if ((uint64_t)sb.st_size != x.m.size)
		msg_fatal(EXIT_DATA, opt.lines, 0,
			  "%lld bytes, and its index %s describes %llu: the index is not this "
			  "file's (was the file changed after the run?)",
			  (long long)sb.st_size, opt.index, (unsigned long long)x.m.size);
	out_init(&pk.o, 1);
	_header(&x);
	m = lineidx_find(&x, opt.merchant);
	if (m >= 0) {
		_check(lineidx_each(&x, m, _row, NULL),
		       "its rows do not add up to the lines file it names: cut short or damaged");
		_flush();
	}
	eout_close(&pk.o, "<stdout>");
	lineidx_close(&x);
	close(pk.fd);
	free(pk.buf);
	free(pk.len);
	return EXIT_OK;
}
