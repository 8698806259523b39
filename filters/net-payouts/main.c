/* net-payouts: net the invoices that are due into payouts (SPEC 8, 14).
 *
 * On payout date D (the run's issue date): merchants' invoices of payouts
 * on request, then confirmations of earlier payouts are applied first;
 * then, per (merchant, entity, currency), the unpaid
 * invoices without a payout that are due (period's last day + the
 * merchant's payout_delay_days < D) are netted, positive and negative, and
 * paid out when the net reaches max(marketplace minimum, merchant minimum).
 * Payouts of frozen merchants or merchants without valid payout details are
 * made but held.  A merchant in request mode is paid only on its request
 * (payout-requests), which the netting decides in its place.  Writes the
 * invoices that are new or changed, the payouts that are new or changed,
 * each new payout's items, the requests, every open balance with the
 * reason nothing was paid, and the state for the next run.  Memory holds
 * the open invoices, payouts and requests.
 *
 * The files: state.c (reading the state, the invoices, the confirmations),
 * net.c (the netting, by rules/payout), request.c (payouts on request),
 * report.c (the outputs). */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "netpay.h"
#include "period.h"
#include "schema.h"

static const char usage[] =
	"Usage: net-payouts --date D --merchants merchants.tsv [--payout payout.tsv]\n"
	"                   --state-in DIR|none --state-out DIR [--confirmations FILE]\n"
	"                   [--merchant-invoices FILE] [--payout-requests FILE]\n"
	"                   [--payouts FILE] [--items FILE] [--balances FILE]\n"
	"                   [--requests FILE] [--rejects FILE] [--next FILE]\n"
	"                   [INVOICES...]\n"
	"\n"
	"Net the invoices that are due into payouts.  Reads the open invoices and\n"
	"payouts of the previous state, this run's invoices (INVOICES or stdin, from\n"
	"build-invoices), then the merchants' invoices and the confirmations, which\n"
	"apply before the netting, and the payout requests of merchants in request\n"
	"mode, which the netting decides; writes on stdout this run's invoices and\n"
	"the earlier ones whose payout_no or status changed.\n"
	"\n"
	"  --date D              the payout date: the run's issue date (YYYY-MM-01 or -16)\n"
	"  --merchants FILE      merchants.tsv (delays, minimums, frozen, payout_ok)\n"
	"  --payout FILE         payout.tsv: the marketplace minimum per currency\n"
	"  --state-in DIR        the previous period's state, or 'none'\n"
	"  --state-out DIR       where to write this run's state\n"
	"  --confirmations FILE  payouts-paid rows from normalize-orders\n"
	"  --merchant-invoices FILE, --payout-requests FILE\n"
	"                        merchant-invoices and payout-requests rows from\n"
	"                        normalize-orders\n"
	"  --payouts FILE        write the payouts created or marked paid in the run\n"
	"  --items FILE          write each new payout's invoices\n"
	"  --balances FILE       write every open balance and why nothing was paid\n"
	"  --requests FILE       write this run's requests and those whose status\n"
	"                        changed\n"
	"  --rejects FILE        write rejected confirmations, merchants' invoices and\n"
	"                        requests\n"
	"  --totals FILE         write per entity and currency: open invoices in,\n"
	"                        invoiced, paid out, open invoices out\n"
	"  --next FILE           write the payout on D of every merchant, entity and\n"
	"                        currency with an invoice without a payout: the due\n"
	"                        net of the state's and of this run's invoices, the\n"
	"                        threshold, whether a payout is made, and why not\n"
	"  --help                show this help\n"
	"\n"
	"Exit status: 0 success, 1 data or I/O error, 2 usage error or a state that\n"
	"is not the previous period's.\n"
	"\n"
	"Example:\n"
	"  net-payouts --date 2024-04-01 --merchants config/merchants.tsv \\\n"
	"      --payout config/payout.tsv --state-in out/2024-03-1/state --state-out st \\\n"
	"      --payouts payouts.tsv --items payout-items.tsv --balances balances.tsv \\\n"
	"      < invoices-new.tsv > invoices.tsv\n";

