/* totals: money per entity and currency. */
#include "totals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "money.h"
#include "msg.h"
#include "out.h"

/* One item. */
int
totals_add(totals *t, const char *entity, const char *currency, size_t col, int64_t amount)
{
	return totals_add_n(t, entity, currency, col, 1, amount);
}

/* 1 when recent entry e holds "entity\tcurrency" (ne and nc bytes). */
static int
_is_recent(const totals *t, unsigned e, const char *entity, size_t ne, const char *currency,
	   size_t nc)
{
	const char *k = t->recent[e].key;
	size_t i;

	if (t->recent[e].n != ne + 1 + nc || k[ne] != '\t')
		return 0;
	for (i = 0; i < ne; i++)
		if (k[i] != entity[i])
			return 0;
	for (i = 0; i < nc; i++)
		if (k[ne + 1 + i] != currency[i])
			return 0;
	return 1;
}

/* Find or make the row, then add: the recent rows first, compared in
 * place, the last one hit before the others (rows come in runs). */
int
totals_add_n(totals *t, const char *entity, const char *currency, size_t col, long count,
	     int64_t amount)
{
	size_t ne = strlen(entity), nc = strlen(currency), n = ne + 1 + nc, i;
	long id = -1;

	if (_is_recent(t, t->hit, entity, ne, currency, nc))
		id = t->recent[t->hit].id;
	for (i = 0; id < 0 && i < TOTALS_RECENT; i++)
		if (i != t->hit && _is_recent(t, (unsigned)i, entity, ne, currency, nc)) {
			id = t->recent[i].id;
			t->hit = (unsigned)i;
		}
	if (id < 0) {
		char small[256], *key = n <= sizeof small ? small : malloc(n);
		int isnew;

		if (!key)
			return -1;
		memcpy(key, entity, ne);
		key[ne] = '\t';
		memcpy(key + ne + 1, currency, nc);
		if ((id = strset_add(&t->rows, key, n, &isnew)) >= 0 && n <= TOTALS_RECENT_KEY) {
			i = t->next++ % TOTALS_RECENT;
			memcpy(t->recent[i].key, key, n);
			t->recent[i].n = n;
			t->recent[i].id = id;
			t->hit = (unsigned)i;
		}
		if (key != small)
			free(key);
	}
	if (id < 0 || col >= TOTALS_MAXCOLS)
		return -1;
	if ((size_t)id >= t->cap) {
		size_t cap = t->cap, cap2 = t->cap;
		void *a = grow(t->amount, &cap, (size_t)id + 1, sizeof *t->amount), *b;

		if (!a)
			return -1;
		t->amount = a;
		if (!(b = grow(t->count, &cap2, (size_t)id + 1, sizeof *t->count)))
			return -1;
		t->count = b;
		memset(t->amount + t->cap, 0, (cap - t->cap) * sizeof *t->amount);
		memset(t->count + t->cap, 0, (cap - t->cap) * sizeof *t->count);
		t->cap = cap;
	}
	t->count[id][col] += count;
	return money_add(t->amount[id][col], amount, &t->amount[id][col]) == MONEY_OK ? 0 : -1;
}

/* Rows by key, for a stable file. */
static _Thread_local const totals *sort_t;

static int
_cmp(const void *a, const void *b)
{
	size_t na, nb;
	const char *x = strset_key(&sort_t->rows, *(const long *)a, &na);
	const char *y = strset_key(&sort_t->rows, *(const long *)b, &nb);
	int k = memcmp(x, y, na < nb ? na : nb);

	return k ? k : (na > nb) - (na < nb);
}

/* Sorted row ids. */
long *
totals_order(const totals *t)
{
	size_t n = strset_count(&t->rows), i;
	long *order = malloc((n ? n : 1) * sizeof *order);

	if (!order)
		return NULL;
	for (i = 0; i < n; i++)
		order[i] = (long)i;
	sort_t = t;
	if (n > 1)
		qsort(order, n, sizeof *order, _cmp);
	return order;
}

/* One row per (entity, currency), sorted. */
void
etotals_write(const totals *t, const char *path, const char *const *cols, size_t ncols)
{
	size_t n = strset_count(&t->rows), i, c, len;
	long *order = totals_order(t);
	char buf[MONEY_FMT_MAX + 32];
	out o;

	if (!order)
		msg_fatal(EXIT_DATA, NULL, 0, "out of memory");
	eout_open(&o, path);
	eout_puts(&o, "entity\tcurrency");
	for (c = 0; c < ncols; c++) {
		snprintf(buf, sizeof buf, "\t%s_count\t%s", cols[c], cols[c]);
		eout_puts(&o, buf);
	}
	eout_puts(&o, "\n");
	for (i = 0; i < n; i++) {
		const char *key = strset_key(&t->rows, order[i], &len);
		int digits = money_currency_digits(key + len - 3, 3);

		eout_write(&o, key, len);
		for (c = 0; c < ncols; c++) {
			int k = snprintf(buf, sizeof buf, "\t%ld\t", t->count[order[i]][c]);

			money_format(t->amount[order[i]][c], digits, buf + k);
			eout_puts(&o, buf);
		}
		eout_puts(&o, "\n");
	}
	eout_close(&o, path);
	free(order);
}

/* Free. */
void
totals_free(totals *t)
{
	strset_free(&t->rows);
	free(t->amount);
	free(t->count);
	memset(t, 0, sizeof *t);
}
