/* text: UTF-8 validation, escaping of raw records, bad characters. */
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "text.h"

/* Inputs carry explicit lengths: some hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

static const struct {
	const char *in;
	size_t n;
	int valid;
} utf8_cases[] = {
	{S(""), 1},
	{S("abc"), 1},
	{S("\xca\xa4"), 1},	    /* U+02A4, csv-spectrum's utf8 case */
	{S("\xe2\x82\xac"), 1},	    /* euro sign */
	{S("\xf0\x9f\x98\x80"), 1}, /* emoji, 4 bytes */
	{S("Ol\xc3\xa1, S\xc3\xa3o Paulo"), 1},
	{S("\xc0\xaf"), 0},	    /* overlong '/' */
	{S("\xe0\x80\xaf"), 0},	    /* overlong, 3 bytes */
	{S("\xed\xa0\x80"), 0},	    /* surrogate */
	{S("\xf4\x90\x80\x80"), 0}, /* beyond U+10FFFF */
	{S("\xe2\x82"), 0},	    /* truncated */
	{S("\x80"), 0},		    /* lone continuation */
	{S("\xff"), 0},
	{S("Hist\xf3rico"), 0}, /* ISO-8859-1 */
	{S("abcdefgh\xff"), 0}, /* after an 8-byte ASCII run */
	{S("abcdefghijklmnop\xc3\xa9"), 1},
};

START_TEST(test_utf8)
{
	ck_assert_int_eq(text_utf8_valid(utf8_cases[_i].in, utf8_cases[_i].n),
			 utf8_cases[_i].valid);
}
END_TEST

static const struct {
	const char *in;
	size_t n;
	const char *out;
} escape_cases[] = {
	{S("plain"), "plain"},
	{S("a\tb"), "a\\tb"},
	{S("a\\b"), "a\\\\b"},
	{S("line\r\nnext"), "line\\r\\nnext"},
	{S("\xff"), "\\xFF"},
	{S("caf\xc3\xa9"), "caf\xc3\xa9"},
	{S("a\0b"), "a\\x00b"},
	{S("\xc3"), "\\xC3"},
	{S("Hist\xf3rico"), "Hist\\xF3rico"},
	{S("\\t"), "\\\\t"},
	{S(""), ""},
};

START_TEST(test_escape)
{
	text_buf b = {0};

	ck_assert_int_eq(text_escape(&b, escape_cases[_i].in, escape_cases[_i].n), 0);
	ck_assert_str_eq(b.p, escape_cases[_i].out);
	text_free(&b);
}
END_TEST

static const struct {
	const char *in;
	size_t n;
	int bad;
} bad_char_cases[] = {
	{S("ab"), 0},	{S("a\tb"), 1}, {S("a\rb"), 1}, {S("a\nb"), 1},
	{S("a\0b"), 1}, {S(""), 0},	{S("a b"), 0},	{S("\x01"), 0},
};

START_TEST(test_bad_char)
{
	ck_assert_int_eq(text_has_bad_char(bad_char_cases[_i].in, bad_char_cases[_i].n),
			 bad_char_cases[_i].bad);
}
END_TEST

static const struct {
	const char *in;
	size_t n;
	int tab_ok;
	int want;
} check_cases[] = {
	{S("plain,ascii"), 0, TEXT_OK},
	{S("a\tb"), 1, TEXT_OK},
	{S("a\tb"), 0, TEXT_BAD_CHAR},
	{S("a\rb"), 1, TEXT_BAD_CHAR},
	{S("a\nb"), 1, TEXT_BAD_CHAR},
	{S("a\0b"), 1, TEXT_BAD_CHAR},
	{S("caf\xc3\xa9"), 0, TEXT_OK},
	{S("caf\xe9"), 0, TEXT_BAD_UTF8},
	{S("\r caf\xe9"), 0, TEXT_BAD_UTF8}, /* bad_utf8 comes first */
	{S("caf\xe9\r"), 0, TEXT_BAD_UTF8},
	{S("\x01\x1f"), 0, TEXT_OK}, /* other controls are data */
	{S(""), 0, TEXT_OK},
};

