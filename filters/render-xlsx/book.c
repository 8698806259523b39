/* render-xlsx: workbooks, sheets, cells and their widths, print set-up. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "money.h"
#include "render.h"
#include "schema.h"
#include "text.h"

/* A4 in libxlsxwriter's (and Excel's) paper codes. */
enum { PAPER_A4 = 9 };

/* Column widths, in characters of the default font's digit: the text's
 * columns plus room for the cell's margins; bold text is wider.  The
 * narrowest column still shows a short number; the title's larger font
 * takes about 1.4 columns a character. */
#define WIDTH_PAD   2.0
#define WIDTH_BOLD  1.1
#define WIDTH_TITLE 1.4
#define WIDTH_MIN   6.0

/* mkdir -p for the directories of a path under the output directory.  A
 * merchant's workbooks come one after the other: the directory of the last
 * path is known to exist and is not created again. */
static void
_mkdirs(char *path)
{
	static char *last;
	static size_t last_len;
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;
	char *p;

	if (len == 0 || (last && len == last_len && memcmp(last, path, len) == 0))
		return;
	free(last);
	last = xmalloc(len + 1);
	memcpy(last, path, len);
	last[len] = '\0';
	last_len = len;
	/* The merchant's directory first: its parents exist but for the first
	 * merchant of an entity, so one mkdir is the rule. */
	if (mkdir(last, 0777) == 0 || errno == EEXIST)
		return;
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST)
			msg_fatal(EXIT_DATA, path, 0, "cannot create directory:");
		*p = '/';
	}
}

/* The number format of a currency with `digits` decimals, thousands
 * separated. */
static const char *
_num_format(int digits)
{
	static const char *const f[] = {"#,##0", "#,##0.0", "#,##0.00", "#,##0.000", "#,##0.0000"};

	return f[digits < 0 ? 0 : digits > 4 ? 4 : digits];
}

/* An amount as a number cell: the exact decimal to the nearest double,
 * converted here, at the last moment, from the exact minor units. */
static double
_number(int64_t v, int digits)
{
	double scale = 1;
	int i;

	for (i = 0; i < digits; i++)
		scale *= 10;
	return (double)v / scale;
}

/* Stop on a libxlsxwriter error. */
static void
_check(lxw_error e, const char *path)
{
	if (e != LXW_NO_ERROR)
		msg_fatal(EXIT_DATA, path, 0, "%s", lxw_strerror(e));
}

/* A number format, optionally bold or left-aligned. */
static lxw_format *
_format(lxw_workbook *wb, const char *num, int bold, int left)
{
	lxw_format *f = workbook_add_format(wb);

	if (num)
		format_set_num_format(f, num);
	if (bold)
		format_set_bold(f);
	if (left)
		format_set_align(f, LXW_ALIGN_LEFT);
	return f;
}

void
book_open(struct book *b, const struct options *o, const char *entity, const char *merchant,
	  const char *name, int64_t created, int digits, const char *subject, const char *company)
{
	lxw_workbook_options wo = {LXW_TRUE, NULL, LXW_FALSE};
	lxw_doc_properties props;
	size_t n = strlen(o->dir) + strlen(entity) + strlen(merchant) + strlen(name) + 16;

	memset(b, 0, sizeof *b);
	b->path = xmalloc(n);
	snprintf(b->path, n, "%s/xlsx/%s/%s/%s.xlsx", o->dir, entity, merchant, name);
	_mkdirs(b->path);
	wo.tmpdir = o->tmpdir;
	b->wb = workbook_new_opt(b->path, &wo);
	if (!b->wb)
		msg_fatal(EXIT_DATA, b->path, 0, "cannot create workbook:");
	memset(&props, 0, sizeof props);
	props.title = (char *)name;
	props.subject = (char *)subject;
	props.company = (char *)company;
	props.created = (time_t)created;
	_check(workbook_set_properties(b->wb, &props), b->path);
	b->digits = digits;
	b->bold = _format(b->wb, NULL, 1, 0);
	b->bold_right = _format(b->wb, NULL, 1, 0);
	format_set_align(b->bold_right, LXW_ALIGN_RIGHT);
	b->count_left = _format(b->wb, NULL, 0, 1);
	b->title = _format(b->wb, NULL, 1, 0);
	format_set_font_size(b->title, 14);
	b->money = _format(b->wb, _num_format(digits), 0, 0);
	b->money_bold = _format(b->wb, _num_format(digits), 1, 0);
	b->money_left = _format(b->wb, _num_format(digits), 1, 1);
	b->date_left = _format(b->wb, "yyyy-mm-dd", 0, 1);
	b->date_to = _format(b->wb, "\"to \"yyyy-mm-dd", 0, 1);
	b->time = _format(b->wb, "yyyy-mm-dd hh:mm:ss", 0, 0);
	/* A credit note's reasons: wrapped, and indented so that the text
	 * does not touch the right-aligned amount beside it. */
	b->wrap = _format(b->wb, NULL, 0, 0);
	format_set_text_wrap(b->wrap);
	format_set_indent(b->wrap, 1);
	snprintf(b->header, sizeof b->header, "&L%s %s&RPage &P of &N", subject, name);
}

