/* linesum: lines written through a thread that sums them, and out_take,
 * the hand-over of full buffers it rests on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linesum.h"
#include "suites.h"
#include "util.h"

/* out_take: every byte reaches take() once and in order, whatever the
 * sizes of the writes (rows, half blocks, more than a block), and the end
 * is said once, after the last buffer. */
struct taken {
	char *got;
	size_t n, calls;
	int ended;
};

static char *
_take(void *arg, char *buf, size_t len, size_t cap)
{
	struct taken *t = arg;

	ck_assert(!t->ended);
	if (!buf) {
		t->ended = 1;
		return NULL;
	}
	ck_assert_uint_gt(len, 0);
	ck_assert_uint_le(len, cap);
	memcpy(t->got + t->n, buf, len);
	t->n += len;
	t->calls++;
	return buf; /* the same buffer back */
}

static const struct {
	const char *name;
	size_t size, piece;
} taken[] = {
	{"nothing", 0, 1},
	{"rows", 3000000, 61},
	{"half blocks", 5u << 20, 1u << 19},
	{"more than a block at a time", (7u << 20) + 5, (3u << 20) + 1},
};

START_TEST(test_take)
{
	size_t size = taken[_i].size, i, k;
	char *want = malloc(size + 1);
	struct taken t = {malloc(size + 1), 0, 0, 0};
	out o;

	for (i = 0; i < size; i++)
		want[i] = (char)('a' + i * 11 % 26);
	out_init(&o, -1);
	out_take(&o, _take, &t);
	for (i = 0; i < size; i += k) {
		k = size - i < taken[_i].piece ? size - i : taken[_i].piece;
		ck_assert_int_eq(out_write(&o, want + i, k), 0);
	}
	ck_assert_int_eq(out_close(&o), 0);
	ck_assert_msg(t.ended, "%s: the end was not said", taken[_i].name);
	ck_assert_uint_eq(t.n, size);
	ck_assert_msg(memcmp(t.got, want, size) == 0, "%s: the bytes differ", taken[_i].name);
	ck_assert_uint_le(t.calls, 2 * (size >> 20) + 1); /* in buffers of a block or so */
	free(want);
	free(t.got);
}
END_TEST

/* The lines file as written and its sums, as reconcile --sum-lines makes
 * them: a header, rows of two entities and currencies (JPY without minor
 * digits), enough of them to pass many buffers through the queue. */
static const struct {
	const char *name;
	long rows;
	int uncached;
} summed[] = {
	{"a header only", 0, 0},
	{"a few rows", 3, 0},
	{"many buffers", 400000, 0},
	{"many buffers, uncached", 400000, 1},
};

