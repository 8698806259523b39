/* file: opening input files safely. */
#ifndef FILE_H
#define FILE_H

#include <stdio.h>

enum file_kind { FILE_REGULAR, FILE_DIRECTORY, FILE_FIFO, FILE_DEVICE, FILE_OTHER };

/* Open path for reading when it is a regular file; a FIFO, a device or a
 * directory is not opened for good (nothing blocks on it: the open does
 * not wait for a writer).  NULL with errno set when it cannot be opened,
 * or NULL with *kind set to what it is when it is not a regular file. */
FILE *file_open_regular(const char *path, int *kind);

/* The name of a kind: "a directory", "a FIFO", ... */
const char *file_kind_name(int kind);

#endif
