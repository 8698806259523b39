/* rules/timing, rules/payout, rules/docno: small decisions as tables. */
#include <stdint.h>
#include <string.h>

#include "period.h"
#include "reject.h"
#include "rules/docno.h"
#include "rules/payout.h"
#include "rules/timing.h"
#include "suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int
_period(const char *s)
{
	int p;

	ck_assert_int_eq(period_parse(s, strlen(s), &p), 0);
	return p;
}

static int64_t
_time(const char *s)
{
	int64_t t;

	ck_assert_int_eq(period_parse_time(s, strlen(s), &t), 0);
	return t;
}

/* ---- timing: late before the period, future from its issue date. */
static const struct {
	const char *period, *at;
	int late, future;
} timing_cases[] = {
	{"2024-03-1", "2024-03-01", 0, 0},	     {"2024-03-1", "2024-02-29T23:59:59Z", 1, 0},
	{"2024-03-1", "2024-03-15T23:59:59Z", 0, 0}, {"2024-03-1", "2024-03-16", 0, 1},
	{"2024-03-2", "2024-03-16", 0, 0},	     {"2024-03-2", "2024-04-01", 0, 1},
	{"2024-12-2", "2024-12-31T23:59:59Z", 0, 0}, {"2024-12-2", "2025-01-01", 0, 1},
	{"2025-01-1", "2024-12-31T23:59:59Z", 1, 0}, /* late across the year end */
	{"2024-02-2", "2024-02-29T12:00:00Z", 0, 0}, /* leap day */
};

START_TEST(test_timing)
{
	int p = _period(timing_cases[_i].period);
	int64_t at = _time(timing_cases[_i].at);

	ck_assert_int_eq(timing_late(at, p), timing_cases[_i].late);
	ck_assert_int_eq(timing_future(at, p), timing_cases[_i].future);
	ck_assert(timing_future_from(p) == period_issue_date(p));
}
END_TEST

/* ---- payout: due when last day + delay < payout date. */
static const struct {
	const char *period;
	long delay;
	const char *date;
	int due;
	const char *next; /* the first payout date it is due on */
} due_cases[] = {
	{"2024-03-1", 0, "2024-03-16", 1, "2024-03-16"},  /* 15th + 0 < 16th */
	{"2024-03-1", 1, "2024-03-16", 0, "2024-04-01"},  /* 16th is not < 16th */
	{"2024-03-1", 17, "2024-04-01", 0, "2024-04-16"}, /* 15th + 17 = 1st */
	{"2024-03-1", 16, "2024-04-01", 1, "2024-04-01"},
	{"2024-03-1", 15, "2024-04-01", 1, "2024-04-01"},
	{"2024-03-2", 0, "2024-04-01", 1, "2024-04-01"},
	{"2024-02-2", 1, "2024-03-01", 0, "2024-03-16"}, /* 29 Feb + 1 = 1 March */
	{"2024-12-2", 7, "2025-01-16", 1, "2025-01-16"},
	{"2024-12-2", 0, "2024-12-16", 0, "2025-01-01"}, /* not yet ended */
};

START_TEST(test_due)
{
	int p = _period(due_cases[_i].period);
	int64_t date = _time(due_cases[_i].date);
	int64_t ready = payout_ready(p, due_cases[_i].delay);

	ck_assert_int_eq(payout_due(p, due_cases[_i].delay, date), due_cases[_i].due);
	ck_assert(payout_next_date(ready) == _time(due_cases[_i].next));
}
END_TEST

/* A payout: at least one due invoice and the net at the threshold. */
static const struct {
	long ndue;
	int64_t net, market, merchant;
	int made;
} made_cases[] = {
	{1, 2000, 2000, 0, 1},	  {1, 1999, 2000, 0, 0}, {1, 2000, 2000, 2001, 0},
	{1, 5000, 2000, 5000, 1}, {3, 0, 0, 0, 1}, /* cancelling invoices settle */
	{2, -1, 0, 0, 0},	  {0, 0, 0, 0, 0}, /* nothing due */
};

