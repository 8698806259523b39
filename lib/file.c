/* file: regular files only, opened without blocking. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* open(2) without waiting, fstat, then a stream for it. */
FILE *
file_open_regular(const char *path, int *kind)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), flags;
	FILE *fp;

	*kind = FILE_REGULAR;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		*kind = S_ISDIR(st.st_mode)			     ? FILE_DIRECTORY
			: S_ISFIFO(st.st_mode)			     ? FILE_FIFO
			: S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? FILE_DEVICE
								     : FILE_OTHER;
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ||
	    !(fp = fdopen(fd, "rb"))) {
		close(fd);
		return NULL;
	}
	return fp;
}

/* For messages. */
const char *
file_kind_name(int kind)
{
	switch (kind) {
	case FILE_REGULAR: return "a regular file";
	case FILE_DIRECTORY: return "a directory";
	case FILE_FIFO: return "a FIFO";
	case FILE_DEVICE: return "a device";
	default: return "not a regular file";
	}
}
