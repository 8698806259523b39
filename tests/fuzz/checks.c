/* Fuzz rules/checks: each line of the input is a row, its fields split on
 * tabs (when the input has one) or else commas, and every source's checks
 * run on it the way normalize-orders runs them: the source's columns are
 * the row's first fields (empty ones added when it has fewer), and a row
 * reaching the duplicate check goes on past it, as a new id would.  Each
 * field is its own allocation of exactly its length, so that a check
 * reading past a field is caught.
 *
 * The result must be what the checks' tests, applied one after the other
 * with lib's parsers, give: every check before the one reported holds,
 * the one reported fails (its reason is returned), and the values left in
 * check_values are the fields'.  check_record() must follow its rules. */
#undef NDEBUG /* the checks are assertions */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "money.h"
#include "period.h"
#include "reject.h"
#include "rules/checks.h"
#include "rules/price.h"
#include "text.h"

enum { MAX_FIELDS = 64 };

/* The two `future` bounds tried: none, and 2024-04-01T00:00:00Z. */
static const int64_t futures[] = {INT64_MAX, 1711929600};

/* Document text of 1 to CHECK_TEXT_MAX characters, not only spaces: a
 * reference counting characters by decoding each one. */
static int
_text(const char *s, size_t n, size_t max)
{
	size_t i = 0, chars = 0;
	int other = 0;

	if (n == 0 || text_check_document(s, n) != TEXT_OK)
		return 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		i += c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		chars++;
		other |= c != ' ';
	}
	return other && chars <= max;
}

/* Whether check c holds for the row, given the values the checks before it
 * left (and it left) in v. */
static int
_holds(const check *c, const check_row *row, int64_t future, const check_values *v)
{
	int col = row->idx[(int)c->role];
	const char *s = row->field[col];
	size_t n = row->flen[col];
	int64_t num = v->num[(int)c->role], x = 0;

	switch (c->test) {
	case T_ID: return ident_valid(s, n);
	case T_DUPLICATE: return 1;
	case T_TIME: return period_parse_time(s, n, &x) == 0 && x == num;
	case T_FUTURE: return num < future;
	case T_SHIP_MODE:
		return price_ship_mode(s, n) >= 0 && v->ship_mode == price_ship_mode(s, n);
	case T_REASON:
		return price_refund_reason(s, n) >= 0 && v->reason == price_refund_reason(s, n);
	case T_CURRENCY:
		return money_currency_digits(s, n) >= 0 && v->digits == money_currency_digits(s, n);
	case T_MONEY: return money_parse(s, n, v->digits, &x) == MONEY_OK && x == num;
	case T_MONEY_OPT:
		return n == 0 ? num == 0 : money_parse(s, n, v->digits, &x) == MONEY_OK && x == num;
	case T_JL_COST:
		if (n == 0)
			return num == 0 && !v->has_jl_cost && !price_needs_jl_cost(v->ship_mode);
		return v->has_jl_cost && money_parse(s, n, v->digits, &x) == MONEY_OK && x == num;
	case T_SUM_FITS:
		return v->num[COL_PRODUCT_PRICE] < 0 || v->num[COL_SHIPPING_PRICE] < 0 ||
		       !__builtin_add_overflow(v->num[COL_PRODUCT_PRICE],
					       v->num[COL_SHIPPING_PRICE], &x);
	case T_MICRO: return money_parse_micro(s, n, &x) == MONEY_OK && x == num;
	case T_NONNEG: return num >= 0;
	case T_FRACTION: return num > 0 && num <= MONEY_MICRO;
	case T_ND: return num == 0 || price_nd_allowed(v->ship_mode, v->reason);
	case T_TEXT_100: return _text(s, n, 100);
	case T_ID_OPT: return n == 0 || ident_valid(s, n);
	case T_TEXT: return _text(s, n, CHECK_TEXT_MAX);
	}
	assert(!"unknown test");
	return 0;
}

/* Run src's checks on the row as normalize-orders does and compare with
 * the tests one by one. */