/* Options; the date must be an issue date. */
static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"date", required_argument, NULL, 'd'},
		{"merchants", required_argument, NULL, 'm'},
		{"payout", required_argument, NULL, 'P'},
		{"state-in", required_argument, NULL, 'i'},
		{"state-out", required_argument, NULL, 'o'},
		{"confirmations", required_argument, NULL, 'c'},
		{"merchant-invoices", required_argument, NULL, 'M'},
		{"payout-requests", required_argument, NULL, 'Q'},
		{"requests", required_argument, NULL, 'q'},
		{"payouts", required_argument, NULL, 'p'},
		{"items", required_argument, NULL, 't'},
		{"balances", required_argument, NULL, 'b'},
		{"rejects", required_argument, NULL, 'r'},
		{"totals", required_argument, NULL, 'T'},
		{"next", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, have_date = 0;

	memset(o, 0, sizeof *o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (period_parse_date(optarg, strlen(optarg), &o->date) < 0)
				msg_usage("--date: not a date (YYYY-MM-DD): '%s'", optarg);
			o->period = period_of(o->date) - 1;
			if (period_issue_date(o->period) != o->date)
				msg_usage("--date: '%s' is not a payout date (the 1st or the 16th)",
					  optarg);
			have_date = 1;
			break;
		case 'm': o->merchants = optarg; break;
		case 'P': o->payout = optarg; break;
		case 'i': o->state_in = optarg; break;
		case 'o': o->state_out = optarg; break;
		case 'c': o->confirmations = optarg; break;
		case 'M': o->merchant_invoices = optarg; break;
		case 'Q': o->requests_in = optarg; break;
		case 'q': o->requests = optarg; break;
		case 'p': o->payouts = optarg; break;
		case 't': o->items = optarg; break;
		case 'b': o->balances = optarg; break;
		case 'r': o->rejects = optarg; break;
		case 'T': o->totals = optarg; break;
		case 'n': o->next = optarg; break;
		case 'h': msg_help(usage);
		default: msg_bad_option(c, argv);
		}
	}
	if (!have_date)
		msg_usage("--date is required");
	if (!o->merchants)
		msg_usage("--merchants is required");
	if (!o->state_in || !o->state_out)
		msg_usage("--state-in (a directory or 'none') and --state-out are required");
	estate_check_dirs(o->state_in, o->state_out);
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
}

/* The state's invoices, beside the other reports. */
struct state_job {
	const struct ledger *l;
	char *path;
};

static void *
_state_invoices(void *arg)
{
	const struct state_job *j = arg;

	report_invoices(j->l, j->path, 1);
	return NULL;
}

/* The run: state, this run's invoices, merchants' invoices,
 * confirmations, requests, netting, outputs. */
static void
process(struct ledger *l, const struct options *opt)
{
	struct state_job job;
	pthread_t thread;
	static out rejects;
	out *rej = NULL;
	char *path;
	int k, has_state = estate_open(opt->state_in, opt->period);

	econfig_merchants(&l->ms, opt->merchants);
	if (opt->payout)
		ledger_load_minimums(l, opt->payout);
	if (has_state) {
		ledger_load_state(l, opt->state_in, opt->period);
		request_load_state(l, opt->state_in);
	}
	if (opt->ninputs == 0)
		ledger_load_invoices(l, "-", 1, opt->period);
	for (k = 0; k < opt->ninputs; k++)
		ledger_load_invoices(l, opt->inputs[k], 1, opt->period);
	/* Confirmations after the invoices: in one pipeline, normalize-orders
	 * finishes the confirmations file before the invoices stream ends.
	 * They only touch payouts of the state, and still come before netting.
	 * SPEC 14's order: merchants' invoices first (a payout can then be
	 * confirmed in the same run), the confirmations, then the requests,
	 * whose open_request counts what is still unpaid. */
	if (opt->rejects) {
		eout_open(&rejects, opt->rejects);
		rej = &rejects;
		eout_puts(rej, SCHEMA_REJECT_HEADER);
	}
	if (opt->merchant_invoices)
		request_merchant_invoices(l, opt->merchant_invoices, rej);
	if (opt->confirmations)
		ledger_confirm(l, opt->confirmations, rej);
	if (opt->requests_in)
		request_read(l, opt->requests_in, rej);
	ledger_net(l, opt);

	/* The reports only read the ledger: the state's invoices, the
	 * largest, are written by a thread of their own beside the others. */
	report_order(l);
	estate_begin(opt->state_out);
	job.l = l;
	job.path = xjoin(opt->state_out, "invoices.tsv");
	if ((errno = pthread_create(&thread, NULL, _state_invoices, &job)) != 0)
		msg_fatal(EXIT_DATA, NULL, 0, "cannot start a thread:");
	if (opt->totals)
		report_totals(l, opt->totals);
	report_invoices(l, "-", 0);
	if (opt->payouts)
		report_payouts(l, opt->payouts, opt->items, 0);
	if (opt->balances)
		report_balances(l, opt->balances);
	if (opt->next)
		report_next(l, opt->next, opt->date);
	if (opt->requests)
		request_report(l, opt->requests, 0);
	if (rej)
		eout_close(rej, opt->rejects);
	pthread_join(thread, NULL);
	free(job.path);
	path = xjoin(opt->state_out, "payouts.tsv");
	report_payouts(l, path, NULL, 1);
	free(path);
	path = xjoin(opt->state_out, "requests.tsv");
	request_report(l, path, 1);
	free(path);
	path = xjoin(opt->state_out, "payout-counters.tsv");
	ecounters_save(&l->counters, path);
	free(path);
	estate_stamp(opt->state_out, opt->period);
}

int
main(int argc, char **argv)
{
	struct options opt;
	struct ledger l;

	msg_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	memset(&l, 0, sizeof l);
	process(&l, &opt);
	ledger_free(&l);
	return EXIT_OK;
}
