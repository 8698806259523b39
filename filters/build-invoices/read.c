/* build-invoices: reading lines, in the lines format (the state's held
 * lines, a lines file) or as split-by-entity's assigned events, in
 * batches whose lookups are fetched ahead. */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "ident.h"
#include "input.h"
#include "msg.h"
#include "period.h"
#include "text.h"

/* The assigned events' columns: the event's, then the line slots. */
enum {
	A_PERIOD,
	A_MERCHANT,
	A_CURRENCY,
	A_EVENT,
	A_ORDER,
	A_AT,
	A_LATE,
	A_KIND,
	A_SOURCE,
	A_LINE,
	A_SLOTS,
	A_N = A_SLOTS + 3 * SCHEMA_SLOTS
};
static const char *const assigned_cols[A_N] = {
	"period",   "merchant_id", "currency", "event_id", "order_id", "at",
	"late",	    "kind",	   "source",   "line",	   "entity_1", "type_1",
	"amount_1", "entity_2",	   "type_2",   "amount_2", "entity_3", "type_3",
	"amount_3", "entity_4",	   "type_4",   "amount_4",
};

/* An input: its reader, its format and columns. */
struct input {
	tsv_reader r;
	int assigned;  /* split-by-entity's events, else lines */
	int x[A_N];    /* columns: line_cols or assigned_cols */
	int merchant;  /* the merchant_id column */
	int canonical; /* lines in SCHEMA_LINE_HEADER's column order, nothing else */
	int note;      /* held lines: the adjustment_reason column, or -1 */
	int span;      /* event_id to line are adjacent columns, in order */
};

/* The lines of the current row of in (1, or one per filled slot) into
 * ls; returns how many. */
static int
_lines_of(const struct input *in, struct line *ls, const char *file)
{
	const tsv_reader *r = &in->r;
	const int *x = in->x;
	int n = 0, k;

	if (!in->assigned) {
		for (k = 0; k < C_N; k++) {
			ls[0].f[k] = x[k] >= 0 ? r->field[x[k]] : "";
			ls[0].n[k] = x[k] >= 0 ? r->flen[x[k]] : 0;
		}
		ls[0].row = in->canonical ? r->row : NULL;
		ls[0].rowlen = r->rowlen;
		ls[0].file = file;
		ls[0].lineno = r->line;
		ls[0].note = in->note >= 0 ? r->field[in->note] : "";
		ls[0].note_n = in->note >= 0 ? r->flen[in->note] : 0;
		ls[0].span = NULL;
		ls[0].keyed = 0;
		return 1;
	}
	for (k = 0; k < SCHEMA_SLOTS; k++) {
		int e = x[A_SLOTS + 3 * k], t = x[A_SLOTS + 3 * k + 1], a = x[A_SLOTS + 3 * k + 2];
		struct line *ln = &ls[n];

		if (r->flen[t] == 0)
			continue;
		ln->f[C_PERIOD] = r->field[x[A_PERIOD]], ln->n[C_PERIOD] = r->flen[x[A_PERIOD]];
		ln->f[C_ENTITY] = r->field[e], ln->n[C_ENTITY] = r->flen[e];
		ln->f[C_MERCHANT] = r->field[x[A_MERCHANT]];
		ln->n[C_MERCHANT] = r->flen[x[A_MERCHANT]];
		ln->f[C_CURRENCY] = r->field[x[A_CURRENCY]];
		ln->n[C_CURRENCY] = r->flen[x[A_CURRENCY]];
		ln->f[C_TYPE] = r->field[t], ln->n[C_TYPE] = r->flen[t];
		ln->f[C_AMOUNT] = r->field[a], ln->n[C_AMOUNT] = r->flen[a];
		ln->f[C_EVENT] = r->field[x[A_EVENT]], ln->n[C_EVENT] = r->flen[x[A_EVENT]];
		ln->f[C_ORDER] = r->field[x[A_ORDER]], ln->n[C_ORDER] = r->flen[x[A_ORDER]];
		ln->f[C_AT] = r->field[x[A_AT]], ln->n[C_AT] = r->flen[x[A_AT]];
		ln->f[C_LATE] = r->field[x[A_LATE]], ln->n[C_LATE] = r->flen[x[A_LATE]];
		ln->f[C_KIND] = r->field[x[A_KIND]], ln->n[C_KIND] = r->flen[x[A_KIND]];
		ln->f[C_SOURCE] = r->field[x[A_SOURCE]], ln->n[C_SOURCE] = r->flen[x[A_SOURCE]];
		ln->f[C_LINE] = r->field[x[A_LINE]], ln->n[C_LINE] = r->flen[x[A_LINE]];
		ln->f[C_CORRECTS] = "", ln->n[C_CORRECTS] = 0;
		ln->note = "", ln->note_n = 0;
		ln->row = NULL;
		ln->span = NULL;
		ln->keyed = 0;
		if (in->span) {
			ln->span = ln->f[C_EVENT];
			ln->span_n = (size_t)(ln->f[C_LINE] + ln->n[C_LINE] - ln->span);
		}
		ln->file = file;
		ln->lineno = r->line;
		n++;
	}
	return n;
}

