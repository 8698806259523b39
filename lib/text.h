/* text: byte buffers, UTF-8 validation and the escaping of raw records.
 *
 * A rejected row is written to rejects.tsv verbatim but escaped, so that
 * any bytes fit in one TSV field: backslash, tab, newline and carriage
 * return become \\ \t \n \r, and every byte that is not part of a valid
 * UTF-8 sequence (and NUL) becomes \xNN. */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>

/* A growable byte buffer; always NUL-terminated after a successful call. */
typedef struct text_buf {
	char *p;
	size_t len;
	size_t cap;
} text_buf;

/* Make room for n more bytes; 0 or -1 when out of memory. */
int text_reserve(text_buf *b, size_t n);

/* Append n bytes; 0 or -1 when out of memory. */
int text_append(text_buf *b, const char *s, size_t n);

/* Release the buffer's memory. */
void text_free(text_buf *b);

/* 1 when s[0..n) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int text_utf8_valid(const char *s, size_t n);

/* Append s[0..n) escaped as described above; 0 or -1 when out of memory. */
int text_escape(text_buf *b, const char *s, size_t n);

/* Write s[0..n) escaped at dst, which has room for 4 * n bytes; returns
 * the number of bytes written. */
size_t text_escape_to(char *dst, const char *s, size_t n);

enum text_check { TEXT_OK = 0, TEXT_BAD_UTF8 = 1, TEXT_BAD_CHAR = 2 };

/* One pass over a raw record: TEXT_BAD_UTF8 when it is not valid UTF-8,
 * else TEXT_BAD_CHAR when it holds a CR, LF or NUL (or a tab, unless
 * tab_ok: in TSV the tab is the separator), else TEXT_OK. */
int text_check(const char *s, size_t n, int tab_ok);

enum { TEXT_CONTROL = 3, TEXT_NONCHAR = 4 };

/* Text that goes into documents (names, addresses, reasons): TEXT_BAD_UTF8
 * when not valid UTF-8, TEXT_CONTROL for a control character (U+0000 to
 * U+001F, U+007F to U+009F), TEXT_NONCHAR for a noncharacter (U+FDD0 to
 * U+FDEF, U+xFFFE, U+xFFFF: XML refuses some, spreadsheets stop reading
 * at them), else TEXT_OK. */
int text_check_document(const char *s, size_t n);

/* 1 when s[0..n) holds a tab, CR, LF or NUL: a byte no TSV field may hold. */
int text_has_bad_char(const char *s, size_t n);

/* s[0..n), 1 to max ASCII digits (max at most 18), as a number; -1 when
 * it is empty, longer or holds anything else. */
long text_digits(const char *s, size_t n, size_t max);

/* The columns s[0..n) takes on screen, for sizing spreadsheet columns: one
 * per character, two for the East Asian wide and fullwidth ones (CJK,
 * Hangul, fullwidth forms, emoji), none for combining marks.  A byte that
 * is not part of valid UTF-8 counts as one column. */
size_t text_width(const char *s, size_t n);

#endif
