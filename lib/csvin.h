/* csvin: RFC 4180 CSV records through libcsv, with line numbers and raw
 * bytes, for the edge of the pipeline (SPEC 11).
 *
 * - A record is numbered by the physical line it starts on (the header is
 *   line 1).  LF, CRLF and a lone CR each end a physical line.
 * - raw is the record's bytes as read, without its final line ending.
 * - A UTF-8 BOM at the start of the file is dropped.
 * - A quoted field may span lines; the record then covers all of them.
 * - After a quote error the record ends at the end of its physical line
 *   and is marked malformed; the next line starts a new record.
 * - An unterminated quote makes one malformed record up to end of file.
 * - A blank line is a record with one empty field.
 * - Spaces are data: " 1.00" stays " 1.00".
 *
 * Lines without any quote are split on commas directly; this gives the
 * same fields libcsv would and is several times faster.  Set nofast to
 * send every line through libcsv (the tests compare both). */
#ifndef CSVIN_H
#define CSVIN_H

#include <csv.h>
#include <stddef.h>
#include <stdio.h>

#include "text.h"

enum csvin_status { CSVIN_RECORD = 1, CSVIN_EOF = 0, CSVIN_EIO = -1, CSVIN_ENOMEM = -2 };

typedef struct csvin_record {
	long line;	 /* physical line where the record starts */
	long nlines;	 /* physical lines it covers */
	int malformed;	 /* quote error or unterminated quote */
	const char *raw; /* the record's bytes, valid until the next call */
	size_t rawlen;
	size_t nfield;
	char **field; /* NUL-terminated copies; flen[] gives lengths */
	size_t *flen;
} csvin_record;

typedef struct csvin {
	FILE *fp;
	const char *name;
	int own;
	int nofast;
	char *buf;
	size_t cap, pos, end;
	int eof, started, pending, row_done, nomem;
	long line;  /* physical lines read so far */
	long start; /* first line of the record being read */
	struct csv_parser parser;
	char term[2]; /* line ending before a continued line */
	size_t termlen;
	text_buf raw;
	text_buf fbuf; /* field bytes, each followed by NUL */
	size_t *foff;
	size_t *flen;
	char **field;
	size_t nfield, fcap;
} csvin;

/* Open path ("-" is stdin); 0, or -1 with errno set (or ENOMEM). */
int csvin_open(csvin *r, const char *path);

/* Read an open stream named `name` (closed by csvin_close() when own). */
int csvin_init(csvin *r, FILE *fp, const char *name, int own);

/* Next record into *rec; a csvin_status. */
int csvin_next(csvin *r, csvin_record *rec);

/* Release everything; closes the file when csvin_open() opened it. */
void csvin_close(csvin *r);

#endif
