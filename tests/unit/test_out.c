/* out: in-place formatting, large writes, write errors kept for close. */
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

Suite *
suite_out(void)
{
	Suite *s = suite_create("out");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_full_disk);
	suite_add_tcase(s, tc);
	return s;
}
