/* periods: period arithmetic for the make fragments, from lib/period.
 *
 *     periods prev P        the period before P
 *     periods issue P       P's issue date (its run and payout date)
 *     periods ended [DATE]  the last period ended by DATE (default: today,
 *                           UTC): the one a scheduled run on DATE processes
 *
 * Prints the answer on stdout; a malformed period or date exits 2. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "period.h"

int
main(int argc, char **argv)
{
	char buf[PERIOD_TIME_LEN + 1];
	int p;
	int64_t t;

	msg_setprog(argv[0]);
	if (argc == 3 && (strcmp(argv[1], "prev") == 0 || strcmp(argv[1], "issue") == 0)) {
		if (period_parse(argv[2], strlen(argv[2]), &p) < 0)
			msg_usage("not a period (YYYY-MM-1 or YYYY-MM-2): '%s'", argv[2]);
		if (argv[1][0] == 'p')
			period_format(p - 1, buf);
		else
			period_format_date(period_issue_date(p), buf);
	} else if ((argc == 2 || argc == 3) && strcmp(argv[1], "ended") == 0) {
		if (argc == 3) {
			if (period_parse_date(argv[2], strlen(argv[2]), &t) < 0)
				msg_usage("not a date (YYYY-MM-DD): '%s'", argv[2]);
		} else {
			t = (int64_t)time(NULL);
		}
		period_format(period_of(t) - 1, buf);
	} else {
		msg_usage("usage: periods prev P | periods issue P | periods ended [DATE]");
	}
	puts(buf);
	return 0;
}
