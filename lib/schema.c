/* schema: line types and their names. */
#include "schema.h"

#include <string.h>

#include "fmt.h"
#include "ident.h"

#include "rules/docno.h"
#include "rules/payout.h"

const char *const schema_payout_cols[PO_NCOLS] = {
	"payout_no", "entity", "merchant_id", "currency",    "payout_date",
	"invoices",  "amount", "status",      "hold_reason",
};

static const struct {
	const char *code, *name;
} types[TYPE_NTYPES] = {
	{"R", "Orders"},
	{"RCM", "Refunds"},
	{"AD", "Joom Ads"},
	{"RJL", "Online Shipment"},
	{"JLO", "JL Online Shipment"},
	{"RJLCM", "Online Shipment Refunds"},
	{"JLOCM", "JL Online Shipment Refunds"},
	{"JLD", "JL Delivery"},
	{"ND", "Non-Delivery Compensation"},
	{"IW", "Incorrect Weight"},
};

/* Abbreviation. */
const char *
schema_type_code(int type)
{
	return type >= 0 && type < TYPE_NTYPES ? types[type].code : "?";
}

/* Document name. */
const char *
schema_type_name(int type)
{
	return type >= 0 && type < TYPE_NTYPES ? types[type].name : "?";
}

/* Lookup by abbreviation: by length and first letter, then compared
 * (every line of a period goes through here). */
int
schema_type_of(const char *s, size_t n)
{
	int t = -1;

	switch (n) {
	case 1: t = s[0] == 'R' ? TYPE_R : -1; break;
	case 2:
		t = s[0] == 'A' ? TYPE_AD : s[0] == 'N' ? TYPE_ND : s[0] == 'I' ? TYPE_IW : -1;
		break;
	case 3:
		t = s[0] == 'R'	  ? (s[1] == 'C' ? TYPE_RCM : TYPE_RJL)
		    : s[0] == 'J' ? (s[2] == 'O' ? TYPE_JLO : TYPE_JLD)
				  : -1;
		break;
	case 5: t = s[0] == 'R' ? TYPE_RJLCM : s[0] == 'J' ? TYPE_JLOCM : -1; break;
	}
	return t >= 0 && memcmp(types[t].code, s, n) == 0 ? t : -1;
}

/* The words of a code in a table of pairs, or NULL. */
static const char *
_words(const char *const (*t)[2], size_t n, const char *code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i][0], code) == 0)
			return t[i][1];
	return NULL;
}

/* Status words: the statuses of SPEC 7, 8 and 14, as rules/payout names
 * them. */
const char *
schema_status_name(const char *code)
{
	int s = payout_status_of(code, strlen(code));

	return s < 0 ? NULL : payout_status_words(s);
}

/* Hold words: SPEC 8's reasons. */
const char *
schema_hold_name(const char *code)
{
	static const char *const t[][2] = {
		{"", "None"},
		{"frozen", "Payouts to the merchant are frozen"},
		{"payout_details", "The merchant's payout details are missing or invalid"},
	};

	return _words(t, sizeof t / sizeof t[0], code);
}

/* Invoice kinds. */
const char *
schema_kind_name(int kind)
{
	return kind == DOC_INVOICE ? "invoice" : kind == DOC_CREDIT_NOTE ? "credit_note" : "?";
}

/* Kind by name. */
int
schema_kind_of(const char *s, size_t n)
{
	if (n == 7 && memcmp(s, "invoice", 7) == 0)
		return DOC_INVOICE;
	if (n == 11 && memcmp(s, "credit_note", 11) == 0)
		return DOC_CREDIT_NOTE;
	return -1;
}

/* A document's key. */
size_t
schema_doc_key(char *buf, const char *entity, size_t en, const char *merchant, size_t mn,
	       const char *currency, size_t cn, const char *type, size_t tn, const char *corrects,
	       size_t kn)
{
	char *p = buf;

	if (en > IDENT_MAX || mn > IDENT_MAX || cn > 3 || tn > 8 || kn > IDENT_MAX)
		return 0;
	p = fmt_field(p, entity, en, '\t');
	p = fmt_field(p, merchant, mn, '\t');
	p = fmt_field(p, currency, cn, '\t');
	p = fmt_field(p, type, tn, '\t');
	memcpy(p, corrects, kn);
	return (size_t)(p - buf) + kn;
}