START_TEST(test_sum)
{
	static const char header[] = "entity\tmerchant_id\tcurrency\tamount\n";
	char dir[4096], path[4200], sums[4200], want[512], *all, *got;
	long i, n = summed[_i].rows, usd = 0, jpy = 0;
	size_t len, at;
	linesum s;
	out o;

	util_temp_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/lines.tsv", dir);
	snprintf(sums, sizeof sums, "%s/sums.tsv", dir);
	all = malloc(sizeof header + (size_t)n * 40);
	at = (size_t)sprintf(all, "%s", header);
	for (i = 0; i < n; i++)
		if (i % 3 == 2) {
			at += (size_t)sprintf(all + at, "JMT\tm%06ld\tJPY\t%ld\n", i, i % 1000);
			jpy += i % 1000;
		} else {
			at += (size_t)sprintf(all + at, "SIA\tm%06ld\tUSD\t%ld.%02ld\n", i, i % 500,
					      i % 100);
			usd += i % 500 * 100 + i % 100;
		}
	out_init(&o, -1);
	elinesum_start(&s, &o, path, summed[_i].uncached);
	for (i = 0; i < (long)at; i += 1000) /* in pieces of no row's size */
		out_write(&o, all + i, at - (size_t)i < 1000 ? at - (size_t)i : 1000);
	ck_assert_int_eq(out_close(&o), 0);
	elinesum_finish(&s, sums);
	got = util_read_file(path, &len);
	ck_assert_uint_eq(len, at);
	ck_assert_msg(memcmp(got, all, at) == 0, "%s: the lines file differs", summed[_i].name);
	free(got);
	len = (size_t)snprintf(want, sizeof want, "entity\tcurrency\tlines_count\tlines\n");
	if (n > 2)
		len += (size_t)snprintf(want + len, sizeof want - len, "JMT\tJPY\t%ld\t%ld\n",
					n / 3, jpy);
	if (n > 0)
		snprintf(want + len, sizeof want - len, "SIA\tUSD\t%ld\t%ld.%02ld\n", n - n / 3,
			 usd / 100, usd % 100);
	got = util_read_file(sums, &len);
	ck_assert_msg(strcmp(got, want) == 0, "%s: the sums are\n%s", summed[_i].name, got);
	free(got);
	free(all);
	unlink(sums);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* linescan: the same sums however the file is cut into blocks (whole, a
 * byte at a time, in two at every byte), for a header with a BOM and its
 * columns in another order, a last row without its LF, and more
 * (entity, currency) pairs or longer entities than it keeps rows for. */
static const struct {
	const char *name;
	const char *text; /* NULL: the many pairs, made below */
	const char *want;
} scanned[] = {
	{"rows", "entity\tcurrency\tamount\nSIA\tUSD\t1.50\nJMT\tJPY\t7\nSIA\tUSD\t-0.25\n",
	 "entity\tcurrency\tlines_count\tlines\nJMT\tJPY\t1\t7\nSIA\tUSD\t2\t1.25\n"},
	{"a BOM, other columns, no last LF",
	 "\xef\xbb\xbf"
	 "amount\tx\tcurrency\tentity\n3.00\ta\tEUR\tSIA\n1\t\tEUR\tSIA",
	 "entity\tcurrency\tlines_count\tlines\nSIA\tEUR\t2\t4.00\n"},
	{"a header only", "entity\tcurrency\tamount\n", "entity\tcurrency\tlines_count\tlines\n"},
	{"a long entity",
	 "entity\tcurrency\tamount\nAN-ENTITY-NAME-LONGER-THAN-32-BYTES\tUSD\t2.00\n"
	 "AN-ENTITY-NAME-LONGER-THAN-32-BYTES\tUSD\t0.01\nSIA\tUSD\t1\n",
	 "entity\tcurrency\tlines_count\tlines\nAN-ENTITY-NAME-LONGER-THAN-32-BYTES\tUSD\t2\t2.01\n"
	 "SIA\tUSD\t1\t1.00\n"},
	{"more pairs than rows kept", NULL, NULL},
};

/* Scan text cut at `cut` (0: whole; 1: a byte at a time; else in two
 * there) and return the sums as etotals_write() writes them. */
static char *
_scan(const char *text, size_t n, size_t cut, const char *dir)
{
	static const char *const cols[] = {"lines"};
	char path[4200], *got;
	size_t i, len;
	linescan s;
	totals t;

	memset(&t, 0, sizeof t);
	linescan_init(&s, "lines.tsv", &t);
	if (cut == 0) {
		linescan_feed(&s, text, n);
	} else if (cut == 1) {
		for (i = 0; i < n; i++)
			linescan_feed(&s, text + i, 1);
	} else {
		linescan_feed(&s, text, cut - 1);
		linescan_feed(&s, text + cut - 1, n - (cut - 1));
	}
	linescan_end(&s);
	snprintf(path, sizeof path, "%s/sums.tsv", dir);
	etotals_write(&t, path, cols, 1);
	totals_free(&t);
	got = util_read_file(path, &len);
	unlink(path);
	return got;
}

START_TEST(test_scan)
{
	char dir[4096], *text, *want, *got;
	size_t n, cut;

	util_temp_dir(dir, sizeof dir);
	if (scanned[_i].text) {
		text = strdup(scanned[_i].text);
		want = strdup(scanned[_i].want);
	} else { /* 80 entities in two currencies: 160 pairs */
		size_t at = 0, wat = 0;
		int e;

		text = malloc(20000), want = malloc(20000);
		at += (size_t)sprintf(text, "currency\tentity\tamount\n");
		wat += (size_t)sprintf(want, "entity\tcurrency\tlines_count\tlines\n");
		for (e = 0; e < 80; e++) {
			at += (size_t)sprintf(text + at,
					      "EUR\tE%02d\t%d.50\nJPY\tE%02d\t%d\nEUR\tE%02d\t1\n",
					      e, e, e, e, e);
			wat += (size_t)sprintf(want + wat,
					       "E%02d\tEUR\t2\t%d.50\nE%02d\tJPY\t1\t%d\n", e,
					       e + 1, e, e);
		}
	}
	n = strlen(text);
	for (cut = 0; cut <= n + 1; cut++) {
		got = _scan(text, n, cut, dir);
		ck_assert_msg(strcmp(got, want) == 0, "%s, cut %zu: the sums are\n%s",
			      scanned[_i].name, cut, got);
		free(got);
		if (!scanned[_i].text && cut > 2)
			cut += 97; /* the long one: a few cuts */
	}
	free(text);
	free(want);
	rmdir(dir);
}
END_TEST

/* linescan_init_sum: another amount column, into another column of the
 * totals, only the rows whose filter column holds the value exactly (a
 * longer or shorter value is another), the others still checked. */
START_TEST(test_scan_filter)
{
	static const char text[] = "period\tentity\tcurrency\tpaid\n"
				   "2024-03-1\tSIA\tUSD\t1.00\n"
				   "2024-03-2\tSIA\tUSD\t2.00\n"
				   "2024-03-1\tSIA\tUSD\t0.50\n"
				   "2024-03-10\tSIA\tUSD\t4.00\n"
				   "2024-03-\tJMT\tJPY\t8\n"
				   "2024-03-1\tJMT\tJPY\t16\n";
	linescan s;
	totals t;
	long *order;

	memset(&t, 0, sizeof t);
	linescan_init_sum(&s, "invoices.tsv", &t, 2, "paid", "period", "2024-03-1");
	linescan_feed(&s, text, sizeof text - 1);
	linescan_end(&s);
	order = totals_order(&t);
	ck_assert_uint_eq(strset_count(&t.rows), 2);
	ck_assert_int_eq(t.amount[order[0]][2], 16); /* JMT JPY */
	ck_assert_int_eq(t.count[order[0]][2], 1);
	ck_assert_int_eq(t.amount[order[1]][2], 150); /* SIA USD */
	ck_assert_int_eq(t.count[order[1]][2], 2);
	ck_assert_int_eq(t.amount[order[1]][0], 0);
	free(order);
	totals_free(&t);
}
END_TEST

Suite *
suite_linesum(void)
{
	Suite *s = suite_create("linesum");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_take, 0, (int)(sizeof taken / sizeof taken[0]));
	tcase_add_loop_test(tc, test_sum, 0, (int)(sizeof summed / sizeof summed[0]));
	tcase_add_loop_test(tc, test_scan, 0, (int)(sizeof scanned / sizeof scanned[0]));
	tcase_add_test(tc, test_scan_filter);
	suite_add_tcase(s, tc);
	return s;
}
