/* state: what a period's run hands to the next (SPEC 7, state/).
 *
 * A state directory holds files written by build-invoices and net-payouts
 * (docs/formats.md#state) and a `period` file naming the period whose run
 * wrote it.  A run for period P accepts only the state of P - 1.  Like
 * msg and input, these helpers report and exit on errors. */
#ifndef STATE_H
#define STATE_H

#include <stddef.h>

/* Check that dir is the state of the period before `period` (dir "none":
 * no earlier state, the first period).  Returns 0 for "none", 1 for a
 * state; a missing or wrong state stops the run with status 2. */
int estate_open(const char *dir, int period);

/* A usage error (exit 2) when out names the same directory as in, spelled
 * alike or not: the previous state would be overwritten while it is read. */
void estate_check_dirs(const char *in, const char *out);

/* Start writing a state: create dir (one level) if needed and remove any
 * `period` stamp in it, so that a run that fails leaves no state a later
 * run would accept. */
void estate_begin(const char *dir);

/* Finish a state: write its `period` file, last, replacing it atomically
 * (two filters of a run may write the same stamp). */
void estate_stamp(const char *dir, int period);

/* Number counters: the last number used per entity and year. */
typedef struct counter {
	char *entity;
	int year;
	long last;
} counter;

typedef struct counters {
	counter *c;
	size_t n;
} counters;

/* Load `entity, year, last` rows from path; a missing file is empty when
 * `optional`. */
void ecounters_load(counters *cs, const char *path, int optional);

/* The last number used for entity and year, or 0 when none was. */
long counters_last(const counters *cs, const char *entity, int year);

/* The next number for entity and year (1 for a new year), remembered. */
long ecounters_next(counters *cs, const char *entity, int year);

/* Write every counter, sorted by entity and year. */
void ecounters_save(const counters *cs, const char *path);

/* Release memory. */
void counters_free(counters *cs);

#endif
