/* docreg: the register's index, lookups by binary search, carrying. */
#include "docreg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "grow.h"
#include "money.h"
#include "out.h"
#include "period.h"
#include "runsort.h"
#include "schema.h"
#include "text.h"
#include "tsv.h"

/* A segment row is at most this long (three identifiers and short
 * fields); a longer one is not a row a run wrote.  Lookups read windows
 * of WINDOW bytes. */
enum { ROW_MAX = 512, WINDOW = 4096 };

static const char *const index_cols[] = {"segment", "kind", "prefix", "year", "first", "last"};

/* Remember where an error is: dir/name, line (errno kept for EIO). */
static int
_fail(docreg *g, int err, const char *name, long line)
{
	size_t n = strlen(g->dir) + strlen(name) + 2;
	int saved = errno;

	free(g->err_path);
	g->err_path = malloc(n);
	if (g->err_path)
		snprintf(g->err_path, n, "%s/%s", g->dir, name);
	g->err_file = g->err_path ? g->err_path : name;
	g->err_line = line;
	errno = saved;
	return err;
}

/* A segment's file name: a period and ".tsv". */
static int
_segment_name(const char *s, size_t n)
{
	int p;

	return n == PERIOD_ID_LEN + 4 && memcmp(s + PERIOD_ID_LEN, ".tsv", 4) == 0 &&
	       period_parse(s, PERIOD_ID_LEN, &p) == 0;
}

/* The range order: kind, prefix (byte order), year, first. */
static _Thread_local const docreg *sort_g;
static int
_cmp_range(const void *a, const void *b)
{
	const docreg_range *x = &sort_g->r[*(const size_t *)a], *y = &sort_g->r[*(const size_t *)b];
	int k;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((k = strset_cmp(&sort_g->prefixes, x->prefix, y->prefix)) != 0)
		return k;
	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	return (x->first > y->first) - (x->first < y->first);
}

/* One index row into g->r. */
static int
_index_row(docreg *g, const tsv_reader *r, const int *x)
{
	docreg_range v, *r2;
	int isnew;
	long year;

	memset(&v, 0, sizeof v);
	if (!_segment_name(r->field[x[0]], r->flen[x[0]]))
		return DOCREG_EINDEX;
	v.kind = schema_kind_of(r->field[x[1]], r->flen[x[1]]);
	year = text_digits(r->field[x[3]], r->flen[x[3]], 12);
	v.first = text_digits(r->field[x[4]], r->flen[x[4]], 12);
	v.last = text_digits(r->field[x[5]], r->flen[x[5]], 12);
	if (v.kind < 0 || r->flen[x[2]] > DOCNO_PREFIX_MAX ||
	    !ident_valid(r->field[x[2]], r->flen[x[2]]) || r->flen[x[3]] != 4 || year < 0 ||
	    v.first < 1 || v.last < v.first)
		return DOCREG_EINDEX;
	v.year = (int)year;
	v.segment = strset_add(&g->segments, r->field[x[0]], r->flen[x[0]], &isnew);
	v.prefix = strset_add(&g->prefixes, r->field[x[2]], r->flen[x[2]], &isnew);
	if (v.segment < 0 || v.prefix < 0)
		return DOCREG_ENOMEM;
	if (!(r2 = grow(g->r, &g->cap, g->n + 1, sizeof *g->r)))
		return DOCREG_ENOMEM;
	g->r = r2;
	g->r[g->n++] = v;
	return DOCREG_OK;
}

/* Read the index; ranges of one series must not overlap (a number in two
 * segments would be a number issued twice). */
