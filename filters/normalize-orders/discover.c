/* normalize-orders: which files a drop is made of, in reading order. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "grow.h"
#include "normalize.h"
#include "period.h"

/* Source kind and format of a file name, or -1. */
int
drop_classify(const char *base, int *csv)
{
	const char *dot = strrchr(base, '.');

	if (!dot)
		return -1;
	if (strcmp(dot, ".csv") == 0)
		*csv = 1;
	else if (strcmp(dot, ".tsv") == 0)
		*csv = 0;
	else
		return -1;
	return check_source_by_name(base, (size_t)(dot - base));
}

/* The sources' names in reading order, for messages. */
const char *
drop_names(void)
{
	static char buf[256];
	size_t n = 0;
	int k;

	if (buf[0])
		return buf;
	for (k = 0; k < SRC_NSOURCES; k++)
		n += (size_t)snprintf(buf + n, n < sizeof buf ? sizeof buf - n : 0, "%s%s",
				      k ? ", " : "", check_source_of(k)->name);
	return buf;
}

/* 1 when a name reads as a drop file's in another case or with another
 * extension (Orders.CSV, orders.csv.gz, orders.xlsx): an export gone
 * wrong, not a file to skip. */
static int
_misnamed(const char *name)
{
	const char *dot = strchr(name, '.');
	size_t n = dot ? (size_t)(dot - name) : strlen(name);
	int k;

	for (k = 0; k < SRC_NSOURCES; k++) {
		const char *stem = check_source_of(k)->name;

		if (strlen(stem) == n && strncasecmp(stem, name, n) == 0)
			return 1;
	}
	return 0;
}

/* A drop file must be a regular file: a FIFO would hang the run, a
 * directory or a device is not an export. */
static void
_regular(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		msg_fatal(EXIT_DATA, path, 0, "cannot open:");
	if (!S_ISREG(st.st_mode))
		msg_fatal(EXIT_DATA, path, 0,
			  "%s, not a regular file: a drop file must be a file as exported",
			  S_ISDIR(st.st_mode)			       ? "a directory"
			  : S_ISFIFO(st.st_mode)		       ? "a FIFO"
			  : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
								       : "a special file");
}

/* Last path component. */
static const char *
_basename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Sort helper for directory listings. */
static int
_cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The inputs being collected. */
struct list {
	struct input *in;
	size_t n, cap;
};

/* Append one input; it owns path. */
static void
_add(struct list *l, char *path, int kind, int csv)
{
	l->in = xgrow(l->in, &l->cap, l->n + 1, sizeof *l->in);
	l->in[l->n].path = path;
	l->in[l->n].base = _basename(path);
	l->in[l->n].label = strcmp(path, "-") == 0 ? "<stdin>" : path;
	l->in[l->n].kind = kind;
	l->in[l->n].csv = csv;
	l->n++;
}

/* The files of a drop directory in their fixed order; other files are
 * named on stderr so that a misnamed export is not silently skipped. */
static void
_add_dir(struct list *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t nnames = 0, cap = 0, i;
	int k, csv;

	if (!d)
		msg_fatal(EXIT_DATA, dir, 0, "cannot read directory:");
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xgrow(names, &cap, nnames + 1, sizeof *names);
		names[nnames++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (nnames > 1)
		qsort(names, nnames, sizeof *names, _cmpstr);
	for (i = 0; i < nnames; i++) {
		int kc;

		if (drop_classify(names[i], &kc) >= 0)
			continue;
		if (_misnamed(names[i]))
			msg_fatal(EXIT_DATA, dir, 0,
				  "'%s' is named like a drop file but is not one: a drop file is "
				  "named exactly one of %s, with .csv or .tsv, in lower case, "
				  "uncompressed; rename or convert it",
				  names[i], drop_names());
		msg_warn(dir, 0, "'%s' is not a drop file (%s, as .csv or .tsv): ignored", names[i],
			 drop_names());
	}
	for (k = 0; k < SRC_NSOURCES; k++)
		for (csv = 1; csv >= 0; csv--)
			for (i = 0; i < nnames; i++) {
				int kc, kk = drop_classify(names[i], &kc);

				if (kk == k && kc == csv) {
					char *path = xjoin(dir, names[i]);

					_regular(path);
					_add(l, path, k, csv);
				}
			}
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
}

/* Period named by a drop directory (its last component), or -1. */
static int
_period_of_dir(const char *path)
{
	char *copy = xstrdup(path);
	size_t n = strlen(copy);
	int p = -1;

	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	if (period_parse(_basename(copy), strlen(_basename(copy)), &p) < 0)
		p = -1;
	free(copy);
	return p;
}

/* Directories are listed, files classified by name, '-' is --stdin-as. */
struct input *
drop_inputs(struct options *opt, size_t *n)
{
	struct list l = {NULL, 0, 0};
	struct stat st;
	int k, kind, csv;

	for (k = 0; k < opt->npaths; k++) {
		const char *p = opt->paths[k];

		if (strcmp(p, "-") == 0) {
			if (!opt->stdin_as)
				msg_usage("'-' (standard input) needs --stdin-as NAME, for example "
					  "--stdin-as orders.csv");
			kind = drop_classify(opt->stdin_as, &csv);
			_add(&l, xstrdup("-"), kind, csv);
			l.in[l.n - 1].base = opt->stdin_as;
			continue;
		}
		if (stat(p, &st) < 0)
			msg_fatal(EXIT_DATA, p, 0, "cannot open:");
		if (S_ISDIR(st.st_mode) && drop_classify(_basename(p), &csv) < 0) {
			if (opt->period < 0 && opt->npaths == 1)
				opt->period = _period_of_dir(p);
			_add_dir(&l, p);
			continue;
		}
		if ((kind = drop_classify(_basename(p), &csv)) < 0)
			msg_usage("'%s': not a drop file name (%s, with .csv or .tsv)", p,
				  drop_names());
		_regular(p);
		_add(&l, xstrdup(p), kind, csv);
	}
	*n = l.n;
	return l.in;
}