START_TEST(test_made)
{
	int64_t t = payout_threshold(made_cases[_i].market, made_cases[_i].merchant);

	ck_assert(t == (made_cases[_i].market > made_cases[_i].merchant ? made_cases[_i].market
									: made_cases[_i].merchant));
	ck_assert_int_eq(payout_made(made_cases[_i].ndue, made_cases[_i].net, t),
			 made_cases[_i].made);
}
END_TEST

/* Holds: frozen wins; names round-trip. */
START_TEST(test_holds)
{
	int h;

	ck_assert_int_eq(payout_hold(1, 0), HOLD_FROZEN);
	ck_assert_int_eq(payout_hold(1, 1), HOLD_FROZEN);
	ck_assert_int_eq(payout_hold(0, 0), HOLD_DETAILS);
	ck_assert_int_eq(payout_hold(0, 1), HOLD_NONE);
	for (h = 0; h < HOLD_NHOLDS; h++) {
		const char *n = payout_hold_name(h);

		ck_assert_int_eq(payout_hold_of(n, strlen(n)), h);
	}
	ck_assert_int_eq(payout_hold_of("hold", 4), -1);
}
END_TEST

/* The balance reason: the first that applies. */
static const struct {
	int known, hold, paid;
	long ndue;
	int64_t due;
	long npending;
	const char *reason;
} reason_cases[] = {
	{0, HOLD_NONE, 0, 1, 100, 0, "unknown_merchant"},
	{1, HOLD_FROZEN, 0, 1, -100, 0, "frozen"}, /* before the amounts */
	{1, HOLD_DETAILS, 0, 0, 0, 1, "payout_details"},
	{1, HOLD_NONE, 1, 0, 0, 2, ""},
	{1, HOLD_NONE, 0, 2, -5, 0, "negative"},
	{1, HOLD_NONE, 0, 2, 5, 1, "below_minimum"},
	{1, HOLD_NONE, 0, 0, 0, 1, "not_due"},
	{1, HOLD_NONE, 0, 0, 0, 0, "not_confirmed"},
};

START_TEST(test_reason)
{
	int r = payout_balance_reason(reason_cases[_i].known, reason_cases[_i].hold,
				      reason_cases[_i].paid, reason_cases[_i].ndue,
				      reason_cases[_i].due, reason_cases[_i].npending);

	ck_assert_str_eq(payout_balance_reason_name(r), reason_cases[_i].reason);
}
END_TEST

/* ---- payout on request (SPEC 14). */

/* Modes: auto or empty, request; nothing else. */
static const struct {
	const char *s;
	int mode;
} mode_cases[] = {
	{"", PAYOUT_MODE_AUTO},
	{"auto", PAYOUT_MODE_AUTO},
	{"request", PAYOUT_MODE_REQUEST},
	{"Request", -1},
	{"requests", -1},
	{"manual", -1},
	{" request", -1},
	{"1", -1},
};

START_TEST(test_mode)
{
	const char *s = mode_cases[_i].s;

	ck_assert_int_eq(payout_mode_of(s, strlen(s)), mode_cases[_i].mode);
}
END_TEST

/* The walk of SPEC 14: every status meeting every event. */
static const struct {
	int status, event;
	int reject; /* PAYOUT_MOVED, or the reason */
	int next;
} walk_cases[] = {
	{PAYOUT_AWAITING_INVOICE, PAYOUT_EV_MERCHANT_INVOICE, PAYOUT_MOVED, PAYOUT_PROCESSING},
	{PAYOUT_PROCESSING, PAYOUT_EV_CONFIRMATION, PAYOUT_MOVED, PAYOUT_PAID},
	{PAYOUT_CREATED, PAYOUT_EV_CONFIRMATION, PAYOUT_MOVED, PAYOUT_PAID},
	/* a confirmation before the merchant's invoice */
	{PAYOUT_AWAITING_INVOICE, PAYOUT_EV_CONFIRMATION, REJECT_AWAITING_INVOICE, -1},
	{PAYOUT_PAID, PAYOUT_EV_CONFIRMATION, REJECT_UNKNOWN_PAYOUT, -1},
	/* a merchant's invoice for a payout not awaiting one */
	{PAYOUT_CREATED, PAYOUT_EV_MERCHANT_INVOICE, REJECT_UNKNOWN_PAYOUT, -1},
	{PAYOUT_PROCESSING, PAYOUT_EV_MERCHANT_INVOICE, REJECT_UNKNOWN_PAYOUT, -1},
	{PAYOUT_PAID, PAYOUT_EV_MERCHANT_INVOICE, REJECT_UNKNOWN_PAYOUT, -1},
};

