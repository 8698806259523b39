/* tsv: rows, fields, line numbers, header lookup, large inputs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"
#include "suites.h"
#include "text.h"
#include "tsv.h"
#include "util.h"

/* Read all rows after the header as "line:f1|f2|...\n", fields escaped. */
static char *
_dump(const char *data, size_t n, int *header_rc)
{
	char *path = util_temp_file(data, n);
	tsv_reader r;
	text_buf out = {0};
	int rc;
	size_t i;
	char num[32];

	ck_assert_int_eq(tsv_open(&r, path), 0);
	*header_rc = tsv_read_header(&r);
	text_append(&out, "", 0);
	if (*header_rc == TSV_ROW) {
		while ((rc = tsv_read(&r)) == TSV_ROW) {
			text_append(&out, num, (size_t)snprintf(num, sizeof num, "%ld:", r.line));
			for (i = 0; i < r.nfield; i++) {
				if (i)
					text_append(&out, "|", 1);
				text_escape(&out, r.field[i], r.flen[i]);
			}
			text_append(&out, "\n", 1);
		}
		ck_assert_int_eq(rc, TSV_EOF);
	}
	tsv_close(&r);
	unlink(path);
	free(path);
	return out.p;
}

#define S(lit) lit, sizeof(lit) - 1

static const struct {
	const char *name;
	const char *in;
	size_t n;
	int header_rc;
	const char *rows;
} cases[] = {
	{"simple", S("a\tb\n1\t2\n"), TSV_ROW, "2:1|2\n"},
	{"no_final_newline", S("a\tb\n1\t2"), TSV_ROW, "2:1|2\n"},
	{"header_only", S("a\tb\n"), TSV_ROW, ""},
	{"header_only_no_newline", S("a\tb"), TSV_ROW, ""},
	{"empty", S(""), TSV_EOF, ""},
	{"crlf_keeps_cr", S("a\r\n1\r\n"), TSV_ROW, "2:1\\r\n"},
	{"empty_fields", S("a\tb\tc\n\t\t\n"), TSV_ROW, "2:||\n"},
	{"blank_line_counts", S("a\tb\n1\n\n3\t4\n"), TSV_ROW, "2:1\n3:\n4:3|4\n"},
	{"quotes_are_data", S("a\n\"q\"\n"), TSV_ROW, "2:\"q\"\n"},
	{"nul_is_data", S("a\tb\nx\0y\tz\n"), TSV_ROW, "2:x\\x00y|z\n"},
	{"ragged", S("a\tb\n1\n1\t2\t3\n"), TSV_ROW, "2:1\n3:1|2|3\n"},
};

START_TEST(test_cases)
{
	int hrc;
	char *got = _dump(cases[_i].in, cases[_i].n, &hrc);

	ck_assert_msg(hrc == cases[_i].header_rc, "%s: header rc %d", cases[_i].name, hrc);
	ck_assert_msg(strcmp(got, cases[_i].rows) == 0, "%s: got '%s'", cases[_i].name, got);
	free(got);
}
END_TEST

/* Columns by name, in any order, unknown ones ignored. */
START_TEST(test_columns)
{
	static const char *const want[] = {"c", "a"};
	static const char *const want_missing[] = {"a", "zz", "c"};
	char *path = util_temp_file(S("a\tb\tc\n1\t2\t3\n"));
	tsv_reader r;
	int idx[3];

	ck_assert_int_eq(tsv_open(&r, path), 0);
	ck_assert_int_eq(tsv_read_header(&r), TSV_ROW);
	ck_assert_int_eq(tsv_column(&r, "b"), 1);
	ck_assert_int_eq(tsv_column(&r, "B"), -1);
	ck_assert_int_eq(tsv_columns(&r, want, idx, 2), -1);
	ck_assert_int_eq(idx[0], 2);
	ck_assert_int_eq(idx[1], 0);
	ck_assert_int_eq(tsv_columns(&r, want_missing, idx, 3), 1);
	ck_assert_int_eq(tsv_read(&r), TSV_ROW);
	ck_assert_str_eq(r.field[2], "3");
	tsv_close(&r);
	unlink(path);
	free(path);
}
END_TEST

