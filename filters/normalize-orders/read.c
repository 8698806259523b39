/* normalize-orders: reading a drop file, CSV or TSV, in batches. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "file.h"
#include "grow.h"
#include "normalize.h"
#include "tsv.h"

/* Records wait in a small batch so that the id-set slots of the whole
 * batch are fetched from memory together; the checks then run row by
 * row in input order, so the first row with an id is still the one that
 * goes on. */
enum { BATCH = 64 };

struct held {
	struct record r;
	size_t raw_off, field0; /* CSV: offsets into the batch's bytes and fields */
	int reason;		/* record_precheck()'s verdict */
	int col;		/* the column at fault */
	size_t at;		/* its duplicate check */
	uint64_t hash;		/* hash of the primary id */
};

/* The batch.  A TSV batch's rows stay in the reader's buffer (its fields
 * point there); a CSV batch's records are copied into bytes, their fields
 * as offsets until the batch is drained. */
static struct {
	struct held h[BATCH];
	int n;
	text_buf bytes;
	size_t *foff, *flen;
	char **fptr;
	size_t nf, fcap;
} batch;

/* Room for n more fields in the batch's arrays (three, one capacity). */
static void
_room(size_t n)
{
	size_t cap = batch.fcap;

	batch.foff = xgrow(batch.foff, &cap, batch.nf + n + 1, sizeof *batch.foff);
	if (cap != batch.fcap) {
		batch.flen = xrealloc(batch.flen, cap * sizeof *batch.flen);
		batch.fptr = xrealloc(batch.fptr, cap * sizeof *batch.fptr);
		batch.fcap = cap;
	}
}

/* Count a record read, and show progress now and then. */
static void
_count(struct ctx *c)
{
	c->nread++;
	if ((++c->total & 0xffff) == 0)
		msg_progress_show(&c->progress, "%ld rows read", c->total);
}

/* Check and route every held record, then empty the batch. */
static void
_drain(struct ctx *c)
{
	int i;

	for (i = 0; i < batch.n; i++) {
		struct held *h = &batch.h[i];

		h->reason = record_precheck(c, &h->r, &h->at, &h->col);
		if (h->reason == CHECK_OK) {
			int col = c->idx[c->src->primary];

			h->hash = strset_hash(h->r.field[col], h->r.flen[col]);
			strset_prefetch(c->ids, h->hash);
		}
	}
	for (i = 0; i < batch.n; i++) {
		struct held *h = &batch.h[i];
		check_values v;

		if (h->reason == RECORD_AFTER_AS_OF) {
			c->nafter++;
			continue;
		}
		if (h->reason == CHECK_OK)
			h->reason = record_check(c, &h->r, h->hash, h->at, &v, &h->col);
		if (h->reason == CHECK_OK)
			record_emit(c, &h->r, &v);
		else
			record_reject(c, &h->r, h->reason, h->col);
	}
	batch.n = 0;
	batch.nf = 0;
	batch.bytes.len = 0;
}

