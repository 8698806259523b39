/* config: loading entities.tsv (and the other shared configuration). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "ident.h"
#include "input.h"
#include "money.h"
#include "msg.h"
#include "rules/docno.h"
#include "rules/payout.h"
#include "schema.h"

/* Load and check the rules; the rules themselves are rules/entity's. */
void
econfig_entities(entities *e, const char *path)
{
	static const char *const cols[] = {"rule", "entity", "prefix"};
	tsv_reader r;
	int idx[3];

	memset(e, 0, sizeof *e);
	einput_open(&r, path);
	einput_require(&r, cols, idx, 3);
	while (einput_next(&r)) {
		entity_rule nr;
		int rc = entity_rule_parse(r.field[idx[0]], &nr);

		if (rc == ENTITY_ETYPE)
			einput_bad(&r, idx[0],
				   "not a line type (R, RCM, AD, RJL, JLO, RJLCM, JLOCM, JLD, ND, "
				   "IW):");
		if (rc == ENTITY_ERULE)
			einput_bad(&r, idx[0], "not a rule (type:T, country:C or *):");
		if (rc == ENTITY_ENOMEM)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		einput_ident(&r, idx[1]);
		einput_ident(&r, idx[2]);
		if (r.flen[idx[2]] > DOCNO_PREFIX_MAX)
			einput_bad(&r, idx[2],
				   "a prefix is at most 40 bytes (document numbers made of it must "
				   "stay "
				   "identifiers of at most 64):");
		switch (entities_add(e, nr, r.field[idx[1]], r.field[idx[2]])) {
		case ENTITY_OK: break;
		case ENTITY_ETWICE: einput_bad(&r, idx[0], "rule given twice:");
		case ENTITY_EPREFIX: einput_bad(&r, idx[2], "entity already has another prefix:");
		case ENTITY_EPREFIX_USED:
			einput_bad(&r, idx[2], "prefix already used by another entity:");
		case ENTITY_EPREFIX_KIND:
			einput_bad(
				&r, idx[2],
				"a prefix must not start with PO- or CN- (payout and credit note "
				"numbers):");
		default: msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		}
	}
	tsv_close(&r);
}

/* The bytes of a text field to keep: all of them, or none for a field
 * of blanks (it counts as empty). */
