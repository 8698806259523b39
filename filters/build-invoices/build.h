/* build-invoices: what its files share (see main.c for the filter). */
#ifndef BUILD_H
#define BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "out.h"
#include "period.h"
#include "schema.h"
#include "state.h"
#include "strset.h"
#include "totals.h"

struct options {
	int period;
	const char *merchants, *entities, *state_in, *state_out, *held, *lines, *totals;
	char **inputs; /* none: stdin */
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
	int32_t **slots; /* per merchant: [entity][type] -> first invoice, or NULL */
	struct invoice *inv;
	size_t ninv, capinv;
	strset held_ids; /* held merchant -> held[] */
	struct held *held;
	size_t capheld;
	out lines, held_state, held_file;
	int has_lines, has_held_file;
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

/* issue.c: number the invoices and write them in number order. */
void issue_invoices(struct ctx *c, counters *cs);

/* issue.c: one stderr line per held merchant. */
void issue_report_held(struct ctx *c);

/* A bad field of a line: report and exit 1. */
_Noreturn void line_bad(const struct line *ln, int col, const char *what);

#endif
