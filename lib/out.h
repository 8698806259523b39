/* out: a buffered output stream that rows are formatted into directly.
 *
 * A writer asks for room (out_room), writes its bytes there and commits
 * how many it used (out_commit): a row is built once, in place, and leaves
 * by write(2) in large blocks.  Every write error is kept and reported by
 * out_close(), so a full disk is an error, never silent truncation. */
#ifndef OUT_H
#define OUT_H

#include <stddef.h>
#include <sys/types.h>

/* out_take(): take(arg, buf, len, cap) keeps the full buffer buf (cap
 * bytes, the first len written) and returns an empty one of at least cap
 * bytes for the stream to go on with, or NULL (out of memory: an error
 * of the stream); take(arg, NULL, 0, 0) is the end of the stream. */
typedef char *out_take_fn(void *arg, char *buf, size_t len, size_t cap);

typedef struct out {
	int fd;
	int own;		      /* the fd was opened here and is closed by out_close() */
	int err;		      /* errno of the first failed write, 0 if none */
	int nocache;		      /* out_nocache() */
	int direct;		      /* out_nocache(), past the cache (O_DIRECT) */
	off_t written, sent, dropped; /* its offsets: see out.c */
	char *buf;
	size_t len, cap;
	out_take_fn *take; /* out_take(), or NULL */
	void *take_arg;
} out;

/* Write to an open file descriptor. */
void out_init(out *o, int fd);

/* Create or truncate path ("-" is stdout); 0, or -1 with errno set. */
int out_open(out *o, const char *path);

/* Give every full buffer to take() instead of writing it (o need have no
 * file: out_init(o, -1)), so that another thread writes or reads it
 * without a copy; out_close() gives the last one and then says the end.
 * Bytes go to take() in order, each once. */
void out_take(out *o, out_take_fn *take, void *arg);

/* Keep what is written out of the page cache: for a large file that
 * nothing reads again soon.  Where the file system allows it, the blocks
 * go from the buffer to the disk past the cache (O_DIRECT, 1 MiB a
 * write; the last partial block through the cache); else each 8 MiB is
 * sent to the disk as it is written, and the 8 MiB before it, once on
 * the disk, dropped from the cache, so that the file's pages are used
 * again for the next ones instead of new pages being taken (which on
 * some machines costs more than the writing: docs/performance.md).
 * out_close() waits for the rest to be written and drops it.  The bytes
 * written are the same.  Call it on a regular file, before writing or
 * at a multiple of 4 KiB for the direct writes; 0, or -1 with errno set
 * (not a regular file: the stream then writes as before). */
int out_nocache(out *o);

/* A pointer to at least n writable bytes at the end of the stream, or
 * NULL when out of memory. */
char *out_room(out *o, size_t n);

/* Keep n bytes written at the last out_room() pointer. */
void out_commit(out *o, size_t n);

/* Append bytes; 0 or -1. */
int out_write(out *o, const char *s, size_t n);

/* Append a C string; 0 or -1. */
int out_puts(out *o, const char *s);

/* Write the buffer out; 0, or -1 with errno set. */
int out_flush(out *o);

/* Flush, close an owned fd, free; 0, or -1 with errno set when any write
 * (or the close) failed. */
int out_close(out *o);

#endif
