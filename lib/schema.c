/* schema: line types and their names. */
#include "schema.h"

#include <string.h>

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

/* Lookup by abbreviation. */
int
schema_type_of(const char *s, size_t n)
{
	int t;

	for (t = 0; t < TYPE_NTYPES; t++)
		if (strlen(types[t].code) == n && memcmp(types[t].code, s, n) == 0)
			return t;
	return -1;
}
