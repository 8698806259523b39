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

/* Append to buf (cap bytes) at *len what fmt and ap give; *len counts
 * what would be written, past cap too. */
static void
_vappend(char *buf, size_t cap, size_t *len, const char *fmt, va_list ap)
{
	int k = vsnprintf(buf + (*len < cap ? *len : cap - 1), *len < cap ? cap - *len : 1, fmt,
			  ap);

	*len += k > 0 ? (size_t)k : 0;
}

/* The same, with arguments. */
static void _append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void
_append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	_vappend(buf, cap, len, fmt, ap);
	va_end(ap);
}

/* The message line into buf (cap bytes, cap > 1): its length, which may
 * be more than fits (then the text is cut at cap - 1). */
static size_t
_format(char *buf, size_t cap, const char *file, long line, int err, const char *fmt, va_list ap)
{
	size_t len = 0, n = strlen(fmt);

	_append(buf, cap, &len, "%s%s: ", progress_on_stderr ? "\r\033[K" : "", prog);
	if (file && line > 0)
		_append(buf, cap, &len, "%s:%ld: ", file, line);
	else if (file)
		_append(buf, cap, &len, "%s: ", file);
	_vappend(buf, cap, &len, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		_append(buf, cap, &len, " %s", strerror(err));
	return len;
}

/* Shared body of msg_warn() and msg_fatal().  The line is made whole
 * first and leaves in one write(2): the stages of a pipeline share one
 * stderr, and a line written in pieces could be cut by another's. */
static void
_vwarn(const char *file, long line, const char *fmt, va_list ap)
{
	int saved = errno;
	char small[4096], *buf = small, *p;
	size_t len;
	va_list aq;

	va_copy(aq, ap);
	len = _format(small, sizeof small, file, line, saved, fmt, aq);
	va_end(aq);
	if (len + 1 >= sizeof small) {
		if ((p = malloc(len + 2)) != NULL) {
			buf = p;
			va_copy(aq, ap);
			len = _format(buf, len + 2, file, line, saved, fmt, aq);
			va_end(aq);
		} else {
			len = sizeof small - 2;
		}
	}
	buf[len++] = '\n';
	progress_on_stderr = 0;
	fflush(stderr);
	for (p = buf; len > 0;) {
		ssize_t w = write(STDERR_FILENO, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		p += w, len -= (size_t)w;
	}
	if (buf != small)
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
