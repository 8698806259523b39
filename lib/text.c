/* text: byte buffers, UTF-8 validation, escaping. */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Grow to hold len + n + 1 bytes. */
int
text_reserve(text_buf *b, size_t n)
{
	size_t need = b->len + n + 1, cap;
	char *p;

	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* Append bytes and keep the buffer NUL-terminated. */
int
text_append(text_buf *b, const char *s, size_t n)
{
	if (text_reserve(b, n) < 0)
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/* Free and reset to empty. */
void
text_free(text_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t
_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && s[1] >= 0xA0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0; /* overlong */
		if (c == 0xF4 && s[1] >= 0x90)
			return 0; /* beyond U+10FFFF */
		return 4;
	}
	return 0;
}

/* Validate; ASCII runs are skipped eight bytes at a time. */
int
text_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;

	while (i < n) {
		while (i + 8 <= n) {
			unsigned long long w;

			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		k = _utf8_seq(s + i, n - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* Bytes that escaping must look at: the four with a letter escape, NUL,
 * and every byte of a multi-byte sequence. */
static inline int
_special(unsigned char c)
{
	return c >= 0x80 || c == '\\' || c == '\t' || c == '\n' || c == '\r' || c == 0;
}

/* Escape for a TSV field; see text.h.  Runs of ordinary bytes are copied
 * whole, so clean ASCII costs one test a byte. */
size_t
text_escape_to(char *dst, const char *str, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run, k;
	char *o = dst;

	while (i < n) {
		unsigned char c;

		for (run = i; run < n && !_special(s[run]); run++)
			;
		memcpy(o, s + i, run - i);
		o += run - i;
		if ((i = run) >= n)
			break;
		c = s[i];
		if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
			*o++ = '\\';
			*o++ = c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
			i++;
			continue;
		}
		k = c ? _utf8_seq(s + i, n - i) : 0;
		if (k == 0) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
			i++;
			continue;
		}
		memcpy(o, s + i, k);
		o += k;
		i += k;
	}
	return (size_t)(o - dst);
}

/* Append escaped; the worst case is four bytes for one. */
int
text_escape(text_buf *b, const char *s, size_t n)
{
	if (text_reserve(b, 4 * n) < 0)
		return -1;
	b->len += text_escape_to(b->p + b->len, s, n);
	b->p[b->len] = '\0';
	return 0;
}

/* UTF-8 validity first (it is the earlier check), forbidden bytes second.
 * Sixteen bytes at a time (SSE2) skip what is printable ASCII or a tab:
 * as signed bytes, every byte below 0x20 or above 0x7f is below 0x20. */
int
text_check(const char *str, size_t n, int tab_ok)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;
	int bad = 0;

	while (i < n) {
		unsigned char c;

#ifdef __SSE2__
		{
			const __m128i lo = _mm_set1_epi8(0x20), tab = _mm_set1_epi8('\t');

			while (i + 16 <= n) {
				__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
				unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, lo));

				if (tab_ok)
					m &= ~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, tab));
				if (m)
					break;
				i += 16;
			}
			if (i >= n)
				break;
		}
#endif
		c = s[i];

		if (c >= 0x20 && c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			if ((k = _utf8_seq(s + i, n - i)) == 0)
				return TEXT_BAD_UTF8;
			i += k;
			continue;
		}
		if (c == '\r' || c == '\n' || c == 0 || (c == '\t' && !tab_ok))
			bad = 1;
		i++;
	}
	return bad ? TEXT_BAD_CHAR : TEXT_OK;
}

/* Code point by code point. */
int
text_check_document(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;

	while (i < n) {
		unsigned c = s[i];

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return TEXT_CONTROL;
			i++;
			continue;
		}
		if ((k = _utf8_seq(s + i, n - i)) == 0)
			return TEXT_BAD_UTF8;
		if (k == 2)
			c = (c & 0x1f) << 6 | (s[i + 1] & 0x3f);
		else if (k == 3)
			c = (c & 0x0f) << 12 | (s[i + 1] & 0x3f) << 6 | (s[i + 2] & 0x3f);
		else
			c = (c & 0x07) << 18 | (s[i + 1] & 0x3f) << 12 | (s[i + 2] & 0x3f) << 6 |
			    (s[i + 3] & 0x3f);
		if (c <= 0x9f)
			return TEXT_CONTROL;
		if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
			return TEXT_NONCHAR;
		i += k;
	}
	return TEXT_OK;
}

/* Any byte that cannot stand in a TSV field. */
int
text_has_bad_char(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t' || c == '\n' || c == '\r' || c == '\0')
			return 1;
	}
	return 0;
}

/* Whether code point c is drawn two columns wide (East Asian Wide and
 * Fullwidth, the main blocks) or not at all (combining marks). */
static int
_columns(unsigned long c)
{
	if ((c >= 0x0300 && c <= 0x036f) || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0xfe00 && c <= 0xfe0f))
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) ||
	    (c >= 0x3041 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
	    (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
	    (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ||
	    (c >= 0x1f300 && c <= 0x1f64f) || (c >= 0x1f900 && c <= 0x1f9ff) ||
	    (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

/* Decode as text_check_document() does, leniently: a byte that starts no
 * whole sequence is one column. */
size_t
text_width(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, w = 0, k, j;

	while (i < n) {
		unsigned long c = u[i];

		k = c < 0x80		    ? 1
		    : c >= 0xc2 && c < 0xe0 ? 2
		    : c >= 0xe0 && c < 0xf0 ? 3
		    : c >= 0xf0 && c < 0xf5 ? 4
					    : 0;
		for (j = 1; k > 1 && j < k; j++)
			if (i + j >= n || (u[i + j] & 0xc0) != 0x80)
				k = 0;
		if (k <= 1) {
			w++, i++;
			continue;
		}
		c &= 0x7f >> k;
		for (j = 1; j < k; j++)
			c = c << 6 | (u[i + j] & 0x3f);
		w += (size_t)_columns(c);
		i += k;
	}
	return w;
}

/* A whole number of 1 to max digits. */
long
text_digits(const char *s, size_t n, size_t max)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > max || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}
