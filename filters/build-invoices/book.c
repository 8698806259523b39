/* build-invoices: lines into invoices, held lines aside, the totals. */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "fmt.h"
#include "money.h"
#include "msg.h"
#include "period.h"
#include "rules/timing.h"

const char *const line_cols[C_N] = {
	"period",   "entity", "merchant_id", "currency", "type",   "amount", "event_id",
	"order_id", "at",     "late",	     "kind",	 "source", "line",   "corrects",
};

/* A bad field: file, line, column, value. */
void
line_bad(const struct line *ln, int col, const char *what)
{
	msg_fatal(EXIT_DATA, ln->file, ln->lineno, "field '%s': %s '%.*s'", line_cols[col], what,
		  (int)ln->n[col], ln->f[col]);
}

/* Why a merchant's lines cannot be invoiced, or NULL when they can. */
static const char *
_hold_reason(const merchant *m)
{
	if (!m)
		return "unknown";
	return m->missing ? "incomplete" : NULL;
}

/* The merchant of a line. */
const merchant *
book_merchant(const struct ctx *c, const struct line *ln)
{
	return merchants_find(&c->ms, ln->f[C_MERCHANT], ln->n[C_MERCHANT]);
}

/* Write a line: with `period` and `late` given (released lines), or as
 * read (its row, when it has one); with a hold reason, as a held line
 * (its adjustment's reason last).  Returns the bytes written. */
static size_t
_write_line(out *dst, const struct line *ln, const char *period, const char *late,
	    const char *reason)
{
	size_t room = FMT_PERIOD_MAX + 2 + 16 + ln->note_n, k;
	char *o, *start;

	if (ln->row && !period && !late && !reason) {
		o = start = eout_room(dst, ln->rowlen + 1);
		o = fmt_field(o, ln->row, ln->rowlen, '\n');
		out_commit(dst, (size_t)(o - start));
		return (size_t)(o - start);
	}
	for (k = 0; k < C_N; k++)
		room += ln->n[k] + 1;
	o = start = eout_room(dst, room);
	if (ln->span && !late) {
		/* An event's line: the columns it shares with the event's other
		 * lines in one copy (the span's length is the columns' and
		 * their tabs', within the room reserved). */
		for (k = 0; k < C_EVENT; k++)
			o = fmt_field(o, k == C_PERIOD && period ? period : ln->f[k],
				      k == C_PERIOD && period ? PERIOD_ID_LEN : ln->n[k], '\t');
		o = fmt_field(o, ln->span, ln->span_n, '\t');
		k = C_LINE + 1;
	} else {
		k = 0;
	}
	for (; k < C_N; k++) {
		const char *s = ln->f[k];
		size_t n = ln->n[k];

		if (k == C_PERIOD && period)
			s = period, n = PERIOD_ID_LEN;
		if (k == C_LATE && late)
			s = late, n = 1;
		o = fmt_field(o, s, n, k + 1 < C_N || reason ? '\t' : '\n');
	}
	if (reason) {
		o = fmt_str(o, reason, '\t');
		o = fmt_field(o, ln->note, ln->note_n, '\n');
	}
	out_commit(dst, (size_t)(o - start));
	return (size_t)(o - start);
}

/* A credit-note line's reason for the workbooks: its invoice's key, its
 * adjustment, the reason (SCHEMA_REASON_HEADER). */
static void
_write_reason(out *dst, const struct line *ln)
{
	static const int key[] = {C_ENTITY, C_MERCHANT, C_CURRENCY, C_TYPE, C_CORRECTS, C_EVENT};
	size_t room = ln->note_n + 1, k;
	char *o, *start;

	for (k = 0; k < 6; k++)
		room += ln->n[key[k]] + 1;
	o = start = eout_room(dst, room);
	for (k = 0; k < 6; k++)
		o = fmt_field(o, ln->f[key[k]], ln->n[key[k]], '\t');
	o = fmt_field(o, ln->note, ln->note_n, '\n');
	out_commit(dst, (size_t)(o - start));
}

/* Add a line of a known merchant to its invoice: entity known, currency
 * with `digits` decimals, amount parsed. */
