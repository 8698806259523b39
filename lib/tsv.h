/* tsv: read TSV rows fast and find columns by header name.
 *
 * Rows are read in large blocks and split in place on tabs, so a row costs
 * no allocation: the field pointers stay valid until the next call.  Only
 * LF ends a row; a CR is left in the field for the caller to judge.  A last
 * row without a final newline is read like any other.  A NUL byte is data:
 * flen[] gives each field's true length. */
#ifndef TSV_H
#define TSV_H

#include <stddef.h>
#include <stdio.h>

struct out;

enum tsv_status {
	TSV_ROW = 1,	 /* a row was read */
	TSV_EOF = 0,	 /* no more rows */
	TSV_EIO = -1,	 /* read error (errno is set) */
	TSV_ENOMEM = -2, /* out of memory */
	TSV_ENUL = -3,	 /* a NUL byte in the header: no column name holds one */
	TSV_ECOPY = -4	 /* the copy (tsv_copy_to) could not be written (errno) */
};

typedef struct tsv_reader {
	FILE *fp;
	const char *name; /* file name for messages; "<stdin>" for stdin */
	int own;	  /* fp was opened here and is closed by tsv_close() */
	char *buf;
	size_t cap, pos, end;
	int eof;
	long line; /* line number of the current row (header is 1) */
	char *row; /* the current row; intact when keep_raw is set */
	size_t rowlen;
	char **field; /* the current row's fields, NUL-terminated */
	size_t *flen;
	size_t nfield, fcap;
	char **names; /* header names after tsv_read_header() */
	size_t ncol;
	int bom;	  /* the file began with a UTF-8 BOM, dropped */
	int keep_raw;	  /* when set, the row is left intact: fields are not
			 * NUL-terminated (use flen[]) and row/rowlen are
			 * the raw bytes */
	struct out *copy; /* tsv_copy_to(): every byte read is written there
			   * too; NULL: none */
} tsv_reader;

/* Open path ("-" is stdin) for reading; 0, or -1 with errno set. */
int tsv_open(tsv_reader *r, const char *path);

/* Read from an already open stream named `name`. */
void tsv_init(tsv_reader *r, FILE *fp, const char *name);

/* Write every byte read from now on to o as well, as it is read (a tee:
 * the copy is the input byte for byte, whatever its rows hold).  A failed
 * write ends the reading with TSV_ECOPY, errno set; o buffers, so the
 * last block's failure is out_close()'s to report.  Call it before the
 * first read; o stays the caller's to close. */
void tsv_copy_to(tsv_reader *r, struct out *o);

/* Read the next row and split it on tabs; a tsv_status. */
int tsv_read(tsv_reader *r);

/* Make row[0..len) (a copy the caller owns, with room for its last byte
 * to be followed by a NUL) the current row numbered `line`, split on tabs
 * and NUL-terminated: for processing rows after reading several ahead. */
int tsv_split_row(tsv_reader *r, char *row, size_t len, long line);

/* Read up to max rows ahead, not split: row[i], len[i] (not NUL-terminated)
 * point into the reader's buffer and stay valid until the next call of any
 * reading function; the last of them is line r->line.  Returns how many
 * (fewer than max where the buffer ends: a batch never spans a refill),
 * 0 at the end of the input, or an error.  Split each with
 * tsv_split_buffered(). */
int tsv_read_many(tsv_reader *r, char **row, size_t *len, size_t max);

/* Make a row of the last tsv_read_many() the current row, numbered
 * `line`, split on tabs (fields by length: nothing is NUL-terminated). */
int tsv_split_buffered(tsv_reader *r, char *row, size_t len, long line);

/* Split a row of the last tsv_read_many() on tabs into the caller's
 * arrays (at most cap fields kept, by length); returns the number of
 * fields the row has, kept or not. */
size_t tsv_split_into(const char *row, size_t len, char **field, size_t *flen, size_t cap);

/* tsv_split_into(), and *cr set to whether the row holds a CR, found in
 * the same pass. */
size_t tsv_split_into_cr(const char *row, size_t len, char **field, size_t *flen, size_t cap,
			 int *cr);

/* Read the first row as the header and keep a copy of its names, a UTF-8
 * BOM before it dropped; TSV_ROW, or TSV_EOF when the input is empty, or
 * an error. */
int tsv_read_header(tsv_reader *r);

/* Index of `name` among names[0..n), or -1. */
int tsv_find_name(char *const *names, size_t n, const char *name);

/* Index of the column called `name`, or -1. */
int tsv_column(const tsv_reader *r, const char *name);

/* Find n columns at once into idx[]; returns -1 when all are present,
 * else the index in names[] of the first one missing. */
int tsv_columns(const tsv_reader *r, const char *const *names, int *idx, size_t n);

/* Release everything; closes the file when tsv_open() opened it. */
void tsv_close(tsv_reader *r);

/* Message text of a tsv_status error. */
const char *tsv_strerror(int status);

#endif
