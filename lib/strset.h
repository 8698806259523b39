/* strset: a set of byte strings that numbers its members 0, 1, 2, ...
 *
 * Used for the per-drop duplicate-id sets (tens of millions of short ids)
 * and as the key index of small maps: the id returned for a key indexes
 * the caller's own array of values.  Keys live in one arena (2-byte
 * length + bytes), the table holds a 24-bit hash tag and the id, so an id
 * costs about 30 bytes all told. */
#ifndef STRSET_H
#define STRSET_H

#include <stddef.h>
#include <stdint.h>

enum { STRSET_KEY_MAX = 65535 };

typedef struct strset {
	uint64_t *slot; /* 0 = empty, else tag << 40 | (id + 1) */
	size_t mask;
	size_t count;
	uint32_t *off; /* id -> offset of its key in the arena */
	size_t offcap;
	unsigned char *arena;
	size_t alen, acap;
} strset;

/* Make room for n members without further rehashing (a hint: the set
 * still grows past it); 0 or -1 when out of memory. */
int strset_reserve(strset *s, size_t n);

/* Add key k[0..n) unless present.  Returns its id (new or old) and sets
 * *isnew; -1 when out of memory or the key is longer than STRSET_KEY_MAX. */
long strset_add(strset *s, const char *k, size_t n, int *isnew);

/* strset_add() with the key's strset_hash() already computed. */
long strset_add_hashed(strset *s, const char *k, size_t n, uint64_t h, int *isnew);

/* Hint that the key of hash h will be added or looked up soon: its table
 * slot is fetched into the cache meanwhile. */
void strset_prefetch(const strset *s, uint64_t h);

/* The next steps of fetching the key of hash h ahead of its lookup, each
 * once the one before has had time (a batch of keys at a time): step 1
 * the offset of the entry its first slot names, step 2 the entry's bytes,
 * which the lookup compares.  Only the first slot is followed. */
void strset_prefetch_step(const strset *s, uint64_t h, int step);

/* strset_find() with the key's strset_hash() already computed. */
long strset_find_hashed(const strset *s, const char *k, size_t n, uint64_t h);

/* The id of key k[0..n), or -1 when absent. */
long strset_find(const strset *s, const char *k, size_t n);

/* The key of an id (not NUL-terminated); its length in *n. */
const char *strset_key(const strset *s, long id, size_t *n);

/* Number of members. */
size_t strset_count(const strset *s);

/* Compare the keys of ids a and b in byte order: < 0, 0 or > 0. */
int strset_cmp(const strset *s, long a, long b);

/* rank[id]: the position of id's key among all keys in byte order, so
 * that sorting by several keys compares integers; NULL when out of
 * memory.  Free it. */
long *strset_rank(const strset *s);

/* Forget all members and free the memory. */
void strset_free(strset *s);

/* The 64-bit hash used here, exposed for callers that shard by key. */
uint64_t strset_hash(const char *k, size_t n);

#endif