START_TEST(test_walk)
{
	int next = -1;

	ck_assert_int_eq(payout_transition(walk_cases[_i].status, walk_cases[_i].event, &next),
			 walk_cases[_i].reject);
	ck_assert_int_eq(next, walk_cases[_i].next);
}
END_TEST

/* Status names round-trip; every status has words. */
START_TEST(test_statuses)
{
	static const char *const names[] = {"created", "awaiting_invoice", "processing", "paid"};
	int st;

	for (st = 0; st < PAYOUT_NSTATUSES; st++) {
		ck_assert_str_eq(payout_status_name(st), names[st]);
		ck_assert_int_eq(payout_status_of(names[st], strlen(names[st])), st);
		ck_assert(strlen(payout_status_words(st)) > 0);
		ck_assert_str_ne(payout_status_words(st), names[st]);
	}
	ck_assert_int_eq(payout_status_of("refused", 7), -1);
	ck_assert_int_eq(payout_status_of("Paid", 4), -1);
	ck_assert_str_eq(payout_status_words(PAYOUT_AWAITING_INVOICE),
			 "Awaiting the merchant's invoice");
}
END_TEST

/* A request's outcome: the hold, then nothing due, then the amounts, with
 * the threshold of the automatic netting's test (50.00 EUR here). */
static const struct {
	int hold;
	long ndue;
	int64_t net, request_min, merchant_min;
	const char *outcome;
} request_cases[] = {
	{HOLD_NONE, 2, 5001, 5000, 0, ""},		      /* over */
	{HOLD_NONE, 1, 5000, 5000, 0, ""},		      /* exactly at */
	{HOLD_NONE, 1, 4999, 5000, 0, "below_threshold"},     /* one cent under */
	{HOLD_NONE, 3, 9000, 5000, 10000, "below_threshold"}, /* the merchant's is higher */
	{HOLD_NONE, 3, 10000, 5000, 10000, ""},
	{HOLD_NONE, 2, -1, 0, 0, "negative"},
	{HOLD_NONE, 1, 0, 0, 0, ""}, /* cancelling invoices settle, as in SPEC 8 */
	{HOLD_NONE, 0, 0, 0, 0, "nothing_due"},
	{HOLD_NONE, 0, 0, 5000, 0, "nothing_due"},
	{HOLD_FROZEN, 1, 9000, 5000, 0, "frozen"},
	{HOLD_FROZEN, 0, 0, 5000, 0, "frozen"}, /* before the amounts */
	{HOLD_DETAILS, 1, 9000, 5000, 0, "payout_details"},
	{HOLD_DETAILS, 1, -5, 5000, 0, "payout_details"},
};

START_TEST(test_request)
{
	int64_t t = payout_threshold(request_cases[_i].request_min, request_cases[_i].merchant_min);
	int o = payout_request_outcome(request_cases[_i].hold, request_cases[_i].ndue,
				       request_cases[_i].net, t);

	ck_assert_str_eq(payout_request_outcome_name(o), request_cases[_i].outcome);
	/* A payout exactly when the automatic netting would make one, and
	 * no hold stands in the way. */
	ck_assert_int_eq(o == REQUEST_PAYOUT,
			 request_cases[_i].hold == HOLD_NONE &&
				 payout_made(request_cases[_i].ndue, request_cases[_i].net, t));
}
END_TEST

