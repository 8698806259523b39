/* grow: room for one more element of an array that grows by doubling, so
 * that n appends cost O(n) copies in all. */
#ifndef GROW_H
#define GROW_H

#include <stddef.h>

/* p (an array with room for *cap elements of `size` bytes) with room for
 * at least `need`: p itself when it has it, else a larger block (the room
 * doubles, from 16) and *cap updated.  NULL when out of memory or when the
 * size overflows; then p and *cap are left as they were. */
void *grow(void *p, size_t *cap, size_t need, size_t size) __attribute__((warn_unused_result));

#endif
