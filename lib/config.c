/* config: loading entities.tsv (and the other shared configuration). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "input.h"
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
			nr.country = estrdup(rule + 8);
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
			e->name = erealloc(e->name, (e->n + 1) * sizeof *e->name);
			e->prefix = erealloc(e->prefix, (e->n + 1) * sizeof *e->prefix);
			e->name[e->n] = estrdup(ent);
			e->prefix[e->n] = estrdup(pre);
			ei = (long)e->n++;
		}
		nr.entity = (int)ei;
		e->rule = erealloc(e->rule, (e->nrule + 1) * sizeof *e->rule);
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
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->name[i], name) == 0)
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