static void
_invoice(struct ctx *c, const struct line *ln, const merchant *m, int entity, int digits,
	 int64_t amount)
{
	long mi = (long)(m - c->ms.m), id;
	int32_t *slot;
	int type;
	const char *cur = ln->f[C_CURRENCY];

	if (entity < 0)
		line_bad(ln, C_ENTITY, "entity not in entities.tsv:");
	if ((type = ln->keyed ? ln->type : schema_type_of(ln->f[C_TYPE], ln->n[C_TYPE])) < 0)
		line_bad(ln, C_TYPE, "not a line type:");
	if (!c->slots[mi])
		c->slots[mi] = c->slot_mem + (size_t)mi * c->ent.n * TYPE_NTYPES;
	slot = &c->slots[mi][entity * TYPE_NTYPES + type];
	for (id = *slot; id >= 0; id = c->inv[id].next)
		if (memcmp(c->inv[id].currency, cur, 3) == 0)
			break;
	if (id < 0) {
		struct invoice *v;

		c->inv = xgrow(c->inv, &c->capinv, c->ninv + 1, sizeof *c->inv);
		id = (long)c->ninv++;
		v = &c->inv[id];
		memset(v, 0, sizeof *v);
		v->entity = entity;
		memcpy(v->currency, cur, 3);
		v->merchant = mi;
		v->type = type;
		v->digits = digits;
		v->next = *slot;
		*slot = (int32_t)id;
	}
	c->inv[id].lines++;
	if (money_add(c->inv[id].amount, amount, &c->inv[id].amount) != MONEY_OK)
		msg_fatal(EXIT_DATA, ln->file, ln->lineno, "invoice amount out of range (%s %s %s)",
			  m->id, c->inv[id].currency, schema_type_code(type));
}

/* Add a line of a known merchant to the credit note of the invoice it
 * corrects: one per corrected invoice, made with its first line. */
void
book_credit(struct ctx *c, const struct line *ln, const merchant *m, int entity, int digits,
	    int64_t amount)
{
	long t = adjust_target(c, ln->f[C_CORRECTS], ln->n[C_CORRECTS]), id;
	int type = schema_type_of(ln->f[C_TYPE], ln->n[C_TYPE]);
	struct credit *v;

	if (entity < 0)
		line_bad(ln, C_ENTITY,
			 "entity not in entities.tsv (a credit note is numbered with its "
			 "entity's prefix):");
	if (type < 0)
		line_bad(ln, C_TYPE, "not a line type:");
	if ((id = c->tg[t].cn) < 0) {
		c->cn = xgrow(c->cn, &c->capcn, c->ncn + 1, sizeof *c->cn);
		id = (long)c->ncn++;
		v = &c->cn[id];
		memset(v, 0, sizeof *v);
		v->entity = entity;
		v->type = type;
		v->digits = digits;
		memcpy(v->currency, ln->f[C_CURRENCY], 3);
		v->merchant = (long)(m - c->ms.m);
		v->target = t;
		c->tg[t].cn = id;
	}
	v = &c->cn[id];
	/* A credit note's lines are all of its invoice's key. */
	if (v->entity != entity || v->type != type || v->merchant != (long)(m - c->ms.m) ||
	    memcmp(v->currency, ln->f[C_CURRENCY], 3) != 0)
		line_bad(ln, C_CORRECTS,
			 "a credit-note line whose entity, merchant, currency or type are not "
			 "those of the invoice it corrects:");
	v->lines++;
	if (money_add(v->amount, amount, &v->amount) != MONEY_OK)
		msg_fatal(EXIT_DATA, ln->file, ln->lineno, "credit note amount out of range (%.*s)",
			  (int)ln->n[C_CORRECTS], ln->f[C_CORRECTS]);
}

