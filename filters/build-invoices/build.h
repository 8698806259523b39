/* build-invoices: what its files share (see main.c for the filter). */
#ifndef BUILD_H
#define BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "docreg.h"
#include "lineidx.h"
#include "out.h"
#include "period.h"
#include "schema.h"
#include "state.h"
#include "strset.h"
#include "tally.h"
#include "totals.h"

struct options {
	int period;
	const char *merchants, *entities, *state_in, *state_out, *held, *lines, *totals;
	/* SPEC 12: normalize-orders' adjustments, and what the credit notes
	 * give: rejects, per-source counts, the reasons and corrected invoices
	 * for the documents, the register segments read */
	const char *adjustments, *rejects, *counts, *reasons, *corrected, *register_read;
	/* --lines-index: the lines by merchant (lib/lineidx.h), for make xlsx */
	const char *lines_index;
	int uncached;		  /* --uncached: the --lines file past the page cache */
	const char *lines_totals; /* --lines-totals: their sums, as written */
	char **inputs;		  /* none: stdin */
	int ninputs;
};

/* The columns of a line (SCHEMA_LINE_HEADER). */
enum {
	C_PERIOD,
	C_ENTITY,
	C_MERCHANT,
	C_CURRENCY,
	C_TYPE,
	C_AMOUNT,
	C_EVENT,
	C_ORDER,
	C_AT,
	C_LATE,
	C_KIND,
	C_SOURCE,
	C_LINE,
	C_CORRECTS, /* optional in inputs: empty when absent */
	C_N
};
extern const char *const line_cols[C_N];

/* One invoice line as the book sees it: each column's bytes (not
 * NUL-terminated), the file and row it came from; `row` is the whole row
 * when the line is a row of the lines format in its own column order,
 * which is then written as it is. */
struct line {
	const char *f[C_N];
	size_t n[C_N];
	const char *file;
	long lineno;
	const char *row;
	size_t rowlen;
	const char *note; /* a credit note's line: its adjustment's reason */
	size_t note_n;
	/* When not NULL: columns C_EVENT to C_LINE as the input row holds them,
	 * tabs between (an event's row, read in place), written as one copy. */
	const char *span;
	size_t span_n;
	/* keyed: entity and type hold the line's entity index and line type
	 * (-1: unknown), found when its batch was read; else looked up. */
	int keyed, entity, type;
};

/* One invoice being built.  Invoices hang off their merchant's record: a
 * merchant that has invoices owns a small table indexed by [entity][type]
 * (slots[merchant]), whose slot holds its first invoice; invoices in
 * other currencies follow through `next`.  A line thus costs the merchant
 * lookup the hold check makes anyway, plus one table slot. */
struct invoice {
	int entity, type, digits;
	char currency[4];
	long merchant; /* index in merchants.tsv */
	long lines;
	int64_t amount;
	long number;
	long next; /* next invoice of the same slot (another currency), or -1 */
};

/* Fetch invoice v ahead of its use: both ends, as an invoice straddles
 * two cache lines.  The invoices are visited in an order of their own
 * (by slot, by number), so each visit would otherwise wait for memory. */
static inline void
invoice_prefetch(const struct invoice *v)
{
	__builtin_prefetch(v);
	__builtin_prefetch((const char *)(v + 1) - 1);
}

/* An invoice an adjustment or a held credit-note line corrects: what the
 * register says of it (looked up once), and its credit note of the run. */
struct target {
	int looked, found;
	docreg_doc doc;
	long cn; /* index in ctx.cn, or -1 */
};

/* A credit note being built: one per corrected invoice (SPEC 12). */
struct credit {
	int entity, type, digits;
	char currency[4];
	long merchant; /* index in merchants.tsv */
	long target;   /* index in ctx.tg: the invoice it corrects */
	long lines;
	int64_t amount;
	long number;
};

/* A held merchant, for the stderr report. */
struct held {
	char *merchant;
	const char *reason;
	unsigned missing;
	long lines;
};

/* The --totals measures. */
enum { T_NEW, T_CARRIED, T_INVOICED, T_HELD };

/* The run. */
struct ctx {
	const struct options *opt;
	merchants ms;
	entities ent;
	int32_t **slots;   /* per merchant: [entity][type] -> first invoice, or NULL */
	int32_t *slot_mem; /* the merchants' slot tables, side by side */
	struct invoice *inv;
	size_t ninv, capinv;
	strset held_ids; /* held merchant -> held[] */
	struct held *held;
	size_t capheld;
	out lines, held_state, held_file;
	int has_lines, has_held_file;
	lineidx_writer lines_index; /* has_lines_index: of the lines written */
	int has_lines_index;
	char period[PERIOD_ID_LEN + 1];
	/* The --totals report: money per (entity, currency) and measure T_*,
	 * summed line by line in sums[], found through sum_of[entity][slot]
	 * (slot: money_currency_slot); lines of entities not in entities.tsv
	 * (held, never invoiced) go to money directly. */
	int32_t *sum_of;
	struct sum {
		int entity, slot;
		long n[4];
		int64_t amount[4];
	} * sums;
	size_t nsums, capsums;
	totals money;
	/* SPEC 12: the register of the state read, the invoices corrected
	 * (strset targets: their numbers), the credit notes, the rejects and
	 * counts of the adjustments, the reasons for the documents. */
	docreg reg;
	strset targets;
	struct target *tg;
	size_t captg;
	struct credit *cn;
	size_t ncn, capcn;
	out rejects, reasons;
	int has_rejects, has_reasons;
	tally counts;
};

/* book.c: route one line of merchant m (NULL: unknown): invoice it or
 * hold it; a `released` line (carried from the state) is invoiced in this
 * run's period with late recomputed. */
void book_route(struct ctx *c, const struct line *ln, const merchant *m, int released);

/* book.c: the merchant record of a line, or NULL. */
const merchant *book_merchant(const struct ctx *c, const struct line *ln);

/* book.c: the summed measures into the totals report. */
void book_totals(struct ctx *c);

/* read.c: route every line of an input, in lines or assigned format;
 * `released` for the state's held lines. */
void read_lines(struct ctx *c, const char *path, int released);

/* adjust.c: the adjustments: each checked against the register
 * (unknown_invoice, currency_mismatch) and routed as a credit note's
 * line, or rejected. */
void adjust_read(struct ctx *c, const char *path);

/* adjust.c: stop on a register error rc (docreg.h): status 2 for a
 * register not as its run wrote it (a changed state), 1 for a read error. */
_Noreturn void register_fail(const struct ctx *c, int rc);

/* adjust.c: the invoice numbered no[0..n), looked up in the register the
 * first time: its index in ctx.tg. */
long adjust_target(struct ctx *c, const char *no, size_t n);

/* book.c: add a line of a known merchant to the credit note of the
 * invoice it corrects (the line's C_CORRECTS). */
void book_credit(struct ctx *c, const struct line *ln, const merchant *m, int entity, int digits,
		 int64_t amount);

/* issue.c: number the invoices and credit notes (cs, ccs: their
 * counters), write them in number order on stdout, and the run's segment
 * of the register. */
void issue_invoices(struct ctx *c, counters *cs, counters *ccs);

/* issue.c: one stderr line per held merchant. */
void issue_report_held(struct ctx *c);

/* A bad field of a line: report and exit 1. */
_Noreturn void line_bad(const struct line *ln, int col, const char *what);

#endif
