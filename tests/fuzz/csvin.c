/* Fuzz csvin: any bytes as a CSV file, read to the end.
 *
 * Each record is checked against the physical lines of the input as
 * csvin.h defines them (LF, CRLF and a lone CR end a line; a BOM at the
 * start is dropped; records cover whole lines, one after the other, raw
 * being their bytes); the fast path and libcsv alone (nofast) must give
 * the same records; the fields of the well-formed records, written back as
 * canonical CSV, must read back the same; and one input in eight is read
 * once more behind a first line of about a block, so that it straddles the
 * reader's block boundary or makes its buffer grow.  The file is a memfd,
 * opened by its /proc/self/fd name. */
#undef NDEBUG /* the checks are assertions */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "csvin.h"
#include "text.h"

/* csvin.c's read size: the padded run puts a block end inside the input. */
enum { BLOCK = 1 << 20 };

/* The physical lines of a stream: line i (from 1) is len[i] bytes at off[i],
 * without its ending. */
struct lines {
	size_t *off, *len;
	size_t n, cap;
};

/* The file the reader opens: in memory, rewritten for each input. */
static int file_fd = -1;
static char file_path[64];

/* One more line. */
static void
_line(struct lines *l, size_t off, size_t len)
{
	if (l->n + 2 > l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->off = realloc(l->off, l->cap * sizeof *l->off);
		l->len = realloc(l->len, l->cap * sizeof *l->len);
		assert(l->off && l->len);
	}
	l->n++;
	l->off[l->n] = off;
	l->len[l->n] = len;
}

/* Split s[0..n) into physical lines, by another route than csvin's: the
 * next CR and the next LF, each found with memchr(). */
static void
_lines(const unsigned char *s, size_t n, struct lines *l)
{
	size_t i = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, j;
	const unsigned char *nl = NULL, *cr = NULL;

	l->n = 0;
	while (i < n) {
		if (!nl || nl < s + i)
			nl = memchr(s + i, '\n', n - i);
		if (!cr || cr < s + i)
			cr = memchr(s + i, '\r', n - i);
		j = nl ? (size_t)(nl - s) : n;
		if (cr && (size_t)(cr - s) < j)
			j = (size_t)(cr - s);
		_line(l, i, j - i);
		if (j < n && s[j] == '\r' && j + 1 < n && s[j + 1] == '\n')
			j++;
		i = j + 1;
	}
}

/* Append bytes; out of memory is a failure of the harness. */
static void
_put(text_buf *b, const void *s, size_t n)
{
	int rc = text_append(b, n ? s : "", n);

	assert(rc == 0);
}

/* Append a number as eight bytes. */
static void
_put_num(text_buf *b, uint64_t v)
{
	_put(b, &v, sizeof v);
}

/* Write s[0..n) into the in-memory file. */
static void
_write_file(const unsigned char *s, size_t n)
{
	size_t done = 0;

	if (file_fd < 0) {
		file_fd = memfd_create("fuzz-csvin", 0);
		assert(file_fd >= 0);
		snprintf(file_path, sizeof file_path, "/proc/self/fd/%d", file_fd);
	}
	assert(ftruncate(file_fd, 0) == 0);
	while (done < n) {
		ssize_t k = pwrite(file_fd, s + done, n - done, (off_t)done);

		assert(k > 0);
		done += (size_t)k;
	}
}

/* The record against the lines: it starts on line `next`, covers whole
 * lines, raw is their bytes, fields are NUL-terminated and no longer than
 * raw allows; without a quote it is one line split on commas. */
static void
_check(const csvin_record *rec, const unsigned char *s, const struct lines *l, long next)
{
	size_t first, last, i, sum = 0;
	const char *p;

	assert(rec->line == next);
	assert(rec->nlines >= 1 && (size_t)(rec->line + rec->nlines - 1) <= l->n);
	first = l->off[rec->line];
	last = (size_t)(rec->line + rec->nlines - 1);
	assert(rec->rawlen == l->off[last] + l->len[last] - first);
	assert(rec->rawlen == 0 || memcmp(rec->raw, s + first, rec->rawlen) == 0);
	assert(rec->nfield >= 1 || rec->malformed); /* a quote error may come first */
	for (i = 0; i < rec->nfield; i++) {
		assert(rec->field[i][rec->flen[i]] == '\0');
		sum += rec->flen[i];
	}
	assert(sum + (rec->nfield ? rec->nfield - 1 : 0) <= rec->rawlen);
	if (rec->rawlen > 0 && memchr(rec->raw, '"', rec->rawlen))
		return;
	assert(!rec->malformed && rec->nlines == 1);
	for (i = 0, p = rec->raw; i < rec->nfield; i++) {
		assert(rec->flen[i] == 0 || memcmp(rec->field[i], p, rec->flen[i]) == 0);
		p += rec->flen[i];
		assert(i + 1 == rec->nfield ? p == rec->raw + rec->rawlen : *p++ == ',');
	}
}

