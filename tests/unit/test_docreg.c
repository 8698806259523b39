/* docreg: the register of issued documents.  Segments are written as a
 * run writes them (numbers added in any order, sorted, rows written in
 * that order), then every number is looked up by binary search, numbers
 * that were never issued are not found, and a register that is not as a
 * run writes it is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docreg.h"
#include "period.h"
#include "schema.h"
#include "suites.h"
#include "util.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A scratch folder holding register folders; removed by _rm(). */
static char scratch[4096];

static void
_scratch(void)
{
	util_temp_dir(scratch, sizeof scratch);
}

static void
_rm(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
	ck_assert_int_eq(system(cmd), 0);
}

/* scratch/name in buf. */
static char *
_path(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", scratch, name);
	return buf;
}

/* The document numbered no, of entity SIA, issued by `period`'s run. */
static docreg_doc
_doc(const char *no, const char *period)
{
	docreg_doc d;
	docno dn;

	memset(&d, 0, sizeof d);
	snprintf(d.no, sizeof d.no, "%s", no);
	strcpy(d.entity, "SIA");
	snprintf(d.merchant, sizeof d.merchant, "m-%zu", strlen(no) % 7);
	strcpy(d.currency, strstr(no, "JMT") ? "JPY" : "USD");
	d.type = (int)(strlen(no) % TYPE_NTYPES);
	ck_assert_int_eq(period_parse(period, strlen(period), &d.period), 0);
	d.issued = period_issue_date(d.period);
	ck_assert_int_eq(docno_parse(no, strlen(no), &dn), 0);
	d.kind = dn.kind;
	return d;
}

/* Write register `to` as a run of `period` does: `from`'s segments
 * carried, a new segment of the numbers given (in any order). */
static void
_write(const char *from, const char *to, const char *period, char **nos, int n)
{
	docreg g;
	docreg_writer w;
	char dir[256], seg[320], name[32];
	out o;
	int i;

	memset(&w, 0, sizeof w);
	ck_assert_int_eq(docreg_open(&g, from ? _path(dir, sizeof dir, from) : "/nonexistent"),
			 DOCREG_OK);
	_path(dir, sizeof dir, to);
	ck_assert_int_eq(docreg_carry(&g, dir), DOCREG_OK);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(docreg_writer_add(&w, nos[i], strlen(nos[i]), i), DOCREG_OK);
	ck_assert_int_eq(docreg_writer_sort(&w), DOCREG_OK);
	snprintf(name, sizeof name, "%s.tsv", period);
	if (n) {
		snprintf(seg, sizeof seg, "%s/%s", dir, name);
		ck_assert_int_eq(out_open(&o, seg), 0);
		ck_assert_int_eq(out_puts(&o, SCHEMA_REGISTER_HEADER), 0);
		for (i = 0; i < n; i++) {
			docreg_doc d = _doc(nos[w.user[i]], period);

			ck_assert_int_eq(docreg_write_row(&o, &d), 0);
		}
		ck_assert_int_eq(out_close(&o), 0);
	}
	ck_assert_int_eq(docreg_write_index(&g, &w, name, dir), DOCREG_OK);
	docreg_writer_free(&w);
	docreg_close(&g);
}

/* Look no up in register dir: 1 found (its fields checked), 0 not. */
static int
_find(docreg *g, const char *no, const char *period)
{
	docreg_doc d, want;
	int rc = docreg_find(g, no, strlen(no), &d);

	ck_assert_int_ge(rc, 0);
	if (rc == 1) {
		want = _doc(no, period);
		ck_assert_str_eq(d.no, want.no);
		ck_assert_str_eq(d.entity, want.entity);
		ck_assert_str_eq(d.merchant, want.merchant);
		ck_assert_str_eq(d.currency, want.currency);
		ck_assert_int_eq(d.type, want.type);
		ck_assert_int_eq(d.period, want.period);
		ck_assert(d.issued == want.issued);
		ck_assert_int_eq(d.kind, want.kind);
	}
	return rc;
}

/* Numbers of a series: PREFIX-YYYY-first .. last, in a new array. */
static char **
_series(const char *lead, long first, long last)
{
	char **v = malloc((size_t)(last - first + 1) * sizeof *v);
	long i;

	for (i = first; i <= last; i++) {
		v[i - first] = malloc(64);
		snprintf(v[i - first], 64, "%s%06ld", lead, i);
	}
	return v;
}

