/* Fuzz tsv: any bytes as a TSV stream, header then rows, read to the end
 * with keep_raw off and on.
 *
 * Rows and fields must be the input's bytes: rows one after the other,
 * each ended by LF (the last one maybe not), fields split on every tab,
 * numbered from line 1; the header's names are its fields (up to a NUL,
 * being C strings) and are found again by name; tsv_split_row() on a copy
 * of a kept row gives the same fields; and one input in eight is read once
 * more behind a first row of about a block, so that it straddles the
 * reader's block boundary or makes its buffer grow. */
#undef NDEBUG /* the checks are assertions */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"

/* tsv.c's read size: a block less the byte kept for a final NUL. */
enum { BLOCK = 1 << 20 };

/* The current row against s[*off..n): its fields are the bytes up to the
 * next LF (or the end), split on tabs; *off moves past the row. */
static void
_check_row(const tsv_reader *r, const unsigned char *s, size_t n, size_t *off)
{
	size_t i, at = *off;

	assert(r->nfield >= 1 && r->field[0] == r->row);
	assert(r->row[r->rowlen] == '\0');
	if (r->keep_raw)
		assert(r->rowlen == 0 || memcmp(r->row, s + at, r->rowlen) == 0);
	for (i = 0; i < r->nfield; i++) {
		const char *f = r->field[i];
		size_t len = r->flen[i];

		assert(f >= r->row && f + len <= r->row + r->rowlen);
		assert(len == 0 || memcmp(f, s + at, len) == 0);
		assert(len == 0 || (!memchr(f, '\t', len) && !memchr(f, '\n', len)));
		if (!r->keep_raw)
			assert(f[len] == '\0');
		at += len;
		if (i + 1 < r->nfield) {
			assert(at < n && s[at] == '\t');
			assert(!r->keep_raw || (f[len] == '\t' && r->field[i + 1] == f + len + 1));
			at++;
		}
	}
	assert(at == *off + r->rowlen);
	assert(at == n || s[at] == '\n');
	*off = at < n ? at + 1 : at;
}

/* A kept row split again from a copy: the same fields, NUL-terminated. */
static void
_check_split(tsv_reader *r)
{
	size_t n = r->nfield, len = r->rowlen, i;
	char **field = malloc(n * sizeof *field), *copy = malloc(len + 1);
	size_t *flen = malloc(n * sizeof *flen);
	const char *row = r->row;
	long line = r->line;

	assert(field && copy && flen);
	memcpy(field, r->field, n * sizeof *field);
	memcpy(flen, r->flen, n * sizeof *flen);
	memcpy(copy, row, len);
	assert(tsv_split_row(r, copy, len, line) == TSV_ROW);
	assert(r->line == line && r->nfield == n && r->keep_raw);
	for (i = 0; i < n; i++) {
		assert(r->flen[i] == flen[i] && r->field[i][flen[i]] == '\0');
		assert(r->field[i] == copy + (field[i] - row));
		assert(flen[i] == 0 || memcmp(r->field[i], field[i], flen[i]) == 0);
	}
	free(field);
	free(flen);
	free(copy);
}

/* The header's names: its fields as C strings; each found by name at its
 * first occurrence, all of them at once too; a name no header can hold (a
 * LF) is missing. */
static void
_check_names(const tsv_reader *r)
{
	static const char *const missing[] = {"\n"};
	size_t i;
	int *idx = malloc((r->ncol + 1) * sizeof *idx);

	assert(idx && r->ncol == r->nfield);
	assert(tsv_column(r, "\n") == -1 && tsv_columns(r, missing, idx, 1) == 0);
	for (i = 0; i < r->ncol; i++) {
		size_t len = strnlen(r->field[i], r->flen[i]);
		int k = tsv_column(r, r->names[i]);

		assert(strlen(r->names[i]) == len && memcmp(r->names[i], r->field[i], len) == 0);
		assert(k >= 0 && (size_t)k <= i && strcmp(r->names[k], r->names[i]) == 0);
		assert(tsv_find_name(r->names, (size_t)k, r->names[i]) < 0);
	}
	assert(tsv_columns(r, (const char *const *)r->names, idx, r->ncol) == -1);
	free(idx);
}

/* Read s[0..n) to its end, rows with keep_raw as given. */
static void
_read(const unsigned char *s, size_t n, int keep_raw)
{
	FILE *fp = fmemopen((void *)s, n, "r");
	tsv_reader r;
	size_t off = 0;
	long line = 1;
	int rc;

	assert(fp);
	tsv_init(&r, fp, "fuzz");
	rc = tsv_read_header(&r);
	if (rc == TSV_ENUL) {
		/* Refused only for a NUL in the header's line. */
		const unsigned char *lf = memchr(s, '\n', n);

		assert(memchr(s, '\0', lf ? (size_t)(lf - s) : n));
		tsv_close(&r);
		fclose(fp);
		return;
	}
	{
		const unsigned char *lf = memchr(s, '\n', n);

		assert(!memchr(s, '\0', lf ? (size_t)(lf - s) : n));
	}
	assert(rc == (n ? TSV_ROW : TSV_EOF));
	if (rc == TSV_ROW) {
		assert(r.line == 1);
		_check_row(&r, s, n, &off);
		_check_names(&r);
	}
	r.keep_raw = keep_raw;
	while ((rc = tsv_read(&r)) == TSV_ROW) {
		assert(r.line == ++line);
		_check_row(&r, s, n, &off);
		if (keep_raw)
			_check_split(&r);
	}
	assert(rc == TSV_EOF && off == n);
	assert(tsv_read(&r) == TSV_EOF);
	tsv_close(&r);
	fclose(fp);
}

/* FNV-1a: which padded run an input gets, the same every time. */
static uint64_t
_hash(const uint8_t *s, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);

	while (n--)
		h = (h ^ *s++) * UINT64_C(1099511628211);
	return h;
}

/* The input behind a first row of 'x' that ends (or, joined to the
 * input's first row, goes on) k bytes before the end of the first read. */
static void
_padded(const uint8_t *data, size_t size)
{
	static unsigned char *buf;
	static size_t cap;
	uint64_t h = _hash(data, size);
	size_t k = (size_t)((h >> 8) % (size + 1)), pad = BLOCK - 1 - k, n = pad + size;

	if (h & 7)
		return; /* a megabyte to read: one input in eight */
	if (n > cap) {
		free(buf);
		cap = n;
		buf = malloc(cap);
		assert(buf);
	}
	memset(buf, 'x', pad);
	if (h >> 63)
		buf[pad - 1] = '\n';
	memcpy(buf + pad, data, size);
	_read(buf, n, (int)(h >> 62 & 1));
}

/* The entry point: see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > BLOCK / 2)
		return 0;
	_read(data, size, 0);
	_read(data, size, 1);
	_padded(data, size);
	return 0;
}
