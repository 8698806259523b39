/* msg: the shape of every diagnostic, exit codes, progress lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "period.h"
#include "suites.h"
#include "util.h"

/* stderr goes to a temporary file until _stderr_end(), which returns what
 * was written (the caller frees it). */
static char *capture_path;
static int saved_stderr = -1;

static void
_stderr_begin(void)
{
	int fd;

	capture_path = util_temp_file("", 0);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	fd = open(capture_path, O_WRONLY | O_TRUNC);
	ck_assert(fd >= 0 && saved_stderr >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

static char *
_stderr_end(void)
{
	size_t n;
	char *got;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	got = util_read_file(capture_path, &n);
	unlink(capture_path);
	free(capture_path);
	return got;
}

static const struct warn_case {
	const char *file;
	long line;
	int err; /* errno before the call; the format then ends in ':' */
	const char *want;
} warn_cases[] = {
	{"orders.tsv", 12, 0, "normalize-orders: orders.tsv:12: bad thing 7\n"},
	{"orders.tsv", 0, 0, "normalize-orders: orders.tsv: bad thing 7\n"},
	{NULL, 0, 0, "normalize-orders: bad thing 7\n"},
	{NULL, 5, 0, "normalize-orders: bad thing 7\n"},
	{"in/x.tsv", 0, ENOENT,
	 "normalize-orders: in/x.tsv: cannot open: No such file or directory\n"},
};

/* prog: file:line: message, with the parts that are known. */
START_TEST(test_warn)
{
	const struct warn_case *c = &warn_cases[_i];
	char *got;

	msg_setprog("/usr/local/bin/normalize-orders");
	ck_assert_str_eq(msg_prog(), "normalize-orders");
	_stderr_begin();
	if (c->err) {
		errno = c->err;
		msg_warn(c->file, c->line, "cannot open:");
	} else {
		msg_warn(c->file, c->line, "bad thing %d", 7);
	}
	got = _stderr_end();
	ck_assert_str_eq(got, c->want);
	free(got);
}
END_TEST

/* The exit tests run in a child process: their message (whose shape
 * test_warn checks) is not shown among the test results. */
static void
_quiet(void)
{
	int fd = open("/dev/null", O_WRONLY);

	ck_assert(fd >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/* A data error stops the run with status 1 after its message. */
START_TEST(test_fatal)
{
	_quiet();
	msg_fatal(EXIT_DATA, "f.tsv", 3, "stop");
}
END_TEST

/* A usage error exits 2. */
START_TEST(test_usage)
{
	_quiet();
	msg_usage("no --period");
}
END_TEST

/* A period option: its value, or a usage error. */
START_TEST(test_period_arg)
{
	int want;

	ck_assert_int_eq(period_parse("2024-12-2", 9, &want), 0);
	ck_assert_int_eq(msg_period_arg("--period", "2024-12-2"), want);
}
END_TEST

START_TEST(test_period_arg_bad)
{
	_quiet();
	msg_period_arg("--period", "2024-12-3");
}
END_TEST

/* Progress on a named regular file: the file holds the last line alone
 * (the pipeline reads it for its own progress line); closed after it. */
START_TEST(test_progress_file)
{
	char *path = util_temp_file("", 0), *got;
	msg_progress p;
	size_t n;

	msg_setprog("render-xlsx");
	msg_progress_open(&p, path);
	ck_assert_ptr_nonnull(p.fp);
	msg_progress_show(&p, "%d workbooks written", 10);
	msg_progress_end(&p, "%d workbooks written", 12);
	ck_assert_ptr_null(p.fp);
	got = util_read_file(path, &n);
	ck_assert_str_eq(got, "12 workbooks written\n");
	free(got);
	unlink(path);
	free(path);
}
END_TEST

/* Without a file and with stderr not a terminal, nothing is shown. */
START_TEST(test_progress_none)
{
	msg_progress p;
	char *got;

	_stderr_begin();
	msg_progress_open(&p, NULL);
	ck_assert_ptr_null(p.fp);
	msg_progress_show(&p, "x");
	msg_progress_end(&p, "y");
	got = _stderr_end();
	ck_assert_str_eq(got, "");
	free(got);
}
END_TEST

/* A message while a progress line stands on stderr clears that line
 * first, so the message starts at the left margin. */
START_TEST(test_progress_then_warn)
{
	msg_progress p = {NULL, 0, 0};
	char *got;

	msg_setprog("normalize-orders");
	_stderr_begin();
	p.fp = stderr; /* as msg_progress_open() does on a terminal */
	msg_progress_show(&p, "%d rows", 5);
	msg_warn("a.csv", 2, "late");
	msg_warn("a.csv", 3, "late");
	got = _stderr_end();
	ck_assert_str_eq(got, "\rnormalize-orders: 5 rows\033[K"
			      "\r\033[Knormalize-orders: a.csv:2: late\n"
			      "normalize-orders: a.csv:3: late\n");
	free(got);
}
END_TEST

/* Copies are whole and terminated; "-" writes to stdout. */
START_TEST(test_copies)
{
	char *s = xstrndup("abcdef", 3), *t = xstrdup("");

	ck_assert_str_eq(s, "abc");
	ck_assert_str_eq(t, "");
	ck_assert_ptr_eq(efopen_write("-"), stdout);
	free(s);
	free(t);
}
END_TEST

START_TEST(test_open_fails)
{
	_quiet();
	efopen_write("/nonexistent-dir/x.tsv");
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
suite_msg(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_warn, 0, N(warn_cases));
	tcase_add_exit_test(tc, test_fatal, EXIT_DATA);
	tcase_add_exit_test(tc, test_usage, EXIT_USAGE);
	tcase_add_test(tc, test_period_arg);
	tcase_add_exit_test(tc, test_period_arg_bad, EXIT_USAGE);
	tcase_add_test(tc, test_progress_file);
	tcase_add_test(tc, test_progress_none);
	tcase_add_test(tc, test_progress_then_warn);
	tcase_add_test(tc, test_copies);
	tcase_add_exit_test(tc, test_open_fails, EXIT_DATA);
	suite_add_tcase(s, tc);
	return s;
}