/* keep_raw leaves the row intact and still gives the fields. */
START_TEST(test_raw)
{
	char *path = util_temp_file(S("a\tb\n1\t2\n"));
	tsv_reader r;

	ck_assert_int_eq(tsv_open(&r, path), 0);
	ck_assert_int_eq(tsv_read_header(&r), TSV_ROW);
	r.keep_raw = 1;
	ck_assert_int_eq(tsv_read(&r), TSV_ROW);
	ck_assert_uint_eq(r.rowlen, 3);
	ck_assert(memcmp(r.row, "1\t2", 3) == 0);
	ck_assert_uint_eq(r.nfield, 2);
	ck_assert_uint_eq(r.flen[0], 1);
	ck_assert_int_eq(r.field[1][0], '2');
	tsv_close(&r);
	unlink(path);
	free(path);
}
END_TEST

/* A row longer than the read block, and many rows across blocks. */
START_TEST(test_large)
{
	size_t big = 3u << 20, rows = 300000, i, n = 0;
	char *data = malloc(big + rows * 16 + 64), *path;
	tsv_reader r;
	long long sum = 0;

	n += (size_t)sprintf(data, "k\tv\n");
	memset(data + n, 'x', big);
	n += big;
	n += (size_t)sprintf(data + n, "\t0\n");
	for (i = 1; i <= rows; i++)
		n += (size_t)sprintf(data + n, "r%zu\t%zu\n", i, i);
	path = util_temp_file(data, n);
	ck_assert_int_eq(tsv_open(&r, path), 0);
	ck_assert_int_eq(tsv_read_header(&r), TSV_ROW);
	ck_assert_int_eq(tsv_read(&r), TSV_ROW);
	ck_assert_uint_eq(r.flen[0], big);
	while (tsv_read(&r) == TSV_ROW)
		sum += atoll(r.field[1]);
	ck_assert_int_eq(r.line, (long)rows + 2);
	ck_assert(sum == (long long)(rows * (rows + 1) / 2));
	tsv_close(&r);
	unlink(path);
	free(path);
	free(data);
}
END_TEST

/* tsv_copy_to: the copy is the input byte for byte (a BOM, rows across
 * blocks, a last row without newline), whatever was read of it; a copy
 * that cannot be written ends the reading with TSV_ECOPY, or, when what
 * was read is less than a block, fails when it is closed. */
