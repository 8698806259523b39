/* out: in-place formatting, large writes, write errors kept for close,
 * writing past the page cache. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"
#include "suites.h"
#include "util.h"

START_TEST(test_roundtrip)
{
	char *path = util_temp_file("", 0), *got, *p;
	out o;
	size_t n, i;

	ck_assert_int_eq(out_open(&o, path), 0);
	ck_assert_int_eq(out_puts(&o, "head\n"), 0);
	p = out_room(&o, 3);
	memcpy(p, "xyz", 3);
	out_commit(&o, 2); /* only "xy" is kept */
	/* more than one block in small pieces, then one piece larger than it */
	for (i = 0; i < 300000; i++)
		ck_assert_int_eq(out_write(&o, "0123456789", 10), 0);
	p = out_room(&o, 3u << 20);
	memset(p, 'z', 3u << 20);
	out_commit(&o, 3u << 20);
	ck_assert_int_eq(out_close(&o), 0);
	got = util_read_file(path, &n);
	ck_assert_uint_eq(n, 5 + 2 + 3000000 + (3u << 20));
	ck_assert(memcmp(got, "head\nxy0123", 11) == 0);
	ck_assert_int_eq(got[n - 1], 'z');
	free(got);
	unlink(path);
	free(path);
}
END_TEST

/* A full disk is an error at the latest when the stream is closed. */
START_TEST(test_full_disk)
{
	out o;

	ck_assert_int_eq(out_open(&o, "/dev/full"), 0);
	ck_assert_int_eq(out_puts(&o, "row\n"), 0);
	errno = 0;
	ck_assert_int_eq(out_close(&o), -1);
	ck_assert_int_eq(errno, ENOSPC);
}
END_TEST

/* out_nocache: the same bytes, whatever the sizes of the writes and of
 * the file (none, under one 8 MiB chunk, exactly some, across several),
 * with the offsets it keeps at the file's end; not on a pipe. */
static const struct {
	const char *name;
	size_t size;  /* bytes in all */
	size_t piece; /* written so many at a time (out_write) */
} nocache[] = {
	{"empty", 0, 1},
	{"under a block", 1000, 7},
	{"a chunk exactly, in small pieces", 8u << 20, 100},
	{"a chunk and a byte, in blocks", (8u << 20) + 1, 1u << 20},
	{"several chunks, in half blocks and a tail", (25u << 20) + 3, 1u << 19},
	{"several chunks, in pieces of no round size", (17u << 20) + 999, 65537},
};

START_TEST(test_nocache)
{
	char *path = util_temp_file("", 0), *want = malloc(nocache[_i].size + 1), *got;
	size_t i, n, k;
	out o;

	for (i = 0; i < nocache[_i].size; i++)
		want[i] = (char)('a' + i * 7 % 26);
	ck_assert_int_eq(out_open(&o, path), 0);
	ck_assert_int_eq(out_nocache(&o), 0);
	for (i = 0; i < nocache[_i].size; i += k) {
		k = nocache[_i].size - i < nocache[_i].piece ? nocache[_i].size - i
							     : nocache[_i].piece;
		ck_assert_int_eq(out_write(&o, want + i, k), 0);
	}
	out_flush(&o);
	ck_assert_int_eq(o.written, (off_t)nocache[_i].size);
	ck_assert_int_le(o.dropped, o.sent);
	ck_assert_int_le(o.sent, o.written);
	ck_assert_int_eq(out_close(&o), 0);
	got = util_read_file(path, &n);
	ck_assert_uint_eq(n, nocache[_i].size);
	ck_assert_msg(memcmp(got, want, n) == 0, "%s: the file differs", nocache[_i].name);
	free(got);
	free(want);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_nocache_pipe)
{
	int fd[2];
	out o;

	ck_assert_int_eq(pipe(fd), 0);
	out_init(&o, fd[1]);
	errno = 0;
	ck_assert_int_eq(out_nocache(&o), -1);
	ck_assert_int_eq(errno, ESPIPE);
	ck_assert_int_eq(out_puts(&o, "row\n"), 0);
	ck_assert_int_eq(out_close(&o), 0);
	close(fd[1]);
	close(fd[0]);
}
END_TEST

Suite *
suite_out(void)
{
	Suite *s = suite_create("out");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_full_disk);
	tcase_add_loop_test(tc, test_nocache, 0, (int)(sizeof nocache / sizeof nocache[0]));
	tcase_add_test(tc, test_nocache_pipe);
	suite_add_tcase(s, tc);
	return s;
}
