/* timing: when a row counts (SPEC 6.4 and 11).
 *
 * A row's deciding date (shipped_at, refunded_at, spent_on, audited_at,
 * paid_on, ...) dated before the run's period began is late: invoiced in
 * the run's period with late=1.  One at or after 00:00Z of the run's issue
 * date is future: rejected.  Pure. */
#ifndef RULES_TIMING_H
#define RULES_TIMING_H

#include <stdint.h>

/* 1 when an event at `at` is late in a run of period p. */
int timing_late(int64_t at, int period);

/* The two bounds of a run of period p, worked out once for many rows:
 * before `start` is late, from `future` on is future. */
typedef struct timing {
	int64_t start, future;
} timing;

/* The bounds of period p. */
timing timing_of(int period);

/* The first instant that is future for a run of period p. */
int64_t timing_future_from(int period);

/* 1 when `at` is future for a run of period p. */
int timing_future(int64_t at, int period);

#endif
