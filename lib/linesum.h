/* linesum: a lines file (lines.tsv) written and summed as it is written.
 *
 * The period's reconciliation sums the lines as written, per entity and
 * currency, and checks them against the invoices and held lines (SPEC 9:
 * money is conserved).  The lines are written to the file byte for byte
 * and the same bytes scanned (linescan) where they lie, block by block,
 * where the lines come from: reconcile --sum-lines reads them from a pipe
 * (elines_copy_sum); build-invoices --lines-totals hands each full buffer
 * of its lines to a thread of its own that writes and scans it
 * (elinesum_start), so that the lines cross no pipe, are copied once (into
 * the file's buffer) and the summing has a core of its own. */
#ifndef LINESUM_H
#define LINESUM_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "out.h"
#include "totals.h"

/* The scan of a lines file from memory, block by block, cut anywhere: the
 * header's columns entity, currency and amount found by name; each row
 * checked as einput_next() checks it (the header's width, no CR), its
 * currency and its amount in the currency's digits, and the amount added
 * to column 0 of the totals under (entity, currency).  A bad row is
 * reported, named by `name` and its line, and the program exits. */
enum { LINESCAN_KEY = 32, LINESCAN_ROWS = 64 };

typedef struct linescan {
	const char *name;
	totals *t;
	long line;		 /* rows seen, the header 1 */
	size_t ncol;		 /* the header's width */
	char **names;		 /* its names */
	size_t col;		 /* the totals' column the amounts go to */
	const char *amount_name; /* "amount" */
	const char *filter_name; /* NULL, or a column that must hold filter */
	const char *filter;
	size_t filter_len;
	int x[4], last; /* entity, currency, amount, filter; the last of them */
	char **field;	/* a row's fields up to the last of them */
	size_t *flen;
	char *carry; /* a row the block before ended in */
	size_t ncarry, capcarry;
	struct linescan_row {
		char entity[LINESCAN_KEY];
		size_t ne;
		int slot; /* money_currency_slot() */
		long count;
		int64_t amount;
	} rows[LINESCAN_ROWS]; /* the sums until linescan_end() */
	size_t nrows, hit;
} linescan;

void linescan_init(linescan *s, const char *name, totals *t);

/* The same, the amounts of column amount_name into column col of t, and
 * with filter_name only the rows whose filter_name column holds filter
 * (the others checked for their width and CRs only). */
void linescan_init_sum(linescan *s, const char *name, totals *t, size_t col,
		       const char *amount_name, const char *filter_name, const char *filter);

/* The next n bytes of the file. */
void linescan_feed(linescan *s, const char *p, size_t n);

/* The end of the file: its last row if it has no LF; the sums into the
 * totals.  An empty file (no header) is reported. */
void linescan_end(linescan *s);

/* Add the amounts of the file at path to column col of t (linescan_init_sum);
 * report and exit on a bad row or a read error. */
void etotals_sum_file(totals *t, size_t col, const char *path, const char *amount_name,
		      const char *filter_name, const char *filter);

/* Copy the lines read from `in` (named `name` in messages) to the file
 * `copy` (created; uncached: out_nocache()) and scan them (linescan) into
 * column 0 of t; report and exit on a bad row, a read or a write error. */
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
	char *cur; /* the buffer being written and scanned, its length */
	size_t cur_len, cur_cap;
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
