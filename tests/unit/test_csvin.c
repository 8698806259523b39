/* csvin: the CSV reader against csv-spectrum's expected JSON, csvlint's
 * cases and fixtures, real Olist exports, and SPEC 11's edge rules. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvin.h"
#include "suites.h"
#include "text.h"
#include "util.h"

#define DATA "tests/data/"

/* Every record of a file as text: "LINE[+EXTRA][!]:f1|f2|...\n" where EXTRA
 * counts the further physical lines the record covers and '!' marks a
 * malformed record, whose raw bytes are shown instead of fields.  Fields
 * and raw bytes are escaped (text_escape).  With lines == 0 only the
 * fields are shown, as csv-spectrum's JSON has them. */
static char *
_dump(const char *path, int nofast, int lines)
{
	csvin r;
	csvin_record rec;
	text_buf out = {0};
	char num[64];
	size_t i;
	int rc;

	ck_assert_msg(csvin_open(&r, path) == 0, "cannot open %s", path);
	r.nofast = nofast;
	text_append(&out, "", 0);
	while ((rc = csvin_next(&r, &rec)) == CSVIN_RECORD) {
		if (lines) {
			int k = snprintf(num, sizeof num, "%ld", rec.line);

			if (rec.nlines > 1)
				k += snprintf(num + k, sizeof num - (size_t)k, "+%ld",
					      rec.nlines - 1);
			if (rec.malformed)
				num[k++] = '!';
			num[k++] = ':';
			text_append(&out, num, (size_t)k);
		}
		if (rec.malformed) {
			text_escape(&out, rec.raw, rec.rawlen);
		} else {
			for (i = 0; i < rec.nfield; i++) {
				if (i)
					text_append(&out, "|", 1);
				text_escape(&out, rec.field[i], rec.flen[i]);
			}
		}
		text_append(&out, "\n", 1);
	}
	ck_assert_int_eq(rc, CSVIN_EOF);
	csvin_close(&r);
	return out.p;
}

/* Same, from bytes. */
static char *
_dump_bytes(const char *data, size_t n, int nofast)
{
	char *path = util_temp_file(data, n), *got = _dump(path, nofast, 1);

	unlink(path);
	free(path);
	return got;
}

/* ---- csv-spectrum: a minimal JSON reader for arrays of flat objects whose
 * values are strings, turned into the same "f1|f2\n" dump, header first. */

/* Skip spaces. */
static const char *
_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	return p;
}

/* Decode one JSON string at p (at its opening quote) into b, raw bytes. */
static const char *
_jstring(const char *p, text_buf *b)
{
	ck_assert_int_eq(*p, '"');
	for (p++; *p != '"'; p++) {
		char c = *p;

		ck_assert_int_ne(c, '\0');
		if (c == '\\') {
			p++;
			switch (*p) {
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case '/': c = '/'; break;
			default: ck_abort_msg("unsupported JSON escape \\%c", *p);
			}
		}
		text_append(b, &c, 1);
	}
	return p + 1;
}

/* The expected dump of a csv-spectrum JSON file. */
static char *
_json_dump(const char *path)
{
	size_t n;
	char *json = util_read_file(path, &n);
	const char *p;
	text_buf keys = {0}, vals = {0}, out = {0}, tmp = {0};
	int first = 1;

	ck_assert_ptr_nonnull(json);
	text_append(&out, "", 0);
	p = _ws(json);
	ck_assert_int_eq(*p, '[');
	p = _ws(p + 1);
	while (*p == '{') {
		int nf = 0;

		keys.len = vals.len = 0;
		text_append(&keys, "", 0);
		text_append(&vals, "", 0);
		p = _ws(p + 1);
		while (*p == '"') {
			tmp.len = 0;
			p = _jstring(p, &tmp);
			if (nf)
				text_append(&keys, "|", 1);
			text_escape(&keys, tmp.p ? tmp.p : "", tmp.len);
			p = _ws(p);
			ck_assert_int_eq(*p, ':');
			p = _ws(p + 1);
			tmp.len = 0;
			p = _jstring(p, &tmp);
			if (nf)
				text_append(&vals, "|", 1);
			text_escape(&vals, tmp.p ? tmp.p : "", tmp.len);
			nf++;
			p = _ws(p);
			if (*p == ',')
				p = _ws(p + 1);
		}
		ck_assert_int_eq(*p, '}');
		p = _ws(p + 1);
		if (*p == ',')
			p = _ws(p + 1);
		if (first) {
			text_append(&out, keys.p, keys.len);
			text_append(&out, "\n", 1);
			first = 0;
		}
		text_append(&out, vals.p, vals.len);
		text_append(&out, "\n", 1);
	}
	ck_assert_int_eq(*p, ']');
	text_free(&keys);
	text_free(&vals);
	text_free(&tmp);
	free(json);
	return out.p;
}

