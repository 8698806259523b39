/* Fuzz rules/docno: the input as a document number to parse, and as the
 * parts of one to format.
 *
 * A number that parses has its parts in range, formats back to itself
 * (the counter to at least six digits, so only a longer zero-padded
 * counter comes back shorter) and parses again to the same parts.  Parts
 * that format (a prefix entities.tsv accepts: an identifier not starting
 * with CN- or PO-) parse back to themselves. */
#undef NDEBUG /* the checks are assertions */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ident.h"
#include "rules/docno.h"

/* Whether entities.tsv takes the prefix p[0..n): an identifier that does
 * not read as another kind of document. */
static int
_prefix_ok(const char *p, size_t n)
{
	return ident_valid(p, n) &&
	       !(n >= 3 && (memcmp(p, "CN-", 3) == 0 || memcmp(p, "PO-", 3) == 0));
}

/* Parse s[0..n); when it parses, check the parts and format them back. */
static void
_parse(const char *s, size_t n)
{
	docno d, again;
	char prefix[IDENT_MAX + 1], buf[DOCNO_MAX];
	size_t len, counter;

	memset(&d, 0, sizeof d);
	if (docno_parse(s, n, &d) < 0)
		return;
	assert(ident_valid(s, n));
	assert(d.kind >= DOC_INVOICE && d.kind <= DOC_PAYOUT);
	assert(d.prefix == (d.kind == DOC_INVOICE ? 0 : 3) && d.prefix_len >= 1);
	assert(d.prefix + d.prefix_len + 1 + 4 + 1 + 6 <= n && s[d.prefix + d.prefix_len] == '-');
	assert(d.year >= 0 && d.year <= 9999 && d.number >= 0 && d.number <= DOCNO_NUMBER_MAX);
	assert(d.prefix_len <= DOCNO_PREFIX_MAX);
	counter = n - (d.prefix + d.prefix_len + 6);
	assert(counter >= 6 && counter <= 18);

	memcpy(prefix, s + d.prefix, d.prefix_len);
	prefix[d.prefix_len] = '\0';
	len = docno_format(buf, d.kind, prefix, d.year, d.number);
	assert(len > 0 && len <= n && strlen(buf) == len);
	if (counter == 6 || s[n - counter] != '0')
		assert(len == n && memcmp(buf, s, n) == 0);
	assert(docno_parse(buf, len, &again) == 0);
	assert(again.kind == d.kind && again.year == d.year && again.number == d.number);
	assert(again.prefix == d.prefix && again.prefix_len == d.prefix_len);
	assert(memcmp(buf + again.prefix, prefix, d.prefix_len) == 0);
}

/* Format the parts the bytes give: kind, year (-1 to 10000), counter, then
 * the prefix; when they are in range, the number parses back to them. */
static void
_format(const uint8_t *data, size_t size)
{
	char prefix[96], buf[DOCNO_MAX];
	size_t plen = size - 11 < sizeof prefix - 1 ? size - 11 : sizeof prefix - 1, len;
	int kind = data[0] % 4 - (data[0] >= 252), year = (data[1] | data[2] << 8) % 10002 - 1;
	uint64_t u;
	long number;
	docno d;

	memcpy(&u, data + 3, sizeof u);
	number = (long)(u >> (u & 63));
	memcpy(prefix, data + 11, plen);
	prefix[plen] = '\0';
	plen = strlen(prefix);

	len = docno_format(buf, kind, prefix, year, number);
	if (plen > DOCNO_PREFIX_MAX || year < 0 || year > 9999 || number < 0 ||
	    number > DOCNO_NUMBER_MAX || kind < DOC_INVOICE || kind > DOC_PAYOUT) {
		assert(len == 0);
		return;
	}
	assert(len > 0 && len <= IDENT_MAX && strlen(buf) == len);
	if (!_prefix_ok(prefix, plen))
		return;
	assert(docno_parse(buf, len, &d) == 0);
	assert(d.kind == kind && d.year == year && d.number == number);
	assert(d.prefix_len == plen && memcmp(buf + d.prefix, prefix, plen) == 0);
	_parse(buf, len);
}

/* The entry point: see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_parse((const char *)data, size);
	if (size >= 11)
		_format(data, size);
	return 0;
}
