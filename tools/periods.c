/* periods: period arithmetic for the make fragments, from lib/period.
 *
 *     periods prev P        the period before P
 *     periods issue P       P's issue date (its run and payout date)
 *     periods ended [DATE]  the last period ended by DATE (default: TODAY,
 *                           else today, UTC): the one a scheduled run on DATE
 *                           processes
 *     periods today         TODAY, else today's date
 *     periods yesterday     the day before it
 *     periods of DATE       the period holding DATE
 *     periods days P        P's first and last days
 *
 * Prints the answer on stdout; a malformed period or date exits 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "period.h"

/* A day: the argument, else the TODAY variable (tests and replays set
 * it), else today, UTC. */
static int64_t
_day(const char *arg)
{
	const char *s = arg ? arg : getenv("TODAY");
	int64_t t;

	if (!s || !*s)
		return (int64_t)time(NULL) / 86400 * 86400;
	if (period_parse_date(s, strlen(s), &t) < 0)
		msg_usage("not a date (YYYY-MM-DD)%s: '%s'", arg ? "" : " in TODAY", s);
	return t;
}

int
main(int argc, char **argv)
{
	char buf[2 * PERIOD_TIME_LEN + 2];
	int p;
	int64_t t;

	static const char usage[] =
		"Usage: periods prev P | periods issue P | periods ended [DATE]\n"
		"       periods today | periods yesterday | periods of DATE | periods days P\n"
		"\n"
		"Period arithmetic for the pipeline (P is YYYY-MM-1 or YYYY-MM-2):\n"
		"  prev P        the period before P\n"
		"  issue P       P's issue date: its run and payout date\n"
		"  ended [DATE]  the last period ended by DATE (default: the TODAY variable,\n"
		"                else today, UTC): the one a scheduled run on DATE processes\n"
		"  today         TODAY, else today's date (UTC)\n"
		"  yesterday     the day before it\n"
		"  of DATE       the period holding DATE\n"
		"  days P        P's first and last days, separated by a space\n"
		"\n"
		"Example:\n"
		"  periods issue 2024-12-2      # 2025-01-01\n";

	msg_setprog(argv[0]);
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		msg_help(usage);
	if (argc == 3 && (strcmp(argv[1], "prev") == 0 || strcmp(argv[1], "issue") == 0)) {
		if (period_parse(argv[2], strlen(argv[2]), &p) < 0)
			msg_usage("not a period (YYYY-MM-1 or YYYY-MM-2): '%s'", argv[2]);
		if (argv[1][0] == 'p')
			period_format(p - 1, buf);
		else
			period_format_date(period_issue_date(p), buf);
	} else if ((argc == 2 || argc == 3) && strcmp(argv[1], "ended") == 0) {
		t = _day(argc == 3 ? argv[2] : NULL);
		period_format(period_of(t) - 1, buf);
	} else if (argc == 2 && strcmp(argv[1], "today") == 0) {
		period_format_date(_day(NULL), buf);
	} else if (argc == 2 && strcmp(argv[1], "yesterday") == 0) {
		period_format_date(_day(NULL) - 86400, buf);
	} else if (argc == 3 && strcmp(argv[1], "of") == 0) {
		period_format(period_of(_day(argv[2])), buf);
	} else if (argc == 3 && strcmp(argv[1], "days") == 0) {
		if (period_parse(argv[2], strlen(argv[2]), &p) < 0)
			msg_usage("not a period (YYYY-MM-1 or YYYY-MM-2): '%s'", argv[2]);
		period_format_date(period_start(p), buf);
		buf[PERIOD_DATE_LEN] = ' ';
		period_format_date(period_last_day(p), buf + PERIOD_DATE_LEN + 1);
	} else {
		msg_usage(
			"usage: periods prev P | periods issue P | periods ended [DATE] | periods "
			"today | periods yesterday | periods of DATE | periods days P");
	}
	if (puts(buf) == EOF || fflush(stdout) != 0)
		msg_fatal(EXIT_DATA, "<stdout>", 0, "write error:");
	return 0;
}