/* A record's parts, for comparing two reads. */
static void
_record(text_buf *b, const csvin_record *rec)
{
	size_t i;

	_put_num(b, (uint64_t)rec->line);
	_put_num(b, (uint64_t)rec->nlines);
	_put_num(b, (uint64_t)rec->malformed);
	_put_num(b, rec->rawlen);
	_put(b, rec->raw, rec->rawlen);
	_put_num(b, rec->nfield);
	for (i = 0; i < rec->nfield; i++) {
		_put_num(b, rec->flen[i]);
		_put(b, rec->field[i], rec->flen[i]);
	}
}

/* A well-formed record as canonical CSV: every field quoted, quotes
 * doubled, LF at the end. */
static void
_canonical(text_buf *b, const csvin_record *rec)
{
	size_t i, j;

	for (i = 0; i < rec->nfield; i++) {
		_put(b, i ? ",\"" : "\"", i ? 2 : 1);
		for (j = 0; j < rec->flen[i]; j++)
			_put(b, rec->field[i][j] == '"' ? "\"\"" : &rec->field[i][j],
			     rec->field[i][j] == '"' ? 2 : 1);
		_put(b, "\"", 1);
	}
	_put(b, "\n", 1);
}

/* Read the file to its end, each record checked against the lines of s;
 * the records' parts go to parts, and the well-formed ones as canonical
 * CSV to csv, when given.  Returns the number of records. */
static size_t
_read(const unsigned char *s, const struct lines *l, int nofast, text_buf *parts, text_buf *csv)
{
	csvin r;
	csvin_record rec;
	long next = 1;
	size_t n = 0;
	int rc = csvin_open(&r, file_path);

	assert(rc == 0);
	r.nofast = nofast;
	while ((rc = csvin_next(&r, &rec)) == CSVIN_RECORD) {
		_check(&rec, s, l, next);
		next = rec.line + rec.nlines;
		n++;
		if (parts)
			_record(parts, &rec);
		if (csv && !rec.malformed)
			_canonical(csv, &rec);
	}
	assert(rc == CSVIN_EOF);
	assert(csvin_next(&r, &rec) == CSVIN_EOF);
	assert((size_t)next == l->n + 1);
	csvin_close(&r);
	return n;
}

/* The well-formed records' fields only, from the parts written by _read(). */
static void
_fields_of(const text_buf *parts, text_buf *out)
{
	const char *p = parts->p, *end;
	uint64_t v[5], k, len;

	if (parts->len == 0)
		return;
	for (end = p + parts->len; p < end;) {
		memcpy(v, p, sizeof v[0] * 4);
		p += sizeof v[0] * 4 + v[3];
		memcpy(&v[4], p, sizeof v[4]);
		p += sizeof v[4];
		if (!v[2])
			_put_num(out, v[4]);
		for (k = 0; k < v[4]; k++) {
			memcpy(&len, p, sizeof len);
			if (!v[2])
				_put(out, p, sizeof len + len);
			p += sizeof len + len;
		}
	}
}

/* The fields of every record of the file, as _fields_of() gives them. */
static void
_fields_read(const unsigned char *s, size_t n, text_buf *out)
{
	struct lines l = {0};
	text_buf parts = {0};

	_lines(s, n, &l);
	_read(s, &l, 0, &parts, NULL);
	_fields_of(&parts, out);
	text_free(&parts);
	free(l.off);
	free(l.len);
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

/* The input behind a first line that ends (or, joined to the input's
 * first line, goes on) k bytes before the end of the first block: short
 * fields, as libcsv grows a field's buffer by a fixed step. */
static void
_padded(const uint8_t *data, size_t size)
{
	static unsigned char *buf;
	static size_t cap;
	uint64_t h = _hash(data, size);
	size_t k = (size_t)((h >> 8) % (size + 1)), pad = BLOCK - k, n = pad + size, i;
	struct lines l = {0};

	if (h & 7)
		return; /* a megabyte to read: one input in eight */
	if (n > cap) {
		free(buf);
		cap = n;
		buf = malloc(cap);
		assert(buf);
	}
	memset(buf, 'x', pad);
	for (i = 4095; i < pad; i += 4096)
		buf[i] = ',';
	if (h >> 63)
		buf[pad - 1] = '\n';
	memcpy(buf + pad, data, size);
	_write_file(buf, n);
	_lines(buf, n, &l);
	_read(buf, &l, 0, NULL, NULL);
	free(l.off);
	free(l.len);
}

/* The entry point: see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lines l = {0};
	text_buf fast = {0}, slow = {0}, csv = {0}, want = {0}, got = {0};

	if (size > BLOCK / 2)
		return 0;
	_write_file(data, size);
	_lines(data, size, &l);
	_read(data, &l, 0, &fast, &csv);
	_read(data, &l, 1, &slow, NULL);
	assert(fast.len == slow.len && (fast.len == 0 || memcmp(fast.p, slow.p, fast.len) == 0));

	_fields_of(&fast, &want);
	_write_file((const unsigned char *)csv.p, csv.len);
	_fields_read((const unsigned char *)csv.p, csv.len, &got);
	assert(want.len == got.len && (want.len == 0 || memcmp(want.p, got.p, want.len) == 0));

	_padded(data, size);
	text_free(&fast);
	text_free(&slow);
	text_free(&csv);
	text_free(&want);
	text_free(&got);
	free(l.off);
	free(l.len);
	return 0;
}