static const char *const spectrum[] = {
	"comma_in_quotes",
	"empty",
	"empty_crlf",
	"escaped_quotes",
	"json",
	"newlines",
	"newlines_crlf",
	"quotes_and_newlines",
	"simple",
	"simple_crlf",
	"utf8",
};

START_TEST(test_spectrum)
{
	char csv[256], json[256], *want, *got;
	int nofast;

	snprintf(csv, sizeof csv, DATA "csv-spectrum/csvs/%s.csv", spectrum[_i]);
	snprintf(json, sizeof json, DATA "csv-spectrum/json/%s.json", spectrum[_i]);
	want = _json_dump(json);
	for (nofast = 0; nofast <= 1; nofast++) {
		got = _dump(csv, nofast, 0);
		ck_assert_msg(strcmp(got, want) == 0, "%s (nofast=%d):\ngot:\n%s\nwant:\n%s",
			      spectrum[_i], nofast, got, want);
		free(got);
	}
	free(want);
}
END_TEST

/* Line numbers of csv-spectrum records spanning lines. */
START_TEST(test_spectrum_lines)
{
	char *got = _dump(DATA "csv-spectrum/csvs/newlines_crlf.csv", 0, 1);

	ck_assert_str_eq(got, "1:a|b|c\n2:1|2|3\n3+1:Once upon \\r\\na time|5|6\n5:7|8|9\n");
	free(got);
	got = _dump(DATA "csv-spectrum/csvs/quotes_and_newlines.csv", 0, 1);
	ck_assert_str_eq(got, "1:a|b\n2+2:1|ha \\n\"ha\" \\nha\n5:3|4\n");
	free(got);
}
END_TEST

/* ---- csvlint's cases and fixtures, with our reader's verdicts.  Where
 * csvlint reports "blank_rows" for `"","",` we see three empty fields
 * (a field_count or bad_id matter for the caller); where it reports
 * "whitespace" we see a quote error. */
