/* tsv: fast TSV reading by header name. */
#include "tsv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The buffer has SLACK bytes past its capacity, so that the splitter may
 * load sixteen bytes from anywhere in a row. */
enum { BLOCK = 1 << 20, SLACK = 32 };

/* Start reading fp; a pipe gets a one-block buffer (see out_init()). */
void
tsv_init(tsv_reader *r, FILE *fp, const char *name)
{
	memset(r, 0, sizeof *r);
	r->fp = fp;
	r->name = name;
	fcntl(fileno(fp), F_SETPIPE_SZ, BLOCK);
}

void
tsv_copy_to(tsv_reader *r, out *o)
{
	r->copy = o;
}

/* Write p[0..n) to the copy; 0 or TSV_ECOPY. */
static int
_copy(const tsv_reader *r, const char *p, size_t n)
{
	if (out_write(r->copy, p, n) < 0)
		return TSV_ECOPY;
	if (r->copy->err) {
		errno = r->copy->err;
		return TSV_ECOPY;
	}
	return 0;
}

/* Open a named file or stdin. */
int
tsv_open(tsv_reader *r, const char *path)
{
	FILE *fp;

	if (strcmp(path, "-") == 0) {
		tsv_init(r, stdin, "<stdin>");
		return 0;
	}
	fp = fopen(path, "r");
	if (!fp)
		return -1;
	tsv_init(r, fp, path);
	r->own = 1;
	return 0;
}

/* Move unread bytes to the front, grow if full, read one more block. */
static int
_fill(tsv_reader *r)
{
	size_t n;

	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->pos = 0;
	}
	if (r->cap - r->end < BLOCK / 2 + 1) {
		size_t cap = r->cap ? r->cap * 2 : BLOCK;
		char *p = realloc(r->buf, cap + SLACK);

		if (!p)
			return TSV_ENOMEM;
		r->buf = p;
		r->cap = cap;
	}
	/* Keep one byte free for the NUL after an unterminated last row. */
	n = fread(r->buf + r->end, 1, r->cap - r->end - 1, r->fp);
	if (n > 0 && r->copy && _copy(r, r->buf + r->end, n) < 0)
		return TSV_ECOPY;
	r->end += n;
	if (n == 0) {
		if (ferror(r->fp))
			return TSV_EIO;
		r->eof = 1;
	}
	return 0;
}

/* Room for one more field. */
static int
_grow(tsv_reader *r)
{
	size_t cap = r->fcap ? r->fcap * 2 : 32;
	char **f = realloc(r->field, cap * sizeof *f);
	size_t *l;

	if (!f)
		return TSV_ENOMEM;
	r->field = f;
	l = realloc(r->flen, cap * sizeof *l);
	if (!l)
		return TSV_ENOMEM;
	r->flen = l;
	r->fcap = cap;
	return 0;
}

/* Split the current row on tabs into field[] (in place unless keep_raw).
 * Tabs are found sixteen bytes at a time with SSE2 where the compiler has
 * it (every x86-64), else eight at a time: for w = word ^ 0x09..09 a byte
 * of w is zero exactly where ((w & 0x7f) + 0x7f | w) has its high bit
 * clear, with no carry between bytes, so every flagged byte is a tab.  A
 * row in the reader's own buffer (slack set) is read 32 bytes at a time
 * (two SSE2 loads, one mask) to its end, the bits past it masked off; a
 * row of up to ROOM_ONCE bytes gets room for all its fields at once. */
enum { ROOM_ONCE = 4096 };

static int
_split(tsv_reader *r, int slack)
{
	char *p = r->row, *end = r->row + r->rowlen, *start = r->row;
	char **field = r->field;
	size_t *flen = r->flen, nf = 0;
	int keep = r->keep_raw;

	/* The fields ending at the tabs flagged in m (bit k: the byte at
	 * base + k); room for them was made before.  Two copies of the loop:
	 * with and without the NUL. */
#define CUTS(m, base)                                                                              \
	do {                                                                                       \
		if (keep)                                                                          \
			while (m) {                                                                \
				char *t = (base) + (unsigned)__builtin_ctzll(m);                   \
                                                                                                   \
				field[nf] = start;                                                 \
				flen[nf++] = (size_t)(t - start);                                  \
				start = t + 1;                                                     \
				m &= m - 1;                                                        \
			}                                                                          \
		else                                                                               \
			while (m) {                                                                \
				char *t = (base) + (unsigned)__builtin_ctzll(m);                   \
                                                                                                   \
				field[nf] = start;                                                 \
				flen[nf++] = (size_t)(t - start);                                  \
				*t = '\0';                                                         \
				start = t + 1;                                                     \
				m &= m - 1;                                                        \
			}                                                                          \
	} while (0)
	/* Room for `more` fields besides those found. */
#define ROOM(more)                                                                                 \
	do {                                                                                       \
		if (nf + (more) >= r->fcap) {                                                      \
			r->nfield = nf;                                                            \
			while (nf + (more) >= r->fcap)                                             \
				if (_grow(r) < 0)                                                  \
					return TSV_ENOMEM;                                         \
			field = r->field, flen = r->flen;                                          \
		}                                                                                  \
	} while (0)
#ifdef __SSE2__
	{
		const __m128i tabs16 = _mm_set1_epi8('\t');
		/* A row has at most one field per byte, plus one. */
		int once = r->rowlen <= ROOM_ONCE;

		if (once)
			ROOM(r->rowlen + 32);
		for (; slack ? p < end : p + 32 <= end; p += 32) {
			unsigned long long m =
				(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
					_mm_loadu_si128((const __m128i *)(const void *)p),
					tabs16)) |
				(unsigned long long)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
					_mm_loadu_si128((const __m128i *)(const void *)(p + 16)),
					tabs16))
					<< 16;

			if (end - p < 32)
				m &= (1ull << (end - p)) - 1;
			if (!once)
				ROOM(32);
			CUTS(m, p);
		}
	}