static size_t
_kept(const tsv_reader *r, int col)
{
	const char *s = r->field[col];
	size_t i;

	for (i = 0; i < r->flen[col] && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	return i == r->flen[col] ? 0 : r->flen[col];
}

/* A copy of a field, as kept. */
static char *
_text(const tsv_reader *r, int col)
{
	return xstrndup(r->field[col], _kept(r, col));
}

/* The merchants' texts go into blocks of this size (a longer text into
 * one of its own), which never move: one allocation per block, not seven
 * per merchant. */
enum { TEXT_BLOCK = 64 * 1024 };

struct merchant_texts {
	struct merchant_texts *next;
	size_t used, cap;
	char text[];
};

/* A copy of s[0..n) among the merchants' texts. */
static char *
_keep(merchants *ms, const char *s, size_t n)
{
	struct merchant_texts *b = ms->texts;
	char *p;

	if (!b || b->cap - b->used < n + 1) {
		size_t cap = n + 1 > TEXT_BLOCK ? n + 1 : TEXT_BLOCK;

		b = xmalloc(sizeof *b + cap);
		b->next = ms->texts;
		b->used = 0;
		b->cap = cap;
		ms->texts = b;
	}
	p = b->text + b->used;
	memcpy(p, s, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

/* A merchant's text field, as kept, among the merchants' texts. */
static char *
_merchant_text(merchants *ms, const tsv_reader *r, int col)
{
	return _keep(ms, r->field[col], _kept(r, col));
}

/* Load and check every merchant. */
void
econfig_merchants(merchants *ms, const char *path)
{
	static const char *const cols[] = {
		"merchant_id", "legal_name", "address", "postal_code",
		"city",	       "country",    "vat_id",	"payout_delay_days",
		"min_payout",  "payout_ok",  "frozen",
	};
	tsv_reader r;
	int x[11], isnew, k, mode;
	size_t cap = 0;

	memset(ms, 0, sizeof *ms);
	einput_open(&r, path);
	einput_require(&r, cols, x, 11);
	mode = tsv_column(&r, "payout_mode"); /* SPEC 14: optional */
	while (einput_next(&r)) {
		merchant m;
		long id;

		memset(&m, 0, sizeof m);
		einput_ident(&r, x[0]);
		id = strset_add(&ms->ids, r.field[x[0]], r.flen[x[0]], &isnew);
		if (id < 0)
			msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
		if (!isnew)
			einput_bad(&r, x[0], "merchant listed twice:");
		m.id = _keep(ms, r.field[x[0]], r.flen[x[0]]);
		/* Text that goes on documents: valid, printable, whole (a NUL
		 * would cut it short where it is copied). */
		for (k = 1; k <= 6; k++)
			einput_text(&r, x[k]);
		m.legal_name = _merchant_text(ms, &r, x[1]);
		m.address = _merchant_text(ms, &r, x[2]);
		m.postal_code = _merchant_text(ms, &r, x[3]);
		m.city = _merchant_text(ms, &r, x[4]);
		m.country = _merchant_text(ms, &r, x[5]);
		m.vat_id = _merchant_text(ms, &r, x[6]);
		m.missing = (!m.legal_name[0] ? MISSING_LEGAL_NAME : 0) |
			    (!m.address[0] ? MISSING_ADDRESS : 0) |
			    (!m.postal_code[0] ? MISSING_POSTAL_CODE : 0) |
			    (!m.city[0] ? MISSING_CITY : 0);
		m.delay_days = r.flen[x[7]] ? einput_count(&r, x[7]) : 0;
		if (r.flen[x[8]]) {
			m.min_payout = einput_micro(&r, x[8]);
			if (m.min_payout < 0)
				einput_bad(&r, x[8], "negative minimum:");
		}
		m.payout_ok = r.flen[x[9]] ? einput_flag(&r, x[9]) : 0;
		m.frozen = r.flen[x[10]] ? einput_flag(&r, x[10]) : 0;
		if (mode >= 0 && (m.payout_mode = payout_mode_of(r.field[mode], r.flen[mode])) < 0)
			einput_bad(&r, mode,
				   "not a payout mode (auto, request, or empty for auto):");
		ms->m = xgrow(ms->m, &cap, ms->n + 1, sizeof *ms->m);
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
	struct merchant_texts *b, *next;

	for (b = ms->texts; b; b = next) {
		next = b->next;
		free(b);
	}
	free(ms->m);
	strset_free(&ms->ids);
	memset(ms, 0, sizeof *ms);
}

/* Load and check every issuer. */
void
econfig_issuers(issuers *is, const char *path, const entities *e)
{
	static const char *const cols[] = {
		"entity", "legal_name", "address", "postal_code",
		"city",	  "country",	"vat_id",  "registration",
	};
	tsv_reader r;
	int x[8], k;
	size_t cap = 0, j;

	memset(is, 0, sizeof *is);
	if (!path || !*path)
		return;
	einput_open(&r, path);
	einput_require(&r, cols, x, 8);
	while (einput_next(&r)) {
		issuer v;
		char **f[8];

		einput_ident(&r, x[0]);
		if (e && entities_find(e, r.field[x[0]]) < 0)
			einput_bad(&r, x[0], "not an entity of entities.tsv:");
		for (j = 0; j < is->n; j++)
			if (strcmp(is->i[j].entity, r.field[x[0]]) == 0)
				einput_bad(&r, x[0], "entity listed twice:");
		for (k = 1; k < 8; k++)
			einput_text(&r, x[k]);
		f[0] = &v.entity, f[1] = &v.legal_name, f[2] = &v.address, f[3] = &v.postal_code;
		f[4] = &v.city, f[5] = &v.country, f[6] = &v.vat_id, f[7] = &v.registration;
		v.entity = xstrdup(r.field[x[0]]);
		for (k = 1; k < 8; k++)
			*f[k] = _text(&r, x[k]);
		if (!v.legal_name[0])
			einput_bad(&r, x[1], "an issuer needs its legal name:");
		is->i = xgrow(is->i, &cap, is->n + 1, sizeof *is->i);
		is->i[is->n++] = v;
	}
	tsv_close(&r);
}

/* A linear search: a few entities. */
const issuer *
issuers_find(const issuers *is, const char *entity)
{
	size_t i;

	for (i = 0; i < is->n; i++)
		if (strcmp(is->i[i].entity, entity) == 0)
			return &is->i[i];
	return NULL;
}

/* Free every field. */
void
issuers_free(issuers *is)
{
	size_t i;

	for (i = 0; i < is->n; i++) {
		issuer *v = &is->i[i];

		free(v->entity), free(v->legal_name), free(v->address), free(v->postal_code);
		free(v->city), free(v->country), free(v->vat_id), free(v->registration);
	}
	free(is->i);
	memset(is, 0, sizeof *is);
}
