/* out: buffered output formatted in place. */
#include "out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCK = 1 << 20 };

/* Start writing fd.  A pipe gets a buffer of one block (where the system
 * allows it), so that the stages of a pipeline run side by side instead of
 * waking each other every 64 KiB. */
void
out_init(out *o, int fd)
{
	memset(o, 0, sizeof *o);
	o->fd = fd;
	fcntl(fd, F_SETPIPE_SZ, BLOCK);
}

/* Open a file for writing. */
int
out_open(out *o, const char *path)
{
	int fd;

	if (strcmp(path, "-") == 0) {
		out_init(o, STDOUT_FILENO);
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	out_init(o, fd);
	o->own = 1;
	return 0;
}

/* write(2) all of it, retrying short writes and EINTR. */
static int
_write_all(out *o, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(o->fd, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (!o->err)
				o->err = errno;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Empty the buffer. */
int
out_flush(out *o)
{
	int rc = 0;

	if (o->len > 0)
		rc = _write_all(o, o->buf, o->len);
	o->len = 0;
	if (rc < 0)
		errno = o->err;
	return rc;
}

/* Room for n bytes, flushing or growing as needed. */
char *
out_room(out *o, size_t n)
{
	if (o->len + n > o->cap) {
		if (o->len > 0 && o->len + n > BLOCK)
			out_flush(o);
		if (n > o->cap) {
			size_t cap = o->cap ? o->cap : BLOCK;
			char *p;

			while (cap < n)
				cap *= 2;
			if (!(p = realloc(o->buf, cap)))
				return NULL;
			o->buf = p;
			o->cap = cap;
		}
	}
	return o->buf + o->len;
}

/* Keep what was written. */
void
out_commit(out *o, size_t n)
{
	o->len += n;
	if (o->len >= BLOCK)
		out_flush(o);
}

/* Copy bytes in. */
int
out_write(out *o, const char *s, size_t n)
{
	char *p = out_room(o, n);

	if (!p)
		return -1;
	memcpy(p, s, n);
	out_commit(o, n);
	return 0;
}

/* Copy a string in. */
int
out_puts(out *o, const char *s)
{
	return out_write(o, s, strlen(s));
}

/* Flush and report any error seen since opening. */
int
out_close(out *o)
{
	int rc = out_flush(o);

	if (o->own && close(o->fd) < 0 && !o->err)
		o->err = errno;
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
	if (o->err) {
		errno = o->err;
		return -1;
	}
	return rc;
}
