/* rate: take rates by precedence, then by time. */
#include "rules/rate.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "money.h"

/* "merchant\tcategory" into buf (neither holds a tab); its length, or 0
 * when it does not fit. */
static size_t
_key(char *buf, size_t cap, const char *m, size_t mn, const char *c, size_t cn)
{
	if (mn + cn + 1 > cap)
		return 0;
	memcpy(buf, m, mn);
	buf[mn] = '\t';
	memcpy(buf + mn + 1, c, cn);
	return mn + cn + 1;
}

/* Keys are an identifier (or *) and a category: most fit on the stack;
 * a longer category takes the heap. */
enum { KEY_SMALL = 256 };

/* A key's buffer: buf when it fits, else a heap block (NULL: no memory). */
static char *
_key_buf(char *buf, size_t need)
{
	return need <= KEY_SMALL ? buf : malloc(need);
}

/* One row. */
int
rate_table_add(rate_table *t, const char *merchant, size_t mn, const char *category, size_t cn,
	       int64_t from, int64_t rate, long line)
{
	char small[KEY_SMALL], *key;
	size_t kn = mn + cn + 1;
	rate_row *rows;
	int isnew;
	rate_row r;

	if (rate < 0 || rate > MONEY_MICRO)
		return RATE_ERANGE;
	if (kn > STRSET_KEY_MAX)
		return RATE_ELONG;
	if (!(key = _key_buf(small, kn)))
		return RATE_ENOMEM;
	_key(key, kn, merchant, mn, category, cn);
	r.key = strset_add(&t->keys, key, kn, &isnew);
	if (key != small)
		free(key);
	if (r.key >= 0 && !(mn == 1 && merchant[0] == '*') &&
	    strset_add(&t->merchants, merchant, mn, &isnew) < 0)
		return RATE_ENOMEM;
	if (r.key < 0 || !(rows = grow(t->row, &t->cap, t->n + 1, sizeof *t->row)))
		return RATE_ENOMEM;
	t->row = rows;
	r.from = from;
	r.rate = rate;
	r.line = line;
	t->row[t->n++] = r;
	return RATE_OK;
}

/* By key, then valid_from. */
static int
_cmp(const void *a, const void *b)
{
	const rate_row *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->from < y->from ? -1 : x->from > y->from;
}

/* Sort, find repeated rows, index the keys. */
int
rate_table_finish(rate_table *t, long *line_a, long *line_b)
{
	size_t i, k = strset_count(&t->keys);

	if (t->n > 1)
		qsort(t->row, t->n, sizeof *t->row, _cmp);
	for (i = 1; i < t->n; i++)
		if (t->row[i].key == t->row[i - 1].key && t->row[i].from == t->row[i - 1].from) {
			long a = t->row[i - 1].line, b = t->row[i].line;

			*line_a = a < b ? a : b;
			*line_b = a < b ? b : a;
			return RATE_EDUP;
		}
	t->first = calloc(k + 1, sizeof *t->first);
	if (!t->first)
		return RATE_ENOMEM;
	for (i = t->n; i-- > 0;)
		t->first[t->row[i].key] = i;
	t->first[k] = t->n;
	t->any = strset_find(&t->keys, "*\t*", 3);
	return RATE_OK;
}

/* The rate of key's latest row from no later than at, or -1. */
static int64_t
_latest(const rate_table *t, long key, int64_t at)
{
	size_t lo = t->first[key], hi = t->first[key + 1];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->row[mid].from <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > t->first[key] ? t->row[lo - 1].rate : -1;
}

/* Probes in precedence order: (m, c), (m, *), (*, c), (*, *); the last
 * one's key id is known. */
int64_t
rate_table_find(const rate_table *t, const char *m, size_t mn, const char *c, size_t cn, int64_t at)
{
	const char *ms[4] = {m, m, "*", "*"}, *cs[4] = {c, "*", c, "*"};
	size_t mns[4] = {mn, mn, 1, 1}, cns[4] = {cn, 1, cn, 1};
	size_t need = (mn > 1 ? mn : 1) + (cn > 1 ? cn : 1) + 1;
	char small[KEY_SMALL], *key = _key_buf(small, need);
	int64_t rate = -1;
	int i;

	/* A merchant no row names has only the (*, c) and (*, *) rows. */
	for (i = strset_find(&t->merchants, m, mn) >= 0 ? 0 : 2; key && i < 4 && rate < 0; i++) {
		long id = i == 3 ? t->any
				 : strset_find(&t->keys, key,
					       _key(key, need, ms[i], mns[i], cs[i], cns[i]));

		if (id >= 0)
			rate = _latest(t, id, at);
	}
	if (key != small)
		free(key);
	return rate;
}

/* Free. */
void
rate_table_free(rate_table *t)
{
	strset_free(&t->keys);
	strset_free(&t->merchants);
	free(t->row);
	free(t->first);
	memset(t, 0, sizeof *t);
}