START_TEST(test_check)
{
	ck_assert_int_eq(text_check(check_cases[_i].in, check_cases[_i].n, check_cases[_i].tab_ok),
			 check_cases[_i].want);
}
END_TEST

/* Escaping into raw memory writes what text_escape appends. */
START_TEST(test_escape_to)
{
	char dst[64];
	size_t n = text_escape_to(dst, "a\tb\xff\\", 5);

	ck_assert_uint_eq(n, 10);
	ck_assert(memcmp(dst, "a\\tb\\xFF\\\\", 10) == 0);
}
END_TEST

/* Appending keeps the buffer NUL-terminated and grows it. */
START_TEST(test_append)
{
	text_buf b = {0};
	int i;

	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(text_append(&b, "xy", 2), 0);
	ck_assert_uint_eq(b.len, 20000);
	ck_assert_int_eq(b.p[b.len], '\0');
	ck_assert_int_eq(b.p[19999], 'y');
	text_free(&b);
	ck_assert_ptr_null(b.p);
}
END_TEST

/* ---- text_width: columns on screen. */
static const struct {
	const char *in;
	size_t n, width;
} width_cases[] = {
	{S(""), 0},
	{S("SIA-2024-000007"), 15},
	{S("Stra\xc3\x9f"
	   "e"),
	 6},				    /* 2-byte letter: one column */
	{S("R \xe2\x80\x94 Orders"), 10},   /* em dash: one column */
	{S("\xe4\xba\xac\xe9\x83\xbd"), 4}, /* two CJK ideographs: two each */
	{S("\xea\xb0\x80"), 2},		    /* Hangul syllable */
	{S("\xef\xbc\xa1"), 2},		    /* fullwidth A */
	{S("\xf0\x9f\x98\x80"), 2},	    /* emoji */
	{S("e\xcc\x81"), 1},		    /* e + combining acute */
	{S("\xff"
	   "a"),
	 2},		    /* invalid byte: one column */
	{S("\xe4\xba"), 2}, /* truncated sequence: a column a byte */
	{S("\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0"), 6}, /* Cyrillic */
};

START_TEST(test_width)
{
	ck_assert_uint_eq(text_width(width_cases[_i].in, width_cases[_i].n), width_cases[_i].width);
}
END_TEST

/* Digits: within the bound, not empty, nothing but ASCII digits. */
static const struct {
	const char *in;
	size_t n, max;
	long want;
} digit_cases[] = {
	{S("000123"), 12, 123},
	{S("999999999999"), 12, 999999999999L},
	{S("1000000000000"), 12, -1},
	{S("999999999999999999"), 18, 999999999999999999L},
	{S("9999999999999999999"), 19, -1},
	{S(""), 12, -1},
	{S("12a"), 12, -1},
	{S("-1"), 12, -1},
	{S(" 1"), 12, -1},
	{S("2024"), 4, 2024},
};

START_TEST(test_digits)
{
	ck_assert_int_eq(text_digits(digit_cases[_i].in, digit_cases[_i].n, digit_cases[_i].max),
			 digit_cases[_i].want);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
suite_text(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("tables");

	tcase_add_loop_test(tc, test_utf8, 0, N(utf8_cases));
	tcase_add_loop_test(tc, test_escape, 0, N(escape_cases));
	tcase_add_loop_test(tc, test_bad_char, 0, N(bad_char_cases));
	tcase_add_loop_test(tc, test_check, 0, N(check_cases));
	tcase_add_loop_test(tc, test_width, 0, N(width_cases));
	tcase_add_loop_test(tc, test_digits, 0, N(digit_cases));
	tcase_add_test(tc, test_escape_to);
	tcase_add_test(tc, test_append);
	suite_add_tcase(s, tc);
	return s;
}