void
book_sheet(struct book *b, const char *name)
{
	char title[64];

	/* Sheet names hold at most 31 characters. */
	if (b->nsheets == 0)
		snprintf(title, sizeof title, "%.31s", name);
	else
		snprintf(title, sizeof title, "%.18s (%zu)", name, b->nsheets + 1);
	title[31] = '\0';
	b->ws = workbook_add_worksheet(b->wb, title);
	if (!b->ws)
		msg_fatal(EXIT_DATA, b->path, 0, "cannot add sheet '%s'", title);
	b->sheets = xgrow(b->sheets, &b->capsheets, b->nsheets + 1, sizeof *b->sheets);
	b->sheets[b->nsheets++] = b->ws;
	worksheet_set_paper(b->ws, PAPER_A4);
	worksheet_set_portrait(b->ws);
	worksheet_fit_to_pages(b->ws, 1, 0);
	_check(worksheet_set_header(b->ws, b->header), b->path);
}

void
book_table(struct book *b, int row, const char *const *head, int n, int last, unsigned right)
{
	int c;

	for (c = 0; c < n; c++)
		book_text(b, row, c, head[c], right >> c & 1 ? b->bold_right : b->bold);
	if (n > b->ncols)
		b->ncols = n;
	worksheet_freeze_panes(b->ws, (lxw_row_t)(row + 1), 0);
	_check(worksheet_autofilter(b->ws, (lxw_row_t)row, 0, (lxw_row_t)(last > row ? last : row),
				    (lxw_col_t)(n - 1)),
	       b->path);
	_check(worksheet_repeat_rows(b->ws, (lxw_row_t)row, (lxw_row_t)row), b->path);
}

/* Widen column col to w characters (within its cap). */
static void
_widen(struct book *b, int col, double w)
{
	if (b->cap[col] > 0 && w > b->cap[col])
		w = b->cap[col];
	if (w > b->width[col])
		b->width[col] = w;
}

/* The width a text takes in format f. */
static double
_text_width(const struct book *b, const char *s, const lxw_format *f)
{
	double k = f == b->title					      ? WIDTH_TITLE
		   : f == b->bold || f == b->bold_right || f == b->money_bold ? WIDTH_BOLD
									      : 1;

	return (double)text_width(s, strlen(s)) * k + WIDTH_PAD;
}

void
book_text(struct book *b, int row, int col, const char *s, lxw_format *f)
{
	if (!s || !*s)
		return;
	_check(worksheet_write_string(b->ws, (lxw_row_t)row, (lxw_col_t)col, s, f), b->path);
	_widen(b, col, _text_width(b, s, f));
}

void
book_spill(struct book *b, int row, int col, const char *s, lxw_format *f)
{
	double w;

	if (!s || !*s)
		return;
	_check(worksheet_write_string(b->ws, (lxw_row_t)row, (lxw_col_t)col, s, f), b->path);
	w = _text_width(b, s, f);
	if (w > b->spill[col])
		b->spill[col] = w;
}

void
book_money(struct book *b, int row, int col, int64_t v, lxw_format *f)
{
	char buf[MONEY_FMT_MAX];
	size_t n = money_format(v, b->digits, buf), whole = n;
	const char *dot = memchr(buf, '.', n);

	/* The digits before the point get a separator every three. */
	if (dot)
		whole = (size_t)(dot - buf);
	if (v < 0)
		whole--;
	_check(worksheet_write_number(b->ws, (lxw_row_t)row, (lxw_col_t)col, _number(v, b->digits),
				      f),
	       b->path);
	_widen(b, col,
	       (double)(n + (whole - 1) / 3) *
			       (f == b->money_bold || f == b->money_left ? WIDTH_BOLD : 1) +
		       WIDTH_PAD + 1);
}

