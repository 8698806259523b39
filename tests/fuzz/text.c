/* Fuzz text: UTF-8 validation against a reference decoder, text_check()
 * against validation and the forbidden bytes, and escaping: text_escape()
 * and text_escape_to() write the same bytes, within 4n, valid UTF-8 with
 * no tab, CR, LF or NUL, that unescape to the input. */
#undef NDEBUG /* the checks are assertions */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* The reference: decode code points, refusing overlongs, surrogates and
 * anything past U+10FFFF. */
static int
_ref_valid(const unsigned char *s, size_t n)
{
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t i = 0, k, j;

	while (i < n) {
		uint32_t c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0)
			k = 2, c &= 0x1F;
		else if ((c & 0xF0) == 0xE0)
			k = 3, c &= 0x0F;
		else if ((c & 0xF8) == 0xF0)
			k = 4, c &= 0x07;
		else
			return 0;
		if (i + k > n)
			return 0;
		for (j = 1; j < k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			c = c << 6 | (s[i + j] & 0x3F);
		}
		if (c < min[k] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
			return 0;
		i += k;
	}
	return 1;
}

/* Undo the escaping into out (n bytes at most); returns the length. */
static size_t
_unescape(const char *s, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		assert(i + 1 < n);
		switch (s[++i]) {
		case '\\': out[o++] = '\\'; break;
		case 't': out[o++] = '\t'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 'x': {
			static const char hex[] = "0123456789ABCDEF";
			const char *hi, *lo;

			assert(i + 2 < n);
			hi = memchr(hex, s[i + 1], 16);
			lo = memchr(hex, s[i + 2], 16);
			assert(s[i + 1] && s[i + 2] && hi && lo);
			out[o++] = (char)((hi - hex) << 4 | (lo - hex));
			i += 2;
			break;
		}
		default: assert(!"unknown escape");
		}
	}
	return o;
}

/* The entry point: see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int valid = text_utf8_valid(s, size), strict = text_check(s, size, 0);
	int tab_ok = text_check(s, size, 1);
	int crlf = memchr(s, '\r', size) || memchr(s, '\n', size) || memchr(s, 0, size);
	int plain = 1;
	text_buf b = {0};
	char *to = malloc(4 * size), *back;
	size_t n, i, half = size / 2;

	assert(valid == _ref_valid(data, size));
	if (!valid) {
		assert(strict == TEXT_BAD_UTF8 && tab_ok == TEXT_BAD_UTF8);
	} else {
		assert(strict == (text_has_bad_char(s, size) ? TEXT_BAD_CHAR : TEXT_OK));
		assert(tab_ok == (crlf ? TEXT_BAD_CHAR : TEXT_OK));
	}
	assert(text_has_bad_char(s, size) == (crlf || memchr(s, '\t', size)));

	/* Escaped whole, and in two appends split in the middle: an escape
	 * does not look past its input. */
	assert(to || size == 0);
	n = text_escape_to(to, s, size);
	assert(n <= 4 * size);
	assert(text_append(&b, "", 0) == 0);
	assert(text_escape(&b, s, half) == 0 && text_escape(&b, s + half, size - half) == 0);
	assert(text_utf8_valid(b.p, b.len) && !text_has_bad_char(b.p, b.len));
	assert(b.p[b.len] == '\0' && strlen(b.p) == b.len);
	if (text_utf8_valid(s, half) && text_utf8_valid(s + half, size - half))
		assert(b.len == n && (n == 0 || memcmp(b.p, to, n) == 0));
	b.len = 0;
	assert(text_escape(&b, s, size) == 0);
	assert(b.len == n && (n == 0 || memcmp(b.p, to, n) == 0));

	back = malloc(n + 1);
	assert(back);
	assert(_unescape(to, n, back) == size && (size == 0 || memcmp(back, s, size) == 0));
	for (i = 0; i < size; i++)
		if (s[i] == '\\' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == 0)
			plain = 0;
	if (valid && plain)
		assert(n == size && (n == 0 || memcmp(to, s, n) == 0));
	free(back);
	free(to);
	text_free(&b);
	return 0;
}
