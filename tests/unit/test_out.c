/* out: in-place formatting, large writes, write errors kept for close,
 * writing past the page cache. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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
 * whatever was written before it (direct writes need a start at a
 * multiple of 4 KiB), with the offsets it keeps at the file's end; past
 * the cache (O_DIRECT) exactly where the file system takes it and the
 * start is aligned; in the temporary folder and on /dev/shm; not on a
 * pipe. */
static const struct {
	const char *name;
	size_t before; /* bytes written and flushed before out_nocache() */
	size_t size;   /* bytes in all after it */
	size_t piece;  /* written so many at a time (out_write) */
} nocache[] = {
	{"empty", 0, 0, 1},
	{"under a block", 0, 1000, 7},
	{"a chunk exactly, in small pieces", 0, 8u << 20, 100},
	{"a chunk and a byte, in blocks", 0, (8u << 20) + 1, 1u << 20},
	{"several chunks, in half blocks and a tail", 0, (25u << 20) + 3, 1u << 19},
	{"several chunks, in pieces of no round size", 0, (17u << 20) + 999, 65537},
	{"pieces larger than a block", 0, (9u << 20) + 17, (3u << 20) + 5},
	{"after a header: through the cache", 5, (9u << 20) + 1, 4096},
	{"after 4 KiB: direct", 4096, (3u << 20) + 4095, 333},
};

/* Does the folder's file system take O_DIRECT? */
static int
_takes_direct(const char *dir)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof path, "%s/settle-direct-XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0)
		return 0;
	unlink(path);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_DIRECT) < 0) {
		close(fd);
		return 0;
	}
	close(fd);
	return 1;
}

static void
_nocache_in(const char *dir, int i)
{
	char path[4096], *want = malloc(nocache[i].before + nocache[i].size + 1), *got;
	size_t j, n, k, all = nocache[i].before + nocache[i].size;
	const char *s;
	out o;
	int fd;

	snprintf(path, sizeof path, "%s/settle-unit-XXXXXX", dir);
	ck_assert_int_ge(fd = mkstemp(path), 0);
	close(fd);
	for (j = 0; j < all; j++)
		want[j] = (char)('a' + j * 7 % 26);
	ck_assert_int_eq(out_open(&o, path), 0);
	ck_assert_int_eq(out_write(&o, want, nocache[i].before), 0);
	ck_assert_int_eq(out_flush(&o), 0);
	ck_assert_int_eq(out_nocache(&o), 0);
	ck_assert_int_eq(o.direct, nocache[i].before % 4096 == 0 && _takes_direct(dir));
	s = want + nocache[i].before;
	for (j = 0; j < nocache[i].size; j += k) {
		k = nocache[i].size - j < nocache[i].piece ? nocache[i].size - j : nocache[i].piece;
		ck_assert_int_eq(out_write(&o, s + j, k), 0);
	}
	ck_assert_int_eq(out_flush(&o), 0);
	ck_assert_int_eq(o.written, (off_t)all);
	ck_assert_int_le(o.dropped, o.sent);
	ck_assert_int_le(o.sent, o.written);
	ck_assert_int_eq(out_close(&o), 0);
	got = util_read_file(path, &n);
	ck_assert_uint_eq(n, all);
	ck_assert_msg(memcmp(got, want, n) == 0, "%s in %s: the file differs", nocache[i].name,
		      dir);
	free(got);
	free(want);
	unlink(path);
}

START_TEST(test_nocache)
{
	const char *tmp = getenv("TMPDIR");

	_nocache_in(tmp && *tmp ? tmp : "/tmp", _i);
	if (access("/dev/shm", W_OK) == 0)
		_nocache_in("/dev/shm", _i);
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
