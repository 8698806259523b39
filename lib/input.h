/* input: reading the pipeline's own TSV streams and configuration files
 * in a filter.  Like msg, these helpers report and exit on bad input
 * (status 1, "prog: file:line: field 'name': message 'value'"), so a
 * filter's main loop stays one line per step.  They are for files that the
 * pipeline or a person wrote to a known format; raw drops go through
 * normalize-orders, which rejects rows instead. */
#ifndef INPUT_H
#define INPUT_H

#include <stdint.h>

#include "tsv.h"

/* Open path ("-" is stdin) and read its header; a file without a header
 * (0 bytes) is an error. */
void einput_open(tsv_reader *r, const char *path);

/* Read the header of a reader started with tsv_init(), with the same
 * checks. */
void einput_header(tsv_reader *r);

/* Resolve required columns into idx[]; a missing one is an error. */
void einput_require(tsv_reader *r, const char *const *names, int *idx, size_t n);

/* Next row: 1, or 0 at end of input.  A row whose field count differs
 * from the header's, a CR in a row, and a read error are errors. */
int einput_next(tsv_reader *r);

/* The checks einput_next() makes on the current row (after
 * tsv_split_buffered(), say). */
void einput_check_row(const tsv_reader *r);

/* Check a text field that goes into documents (text_check_document());
 * a bad one stops the run naming the row, the column and the problem,
 * with the value escaped. */
void einput_text(const tsv_reader *r, int col);

/* Report a bad field of the current row and exit 1. */
_Noreturn void einput_bad(const tsv_reader *r, int col, const char *what);

/* Field values, each checked: money with `digits` decimals, a six-decimal
 * value in millionths, an instant, a period, an identifier, a currency
 * (returns its digits), a flag 0/1, a non-negative integer. */
int64_t einput_money(const tsv_reader *r, int col, int digits);
int64_t einput_micro(const tsv_reader *r, int col);
int64_t einput_time(const tsv_reader *r, int col);
int einput_period(const tsv_reader *r, int col);
const char *einput_ident(const tsv_reader *r, int col);
int einput_currency(const tsv_reader *r, int col);
int einput_flag(const tsv_reader *r, int col);
long einput_count(const tsv_reader *r, int col);

#endif
