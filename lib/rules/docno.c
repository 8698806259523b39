/* docno: format and parse document numbers. */
#include "rules/docno.h"

#include <string.h>

#include "text.h"

/* KIND-PREFIX-YYYY-NNNNNN. */
size_t
docno_format(char *buf, int kind, const char *prefix, int year, long number)
{
	static const char *const lead[] = {"", "CN-", "PO-"};
	size_t np = strlen(prefix), nl, nd = 0;
	char digits[20], *p = buf;
	long v = number;
	int i;

	if (np > DOCNO_PREFIX_MAX || year < 0 || year > 9999 || number < 0 ||
	    number > DOCNO_NUMBER_MAX || kind < DOC_INVOICE || kind > DOC_PAYOUT)
		return 0;
	/* Written by hand: one is made for every invoice of a period. */
	do {
		digits[nd++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (nd < 6)
		digits[nd++] = '0';
	nl = strlen(lead[kind]);
	memcpy(p, lead[kind], nl);
	p += nl;
	memcpy(p, prefix, np);
	p += np;
	*p++ = '-';
	for (i = 1000; i > 0; i /= 10)
		*p++ = (char)('0' + year / i % 10);
	*p++ = '-';
	while (nd > 0)
		*p++ = digits[--nd];
	*p = '\0';
	return (size_t)(p - buf);
}

/* From the right: the number, the year, then [kind-]prefix. */
int
docno_parse(const char *s, size_t n, docno *out)
{
	const char *end = s + n, *dash2, *dash1;
	size_t start = 0;
	long year;

	if (n == 0 || !ident_valid(s, n))
		return -1;
	for (dash2 = end - 1; dash2 > s && *dash2 != '-'; dash2--)
		;
	if (dash2 <= s || end - dash2 - 1 < 6)
		return -1;
	for (dash1 = dash2 - 1; dash1 > s && *dash1 != '-'; dash1--)
		;
	if (dash1 <= s || dash2 - dash1 - 1 != 4)
		return -1;
	out->number = text_digits(dash2 + 1, (size_t)(end - dash2 - 1), 18);
	year = text_digits(dash1 + 1, 4, 4);
	if (out->number < 0 || year < 0)
		return -1;
	out->year = (int)year;
	out->kind = DOC_INVOICE;
	if (dash1 - s > 3 && (memcmp(s, "CN-", 3) == 0 || memcmp(s, "PO-", 3) == 0)) {
		out->kind = s[0] == 'C' ? DOC_CREDIT_NOTE : DOC_PAYOUT;
		start = 3;
	}
	out->prefix = start;
	out->prefix_len = (size_t)(dash1 - s) - start;
	/* What docno_format() can write, nothing more. */
	if (out->prefix_len > DOCNO_PREFIX_MAX || out->number > DOCNO_NUMBER_MAX)
		return -1;
	return 0;
}