/* Open an input and tell its format by its header. */
static void
_open(struct input *in, const char *path)
{
	int k;

	memset(in, 0, sizeof *in);
	in->note = -1;
	einput_open(&in->r, path);
	in->assigned = tsv_column(&in->r, "entity_1") >= 0;
	if (in->assigned) {
		einput_require(&in->r, assigned_cols, in->x, A_N);
		in->merchant = in->x[A_MERCHANT];
		in->span = 1;
		for (k = A_EVENT; k < A_LINE; k++)
			in->span &= in->x[k + 1] == in->x[k] + 1;
		return;
	}
	/* corrects is optional: lines written before credit notes lack it. */
	einput_require(&in->r, line_cols, in->x, C_CORRECTS);
	in->x[C_CORRECTS] = tsv_column(&in->r, line_cols[C_CORRECTS]);
	in->note = tsv_column(&in->r, "adjustment_reason");
	in->merchant = in->x[C_MERCHANT];
	in->canonical = in->r.ncol == C_N;
	for (k = 0; k < C_N; k++)
		in->canonical &= in->x[k] == k;
}

/* A line of another period, or not of this run's; a credit note's line
 * comes from the adjustments, never from the lines. */
static void
_check_period(const struct ctx *c, const struct line *ln)
{
	if (ln->n[C_PERIOD] != PERIOD_ID_LEN ||
	    memcmp(ln->f[C_PERIOD], c->period, PERIOD_ID_LEN) != 0)
		line_bad(ln, C_PERIOD, "a line of another period:");
	if (ln->n[C_CORRECTS])
		line_bad(ln, C_CORRECTS,
			 "a credit note's line among the lines (corrections come as "
			 "--adjustments):");
}

/* The state's held lines, one at a time: a few, from an earlier run, so
 * their merchant ids are checked again. */
static void
_released(struct ctx *c, struct input *in, const char *file)
{
	struct line ln;

	in->span = 0; /* rows split by einput_next: fields NUL-terminated */
	while (einput_next(&in->r)) {
		_lines_of(in, &ln, file);
		if (!ident_valid(ln.f[C_MERCHANT], ln.n[C_MERCHANT]))
			line_bad(&ln, C_MERCHANT, "not an identifier:");
		if (period_parse(ln.f[C_PERIOD], ln.n[C_PERIOD], &(int){0}) < 0)
			line_bad(&ln, C_PERIOD, "not a period:");
		if (ln.n[C_CORRECTS] && !ident_valid(ln.f[C_CORRECTS], ln.n[C_CORRECTS]))
			line_bad(&ln, C_CORRECTS, "not an invoice number:");
		book_route(c, &ln, book_merchant(c, &ln), 1);
	}
}

/* This period's lines are read in batches of rows straight from the
 * reader's buffer: every row is split once into its lines, its merchant's
 * table slot fetched ahead; then, step by step, the merchant record, the
 * lines' invoice slots and the invoices are fetched for the whole batch,
 * and only then are the lines routed, in input order.  The lookups of a
 * batch thus wait for memory together instead of one after another. */
enum { BATCH = 64 };

