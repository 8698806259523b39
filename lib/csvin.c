/* csvin: CSV records with line numbers and raw bytes, through libcsv. */
#include "csvin.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK = 1 << 20 };

/* Spaces are data: never let libcsv trim them. */
static int
_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* (Re)start libcsv in strict mode. */
static int
_parser_init(csvin *r)
{
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return -1;
	csv_set_space_func(&r->parser, _no_space);
	return 0;
}

/* Open a file or stdin. */
int
csvin_open(csvin *r, const char *path)
{
	FILE *fp;

	if (strcmp(path, "-") == 0)
		return csvin_init(r, stdin, "<stdin>", 0);
	if (!(fp = fopen(path, "rb")))
		return -1;
	return csvin_init(r, fp, path, 1);
}

/* Start on an open stream. */
int
csvin_init(csvin *r, FILE *fp, const char *name, int own)
{
	memset(r, 0, sizeof *r);
	r->fp = fp;
	r->name = name;
	r->own = own;
	if (_parser_init(r) < 0) {
		if (own)
			fclose(fp);
		r->fp = NULL;
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Compact, grow when needed and read a block. */
static int
_fill(csvin *r)
{
	size_t n;

	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->pos = 0;
	}
	if (r->cap - r->end < BLOCK / 2) {
		size_t cap = r->cap ? r->cap * 2 : BLOCK;
		char *p = realloc(r->buf, cap);

		if (!p)
			return CSVIN_ENOMEM;
		r->buf = p;
		r->cap = cap;
	}
	n = fread(r->buf + r->end, 1, r->cap - r->end, r->fp);
	r->end += n;
	if (n == 0) {
		if (ferror(r->fp))
			return CSVIN_EIO;
		r->eof = 1;
	}
	return 0;
}

/* The next physical line and its ending (LF, CRLF, CR or none at EOF).
 * Returns 1, 0 at end of input, or an error. */
static int
_next_line(csvin *r, const char **line, size_t *len, const char **term, size_t *tlen)
{
	int rc;

	for (;;) {
		char *s = r->buf + r->pos, *nl, *cr;
		size_t avail = r->end - r->pos;

		nl = avail ? memchr(s, '\n', avail) : NULL;
		cr = avail ? memchr(s, '\r', nl ? (size_t)(nl - s) : avail) : NULL;
		if (cr && (cr + 1 < r->buf + r->end || r->eof)) {
			*line = s;
			*len = (size_t)(cr - s);
			*term = cr;
			*tlen = cr + 1 < r->buf + r->end && cr[1] == '\n' ? 2 : 1;
			r->pos += *len + *tlen;
			return 1;
		}
		if (!cr && nl) {
			*line = s;
			*len = (size_t)(nl - s);
			*term = nl;
			*tlen = 1;
			r->pos += *len + 1;
			return 1;
		}
		if (!cr && r->eof) {
			if (avail == 0)
				return 0;
			*line = s;
			*len = avail;
			*term = NULL;
			*tlen = 0;
			r->pos = r->end;
			return 1;
		}
		if ((rc = _fill(r)) < 0)
			return rc;
	}
}

/* Room for one more field. */
static int
_grow_fields(csvin *r)
{
	size_t cap = r->fcap ? r->fcap * 2 : 32;
	size_t *o = realloc(r->foff, cap * sizeof *o), *l;
	char **f;

	if (!o)
		return -1;
	r->foff = o;
	if (!(l = realloc(r->flen, cap * sizeof *l)))
		return -1;
	r->flen = l;
	if (!(f = realloc(r->field, cap * sizeof *f)))
		return -1;
	r->field = f;
	r->fcap = cap;
	return 0;
}

/* Store one field's bytes in the arena. */
static void
_add_field(csvin *r, const char *s, size_t n)
{
	if (r->nfield == r->fcap && _grow_fields(r) < 0) {
		r->nomem = 1;
		return;
	}
	r->foff[r->nfield] = r->fbuf.len;
	r->flen[r->nfield] = n;
	if (text_append(&r->fbuf, s ? s : "", n) < 0 || text_append(&r->fbuf, "", 1) < 0) {
		r->nomem = 1;
		return;
	}
	r->nfield++;
}

/* libcsv field callback. */
static void
_on_field(void *s, size_t n, void *data)
{
	_add_field(data, s, n);
}

/* libcsv row callback. */
static void
_on_row(int c, void *data)
{
	(void)c;
	((csvin *)data)->row_done = 1;
}

/* Fill rec from the collected fields. */
static int
_emit(csvin *r, csvin_record *rec, long start, const char *raw, size_t rawlen, int malformed)
{
	size_t i;

	if (r->nomem)
		return CSVIN_ENOMEM;
	for (i = 0; i < r->nfield; i++)
		r->field[i] = r->fbuf.p + r->foff[i];
	rec->line = start;
	rec->nlines = r->line - start + 1;
	rec->malformed = malformed;
	rec->raw = raw;
	rec->rawlen = rawlen;
	rec->nfield = r->nfield;
	rec->field = r->field;
	rec->flen = r->flen;
	return CSVIN_RECORD;
}

/* After a quote error libcsv's state is spent: start it afresh. */
static int
_reset(csvin *r)
{
	csv_free(&r->parser);
	return _parser_init(r) < 0 ? CSVIN_ENOMEM : 0;
}

/* Split a line without quotes on commas. */
static void
_split_plain(csvin *r, const char *s, size_t n)
{
	const char *end = s + n, *comma;

	for (;;) {
		comma = memchr(s, ',', (size_t)(end - s));
		if (!comma) {
			_add_field(r, s, (size_t)(end - s));
			return;
		}
		_add_field(r, s, (size_t)(comma - s));
		s = comma + 1;
	}
}

/* The record loop; see csvin.h for the rules. */
int
csvin_next(csvin *r, csvin_record *rec)
{
	const char *line, *term;
	size_t len, tlen;
	int rc;

	if (!r->started) {
		while (!r->eof && r->end - r->pos < 3)
			if ((rc = _fill(r)) < 0)
				return rc;
		if (r->end - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
			r->pos += 3;
		r->started = 1;
	}
	for (;;) {
		rc = _next_line(r, &line, &len, &term, &tlen);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			if (!r->pending)
				return CSVIN_EOF;
			r->pending = 0;
			if (csv_fini(&r->parser, _on_field, _on_row, r) != 0) {
				if ((rc = _reset(r)) < 0)
					return rc;
				return _emit(r, rec, r->start, r->raw.p, r->raw.len, 1);
			}
			return _emit(r, rec, r->start, r->raw.p, r->raw.len, 0);
		}
		r->line++;
		if (!r->pending) {
			r->start = r->line;
			r->nfield = 0;
			r->fbuf.len = 0;
			r->row_done = 0;
			if (len == 0) {
				_add_field(r, "", 0);
				return _emit(r, rec, r->start, line, 0, 0);
			}
			if (!r->nofast && !memchr(line, '"', len)) {
				_split_plain(r, line, len);
				return _emit(r, rec, r->start, line, len, 0);
			}
			r->raw.len = 0;
		} else if (text_append(&r->raw, r->term, r->termlen) < 0) {
			return CSVIN_ENOMEM;
		}
		if (text_append(&r->raw, line, len) < 0)
			return CSVIN_ENOMEM;
		if (csv_parse(&r->parser, line, len, _on_field, _on_row, r) != len ||
		    (tlen && csv_parse(&r->parser, term, tlen, _on_field, _on_row, r) != tlen)) {
			r->pending = 0;
			if ((rc = _reset(r)) < 0)
				return rc;
			return _emit(r, rec, r->start, r->raw.p, r->raw.len, 1);
		}
		if (r->row_done) {
			r->pending = 0;
			return _emit(r, rec, r->start, r->raw.p, r->raw.len, 0);
		}
		r->pending = 1;
		memcpy(r->term, term ? term : "", tlen);
		r->termlen = tlen;
	}
}

/* Free the parser and buffers. */
void
csvin_close(csvin *r)
{
	csv_free(&r->parser);
	free(r->buf);
	free(r->foff);
	free(r->flen);
	free(r->field);
	text_free(&r->raw);
	text_free(&r->fbuf);
	if (r->own && r->fp)
		fclose(r->fp);
	memset(r, 0, sizeof *r);
}