int
docreg_open(docreg *g, const char *dir)
{
	tsv_reader r;
	int x[6], rc = DOCREG_OK;
	char *path;
	size_t i, n = strlen(dir) + sizeof "/index.tsv";
	struct stat st;

	memset(g, 0, sizeof *g);
	g->fd = -1;
	g->fd_segment = -1;
	if (!(g->dir = strdup(dir)))
		return DOCREG_ENOMEM;
	if (stat(dir, &st) < 0 && errno == ENOENT)
		return DOCREG_OK;
	if (!(path = malloc(n)))
		return DOCREG_ENOMEM;
	snprintf(path, n, "%s/index.tsv", dir);
	if (tsv_open(&r, path) < 0) {
		free(path);
		return _fail(g, DOCREG_EIO, "index.tsv", 0);
	}
	free(path);
	if (tsv_read_header(&r) != TSV_ROW || tsv_columns(&r, index_cols, x, 6) >= 0)
		rc = _fail(g, DOCREG_EINDEX, "index.tsv", 1);
	while (rc == DOCREG_OK) {
		int t = tsv_read(&r);

		if (t == TSV_EOF)
			break;
		if (t < 0)
			rc = _fail(g, t == TSV_ENOMEM ? DOCREG_ENOMEM : DOCREG_EIO, "index.tsv",
				   r.line);
		else if (r.nfield != r.ncol || (t = _index_row(g, &r, x)) != DOCREG_OK)
			rc = _fail(g, r.nfield != r.ncol ? DOCREG_EINDEX : t, "index.tsv", r.line);
	}
	tsv_close(&r);
	if (rc != DOCREG_OK)
		return rc;
	if (!(g->sorted = malloc((g->n ? g->n : 1) * sizeof *g->sorted)) ||
	    !(g->read = calloc(strset_count(&g->segments) + 1, 1)))
		return DOCREG_ENOMEM;
	for (i = 0; i < g->n; i++)
		g->sorted[i] = i;
	sort_g = g;
	if (g->n > 1)
		qsort(g->sorted, g->n, sizeof *g->sorted, _cmp_range);
	for (i = 1; i < g->n; i++) {
		const docreg_range *a = &g->r[g->sorted[i - 1]], *b = &g->r[g->sorted[i]];

		if (a->kind == b->kind && a->prefix == b->prefix && a->year == b->year &&
		    a->last >= b->first)
			return _fail(g, DOCREG_EINDEX, "index.tsv", 0);
	}
	return DOCREG_OK;
}

/* Open segment s for lookups and check its header. */
static int
_open_segment(docreg *g, long s)
{
	static const char head[] = SCHEMA_REGISTER_HEADER;
	size_t n, len = strlen(g->dir) + IDENT_MAX + 2;
	const char *name = strset_key(&g->segments, s, &n);
	char path[4096], buf[sizeof head];
	struct stat st;
	char nm[IDENT_MAX + 1];

	if (g->fd_segment == s)
		return DOCREG_OK;
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
	g->fd_segment = -1;
	memcpy(nm, name, n);
	nm[n] = '\0';
	if (len > sizeof path)
		return _fail(g, DOCREG_EIO, nm, 0);
	snprintf(path, sizeof path, "%s/%s", g->dir, nm);
	if ((g->fd = open(path, O_RDONLY)) < 0 || fstat(g->fd, &st) < 0)
		return _fail(g, DOCREG_EIO, nm, 0);
	g->read[s] = 1;
	if (pread(g->fd, buf, sizeof head - 1, 0) != (ssize_t)(sizeof head - 1) ||
	    memcmp(buf, head, sizeof head - 1) != 0)
		return _fail(g, DOCREG_ESEGMENT, nm, 1);
	g->fd_segment = s;
	g->fd_size = st.st_size;
	g->fd_data = (int64_t)sizeof head - 1;
	return DOCREG_OK;
}

/* Read up to n bytes at off into buf; the number read, or -1. */
static ssize_t
_read_at(const docreg *g, char *buf, size_t n, int64_t off)
{
	size_t done = 0;

	if (off + (int64_t)n > g->fd_size)
		n = (size_t)(g->fd_size - off);
	while (done < n) {
		ssize_t k = pread(g->fd, buf + done, n - done, (off_t)(off + (int64_t)done));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		done += (size_t)k;
	}
	return (ssize_t)done;
}

/* Compare a row's first field (up to its tab) with the key. */
static int
_cmp_key(const char *row, size_t rowlen, const char *key, size_t n)
{
	const char *tab = memchr(row, '\t', rowlen);
	size_t m = tab ? (size_t)(tab - row) : rowlen, k = m < n ? m : n;
	int c = memcmp(row, key, k);

	return c ? c : (m > n) - (m < n);
}