static struct {
	char *row[BATCH];
	size_t len[BATCH];
	uint64_t hash[BATCH];
	long id[BATCH];	      /* the merchant's index, or -1 */
	int first[BATCH + 1]; /* row i's lines are [first[i], first[i + 1]) */
	struct line ln[BATCH * SCHEMA_SLOTS];
	int key[BATCH * SCHEMA_SLOTS]; /* entity * TYPE_NTYPES + type, or -1 */
} b;

/* The slot key of a line, or -1 when its entity or type is unknown
 * (routing says which); the line keeps both for routing. */
static int
_key(const struct ctx *c, struct line *ln)
{
	int e = entities_find_n(&c->ent, ln->f[C_ENTITY], ln->n[C_ENTITY]);
	int t = schema_type_of(ln->f[C_TYPE], ln->n[C_TYPE]);

	ln->keyed = 1, ln->entity = e, ln->type = t;
	return e >= 0 && t >= 0 ? e * TYPE_NTYPES + t : -1;
}

/* Route the n rows of the batch. */
static void
_drain(struct ctx *c, int n)
{
	int i, j;

	/* Each step fetches what the next one reads: the merchant's id (its
	 * slot fetched as the rows were split), then its record. */
	for (i = 0; i < n; i++)
		strset_prefetch_step(&c->ms.ids, b.hash[i], 1);
	for (i = 0; i < n; i++)
		strset_prefetch_step(&c->ms.ids, b.hash[i], 2);
	for (i = 0; i < n; i++) {
		const struct line *ln = &b.ln[b.first[i]];

		b.id[i] = b.first[i] < b.first[i + 1]
				  ? strset_find_hashed(&c->ms.ids, ln->f[C_MERCHANT],
						       ln->n[C_MERCHANT], b.hash[i])
				  : -1;
		if (b.id[i] >= 0) {
			__builtin_prefetch(&c->ms.m[b.id[i]].missing);
			__builtin_prefetch(&c->slots[b.id[i]]);
		}
	}
	for (i = 0; i < n; i++) {
		const int32_t *s = b.id[i] >= 0 ? c->slots[b.id[i]] : NULL;

		for (j = b.first[i]; j < b.first[i + 1]; j++)
			if ((b.key[j] = _key(c, &b.ln[j])) >= 0 && s)
				__builtin_prefetch(&s[b.key[j]]);
	}
	for (i = 0; i < n; i++) {
		const int32_t *s = b.id[i] >= 0 ? c->slots[b.id[i]] : NULL;

		for (j = b.first[i]; s && j < b.first[i + 1]; j++)
			if (b.key[j] >= 0 && s[b.key[j]] >= 0)
				invoice_prefetch(&c->inv[s[b.key[j]]]);
	}
	for (i = 0; i < n; i++)
		for (j = b.first[i]; j < b.first[i + 1]; j++) {
			_check_period(c, &b.ln[j]);
			book_route(c, &b.ln[j], b.id[i] >= 0 ? &c->ms.m[b.id[i]] : NULL, 0);
		}
}

/* Every row of a stream input. */
static void
_stream(struct ctx *c, struct input *in, const char *file)
{
	tsv_reader *r = &in->r;
	int n, i, nl, rc;

	while ((n = tsv_read_many(r, b.row, b.len, BATCH)) > 0) {
		long line0 = r->line - n + 1;

		for (i = 0, nl = 0; i < n; i++) {
			if ((rc = tsv_split_buffered(r, b.row[i], b.len[i], line0 + i)) < 0)
				msg_fatal(EXIT_DATA, file, r->line, "%s", tsv_strerror(rc));
			einput_check_row(r);
			b.first[i] = nl;
			nl += _lines_of(in, &b.ln[nl], file);
			b.hash[i] = strset_hash(r->field[in->merchant], r->flen[in->merchant]);
			strset_prefetch(&c->ms.ids, b.hash[i]);
		}
		b.first[n] = nl;
		_drain(c, n);
	}
	if (n < 0)
		msg_fatal(EXIT_DATA, file, r->line, "%s", tsv_strerror(n));
}

/* One input. */
void
read_lines(struct ctx *c, const char *path, int released)
{
	struct input in;
	const char *file = strcmp(path, "-") == 0 ? "<stdin>" : path;

	_open(&in, path);
	if (released)
		_released(c, &in, file);
	else
		_stream(c, &in, file);
	tsv_close(&in.r);
}