#endif
	{
		const uint64_t ones7f = UINT64_C(0x7f7f7f7f7f7f7f7f),
			       tabs = UINT64_C(0x0909090909090909);

		for (; p + 8 <= end; p += 8) {
			uint64_t w, m, bits = 0;

			memcpy(&w, p, 8);
			w ^= tabs;
			m = ~(((w & ones7f) + ones7f) | w) & ~ones7f;
			/* One bit a byte, as the loop above has them. */
			while (m) {
				bits |= UINT64_C(1) << (__builtin_ctzll(m) >> 3);
				m &= m - 1;
			}
			ROOM(8);
			CUTS(bits, p);
		}
	}
	for (; p < end; p++)
		if (*p == '\t') {
			unsigned long long m = 1;

			ROOM(1);
			CUTS(m, p);
		}
	ROOM(1);
#undef CUTS
#undef ROOM
	field[nf] = start;
	flen[nf++] = (size_t)(end - start);
	r->nfield = nf;
	return TSV_ROW;
}

/* Next LF-terminated (or final unterminated) row. */
int
tsv_read(tsv_reader *r)
{
	char *nl;
	int rc;

	for (;;) {
		nl = r->pos < r->end ? memchr(r->buf + r->pos, '\n', r->end - r->pos) : NULL;
		if (nl) {
			r->row = r->buf + r->pos;
			r->rowlen = (size_t)(nl - r->row);
			*nl = '\0';
			r->pos = (size_t)(nl - r->buf) + 1;
			break;
		}
		if (r->eof) {
			if (r->pos >= r->end)
				return TSV_EOF;
			r->row = r->buf + r->pos;
			r->rowlen = r->end - r->pos;
			r->row[r->rowlen] = '\0';
			r->pos = r->end;
			break;
		}
		if ((rc = _fill(r)) < 0)
			return rc;
	}
	/* A UTF-8 BOM at the start of the file is dropped (SPEC 4, 11):
	 * spreadsheets write one. */
	if (r->line == 0 && r->rowlen >= 3 && memcmp(r->row, "\xef\xbb\xbf", 3) == 0) {
		r->row += 3;
		r->rowlen -= 3;
		r->bom = 1;
	}
	r->line++;
	return _split(r, 1);
}

/* Rows from the buffer as they are; refill only when none is whole. */
int
tsv_read_many(tsv_reader *r, char **row, size_t *len, size_t max)
{
	size_t n = 0;
	int rc;

	while (n < max) {
		char *nl = r->pos < r->end ? memchr(r->buf + r->pos, '\n', r->end - r->pos) : NULL;

		if (!nl) {
			if (n > 0)
				break;
			if (r->eof) {
				if (r->pos >= r->end)
					return TSV_EOF;
				nl = r->buf + r->end; /* the last row, unterminated */
			} else {
				if ((rc = _fill(r)) < 0)
					return rc;
				continue;
			}
		}
		row[n] = r->buf + r->pos;
		len[n] = (size_t)(nl - row[n]);
		r->pos = nl < r->buf + r->end ? (size_t)(nl - r->buf) + 1 : r->end;
		if (r->line == 0 && len[n] >= 3 && memcmp(row[n], "\xef\xbb\xbf", 3) == 0) {
			row[n] += 3;
			len[n] -= 3;
			r->bom = 1;
		}
		r->line++;
		n++;
		if (nl == r->buf + r->end)
			break;
	}
	return (int)n;
}