/* Fields of a segment row into doc: the columns of SCHEMA_REGISTER_HEADER. */
static int
_parse_row(const char *row, size_t len, docreg_doc *doc)
{
	char *f[8];
	size_t fl[8], i;
	int64_t t;

	if (tsv_split_into(row, len, f, fl, 8) != 8)
		return -1;
	for (i = 0; i < 3; i++)
		if (!ident_valid(f[i], fl[i]))
			return -1;
	if (money_currency_digits(f[3], fl[3]) < 0 ||
	    (doc->type = schema_type_of(f[4], fl[4])) < 0 ||
	    period_parse(f[5], fl[5], &doc->period) < 0 || period_parse_date(f[6], fl[6], &t) < 0 ||
	    t != period_issue_date(doc->period) || (doc->kind = schema_kind_of(f[7], fl[7])) < 0)
		return -1;
	memcpy(doc->no, f[0], fl[0]), doc->no[fl[0]] = '\0';
	memcpy(doc->entity, f[1], fl[1]), doc->entity[fl[1]] = '\0';
	memcpy(doc->merchant, f[2], fl[2]), doc->merchant[fl[2]] = '\0';
	memcpy(doc->currency, f[3], 3), doc->currency[3] = '\0';
	doc->issued = t;
	return 0;
}

/* Binary search of the open segment for the row numbered key[0..n).
 * [lo, hi) holds the start of the row sought; each step reads a window at
 * the middle, takes the first row that starts there and halves the range. */
static int
_search(docreg *g, const char *key, size_t n, docreg_doc *doc)
{
	/* 32 bytes of slack: the row splitter reads ahead in 16-byte blocks
	 * (tsv_split_into), masking what is past the row. */
	char buf[WINDOW + ROW_MAX + 1 + 32];
	int64_t lo = g->fd_data, hi = g->fd_size, at;
	size_t nm;
	const char *name = strset_key(&g->segments, g->fd_segment, &nm);
	char seg[IDENT_MAX + 1];
	ssize_t got;

	memcpy(seg, name, nm);
	seg[nm] = '\0';
	while (hi - lo > WINDOW) {
		int64_t mid = lo + (hi - lo) / 2, s;
		const char *nl, *end;
		int c;

		if ((got = _read_at(g, buf, 2 * ROW_MAX, mid - 1)) < 0)
			return _fail(g, DOCREG_EIO, seg, 0);
		if (!(nl = memchr(buf, '\n', (size_t)got)) ||
		    !(end = memchr(nl + 1, '\n', (size_t)got - (size_t)(nl + 1 - buf))))
			return _fail(g, DOCREG_ESEGMENT, seg, 0);
		s = mid + (nl - buf);
		c = _cmp_key(nl + 1, (size_t)(end - nl - 1), key, n);
		if (c == 0)
			return _parse_row(nl + 1, (size_t)(end - nl - 1), doc) < 0
				       ? _fail(g, DOCREG_ESEGMENT, seg, 0)
				       : 1;
		if (c < 0)
			lo = s + (end - nl);
		else
			hi = s;
	}
	/* The last rows, read at once. */
	if (lo >= hi)
		return 0;
	if ((got = _read_at(g, buf, (size_t)(hi - lo) + ROW_MAX, lo)) < 0)
		return _fail(g, DOCREG_EIO, seg, 0);
	for (at = 0; at < hi - lo;) {
		const char *row = buf + at, *end = memchr(row, '\n', (size_t)(got - at));
		int c;

		if (!end)
			return _fail(g, DOCREG_ESEGMENT, seg, 0);
		c = _cmp_key(row, (size_t)(end - row), key, n);
		if (c == 0)
			return _parse_row(row, (size_t)(end - row), doc) < 0
				       ? _fail(g, DOCREG_ESEGMENT, seg, 0)
				       : 1;
		if (c > 0)
			break;
		at = end + 1 - buf;
	}
	return 0;
}

/* The range holding (kind, prefix, year, number): by binary search of the
 * sorted ranges; -1 when none. */
