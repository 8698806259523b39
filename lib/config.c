/* config: loading entities.tsv (and the other shared configuration). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "schema.h"

/* Load and check the rules. */
void
config_entities(entities *e, const char *path)
{
	static const char *const cols[] = {"rule", "entity", "prefix"};
	tsv_reader r;
	int idx[3];
	size_t i;

	memset(e, 0, sizeof *e);
	input_open(&r, path);
	input_require(&r, cols, idx, 3);
	while (input_next(&r)) {
		const char *rule = r.field[idx[0]], *ent = r.field[idx[1]], *pre = r.field[idx[2]];
		entity_rule nr = {0, -1, NULL, -1};
		long ei = -1;

		if (strcmp(rule, "*") == 0) {
			nr.kind = RULE_ANY;
		} else if (strncmp(rule, "type:", 5) == 0) {
			nr.kind = RULE_TYPE;
			nr.type = schema_type_of(rule + 5, strlen(rule + 5));
			if (nr.type < 0)
				input_bad(&r, idx[0],
					  "not a line type (R, RCM, AD, RJL, JLO, RJLCM, "
					  "JLOCM, JLD, ND, IW):");
		} else if (strncmp(rule, "country:", 8) == 0 && rule[8]) {
			nr.kind = RULE_COUNTRY;
			nr.country = xstrdup(rule + 8);
		} else {
			input_bad(&r, idx[0], "not a rule (type:T, country:C or *):");
		}
		input_ident(&r, idx[1]);
		input_ident(&r, idx[2]);
		for (i = 0; i < e->nrule; i++) {
			const entity_rule *o = &e->rule[i];

			if (o->kind == nr.kind && o->type == nr.type &&
			    (nr.kind != RULE_COUNTRY || strcmp(o->country, nr.country) == 0))
				input_bad(&r, idx[0], "rule given twice:");
		}
		for (i = 0; i < e->n; i++) {
			if (strcmp(e->name[i], ent) == 0) {
				if (strcmp(e->prefix[i], pre) != 0)
					input_bad(&r, idx[2], "entity already has another prefix:");
				ei = (long)i;
			} else if (strcmp(e->prefix[i], pre) == 0) {
				input_bad(&r, idx[2], "prefix already used by another entity:");
			}
		}
		if (ei < 0) {
			e->name = xrealloc(e->name, (e->n + 1) * sizeof *e->name);
			e->prefix = xrealloc(e->prefix, (e->n + 1) * sizeof *e->prefix);
			e->name[e->n] = xstrdup(ent);
			e->prefix[e->n] = xstrdup(pre);
			ei = (long)e->n++;
		}
		nr.entity = (int)ei;
		e->rule = xrealloc(e->rule, (e->nrule + 1) * sizeof *e->rule);
		e->rule[e->nrule++] = nr;
	}
	tsv_close(&r);
}

/* First matching rule. */
int
entities_match(const entities *e, int type, const char *country)
{
	size_t i;

	for (i = 0; i < e->nrule; i++) {
		const entity_rule *ru = &e->rule[i];

		if (ru->kind == RULE_ANY || (ru->kind == RULE_TYPE && ru->type == type) ||
		    (ru->kind == RULE_COUNTRY && country[0] && strcmp(ru->country, country) == 0))
			return ru->entity;
	}
	return -1;
}

/* Name lookup. */
int
entities_find(const entities *e, const char *name)
{
	return entities_find_n(e, name, strlen(name));
}

/* Name lookup by length. */
int
entities_find_n(const entities *e, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strlen(e->name[i]) == n && memcmp(e->name[i], name, n) == 0)
			return (int)i;
	return -1;
}

/* Free everything. */
void
entities_free(entities *e)
{
	size_t i;

	for (i = 0; i < e->nrule; i++)
		free(e->rule[i].country);
	for (i = 0; i < e->n; i++) {
		free(e->name[i]);
		free(e->prefix[i]);
	}
	free(e->rule);
	free(e->name);
	free(e->prefix);
	memset(e, 0, sizeof *e);
}