static const struct {
	const char *file;
	const char *dump;
} csvlint[] = {
	{"cases/parse_csv_01_successfully_parse_a_valid_csv.csv",
	 "1:Foo|Bar|Baz\n2:1|2|3\n3:3|2|1\n"},
	{"cases/parse_csv_02_successfully_parse_a_csv_with_newlines_in_quoted_f.csv",
	 "1:a|b|c\n2+1:d|e|this is\\nvalid\n4:a|b|c\n"},
	{"cases/parse_csv_03_successfully_parse_a_csv_with_multiple_newlines_in.csv",
	 "1:a|b|c\n2+2:d|this is\\nvalid|as is this\\ntoo\n"},
	{"cases/parse_csv_04_successfully_report_an_invalid_csv.csv",
	 "1!:\\t\"Foo\",\\t\"Bar\"\\t,\\t\"Baz\n"},
	{"cases/parse_csv_05_successfully_report_a_csv_with_incorrect_quoting.csv",
	 "1!:\"Foo\",\"Bar\",\"Baz\n"},
	{"cases/parse_csv_06_successfully_report_a_csv_with_incorrect_whitespac.csv",
	 "1!:\"Foo\",\"Bar\",   \"Baz\"\n"},
	{"cases/parse_csv_07_successfully_report_a_csv_with_ragged_rows.csv",
	 "1:col1|col2|col2\n2:1|2|3\n3:4|5\n"},
	{"cases/parse_csv_08_don_t_class_blank_values_as_inconsistencies.csv",
	 "1:col1|col2|col3\n2:1|2|3\n3:4|5|6\n4:|7|8\n5:9|10|11\n6:|12|13\n7:|14|15\n8:16|17|18\n"},
	{"cases/validation_errors_01_csv_with_ragged_rows.csv",
	 "1:col1|col2|col3\n2:1|2|3\n3:4|5\n"},
	{"cases/validation_errors_02_csv_with_incorrect_quoting.csv",
	 "1:col1|col2|col3\n2!:\"Foo\",\"Bar\",\"Baz\n"},
	{"cases/validation_errors_03_successfully_report_a_csv_with_incorrect_whitespac.csv",
	 "1:col1|col2|col3\n2!:\"Foo\",\"Bar\",   \"Baz\"\n"},
	{"cases/validation_errors_04_successfully_report_a_csv_with_blank_rows.csv",
	 "1:col1|col2|col3\n2:Foo|Bar|Baz\n3:||\n4:Baz|Bar|Foo\n"},
	{"cases/validation_errors_05_successfully_report_a_csv_with_multiple_trailing_e.csv",
	 "1:col1|col2|col3\n2:Foo|Bar|Baz\n3:Foo|Bar|Baz\n4:\n"},
	{"cases/validation_errors_06_successfully_report_a_csv_with_an_empty_row.csv",
	 "1:col1|col2|col3\n2:Foo|Bar|Baz\n3:\n4:Foo|Bar|Baz\n"},
	{"fixtures/cr-line-endings.csv", "1:Foo|Bar|Baz\n2:Biff|Baff|Boff\n3:Qux|Teaspoon|Doge\n"},
	{"fixtures/crlf-line-endings.csv",
	 "1:Foo|Bsr|Baz\n2:Biff|Baff|Boff\n3:Qux|Teaspoon|Doge\n"},
	{"fixtures/lf-line-endings.csv", "1:Foo|Bsr|Baz\n2:Biff|Baff|Boff\n3:Qux|Teaspoon|Doge\n"},
	{"fixtures/inconsistent-line-endings.csv",
	 "1:Foo|Bsr|Baz\n2:Biff|Baff|Boff\n3:Qux|Teaspoon|Doge\n"},
	{"fixtures/inconsistent-line-endings-unquoted.csv",
	 "1:Foo|Bsr|Baz\n2:Biff|Baff|Boff\n3:Qux|Teaspoon|Doge\n"},
	{"fixtures/windows-line-endings.csv", "1:a|b|c\n2:d|e|f\n"},
	{"fixtures/valid.csv", "1:Foo|Bar|Baz\n2:1|2|3\n3:3|2|1\n"},
	{"fixtures/title-row.csv",
	 "1:This is a title row||\n2:Foo|Bsr|Baz\n3:Biff|Baff|Boff\n4:Qux|Teaspoon|Doge\n"},
	{"fixtures/invalid_many_rows.csv",
	 "1:Foo|Bar|Baz\n2:1|2|3\n3:3|2|1\n4!:\"1\",\"2\",\"3\" \"\n5:3|two|1\n6:1|2|3\n"
	 "7:3|2|1\n8:\n9:3|2|1\n10:3|2|1\n11:||\n12:3|2|1\n"},
};

START_TEST(test_csvlint)
{
	char path[512], *got;
	int nofast;

	snprintf(path, sizeof path, DATA "csvlint/%s", csvlint[_i].file);
	for (nofast = 0; nofast <= 1; nofast++) {
		got = _dump(path, nofast, 1);
		ck_assert_msg(strcmp(got, csvlint[_i].dump) == 0, "%s (nofast=%d):\n%s",
			      csvlint[_i].file, nofast, got);
		free(got);
	}
}
END_TEST

/* ISO-8859-1 bytes pass through the reader untouched (the caller rejects
 * them as bad_utf8); the header's trailing comma makes a 7th empty field. */
START_TEST(test_latin1)
{
	csvin r;
	csvin_record rec;

	ck_assert_int_eq(csvin_open(&r, DATA "csvlint/fixtures/invalid-byte-sequence.csv"), 0);
	ck_assert_int_eq(csvin_next(&r, &rec), CSVIN_RECORD);
	ck_assert_uint_eq(rec.nfield, 7);
	ck_assert_str_eq(rec.field[2], "Hist\xf3rico");
	ck_assert_uint_eq(rec.flen[6], 0);
	while (csvin_next(&r, &rec) == CSVIN_RECORD)
		ck_assert(!rec.malformed && rec.nfield == 7);
	csvin_close(&r);
}
END_TEST

