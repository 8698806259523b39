/* normalize-orders: the canonical event of an accepted row, written in
 * place in the output buffer; the rejects of the others. */
#include <string.h>

#include "fmt.h"
#include "ident.h"
#include "normalize.h"
#include "reject.h"
#include "rules/price.h"

/* How an output column is filled. */
enum form {
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

/* One output column: its form and, where it copies a field, the role. */
struct column {
	signed char form, role;
};

/* SCHEMA_EVENT_HEADER's columns; a role the source lacks is empty. */
static const struct column event_cols[] = {
	{F_KIND, -1},
	{F_SOURCE, -1},
	{F_LINE, -1},
	{F_EVENT_ID, -1},
	{F_COPY, COL_ORDER_ID},
	{F_COPY, COL_MERCHANT_ID},
	{F_AT, -1},
	{F_COPY, COL_CURRENCY},
	{F_SHIP_MODE, COL_SHIP_MODE},
	{F_COPY, COL_DEST_COUNTRY},
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
	{F_RAW, -1},
};

/* SCHEMA_CONFIRMATION_HEADER's columns. */
static const struct column confirmation_cols[] = {
	{F_SOURCE, -1}, {F_LINE, -1}, {F_EVENT_ID, -1}, {F_AT, -1}, {F_RAW, -1},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Write the columns of an accepted row straight into the output buffer:
 * a field is copied at most once (the primary id twice: it is the
 * event_id, and an order's order_id), raw escaped at most fourfold, each
 * formatted value within its FMT_* bound. */
static void
_write(struct ctx *c, out *dst, const struct column *cols, size_t ncols, const struct record *r,
       const check_values *v)
{
	size_t i, room = strlen(c->src->kind) + strlen(c->in->base) + 4 * r->rawlen + IDENT_MAX;
	char *o, *start;

	for (i = 0; i < r->nfield; i++)
		room += r->flen[i];
	room += ncols * (FMT_MONEY_MAX + FMT_TIME_MAX);
	o = start = eout_room(dst, room);
	for (i = 0; i < ncols; i++) {
		int role = cols[i].role, col = role >= 0 ? c->idx[role] : -1;
		char sep = i + 1 < ncols ? '\t' : '\n';

		if (role >= 0 && col < 0) {
			*o++ = sep;
			continue;
		}
		switch (cols[i].form) {
		case F_KIND: o = fmt_str(o, c->src->kind, sep); break;
		case F_SOURCE: o = fmt_str(o, c->in->base, sep); break;
		case F_LINE: o = fmt_long(o, r->line, sep); break;
		case F_EVENT_ID:
			col = c->idx[c->src->primary];
			o = fmt_field(o, r->field[col], r->flen[col], sep);
			break;
		case F_AT: o = fmt_time(o, v->num[c->src->decides], sep); break;
		case F_COPY: o = fmt_field(o, r->field[col], r->flen[col], sep); break;
		case F_TIME: o = fmt_time(o, v->num[role], sep); break;
		case F_MONEY: o = fmt_money(o, v->num[role], v->digits, sep); break;
		case F_MICRO: o = fmt_micro(o, v->num[role], sep); break;
		case F_JL_COST:
			if (v->has_jl_cost)
				o = fmt_money(o, v->num[role], v->digits, sep);
			else
				*o++ = sep;
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

/* An event on stdout, or a confirmation to its file. */
void
record_emit(struct ctx *c, const struct record *r, const check_values *v)
{
	if (c->in->kind == SRC_PAYOUTS_PAID)
		_write(c, c->conf, confirmation_cols, N(confirmation_cols), r, v);
	else
		_write(c, c->out, event_cols, N(event_cols), r, v);
}

/* The record to the rejects file, or on stderr without one. */
void
record_reject(struct ctx *c, const struct record *r, int reason)
{
	c->nrejected++;
	c->esc.len = 0;
	if (text_escape(&c->esc, r->raw, r->rawlen) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	if (!c->rej) {
		msg_warn(c->in->label, r->line, "rejected (%s): %s", reject_name(reason), c->esc.p);
		return;
	}
	if (reject_write(c->rej, c->in->base, r->line, reason, c->esc.p, c->esc.len) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
}
