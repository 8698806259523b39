/* config: the configuration files several filters read (SPEC 5).  A bad
 * configuration row stops the run (status 1) with file, line and field;
 * like input, these loaders report and exit. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

/* entities.tsv: rules in order, first match wins. */
enum rule_kind { RULE_TYPE, RULE_COUNTRY, RULE_ANY };

typedef struct entity_rule {
	int kind;
	int type;      /* RULE_TYPE: the line type */
	char *country; /* RULE_COUNTRY: the destination country */
	int entity;    /* index into names[] */
} entity_rule;

typedef struct entities {
	entity_rule *rule;
	size_t nrule;
	char **name;   /* entities in order of first appearance */
	char **prefix; /* each entity's one invoice-number prefix */
	size_t n;
} entities;

/* Load entities.tsv: columns rule, entity, prefix.  Rules are `type:T`
 * (T a line type), `country:C` or `*`; entity and prefix are identifiers;
 * an entity has one prefix and a prefix one entity; a rule appears once. */
void config_entities(entities *e, const char *path);

/* The entity of a line of type `type` for an event with destination
 * `country` (empty for ads and weights: only type and `*` rules match
 * them), or -1 when no rule matches. */
int entities_match(const entities *e, int type, const char *country);

/* The index of an entity name, or -1. */
int entities_find(const entities *e, const char *name);

/* Release memory. */
void entities_free(entities *e);

#endif