/* ---- Real Olist exports: record counts, no ragged or malformed record,
 * BOM dropped, multi-line reviews. */
static const struct {
	const char *file;
	long records;	/* excluding the header */
	long lines;	/* physical lines in all */
	long multiline; /* records covering more than one line */
	const char *first_column;
} olist[] = {
	{"olist_orders_dataset.csv", 4071, 4072, 0, "order_id"},
	{"olist_order_items_dataset.csv", 5154, 5155, 0, "order_id"},
	{"olist_order_payments_dataset.csv", 4733, 4734, 0, "order_id"},
	{"olist_order_reviews_dataset.csv", 6123, 6481, 237, "review_id"},
	{"olist_customers_dataset.csv", 200, 201, 0, "customer_id"},
	{"olist_sellers_dataset.csv", 164, 165, 0, "seller_id"},
	{"olist_products_dataset.csv", 751, 752, 0, "product_id"},
	{"product_category_name_translation.csv", 71, 72, 0, "product_category_name"},
};

START_TEST(test_olist)
{
	char path[512];
	csvin r;
	csvin_record rec;
	long records = 0, multi = 0, lastline = 0;
	size_t ncol;

	snprintf(path, sizeof path, DATA "olist-head/%s", olist[_i].file);
	ck_assert_int_eq(csvin_open(&r, path), 0);
	ck_assert_int_eq(csvin_next(&r, &rec), CSVIN_RECORD);
	ck_assert_str_eq(rec.field[0], olist[_i].first_column);
	ncol = rec.nfield;
	while (csvin_next(&r, &rec) == CSVIN_RECORD) {
		records++;
		ck_assert_msg(!rec.malformed, "%s:%ld malformed", olist[_i].file, rec.line);
		ck_assert_msg(rec.nfield == ncol, "%s:%ld ragged", olist[_i].file, rec.line);
		multi += rec.nlines > 1;
		lastline = rec.line + rec.nlines - 1;
	}
	ck_assert_int_eq(records, olist[_i].records);
	ck_assert_int_eq(lastline, olist[_i].lines);
	ck_assert_int_eq(multi, olist[_i].multiline);
	csvin_close(&r);
}
END_TEST

/* A spreadsheet's ';' dialect reads as one field per line: the header
 * check of the caller then names the missing columns. */
START_TEST(test_semicolon_dialect)
{
	csvin r;
	csvin_record rec;

	ck_assert_int_eq(csvin_open(&r, DATA "olist-head/olist_sellers_excel_dialect.csv"), 0);
	ck_assert_int_eq(csvin_next(&r, &rec), CSVIN_RECORD);
	ck_assert_uint_eq(rec.nfield, 1);
	ck_assert_str_eq(rec.field[0], "seller_id;seller_zip_code_prefix;seller_city;seller_state");
	csvin_close(&r);
}
END_TEST

/* The quote-free fast path and libcsv give the same records on every
 * CSV file here. */
START_TEST(test_fast_equals_libcsv)
{
	static const char *const dirs[] = {
		DATA "csv-spectrum/csvs",
		DATA "csvlint/cases",
		DATA "csvlint/fixtures",
		DATA "olist-head",
	};
	size_t d;
	int files = 0;

	for (d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *e;

		ck_assert_ptr_nonnull(dir);
		while ((e = readdir(dir)) != NULL) {
			char path[512], *a, *b;
			size_t len = strlen(e->d_name);

			if (len < 4 || strcmp(e->d_name + len - 4, ".csv") != 0)
				continue;
			snprintf(path, sizeof path, "%s/%s", dirs[d], e->d_name);
			a = _dump(path, 0, 1);
			b = _dump(path, 1, 1);
			ck_assert_msg(strcmp(a, b) == 0, "%s differs", path);
			free(a);
			free(b);
			files++;
		}
		closedir(dir);
	}
	ck_assert_int_ge(files, 30);
}
END_TEST

/* ---- SPEC 11's rules on small inputs. */
#define S(lit) lit, sizeof(lit) - 1