/* Balance reasons in request mode: due invoices wait for the request
 * whatever their net; payouts waiting for an invoice say so. */
static const struct {
	int reason, mode;
	long nawaiting;
	const char *name;
} mode_reason_cases[] = {
	{BAL_BELOW_MINIMUM, PAYOUT_MODE_REQUEST, 0, "awaiting_request"},
	{BAL_NEGATIVE, PAYOUT_MODE_REQUEST, 1, "awaiting_request"},
	{BAL_BELOW_MINIMUM, PAYOUT_MODE_AUTO, 0, "below_minimum"},
	{BAL_NOT_DUE, PAYOUT_MODE_REQUEST, 0, "not_due"},
	{BAL_FROZEN, PAYOUT_MODE_REQUEST, 0, "frozen"},
	{BAL_PAID, PAYOUT_MODE_REQUEST, 0, ""},
	{BAL_NOT_CONFIRMED, PAYOUT_MODE_REQUEST, 1, "awaiting_invoice"},
	{BAL_NOT_CONFIRMED, PAYOUT_MODE_REQUEST, 0, "not_confirmed"}, /* processing */
	{BAL_NOT_CONFIRMED, PAYOUT_MODE_AUTO, 1, "awaiting_invoice"}, /* switched back */
	{BAL_UNKNOWN_MERCHANT, PAYOUT_MODE_AUTO, 0, "unknown_merchant"},
};

START_TEST(test_mode_reason)
{
	int r = payout_balance_reason_in_mode(mode_reason_cases[_i].reason,
					      mode_reason_cases[_i].mode,
					      mode_reason_cases[_i].nawaiting);

	ck_assert_str_eq(payout_balance_reason_name(r), mode_reason_cases[_i].name);
}
END_TEST

/* ---- docno: numbers formatted and read back. */
static const struct {
	const char *no;
	int kind;
	const char *prefix;
	int year;
	long number;
} docno_cases[] = {
	{"SIA-2024-000007", DOC_INVOICE, "SIA", 2024, 7},
	{"CN-SIA-2025-000001", DOC_CREDIT_NOTE, "SIA", 2025, 1},
	{"PO-USA-2024-000123", DOC_PAYOUT, "USA", 2024, 123},
	{"CN-2024-000002", DOC_INVOICE, "CN", 2024, 2},	       /* prefix CN (China) */
	{"CN-CN-2024-000003", DOC_CREDIT_NOTE, "CN", 2024, 3}, /* its credit note */
	{"JOOM-US-2024-000004", DOC_INVOICE, "JOOM-US", 2024, 4},
	{"SIA-2024-1000000", DOC_INVOICE, "SIA", 2024, 1000000},	       /* a seventh digit */
	{"SIA-2024-999999999999", DOC_INVOICE, "SIA", 2024, DOCNO_NUMBER_MAX}, /* the last */
	{"A.B_C-0000-000000", DOC_INVOICE, "A.B_C", 0, 0}, /* identifier bytes, year 0 */
	{"PO-X-9999-000010", DOC_PAYOUT, "X", 9999, 10},   /* a prefix of one byte */
	/* The longest prefix, in the longest kind of number: 61 bytes. */
	{"CN-PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP-2024-999999999999", DOC_CREDIT_NOTE,
	 "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP", 2024, DOCNO_NUMBER_MAX},
};

START_TEST(test_docno)
{
	char buf[DOCNO_MAX];
	docno d;
	const char *no = docno_cases[_i].no;

	ck_assert_uint_eq(docno_format(buf, docno_cases[_i].kind, docno_cases[_i].prefix,
				       docno_cases[_i].year, docno_cases[_i].number),
			  strlen(no));
	ck_assert_str_eq(buf, no);
	ck_assert_int_eq(docno_parse(no, strlen(no), &d), 0);
	ck_assert_int_eq(d.kind, docno_cases[_i].kind);
	ck_assert_int_eq((int)d.prefix_len, (int)strlen(docno_cases[_i].prefix));
	ck_assert(memcmp(no + d.prefix, docno_cases[_i].prefix, d.prefix_len) == 0);
	ck_assert_int_eq(d.year, docno_cases[_i].year);
	ck_assert(d.number == docno_cases[_i].number);
}
END_TEST