/* Hold a line: to the state and the held file, counted per merchant. */
static void
_hold(struct ctx *c, const struct line *ln, const merchant *m, const char *reason)
{
	int isnew;
	long id = strset_add(&c->held_ids, ln->f[C_MERCHANT], ln->n[C_MERCHANT], &isnew);

	if (id < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	if (isnew) {
		c->held = xgrow(c->held, &c->capheld, (size_t)id + 1, sizeof *c->held);
		c->held[id].merchant = xstrndup(ln->f[C_MERCHANT], ln->n[C_MERCHANT]);
		c->held[id].reason = reason;
		c->held[id].missing = m ? m->missing : 0;
		c->held[id].lines = 0;
	}
	c->held[id].lines++;
	_write_line(&c->held_state, ln, NULL, NULL, reason);
	if (c->has_held_file)
		_write_line(&c->held_file, ln, NULL, NULL, reason);
}

/* Add a line to measures `in` and `out` of its (entity, currency). */
static void
_sum(struct ctx *c, const struct line *ln, int entity, int in, int out, int64_t amount)
{
	int slot = money_currency_slot(ln->f[C_CURRENCY], ln->n[C_CURRENCY]);
	int32_t *k;
	struct sum *s;

	if (entity < 0) {
		char *e = xstrndup(ln->f[C_ENTITY], ln->n[C_ENTITY]);
		char *cur = xstrndup(ln->f[C_CURRENCY], ln->n[C_CURRENCY]);

		if (totals_add(&c->money, e, cur, (size_t)in, amount) < 0 ||
		    totals_add(&c->money, e, cur, (size_t)out, amount) < 0)
			msg_fatal(EXIT_DATA, ln->file, ln->lineno, "totals out of range");
		free(e), free(cur);
		return;
	}
	if (!c->sum_of) {
		size_t n = c->ent.n * MONEY_CURRENCY_SLOTS;

		c->sum_of = xmalloc(n * sizeof *c->sum_of);
		memset(c->sum_of, 0xff, n * sizeof *c->sum_of);
	}
	k = &c->sum_of[(size_t)entity * MONEY_CURRENCY_SLOTS + (size_t)slot];
	if (*k < 0) {
		c->sums = xgrow(c->sums, &c->capsums, c->nsums + 1, sizeof *c->sums);
		memset(&c->sums[c->nsums], 0, sizeof *c->sums);
		c->sums[c->nsums].entity = entity;
		c->sums[c->nsums].slot = slot;
		*k = (int32_t)c->nsums++;
	}
	s = &c->sums[*k];
	s->n[in]++, s->n[out]++;
	if (money_add(s->amount[in], amount, &s->amount[in]) != MONEY_OK ||
	    money_add(s->amount[out], amount, &s->amount[out]) != MONEY_OK)
		msg_fatal(EXIT_DATA, ln->file, ln->lineno, "totals out of range");
}

/* The summed measures into the totals report. */
void
book_totals(struct ctx *c)
{
	size_t i, t;

	for (i = 0; i < c->nsums; i++) {
		const struct sum *s = &c->sums[i];
		char cur[4] = {(char)('A' + s->slot / 676), (char)('A' + s->slot / 26 % 26),
			       (char)('A' + s->slot % 26), '\0'};

		for (t = 0; t < 4; t++)
			if (s->n[t] && totals_add_n(&c->money, c->ent.name[s->entity], cur, t,
						    s->n[t], s->amount[t]) < 0)
				msg_fatal(EXIT_DATA, NULL, 0, "totals out of range");
	}
}

/* Invoice or hold. */
void
book_route(struct ctx *c, const struct line *ln, const merchant *m, int released)
{
	const char *reason = _hold_reason(m);
	int digits = money_currency_digits(ln->f[C_CURRENCY], ln->n[C_CURRENCY]);
	int entity =
		ln->keyed ? ln->entity : entities_find_n(&c->ent, ln->f[C_ENTITY], ln->n[C_ENTITY]);
	int64_t amount;
	size_t len;

	if (digits < 0)
		line_bad(ln, C_CURRENCY, "not a currency:");
	if (money_parse(ln->f[C_AMOUNT], ln->n[C_AMOUNT], digits, &amount) != MONEY_OK)
		line_bad(ln, C_AMOUNT, "not an amount with the currency's decimals:");
	if (c->opt->totals)
		_sum(c, ln, entity, released ? T_CARRIED : T_NEW, reason ? T_HELD : T_INVOICED,
		     amount);
	if (reason) {
		_hold(c, ln, m, reason);
		return;
	}
	if (ln->n[C_CORRECTS])
		book_credit(c, ln, m, entity, digits, amount);
	else
		_invoice(c, ln, m, entity, digits, amount);
	if (ln->n[C_CORRECTS] && c->has_reasons)
		_write_reason(&c->reasons, ln);
	if (!c->has_lines)
		return;
	if (released) {
		int64_t at;

		if (period_parse_time(ln->f[C_AT], ln->n[C_AT], &at) < 0)
			line_bad(ln, C_AT, "not an ISO 8601 date or time:");
		len = _write_line(&c->lines, ln, c->period,
				  timing_late(at, c->opt->period) ? "1" : "0", NULL);
	} else {
		len = _write_line(&c->lines, ln, NULL, NULL, NULL);
	}
	if (c->has_lines_index && lineidx_add(&c->lines_index, (uint32_t)(m - c->ms.m), len) < 0)
		msg_fatal(EXIT_DATA, ln->file, ln->lineno, "the lines' index (--lines-index):");
}
