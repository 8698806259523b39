/* compare-runs: what one period's run gave against another's, per merchant.
 *
 *     compare-runs PERIOD BEFORE_DIR AFTER_DIR
 *
 * Sums, per merchant_id, entity and currency, the amounts invoiced in
 * PERIOD (invoices.tsv rows of that period) and paid out on its payout date
 * (payouts.tsv rows of that date) in both runs, and writes every row where
 * something differs: merchant_id, entity, currency, invoiced_before,
 * invoiced_after, paid_out_before, paid_out_after, difference (of the
 * invoiced amounts).  Exact minor units throughout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "money.h"
#include "msg.h"
#include "out.h"
#include "period.h"
#include "totals.h"

/* Add column col of (merchant\tentity, currency) from one file's rows whose
 * `filter` column equals `value`. */
static void
_sum(totals *t, size_t col, const char *path, const char *amount, const char *filter,
     const char *value)
{
	const char *cols[] = {"merchant_id", "entity", "currency", amount, filter};
	char key[2 * 65 + 2];
	tsv_reader r;
	int x[5];

	einput_open(&r, path);
	einput_require(&r, cols, x, 5);
	while (einput_next(&r)) {
		if (strcmp(r.field[x[4]], value) != 0)
			continue;
		snprintf(key, sizeof key, "%s\t%s", einput_ident(&r, x[0]), einput_ident(&r, x[1]));
		if (totals_add(t, key, r.field[x[2]], col,
			       einput_money(&r, x[3], einput_currency(&r, x[2]))) < 0)
			msg_fatal(EXIT_DATA, r.name, r.line, "sum out of range");
	}
	tsv_close(&r);
}

int
main(int argc, char **argv)
{
	totals t;
	char date[PERIOD_DATE_LEN + 1], path[4096], v[4][MONEY_FMT_MAX], d[MONEY_FMT_MAX];
	size_t i, n, k;
	int p;
	out o;
	long *order;

	static const char usage[] =
		"Usage: compare-runs PERIOD BEFORE_DIR AFTER_DIR\n"
		"\n"
		"Per merchant_id, entity and currency, what PERIOD's run invoiced and paid out\n"
		"in BEFORE_DIR and in AFTER_DIR (their invoices.tsv and payouts.tsv), the rows\n"
		"that differ only: merchant_id, entity, currency, invoiced_before,\n"
		"invoiced_after, paid_out_before, paid_out_after, difference.\n"
		"\n"
		"Example:\n"
		"  compare-runs 2024-04-1 out/2024-04-1 out/.what-if-2024-04-1\n";

	msg_setprog(argv[0]);
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		msg_help(usage);
	if (argc != 4 || period_parse(argv[1], strlen(argv[1]), &p) < 0)
		msg_usage("usage: compare-runs PERIOD BEFORE_DIR AFTER_DIR");
	period_format_date(period_issue_date(p), date);
	memset(&t, 0, sizeof t);
	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof path, "%s/invoices.tsv", argv[2 + k]);
		_sum(&t, k, path, "amount", "period", argv[1]);
		snprintf(path, sizeof path, "%s/payouts.tsv", argv[2 + k]);
		_sum(&t, 2 + k, path, "amount", "payout_date", date);
	}
	out_init(&o, 1);
	eout_puts(&o, "merchant_id\tentity\tcurrency\tinvoiced_before\tinvoiced_after\t"
		      "paid_out_before\tpaid_out_after\tdifference\n");
	/* Only the rows that differ, sorted by merchant, entity, currency. */
	if (!(order = totals_order(&t)))
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	for (k = 0; k < strset_count(&t.rows); k++) {
		const char *key = strset_key(&t.rows, order[k], &n);
		size_t j;
		int digits = money_currency_digits(key + n - 3, 3);
		int64_t diff;
		char line[512];

		i = (size_t)order[k];
		if (t.amount[i][0] == t.amount[i][1] && t.amount[i][2] == t.amount[i][3])
			continue;
		for (j = 0; j < 4; j++)
			money_format(t.amount[i][j], digits, v[j]);
		if (money_add(t.amount[i][1], -t.amount[i][0], &diff) != MONEY_OK)
			msg_fatal(EXIT_DATA, NULL, 0, "difference out of range");
		money_format(diff, digits, d);
		snprintf(line, sizeof line, "%.*s\t%s\t%s\t%s\t%s\t%s\n", (int)n, key, v[0], v[1],
			 v[2], v[3], d);
		eout_puts(&o, line);
	}
	eout_close(&o, "<stdout>");
	free(order);
	totals_free(&t);
	return 0;
}
