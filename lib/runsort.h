/* runsort: sort an array of row ids whose order is mostly there already.
 * The rows a filter writes sorted often come as a few sorted runs, one
 * after the other: the state's invoices, then the run's, each numbered in
 * order.  Such an array is checked in one pass and its runs merged, a pass
 * per pair; an array of many runs goes to qsort. */
#ifndef RUNSORT_H
#define RUNSORT_H

#include <stddef.h>

/* The runs beyond which the array is sorted with qsort. */
enum { RUNSORT_MAX_RUNS = 16 };

/* Sort a[0..n) by cmp (qsort's comparator, on pointers to the ids); rows
 * that compare equal keep their order when the array has at most
 * RUNSORT_MAX_RUNS runs. */
void runsort(long *a, size_t n, int (*cmp)(const void *, const void *));

#endif
