/* publish: put a finished folder in place of the one it replaces, in one
 * step.
 *
 *     publish NEW DEST
 *
 * When DEST exists, the two are exchanged with renameat2(RENAME_EXCHANGE):
 * at every instant DEST is either the old folder or the new one, never
 * missing, and NEW then holds the old one (the caller removes it).  When
 * DEST does not exist, NEW is renamed to it (RENAME_NOREPLACE: a DEST made
 * meanwhile is not overwritten).  Where the file system cannot exchange,
 * DEST is renamed to DEST.old first and NEW to DEST; a run killed between
 * the two leaves DEST.old, which `publish --recover DEST` puts back.
 * Exit status: 0 done, 1 an error (said on stderr), 2 usage. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"

static const char usage[] =
	"Usage: publish NEW DEST\n"
	"       publish --recover DEST\n"
	"\n"
	"Replace folder DEST by folder NEW in one step (renameat2 RENAME_EXCHANGE):\n"
	"DEST is never missing; NEW then holds the old DEST, to be removed.  When\n"
	"DEST does not exist NEW is renamed to it.  --recover puts back a DEST.old\n"
	"left by a run killed in the fallback for file systems that cannot exchange.\n"
	"\n"
	"Example:\n"
	"  publish out/.2024-03-1.tmp out/2024-03-1 && rm -rf out/.2024-03-1.tmp\n";

/* DEST.old in a new string. */
static char *
_old(const char *dest)
{
	size_t n = strlen(dest);
	char *p = xmalloc(n + 5);

	memcpy(p, dest, n);
	memcpy(p + n, ".old", 5);
	return p;
}

int
main(int argc, char **argv)
{
	const char *src, *dest;
	char *old;
	struct stat st;

	msg_setprog(argv[0]);
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		msg_help(usage);
	if (argc == 3 && strcmp(argv[1], "--recover") == 0) {
		dest = argv[2];
		old = _old(dest);
		if (lstat(dest, &st) < 0 && errno == ENOENT && lstat(old, &st) == 0 &&
		    rename(old, dest) < 0)
			msg_fatal(EXIT_DATA, old, 0, "cannot put back as %s:", dest);
		free(old);
		return EXIT_OK;
	}
	if (argc != 3)
		msg_usage("usage: publish NEW DEST | publish --recover DEST");
	src = argv[1];
	dest = argv[2];
	if (renameat2(AT_FDCWD, src, AT_FDCWD, dest, RENAME_EXCHANGE) == 0)
		return EXIT_OK;
	if (errno == ENOENT && lstat(dest, &st) < 0) {
		if (renameat2(AT_FDCWD, src, AT_FDCWD, dest, RENAME_NOREPLACE) == 0 ||
		    (errno == EINVAL && rename(src, dest) == 0))
			return EXIT_OK;
		msg_fatal(EXIT_DATA, src, 0, "cannot rename to %s:", dest);
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		msg_fatal(EXIT_DATA, src, 0, "cannot exchange with %s:", dest);
	/* No exchange here: two renames, recoverable. */
	old = _old(dest);
	if (rename(dest, old) < 0)
		msg_fatal(EXIT_DATA, dest, 0, "cannot rename to %s:", old);
	if (rename(src, dest) < 0)
		msg_fatal(EXIT_DATA, src, 0, "cannot rename to %s:", dest);
	if (rename(old, src) < 0)
		msg_fatal(EXIT_DATA, old, 0, "cannot rename to %s:", src);
	free(old);
	return EXIT_OK;
}
