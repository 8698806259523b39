/* pick: merchants' rows of a lines file read through its index. */
#include "pick.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lineidx.h"
#include "msg.h"

/* The rows of a range of neighbours are read together. */
enum { RANGE_MAX = 1 << 20 };

struct pick {
	const char *index, *lines;
	const lineidx *x;
	const char **id; /* merchant number -> id */
	int fd;
	int col; /* merchant_id's column */
	out *o;
	char *buf; /* RANGE_MAX, or one longer row */
	size_t cap;
	uint64_t start, end; /* the range not read yet */
	uint64_t first_row;  /* its first row's number */
	uint32_t *len;	     /* its rows' lengths */
	uint32_t *merchant;  /* and merchants */
	size_t n, caplen, capm;
};

/* Read n bytes at off into buf (the file being cut short is an error). */
static void
_read_at(const struct pick *pk, char *buf, size_t n, uint64_t off)
{
	while (n) {
		ssize_t k = pread(pk->fd, buf, n, (off_t)off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			msg_fatal(EXIT_DATA, pk->lines, 0,
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
_flush(struct pick *pk)
{
	size_t i, at = 0;

	if (!pk->n)
		return;
	_read_at(pk, pk->buf, (size_t)(pk->end - pk->start), pk->start);
	for (i = 0; i < pk->n; i++) {
		const char *row = pk->buf + at, *f, *id = pk->id[pk->merchant[i]];
		size_t len = pk->len[i], fn, idn = strlen(id);
		long line = (long)(pk->first_row + i) + 2;

		if (row[len - 1] != '\n')
			msg_fatal(EXIT_DATA, pk->lines, line,
				  "the row does not end where the index %s says: the index is not "
				  "this file's",
				  pk->index);
		f = _field(row, len - 1, pk->col, &fn);
		if (!f || fn != idn || memcmp(f, id, idn) != 0)
			msg_fatal(EXIT_DATA, pk->lines, line,
				  "not a row of merchant %s, as the index %s says: the index is "
				  "not this file's",
				  id, pk->index);
		at += len;
	}
	eout_write(pk->o, pk->buf, at);
	pk->n = 0;
}

/* A wanted row: added to the range, or a new range begun. */
static int
_row(void *arg, uint64_t row, uint64_t off, uint32_t len, uint32_t merchant)
{
	struct pick *pk = arg;

	if (pk->n && (off != pk->end || pk->end - pk->start + len > RANGE_MAX))
		_flush(pk);
	if (len > pk->cap) {
		free(pk->buf);
		pk->cap = len > RANGE_MAX ? len : RANGE_MAX;
		pk->buf = xmalloc(pk->cap);
	}
	if (!pk->n)
		pk->start = pk->end = off, pk->first_row = row;
	pk->len = xgrow(pk->len, &pk->caplen, pk->n + 1, sizeof *pk->len);
	pk->merchant = xgrow(pk->merchant, &pk->capm, pk->n + 1, sizeof *pk->merchant);
	pk->len[pk->n] = len;
	pk->merchant[pk->n++] = merchant;
	pk->end += len;
	return 0;
}

/* The header of the lines file: written out, merchant_id's column found. */
static void
_header(struct pick *pk)
{
	size_t n = (size_t)pk->x->m.first;
	char *h, *p, *t;
	int col = 0;

	if (n == 0)
		msg_fatal(EXIT_DATA, pk->index, 0, "not an index of a lines file (no header)");
	h = xmalloc(n);
	_read_at(pk, h, n, 0);
	if (h[n - 1] != '\n')
		msg_fatal(EXIT_DATA, pk->lines, 1,
			  "the header does not end where the index %s says: the index is not "
			  "this file's",
			  pk->index);
	eout_write(pk->o, h, n);
	h[n - 1] = '\0';
	p = n >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0 ? h + 3 : h;
	for (pk->col = -1; p && pk->col < 0; p = t ? t + 1 : NULL, col++) {
		t = strchr(p, '\t');
		if (t)
			*t = '\0';
		if (strcmp(p, "merchant_id") == 0)
			pk->col = col;
	}
	free(h);
	if (pk->col < 0)
		msg_fatal(EXIT_DATA, pk->lines, 1, "no column merchant_id: not a lines file");
}

/* A lineidx_ result: on with LINEIDX_OK, else the message of its kind
 * (`format`: the index's own is wrong). */
static void
_check(const char *index, int rc, const char *format)
{
	if (rc == LINEIDX_EIO)
		msg_fatal(EXIT_DATA, index, 0, "cannot read:");
	if (rc == LINEIDX_ENOMEM)
		msg_fatal(EXIT_DATA, index, 0, "out of memory");
	if (rc != LINEIDX_OK)
		msg_fatal(EXIT_DATA, index, 0, "%s", format);
}

void
epick_lines(const char *index, const char *lines, int (*want)(void *arg, const char *id), void *arg,
	    out *o)
{
	struct pick pk = {0};
	struct stat sb;
	unsigned char *w;
	lineidx x;
	const char *p;
	size_t i;
	int any = 0;

	_check(index, lineidx_open(&x, index),
	       "not an index of lines (lineidx), or cut short: the period's run writes it with "
	       "its lines.tsv");
	pk.index = index;
	pk.lines = lines;
	pk.x = &x;
	pk.o = o;
	pk.fd = open(lines, O_RDONLY | O_CLOEXEC);
	if (pk.fd < 0 || fstat(pk.fd, &sb) < 0)
		msg_fatal(EXIT_DATA, lines, 0, "cannot open:");
	if ((uint64_t)sb.st_size != x.m.size)
		msg_fatal(EXIT_DATA, lines, 0,
			  "%lld bytes, and its index %s describes %llu: the index is not this "
			  "file's (was the file changed after the run?)",
			  (long long)sb.st_size, index, (unsigned long long)x.m.size);
	_header(&pk);
	/* Which merchants: their numbers, by their ids in the index. */
	pk.id = xmalloc((x.m.merchants ? x.m.merchants : 1) * sizeof *pk.id);
	w = xmalloc(x.m.merchants ? x.m.merchants : 1);
	for (i = 0, p = x.names; i < x.m.merchants; i++, p += strlen(p) + 1) {
		pk.id[i] = p;
		any |= w[i] = want(arg, p) != 0;
	}
	/* No merchant wanted: no row read, the index's rows not walked. */
	if (any) {
		_check(index, lineidx_each(&x, w, _row, &pk),
		       "its rows do not add up to the lines file it names: cut short or damaged");
		_flush(&pk);
	}
	lineidx_close(&x);
	close(pk.fd);
	free(pk.buf);
	free(pk.len);
	free(pk.merchant);
	free(pk.id);
	free(w);
}
