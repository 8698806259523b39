/* normalize-orders: the canonical event of an accepted row, written in
 * place in the output buffer; the rejects of the others. */
#include <string.h>

#include "fmt.h"
#include "ident.h"
#include "normalize.h"
#include "period.h"
#include "reject.h"
#include "rules/price.h"

/* How an output column is filled. */
enum form {
	F_CONST,     /* bytes the same in every row (plans only) */
	F_KIND,	     /* the source's event kind */
	F_SOURCE,    /* the file name */
	F_LINE,	     /* the record's line */
	F_EVENT_ID,  /* the primary id */
	F_AT,	     /* the deciding date */
	F_COPY,	     /* the role's field as read */
	F_TIME,	     /* the role's instant, canonical */
	F_MONEY,     /* the role's money, canonical */
	F_MICRO,     /* the role's decimal, shortest */
	F_JL_COST,   /* money when given, else empty */
	F_SHIP_MODE, /* the mode's name */
	F_REASON,    /* the reason's name */
	F_RAW	     /* the record, escaped */
};

/* One output column: its form and, where it reads a field, the role. */
struct column {
	signed char form, role;
};

/* SCHEMA_EVENT_HEADER's columns; a role the source lacks is empty. */
static const struct column event_cols[] = {
	{F_COPY, COL_MERCHANT_ID},
	{F_COPY, COL_CURRENCY},
	{F_EVENT_ID, -1},
	{F_COPY, COL_ORDER_ID},
	{F_AT, -1},
	{F_KIND, -1},
	{F_SOURCE, -1},
	{F_LINE, -1},
	{F_COPY, COL_DEST_COUNTRY},
	{F_SHIP_MODE, COL_SHIP_MODE},
	{F_COPY, COL_CATEGORY},
	{F_TIME, COL_SHIPPED_AT},
	{F_MONEY, COL_PRODUCT_PRICE},
	{F_MONEY, COL_SHIPPING_PRICE},
	{F_JL_COST, COL_JL_COST},
	{F_REASON, COL_REASON},
	{F_MICRO, COL_FRACTION},
	{F_MONEY, COL_ND_COMPENSATION},
	{F_MONEY, COL_AMOUNT},
	{F_MICRO, COL_DECLARED_G},
	{F_MICRO, COL_ACTUAL_G},
	{F_MONEY, COL_COST_DECLARED},
	{F_MONEY, COL_COST_ACTUAL},
};

/* SCHEMA_CONFIRMATION_HEADER's columns. */
static const struct column confirmation_cols[] = {
	{F_SOURCE, -1}, {F_LINE, -1}, {F_EVENT_ID, -1}, {F_AT, -1}, {F_RAW, -1},
};

/* SCHEMA_REQUEST_IN_HEADER's and SCHEMA_MERCHANT_INVOICE_HEADER's. */
static const struct column request_cols[] = {
	{F_SOURCE, -1},	      {F_LINE, -1},	      {F_EVENT_ID, -1}, {F_COPY, COL_MERCHANT_ID},
	{F_COPY, COL_ENTITY}, {F_COPY, COL_CURRENCY}, {F_AT, -1},
};
static const struct column merchant_invoice_cols[] = {
	{F_SOURCE, -1}, {F_LINE, -1}, {F_EVENT_ID, -1}, {F_COPY, COL_MERCHANT_INVOICE_NO},
	{F_AT, -1},
};

