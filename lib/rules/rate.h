/* rate: the take-rate choice of SPEC 5 and 11.
 *
 * Rows (merchant_id or `*`, category or `*`, valid_from, rate); for an
 * event of merchant m, category c, shipped at t, only rows with valid_from
 * <= t count, and the merchant-named row beats `*`, then the category-named
 * row beats `*`, then the latest valid_from.  Pure: no I/O, no exit. */
#ifndef RULES_RATE_H
#define RULES_RATE_H

#include <stddef.h>
#include <stdint.h>

#include "strset.h"

enum rate_err {
	RATE_OK = 0,
	RATE_ENOMEM = -1,
	RATE_ERANGE = -2, /* a rate outside [0, 1] */
	RATE_EDUP = -3,	  /* two rows for one merchant, category and valid_from */
	RATE_ELONG = -4	  /* merchant and category longer than a key can be */
};

typedef struct rate_row {
	long key; /* id of "merchant\tcategory" in keys */
	int64_t from;
	int64_t rate; /* millionths */
	long line;    /* of the row in its file, for messages */
} rate_row;

/* The table: rows sorted by key, then valid_from; key k's rows are
 * [first[k], first[k + 1]). */
typedef struct rate_table {
	strset keys;
	strset merchants; /* merchants named by a row: the others skip two probes */
	rate_row *row;
	size_t n, cap;
	size_t *first;
	long any; /* id of the (*, *) key, or -1: set by rate_table_finish() */
} rate_table;

/* Add a row; merchant and category are "*" or a name (not NUL-terminated). */
int rate_table_add(rate_table *t, const char *merchant, size_t mn, const char *category, size_t cn,
		   int64_t from, int64_t rate, long line) __attribute__((warn_unused_result));

/* Sort and index the rows.  RATE_EDUP when two rows share merchant,
 * category and valid_from: *line_a and *line_b are their lines (a < b). */
int rate_table_finish(rate_table *t, long *line_a, long *line_b)
	__attribute__((warn_unused_result));

/* The rate for merchant m, category c at instant at, or -1 when no row
 * applies (no_rate). */
int64_t rate_table_find(const rate_table *t, const char *m, size_t mn, const char *c, size_t cn,
			int64_t at);

/* Release memory. */
void rate_table_free(rate_table *t);

#endif
