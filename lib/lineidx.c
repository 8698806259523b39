/* lineidx: an index of a lines file by merchant (lineidx.h). */
#include "lineidx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
_put32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t
_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
_put64(unsigned char *p, uint64_t v)
{
	_put32(p, (uint32_t)v);
	_put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t
_get64(const unsigned char *p)
{
	return (uint64_t)_get32(p) | (uint64_t)_get32(p + 4) << 32;
}

void
lineidx_put_entry(unsigned char *p, uint32_t merchant, uint32_t len)
{
	_put32(p, merchant);
	_put32(p + 4, len);
}

void
lineidx_get_entry(const unsigned char *p, uint32_t *merchant, uint32_t *len)
{
	*merchant = _get32(p);
	*len = _get32(p + 4);
}

void
lineidx_put_trailer(unsigned char *p, const lineidx_meta *m)
{
	_put64(p, m->first);
	_put64(p + 8, m->size);
	_put64(p + 16, m->rows);
	_put64(p + 24, m->merchants);
	_put64(p + 32, m->names_len);
	memcpy(p + 40, LINEIDX_MAGIC, 8);
}

int
lineidx_get_trailer(const unsigned char *p, uint64_t file_size, lineidx_meta *m)
{
	if (memcmp(p + 40, LINEIDX_MAGIC, 8) != 0)
		return -1;
	m->first = _get64(p);
	m->size = _get64(p + 8);
	m->rows = _get64(p + 16);
	m->merchants = _get64(p + 24);
	m->names_len = _get64(p + 32);
	/* rows, ids and trailer fill the file exactly; the rows fit in the
	 * lines file, and every id has its NUL. */
	if (file_size < LINEIDX_TRAILER ||
	    m->rows > (file_size - LINEIDX_TRAILER) / LINEIDX_ENTRY || m->names_len > file_size ||
	    m->rows * LINEIDX_ENTRY + m->names_len + LINEIDX_TRAILER != file_size ||
	    m->first > m->size || m->rows > m->size - m->first || m->merchants > m->names_len)
		return -1;
	return 0;
}

int
lineidx_create(lineidx_writer *w, const char *path, uint64_t first)
{
	memset(w, 0, sizeof *w);
	w->m.first = first;
	w->m.size = first;
	return out_open(&w->o, path);
}

int
lineidx_add(lineidx_writer *w, uint32_t merchant, size_t len)
{
	unsigned char *p;

	if (len > UINT32_MAX) {
		errno = EFBIG;
		return -1;
	}
	p = (unsigned char *)out_room(&w->o, LINEIDX_ENTRY);
	if (!p)
		return -1;
	lineidx_put_entry(p, merchant, (uint32_t)len);
	out_commit(&w->o, LINEIDX_ENTRY);
	w->m.rows++;
	w->m.size += len;
	return 0;
}

int
lineidx_finish(lineidx_writer *w, const char *const *ids, size_t n)
{
	unsigned char t[LINEIDX_TRAILER];
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		size_t len = strlen(ids[i]) + 1;

		rc = out_write(&w->o, ids[i], len);
		w->m.names_len += len;
	}
	w->m.merchants = n;
	lineidx_put_trailer(t, &w->m);
	if (rc == 0)
		rc = out_write(&w->o, (const char *)t, sizeof t);
	return out_close(&w->o) < 0 ? -1 : rc;
}

/* Read n bytes at offset; 0, or -1 (errno set; EIO when cut short). */
static int
_pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	char *p = buf;

	while (n) {
		ssize_t k = pread(fd, p, n, (off_t)off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			return -1;
		}
		p += k, n -= (size_t)k, off += (uint64_t)k;
	}
	return 0;
}

int
lineidx_open(lineidx *x, const char *path)
{
	unsigned char t[LINEIDX_TRAILER];
	struct stat sb;
	uint64_t at, i, k;
	int saved;

	memset(x, 0, sizeof *x);
	x->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (x->fd < 0)
		return LINEIDX_EIO;
	if (fstat(x->fd, &sb) < 0)
		goto eio;
	if (sb.st_size < LINEIDX_TRAILER)
		goto eformat;
	if (_pread_all(x->fd, t, sizeof t, (uint64_t)sb.st_size - LINEIDX_TRAILER) < 0)
		goto eio;
	if (lineidx_get_trailer(t, (uint64_t)sb.st_size, &x->m) < 0)
		goto eformat;
	if (x->m.names_len > SIZE_MAX - 1 || !(x->names = malloc(x->m.names_len + 1))) {
		lineidx_close(x);
		return LINEIDX_ENOMEM;
	}
	at = x->m.rows * LINEIDX_ENTRY;
	if (_pread_all(x->fd, x->names, x->m.names_len, at) < 0)
		goto eio;
	/* As many ids as the trailer says, each ended by its NUL. */
	for (i = k = 0; i < x->m.names_len; i++)
		k += x->names[i] == '\0';
	if (k != x->m.merchants || (x->m.names_len && x->names[x->m.names_len - 1] != '\0'))
		goto eformat;
	return LINEIDX_OK;
eformat:
	lineidx_close(x);
	return LINEIDX_EFORMAT;
eio:
	saved = errno;
	lineidx_close(x);
	errno = saved;
	return LINEIDX_EIO;
}

long
lineidx_find(const lineidx *x, const char *id)
{
	const char *p = x->names, *end = x->names + x->m.names_len;
	long i;

	for (i = 0; p < end; i++) {
		size_t n = strlen(p);

		if (strcmp(p, id) == 0)
			return i;
		p += n + 1;
	}
	return -1;
}

int
lineidx_each(const lineidx *x, const unsigned char *want,
	     int (*fn)(void *arg, uint64_t row, uint64_t offset, uint32_t len, uint32_t merchant),
	     void *arg)
{
	enum { CHUNK = 8192 };
	unsigned char *buf = malloc(CHUNK * LINEIDX_ENTRY);
	uint64_t row = 0, off = x->m.first;
	int rc = LINEIDX_OK;

	if (!buf)
		return LINEIDX_ENOMEM;
	while (row < x->m.rows && rc == LINEIDX_OK) {
		uint64_t n = x->m.rows - row < CHUNK ? x->m.rows - row : CHUNK, i;

		if (_pread_all(x->fd, buf, (size_t)n * LINEIDX_ENTRY, row * LINEIDX_ENTRY) < 0) {
			rc = LINEIDX_EIO;
			break;
		}
		for (i = 0; i < n; i++) {
			uint32_t m, len;

			lineidx_get_entry(buf + i * LINEIDX_ENTRY, &m, &len);
			if (len == 0 || len > x->m.size - off) {
				rc = LINEIDX_EFORMAT;
				break;
			}
			if (m >= x->m.merchants) {
				rc = LINEIDX_EFORMAT;
				break;
			}
			if (want[m] && (rc = fn(arg, row + i, off, len, m)) != 0)
				break;
			off += len;
		}
		row += n;
	}
	if (rc == LINEIDX_OK && off != x->m.size)
		rc = LINEIDX_EFORMAT;
	free(buf);
	return rc;
}

void
lineidx_close(lineidx *x)
{
	if (x->fd >= 0)
		close(x->fd);
	free(x->names);
	x->fd = -1;
	x->names = NULL;
}
