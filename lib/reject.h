/* reject: the fixed reason vocabulary of SPEC 11 and the rejects.tsv
 * format (source, line, reason, raw), shared by every filter that can
 * turn a row away. */
#ifndef REJECT_H
#define REJECT_H

#include <stddef.h>

#include "out.h"

/* SPEC 11's vocabulary in the order it gives, then the reasons sections
 * 12, 14 and 16 add.  The order the checks are made in is each source's
 * (rules/checks.h). */
enum reject_reason {
	REJECT_MALFORMED_CSV,
	REJECT_FIELD_COUNT,
	REJECT_BAD_UTF8,
	REJECT_BAD_CHAR,
	REJECT_BAD_ID,
	REJECT_DUPLICATE,
	REJECT_BAD_DATE,
	REJECT_FUTURE,
	REJECT_UNKNOWN_SHIP_MODE,
	REJECT_UNKNOWN_REASON,
	REJECT_UNKNOWN_CURRENCY,
	REJECT_BAD_NUMBER,
	REJECT_NEGATIVE_PRICE,
	REJECT_NEGATIVE_WEIGHT,
	REJECT_FRACTION_RANGE,
	REJECT_ND_COMPENSATION,
	REJECT_UNKNOWN_PAYOUT,
	REJECT_NO_RATE,
	REJECT_NO_ENTITY,
	/* SPEC 12: adjustments */
	REJECT_BAD_TEXT,
	REJECT_UNKNOWN_INVOICE,
	REJECT_CURRENCY_MISMATCH,
	/* SPEC 14: payout requests, merchants' invoices */
	REJECT_NOT_REQUEST_MODE,
	REJECT_OPEN_REQUEST,
	REJECT_AWAITING_INVOICE,
	/* SPEC 16 */
	REJECT_PAID_BEFORE_PAYOUT,
	REJECT_NREASONS
};

/* The reason's name as written in rejects.tsv. */
const char *reject_name(int reason);

/* One reject row (columns SCHEMA_REJECT_HEADER): field is the column at
 * fault ("" for the record as a whole), raw must already be escaped
 * (text_escape()) and may be empty; 0 or -1 when out of memory. */
int reject_write(out *o, const char *source, long line, int reason, const char *field,
		 const char *raw, size_t rawlen) __attribute__((warn_unused_result));

#endif
