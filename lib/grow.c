/* grow: doubling arrays. */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

/* Double until need fits. */
void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return p;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return NULL;
		n *= 2;
	}
	if (size && n > SIZE_MAX / size)
		return NULL;
	if (!(q = realloc(p, n * size)))
		return NULL;
	*cap = n;
	return q;
}
