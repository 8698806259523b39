/* docno: format and parse document numbers. */
#include "rules/docno.h"

#include <string.h>

/* KIND-PREFIX-YYYY-NNNNNN.  Written by hand: one is made for every
 * invoice of a period. */
size_t
docno_format(char *buf, int kind, const char *prefix, int year, long number)
{
	static const char lead[][4] = {"", "CN-", "PO-"};
	size_t np = strlen(prefix), nd = 6, i;
	char *p = buf;
	long v;

	if (np > DOCNO_PREFIX_MAX || year < 0 || year > 9999 || number < 0 ||
	    number > DOCNO_NUMBER_MAX || kind < DOC_INVOICE || kind > DOC_PAYOUT)
		return 0;
	if (kind != DOC_INVOICE) {
		memcpy(p, lead[kind], 3);
		p += 3;
	}
	memcpy(p, prefix, np);
	p += np;
	p[0] = '-';
	p[1] = (char)('0' + year / 1000);
	p[2] = (char)('0' + year / 100 % 10);
	p[3] = (char)('0' + year / 10 % 10);
	p[4] = (char)('0' + year % 10);
	p[5] = '-';
	p += 6;
	/* At least six digits, zero-padded, written from the right. */
	for (v = number / 1000000; v > 0; v /= 10)
		nd++;
	for (i = nd, v = number; i > 0; i--, v /= 10)
		p[i - 1] = (char)('0' + v % 10);
	p[nd] = '\0';
	return (size_t)(p + nd - buf);
}

/* From the right: the number (the digits after the last '-'), the year
 * (four digits between it and the '-' before), then [kind-]prefix.  The
 * digits and dashes are identifier bytes, so the whole is an identifier
 * when the prefix is one and the length is within IDENT_MAX.  One pass:
 * a run checks every number it reads from the state and the register. */
int
docno_parse(const char *s, size_t n, docno *out)
{
	const char *end = s + n, *p = end, *dash1;
	size_t nd, start = 0, prefix;
	long number = 0;
	int year = 0, i;

	if (n == 0 || n > IDENT_MAX)
		return -1;
	while (p > s && (unsigned)(p[-1] - '0') < 10)
		p--;
	nd = (size_t)(end - p);
	/* p[-1] is the last dash; five bytes before it the dash ahead of the
	 * year, past the first byte. */
	if (nd < 6 || nd > 18 || (size_t)(p - s) < 7 || p[-1] != '-' || p[-6] != '-')
		return -1;
	/* Six digits, or more without a leading zero: one spelling for each
	 * number, the one docno_format() writes (SIA-2024-0000007 is no
	 * number a run issues). */
	if (nd > 6 && *p == '0')
		return -1;
	for (i = 0; i < 4; i++) {
		unsigned d = (unsigned)(p[-5 + i] - '0');

		if (d >= 10)
			return -1;
		year = year * 10 + (int)d;
	}
	for (; p < end; p++)
		number = number * 10 + (*p - '0');
	dash1 = end - nd - 6;
	prefix = (size_t)(dash1 - s);
	if (!ident_valid(s, prefix))
		return -1;
	out->kind = DOC_INVOICE;
	if (prefix > 3 && s[2] == '-' &&
	    ((s[0] == 'C' && s[1] == 'N') || (s[0] == 'P' && s[1] == 'O'))) {
		out->kind = s[0] == 'C' ? DOC_CREDIT_NOTE : DOC_PAYOUT;
		start = 3;
	}
	/* What docno_format() can write, nothing more. */
	if (prefix - start > DOCNO_PREFIX_MAX || number > DOCNO_NUMBER_MAX)
		return -1;
	out->number = number;
	out->year = year;
	out->prefix = start;
	out->prefix_len = prefix - start;
	return 0;
}