void
book_date(struct book *b, int row, int col, int64_t t, lxw_format *f)
{
	_check(worksheet_write_unixtime(b->ws, (lxw_row_t)row, (lxw_col_t)col, t, f), b->path);
	_widen(b, col, (f == b->time ? 19 : f == b->date_to ? 13 : 10) + WIDTH_PAD);
}

void
book_count(struct book *b, int row, int col, long n, lxw_format *f)
{
	char buf[32];

	_check(worksheet_write_number(b->ws, (lxw_row_t)row, (lxw_col_t)col, (double)n, f),
	       b->path);
	_widen(b, col, (double)snprintf(buf, sizeof buf, "%ld", n) + WIDTH_PAD);
}

/* The widths: each column as wide as its widest cell; text that runs on
 * to the right must end within the last column, which grows when it
 * would not. */
static void
_set_widths(struct book *b)
{
	int c, k;
	size_t s;

	for (c = 0; c < b->ncols; c++)
		if (b->width[c] < WIDTH_MIN)
			b->width[c] = WIDTH_MIN;
	for (c = 0; c < b->ncols; c++) {
		double room = 0;

		for (k = c; k < b->ncols; k++)
			room += b->width[k];
		if (b->spill[c] > room)
			b->width[b->ncols - 1] += b->spill[c] - room;
	}
	for (s = 0; s < b->nsheets; s++)
		for (c = 0; c < b->ncols; c++)
			_check(worksheet_set_column(b->sheets[s], (lxw_col_t)c, (lxw_col_t)c,
						    b->width[c], NULL),
			       b->path);
}

void
book_close(struct book *b)
{
	_set_widths(b);
	_check(workbook_close(b->wb), b->path);
	free(b->path);
	free(b->sheets);
	st.written++;
	msg_progress_show(&st.progress, "%ld workbooks written%s", st.written, st.shard);
}

void
book_discard(struct book *b)
{
	_check(workbook_close(b->wb), b->path);
	unlink(b->path);
	free(b->path);
	free(b->sheets);
}

void
book_type_words(char *buf, size_t cap, int type)
{
	snprintf(buf, cap, "%s \xe2\x80\x94 %s", schema_type_code(type), schema_type_name(type));
}

/* "postal_code city", or whichever of the two is given. */
static char *
_place(const char *postal, const char *city)
{
	size_t np = strlen(postal), nc = strlen(city);
	char *s = xmalloc(np + nc + 2);

	memcpy(s, postal, np);
	s[np] = np && nc ? ' ' : '\0';
	memcpy(s + np + (np && nc), city, nc + 1);
	return s;
}

int
book_parties(struct book *b, int row, const char *entity, const char *merchant)
{
	static const char *const label[] = {
		"Name", "Address", "Postal code, city", "Country", "VAT ID", "Registration", "ID"};
	const issuer *is = issuers_find(&st.is, entity);
	const struct merchant *m =
		st.have_ms ? merchants_find(&st.ms, merchant, strlen(merchant)) : NULL;
	char *ip = is ? _place(is->postal_code, is->city) : NULL;
	char *mp = m ? _place(m->postal_code, m->city) : NULL;
	const char *iv[7], *mv[7];
	int k;

	/* An entity without issuers.tsv row is shown by its code (SPEC 15). */
	iv[0] = is ? is->legal_name : entity;
	iv[1] = is ? is->address : "";
	iv[2] = is ? ip : "";
	iv[3] = is ? is->country : "";
	iv[4] = is ? is->vat_id : "";
	iv[5] = is ? is->registration : "";
	iv[6] = entity;
	mv[0] = m ? m->legal_name : "";
	mv[1] = m ? m->address : "";
	mv[2] = m ? mp : "";
	mv[3] = m ? m->country : "";
	mv[4] = m ? m->vat_id : "";
	mv[5] = "";
	mv[6] = merchant;
	book_text(b, row, 1, "Issuer", b->bold);
	book_text(b, row++, 2, "Merchant", b->bold);
	for (k = 0; k < 7; k++, row++) {
		book_text(b, row, 0, label[k], b->bold);
		book_text(b, row, 1, iv[k], NULL);
		book_spill(b, row, 2, mv[k], NULL);
	}
	free(ip);
	free(mp);
	return row;
}