/* A copy of a field; a field of blanks becomes empty. */
static char *
_text(const tsv_reader *r, int col)
{
	const char *s = r->field[col];
	size_t i;

	for (i = 0; i < r->flen[col] && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	return xstrdup(i == r->flen[col] ? "" : s);
}

/* Load and check every merchant. */
void
config_merchants(merchants *ms, const char *path)
{
	static const char *const cols[] = {
		"merchant_id", "legal_name", "address", "postal_code",
		"city",	       "country",    "vat_id",	"payout_delay_days",
		"min_payout",  "payout_ok",  "frozen",
	};
	tsv_reader r;
	int x[11], isnew;
	size_t cap = 0;

	memset(ms, 0, sizeof *ms);
	input_open(&r, path);
	input_require(&r, cols, x, 11);
	while (input_next(&r)) {
		merchant m;
		long id;

		memset(&m, 0, sizeof m);
		input_ident(&r, x[0]);
		id = strset_add(&ms->ids, r.field[x[0]], r.flen[x[0]], &isnew);
		if (id < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		if (!isnew)
			input_bad(&r, x[0], "merchant listed twice:");
		m.id = xstrdup(r.field[x[0]]);
		m.legal_name = _text(&r, x[1]);
		m.address = _text(&r, x[2]);
		m.postal_code = _text(&r, x[3]);
		m.city = _text(&r, x[4]);
		m.country = _text(&r, x[5]);
		m.vat_id = _text(&r, x[6]);
		m.missing = (!m.legal_name[0] ? MISSING_LEGAL_NAME : 0) |
			    (!m.address[0] ? MISSING_ADDRESS : 0) |
			    (!m.postal_code[0] ? MISSING_POSTAL_CODE : 0) |
			    (!m.city[0] ? MISSING_CITY : 0);
		m.delay_days = r.flen[x[7]] ? input_count(&r, x[7]) : 0;
		if (r.flen[x[8]]) {
			m.min_payout = input_micro(&r, x[8]);
			if (m.min_payout < 0)
				input_bad(&r, x[8], "negative minimum:");
		}
		m.payout_ok = r.flen[x[9]] ? input_flag(&r, x[9]) : 0;
		m.frozen = r.flen[x[10]] ? input_flag(&r, x[10]) : 0;
		if (ms->n == cap) {
			cap = cap ? cap * 2 : 256;
			ms->m = xrealloc(ms->m, cap * sizeof *ms->m);
		}
		ms->m[ms->n++] = m;
	}
	tsv_close(&r);
}

/* Lookup by id. */
const merchant *
merchants_find(const merchants *ms, const char *id, size_t n)
{
	long i = strset_find(&ms->ids, id, n);

	return i < 0 ? NULL : &ms->m[i];
}

/* Field names for a message. */
void
merchants_missing_names(unsigned missing, char *buf, size_t cap)
{
	static const char *const names[] = {"legal_name", "address", "postal_code", "city"};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < 4; i++)
		if (missing & (1u << i))
			n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", n ? ", " : "",
					      names[i]);
}

/* Ceiling of micro x 10^digits / 10^6. */
int64_t
merchant_min_payout(const merchant *m, int digits)
{
	__int128 v = (__int128)m->min_payout;
	int i;

	for (i = 0; i < digits; i++)
		v *= 10;
	v = (v + MONEY_MICRO - 1) / MONEY_MICRO;
	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* Free every record. */
void
merchants_free(merchants *ms)
{
	size_t i;

	for (i = 0; i < ms->n; i++) {
		merchant *m = &ms->m[i];

		free(m->id), free(m->legal_name), free(m->address), free(m->postal_code);
		free(m->city), free(m->country), free(m->vat_id);
	}
	free(ms->m);
	strset_free(&ms->ids);
	memset(ms, 0, sizeof *ms);
}
