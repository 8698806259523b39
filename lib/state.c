/* state: the period stamp and the number counters. */
#include "state.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "input.h"
#include "msg.h"
#include "out.h"
#include "period.h"
#include "rules/docno.h"

/* Check the stamp of dir against the run's period. */
int
estate_open(const char *dir, int period)
{
	char *path, want[PERIOD_ID_LEN + 1], got[64];
	FILE *fp;
	size_t n;
	int p;

	if (strcmp(dir, "none") == 0)
		return 0;
	period_format(period - 1, want);
	path = xjoin(dir, "period");
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
	free(path);
	return 1;
}

/* Compare the paths, then the directories they resolve to. */
void
estate_check_dirs(const char *in, const char *out)
{
	char rin[PATH_MAX], rout[PATH_MAX];

	if (strcmp(in, out) == 0 ||
	    (realpath(in, rin) && realpath(out, rout) && strcmp(rin, rout) == 0))
		msg_usage("--state-out must not be --state-in: the previous state is read while "
			  "the new one is written");
}

/* Create the directory, drop an old stamp. */
void
estate_begin(const char *dir)
{
	char *path;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		msg_fatal(EXIT_DATA, dir, 0, "cannot create directory:");
	path = xjoin(dir, "period");
	if (unlink(path) < 0 && errno != ENOENT)
		msg_fatal(EXIT_DATA, path, 0, "cannot remove the old stamp:");
	free(path);
}

/* Write the stamp through a temporary file and rename(2). */
void
estate_stamp(const char *dir, int period)
{
	char *path = xjoin(dir, "period"), *tmp, id[PERIOD_ID_LEN + 2], name[32];
	FILE *fp;

	snprintf(name, sizeof name, "period.%ld.tmp", (long)getpid());
	tmp = xjoin(dir, name);
	period_format(period, id);
	strcat(id, "\n");
	fp = fopen(tmp, "w");
	if (!fp)
		msg_fatal(EXIT_DATA, tmp, 0, "cannot open for writing:");
	fputs(id, fp);
	eclose(fp, tmp);
	if (rename(tmp, path) < 0)
		msg_fatal(EXIT_DATA, path, 0, "cannot rename into place:");
	free(path);
	free(tmp);
}

/* Read the counters. */
void
ecounters_load(counters *cs, const char *path, int optional)
{
	static const char *const cols[] = {"entity", "year", "last"};
	tsv_reader r;
	int x[3];

	memset(cs, 0, sizeof *cs);
	if (optional && access(path, F_OK) < 0)
		return;
	einput_open(&r, path);
	einput_require(&r, cols, x, 3);
	while (einput_next(&r)) {
		counter c;

		c.entity = xstrdup(einput_ident(&r, x[0]));
		c.year = (int)einput_count(&r, x[1]);
		c.last = einput_count(&r, x[2]);
		cs->c = xrealloc(cs->c, (cs->n + 1) * sizeof *cs->c);
		cs->c[cs->n++] = c;
	}
	tsv_close(&r);
}

/* Look up without adding. */
long
counters_last(const counters *cs, const char *entity, int year)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (cs->c[i].year == year && strcmp(cs->c[i].entity, entity) == 0)
			return cs->c[i].last;
	return 0;
}

/* Next number for (entity, year). */
long
ecounters_next(counters *cs, const char *entity, int year)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (cs->c[i].year == year && strcmp(cs->c[i].entity, entity) == 0) {
			if (cs->c[i].last >= DOCNO_NUMBER_MAX)
				msg_fatal(EXIT_DATA, NULL, 0,
					  "the %s series of %d is used up (%ld numbers)", entity,
					  year, cs->c[i].last);
			return ++cs->c[i].last;
		}
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
ecounters_save(const counters *cs, const char *path)
{
	out o;
	size_t i;

	if (cs->n > 1)
		qsort(cs->c, cs->n, sizeof *cs->c, _cmp);
	eout_open(&o, path);
	eout_puts(&o, "entity\tyear\tlast\n");
	for (i = 0; i < cs->n; i++) {
		char *p = eout_room(&o, strlen(cs->c[i].entity) + 2 * FMT_LONG_MAX + 1), *start = p;

		p = fmt_str(p, cs->c[i].entity, '\t');
		p = fmt_long(p, cs->c[i].year, '\t');
		p = fmt_long(p, cs->c[i].last, '\n');
		out_commit(&o, (size_t)(p - start));
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
