/* entity: the invoicing entity of a line (SPEC 5 and 11).
 *
 * entities.tsv holds rules in order, first match wins: `type:T` by the
 * line's type, `country:C` by the event's destination country, `*` always.
 * Ads and weight audits have no country: only type and `*` rules match
 * them.  Each entity has one invoice-number prefix.  Pure: no I/O. */
#ifndef RULES_ENTITY_H
#define RULES_ENTITY_H

#include <stddef.h>

enum rule_kind { RULE_TYPE, RULE_COUNTRY, RULE_ANY };

typedef struct entity_rule {
	int kind;
	int type;      /* RULE_TYPE: the line type */
	char *country; /* RULE_COUNTRY: the destination country */
	int entity;    /* index into entities.name[] */
} entity_rule;

typedef struct entities {
	entity_rule *rule;
	size_t nrule, caprule;
	size_t type_first[16]; /* per line type: the first type or `*` rule */
	size_t *country_rule;  /* the country rules' indexes, in order */
	size_t *country_len;   /* their countries' lengths */
	size_t ncountry;
	char **name;   /* entities in order of first appearance */
	char **prefix; /* each entity's one invoice-number prefix */
	size_t *len;   /* each name's length */
	size_t n, cap;
} entities;

enum entity_err {
	ENTITY_OK = 0,
	ENTITY_ENOMEM = -1,
	ENTITY_ERULE = -2,	  /* not type:T, country:C or * */
	ENTITY_ETYPE = -3,	  /* type:T with T not a line type */
	ENTITY_ETWICE = -4,	  /* the rule was given before */
	ENTITY_EPREFIX = -5,	  /* the entity has another prefix already */
	ENTITY_EPREFIX_USED = -6, /* the prefix belongs to another entity */
	ENTITY_EPREFIX_KIND = -7  /* a prefix starting PO- or CN- reads as another document */
};

/* Parse a rule's text (`type:T`, `country:C`, `*`) into *r; 0 or
 * ENTITY_ERULE, ENTITY_ETYPE, ENTITY_ENOMEM. */
int entity_rule_parse(const char *rule, entity_rule *r) __attribute__((warn_unused_result));

/* Add a parsed rule giving `entity` with `prefix`; the rules take its
 * country, which is freed when the rule is refused. */
int entities_add(entities *e, entity_rule r, const char *entity, const char *prefix)
	__attribute__((warn_unused_result));

/* The entity of a line of type `type` for an event with destination
 * `country` (empty for ads and weights), or -1 when no rule matches. */
int entities_match(const entities *e, int type, const char *country);

/* The same for a country country[0..n), not NUL-terminated. */
int entities_match_n(const entities *e, int type, const char *country, size_t n);

/* The index of an entity name, or -1. */
int entities_find(const entities *e, const char *name);

/* The same for name[0..n), not NUL-terminated. */
int entities_find_n(const entities *e, const char *name, size_t n);

/* Release memory. */
void entities_free(entities *e);

#endif
