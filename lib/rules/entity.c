/* entity: first matching rule. */
#include "rules/entity.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "schema.h"

/* A NUL-terminated copy, or NULL. */
static char *
_dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	return p ? memcpy(p, s, n) : NULL;
}

/* Parse a rule's text. */
int
entity_rule_parse(const char *rule, entity_rule *r)
{
	r->type = -1;
	r->country = NULL;
	if (strcmp(rule, "*") == 0) {
		r->kind = RULE_ANY;
	} else if (strncmp(rule, "type:", 5) == 0) {
		r->kind = RULE_TYPE;
		r->type = schema_type_of(rule + 5, strlen(rule + 5));
		if (r->type < 0)
			return ENTITY_ETYPE;
	} else if (strncmp(rule, "country:", 8) == 0 && rule[8]) {
		r->kind = RULE_COUNTRY;
		if (!(r->country = _dup(rule + 8)))
			return ENTITY_ENOMEM;
	} else {
		return ENTITY_ERULE;
	}
	return ENTITY_OK;
}

/* The entity of a name, made when new. */
static int
_entity(entities *e, const char *entity, const char *prefix, int *out)
{
	size_t i;
	void *p;

	if (strncmp(prefix, "PO-", 3) == 0 || strncmp(prefix, "CN-", 3) == 0)
		return ENTITY_EPREFIX_KIND;
	for (i = 0; i < e->n; i++) {
		if (strcmp(e->name[i], entity) == 0) {
			if (strcmp(e->prefix[i], prefix) != 0)
				return ENTITY_EPREFIX;
			*out = (int)i;
			return ENTITY_OK;
		}
		if (strcmp(e->prefix[i], prefix) == 0)
			return ENTITY_EPREFIX_USED;
	}
	if (!(p = grow(e->name, &e->cap, e->n + 1, sizeof *e->name)))
		return ENTITY_ENOMEM;
	e->name = p;
	/* prefix[] has the same room as name[]. */
	if (!(p = realloc(e->prefix, e->cap * sizeof *e->prefix)))
		return ENTITY_ENOMEM;
	e->prefix = p;
	if (!(p = realloc(e->len, e->cap * sizeof *e->len)))
		return ENTITY_ENOMEM;
	e->len = p;
	e->len[e->n] = strlen(entity);
	e->name[e->n] = _dup(entity);
	e->prefix[e->n] = _dup(prefix);
	if (!e->name[e->n] || !e->prefix[e->n]) {
		free(e->name[e->n]);
		free(e->prefix[e->n]);
		return ENTITY_ENOMEM;
	}
	*out = (int)e->n++;
	return ENTITY_OK;
}

/* Check and add one rule. */
int
entities_add(entities *e, entity_rule r, const char *entity, const char *prefix)
{
	size_t i;
	int rc;
	void *p;

	for (i = 0; i < e->nrule; i++) {
		const entity_rule *o = &e->rule[i];

		if (o->kind == r.kind && o->type == r.type &&
		    (r.kind != RULE_COUNTRY || strcmp(o->country, r.country) == 0)) {
			free(r.country);
			return ENTITY_ETWICE;
		}
	}
	if ((rc = _entity(e, entity, prefix, &r.entity)) != ENTITY_OK ||
	    !(p = grow(e->rule, &e->caprule, e->nrule + 1, sizeof *e->rule))) {
		free(r.country);
		return rc != ENTITY_OK ? rc : ENTITY_ENOMEM;
	}
	e->rule = p;
	/* The index for entities_match_n(): rules are added in order, so
	 * a type's first rule is the first added that matches it. */
	if (e->nrule == 0)
		for (i = 0; i < sizeof e->type_first / sizeof e->type_first[0]; i++)
			e->type_first[i] = SIZE_MAX;
	for (i = 0; i < sizeof e->type_first / sizeof e->type_first[0]; i++)
		if (e->type_first[i] == SIZE_MAX &&
		    (r.kind == RULE_ANY || (r.kind == RULE_TYPE && r.type == (int)i)))
			e->type_first[i] = e->nrule;
	if (r.kind == RULE_COUNTRY) {
		size_t *a = realloc(e->country_rule, (e->ncountry + 1) * sizeof *a), *b;

		if (a)
			e->country_rule = a;
		b = a ? realloc(e->country_len, (e->ncountry + 1) * sizeof *b) : NULL;
		if (!b) {
			free(r.country);
			return ENTITY_ENOMEM;
		}
		e->country_len = b;
		e->country_rule[e->ncountry] = e->nrule;
		e->country_len[e->ncountry++] = strlen(r.country);
	}
	e->rule[e->nrule++] = r;
	return ENTITY_OK;
}

/* First matching rule. */
int
entities_match(const entities *e, int type, const char *country)
{
	return entities_match_n(e, type, country, strlen(country));
}

/* The first type or `*` rule of the type, unless a country rule before
 * it names the country. */
int
entities_match_n(const entities *e, int type, const char *country, size_t n)
{
	size_t first = e->nrule ? e->type_first[type] : SIZE_MAX, k;

	/* The first byte first: most rules differ there. */
	for (k = 0; n && k < e->ncountry && e->country_rule[k] < first; k++)
		if (e->country_len[k] == n &&
		    e->rule[e->country_rule[k]].country[0] == country[0] &&
		    memcmp(e->rule[e->country_rule[k]].country, country, n) == 0)
			return e->rule[e->country_rule[k]].entity;
	return first == SIZE_MAX ? -1 : e->rule[first].entity;
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
		if (e->len[i] == n && n && e->name[i][0] == name[0] &&
		    memcmp(e->name[i], name, n) == 0)
			return (int)i;
	return -1; /* an empty name is no entity's: names are identifiers */
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
	free(e->len);
	free(e->country_rule);
	free(e->country_len);
	memset(e, 0, sizeof *e);
}
