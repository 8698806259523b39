/* state: the period stamp and the number counters. */
#include "state.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "msg.h"
#include "out.h"
#include "period.h"

/* dir/name. */
void
state_path(char *buf, size_t cap, const char *dir, const char *name)
{
	snprintf(buf, cap, "%s/%s", dir, name);
}

/* Check the stamp of dir against the run's period. */
int
state_open(const char *dir, int period)
{
	char path[4096], want[PERIOD_ID_LEN + 1], got[64];
	FILE *fp;
	size_t n;
	int p;

	if (strcmp(dir, "none") == 0)
		return 0;
	period_format(period - 1, want);
	state_path(path, sizeof path, dir, "period");
	fp = fopen(path, "r");
	if (!fp)
		msg_fatal(EXIT_USAGE, dir, 0,
			  "not a state directory (no readable 'period' file): the state of %s is "
			  "needed",
			  want);
	n = fread(got, 1, sizeof got - 1, fp);
	fclose(fp);
	got[n] = '\0';
	while (n > 0 && (got[n - 1] == '\n' || got[n - 1] == '\r'))
		got[--n] = '\0';
	if (period_parse(got, n, &p) < 0)
		msg_fatal(EXIT_USAGE, path, 0, "not a period: '%s'", got);
	if (p != period - 1)
		msg_fatal(EXIT_USAGE, dir, 0,
			  "this is the state of %s; the run needs the state of %s", got, want);
	return 1;
}

/* Compare the paths, then the directories they resolve to. */
void
state_check_dirs(const char *in, const char *out)
{
	char rin[PATH_MAX], rout[PATH_MAX];

	if (strcmp(in, out) == 0 ||
	    (realpath(in, rin) && realpath(out, rout) && strcmp(rin, rout) == 0))
		msg_usage("--state-out must not be --state-in: the previous state is read while "
			  "the new one is written");
}

/* Create the directory, drop an old stamp. */
void
state_begin(const char *dir)
{
	char path[4096];

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		msg_fatal(EXIT_DATA, dir, 0, "cannot create directory:");
	state_path(path, sizeof path, dir, "period");
	if (unlink(path) < 0 && errno != ENOENT)
		msg_fatal(EXIT_DATA, path, 0, "cannot remove the old stamp:");
}

/* Write the stamp through a temporary file and rename(2). */
void
state_stamp(const char *dir, int period)
{
	char path[4096], tmp[4160], id[PERIOD_ID_LEN + 2];
	FILE *fp;

	state_path(path, sizeof path, dir, "period");
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	period_format(period, id);
	strcat(id, "\n");
	fp = fopen(tmp, "w");
	if (!fp)
		msg_fatal(EXIT_DATA, tmp, 0, "cannot open for writing:");
	fputs(id, fp);
	eclose(fp, tmp);
	if (rename(tmp, path) < 0)
		msg_fatal(EXIT_DATA, path, 0, "cannot rename into place:");
}

/* Read the counters. */
void
counters_load(counters *cs, const char *path, int optional)
{
	static const char *const cols[] = {"entity", "year", "last"};
	tsv_reader r;
	int x[3];

	memset(cs, 0, sizeof *cs);
	if (optional && access(path, F_OK) < 0)
		return;
	input_open(&r, path);
	input_require(&r, cols, x, 3);
	while (input_next(&r)) {
		counter c;

		c.entity = xstrdup(input_ident(&r, x[0]));
		c.year = (int)input_count(&r, x[1]);
		c.last = input_count(&r, x[2]);
		cs->c = xrealloc(cs->c, (cs->n + 1) * sizeof *cs->c);
		cs->c[cs->n++] = c;
	}
	tsv_close(&r);
}

/* Next number for (entity, year). */
long
counters_next(counters *cs, const char *entity, int year)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (cs->c[i].year == year && strcmp(cs->c[i].entity, entity) == 0)
			return ++cs->c[i].last;
	cs->c = xrealloc(cs->c, (cs->n + 1) * sizeof *cs->c);
	cs->c[cs->n].entity = xstrdup(entity);
	cs->c[cs->n].year = year;
	cs->c[cs->n].last = 1;
	return cs->c[cs->n++].last;
}

/* Entity, then year. */
static int
_cmp(const void *a, const void *b)
{
	const counter *x = a, *y = b;
	int c = strcmp(x->entity, y->entity);

	return c ? c : (x->year > y->year) - (x->year < y->year);
}

/* Write them out, sorted. */
void
counters_save(const counters *cs, const char *path)
{
	out o;
	size_t i;
	char row[256];

	if (cs->n > 1)
		qsort(cs->c, cs->n, sizeof *cs->c, _cmp);
	eout_open(&o, path);
	out_puts(&o, "entity\tyear\tlast\n");
	for (i = 0; i < cs->n; i++) {
		snprintf(row, sizeof row, "%s\t%d\t%ld\n", cs->c[i].entity, cs->c[i].year,
			 cs->c[i].last);
		out_puts(&o, row);
	}
	eout_close(&o, path);
}

/* Free. */
void
counters_free(counters *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		free(cs->c[i].entity);
	free(cs->c);
	memset(cs, 0, sizeof *cs);
}
