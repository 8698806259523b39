/* linesum: a lines file written and summed as it is written. */
#include "linesum.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "money.h"
#include "msg.h"
#include "tsv.h"

/* The rows of a lines file, checked and summed from memory.  The sums are
 * kept per (entity, currency) in a few recent rows of their own, found by
 * the currency's slot and the entity's bytes, and go into the totals at
 * the end; an entity longer than LINESCAN_KEY bytes, or more pairs than
 * LINESCAN_ROWS, go to the totals directly. */

/* The header: the columns summed, by name, as einput_require() finds
 * them (the same messages: it is given a reader holding the names). */
static void
_header(linescan *s, const char *p, size_t n)
{
	const char *cols[4] = {"entity", "currency", s->amount_name, s->filter_name};
	tsv_reader r;
	size_t i, k, start;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) /* a BOM, dropped (SPEC 11) */
		p += 3, n -= 3;
	if (memchr(p, '\0', n))
		msg_fatal(EXIT_DATA, s->name, 0, "%s", tsv_strerror(TSV_ENUL));
	for (i = 0, s->ncol = 1; i < n; i++)
		s->ncol += p[i] == '\t';
	s->names = xmalloc(s->ncol * sizeof *s->names);
	for (i = 0, k = 0, start = 0; i <= n; i++)
		if (i == n || p[i] == '\t') {
			s->names[k++] = xstrndup(p + start, i - start);
			start = i + 1;
		}
	memset(&r, 0, sizeof r);
	r.name = s->name;
	r.names = s->names;
	r.ncol = s->ncol;
	einput_require(&r, cols, s->x, s->filter_name ? 4 : 3);
	for (k = 0, s->last = 0; k < (s->filter_name ? 4u : 3u); k++)
		if (s->x[k] > s->last)
			s->last = s->x[k];
	s->field = xmalloc(((size_t)s->last + 1) * sizeof *s->field);
	s->flen = xmalloc(((size_t)s->last + 1) * sizeof *s->flen);
}

static _Noreturn void
_bad(const linescan *s, int col, const char *what, const char *f, size_t n)
{
	msg_fatal(EXIT_DATA, s->name, s->line, "field '%s': %s '%.*s'", s->names[col], what, (int)n,
		  f);
}

/* Add an amount to its (entity, currency). */
static void
_add(linescan *s, const char *e, size_t ne, const char *c, size_t nc, int64_t v)
{
	int slot = money_currency_slot(c, nc);
	struct linescan_row *w = &s->rows[s->hit];
	size_t i;

	if (s->nrows == 0 || w->slot != slot || w->ne != ne || memcmp(w->entity, e, ne) != 0) {
		for (i = 0, w = NULL; i < s->nrows; i++)
			if (s->rows[i].slot == slot && s->rows[i].ne == ne &&
			    memcmp(s->rows[i].entity, e, ne) == 0) {
				w = &s->rows[i];
				break;
			}
		if (!w && (slot < 0 || ne > LINESCAN_KEY || s->nrows == LINESCAN_ROWS)) {
			char *en = xstrndup(e, ne), *cn = xstrndup(c, nc);

			if (totals_add(s->t, en, cn, s->col, v) < 0)
				msg_fatal(EXIT_DATA, s->name, s->line, "sum out of range");
			free(en), free(cn);
			return;
		}
		if (!w) {
			w = &s->rows[s->nrows++];
			memcpy(w->entity, e, ne);
			w->ne = ne;
			w->slot = slot;
			w->count = 0;
			w->amount = 0;
		}
		s->hit = (size_t)(w - s->rows);
	}
	w->count++;
	if (money_add(w->amount, v, &w->amount) != MONEY_OK)
		msg_fatal(EXIT_DATA, s->name, s->line, "sum out of range");
}

/* One row (its LF not included; 16 bytes readable past it, as
 * tsv_split_into_cr() reads): the header's width, no CR (as einput_next()
 * checks), a currency, an amount in its digits. */
