/* lineidx: an index of a lines file (lines.tsv) by merchant, so that one
 * merchant's lines can be read without reading the others'.
 *
 * The lines file is in event order: a merchant's lines are spread over all
 * of it.  The index holds, for every row in the file's order, the
 * merchant's number and the row's length; the rows of one merchant are
 * found by one pass over the index (8 bytes a row) and read where they
 * lie.  Its layout, all integers little-endian:
 *
 *   rows × { u32 merchant number, u32 row length with its LF }
 *   the merchant ids by number, each followed by a NUL
 *   trailer: u64 first row's offset, u64 lines file size, u64 rows,
 *            u64 merchants, u64 length of the ids, 8 bytes "SETLIDX1"
 *
 * The trailer's sizes tie the index to the file it describes: a lines
 * file of another size, or an index cut short, is refused. */
#ifndef LINEIDX_H
#define LINEIDX_H

#include <stddef.h>
#include <stdint.h>

#include "out.h"

#define LINEIDX_MAGIC	"SETLIDX1"
#define LINEIDX_ENTRY	8  /* bytes a row */
#define LINEIDX_TRAILER 48 /* bytes of the trailer */

/* The trailer's fields. */
typedef struct lineidx_meta {
	uint64_t first;	    /* offset of the first row (the header's length) */
	uint64_t size;	    /* size of the lines file */
	uint64_t rows;	    /* rows indexed */
	uint64_t merchants; /* merchant ids */
	uint64_t names_len; /* bytes of the ids, NULs included */
} lineidx_meta;

/* Encode a row's entry into 8 bytes. */
void lineidx_put_entry(unsigned char *p, uint32_t merchant, uint32_t len);

/* Decode an entry. */
void lineidx_get_entry(const unsigned char *p, uint32_t *merchant, uint32_t *len);

/* Encode the trailer into LINEIDX_TRAILER bytes. */
void lineidx_put_trailer(unsigned char *p, const lineidx_meta *m);

/* Decode a trailer; 0, or -1 when it is not one (magic) or its sizes do
 * not add up to an index of `file_size` bytes. */
int lineidx_get_trailer(const unsigned char *p, uint64_t file_size, lineidx_meta *m);

/* A writer: the rows as they are written to the lines file. */
typedef struct lineidx_writer {
	out o;
	lineidx_meta m;
} lineidx_writer;

/* Create path for an index of a lines file whose header is `first` bytes
 * long; 0, or -1 with errno set. */
int lineidx_create(lineidx_writer *w, const char *path, uint64_t first);

/* A row of `len` bytes (its LF included) of merchant number `merchant`;
 * 0, or -1 when the row is longer than 4 GiB or out of memory. */
int lineidx_add(lineidx_writer *w, uint32_t merchant, size_t len);

/* Write the n merchant ids (number i is ids[i]) and the trailer, and
 * close; 0, or -1 with errno set when a write failed. */
int lineidx_finish(lineidx_writer *w, const char *const *ids, size_t n);

/* A reader. */
typedef struct lineidx {
	int fd;
	lineidx_meta m;
	char *names; /* the ids, NUL after each */
} lineidx;

enum {
	LINEIDX_OK = 0,
	LINEIDX_EIO = -1,     /* cannot open or read (errno) */
	LINEIDX_EFORMAT = -2, /* not an index, or cut short */
	LINEIDX_ENOMEM = -3
};

/* Open an index; a LINEIDX_ code. */
int lineidx_open(lineidx *x, const char *path);

/* The number of merchant `id`, or -1 when it has no row. */
long lineidx_find(const lineidx *x, const char *id);

/* Call fn(arg, row, offset, len, merchant) for every row of the merchants
 * whose number m has want[m] set (want: x->m.merchants bytes), in the
 * file's order (row: its number, 0 for the first after the header;
 * offset: where it starts in the lines file; len: its bytes, LF
 * included).  Stops at fn's first positive return and returns it; else a
 * LINEIDX_ code. */
int lineidx_each(const lineidx *x, const unsigned char *want,
		 int (*fn)(void *arg, uint64_t row, uint64_t offset, uint32_t len,
			   uint32_t merchant),
		 void *arg);

/* Release. */
void lineidx_close(lineidx *x);

#endif
