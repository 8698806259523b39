/* msg: the one place that prints diagnostics and decides exit codes.
 *
 * lib/ has two layers.  Most modules (and all of lib/rules/) return error
 * codes and never print or exit.  The exiting layer is named as such:
 * functions whose name starts with `e` (einput_next, econfig_merchants,
 * estate_open, eout_close, ...) report a failure and exit, as the helpers
 * here do; those starting with `x` (xmalloc, xgrow, xjoin) exit only when
 * out of memory.  Messages have one shape:
 *
 *     prog: file:line: message
 *
 * and the exit status says what went wrong: 0 success, 1 a data or I/O
 * error that stopped the run, 2 a usage error. */
#ifndef MSG_H
#define MSG_H

#include <stddef.h>
#include <stdio.h>

#include "out.h"

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

/* Remember the program name used as the prefix of every message. */
void msg_setprog(const char *argv0);

/* The program name given to msg_setprog(). */
const char *msg_prog(void);

/* Print "prog: file:line: message" (": line" left out when line is 0,
 * "file: " left out when file is NULL).  A format ending in ':' gets
 * strerror(errno) appended. */
void msg_warn(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* msg_warn(), then exit with status. */
_Noreturn void msg_fatal(int status, const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* --help: text on stdout, then exit 0, or 1 when it could not be written
 * (stdout on a full disk is an error, not silence). */
_Noreturn void msg_help(const char *text);

/* A usage error: "prog: message", a hint to --help, exit 2. */
_Noreturn void msg_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The option getopt_long() (optstring starting with ':') could not take,
 * c being '?' or ':': an unknown option or one missing its value. */
_Noreturn void msg_bad_option(int c, char **argv);

/* The period an option gives (YYYY-MM-1 or YYYY-MM-2), or a usage error
 * naming the option. */
int msg_period_arg(const char *option, const char *arg);

/* Progress of a long stage, at most once a second: a line rewritten in
 * place on stderr when it is a terminal or on the terminal a --progress
 * option names; written over, alone, in a regular file a --progress
 * option names (the pipeline reads those for its one progress line). */
typedef struct msg_progress {
	FILE *fp;  /* NULL: no progress shown */
	long last; /* second of the last line */
	int file;  /* fp is a regular file: its content is the last line */
} msg_progress;

/* Show progress on path (a terminal or a file), or on stderr when path is
 * NULL and stderr is a terminal; otherwise not at all. */
void msg_progress_open(msg_progress *p, const char *path);

/* A progress line, if a second has passed since the last. */
void msg_progress_show(msg_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The last progress line, ended by a newline; closes a named file. */
void msg_progress_end(msg_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Allocation that cannot fail: out of memory is fatal (exit 1). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* grow() (grow.h) or die. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);

/* "dir/name" in a new string. */
char *xjoin(const char *dir, const char *name);

/* Open a file for writing or die; "-" is stdout. */
FILE *efopen_write(const char *path);

/* out_open() or die. */
void eout_open(out *o, const char *path);

/* out_room() or die. */
char *eout_room(out *o, size_t n);

/* out_write() and out_puts() or die. */
void eout_write(out *o, const char *s, size_t n);
void eout_puts(out *o, const char *s);

/* out_close() or die: a write error (full disk) stops the run. */
void eout_close(out *o, const char *path);

/* Flush and close an output stream; a write error (full disk) is fatal,
 * never silent truncation. */
void eclose(FILE *fp, const char *path);

#endif