static const struct {
	const char *name;
	const char *in;
	size_t n;
	const char *dump;
} edges[] = {
	{"quote_error_ends_at_line_end", S("a,b\n\"x\"y,2\n3,4\n"), "1:a|b\n2!:\"x\"y,2\n3:3|4\n"},
	{"quote_in_unquoted_field", S("a,b\nx\"y,2\n3,4\n"), "1:a|b\n2!:x\"y,2\n3:3|4\n"},
	{"quote_error_in_continued_record", S("a,b\n\"x\ny\"z,1\n3,4\n"),
	 "1:a|b\n2+1!:\"x\\ny\"z,1\n4:3|4\n"},
	{"unterminated_to_eof", S("a\n\"open\nmore\n1\n"), "1:a\n2+2!:\"open\\nmore\\n1\n"},
	{"bom_and_crlf",
	 S("\xef\xbb\xbf"
	   "a,b\r\n1,2\r\n"),
	 "1:a|b\n2:1|2\n"},
	{"bom_only_at_start",
	 S("a\n\xef\xbb\xbf"
	   "1\n"),
	 "1:a\n2:\xef\xbb\xbf"
	 "1\n"},
	{"blank_line_is_one_empty_field", S("a\n\n1\n"), "1:a\n2:\n3:1\n"},
	{"blank_crlf_line", S("a\r\n\r\n1\r\n"), "1:a\n2:\n3:1\n"},
	{"spaces_are_data", S("a,b\n 1.00,2 \n"), "1:a|b\n2: 1.00|2 \n"},
	{"crlf_inside_quotes_kept", S("a\n\"x\r\ny\"\n"), "1:a\n2+1:x\\r\\ny\n"},
	{"lone_cr_ends_lines", S("a\r1\r2"), "1:a\n2:1\n3:2\n"},
	{"no_final_newline", S("a,b\n1,2"), "1:a|b\n2:1|2\n"},
	{"quoted_no_final_newline", S("a,b\n\"1\",\"2\""), "1:a|b\n2:1|2\n"},
	{"empty_file", S(""), ""},
	{"tab_is_data", S("a\nx\ty\n"), "1:a\n2:x\\ty\n"},
	{"quoted_comma_and_quote", S("a,b\n\"x,\"\"y\"\"\",z\n"), "1:a|b\n2:x,\"y\"|z\n"},
	{"trailing_comma", S("a,b\n1,\n"), "1:a|b\n2:1|\n"},
	{"nul_is_data", S("a\nx\0y\n"), "1:a\n2:x\\x00y\n"},
};

START_TEST(test_edges)
{
	int nofast;

	for (nofast = 0; nofast <= 1; nofast++) {
		char *got = _dump_bytes(edges[_i].in, edges[_i].n, nofast);

		ck_assert_msg(strcmp(got, edges[_i].dump) == 0, "%s (nofast=%d): got\n%s",
			      edges[_i].name, nofast, got);
		free(got);
	}
}
END_TEST

/* raw is the record's bytes without its final line ending. */
START_TEST(test_raw)
{
	char *path = util_temp_file(S("a,b\r\n\"1\r\n2\",3\r\n"));
	csvin r;
	csvin_record rec;

	ck_assert_int_eq(csvin_open(&r, path), 0);
	ck_assert_int_eq(csvin_next(&r, &rec), CSVIN_RECORD);
	ck_assert_uint_eq(rec.rawlen, 3);
	ck_assert_int_eq(csvin_next(&r, &rec), CSVIN_RECORD);
	ck_assert_uint_eq(rec.rawlen, 8);
	ck_assert(memcmp(rec.raw, "\"1\r\n2\",3", 8) == 0);
	ck_assert_int_eq(csvin_next(&r, &rec), CSVIN_EOF);
	csvin_close(&r);
	unlink(path);
	free(path);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
suite_csvin(void)
{
	Suite *s = suite_create("csvin");
	TCase *tc = tcase_create("files");

	tcase_add_loop_test(tc, test_spectrum, 0, N(spectrum));
	tcase_add_test(tc, test_spectrum_lines);
	tcase_add_loop_test(tc, test_csvlint, 0, N(csvlint));
	tcase_add_test(tc, test_latin1);
	tcase_add_loop_test(tc, test_olist, 0, N(olist));
	tcase_add_test(tc, test_semicolon_dialect);
	tcase_add_test(tc, test_fast_equals_libcsv);
	tcase_add_loop_test(tc, test_edges, 0, N(edges));
	tcase_add_test(tc, test_raw);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