static void
_run(const check_source *src, const check_row *row, int64_t future)
{
	check_values v;
	size_t at = 0, i, again = 0;
	int rc, rc2;

	memset(&v, 0, sizeof v);
	rc = checks_run(src, row, future, &v, &at);
	while (rc == CHECK_DUPLICATE) {
		assert(at < src->nchecks && src->checks[at].test == T_DUPLICATE);
		assert(src->checks[at].role == src->primary);
		at++;
		rc = checks_run(src, row, future, &v, &at);
	}
	assert(at <= src->nchecks);
	if (rc == CHECK_OK) {
		assert(at == src->nchecks);
	} else {
		assert(at < src->nchecks && rc == src->checks[at].reason);
		assert(((rc >= REJECT_BAD_ID && rc <= REJECT_ND_COMPENSATION) ||
			rc == REJECT_BAD_TEXT) &&
		       rc != REJECT_DUPLICATE);
		assert(!_holds(&src->checks[at], row, future, &v));
	}
	for (i = 0; i < at; i++)
		assert(_holds(&src->checks[i], row, future, &v));

	/* The same from the start: the first stop is the duplicate check, or
	 * the same failure before it. */
	memset(&v, 0, sizeof v);
	rc2 = checks_run(src, row, future, &v, &again);
	if (rc2 == CHECK_DUPLICATE)
		assert(again <= at);
	else
		assert(rc2 == rc && again == at);
}

/* check_record() by its rules, for every combination of its flags. */
static void
_record(const char *raw, size_t rawlen, size_t nfield, size_t ncol)
{
	int malformed, tab_ok, want;

	for (malformed = 0; malformed <= 1; malformed++) {
		for (tab_ok = 0; tab_ok <= 1; tab_ok++) {
			switch (text_check(raw, rawlen, tab_ok)) {
			case TEXT_BAD_UTF8: want = REJECT_BAD_UTF8; break;
			case TEXT_BAD_CHAR: want = REJECT_BAD_CHAR; break;
			default: want = CHECK_OK;
			}
			if (nfield != ncol)
				want = REJECT_FIELD_COUNT;
			if (malformed)
				want = REJECT_MALFORMED_CSV;
			assert(check_record(malformed, nfield, ncol, raw, rawlen, tab_ok) == want);
		}
	}
}

/* One row: its fields as allocations of their own, every source run. */
static void
_row(const char *s, size_t n, char sep)
{
	char *field[MAX_FIELDS];
	size_t flen[MAX_FIELDS], nfield = 0, i, max = 0, j;
	int idx[COL_NROLES], k;
	const char *p = s, *end = s + n;

	for (;;) {
		const char *q = memchr(p, sep, (size_t)(end - p));
		size_t len = (size_t)((q ? q : end) - p);

		if (nfield == MAX_FIELDS)
			break;
		field[nfield] = malloc(len);
		assert(field[nfield] || len == 0);
		if (len)
			memcpy(field[nfield], p, len);
		flen[nfield++] = len;
		if (!q)
			break;
		p = q + 1;
	}
	for (k = 0; k < SRC_NSOURCES; k++)
		if (check_source_of(k)->ncols > max)
			max = check_source_of(k)->ncols;
	for (i = nfield; i < max; i++) {
		field[i] = malloc(0);
		flen[i] = 0;
	}

	for (k = 0; k < SRC_NSOURCES; k++) {
		const check_source *src = check_source_of(k);
		check_row row = {field, flen, idx};

		assert(src && check_source_by_name(src->name, strlen(src->name)) == k);
		assert(check_source_by_kind(src->kind, strlen(src->kind)) == k);
		for (i = 0; i < COL_NROLES; i++)
			idx[i] = -1;
		for (i = 0; i < src->ncols; i++) {
			idx[(int)src->cols[i]] = (int)i;
			assert(strcmp(check_col_name(src->cols[i]), "?") != 0);
		}
		for (j = 0; j < sizeof futures / sizeof futures[0]; j++)
			_run(src, &row, futures[j]);
		_record(s, n, nfield, src->ncols);
	}
	for (i = 0; i < (nfield > max ? nfield : max); i++)
		free(field[i]);
}

/* The entry point: see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size;
	char sep = memchr(s, '\t', size) ? '\t' : ',';

	assert(check_source_of(-1) == NULL && check_source_of(SRC_NSOURCES) == NULL);
	assert(check_source_by_name(s, size) < 0 || size <= 17);
	assert(check_source_by_kind(s, size) < 0 || size <= 16);
	assert(strcmp(check_col_name(-1), "?") == 0 &&
	       strcmp(check_col_name(COL_NROLES), "?") == 0);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));

		_row(s, (size_t)((nl ? nl : end) - s), sep);
		s = nl ? nl + 1 : end;
	}
	return 0;
}
