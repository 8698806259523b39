/* out: buffered output formatted in place. */
#include "out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* CHUNK: what out_nocache() sends to the disk at once, when it cannot
 * write past the cache; ALIGN: what writing past it (O_DIRECT) needs of
 * the buffer's address, the file's offset and each write's length (the
 * largest logical block size of the disks it runs on). */
enum { BLOCK = 1 << 20, CHUNK = 8 << 20, ALIGN = 4096 };

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

/* The buffer at cap bytes: aligned to ALIGN when writing direct. */
static int
_grow(out *o, size_t cap)
{
	void *p;

	if (!o->direct) {
		if (!(p = realloc(o->buf, cap)))
			return -1;
	} else {
		if (posix_memalign(&p, ALIGN, cap) != 0)
			return -1;
		if (o->len > 0)
			memcpy(p, o->buf, o->len);
		free(o->buf);
	}
	o->buf = p;
	o->cap = cap;
	return 0;
}

/* Stop writing direct: what is written is on the disk, so nothing of it
 * is in the cache to drop. */
static void
_direct_off(out *o)
{
	int fl = fcntl(o->fd, F_GETFL);

	if (fl >= 0)
		fcntl(o->fd, F_SETFL, fl & ~O_DIRECT);
	o->direct = 0;
	o->sent = o->dropped = o->written;
}

/* Write past the cache where the file system allows it (O_DIRECT): the
 * disk reads the bytes from the buffer, and no page of the cache is
 * filled, written back and dropped.  Else (or when the first such write
 * is refused) the chunks are sent and dropped as they go. */
static void
_direct_on(out *o)
{
	int fl = fcntl(o->fd, F_GETFL);

	if (o->written % ALIGN != 0 || fl < 0 || fcntl(o->fd, F_SETFL, fl | O_DIRECT) < 0)
		return;
	o->direct = 1;
	if (o->buf && _grow(o, o->cap < 2 * BLOCK ? 2 * BLOCK : o->cap) < 0)
		_direct_off(o);
}

void
out_take(out *o, out_take_fn *take, void *arg)
{
	o->take = take;
	o->take_arg = arg;
}

int
out_nocache(out *o)
{
	struct stat sb;
	off_t at;

	if (fstat(o->fd, &sb) < 0)
		return -1;
	if (!S_ISREG(sb.st_mode)) {
		errno = ESPIPE;
		return -1;
	}
	if ((at = lseek(o->fd, 0, SEEK_CUR)) < 0)
		return -1;
	o->nocache = 1;
	o->written = o->sent = o->dropped = at;
	_direct_on(o);
	return 0;
}

/* out_nocache(): bytes [dropped, sent) are on their way to the disk or
 * there, [sent, written) in the cache only.  Wait for [dropped, to) to
 * be on the disk (a write error is the stream's) and drop it. */
static void
_drop(out *o, off_t to)
{
	if (sync_file_range(o->fd, o->dropped, to - o->dropped,
			    SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
				    SYNC_FILE_RANGE_WAIT_AFTER) < 0 &&
	    !o->err)
		o->err = errno;
	posix_fadvise(o->fd, o->dropped, to - o->dropped, POSIX_FADV_DONTNEED);
	o->dropped = to;
}

/* Each CHUNK written: sent, and the one sent before it dropped. */
static void
_nocache(out *o, size_t n)
{
	o->written += (off_t)n;
	if (o->direct || o->written - o->sent < CHUNK)
		return;
	if (o->sent > o->dropped)
		_drop(o, o->sent);
	sync_file_range(o->fd, o->sent, o->written - o->sent, SYNC_FILE_RANGE_WRITE);
	o->sent = o->written;
}

/* write(2) all of it, retrying short writes and EINTR. */
static int
_write_all(out *o, const char *p, size_t n)
{
	size_t all = n;

	while (n > 0) {
		ssize_t k = write(o->fd, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EINVAL && o->direct && o->written == o->sent) {
				_direct_off(o); /* refused from the start */
				continue;
			}
			if (!o->err)
				o->err = errno;
			return -1;
		}
		p += k;
		n -= (size_t)k;
		if (n > 0 && o->direct)
			_direct_off(o); /* short: the rest is not aligned */
	}
	if (o->nocache)
		_nocache(o, all);
	return 0;
}

/* Write the buffer out: writing direct, only its whole blocks unless
 * all (the rest moves to its start). */
static int
_flush(out *o, int all)
{
	size_t n = o->direct && !all ? o->len & ~(size_t)(ALIGN - 1) : o->len;
	int rc = 0;

	if (o->take) { /* out_take(): the buffer changes hands */
		char *b;

		if (o->len == 0)
			return 0;
		if (!(b = o->take(o->take_arg, o->buf, o->len, o->cap))) {
			o->buf = NULL;
			o->len = o->cap = 0;
			if (!o->err)
				o->err = ENOMEM;
			errno = o->err;
			return -1;
		}
		o->buf = b;
		o->len = 0;
		return 0;
	}
	if (o->direct && all && n % ALIGN != 0) {
		rc = _flush(o, 0);
		_direct_off(o); /* the last, partial block through the cache */
		n = o->len;
	}
	if (n > 0 && _write_all(o, o->buf, n) < 0)
		rc = -1;
	if (rc < 0)
		n = o->len;
	if (n < o->len)
		memmove(o->buf, o->buf + n, o->len - n);
	o->len -= n;
	if (rc < 0)
		errno = o->err;
	return rc;
}

/* Empty the buffer. */
int
out_flush(out *o)
{
	return _flush(o, 1);
}

/* Room for n bytes, flushing or growing as needed. */
char *
out_room(out *o, size_t n)
{
	if (o->len + n > o->cap) {
		if (o->len > 0 && o->len + n > BLOCK)
			_flush(o, 0);
		if (o->len + n > o->cap) {
			size_t cap = o->cap ? o->cap : o->direct ? 2 * BLOCK : BLOCK;

			while (cap < o->len + n)
				cap *= 2;
			if (_grow(o, cap) < 0)
				return NULL;
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
		_flush(o, 0);
}

/* Copy bytes in; half a block or more is written as it is. */
int
out_write(out *o, const char *s, size_t n)
{
	char *p;

	if (n >= BLOCK / 2 && !o->direct && !o->take) {
		out_flush(o);
		_write_all(o, s, n);
		return 0;
	}
	while (n > 0) { /* direct or taken: through the buffer */
		size_t k = n < BLOCK ? n : BLOCK;

		if (!(p = out_room(o, k)))
			return -1;
		memcpy(p, s, k);
		out_commit(o, k);
		s += k;
		n -= k;
	}
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

	if (o->take)
		o->take(o->take_arg, NULL, 0, 0); /* the end */
	if (o->nocache && !o->direct && o->written > o->dropped)
		_drop(o, o->written);

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
