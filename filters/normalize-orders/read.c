/* normalize-orders: reading a drop file, CSV or TSV, in batches. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
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
	size_t raw_off, field0; /* offsets into the batch's bytes and fields */
	int reason;		/* record_precheck()'s verdict */
	size_t at;		/* its duplicate check */
	uint64_t hash;		/* hash of the primary id */
};

static struct {
	struct held h[BATCH];
	int n;
	text_buf bytes; /* raw and field bytes of the held records */
	size_t *foff, *flen;
	char **fptr;
	size_t nf, fcap;
} batch;

/* Check and route every held record, then empty the batch. */
static void
_drain(struct ctx *c)
{
	int i;
	size_t k;

	for (k = 0; k < batch.nf; k++)
		batch.fptr[k] = batch.bytes.p + batch.foff[k];
	for (i = 0; i < batch.n; i++) {
		struct held *h = &batch.h[i];

		h->r.raw = batch.bytes.p + h->raw_off;
		h->r.field = batch.fptr + h->field0;
		h->r.flen = batch.flen + h->field0;
		h->reason = record_precheck(c, &h->r, &h->at);
		if (h->reason == CHECK_OK) {
			int col = c->idx[c->src->primary];

			h->hash = strset_hash(h->r.field[col], h->r.flen[col]);
			strset_prefetch(c->ids, h->hash);
		}
	}
	for (i = 0; i < batch.n; i++) {
		struct held *h = &batch.h[i];
		check_values v;

		if (h->reason == CHECK_OK)
			h->reason = record_check(c, &h->r, h->hash, h->at, &v);
		if (h->reason == CHECK_OK)
			record_emit(c, &h->r, &v);
		else
			record_reject(c, &h->r, h->reason);
	}
	batch.n = 0;
	batch.nf = 0;
	batch.bytes.len = 0;
}

/* Copy a record into the batch; drain it when full. */
static void
_record(struct ctx *c, const struct record *r)
{
	struct held *h = &batch.h[batch.n];
	size_t i, cap = batch.fcap;

	c->nread++;
	if ((++c->total & 0xffff) == 0)
		msg_progress_show(&c->progress, "%ld rows read", c->total);
	/* The three field arrays share one capacity; they exist from the
	 * first record on, fields or none. */
	batch.foff = xgrow(batch.foff, &cap, batch.nf + r->nfield + 1, sizeof *batch.foff);
	if (cap != batch.fcap) {
		batch.flen = xrealloc(batch.flen, cap * sizeof *batch.flen);
		batch.fptr = xrealloc(batch.fptr, cap * sizeof *batch.fptr);
		batch.fcap = cap;
	}
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
	if (++batch.n == BATCH)
		_drain(c);
}

/* Resolve the source's columns in the header; a missing one stops the run. */
static void
_resolve(struct ctx *c, char *const *names, size_t n)
{
	size_t k;

	for (k = 0; k < COL_NROLES; k++)
		c->idx[k] = -1;
	for (k = 0; k < c->src->ncols; k++) {
		int role = c->src->cols[k];

		c->idx[role] = tsv_find_name(names, n, check_col_name(role));
		if (c->idx[role] < 0)
			msg_fatal(EXIT_DATA, c->in->label, 1, "missing required column '%s'%s",
				  check_col_name(role),
				  n && strchr(names[n - 1], '\r')
					  ? " (the header ends with CR: TSV rows must end with LF "
					    "only)"
					  : "");
	}
	c->ncol = n;
}

/* Read a CSV file record by record. */
static void
_read_csv(struct ctx *c)
{
	csvin in;
	csvin_record rec;
	struct record r;
	int rc;

	if (csvin_open(&in, c->in->path) < 0)
		msg_fatal(EXIT_DATA, c->in->label, 0, "cannot open:");
	rc = csvin_next(&in, &rec);
	if (rc == CSVIN_EOF)
		msg_fatal(EXIT_DATA, c->in->label, 0, "empty file: no header");
	if (rc < 0)
		goto ioerr;
	if (rec.malformed)
		msg_fatal(EXIT_DATA, c->in->label, 1, "malformed header");
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
	_drain(c);
	csvin_close(&in);
	return;
ioerr:
	msg_fatal(EXIT_DATA, c->in->label, 0, "%s",
		  rc == CSVIN_ENOMEM ? "out of memory" : strerror(errno));
}

/* Read a TSV file row by row. */
static void
_read_tsv(struct ctx *c)
{
	tsv_reader in;
	struct record r;
	int rc;

	if (tsv_open(&in, c->in->path) < 0)
		msg_fatal(EXIT_DATA, c->in->label, 0, "cannot open:");
	rc = tsv_read_header(&in);
	if (rc == TSV_EOF)
		msg_fatal(EXIT_DATA, c->in->label, 0, "empty file: no header");
	if (rc < 0)
		msg_fatal(EXIT_DATA, c->in->label, 0, "%s", tsv_strerror(rc));
	_resolve(c, in.names, in.ncol);
	in.keep_raw = 1;
	while ((rc = tsv_read(&in)) == TSV_ROW) {
		r.line = in.line;
		r.malformed = 0;
		r.raw = in.row;
		r.rawlen = in.rowlen;
		r.nfield = in.nfield;
		r.field = in.field;
		r.flen = in.flen;
		_record(c, &r);
	}
	if (rc < 0)
		msg_fatal(EXIT_DATA, c->in->label, 0, "%s", tsv_strerror(rc));
	_drain(c);
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

/* Free the batch. */
void
read_free(void)
{
	text_free(&batch.bytes);
	free(batch.foff);
	free(batch.flen);
	free(batch.fptr);
}
