/* out: a buffered output stream that rows are formatted into directly.
 *
 * A writer asks for room (out_room), writes its bytes there and commits
 * how many it used (out_commit): a row is built once, in place, and leaves
 * by write(2) in large blocks.  Every write error is kept and reported by
 * out_close(), so a full disk is an error, never silent truncation. */
#ifndef OUT_H
#define OUT_H

#include <stddef.h>

typedef struct out {
	int fd;
	int own; /* the fd was opened here and is closed by out_close() */
	int err; /* errno of the first failed write, 0 if none */
	char *buf;
	size_t len, cap;
} out;

/* Write to an open file descriptor. */
void out_init(out *o, int fd);

/* Create or truncate path ("-" is stdout); 0, or -1 with errno set. */
int out_open(out *o, const char *path);

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
