/* msg: diagnostics, exit codes and allocation that cannot fail. */
#include "msg.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"
#include "period.h"

static const char *prog = "settle";

/* A progress line is on stderr without its newline: a message clears it
 * and takes its place; the next progress line comes back below. */
static int progress_on_stderr;

/* Keep only the last path component, as users type the name. */
void
msg_setprog(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	prog = slash ? slash + 1 : argv0;
}

/* The name messages are prefixed with. */
const char *
msg_prog(void)
{
	return prog;
}

/* Shared body of msg_warn() and msg_fatal().  The line is made first and
 * written with one write(): the stages of a pipeline share one stderr, and
 * a line written in one piece (up to PIPE_BUF bytes) is never cut by
 * another stage's. */
static void
_vwarn(const char *file, long line, const char *fmt, va_list ap)
{
	int saved = errno;
	size_t n = strlen(fmt);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		/* No memory for the line: piece by piece, as best we can. */
		fprintf(stderr, "%s: ", prog);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		return;
	}
	if (progress_on_stderr) {
		fputs("\r\033[K", m);
		progress_on_stderr = 0;
	}
	fprintf(m, "%s: ", prog);
	if (file && line > 0)
		fprintf(m, "%s:%ld: ", file, line);
	else if (file)
		fprintf(m, "%s: ", file);
	vfprintf(m, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(m, " %s", strerror(saved));
	fputc('\n', m);
	if (fclose(m) == 0) {
		const char *p = buf;

		fflush(stderr);
		while (len > 0) {
			ssize_t w = write(STDERR_FILENO, p, len);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break; /* stderr is gone: nothing left to tell */
			p += w;
			len -= (size_t)w;
		}
	}
	free(buf);
}

/* Print one diagnostic line. */
void
msg_warn(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	_vwarn(file, line, fmt, ap);
	va_end(ap);
}

/* Print one diagnostic line and exit. */
void
msg_fatal(int status, const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	_vwarn(file, line, fmt, ap);
	va_end(ap);
	exit(status);
}

/* Help on stdout, checked. */
void
msg_help(const char *text)
{
	if (fputs(text, stdout) == EOF || fflush(stdout) != 0 || ferror(stdout) ||
	    fclose(stdout) != 0)
		msg_fatal(EXIT_DATA, "<stdout>", 0, "write error:");
	exit(EXIT_OK);
}

/* Print a usage error and exit 2. */
void
msg_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	_vwarn(NULL, 0, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	exit(EXIT_USAGE);
}

/* Name the option that was not understood. */
void
msg_bad_option(int c, char **argv)
{
	msg_usage("%s '%s'", c == ':' ? "missing value for option" : "unknown option",
		  argv[optind - 1]);
}

/* A period option's value. */
int
msg_period_arg(const char *option, const char *arg)
{
	int p;

	if (period_parse(arg, strlen(arg), &p) < 0)
		msg_usage("%s: not a period (YYYY-MM-1 or YYYY-MM-2): '%s'", option, arg);
	return p;
}

/* Where progress goes, if anywhere. */
void
msg_progress_open(msg_progress *p, const char *path)
{
	p->last = 0;
	p->fp = NULL;
	p->file = 0;
	if (path && *path) {
		p->fp = fopen(path, "w");
		p->file = p->fp && !isatty(fileno(p->fp));
	} else if (isatty(STDERR_FILENO)) {
		p->fp = stderr;
	}
}

/* Rewrite the progress line. */
static void
_progress(msg_progress *p, const char *fmt, va_list ap, int end)
{
	if (p->file) {
		/* The file holds the last line only. */
		rewind(p->fp);
		vfprintf(p->fp, fmt, ap);
		fputc('\n', p->fp);
		fflush(p->fp);
		if (ftruncate(fileno(p->fp), ftell(p->fp)) < 0) {
			/* A stale tail is harmless: the count comes first. */
		}
		return;
	}
	fprintf(p->fp, "\r%s: ", prog);
	vfprintf(p->fp, fmt, ap);
	fputs(end ? "\033[K\n" : "\033[K", p->fp);
	fflush(p->fp);
	if (p->fp == stderr)
		progress_on_stderr = !end;
}

/* At most once a second. */
void
msg_progress_show(msg_progress *p, const char *fmt, ...)
{
	va_list ap;
	long now;

	if (!p->fp || (now = (long)time(NULL)) == p->last)
		return;
	p->last = now;
	va_start(ap, fmt);
	_progress(p, fmt, ap, 0);
	va_end(ap);
}

/* The final line. */
void
msg_progress_end(msg_progress *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->fp)
		return;
	va_start(ap, fmt);
	_progress(p, fmt, ap, 1);
	va_end(ap);
	if (p->fp != stderr)
		fclose(p->fp);
	p->fp = NULL;
}

/* malloc or die. */
void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory (%zu bytes)", n);
	return p;
}

/* calloc or die. */
void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

/* realloc or die. */
void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory (%zu bytes)", n);
	return p;
}

/* strdup or die. */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* strndup or die; the copy is always NUL-terminated. */
char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* grow or die. */
void *
xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	void *q = grow(p, cap, need, size);

	if (!q)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory (%zu x %zu bytes)", need, size);
	return q;
}

/* dir/name. */
char *
xjoin(const char *dir, const char *name)
{
	size_t nd = strlen(dir), nn = strlen(name);
	char *p = xmalloc(nd + nn + 2);

	memcpy(p, dir, nd);
	p[nd] = '/';
	memcpy(p + nd + 1, name, nn + 1);
	return p;
}

/* fopen(path, "w") or die; "-" means stdout. */
FILE *
efopen_write(const char *path)
{
	FILE *fp;

	if (strcmp(path, "-") == 0)
		return stdout;
	fp = fopen(path, "w");
	if (!fp)
		msg_fatal(EXIT_DATA, path, 0, "cannot open for writing:");
	return fp;
}

/* Open an out stream or die. */
void
eout_open(out *o, const char *path)
{
	if (out_open(o, path) < 0)
		msg_fatal(EXIT_DATA, path, 0, "cannot open for writing:");
}

/* Room in an out stream or die. */
char *
eout_room(out *o, size_t n)
{
	char *p = out_room(o, n);

	if (!p)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory (%zu bytes)", n);
	return p;
}

/* Append or die. */
void
eout_write(out *o, const char *s, size_t n)
{
	if (out_write(o, s, n) < 0)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory (%zu bytes)", n);
}

/* Append a string or die. */
void
eout_puts(out *o, const char *s)
{
	eout_write(o, s, strlen(s));
}

/* Close an out stream, dying on any write error. */
void
eout_close(out *o, const char *path)
{
	if (out_close(o) < 0)
		msg_fatal(EXIT_DATA, path, 0, "write error:");
}

/* Flush and close, dying on any write error. */
void
eclose(FILE *fp, const char *path)
{
	int bad = fflush(fp) != 0 || ferror(fp);

	if (fclose(fp) != 0)
		bad = 1;
	if (bad)
		msg_fatal(EXIT_DATA, path, 0, "write error:");
}
