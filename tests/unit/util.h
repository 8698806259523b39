/* Helpers shared by the unit tests. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>

/* Write n bytes to a new temporary file; returns its path (free it and
 * unlink it when done). */
char *util_temp_file(const char *data, size_t n);

/* Make a new directory under $TMPDIR or /tmp into path (size n). */
void util_temp_dir(char *path, size_t n);

/* Read a whole file; *n gets its length.  NULL when it cannot be read. */
char *util_read_file(const char *path, size_t *n);

#endif