/* Copy a CSV record into the batch; drain it when full. */
static void
_record(struct ctx *c, const struct record *r)
{
	struct held *h = &batch.h[batch.n];
	size_t i;

	_count(c);
	_room(r->nfield);
	h->r = *r;
	h->raw_off = batch.bytes.len;
	h->field0 = batch.nf;
	if (text_append(&batch.bytes, r->raw, r->rawlen) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	for (i = 0; i < r->nfield; i++) {
		batch.foff[batch.nf] = batch.bytes.len;
		batch.flen[batch.nf++] = r->flen[i];
		if (text_append(&batch.bytes, r->field[i], r->flen[i]) < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	}
	if (++batch.n < BATCH)
		return;
	/* The copies are where they stay: pointers now. */
	for (i = 0; i < batch.nf; i++)
		batch.fptr[i] = batch.bytes.p + batch.foff[i];
	for (i = 0; i < (size_t)batch.n; i++) {
		batch.h[i].r.raw = batch.bytes.p + batch.h[i].raw_off;
		batch.h[i].r.field = batch.fptr + batch.h[i].field0;
		batch.h[i].r.flen = batch.flen + batch.h[i].field0;
	}
	_drain(c);
}

/* The last CSV records, fewer than a batch. */
static void
_record_flush(struct ctx *c)
{
	size_t i;

	for (i = 0; i < batch.nf; i++)
		batch.fptr[i] = batch.bytes.p + batch.foff[i];
	for (i = 0; i < (size_t)batch.n; i++) {
		batch.h[i].r.raw = batch.bytes.p + batch.h[i].raw_off;
		batch.h[i].r.field = batch.fptr + batch.h[i].field0;
		batch.h[i].r.flen = batch.flen + batch.h[i].field0;
	}
	_drain(c);
}

/* Why a header may lack its columns, as a hint for the message: a file of
 * another dialect (a European spreadsheet's ';', commas in a .tsv), or
 * Windows line ends in TSV. */
static const char *
_hint(const struct ctx *c, char *const *names, size_t n)
{
	if (n == 1 && strchr(names[0], ';'))
		return " (the header looks ';'-separated: export the file with ',' as the "
		       "separator)";
	if (n == 1 && !c->in->csv && strchr(names[0], ','))
		return " (the header looks ','-separated: a .tsv file is tab-separated; name "
		       "it .csv)";
	if (n && strchr(names[n - 1], '\r'))
		return " (the header ends with CR: TSV rows must end with LF only)";
	return "";
}

/* Resolve the source's columns in the header; a missing one stops the run. */
static void
_resolve(struct ctx *c, char *const *names, size_t n)
{
	size_t k;

	for (k = 0; k < COL_NROLES; k++)
		c->idx[k] = -1;
	for (k = 0; k < c->ncol; k++)
		free(c->names[k]);
	free(c->names);
	c->names = xmalloc((n ? n : 1) * sizeof *c->names);
	for (k = 0; k < n; k++)
		c->names[k] = xstrdup(names[k]);
	for (k = 0; k < c->src->ncols; k++) {
		int role = c->src->cols[k];

		c->idx[role] = tsv_find_name(names, n, check_col_name(role));
		if (c->idx[role] < 0)
			msg_fatal(EXIT_DATA, c->in->label, 1, "missing required column '%s'%s",
				  check_col_name(role), _hint(c, names, n));
	}
	c->ncol = n;
	emit_plan(c);
}

/* Open the input as CSV (c) or TSV (t): standard input as it is, a file
 * only if it is a regular file (discovery checked; this holds on if the
 * file changed since, and never waits on a FIFO). */
static int
_open(const struct ctx *c, csvin *csv, tsv_reader *tsv)
{
	FILE *fp;
	int kind;

	if (strcmp(c->in->path, "-") == 0)
		fp = stdin;
	else if (!(fp = file_open_regular(c->in->path, &kind)) && kind != FILE_REGULAR)
		msg_fatal(EXIT_DATA, c->in->label, 0,
			  "%s, not a regular file: a drop file must be a file as exported",
			  file_kind_name(kind));
	if (!fp)
		return -1;
	if (csv)
		return csvin_init(csv, fp, c->in->label, fp != stdin);
	tsv_init(tsv, fp, c->in->label);
	tsv->own = fp != stdin;
	return 0;
}

/* Read a CSV file record by record. */
static void
_read_csv(struct ctx *c)
{
	csvin in;
	csvin_record rec;
	struct record r;
	int rc;

	if (_open(c, &in, NULL) < 0)
		msg_fatal(EXIT_DATA, c->in->label, 0, "cannot open:");
	rc = csvin_next(&in, &rec);
	if (rc == CSVIN_EOF)
		msg_fatal(EXIT_DATA, c->in->label, 0, "empty file: no header");
	if (rc < 0)
		goto ioerr;
	if (rec.malformed)
		msg_fatal(EXIT_DATA, c->in->label, 1, "malformed header");
	for (rc = 0; (size_t)rc < rec.nfield; rc++)
		if (memchr(rec.field[rc], '\0', rec.flen[rc]))
			msg_fatal(EXIT_DATA, c->in->label, 1, "a NUL byte in the header");
	_resolve(c, rec.field, rec.nfield);
	while ((rc = csvin_next(&in, &rec)) == CSVIN_RECORD) {
		r.line = rec.line;
		r.malformed = rec.malformed;
		r.raw = rec.raw;
		r.rawlen = rec.rawlen;
		r.nfield = rec.nfield;
		r.field = rec.field;
		r.flen = rec.flen;
		_record(c, &r);
	}
	if (rc < 0)
		goto ioerr;
	_record_flush(c);
	csvin_close(&in);
	return;
ioerr:
	msg_fatal(EXIT_DATA, c->in->label, 0, "%s",
		  rc == CSVIN_ENOMEM ? "out of memory" : strerror(errno));
}

/* Read a TSV file in batches of rows straight from the reader's buffer:
 * no copy; a row's fields point into it until the next batch is read. */
static void
_read_tsv(struct ctx *c)
{
	tsv_reader in;
	char *rows[BATCH];
	size_t lens[BATCH];
	int rc, n, i;

	if (_open(c, NULL, &in) < 0)
		msg_fatal(EXIT_DATA, c->in->label, 0, "cannot open:");
	rc = tsv_read_header(&in);
	if (rc == TSV_EOF)
		msg_fatal(EXIT_DATA, c->in->label, 0, "empty file: no header");
	if (rc < 0)
		msg_fatal(EXIT_DATA, c->in->label, 0, "%s", tsv_strerror(rc));
	_resolve(c, in.names, in.ncol);
	while ((n = tsv_read_many(&in, rows, lens, BATCH)) > 0) {
		long line0 = in.line - n + 1;

		/* A row of more fields than the header is field_count: the
		 * arrays keep one more than the header's. */
		_room((size_t)n * (c->ncol + 1));
		for (i = 0; i < n; i++) {
			struct held *h = &batch.h[i];

			_count(c);
			h->r.line = line0 + i;
			h->r.malformed = 0;
			h->r.raw = rows[i];
			h->r.rawlen = lens[i];
			h->r.field = batch.fptr + batch.nf;
			h->r.flen = batch.flen + batch.nf;
			h->r.nfield = tsv_split_into(rows[i], lens[i], h->r.field, h->r.flen,
						     c->ncol + 1);
			batch.nf += c->ncol + 1;
		}
		batch.n = n;
		_drain(c);
	}
	if (n < 0)
		msg_fatal(EXIT_DATA, c->in->label, 0, "%s", tsv_strerror(n));
	tsv_close(&in);
}

/* One input, in its format. */
void
read_input(struct ctx *c)
{
	if (c->in->csv)
		_read_csv(c);
	else
		_read_tsv(c);
}

/* Free the batch and the last header. */
void
read_free(struct ctx *c)
{
	size_t k;

	for (k = 0; k < c->ncol; k++)
		free(c->names[k]);
	free(c->names);
	text_free(&batch.bytes);
	free(batch.foff);
	free(batch.flen);
	free(batch.fptr);
}
