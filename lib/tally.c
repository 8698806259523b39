/* tally: named rows of counters. */
#include "tally.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "msg.h"
#include "out.h"

/* Find or make the row, then count. */
int
tally_add(tally *t, const char *name, size_t len, size_t col, long k)
{
	int isnew;
	long id;

	/* Rows come in runs of one name (a file's rows): the last name is
	 * checked before the set.  Its key stays where it is until the next
	 * name is added, which replaces it. */
	if (t->last_name && len == t->last_len && memcmp(name, t->last_name, len) == 0) {
		id = t->last;
	} else {
		id = strset_add(&t->rows, name, len, &isnew);
		if (id >= 0) {
			t->last = id;
			t->last_name = strset_key(&t->rows, id, &t->last_len);
		}
	}
	if (id < 0 || col >= TALLY_MAXCOLS)
		return -1;
	if ((size_t)id >= t->cap) {
		size_t cap = t->cap;
		long(*p)[TALLY_MAXCOLS] = grow(t->n, &cap, (size_t)id + 1, sizeof *t->n);

		if (!p)
			return -1;
		t->n = p;
		memset(t->n + t->cap, 0, (cap - t->cap) * sizeof *t->n);
		t->cap = cap;
	}
	t->n[id][col] += k;
	return 0;
}

/* One TSV row per name. */
void
etally_write(const tally *t, const char *path, const char *first_col, const char *const *cols,
	     size_t ncols)
{
	out o;
	size_t i, c, n;
	char num[32];

	eout_open(&o, path);
	eout_puts(&o, first_col);
	for (c = 0; c < ncols; c++) {
		eout_puts(&o, "\t");
		eout_puts(&o, cols[c]);
	}
	eout_puts(&o, "\n");
	for (i = 0; i < strset_count(&t->rows); i++) {
		const char *name = strset_key(&t->rows, (long)i, &n);

		eout_write(&o, name, n);
		for (c = 0; c < ncols; c++) {
			snprintf(num, sizeof num, "\t%ld", t->n[i][c]);
			eout_puts(&o, num);
		}
		eout_puts(&o, "\n");
	}
	eout_close(&o, path);
}

/* Free. */
void
tally_free(tally *t)
{
	strset_free(&t->rows);
	free(t->n);
	memset(t, 0, sizeof *t);
}
