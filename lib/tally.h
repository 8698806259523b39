/* tally: counters per named row (a source file, say), written as TSV in
 * the order rows first appear.  For the --counts reports of the filters,
 * which the period's reconciliation chains from stage to stage. */
#ifndef TALLY_H
#define TALLY_H

#include <stddef.h>

#include "strset.h"

enum { TALLY_MAXCOLS = 8 };

typedef struct tally {
	strset rows;
	long (*n)[TALLY_MAXCOLS];
	size_t cap;
	size_t ncols;
	long last;	       /* id of the last name added or found */
	const char *last_name; /* its key in rows; NULL before the first */
	size_t last_len;
} tally;

/* Add k to column col of row name[0..len); returns 0 or -1 (no memory). */
int tally_add(tally *t, const char *name, size_t len, size_t col, long k);

/* Write "first_col, cols..." and one row per name to path; report and exit
 * on a write error. */
void etally_write(const tally *t, const char *path, const char *first_col, const char *const *cols,
		  size_t ncols);

/* Release memory. */
void tally_free(tally *t);

#endif