static long
_range_of(const docreg *g, const docno *d, const char *no)
{
	long p = strset_find(&g->prefixes, no + d->prefix, d->prefix_len);
	size_t lo = 0, hi = g->n;

	if (p < 0)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const docreg_range *r = &g->r[g->sorted[mid]];
		int c = r->kind != d->kind     ? (r->kind < d->kind ? -1 : 1)
			: r->prefix != p       ? strset_cmp(&g->prefixes, r->prefix, p)
			: r->year != d->year   ? (r->year < d->year ? -1 : 1)
			: r->last < d->number  ? -1
			: r->first > d->number ? 1
					       : 0;

		if (c == 0)
			return (long)g->sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Index, then the one segment. */
int
docreg_find(docreg *g, const char *no, size_t n, docreg_doc *doc)
{
	docno d;
	long r;
	int rc;

	if (n > IDENT_MAX || docno_parse(no, n, &d) < 0 ||
	    (d.kind != DOC_INVOICE && d.kind != DOC_CREDIT_NOTE) || (r = _range_of(g, &d, no)) < 0)
		return 0;
	if ((rc = _open_segment(g, g->r[r].segment)) != DOCREG_OK)
		return rc;
	rc = _search(g, no, n, doc);
	if (rc == 0) {
		/* The index says the segment holds it: series are gapless. */
		size_t nm;
		const char *name = strset_key(&g->segments, g->fd_segment, &nm);
		char seg[IDENT_MAX + 1];

		memcpy(seg, name, nm);
		seg[nm] = '\0';
		return _fail(g, DOCREG_ESEGMENT, seg, 0);
	}
	if (rc == 1 && (doc->kind != d.kind || strcmp(doc->no, no) != 0))
		return _fail(g, DOCREG_ESEGMENT, doc->no, 0);
	return rc;
}

/* Copy from to to (a link across file systems). */
static int
_copy(const char *from, const char *to)
{
	char buf[1 << 16];
	int in = open(from, O_RDONLY), o = -1, rc = -1;
	ssize_t k;

	if (in < 0 || (o = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0)
		goto done;
	while ((k = read(in, buf, sizeof buf)) > 0)
		if (write(o, buf, (size_t)k) != k)
			goto done;
	rc = k < 0 ? -1 : 0;
done:
	if (in >= 0)
		close(in);
	if (o >= 0 && close(o) < 0)
		rc = -1;
	return rc;
}

/* Each segment: a hard link when the state is on the same file system. */
int
docreg_carry(docreg *g, const char *dir)
{
	size_t i, n;
	char from[4096], to[4096];

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return _fail(g, DOCREG_EIO, "", 0);
	for (i = 0; i < strset_count(&g->segments); i++) {
		const char *name = strset_key(&g->segments, (long)i, &n);

		if ((size_t)snprintf(from, sizeof from, "%s/%.*s", g->dir, (int)n, name) >=
			    sizeof from ||
		    (size_t)snprintf(to, sizeof to, "%s/%.*s", dir, (int)n, name) >= sizeof to)
			return _fail(g, DOCREG_EIO, "", 0);
		if (unlink(to) < 0 && errno != ENOENT)
			return _fail(g, DOCREG_EIO, to + strlen(dir) + 1, 0);
		if (link(from, to) == 0)
			continue;
		if ((errno != EXDEV && errno != EPERM && errno != EMLINK) || _copy(from, to) < 0)
			return _fail(g, DOCREG_EIO, from + strlen(g->dir) + 1, 0);
	}
	return DOCREG_OK;
}

/* Free. */
void
docreg_close(docreg *g)
{
	if (g->fd >= 0)
		close(g->fd);
	strset_free(&g->prefixes);
	strset_free(&g->segments);
	free(g->r);
	free(g->sorted);
	free(g->read);
	free(g->dir);
	free(g->err_path);
	memset(g, 0, sizeof *g);
	g->fd = -1;
}

/* Keep a number. */
int
docreg_writer_add(docreg_writer *w, const char *no, size_t n, long user)
{
	char *a;

	if (w->alen + n + 1 > UINT32_MAX)
		return DOCREG_ENOMEM;
	if (!(a = grow(w->arena, &w->acap, w->alen + n + 1, 1)))
		return DOCREG_ENOMEM;
	w->arena = a;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 1024;
		uint32_t *off = realloc(w->off, cap * sizeof *off);
		long *user;

		if (!off)
			return DOCREG_ENOMEM;
		w->off = off;
		if (!(user = realloc(w->user, cap * sizeof *user)))
			return DOCREG_ENOMEM;
		w->user = user;
		w->cap = cap;
	}
	memcpy(w->arena + w->alen, no, n);
	w->arena[w->alen + n] = '\0';
	w->off[w->n] = (uint32_t)w->alen;
	w->user[w->n++] = user;
	w->alen += n + 1;
	return DOCREG_OK;
}

/* The writer being sorted. */
static _Thread_local const docreg_writer *sort_w;
static int
_cmp_doc(const void *a, const void *b)
{
	return strcmp(sort_w->arena + sort_w->off[*(const long *)a],
		      sort_w->arena + sort_w->off[*(const long *)b]);
}

/* Sort (off, user) pairs through a permutation.  A run numbers its
 * documents in order, entity by entity, invoices then credit notes: they
 * are often sorted already (and then without a repeat: nothing to
 * allocate), else a few sorted runs, merged (runsort). */
int
docreg_writer_sort(docreg_writer *w)
{
	size_t i;
	long *perm;
	uint32_t *off;
	long *user;

	if (w->n < 2)
		return DOCREG_OK;
	for (i = 1; i < w->n; i++)
		if (strcmp(w->arena + w->off[i - 1], w->arena + w->off[i]) >= 0)
			break;
	if (i == w->n)
		return DOCREG_OK;
	perm = malloc(w->n * sizeof *perm);
	off = malloc(w->n * sizeof *off);
	user = malloc(w->n * sizeof *user);
	if (!perm || !off || !user) {
		free(perm), free(off), free(user);
		return DOCREG_ENOMEM;
	}
	for (i = 0; i < w->n; i++)
		perm[i] = (long)i;
	sort_w = w;
	runsort(perm, w->n, _cmp_doc);
	for (i = 0; i < w->n; i++) {
		off[i] = w->off[perm[i]];
		user[i] = w->user[perm[i]];
	}
	free(w->off), free(w->user), free(perm);
	w->off = off;
	w->user = user;
	for (i = 1; i < w->n; i++)
		if (strcmp(w->arena + w->off[i - 1], w->arena + w->off[i]) == 0)
			return DOCREG_EDUP;
	return DOCREG_OK;
}

/* A row: eight fields. */
int
docreg_write_row(out *o, const docreg_doc *d)
{
	size_t room = 3 * (IDENT_MAX + 1) + 4 + 8 + FMT_PERIOD_MAX + FMT_DATE_MAX + 12;
	char *p = out_room(o, room), *start = p;

	if (!p)
		return -1;
	p = fmt_str(p, d->no, '\t');
	p = fmt_str(p, d->entity, '\t');
	p = fmt_str(p, d->merchant, '\t');
	p = fmt_str(p, d->currency, '\t');
	p = fmt_str(p, schema_type_code(d->type), '\t');
	p = fmt_period(p, d->period, '\t');
	p = fmt_date(p, d->issued, '\t');
	p = fmt_str(p, schema_kind_name(d->kind), '\n');
	out_commit(o, (size_t)(p - start));
	return 0;
}

/* One index row. */
static int
_put_range(out *o, const char *segment, int kind, const char *prefix, size_t pn, int year,
	   long first, long last)
{
	char line[256];
	int k = snprintf(line, sizeof line, "%s\t%s\t%.*s\t%04d\t%ld\t%ld\n", segment,
			 schema_kind_name(kind), (int)pn, prefix, year, first, last);

	return k > 0 && (size_t)k < sizeof line ? out_write(o, line, (size_t)k) : -1;
}

/* The new segment's ranges: per series (kind, prefix, year) the lowest
 * and highest number, found in one pass over the sorted numbers (a
 * series' numbers need not be together in byte order: 999999 < 1000000
 * but "1000000" sorts first). */
static int
_new_ranges(const docreg_writer *w, const char *segment, out *o)
{
	struct series {
		int kind, year;
		const char *prefix;
		size_t pn;
		long first, last, count;
	} *s = NULL;
	size_t ns = 0, cap = 0, i, j;
	int rc = DOCREG_OK;

	for (i = 0; i < w->n; i++) {
		const char *no = w->arena + w->off[i];
		docno d;

		if (docno_parse(no, strlen(no), &d) < 0 ||
		    (d.kind != DOC_INVOICE && d.kind != DOC_CREDIT_NOTE)) {
			rc = DOCREG_EINDEX;
			break;
		}
		for (j = 0; j < ns; j++)
			if (s[j].kind == d.kind && s[j].year == d.year && s[j].pn == d.prefix_len &&
			    memcmp(s[j].prefix, no + d.prefix, d.prefix_len) == 0)
				break;
		if (j == ns) {
			struct series *s2 = grow(s, &cap, ns + 1, sizeof *s);

			if (!s2) {
				rc = DOCREG_ENOMEM;
				break;
			}
			s = s2;
			s[ns].kind = d.kind, s[ns].year = d.year;
			s[ns].prefix = no + d.prefix, s[ns].pn = d.prefix_len;
			s[ns].first = s[ns].last = d.number;
			s[ns++].count = 0;
		}
		if (d.number < s[j].first)
			s[j].first = d.number;
		if (d.number > s[j].last)
			s[j].last = d.number;
		s[j].count++;
	}
	/* Gapless: a series' numbers fill its range. */
	for (j = 0; rc == DOCREG_OK && j < ns; j++)
		if (s[j].last - s[j].first + 1 != s[j].count)
			rc = DOCREG_EINDEX;
	for (j = 0; rc == DOCREG_OK && j < ns; j++)
		if (_put_range(o, segment, s[j].kind, s[j].prefix, s[j].pn, s[j].year, s[j].first,
			       s[j].last) < 0)
			rc = DOCREG_ENOMEM;
	free(s);
	return rc;
}

/* The earlier ranges as they were, then the new segment's. */
int
docreg_write_index(const docreg *g, const docreg_writer *w, const char *segment, const char *dir)
{
	size_t i, n, pn;
	char path[4096];
	out o;
	int rc;

	if (strset_find(&g->segments, segment, strlen(segment)) >= 0)
		return DOCREG_EDUP;
	if ((size_t)snprintf(path, sizeof path, "%s/index.tsv", dir) >= sizeof path ||
	    out_open(&o, path) < 0)
		return DOCREG_EIO;
	rc = out_puts(&o, SCHEMA_REGISTER_INDEX_HEADER) < 0 ? DOCREG_ENOMEM : DOCREG_OK;
	for (i = 0; rc == DOCREG_OK && i < g->n; i++) {
		const docreg_range *r = &g->r[i];
		const char *seg = strset_key(&g->segments, r->segment, &n);
		const char *prefix = strset_key(&g->prefixes, r->prefix, &pn);
		char name[IDENT_MAX + 1];

		memcpy(name, seg, n);
		name[n] = '\0';
		if (_put_range(&o, name, r->kind, prefix, pn, r->year, r->first, r->last) < 0)
			rc = DOCREG_ENOMEM;
	}
	if (rc == DOCREG_OK)
		rc = _new_ranges(w, segment, &o);
	if (out_close(&o) < 0 && rc == DOCREG_OK)
		rc = DOCREG_EIO;
	return rc;
}

/* Free. */
void
docreg_writer_free(docreg_writer *w)
{
	free(w->arena);
	free(w->off);
	free(w->user);
	memset(w, 0, sizeof *w);
}

/* Messages. */
const char *
docreg_strerror(int err)
{
	switch (err) {
	case DOCREG_OK: return "no error";
	case DOCREG_ENOMEM: return "out of memory";
	case DOCREG_EIO: return strerror(errno);
	case DOCREG_EINDEX: return "not a register index as a run writes it";
	case DOCREG_ESEGMENT: return "not a register segment as a run writes it";
	case DOCREG_EDUP: return "a number or a segment the register has already";
	}
	return "unknown error";
}
