/* normalize-orders: what its files share (see main.c for the filter). */
#ifndef NORMALIZE_H
#define NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"
#include "out.h"
#include "rules/checks.h"
#include "strset.h"
#include "text.h"

struct options {
	int period;    /* run period, or -1 when unknown */
	int64_t as_of; /* --as-of: 00:00Z of the day, or INT64_MIN for none */
	const char *rejects;
	const char *confirmations;
	const char *requests;	       /* accepted payout-requests rows (SPEC 14) */
	const char *merchant_invoices; /* accepted merchant-invoices rows (SPEC 14) */
	const char *adjustments;       /* accepted adjustments rows (SPEC 12) */
	const char *stdin_as;	       /* the drop file name standard input stands for */
	const char *counts;	       /* per file: rows read, accepted, rejected */
	const char *progress;	       /* where to show progress */
	char **paths;
	int npaths;
};

/* One input file to read (discover.c). */
struct input {
	char *path;	   /* as given or joined to the drop directory */
	const char *label; /* for messages: the path, or <stdin> */
	const char *base;  /* file name: the `source` of rejects */
	int kind;	   /* enum source_kind */
	int csv;
};

/* A record of either format, as the checks see it. */
struct record {
	long line;
	int malformed;
	const char *raw;
	size_t rawlen;
	size_t nfield;
	char **field;
	size_t *flen;
};

/* One output column of the current input (emit.c). */
struct plan {
	signed char form, role;
	char sep;	 /* a value's separator after it: tab, or the row's newline */
	signed char has; /* a value read from a field: col is the field's */
	int col;
	size_t len; /* F_CONST: bytes of cst, its separators included */
};

/* Per-file reading state. */
struct ctx {
	const struct options *opt;
	const struct input *in;
	const check_source *src;
	strset *ids;	       /* the source's ids seen so far (.csv and .tsv) */
	int idx[COL_NROLES];   /* column of each role, -1 when the source has none */
	size_t ncol;	       /* the header's field count */
	char **names;	       /* the header's names */
	int64_t future;	       /* first instant that is future, or INT64_MAX */
	out *out, *rej, *conf; /* rej and conf are NULL when not asked for */
	out *req, *minv;       /* the SPEC 14 side files, NULL when not asked for */
	out *adj;	       /* the SPEC 12 side file, NULL when not asked for */
	struct plan plan[32];  /* how the input's events are written */
	size_t nplan, kind_len, base_len;
	text_buf cst; /* the constant runs of the plan, back to back */
	text_buf esc;
	msg_progress progress;
	long total; /* rows read in all files */
	long nread, nrejected;
	long nafter; /* rows left out as dated after --as-of */
};

/* record_precheck()'s verdict on a row dated after --as-of. */
enum { RECORD_AFTER_AS_OF = -100 };

/* discover.c: the source kind and format of a file name, or -1. */
int drop_classify(const char *base, int *csv);

/* discover.c: the drop files' names for messages: "orders, refunds, ...". */
const char *drop_names(void);

/* discover.c: the inputs the operands name, in reading order. */
struct input *drop_inputs(struct options *opt, size_t *n);

/* check.c: the checks that need no other row; a reason, CHECK_OK or
 * RECORD_AFTER_AS_OF (a whole record dated after --as-of, which is left
 * out before its bytes, its ids or the duplicate check are looked at),
 * and in *at the index of the duplicate check. */
int record_precheck(const struct ctx *c, const struct record *r, size_t *at, int *col);

/* check.c: the duplicate id (hash: its strset_hash()) and the checks
 * after it; a reason or CHECK_OK.  Both functions leave in *col the
 * column at fault, -1 for a reason about the whole record. */
int record_check(struct ctx *c, const struct record *r, uint64_t hash, size_t at, check_values *v,
		 int *col);

/* emit.c: work out how the current input's rows are written, once its
 * columns are resolved. */
void emit_plan(struct ctx *c);

/* emit.c: write the accepted row's event (or confirmation, or adjustment). */
void record_emit(struct ctx *c, const struct record *r, const check_values *v);

/* emit.c: write a rejected row; col is the column at fault, or -1. */
void record_reject(struct ctx *c, const struct record *r, int reason, int col);

/* read.c: check and write every record of the current input. */
void read_input(struct ctx *c);

/* read.c: release the batch's memory. */
void read_free(struct ctx *c);

#endif
