/* build-invoices: adjustments of issued invoices (SPEC 12).  Each row of
 * normalize-orders' adjustments file names an invoice; the register of
 * the state read says whether it was issued, and of what entity,
 * merchant, currency and type.  An accepted row is a line of that
 * invoice's credit note, routed like any line (held while the merchant's
 * record is incomplete); the others are rejected unknown_invoice or
 * currency_mismatch (rules/checks).  Each corrected invoice is looked up
 * once. */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "ident.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "period.h"
#include "reject.h"
#include "rules/checks.h"
#include "rules/timing.h"

enum { J_SOURCE, J_LINE, J_ID, J_INVOICE, J_CURRENCY, J_AMOUNT, J_REASON, J_AT, J_EVENT, J_N };
static const char *const adj_cols[J_N] = {
	"source", "line", "adjustment_id", "invoice_no", "currency", "amount",
	"reason", "at",	  "event_id",
};

/* A register that cannot be read, or is not as its run wrote it. */
void
register_fail(const struct ctx *c, int rc)
{
	if (rc == DOCREG_EIO)
		msg_fatal(EXIT_DATA, c->reg.err_file, c->reg.err_line, "cannot read: %s",
			  docreg_strerror(rc));
	msg_fatal(rc == DOCREG_ENOMEM ? EXIT_DATA : EXIT_USAGE, c->reg.err_file, c->reg.err_line,
		  "%s%s", docreg_strerror(rc),
		  rc == DOCREG_ENOMEM ? ""
				      : ": the state was changed; restore it, or run the periods "
					"again from the last good one");
}

/* The target numbered no[0..n): made, and looked up, the first time. */
long
adjust_target(struct ctx *c, const char *no, size_t n)
{
	int isnew, rc;
	long id = strset_add(&c->targets, no, n, &isnew);
	struct target *t;

	if (id < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	if (isnew) {
		c->tg = xgrow(c->tg, &c->captg, (size_t)id + 1, sizeof *c->tg);
		memset(&c->tg[id], 0, sizeof c->tg[id]);
		c->tg[id].cn = -1;
	}
	t = &c->tg[id];
	if (t->looked)
		return id;
	rc = docreg_find(&c->reg, no, n, &t->doc);
	if (rc < 0)
		register_fail(c, rc);
	t->looked = 1;
	t->found = rc == 1;
	return id;
}

/* Reject a row: by source and line, the pipeline fetches its raw bytes
 * (fetch-raw); without --rejects, on stderr. */
static void
_reject(struct ctx *c, const tsv_reader *r, const int *x, int reason, int role)
{
	long line = einput_count(r, x[J_LINE]);

	if (!c->has_rejects)
		msg_warn(r->field[x[J_SOURCE]], line, "rejected (%s, field %s): invoice '%s'",
			 reject_name(reason), check_col_name(role), r->field[x[J_INVOICE]]);
	else if (reject_write(&c->rejects, r->field[x[J_SOURCE]], line, reason,
			      check_col_name(role), "", 0) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
}

/* Count a row of its source in column col of the --counts report. */
static void
_tally(struct ctx *c, const tsv_reader *r, const int *x, size_t col)
{
	int k = x[J_SOURCE];

	if (tally_add(&c->counts, r->field[k], r->flen[k], 0, 1) < 0 ||
	    tally_add(&c->counts, r->field[k], r->flen[k], col, 1) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
}

/* Every adjustment, in order: checked, then a line of its invoice's
 * credit note (kind adjustment, event_id the adjustment_id, order_id the
 * row's event_id) or a reject. */
void
adjust_read(struct ctx *c, const char *path)
{
	tsv_reader r;
	int x[J_N];

	einput_open(&r, path);
	einput_require(&r, adj_cols, x, J_N);
	while (einput_next(&r)) {
		struct line ln;
		const struct target *t;
		const char *cur = r.field[x[J_CURRENCY]];
		int role, reason, digits;
		int64_t at;
		long id;

		einput_ident(&r, x[J_ID]);
		einput_ident(&r, x[J_INVOICE]);
		if (r.flen[x[J_EVENT]])
			einput_ident(&r, x[J_EVENT]);
		einput_count(&r, x[J_LINE]);
		digits = einput_currency(&r, x[J_CURRENCY]);
		einput_money(&r, x[J_AMOUNT], digits); /* checked here, added by book_route() */
		at = einput_time(&r, x[J_AT]);
		if (!check_text(r.field[x[J_REASON]], r.flen[x[J_REASON]], CHECK_TEXT_MAX))
			einput_bad(&r, x[J_REASON], "not a reason a document can show:");
		if (timing_future(at, c->opt->period))
			einput_bad(&r, x[J_AT], "after the period:");
		id = adjust_target(c, r.field[x[J_INVOICE]], r.flen[x[J_INVOICE]]);
		t = &c->tg[id]; /* after the call: it may move c->tg */
		reason =
			check_adjustment_target(t->found, t->doc.kind, t->doc.currency, cur, &role);
		if (reason != CHECK_OK) {
			_reject(c, &r, x, reason, role);
			_tally(c, &r, x, 2);
			continue;
		}
		_tally(c, &r, x, 1);
		memset(&ln, 0, sizeof ln);
		ln.f[C_PERIOD] = c->period, ln.n[C_PERIOD] = PERIOD_ID_LEN;
		ln.f[C_ENTITY] = t->doc.entity, ln.n[C_ENTITY] = strlen(t->doc.entity);
		ln.f[C_MERCHANT] = t->doc.merchant, ln.n[C_MERCHANT] = strlen(t->doc.merchant);
		ln.f[C_CURRENCY] = cur, ln.n[C_CURRENCY] = 3;
		ln.f[C_TYPE] = schema_type_code(t->doc.type);
		ln.n[C_TYPE] = strlen(ln.f[C_TYPE]);
		ln.f[C_AMOUNT] = r.field[x[J_AMOUNT]], ln.n[C_AMOUNT] = r.flen[x[J_AMOUNT]];
		ln.f[C_EVENT] = r.field[x[J_ID]], ln.n[C_EVENT] = r.flen[x[J_ID]];
		ln.f[C_ORDER] = r.field[x[J_EVENT]], ln.n[C_ORDER] = r.flen[x[J_EVENT]];
		ln.f[C_AT] = r.field[x[J_AT]], ln.n[C_AT] = r.flen[x[J_AT]];
		ln.f[C_LATE] = timing_late(at, c->opt->period) ? "1" : "0", ln.n[C_LATE] = 1;
		ln.f[C_KIND] = "adjustment", ln.n[C_KIND] = 10;
		ln.f[C_SOURCE] = r.field[x[J_SOURCE]], ln.n[C_SOURCE] = r.flen[x[J_SOURCE]];
		ln.f[C_LINE] = r.field[x[J_LINE]], ln.n[C_LINE] = r.flen[x[J_LINE]];
		ln.f[C_CORRECTS] = r.field[x[J_INVOICE]], ln.n[C_CORRECTS] = r.flen[x[J_INVOICE]];
		ln.note = r.field[x[J_REASON]], ln.note_n = r.flen[x[J_REASON]];
		ln.file = r.name;
		ln.lineno = r.line;
		book_route(c, &ln, book_merchant(c, &ln), 0);
	}
	tsv_close(&r);
}