START_TEST(test_docno_bad)
{
	static const char *const bad[] = {
		"",
		"SIA",
		"SIA-2024",
		"SIA-24-000001",
		"SIA-2024-00001",
		"-2024-000001",
		"SIA-2024-00000x",
		"SIA 2024 000001",
		"CN-2024",
		"SIA-2024-",
		"SIA-2024-1000000000000", /* past the last number */
		"PO-PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP-2024-000001", /* prefix of 41 */
		"SIA-2024-1234567890123456789",				    /* 19 digits */
		"SIA-2024-0000007",	      /* seven digits, a leading zero: not as written */
		"SIA-2024-0999999",	      /* nor this */
		"CN-SIA-2024-00000000000001", /* nor padded to 14 */
		".SIA-2024-000001",	      /* not an identifier: a leading dot */
		"S/A-2024-000001",	      /* nor with a slash in the prefix */
		"SIA-20-4-000001",	      /* a dash inside the year */
		"SIA-2O24-000001",	      /* a letter in it */
		"SIA2024-000001",	      /* no dash before the year */
		"SIA-2024_000001",	      /* nor before the number */
		"SIA-2024-000001-",	      /* nothing after the last dash */
		"SIA--2024-000001x",	      /* a letter after the number */
		"2024-000001",		      /* no prefix */
		/* 65 bytes: longer than an identifier. */
		"CN-"
		"PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP"
		"-2024-000001",
	};
	char buf[DOCNO_MAX], prefix[IDENT_MAX + 2];
	docno d;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(docno_parse(bad[i], strlen(bad[i]), &d) == -1, "'%s'", bad[i]);
	memset(prefix, 'P', sizeof prefix - 1);
	prefix[sizeof prefix - 1] = '\0';
	ck_assert_uint_eq(docno_format(buf, DOC_INVOICE, prefix, 2024, 1), 0);
	prefix[DOCNO_PREFIX_MAX + 1] = '\0';
	ck_assert_uint_eq(docno_format(buf, DOC_INVOICE, prefix, 2024, 1), 0);
	prefix[DOCNO_PREFIX_MAX] = '\0';
	ck_assert_uint_eq(docno_format(buf, DOC_PAYOUT, prefix, 2024, 1),
			  3 + DOCNO_PREFIX_MAX + 12);
	ck_assert_uint_eq(docno_format(buf, DOC_INVOICE, "SIA", 2024, DOCNO_NUMBER_MAX + 1), 0);
	ck_assert_uint_eq(docno_format(buf, DOC_INVOICE, "SIA", 10000, 1), 0);
}
END_TEST

Suite *
suite_rules_misc(void)
{
	Suite *s = suite_create("rules/timing, payout, docno");
	TCase *tc = tcase_create("rules");

	tcase_add_loop_test(tc, test_timing, 0, N(timing_cases));
	tcase_add_loop_test(tc, test_due, 0, N(due_cases));
	tcase_add_loop_test(tc, test_made, 0, N(made_cases));
	tcase_add_test(tc, test_holds);
	tcase_add_loop_test(tc, test_reason, 0, N(reason_cases));
	tcase_add_loop_test(tc, test_mode, 0, N(mode_cases));
	tcase_add_loop_test(tc, test_walk, 0, N(walk_cases));
	tcase_add_test(tc, test_statuses);
	tcase_add_loop_test(tc, test_request, 0, N(request_cases));
	tcase_add_loop_test(tc, test_mode_reason, 0, N(mode_reason_cases));
	tcase_add_loop_test(tc, test_docno, 0, N(docno_cases));
	tcase_add_test(tc, test_docno_bad);
	suite_add_tcase(s, tc);
	return s;
}
