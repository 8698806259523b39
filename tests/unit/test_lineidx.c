/* lineidx: the index of a lines file by merchant: entries and trailer as
 * bytes, a trailer that does not add up refused, and an index written row
 * by row giving each merchant's rows back, where they lie. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lineidx.h"
#include "suites.h"
#include "util.h"

START_TEST(test_entry_bytes)
{
	unsigned char p[LINEIDX_ENTRY];
	uint32_t m, len;

	lineidx_put_entry(p, 0x01020304u, 0xa0b0c0d0u);
	ck_assert_mem_eq(p, "\x04\x03\x02\x01\xd0\xc0\xb0\xa0", 8);
	lineidx_get_entry(p, &m, &len);
	ck_assert_uint_eq(m, 0x01020304u);
	ck_assert_uint_eq(len, 0xa0b0c0d0u);
}
END_TEST

/* Trailers and the index sizes they claim: rows × 8 + ids + 48. */
static const struct {
	const char *name;
	lineidx_meta m;
	uint64_t file_size;
	int ok;
} trailers[] = {
	{"empty lines file", {10, 10, 0, 0, 0}, 48, 1},
	{"three rows, two ids", {10, 40, 3, 2, 6}, 3 * 8 + 6 + 48, 1},
	{"index one byte longer", {10, 40, 3, 2, 6}, 3 * 8 + 6 + 49, 0},
	{"index one byte shorter", {10, 40, 3, 2, 6}, 3 * 8 + 6 + 47, 0},
	{"header past the file's end", {41, 40, 0, 0, 0}, 48, 0},
	{"more rows than bytes after the header", {10, 12, 3, 1, 2}, 3 * 8 + 2 + 48, 0},
	{"more ids than bytes of ids", {10, 40, 3, 7, 6}, 3 * 8 + 6 + 48, 0},
	{"rows overflowing the size", {0, 1, UINT64_MAX / 8 + 1, 0, 0}, 48, 0},
	{"shorter than a trailer", {0, 0, 0, 0, 0}, 47, 0},
};

START_TEST(test_trailers)
{
	unsigned char t[LINEIDX_TRAILER];
	lineidx_meta got;

	lineidx_put_trailer(t, &trailers[_i].m);
	ck_assert_mem_eq(t + 40, LINEIDX_MAGIC, 8);
	ck_assert_msg((lineidx_get_trailer(t, trailers[_i].file_size, &got) == 0) ==
			      trailers[_i].ok,
		      "%s", trailers[_i].name);
	if (trailers[_i].ok)
		ck_assert_mem_eq(&got, &trailers[_i].m, sizeof got);
	t[47] ^= 1;
	ck_assert_int_eq(lineidx_get_trailer(t, trailers[_i].file_size, &got), -1);
}
END_TEST

/* Rows of merchants by number (-1 ends), their lengths, and what each
 * merchant's rows must come back as: "row@offset+len ...", and those of
 * the first and the last together: "row@offset+len:merchant ...". */
static const struct {
	const char *name;
	int merchant[8];
	unsigned len[8];
	const char *want[3];
	const char *first_and_last;
} files[] = {
	{"no rows", {-1}, {0}, {"", "", ""}, ""},
	{"one merchant", {0, 0, -1}, {5, 7}, {"0@20+5 1@25+7", "", ""}, "0@20+5:0 1@25+7:0"},
	{"interleaved",
	 {2, 0, 2, 1, 2, -1},
	 {3, 4, 5, 6, 7},
	 {"1@23+4", "3@32+6", "0@20+3 2@27+5 4@38+7"},
	 "0@20+3:2 1@23+4:0 2@27+5:2 4@38+7:2"},
	{"the last merchant only",
	 {2, 2, 2, -1},
	 {1, 1, 1},
	 {"", "", "0@20+1 1@21+1 2@22+1"},
	 "0@20+1:2 1@21+1:2 2@22+1:2"},
};

struct got {
	char s[256];
	int merchant; /* each row's merchant too */
};

static int
_collect(void *arg, uint64_t row, uint64_t off, uint32_t len, uint32_t merchant)
{
	struct got *g = arg;
	size_t n = strlen(g->s);

	snprintf(g->s + n, sizeof g->s - n, "%s%llu@%llu+%u", n ? " " : "", (unsigned long long)row,
		 (unsigned long long)off, len);
	if (g->merchant) {
		n = strlen(g->s);
		snprintf(g->s + n, sizeof g->s - n, ":%u", merchant);
	}
	return 0;
}

