/* schema: line types and their names. */
#include "schema.h"

#include <string.h>

#include "rules/docno.h"

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
