/* config: the configuration files several filters read (SPEC 5).  A bad
 * configuration row stops the run (status 1) with file, line and field;
 * like input, these loaders report and exit. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "strset.h"

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

/* The same for name[0..n), not NUL-terminated. */
int entities_find_n(const entities *e, const char *name, size_t n);

/* Release memory. */
void entities_free(entities *e);

/* merchants.tsv: one record per merchant. */
typedef struct merchant {
	char *id, *legal_name, *address, *postal_code, *city, *country, *vat_id;
	long delay_days;    /* payout_delay_days, empty = 0 */
	int64_t min_payout; /* in millionths of a major unit, empty = 0 */
	int payout_ok;	    /* payout_ok = 1 */
	int frozen;	    /* frozen = 1 */
	unsigned missing;   /* MISSING_* bits of the four required fields */
} merchant;

enum { MISSING_LEGAL_NAME = 1, MISSING_ADDRESS = 2, MISSING_POSTAL_CODE = 4, MISSING_CITY = 8 };

typedef struct merchants {
	strset ids; /* merchant_id -> index into m[] */
	merchant *m;
	size_t n;
} merchants;

/* Load merchants.tsv.  merchant_id must be an identifier and appear once;
 * payout_delay_days a whole number or empty; min_payout a non-negative
 * decimal or empty; payout_ok and frozen 0, 1 or empty.  A field of
 * blanks counts as empty. */
void config_merchants(merchants *ms, const char *path);

/* The record of a merchant, or NULL when unknown. */
const merchant *merchants_find(const merchants *ms, const char *id, size_t n);

/* "legal_name, address" etc.: the names of the missing fields. */
void merchants_missing_names(unsigned missing, char *buf, size_t cap);

/* The merchant's min_payout in minor units of a currency with `digits`
 * decimals, rounded up (a payout must reach the minimum). */
int64_t merchant_min_payout(const merchant *m, int digits);

/* Release memory. */
void merchants_free(merchants *ms);

#endif
