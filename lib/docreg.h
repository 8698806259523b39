/* docreg: the register of every document issued (SPEC 12), kept in the
 * state as immutable sorted segments and a small index:
 *
 *     register/index.tsv    segment, kind, prefix, year, first, last:
 *                           the number ranges each segment holds, per series
 *     register/PERIOD.tsv   the invoices and credit notes PERIOD's run
 *                           issued, sorted by number in byte order
 *                           (SCHEMA_REGISTER_HEADER)
 *
 * A run reads the index (one row per period and series: a few thousand
 * rows after decades), finds the one segment whose range holds a number,
 * and looks the number up there by binary search with pread(2): a lookup
 * reads a few blocks and holds none, so neither memory nor time grows
 * with the documents issued before.  A run's state carries the earlier
 * segments by hard links (a copy across file systems), never rewritten,
 * and adds its own.  Library code: returns codes, never prints or exits;
 * after an error, docreg.err_file and err_line say where. */
#ifndef DOCREG_H
#define DOCREG_H

#include <stddef.h>
#include <stdint.h>

#include "ident.h"
#include "out.h"
#include "rules/docno.h"
#include "strset.h"

enum docreg_err {
	DOCREG_OK = 0,
	DOCREG_ENOMEM = -1,
	DOCREG_EIO = -2,      /* a read, write or link failed: errno says why */
	DOCREG_EINDEX = -3,   /* index.tsv is not as a run writes it */
	DOCREG_ESEGMENT = -4, /* a segment is not as a run writes it */
	DOCREG_EDUP = -5      /* a number added twice, or a segment the index has */
};

/* One range of the index: numbers first..last of a series (kind, prefix,
 * year), all in one segment. */
typedef struct docreg_range {
	int kind;	      /* DOC_INVOICE or DOC_CREDIT_NOTE */
	long prefix, segment; /* ids in docreg.prefixes and docreg.segments */
	int year;
	long first, last;
} docreg_range;

/* A register open for lookups. */
typedef struct docreg {
	char *dir;
	strset prefixes, segments; /* segments: file names, "2024-03-1.tsv" */
	docreg_range *r;	   /* in index.tsv's order */
	size_t n, cap;
	size_t *sorted;	     /* r by (kind, prefix, year, first), for lookups */
	unsigned char *read; /* per segment: looked up in by this run */
	int fd;		     /* the segment open for lookups, or -1 */
	long fd_segment;
	int64_t fd_size, fd_data; /* its size and where its rows begin */
	const char *err_file;	  /* set with an error: the file at fault */
	long err_line;		  /* and its line, when known */
	char *err_path;		  /* err_file's storage */
} docreg;

/* A document of the register (one segment row). */
typedef struct docreg_doc {
	char no[IDENT_MAX + 1], entity[IDENT_MAX + 1], merchant[IDENT_MAX + 1];
	char currency[4];
	int type;	/* enum line_type */
	int period;	/* the period whose run issued it */
	int64_t issued; /* its issue date */
	int kind;	/* DOC_INVOICE or DOC_CREDIT_NOTE */
} docreg_doc;

/* Open the register in dir (a state's register/ folder) and read its
 * index; a dir that does not exist is an empty register (a state written
 * before registers were kept).  DOCREG_OK or an error. */
int docreg_open(docreg *g, const char *dir);

/* Look number no[0..n) up: 1 and *doc when the register holds it, 0 when
 * it does not (not a number of a series it holds, or not in the range's
 * segment), or an error.  Only invoices and credit notes are registered. */
int docreg_find(docreg *g, const char *no, size_t n, docreg_doc *doc);

/* Make dir (a new state's register/) and link every segment of g into it;
 * nothing else is written.  DOCREG_OK or DOCREG_EIO. */
int docreg_carry(docreg *g, const char *dir);

/* Release memory and close files. */
void docreg_close(docreg *g);

/* A new segment being gathered: the numbers of a run's documents, each
 * with the caller's index of it, sorted when the run writes them. */
typedef struct docreg_writer {
	char *arena; /* the numbers, NUL-terminated, back to back */
	size_t alen, acap;
	uint32_t *off; /* per document: its number in the arena */
	long *user;    /* per document: the caller's index */
	size_t n, cap;
} docreg_writer;

/* Add a document's number with the caller's index of it; 0 or
 * DOCREG_ENOMEM. */
int docreg_writer_add(docreg_writer *w, const char *no, size_t n, long user);

/* Sort the documents by number (byte order): w->user[i] is then the i-th
 * document's caller index.  DOCREG_OK, or DOCREG_EDUP when a number was
 * added twice. */
int docreg_writer_sort(docreg_writer *w);

/* Write one segment row (SCHEMA_REGISTER_HEADER's columns); 0 or -1 when
 * out of memory. */
int docreg_write_row(out *o, const docreg_doc *d) __attribute__((warn_unused_result));

/* Write dir/index.tsv: g's ranges, then the ranges of the new segment
 * `segment` (file name, "2024-03-2.tsv") holding w's sorted documents
 * (none when it has none).  DOCREG_OK, DOCREG_EDUP when g has that
 * segment, DOCREG_EINDEX for a number docno_parse() does not read,
 * DOCREG_EIO. */
int docreg_write_index(const docreg *g, const docreg_writer *w, const char *segment,
		       const char *dir);

/* Release memory. */
void docreg_writer_free(docreg_writer *w);

/* The message of an error code. */
const char *docreg_strerror(int err);

#endif