START_TEST(test_copy)
{
	static const struct {
		const char *name;
		const char *in;
		size_t n;
		size_t rows;
	} t[] = {
		{"bom_and_rows",
		 S("\xef\xbb\xbf"
		   "a\tb\n1\t2\n3\t4\n"),
		 2},
		{"no_final_newline", S("a\n1\n2"), 2},
		{"header_only", S("a\tb\n"), 0},
	};
	size_t k, i, n;
	FILE *fp;
	char *big, *path, *got;
	tsv_reader r;
	out co;

	for (k = 0; k < sizeof t / sizeof t[0] + 1; k++) {
		const char *in = k < 3 ? t[k].in : NULL;
		size_t len = k < 3 ? t[k].n : 0, rows = k < 3 ? t[k].rows : 200000;

		big = NULL;
		if (!in) { /* several read blocks */
			big = malloc(rows * 24 + 16);
			len = (size_t)sprintf(big, "k\tv\n");
			for (i = 0; i < rows; i++)
				len += (size_t)sprintf(big + len, "row%zu\t%zu\n", i, i * 7);
			in = big;
		}
		path = util_temp_file(in, len);
		fp = tmpfile();
		ck_assert_ptr_nonnull(fp);
		ck_assert_int_eq(tsv_open(&r, path), 0);
		out_init(&co, fileno(fp));
		tsv_copy_to(&r, &co);
		ck_assert_int_eq(tsv_read_header(&r), TSV_ROW);
		for (n = 0; tsv_read(&r) == TSV_ROW; n++)
			;
		ck_assert_msg(n == rows, "%zu: %zu rows", k, n);
		tsv_close(&r);
		ck_assert_int_eq(out_close(&co), 0);
		got = malloc(len + 1);
		rewind(fp);
		ck_assert_uint_eq(fread(got, 1, len + 1, fp), len);
		ck_assert_msg(memcmp(got, in, len) == 0, "%zu: the copy differs", k);
		fclose(fp);
		free(got);
		unlink(path);
		free(path);
		free(big);
	}
	/* A copy that cannot be written: of a few bytes, the close fails. */
	path = util_temp_file(S("a\n1\n"));
	fp = fopen("/dev/full", "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(tsv_open(&r, path), 0);
	out_init(&co, fileno(fp));
	tsv_copy_to(&r, &co);
	ck_assert_int_eq(tsv_read_header(&r), TSV_ROW);
	tsv_close(&r);
	errno = 0;
	ck_assert_int_eq(out_close(&co), -1);
	ck_assert_int_eq(errno, ENOSPC);
	unlink(path);
	free(path);
	/* Of a block and more, the reading stops. */
	big = malloc(3u << 20);
	memset(big, 'x', 3u << 20);
	big[0] = 'a', big[1] = '\n';
	path = util_temp_file(big, 3u << 20);
	ck_assert_int_eq(tsv_open(&r, path), 0);
	out_init(&co, fileno(fp));
	tsv_copy_to(&r, &co);
	ck_assert_int_eq(tsv_read_header(&r), TSV_ECOPY);
	ck_assert_str_eq(tsv_strerror(TSV_ECOPY), strerror(ENOSPC));
	tsv_close(&r);
	out_close(&co);
	fclose(fp);
	unlink(path);
	free(path);
	free(big);
}
END_TEST

/* tsv_split_into and tsv_split_into_cr: the fields kept up to cap, every
 * field counted past it, a CR found in the row and not in the bytes after
 * it (the slack a reader's buffer has), rows shorter and longer than the
 * 16-byte chunks they are read in. */
static const struct {
	const char *name;
	const char *row; /* the row, then bytes after it */
	size_t len;	 /* the row's length */
	size_t cap;
	size_t nf;
	const char *kept; /* the kept fields, '|' between */
	int cr;
} splits[] = {
	{"one field", "abc\r\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t", 3, 4, 1, "abc", 0},
	{"empty row", "\t\r\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t", 0, 4, 1, "", 0},
	{"all kept", "a\tb\tc\r\r\r\r\r\r\r\r\r\r\r\r\r\r", 5, 4, 3, "a|b|c", 0},
	{"counted past cap",
	 "a\tb\tc\td\te\tf\tg\th\ti\tj\tk\tl\tm\tn\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r", 27, 3, 14,
	 "a|b|c", 0},
	{"a CR in the first chunk", "a\rb\tc\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t", 5, 8, 2, "a\rb|c",
	 1},
	{"a CR in the last byte",
	 "2024-03-1\tSIA\tm000001\tUSD\tR\t10.90\r\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t", 34, 2, 6,
	 "2024-03-1|SIA", 1},
	{"a CR past the row",
	 "2024-03-1\tSIA\tm000001\tUSD\tR\t10.90\r\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t", 33, 6, 6,
	 "2024-03-1|SIA|m000001|USD|R|10.90", 0},
	{"tabs past the row", "x\ty\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t", 3, 1, 2, "x", 0},
};

START_TEST(test_split_into)
{
	char *field[8], joined[256];
	size_t flen[8], nf, nf2, i, at = 0;
	int cr = -1;

	nf = tsv_split_into(splits[_i].row, splits[_i].len, field, flen, splits[_i].cap);
	nf2 = tsv_split_into_cr(splits[_i].row, splits[_i].len, field, flen, splits[_i].cap, &cr);
	ck_assert_msg(nf == splits[_i].nf && nf2 == nf, "%s: %zu and %zu fields", splits[_i].name,
		      nf, nf2);
	ck_assert_msg(cr == splits[_i].cr, "%s: cr %d", splits[_i].name, cr);
	for (i = 0; i < nf && i < splits[_i].cap; i++)
		at += (size_t)snprintf(joined + at, sizeof joined - at, "%s%.*s", i ? "|" : "",
				       (int)flen[i], field[i]);
	joined[at] = '\0';
	ck_assert_msg(strcmp(joined, splits[_i].kept) == 0, "%s: kept '%s'", splits[_i].name,
		      joined);
}
END_TEST

Suite *
suite_tsv(void)
{
	Suite *s = suite_create("tsv");
	TCase *tc = tcase_create("tables");

	tcase_add_loop_test(tc, test_cases, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, test_columns);
	tcase_add_test(tc, test_raw);
	tcase_add_test(tc, test_large);
	tcase_add_test(tc, test_copy);
	tcase_add_loop_test(tc, test_split_into, 0, (int)(sizeof splits / sizeof splits[0]));
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