/* SCHEMA_ADJUSTMENT_HEADER's columns. */
static const struct column adjustment_cols[] = {
	{F_SOURCE, -1},		{F_LINE, -1},
	{F_EVENT_ID, -1},	{F_COPY, COL_INVOICE_NO},
	{F_COPY, COL_CURRENCY}, {F_MONEY, COL_AMOUNT},
	{F_COPY, COL_REASON},	{F_AT, -1},
	{F_COPY, COL_EVENT_ID},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Append bytes to the plan's constants. */
static void
_const(struct ctx *c, const char *s, size_t n)
{
	if (text_append(&c->cst, s, n) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
}

/* The plan of the current input: each output column's form, the column
 * it reads and the role of the value the checks parsed.  What is the same
 * for every row (the kind, the file name, the columns the source lacks:
 * empty) is one constant run of bytes, separators included. */
void
emit_plan(struct ctx *c)
{
	const struct column *cols = event_cols;
	size_t i, n = N(event_cols), k = 0, from = 0;

	if (c->in->kind == SRC_PAYOUTS_PAID)
		cols = confirmation_cols, n = N(confirmation_cols);
	if (c->in->kind == SRC_PAYOUT_REQUESTS)
		cols = request_cols, n = N(request_cols);
	if (c->in->kind == SRC_MERCHANT_INVOICES)
		cols = merchant_invoice_cols, n = N(merchant_invoice_cols);
	if (c->in->kind == SRC_ADJUSTMENTS)
		cols = adjustment_cols, n = N(adjustment_cols);
	c->cst.len = 0;
	for (i = 0; i < n; i++) {
		int role = cols[i].role, form = cols[i].form;
		int col = form == F_EVENT_ID ? c->idx[c->src->primary]
			  : role >= 0	     ? c->idx[role]
					     : -1;
		const char *sep = i + 1 < n ? "\t" : "\n";

		if (form == F_KIND || form == F_SOURCE || (role >= 0 && col < 0)) {
			if (form == F_KIND)
				_const(c, c->src->kind, strlen(c->src->kind));
			if (form == F_SOURCE)
				_const(c, c->in->base, strlen(c->in->base));
			_const(c, sep, 1);
			continue;
		}
		if (c->cst.len > from) {
			c->plan[k].form = F_CONST;
			c->plan[k].has = 0;
			c->plan[k].col = (int)from;
			c->plan[k++].len = c->cst.len - from;
			from = c->cst.len;
		}
		c->plan[k].form = (signed char)form;
		c->plan[k].role = (signed char)role;
		c->plan[k].sep = *sep;
		c->plan[k].has = col >= 0;
		c->plan[k].col = col;
		c->plan[k++].len = 0;
	}
	if (c->cst.len > from) {
		c->plan[k].form = F_CONST;
		c->plan[k].has = 0;
		c->plan[k].col = (int)from;
		c->plan[k++].len = c->cst.len - from;
	}
	c->nplan = k;
}

/* 1 when s[0..n), money worth v with d decimals, is written as
 * money_format() would write it: then it is copied, not formatted. */
static int
_canonical_money(const char *s, size_t n, int d, int64_t v)
{
	size_t neg = s[0] == '-';

	if (neg && v == 0)
		return 0; /* -0.00 is 0.00 */
	if (d == 0 ? memchr(s, '.', n) != NULL : n < (size_t)d + 2 + neg || s[n - d - 1] != '.')
		return 0;
	/* No leading zero but the one before the point. */
	return s[neg] != '0' || n - neg == (size_t)(d ? d + 2 : 1);
}

/* Write the columns of an accepted row straight into the output buffer:
 * a field is copied at most once (the primary id twice: it is the
 * event_id, and an order's order_id), raw escaped at most fourfold (only
 * confirmations carry it), each formatted value within its FMT_* bound. */
static void
_write(struct ctx *c, out *dst, const struct record *r, const check_values *v)
{
	size_t i, np = c->nplan;
	size_t room = c->cst.len + 5 * r->rawlen + IDENT_MAX + np * (FMT_MONEY_MAX + FMT_TIME_MAX);
	char *o = eout_room(dst, room), *start = o;

	for (i = 0; i < np; i++) {
		const struct plan *pl = &c->plan[i];
		/* Each value but the last column ends with a tab; the last
		 * with the newline (a constant run holds its own). */
		char sep = pl->sep;
		const char *s = pl->has ? r->field[pl->col] : NULL;
		size_t n = pl->has ? r->flen[pl->col] : 0;

		switch (pl->form) {
		case F_CONST:
			memcpy(o, c->cst.p + pl->col, pl->len);
			o += pl->len;
			break;
		case F_LINE: o = fmt_long(o, r->line, sep); break;
		case F_EVENT_ID:
		case F_COPY: o = fmt_field(o, s, n, sep); break;
		case F_AT:
			s = r->field[c->idx[c->src->decides]];
			n = r->flen[c->idx[c->src->decides]];
			/* A time of 20 bytes that parsed is YYYY-MM-DDTHH:MM:SSZ. */
			if (n == PERIOD_TIME_LEN)
				o = fmt_field(o, s, n, sep);
			else
				o = fmt_time(o, v->num[c->src->decides], sep);
			break;
		case F_TIME:
			if (n == PERIOD_TIME_LEN)
				o = fmt_field(o, s, n, sep);
			else
				o = fmt_time(o, v->num[pl->role], sep);
			break;
		case F_MONEY:
			if (n && _canonical_money(s, n, v->digits, v->num[pl->role]))
				o = fmt_field(o, s, n, sep);
			else
				o = fmt_money(o, v->num[pl->role], v->digits, sep);
			break;
		case F_MICRO: o = fmt_micro(o, v->num[pl->role], sep); break;
		case F_JL_COST:
			if (!v->has_jl_cost)
				*o++ = sep;
			else if (_canonical_money(s, n, v->digits, v->num[pl->role]))
				o = fmt_field(o, s, n, sep);
			else
				o = fmt_money(o, v->num[pl->role], v->digits, sep);
			break;
		case F_SHIP_MODE: o = fmt_str(o, price_ship_mode_name(v->ship_mode), sep); break;
		case F_REASON: o = fmt_str(o, price_refund_reason_name(v->reason), sep); break;
		case F_RAW:
			o += text_escape_to(o, r->raw, r->rawlen);
			*o++ = sep;
			break;
		}
	}
	out_commit(dst, (size_t)(o - start));
}

/* An event on stdout; a confirmation, a payout request, a merchant's
 * invoice or an adjustment to its file. */
void
record_emit(struct ctx *c, const struct record *r, const check_values *v)
{
	out *dst = c->out;

	switch (c->in->kind) {
	case SRC_PAYOUTS_PAID: dst = c->conf; break;
	case SRC_PAYOUT_REQUESTS: dst = c->req; break;
	case SRC_MERCHANT_INVOICES: dst = c->minv; break;
	case SRC_ADJUSTMENTS: dst = c->adj; break;
	}
	_write(c, dst, r, v);
}

/* The record to the rejects file, or on stderr without one. */
void
record_reject(struct ctx *c, const struct record *r, int reason, int col)
{
	const char *field = col >= 0 && (size_t)col < c->ncol ? c->names[col] : "";

	c->nrejected++;
	c->esc.len = 0;
	if (text_escape(&c->esc, r->raw, r->rawlen) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	if (!c->rej) {
		msg_warn(c->in->label, r->line, "rejected (%s%s%s): %s", reject_name(reason),
			 *field ? ", field " : "", field, c->esc.p);
		return;
	}
	if (reject_write(c->rej, c->in->base, r->line, reason, field, c->esc.p, c->esc.len) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
}