static void
_row(linescan *s, const char *p, size_t n)
{
	const char *e, *c, *a;
	size_t nf, ne, nc, na;
	int64_t v;
	int d, cr;

	if (++s->line == 1) {
		_header(s, p, n);
		return;
	}
	nf = tsv_split_into_cr(p, n, s->field, s->flen, (size_t)s->last + 1, &cr);
	if (nf != s->ncol)
		msg_fatal(EXIT_DATA, s->name, s->line, "%zu fields, the header has %zu", nf,
			  s->ncol);
	if (cr)
		msg_fatal(EXIT_DATA, s->name, s->line, "CR in a row: TSV rows end with LF only");
	if (s->filter_name && (s->flen[s->x[3]] != s->filter_len ||
			       memcmp(s->field[s->x[3]], s->filter, s->filter_len) != 0))
		return;
	e = s->field[s->x[0]], ne = s->flen[s->x[0]];
	c = s->field[s->x[1]], nc = s->flen[s->x[1]];
	a = s->field[s->x[2]], na = s->flen[s->x[2]];
	if ((d = money_currency_digits(c, nc)) < 0)
		_bad(s, s->x[1], "not a currency:", c, nc);
	if (money_parse(a, na, d, &v) != MONEY_OK)
		_bad(s, s->x[2], "not an amount with the currency's decimals:", a, na);
	_add(s, e, ne, c, nc, v);
}

void
linescan_init(linescan *s, const char *name, totals *t)
{
	linescan_init_sum(s, name, t, 0, "amount", NULL, NULL);
}

void
linescan_init_sum(linescan *s, const char *name, totals *t, size_t col, const char *amount_name,
		  const char *filter_name, const char *filter)
{
	memset(s, 0, sizeof *s);
	s->name = name;
	s->t = t;
	s->col = col;
	s->amount_name = amount_name;
	s->filter_name = filter_name;
	s->filter = filter;
	s->filter_len = filter ? strlen(filter) : 0;
}

/* Keep the start of a row the block ends in (with the 16 bytes _row()
 * may read past it). */
static void
_carry(linescan *s, const char *p, size_t n)
{
	s->carry = xgrow(s->carry, &s->capcarry, s->ncarry + n + 16, 1);
	memcpy(s->carry + s->ncarry, p, n);
	s->ncarry += n;
}

void
linescan_feed(linescan *s, const char *p, size_t n)
{
	const char *end = p + n, *nl;

	if (s->ncarry) {
		if (!(nl = memchr(p, '\n', n))) {
			_carry(s, p, n);
			return;
		}
		_carry(s, p, (size_t)(nl - p));
		_row(s, s->carry, s->ncarry);
		s->ncarry = 0;
		p = nl + 1;
	}
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p)))) {
		if (end - nl >= 16) {
			_row(s, p, (size_t)(nl - p));
		} else { /* near the block's end: a copy, with room past it */
			_carry(s, p, (size_t)(nl - p));
			_row(s, s->carry, s->ncarry);
			s->ncarry = 0;
		}
		p = nl + 1;
	}
	if (p < end)
		_carry(s, p, (size_t)(end - p));
}

void
linescan_end(linescan *s)
{
	size_t i;

	if (s->ncarry) /* a last row without its LF */
		_row(s, s->carry, s->ncarry);
	s->ncarry = 0;
	if (s->line == 0)
		msg_fatal(EXIT_DATA, s->name, 0, "empty file: no header");
	for (i = 0; i < s->nrows; i++) {
		const struct linescan_row *w = &s->rows[i];
		char e[LINESCAN_KEY + 1],
			c[4] = {(char)('A' + w->slot / 676), (char)('A' + w->slot / 26 % 26),
				(char)('A' + w->slot % 26), '\0'};

		memcpy(e, w->entity, w->ne);
		e[w->ne] = '\0';
		if (totals_add_n(s->t, e, c, s->col, w->count, w->amount) < 0)
			msg_fatal(EXIT_DATA, s->name, 0, "sum out of range");
	}
	s->nrows = 0;
	for (i = 0; i < s->ncol; i++)
		free(s->names[i]);
	free(s->names);
	free(s->carry);
	free(s->field);
	free(s->flen);
	s->names = NULL, s->carry = NULL, s->field = NULL, s->flen = NULL;
	s->ncol = 0, s->capcarry = 0;
}

void
etotals_sum_file(totals *t, size_t col, const char *path, const char *amount_name,
		 const char *filter_name, const char *filter)
{
	enum { BLOCK = 1 << 20 };
	char *buf = xmalloc(BLOCK);
	FILE *in = fopen(path, "r");
	linescan s;
	size_t n;

	if (!in)
		msg_fatal(EXIT_DATA, path, 0, "cannot open:");
	linescan_init_sum(&s, path, t, col, amount_name, filter_name, filter);
	while ((n = fread(buf, 1, BLOCK, in)) > 0)
		linescan_feed(&s, buf, n);
	if (ferror(in))
		msg_fatal(EXIT_DATA, path, s.line, "cannot read:");
	linescan_end(&s);
	fclose(in);
	free(buf);
}

