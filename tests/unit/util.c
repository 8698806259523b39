/* Helpers shared by the unit tests. */
#include "util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* mkstemp under $TMPDIR or /tmp. */
char *
util_temp_file(const char *data, size_t n)
{
	const char *dir = getenv("TMPDIR");
	char *path = malloc(4096);
	int fd;

	snprintf(path, 4096, "%s/settle-unit-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	ck_assert_msg(fd >= 0, "mkstemp failed");
	ck_assert(write(fd, data, n) == (ssize_t)n);
	close(fd);
	return path;
}

void
util_temp_dir(char *path, size_t n)
{
	const char *dir = getenv("TMPDIR");

	snprintf(path, n, "%s/settle-dir-XXXXXX", dir && *dir ? dir : "/tmp");
	ck_assert_msg(mkdtemp(path) != NULL, "mkdtemp failed");
}

/* Slurp a file. */
char *
util_read_file(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *p;
	long len;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	p = malloc((size_t)len + 1);
	*n = fread(p, 1, (size_t)len, fp);
	p[*n] = '\0';
	fclose(fp);
	return p;
}