static void
_free_series(char **v, long n)
{
	long i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- A small segment, numbers added out of order, two series and two
 * kinds; numbers never issued are not found. */
START_TEST(test_small)
{
	char *nos[] = {"SIA-2024-000003", "CN-SIA-2024-000001", "SIA-2024-000001",
		       "JMT-2024-000001", "SIA-2024-000002",	"CN-SIA-2024-000002"};
	static const char *const absent[] = {
		"SIA-2024-000004",    "SIA-2024-000000",
		"SIA-2023-000001",    "USA-2024-000001",
		"CN-JMT-2024-000001", "PO-SIA-2024-000001",
		"SIA-2024-0000011",   "SIA-2024",
		"not a number",	      "",
	};
	docreg g;
	char dir[256], *idx;
	size_t n;
	int i;

	_scratch();
	_write(NULL, "r1", "2024-03-1", nos, N(nos));
	ck_assert_int_eq(docreg_open(&g, _path(dir, sizeof dir, "r1")), DOCREG_OK);
	for (i = 0; i < N(nos); i++)
		ck_assert_int_eq(_find(&g, nos[i], "2024-03-1"), 1);
	for (i = 0; i < N(absent); i++)
		ck_assert_int_eq(_find(&g, absent[i], "2024-03-1"), 0);
	docreg_close(&g);
	idx = util_read_file(_path(dir, sizeof dir, "r1/index.tsv"), &n);
	ck_assert_str_eq(idx, "segment\tkind\tprefix\tyear\tfirst\tlast\n"
			      "2024-03-1.tsv\tcredit_note\tSIA\t2024\t1\t2\n"
			      "2024-03-1.tsv\tinvoice\tJMT\t2024\t1\t1\n"
			      "2024-03-1.tsv\tinvoice\tSIA\t2024\t1\t3\n");
	free(idx);
	idx = util_read_file(_path(dir, sizeof dir, "r1/2024-03-1.tsv"), &n);
	ck_assert_ptr_nonnull(strstr(idx, SCHEMA_REGISTER_HEADER "CN-SIA-2024-000001\tSIA\t"));
	free(idx);
	_rm();
}
END_TEST

/* ---- Segments larger than a window, across 999999 -> 1000000 (byte
 * order puts 1000000 first), carried into later registers: every number
 * found in its own segment, the neighbours of each range not found. */
START_TEST(test_large)
{
	char **a = _series("SIA-2024-", 1, 20000), **b = _series("SIA-2024-", 20001, 20500);
	char **c = _series("SIA-2024-", 999990, 1000010), **cn = _series("CN-SIA-2024-", 1, 3000);
	char **both = malloc(3021 * sizeof *both);
	docreg g;
	char dir[256];
	long i;

	_scratch();
	for (i = 0; i < 21; i++)
		both[i] = c[i];
	for (i = 0; i < 3000; i++)
		both[21 + i] = cn[i];
	_write(NULL, "r1", "2024-03-1", a, 20000);
	_write("r1", "r2", "2024-03-2", b, 500);
	_write("r2", "r3", "2024-04-1", both, 3021);
	ck_assert_int_eq(docreg_open(&g, _path(dir, sizeof dir, "r3")), DOCREG_OK);
	for (i = 0; i < 20000; i += 7)
		ck_assert_int_eq(_find(&g, a[i], "2024-03-1"), 1);
	ck_assert_int_eq(_find(&g, a[0], "2024-03-1"), 1);
	ck_assert_int_eq(_find(&g, a[19999], "2024-03-1"), 1);
	for (i = 0; i < 500; i++)
		ck_assert_int_eq(_find(&g, b[i], "2024-03-2"), 1);
	for (i = 0; i < 3021; i++)
		ck_assert_int_eq(_find(&g, both[i], "2024-04-1"), 1);
	ck_assert_int_eq(_find(&g, "SIA-2024-020501", "2024-03-2"), 0);
	ck_assert_int_eq(_find(&g, "SIA-2024-999989", "2024-04-1"), 0);
	ck_assert_int_eq(_find(&g, "SIA-2024-1000011", "2024-04-1"), 0);
	ck_assert_int_eq(_find(&g, "CN-SIA-2024-003001", "2024-04-1"), 0);
	/* Only the segments looked up in are marked read. */
	ck_assert_int_eq(g.read[strset_find(&g.segments, "2024-03-2.tsv", 13)], 1);
	docreg_close(&g);
	ck_assert_int_eq(docreg_open(&g, _path(dir, sizeof dir, "r3")), DOCREG_OK);
	ck_assert_int_eq(_find(&g, b[3], "2024-03-2"), 1);
	ck_assert_int_eq(g.read[strset_find(&g.segments, "2024-03-1.tsv", 13)], 0);
	ck_assert_int_eq(g.read[strset_find(&g.segments, "2024-03-2.tsv", 13)], 1);
	docreg_close(&g);
	_free_series(a, 20000), _free_series(b, 500), _free_series(c, 21);
	_free_series(cn, 3000), free(both);
	_rm();
}
END_TEST

/* ---- Carried segments are the same files (hard links), never copies on
 * one file system; a state without a register is an empty one. */
START_TEST(test_carry)
{
	char *one[] = {"SIA-2024-000001"}, *two[] = {"SIA-2024-000002"};
	char p1[256], p2[256];
	struct stat s1, s2;
	docreg g;

	_scratch();
	_write(NULL, "r1", "2024-03-1", one, 1);
	_write("r1", "r2", "2024-03-2", two, 1);
	ck_assert_int_eq(stat(_path(p1, sizeof p1, "r1/2024-03-1.tsv"), &s1), 0);
	ck_assert_int_eq(stat(_path(p2, sizeof p2, "r2/2024-03-1.tsv"), &s2), 0);
	ck_assert(s1.st_ino == s2.st_ino && s2.st_nlink == 2);
	ck_assert_int_eq(docreg_open(&g, _path(p1, sizeof p1, "none")), DOCREG_OK);
	ck_assert_int_eq(_find(&g, "SIA-2024-000001", "2024-03-1"), 0);
	docreg_close(&g);
	_rm();
}
END_TEST

/* ---- What a run does not write is refused. */
static const struct {
	const char *index, *segment; /* segment: 2024-03-1.tsv, NULL: as written */
	const char *lookup;
	int open_rc, find_rc;
} broken[] = {
	/* the header is not the index's */
	{"segment\tkind\tprefix\n", NULL, NULL, DOCREG_EINDEX, 0},
	/* a bad kind, a bad segment name, first > last, a bad year */
	{"segment\tkind\tprefix\tyear\tfirst\tlast\n2024-03-1.tsv\tpayout\tSIA\t2024\t1\t2\n", NULL,
	 NULL, DOCREG_EINDEX, 0},
	{"segment\tkind\tprefix\tyear\tfirst\tlast\n../x.tsv\tinvoice\tSIA\t2024\t1\t2\n", NULL,
	 NULL, DOCREG_EINDEX, 0},
	{"segment\tkind\tprefix\tyear\tfirst\tlast\n2024-03-1.tsv\tinvoice\tSIA\t2024\t3\t2\n",
	 NULL, NULL, DOCREG_EINDEX, 0},
	{"segment\tkind\tprefix\tyear\tfirst\tlast\n2024-03-1.tsv\tinvoice\tSIA\t24\t1\t2\n", NULL,
	 NULL, DOCREG_EINDEX, 0},
	/* two segments claim a number */
	{"segment\tkind\tprefix\tyear\tfirst\tlast\n2024-03-1.tsv\tinvoice\tSIA\t2024\t1\t2\n"
	 "2024-03-2.tsv\tinvoice\tSIA\t2024\t2\t3\n",
	 NULL, NULL, DOCREG_EINDEX, 0},
	/* the index holds a number the segment lacks */
	{"segment\tkind\tprefix\tyear\tfirst\tlast\n2024-03-1.tsv\tinvoice\tSIA\t2024\t1\t3\n",
	 NULL, "SIA-2024-000003", DOCREG_OK, DOCREG_ESEGMENT},
	/* a segment with another header, a row of a bad currency, a missing segment */
	{NULL, "invoice_no\tentity\n", "SIA-2024-000001", DOCREG_OK, DOCREG_ESEGMENT},
	{NULL,
	 SCHEMA_REGISTER_HEADER "SIA-2024-000001\tSIA\tm\tusd\tR\t2024-03-1\t2024-03-16\tinvoice\n"
				"SIA-2024-000002\tSIA\tm\tUSD\tR\t2024-03-1\t2024-03-16\tinvoice\n",
	 "SIA-2024-000001", DOCREG_OK, DOCREG_ESEGMENT},
	{"segment\tkind\tprefix\tyear\tfirst\tlast\n2024-04-1.tsv\tinvoice\tSIA\t2024\t1\t2\n",
	 NULL, "SIA-2024-000001", DOCREG_OK, DOCREG_EIO},
};

START_TEST(test_broken)
{
	char *nos[] = {"SIA-2024-000001", "SIA-2024-000002"};
	char path[256];
	docreg g;
	docreg_doc d;
	FILE *fp;

	_scratch();
	_write(NULL, "r", "2024-03-1", nos, 2);
	if (broken[_i].index) {
		ck_assert_ptr_nonnull(fp = fopen(_path(path, sizeof path, "r/index.tsv"), "w"));
		fputs(broken[_i].index, fp);
		fclose(fp);
	}
	if (broken[_i].segment) {
		ck_assert_ptr_nonnull(fp = fopen(_path(path, sizeof path, "r/2024-03-1.tsv"), "w"));
		fputs(broken[_i].segment, fp);
		fclose(fp);
	}
	ck_assert_int_eq(docreg_open(&g, _path(path, sizeof path, "r")), broken[_i].open_rc);
	if (broken[_i].open_rc == DOCREG_OK && broken[_i].lookup) {
		ck_assert_int_eq(docreg_find(&g, broken[_i].lookup, strlen(broken[_i].lookup), &d),
				 broken[_i].find_rc);
		ck_assert_ptr_nonnull(g.err_file);
	}
	docreg_close(&g);
	_rm();
}
END_TEST

/* ---- The writer refuses what would break the register: a number added
 * twice, a series with a gap, a segment the register has already. */
START_TEST(test_writer)
{
	docreg_writer w;
	docreg g;
	char dir[256];
	char *nos[] = {"SIA-2024-000001"};

	memset(&w, 0, sizeof w);
	ck_assert_int_eq(docreg_writer_add(&w, "SIA-2024-000002", 15, 0), DOCREG_OK);
	ck_assert_int_eq(docreg_writer_add(&w, "SIA-2024-000002", 15, 1), DOCREG_OK);
	ck_assert_int_eq(docreg_writer_sort(&w), DOCREG_EDUP);
	docreg_writer_free(&w);
	_scratch();
	_write(NULL, "r", "2024-03-1", nos, 1);
	ck_assert_int_eq(docreg_open(&g, _path(dir, sizeof dir, "r")), DOCREG_OK);
	ck_assert_int_eq(docreg_writer_add(&w, "SIA-2024-000002", 15, 0), DOCREG_OK);
	ck_assert_int_eq(docreg_writer_add(&w, "SIA-2024-000004", 15, 1), DOCREG_OK);
	ck_assert_int_eq(docreg_writer_sort(&w), DOCREG_OK);
	mkdir(_path(dir, sizeof dir, "r2"), 0777);
	ck_assert_int_eq(docreg_write_index(&g, &w, "2024-03-2.tsv", dir), DOCREG_EINDEX);
	ck_assert_int_eq(docreg_write_index(&g, &w, "2024-03-1.tsv", dir), DOCREG_EDUP);
	docreg_writer_free(&w);
	docreg_close(&g);
	_rm();
}
END_TEST

/* ---- The writer's order: documents added in any order come out by
 * number, each with its caller's index; a repeat anywhere is refused.
 * Numbers given as a string "A B C" in the order added; want: the indexes
 * in number order, or NULL for DOCREG_EDUP. */
static const struct {
	const char *added, *want;
} sorts[] = {
	{"SIA-2024-000001 SIA-2024-000002 SIA-2024-000003", "0 1 2"},	    /* sorted */
	{"SIA-2024-000003 SIA-2024-000002 SIA-2024-000001", "2 1 0"},	    /* reversed */
	{"USA-2024-000001 JMT-2024-000001 SIA-2024-000001", "1 2 0"},	    /* prefixes */
	{"CN-SIA-2024-000001 SIA-2024-000001 CN-SIA-2024-000002", "0 2 1"}, /* credit notes */
	{"SIA-2024-000001 SIA-2024-000002 SIA-2024-000001", NULL},	    /* a repeat apart */
	{"SIA-2024-000001 SIA-2024-000001 SIA-2024-000002", NULL},	    /* a repeat sorted */
	{"SIA-2024-000002", "0"},
};

START_TEST(test_writer_sort)
{
	docreg_writer w;
	char buf[256], got[64], *p, *save = NULL;
	size_t i, n = 0;

	memset(&w, 0, sizeof w);
	snprintf(buf, sizeof buf, "%s", sorts[_i].added);
	for (p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save))
		ck_assert_int_eq(docreg_writer_add(&w, p, strlen(p), (long)n++), DOCREG_OK);
	if (!sorts[_i].want) {
		ck_assert_int_eq(docreg_writer_sort(&w), DOCREG_EDUP);
	} else {
		ck_assert_int_eq(docreg_writer_sort(&w), DOCREG_OK);
		for (i = 0, got[0] = 0; i < w.n; i++)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s%ld", i ? " " : "",
				 w.user[i]);
		ck_assert_str_eq(got, sorts[_i].want);
	}
	docreg_writer_free(&w);
}
END_TEST

Suite *
suite_docreg(void)
{
	Suite *s = suite_create("docreg");
	TCase *tc = tcase_create("docreg");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_small);
	tcase_add_test(tc, test_large);
	tcase_add_test(tc, test_carry);
	tcase_add_loop_test(tc, test_broken, 0, N(broken));
	tcase_add_test(tc, test_writer);
	tcase_add_loop_test(tc, test_writer_sort, 0, N(sorts));
	suite_add_tcase(s, tc);
	return s;
}
