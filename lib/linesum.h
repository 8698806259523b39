/* linesum: a lines file (lines.tsv) written and summed as it is written.
 *
 * The period's reconciliation sums the lines as written, per entity and
 * currency, and checks them against the invoices and held lines (SPEC 9:
 * money is conserved).  elines_copy_sum() reads the lines from a stream,
 * writes them to the file byte for byte and sums the bytes it read.  It
 * runs where the lines come from: reconcile --sum-lines reads them from a
 * pipe; build-invoices --lines-totals hands each full buffer of its lines
 * to a thread of its own that runs it (elinesum_start), so that the lines
 * cross no pipe and the summing has a core of its own. */
#ifndef LINESUM_H
#define LINESUM_H

#include <pthread.h>
#include <stdio.h>

#include "out.h"
#include "totals.h"

/* Copy the lines read from `in` (named `name` in messages) to the file
 * `copy` (created; uncached: out_nocache()) and add their amounts to
 * column 0 of t, checking each row as einput_next() does; report and exit
 * on a bad row, a read or a write error. */
void elines_copy_sum(FILE *in, const char *name, const char *copy, int uncached, totals *t);

enum { LINESUM_QUEUE = 4 }; /* full buffers waiting at most */

typedef struct linesum {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct {
		char *buf;
		size_t len, cap;
	} q[LINESUM_QUEUE], spare[LINESUM_QUEUE + 1];
	size_t head, queued, nspare;
	int end;   /* no more buffers */
	char *cur; /* the buffer being read, its length, where */
	size_t cur_len, cur_off, cur_cap;
	const char *path; /* the lines file */
	int uncached;
	totals t; /* the sums, once elinesum_finish() returned */
} linesum;

/* Start the thread that writes `path` (uncached: out_nocache()) from the
 * buffers of o and sums them; o is then written to as before (out_init(o,
 * -1) first, no file of its own) and closed with out_close(). */
void elinesum_start(linesum *s, out *o, const char *path, int uncached);

/* After out_close(o): wait for the thread and write the sums to
 * totals_path, as reconcile --sum-lines does. */
void elinesum_finish(linesum *s, const char *totals_path);

#endif