void
elines_copy_sum(FILE *in, const char *name, const char *copy, int uncached, totals *t)
{
	enum { BLOCK = 1 << 20 };
	char *buf = xmalloc(BLOCK);
	linescan s;
	size_t n;
	out o;

	if (out_open(&o, copy) < 0)
		msg_fatal(EXIT_DATA, copy, 0, "cannot open:");
	if (uncached)
		out_nocache(&o); /* a FIFO or a device: written as it is */
	linescan_init(&s, name, t);
	while ((n = fread(buf, 1, BLOCK, in)) > 0) {
		out_write(&o, buf, n); /* a failed write: out_close() says it */
		linescan_feed(&s, buf, n);
	}
	if (ferror(in))
		msg_fatal(EXIT_DATA, name, s.line, "cannot read:");
	linescan_end(&s);
	free(buf);
	if (out_close(&o) < 0)
		msg_fatal(EXIT_DATA, copy, 0, "cannot write:");
}

/* The writer's side (out_take): queue the full buffer, wait while the
 * queue is full, go on with a spare one (or a new one). */
static char *
_take(void *arg, char *buf, size_t len, size_t cap)
{
	linesum *s = arg;
	char *b = NULL;
	size_t i;

	pthread_mutex_lock(&s->mu);
	if (!buf) {
		s->end = 1;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		return NULL;
	}
	while (s->queued == LINESUM_QUEUE)
		pthread_cond_wait(&s->cv, &s->mu);
	i = (s->head + s->queued++) % LINESUM_QUEUE;
	s->q[i].buf = buf;
	s->q[i].len = len;
	s->q[i].cap = cap;
	pthread_cond_broadcast(&s->cv);
	for (i = 0; i < s->nspare; i++)
		if (s->spare[i].cap >= cap) {
			b = s->spare[i].buf;
			s->spare[i] = s->spare[--s->nspare];
			break;
		}
	pthread_mutex_unlock(&s->mu);
	return b ? b : malloc(cap);
}

/* The next full buffer, or NULL at the end; the one before goes back as a
 * spare. */
static int
_next(linesum *s)
{
	pthread_mutex_lock(&s->mu);
	if (s->cur) {
		if (s->nspare < LINESUM_QUEUE + 1) {
			s->spare[s->nspare].buf = s->cur;
			s->spare[s->nspare++].cap = s->cur_cap;
		} else {
			free(s->cur);
		}
		s->cur = NULL;
	}
	while (s->queued == 0 && !s->end)
		pthread_cond_wait(&s->cv, &s->mu);
	if (s->queued) {
		s->cur = s->q[s->head].buf;
		s->cur_len = s->q[s->head].len;
		s->cur_cap = s->q[s->head].cap;
		s->head = (s->head + 1) % LINESUM_QUEUE;
		s->queued--;
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return s->cur != NULL;
}

/* The thread: each buffer written to the file and scanned where it is,
 * as elines_copy_sum() writes and scans the blocks it reads. */
static void *
_run(void *arg)
{
	linesum *s = arg;
	linescan scan;
	out o;

	if (out_open(&o, s->path) < 0)
		msg_fatal(EXIT_DATA, s->path, 0, "cannot open:");
	if (s->uncached)
		out_nocache(&o); /* a FIFO or a device: written as it is */
	linescan_init(&scan, s->path, &s->t);
	while (_next(s)) {
		out_write(&o, s->cur, s->cur_len); /* a failed write: out_close() says it */
		linescan_feed(&scan, s->cur, s->cur_len);
	}
	linescan_end(&scan);
	if (out_close(&o) < 0)
		msg_fatal(EXIT_DATA, s->path, 0, "cannot write:");
	return NULL;
}

void
elinesum_start(linesum *s, out *o, const char *path, int uncached)
{
	memset(s, 0, sizeof *s);
	s->path = path;
	s->uncached = uncached;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	out_take(o, _take, s);
	if ((errno = pthread_create(&s->thread, NULL, _run, s)) != 0)
		msg_fatal(EXIT_DATA, path, 0, "cannot start a thread:");
}

void
elinesum_finish(linesum *s, const char *totals_path)
{
	static const char *const cols[] = {"lines"};
	size_t i;

	pthread_join(s->thread, NULL);
	etotals_write(&s->t, totals_path, cols, 1);
	totals_free(&s->t);
	for (i = 0; i < s->nspare; i++)
		free(s->spare[i].buf);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
}