START_TEST(test_files)
{
	static const char *const ids[] = {"anna", "bo", "carl"};
	char dir[4096], path[4096 + 16];
	lineidx_writer w;
	lineidx x;
	long m;
	int k;

	util_temp_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/lines.idx", dir);
	ck_assert_int_eq(lineidx_create(&w, path, 20), 0);
	for (k = 0; files[_i].merchant[k] >= 0; k++)
		ck_assert_int_eq(lineidx_add(&w, (uint32_t)files[_i].merchant[k], files[_i].len[k]),
				 0);
	ck_assert_int_eq(lineidx_finish(&w, ids, 3), 0);
	ck_assert_int_eq(lineidx_open(&x, path), LINEIDX_OK);
	for (m = 0; m < 3; m++) {
		struct got g = {"", 0};
		unsigned char want[3] = {0};

		want[m] = 1;
		ck_assert_int_eq(lineidx_find(&x, ids[m]), m);
		ck_assert_int_eq(lineidx_each(&x, want, _collect, &g), LINEIDX_OK);
		ck_assert_str_eq(g.s, files[_i].want[m]);
	}
	{
		struct got g = {"", 1};
		static const unsigned char want[3] = {1, 0, 1};

		ck_assert_int_eq(lineidx_each(&x, want, _collect, &g), LINEIDX_OK);
		ck_assert_str_eq(g.s, files[_i].first_and_last);
	}
	ck_assert_int_eq(lineidx_find(&x, "dora"), -1);
	ck_assert_int_eq(lineidx_find(&x, "ann"), -1);
	lineidx_close(&x);
	/* Cut short by a byte: refused. */
	ck_assert_int_eq(truncate(path, (off_t)(k * LINEIDX_ENTRY + 13 + LINEIDX_TRAILER - 1)), 0);
	ck_assert_int_eq(lineidx_open(&x, path), LINEIDX_EFORMAT);
	unlink(path);
	ck_assert_int_eq(lineidx_open(&x, path), LINEIDX_EIO);
	ck_assert_int_eq(errno, ENOENT);
	rmdir(dir);
}
END_TEST

/* fn's positive return stops the walk and is returned. */
static int
_stop(void *arg, uint64_t row, uint64_t off, uint32_t len, uint32_t merchant)
{
	(void)off, (void)len, (void)merchant;
	*(uint64_t *)arg = row;
	return 7;
}

START_TEST(test_stop)
{
	static const char *const ids[] = {"a"};
	char dir[4096], path[4096 + 16];
	lineidx_writer w;
	lineidx x;
	uint64_t row = 99;

	util_temp_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/lines.idx", dir);
	ck_assert_int_eq(lineidx_create(&w, path, 1), 0);
	ck_assert_int_eq(lineidx_add(&w, 0, 2), 0);
	ck_assert_int_eq(lineidx_add(&w, 0, 2), 0);
	ck_assert_int_eq(lineidx_finish(&w, ids, 1), 0);
	ck_assert_int_eq(lineidx_open(&x, path), LINEIDX_OK);
	ck_assert_int_eq(lineidx_each(&x, (const unsigned char *)"\1", _stop, &row), 7);
	ck_assert_uint_eq(row, 0);
	lineidx_close(&x);
	/* A row of a merchant number the index has no id for. */
	ck_assert_int_eq(lineidx_create(&w, path, 1), 0);
	ck_assert_int_eq(lineidx_add(&w, 1, 2), 0);
	ck_assert_int_eq(lineidx_finish(&w, ids, 1), 0);
	ck_assert_int_eq(lineidx_open(&x, path), LINEIDX_OK);
	ck_assert_int_eq(lineidx_each(&x, (const unsigned char *)"\1", _stop, &row),
			 LINEIDX_EFORMAT);
	lineidx_close(&x);
	unlink(path);
	rmdir(dir);
}
END_TEST

Suite *
suite_lineidx(void)
{
	Suite *s = suite_create("lineidx");
	TCase *tc = tcase_create("tables");

	tcase_add_test(tc, test_entry_bytes);
	tcase_add_loop_test(tc, test_trailers, 0, (int)(sizeof trailers / sizeof trailers[0]));
	tcase_add_loop_test(tc, test_files, 0, (int)(sizeof files / sizeof files[0]));
	tcase_add_test(tc, test_stop);
	suite_add_tcase(s, tc);
	return s;
}
