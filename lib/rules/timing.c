/* timing: late and future. */
#include "rules/timing.h"

#include "period.h"

/* Before the period began. */
int
timing_late(int64_t at, int period)
{
	return at < period_start(period);
}

/* Both bounds. */
timing
timing_of(int period)
{
	timing t = {period_start(period), timing_future_from(period)};

	return t;
}

/* 00:00Z of the issue date. */
int64_t
timing_future_from(int period)
{
	return period_issue_date(period);
}

/* At or after the issue date. */
int
timing_future(int64_t at, int period)
{
	return at >= timing_future_from(period);
}
