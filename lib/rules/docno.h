/* docno: document numbers (SPEC 7, 8, 12).
 *
 *     PREFIX-YYYY-NNNNNN      an invoice
 *     CN-PREFIX-YYYY-NNNNNN   a credit note
 *     PO-PREFIX-YYYY-NNNNNN   a payout
 *
 * PREFIX is the issuing entity's (entities.tsv), YYYY the calendar year of
 * issue, NNNNNN the number in the series of that kind, entity and year,
 * zero-padded to six digits (more past 999999, up to twelve).  A prefix never
 * starts with "CN-" or "PO-" (entities.tsv refuses it), so a number reads
 * one way only.  A prefix is at most DOCNO_PREFIX_MAX bytes and a number at
 * most DOCNO_NUMBER_MAX, so that every number written is an identifier
 * (IDENT_MAX) and reads back.  Pure. */
#ifndef RULES_DOCNO_H
#define RULES_DOCNO_H

#include <stddef.h>

#include "ident.h"

enum doc_kind { DOC_INVOICE, DOC_CREDIT_NOTE, DOC_PAYOUT };

/* The longest prefix and the highest number of a series: "CN-" + 40 + "-"
 * + 4 + "-" + 12 digits is 61 bytes, within an identifier's 64. */
enum { DOCNO_PREFIX_MAX = 40 };
#define DOCNO_NUMBER_MAX 999999999999L

/* Room for any number: a kind, a prefix, a year, a counter, separators. */
enum { DOCNO_MAX = 3 + IDENT_MAX + 1 + 4 + 1 + 20 + 1 };

/* A number's parts; the prefix is s[prefix, prefix + prefix_len). */
typedef struct docno {
	int kind;
	size_t prefix, prefix_len;
	int year;
	long number;
} docno;

/* Write the number into buf (DOCNO_MAX bytes); returns its length, or 0
 * when the prefix is longer than DOCNO_PREFIX_MAX or year/number are out
 * of range (a number from 0 to DOCNO_NUMBER_MAX). */
size_t docno_format(char *buf, int kind, const char *prefix, int year, long number);

/* Read a number; 0, or -1 when s[0..n) is not of the forms above (a
 * number docno_format() can write). */
int docno_parse(const char *s, size_t n, docno *out);

#endif
