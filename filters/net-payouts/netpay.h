/* net-payouts: what its files share (see main.c for the filter). */
#ifndef NETPAY_H
#define NETPAY_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "out.h"
#include "state.h"
#include "strset.h"

struct options {
	int64_t date;
	int period; /* the run's period: the one issued on date */
	const char *merchants, *payout, *state_in, *state_out, *confirmations;
	const char *payouts, *items, *balances, *rejects, *totals;
	const char *next; /* --next: the next payout of each open balance */
	const char *requests_in, *merchant_invoices, *requests; /* SPEC 14 */
	char **inputs; /* this run's invoices; none: stdin */
	int ninputs;
};

/* An invoice open at the start of the run, or issued in it.  Its number
 * is key i of ledger.invoice_nos (invoice i was added to the set as id i). */
struct inv {
	long lines;
	int64_t amount;
	int32_t entity, merchant, currency; /* ids in the name sets */
	int period, type;
	/* Indexes fit in 32 bits (the invoices of a run are held in memory):
	 * an invoice takes 56 bytes, not 96, of fresh memory, which is dear
	 * (docs/performance.md). */
	int32_t payout;	  /* index into po[], or -1 */
	int32_t pnext;	  /* next invoice of the same payout */
	int32_t gnext;	  /* next invoice without a payout of the same group */
	int32_t corrects; /* a credit note (SPEC 12): the invoice it corrects, an
			   * id in ledger.corrects; -1 for an invoice */
	unsigned char paid, fresh, changed, open_in;
};

/* A payout open at the start of the run, or created in it. */
struct po {
	char *no;
	long entity, merchant, currency;
	int64_t date, amount, paid_on;
	long invoices;
	int status;   /* enum payout_status */
	int hold;     /* enum payout_hold */
	long first;   /* its first invoice */
	long request; /* the request that made it (req[]), or -1 */
	unsigned char fresh, changed;
};

/* A payout request (SPEC 14): one accepted in this run, or one of the
 * state whose payout is not paid yet.  Its status is its payout's, or
 * refused. */
struct req {
	char *id;
	long entity, merchant, currency;
	int64_t requested_at;
	int outcome; /* enum request_outcome, once the netting decided */
	int64_t amount, threshold;
	long payout;		   /* index into po[], or -1 */
	char *merchant_invoice_no; /* NULL until the merchant's invoice arrived */
	int64_t received_at;
	unsigned char fresh, changed;
};

/* Everything of one (entity, merchant, currency).  A merchant's groups
 * are linked from mfirst[merchant] through mnext: a handful each. */
struct group {
	long entity, merchant, currency;
	long mnext;
	long first; /* invoices without a payout, linked by gnext */
	int64_t due, pending, threshold, next_due, unpaid_amount;
	long ndue, npending, nunpaid;
	long nawaiting; /* payouts on request awaiting the merchant's invoice */
	long req;	/* this run's accepted request for the group, or -1 */
	int reason;	/* enum balance_reason */
	/* Before the netting (for --next): invoices without a payout, and
	 * the net of those due of the state's and of this run's; whether
	 * the netting made a payout, and its hold. */
	long nopen;
	int64_t due_carried, due_fresh;
	int made, hold;
};

/* The run's books: names, invoices, payouts, groups, configuration. */
struct ledger {
	strset entities, merchants, currencies; /* names -> ids */
	strset invoice_nos, payout_nos;		/* numbers -> indexes */
	strset corrects;			/* numbers credit notes correct */
	struct inv *inv;
	size_t ninv, capinv, nstate; /* the first nstate come from the state */
	long *by_no;		     /* report_order(): every invoice, by number */
	struct po *po;
	size_t npo, cappo;
	long *mfirst;
	size_t capm;
	struct group *grp;
	size_t ngrp, capgrp;
	merchants ms;
	strset min_currencies; /* payout.tsv */
	int64_t *min_amount;
	int64_t *request_min; /* request_min, or the row's min_payout */
	size_t capmin;
	counters counters;
	struct req *req; /* SPEC 14 */
	size_t nreq, capreq;
};

/* state.c: the open invoices and payouts of the previous state, and its
 * payout counters; `fresh` invoices are this run's (from build-invoices). */
void ledger_load_state(struct ledger *l, const char *dir, int period);
void ledger_load_invoices(struct ledger *l, const char *path, int fresh, int period);
void ledger_load_minimums(struct ledger *l, const char *path);

/* state.c: apply payout confirmations; rejects go to rej (or stderr). */
void ledger_confirm(struct ledger *l, const char *path, out *rej);

/* net.c: group what is open and net every group in numbering order. */
void ledger_net(struct ledger *l, const struct options *opt);

/* net.c: make a payout of group g's `ndue` invoices that are due on `date`
 * for a merchant with `delay_days`, netting `due`, numbered after the
 * invoice `first_due`'s prefix; returns its index in po[]. */
long ledger_make_payout(struct ledger *l, const struct group *g, long delay_days, int64_t due,
			long ndue, long first_due, int64_t date, int year, int hold, int status);

/* request.c (SPEC 14): the open requests of the state (after its payouts);
 * merchants' invoices, applied first; the run's requests, checked against
 * the configuration and the open requests once the confirmations are in. */
void request_load_state(struct ledger *l, const char *dir);
void request_merchant_invoices(struct ledger *l, const char *path, out *rej);
void request_read(struct ledger *l, const char *path, out *rej);

/* request.c: the request minimum of a currency (payout.tsv). */
int64_t request_min(const struct ledger *l, long currency);

/* request.c: decide group g's request, if it has one, from its due
 * invoices; 1 when it made a payout. */
int request_net(struct ledger *l, struct group *g, long delay_days, int hold, long ndue,
		int64_t due, long first_due, int64_t date, int year);

/* request.c: requests.tsv (this run's and those whose status changed), or
 * the state's open requests. */
void request_report(const struct ledger *l, const char *path, int state);

/* request.c: release the requests. */
void request_free(struct ledger *l);

/* report.c: the outputs. */
/* Sort the invoices by number once, for report_invoices(); after the
 * netting, before the reports (which then only read the ledger, and may
 * run side by side). */
void report_order(struct ledger *l);
void report_invoices(const struct ledger *l, const char *path, int state);
void report_payouts(const struct ledger *l, const char *path, const char *items, int state);
void report_balances(const struct ledger *l, const char *path);
void report_totals(const struct ledger *l, const char *path);
void report_next(const struct ledger *l, const char *path, int64_t date);

/* state.c: a name of a set, and the id of a name (made when new). */
long ledger_intern(strset *s, const char *name, size_t n);

/* Release everything. */
void ledger_free(struct ledger *l);

/* The byte order of the ledger's entity, merchant and currency names as
 * ranks (state.c): outputs and netting sort by them without comparing
 * strings.  ledger_ranks exits when out of memory. */
struct ranks {
	long *e, *m, *c;
};
void ledger_ranks(const struct ledger *l, struct ranks *r);
void ranks_free(struct ranks *r);

/* -1, 0 or 1: names a and b in the order of rank. */
static inline int
rank_cmp(const long *rank, long a, long b)
{
	return (rank[a] > rank[b]) - (rank[a] < rank[b]);
}

#endif