/* Split a row of the buffer in place, by length. */
int
tsv_split_buffered(tsv_reader *r, char *row, size_t len, long line)
{
	int keep = r->keep_raw, rc;

	r->row = row;
	r->rowlen = len;
	r->line = line;
	r->keep_raw = 1;
	rc = _split(r, 1);
	r->keep_raw = keep;
	return rc;
}

/* The same splitting into fixed arrays; fields past cap are counted (a
 * chunk's tabs at once, once none is kept).  With cr, whether the row
 * holds a CR is found in the same pass. */
static inline size_t
_split_into(const char *row, size_t len, char **field, size_t *flen, size_t cap, int *cr)
{
	const char *p = row, *end = row + len, *start = row;
	size_t nf = 0;

#define CUT(t)                                                                                     \
	do {                                                                                       \
		if (nf < cap) {                                                                    \
			field[nf] = (char *)start;                                                 \
			flen[nf] = (size_t)((t)-start);                                            \
		}                                                                                  \
		nf++;                                                                              \
		start = (t) + 1;                                                                   \
	} while (0)
#ifdef __SSE2__
	{
		const __m128i tabs16 = _mm_set1_epi8('\t'), crs16 = _mm_set1_epi8('\r');
		unsigned crs = 0;

		/* The row is in a reader's buffer, which has slack past it:
		 * whole chunks, the last one masked to the row. */
		for (; p < end; p += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, tabs16));

			if (cr)
				crs |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, crs16)) &
				       (end - p < 16 ? (1u << (end - p)) - 1 : 0xffffu);
			if (end - p < 16)
				m &= (1u << (end - p)) - 1;
			if (nf >= cap) { /* counted only (no POPCNT in the base x86-64) */
				for (; m; m &= m - 1)
					nf++;
				continue;
			}
			while (m) {
				CUT(p + __builtin_ctz(m));
				m &= m - 1;
			}
		}
		if (cr)
			*cr = crs != 0;
	}
#else
	for (; p < end; p++)
		if (*p == '\t')
			CUT(p);
	if (cr)
		*cr = memchr(row, '\r', len) != NULL;
#endif
#undef CUT
	if (nf < cap) {
		field[nf] = (char *)start;
		flen[nf] = (size_t)(end - start);
	}
	return nf + 1;
}

size_t
tsv_split_into(const char *row, size_t len, char **field, size_t *flen, size_t cap)
{
	return _split_into(row, len, field, flen, cap, NULL);
}

size_t
tsv_split_into_cr(const char *row, size_t len, char **field, size_t *flen, size_t cap, int *cr)
{
	return _split_into(row, len, field, flen, cap, cr);
}

/* Split a row the caller copied. */
int
tsv_split_row(tsv_reader *r, char *row, size_t len, long line)
{
	int keep = r->keep_raw, rc;

	r->row = row;
	r->rowlen = len;
	r->line = line;
	row[len] = '\0';
	r->keep_raw = 0;
	rc = _split(r, 0);
	r->keep_raw = keep;
	return rc;
}

/* The header row, names copied so they outlive the buffer. */
int
tsv_read_header(tsv_reader *r)
{
	int rc = tsv_read(r);
	size_t i;

	if (rc != TSV_ROW)
		return rc;
	for (i = 0; i < r->nfield; i++)
		if (memchr(r->field[i], '\0', r->flen[i]))
			return TSV_ENUL;
	r->names = calloc(r->nfield, sizeof *r->names);
	if (!r->names)
		return TSV_ENOMEM;
	for (i = 0; i < r->nfield; i++) {
		r->names[i] = strdup(r->field[i]);
		if (!r->names[i])
			return TSV_ENOMEM;
	}
	r->ncol = r->nfield;
	return TSV_ROW;
}

/* Linear search: headers are short and this runs once per column. */
int
tsv_find_name(char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

/* A column of the header. */
int
tsv_column(const tsv_reader *r, const char *name)
{
	return tsv_find_name(r->names, r->ncol, name);
}

/* Resolve a list of names. */
int
tsv_columns(const tsv_reader *r, const char *const *names, int *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((idx[i] = tsv_column(r, names[i])) < 0)
			return (int)i;
	return -1;
}

/* Free buffers and header, close an owned file. */
void
tsv_close(tsv_reader *r)
{
	size_t i;

	for (i = 0; i < r->ncol; i++)
		free(r->names[i]);
	free(r->names);
	free(r->buf);
	free(r->field);
	free(r->flen);
	if (r->own && r->fp)
		fclose(r->fp);
	memset(r, 0, sizeof *r);
}

/* Messages for the error statuses. */
const char *
tsv_strerror(int status)
{
	switch (status) {
	case TSV_EIO: return strerror(errno);
	case TSV_ENOMEM: return "out of memory";
	case TSV_ENUL: return "a NUL byte in the header";
	case TSV_ECOPY: return strerror(errno);
	}
	return "no error";
}
