/* runsort: merge the sorted runs of a nearly sorted array. */
#include "runsort.h"

#include <stdlib.h>
#include <string.h>

/* Merge a[lo..mid) and a[mid..hi), both sorted, through tmp. */
static void
_merge(long *a, long *tmp, size_t lo, size_t mid, size_t hi, int (*cmp)(const void *, const void *))
{
	size_t i = lo, j = mid, k = 0;

	if (cmp(&a[mid - 1], &a[mid]) <= 0)
		return; /* already in order */
	while (i < mid && j < hi)
		tmp[k++] = cmp(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
	while (i < mid)
		tmp[k++] = a[i++];
	/* What is left of the right run is in place already. */
	memcpy(a + lo, tmp, k * sizeof *a);
}

void
runsort(long *a, size_t n, int (*cmp)(const void *, const void *))
{
	size_t start[RUNSORT_MAX_RUNS + 1], runs = 1, i, w;
	long *tmp;

	if (n < 2)
		return;
	start[0] = 0;
	for (i = 1; i < n; i++)
		if (cmp(&a[i - 1], &a[i]) > 0) {
			if (runs == RUNSORT_MAX_RUNS) {
				qsort(a, n, sizeof *a, cmp);
				return;
			}
			start[runs++] = i;
		}
	if (runs == 1)
		return;
	if (!(tmp = malloc(n * sizeof *tmp))) {
		qsort(a, n, sizeof *a, cmp);
		return;
	}
	start[runs] = n;
	/* Merge neighbours until one run is left. */
	while (runs > 1) {
		for (i = 0, w = 0; i + 1 < runs; i += 2) {
			_merge(a, tmp, start[i], start[i + 1], start[i + 2], cmp);
			start[w++] = start[i];
		}
		if (i < runs)
			start[w++] = start[i];
		start[w] = n;
		runs = w;
	}
	free(tmp);
}
