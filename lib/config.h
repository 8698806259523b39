/* config: the configuration files several filters read (SPEC 5).  A bad
 * configuration row stops the run (status 1) with file, line and field:
 * the e-prefixed loaders report and exit. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "rules/entity.h"
#include "strset.h"

/* entities.tsv: rule, entity, prefix (rules/entity.h); a bad row stops
 * the run. */
void econfig_entities(entities *e, const char *path);

/* merchants.tsv: one record per merchant. */
typedef struct merchant {
	char *id, *legal_name, *address, *postal_code, *city, *country, *vat_id;
	long delay_days;    /* payout_delay_days, empty = 0 */
	int64_t min_payout; /* in millionths of a major unit, empty = 0 */
	int payout_ok;	    /* payout_ok = 1 */
	int frozen;	    /* frozen = 1 */
	unsigned missing;   /* MISSING_* bits of the four required fields */
	int payout_mode;    /* enum payout_mode (rules/payout.h): payout_mode, optional */
} merchant;

enum { MISSING_LEGAL_NAME = 1, MISSING_ADDRESS = 2, MISSING_POSTAL_CODE = 4, MISSING_CITY = 8 };

typedef struct merchants {
	strset ids; /* merchant_id -> index into m[] */
	merchant *m;
	size_t n;
	struct merchant_texts *texts; /* where the records' texts are kept */
} merchants;

/* Load merchants.tsv.  merchant_id must be an identifier and appear once;
 * payout_delay_days a whole number or empty; min_payout a non-negative
 * decimal or empty; payout_ok and frozen 0, 1 or empty; the optional
 * column payout_mode auto, request or empty (auto).  A text field of
 * blanks counts as empty. */
void econfig_merchants(merchants *ms, const char *path);

/* The record of a merchant, or NULL when unknown. */
const merchant *merchants_find(const merchants *ms, const char *id, size_t n);

/* "legal_name, address" etc.: the names of the missing fields. */
void merchants_missing_names(unsigned missing, char *buf, size_t cap);

/* The merchant's min_payout in minor units of a currency with `digits`
 * decimals, rounded up (a payout must reach the minimum). */
int64_t merchant_min_payout(const merchant *m, int digits);

/* Release memory. */
void merchants_free(merchants *ms);

/* issuers.tsv (SPEC 15, optional): an issuing entity's legal details, as
 * its documents show them.  Empty fields are "" (never NULL). */
typedef struct issuer {
	char *entity, *legal_name, *address, *postal_code, *city, *country, *vat_id, *registration;
} issuer;

typedef struct issuers {
	issuer *i;
	size_t n;
} issuers;

/* Load issuers.tsv; a missing path (NULL or "") is no issuers at all.
 * entity must be an entity of e (when e is given) and appear once;
 * legal_name must not be empty; every field is document text
 * (text_check_document).  A bad row stops the run. */
void econfig_issuers(issuers *is, const char *path, const entities *e);

/* The details of an entity, or NULL when issuers.tsv has no row for it. */
const issuer *issuers_find(const issuers *is, const char *entity);

/* Release memory. */
void issuers_free(issuers *is);

#endif
