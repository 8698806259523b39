/* totals: money per (entity, currency), in named columns with a count of
 * the items added to each, for the --totals reports that the period's
 * reconciliation checks.  Amounts are int64 minor units, added with
 * overflow checks. */
#ifndef TOTALS_H
#define TOTALS_H

#include <stddef.h>
#include <stdint.h>

#include "strset.h"

enum { TOTALS_MAXCOLS = 8 };

/* The rows last added to, looked up before the table: a file's rows come
 * in a few (entity, currency) pairs. */
enum { TOTALS_RECENT = 8, TOTALS_RECENT_KEY = 32 };

typedef struct totals {
	strset rows; /* "entity\tcurrency" */
	struct {
		char key[TOTALS_RECENT_KEY];
		size_t n; /* 0: empty */
		long id;
	} recent[TOTALS_RECENT];
	unsigned next; /* the recent entry to replace next */
	unsigned hit;  /* the recent entry last found or made */
	int64_t (*amount)[TOTALS_MAXCOLS];
	long (*count)[TOTALS_MAXCOLS];
	size_t cap;
} totals;

/* Add one item of `amount` to column col of (entity, currency); 0, or -1
 * when out of memory or the sum leaves int64. */
int totals_add(totals *t, const char *entity, const char *currency, size_t col, int64_t amount);

/* Add `count` items worth `amount` in all to column col; 0 or -1. */
int totals_add_n(totals *t, const char *entity, const char *currency, size_t col, long count,
		 int64_t amount);

/* The row ids sorted by key (entity, then currency, byte order), or NULL
 * when out of memory; free it. */
long *totals_order(const totals *t);

/* Write "entity, currency" and, per column, "NAME_count, NAME" (money in the
 * currency's form); report and exit on a write error. */
void etotals_write(const totals *t, const char *path, const char *const *cols, size_t ncols);

/* Release memory. */
void totals_free(totals *t);

#endif
