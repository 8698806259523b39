/* render-xlsx: what its files share (see main.c for the filter). */
#ifndef RENDER_H
#define RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <xlsxwriter.h>

#include "config.h"
#include "ident.h"
#include "msg.h"
#include "strset.h"
#include "tsv.h"

struct options {
	int period;
	const char *dir, *merchants, *entities, *issuers, *corrected, *reasons;
	const char *lines, *invoices, *payouts, *items;
	long shard, nshards;
	const char *merchant; /* --merchant: only this merchant's documents */
	const char *document; /* --document: only this invoice, credit note or payout */
	long sheet_rows;      /* lines per sheet before continuing on the next */
	const char *progress;
	char *tmpdir; /* where libxlsxwriter's temporary files go; NULL: its own choice */
};

/* One invoice or credit note of the period. */
struct invoice {
	char *no, *entity, *merchant;
	char *corrects;	 /* a credit note: the number of the invoice it corrects; else "" */
	char *payout_no; /* "" when it has no payout */
	char *status;	 /* invoices.tsv's status ("" when the column is absent) */
	char currency[4];
	int type, digits, credit;
	long lines;
	int64_t amount;
	long corrected; /* a credit note: its index into st.corr */
	int done;	/* its lines were read */
	long found;	/* lines found, when they did not add up to the invoice */
};

/* One item of a payout (an invoice or credit note it pays). */
struct item {
	char *invoice;
	int type, period, credit;
	int64_t amount;
};

/* A payout created in the period's run, with its items. */
struct payout {
	char *no, *entity, *merchant, *status, *hold;
	char currency[4];
	int digits, listed;	       /* listed: its row of payouts.tsv was read */
	int64_t date, amount, paid_on; /* paid_on < 0: not paid */
	struct item *item;
	size_t n, cap;
};

/* An invoice that a credit note of the period corrects (--corrected). */
struct corrected {
	int64_t issued_on;
	int period, found;
	long credit; /* the credit note that corrects it, in st.inv */
};

/* The period's documents and what they show. */
struct render {
	strset keys; /* "entity\tmerchant\tcurrency\ttype\tcorrects" -> inv[] */
	struct invoice *inv;
	size_t ninv;
	strset payout_nos; /* payout_no -> po[] */
	strset mine;	   /* --merchant: its payout numbers (load_items) */
	int have_mine;
	struct payout *po;
	long *order; /* the payouts in payouts.tsv's order */
	size_t norder;
	strset corrected_nos; /* invoice_no -> corr[] */
	struct corrected *corr;
	tsv_reader reasons; /* --reasons, read in step with the lines */
	int rx[7];	    /* its columns: the line's key, adjustment_id, reason */
	int have_reasons;
	merchants ms;
	int have_ms;
	issuers is;
	entities ent;
	int have_ent;
	long written;
	msg_progress progress;
	char shard[48]; /* " (shard K/N)" when sharded, for progress */
};
extern struct render st;

/* Whether a merchant belongs to this process's shard. */
int render_mine(const struct options *o, const char *merchant);

/* Whether a document of a merchant is rendered by this run: its shard,
 * --merchant and --document. */
int render_wanted(const struct options *o, const char *merchant, const char *no);

/* load.c: the period's invoices and credit notes, payout items and
 * payouts, the corrected invoices and the reasons; every check that can
 * fail is made here, before the first workbook. */
void load_invoices(const struct options *o, const char *path);
void load_items(const struct options *o, const char *items, const char *payouts);
void load_payouts(const char *path);
void load_corrected(const struct options *o);
void load_reasons(const struct options *o);
void load_warn_issuers(const struct options *o);
void load_free(void);

/* invoice.c: every invoice and credit note of this shard, from the
 * grouped lines. */
void render_invoices(const struct options *o, const char *path);

/* The columns render_invoices() requires of the lines. */
const char *const *render_line_cols(size_t *n);

/* payout.c: every payout of this shard created in the period's run. */
void render_payouts(const struct options *o);

/* book.c: a workbook being written, one or more sheets of at most
 * BOOK_COLS columns, each with its print set-up; column widths follow
 * what is written and are set when the workbook is closed (libxlsxwriter
 * writes a sheet's column widths when it assembles the sheet at close,
 * also in constant_memory mode, so they may follow its rows). */
enum { BOOK_COLS = 6 };

struct book {
	lxw_workbook *wb;
	lxw_worksheet *ws;	/* the sheet being written */
	lxw_worksheet **sheets; /* all of them, for the widths */
	size_t nsheets, capsheets;
	lxw_format *bold, *bold_right, *title, *money, *money_bold, *money_left, *date_left,
		*date_to, *time, *count_left, *wrap;
	char *path;
	char header[160];	 /* the printed page header: document and page N of M */
	double width[BOOK_COLS]; /* the widest cell of each column, in characters */
	double spill[BOOK_COLS]; /* the widest text that may run on into the next columns */
	double cap[BOOK_COLS];	 /* the widest a column may be (0: no limit) */
	int digits, ncols;
};

/* Create DIR/xlsx/ENTITY/MERCHANT/NAME.xlsx, dated `created`, with the
 * document's properties (title, subject, issuing company). */
void book_open(struct book *b, const struct options *o, const char *entity, const char *merchant,
	       const char *name, int64_t created, int digits, const char *subject,
	       const char *company);

/* A new sheet (named `name`, or "name (k)" after the first) with the
 * print set-up: A4, fitted to the page width, the page header. */
void book_sheet(struct book *b, const char *name);

/* The table's header row at `row`: frozen, filtered down to `last`,
 * repeated at the top of every printed page; the headings of the columns
 * in the bits of `right` (numbers, dates) are aligned right. */
void book_table(struct book *b, int row, const char *const *head, int n, int last, unsigned right);

/* Cells.  book_text: text (never a formula), its column as wide as it;
 * book_spill: text that may run on over the empty cells to its right;
 * book_money: an amount as a number with the currency's decimals;
 * book_date: a date or time cell; book_count: a whole number (in format f). */
void book_text(struct book *b, int row, int col, const char *s, lxw_format *f);
void book_spill(struct book *b, int row, int col, const char *s, lxw_format *f);
void book_money(struct book *b, int row, int col, int64_t v, lxw_format *f);
void book_date(struct book *b, int row, int col, int64_t t, lxw_format *f);
void book_count(struct book *b, int row, int col, long n, lxw_format *f);

/* Set the widths on every sheet, write the file and count it. */
void book_close(struct book *b);

/* Close and remove the file: its document is not complete. */
void book_discard(struct book *b);

/* The issuer and merchant blocks, side by side, from `row`; returns the
 * next free row. */
int book_parties(struct book *b, int row, const char *entity, const char *merchant);

/* The type in words: "R — Orders". */
void book_type_words(char *buf, size_t cap, int type);

#endif
