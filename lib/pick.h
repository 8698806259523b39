/* pick: some merchants' rows of a period's lines file, read through the
 * index build-invoices wrote beside it (lib/lineidx.h), without reading
 * the other rows.
 *
 * A period's lines.tsv is in event order: a merchant's lines are spread
 * over all of it, and finding them by reading it costs a pass over the
 * whole file (gigabytes at tens of millions of orders).  The index gives
 * every row's merchant and length; the index is read once and then only
 * the wanted rows, where they lie, runs of neighbouring rows in one read.
 * Each row read is checked against the index: it ends where the index
 * says and its merchant_id is the one the index gives.  Like input, this
 * reports and exits (status 1) on any mismatch. */
#ifndef PICK_H
#define PICK_H

#include "out.h"

/* Write the header of `lines` and the rows of every merchant for whom
 * want(arg, id) is nonzero, in the file's order, to o; `index` is the
 * index of `lines`.  The index not being this file's (another size, a row
 * that is not where or whose it says) or cut short is an error. */
void epick_lines(const char *index, const char *lines, int (*want)(void *arg, const char *id),
		 void *arg, out *o);

#endif
