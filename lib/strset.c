/* strset: arena-backed open-addressing string set with dense ids. */
#include "strset.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { TAG_SHIFT = 40 };
#define ID_MASK ((UINT64_C(1) << TAG_SHIFT) - 1)

/* murmur3's finaliser: full avalanche for the last step. */
static uint64_t
_fmix(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

/* Eight bytes at a time, then the tail; ids are short so this is cheap. */
uint64_t
strset_hash(const char *k, size_t n)
{
	uint64_t h = UINT64_C(0x9E3779B97F4A7C15) ^ n, w;

	while (n >= 8) {
		memcpy(&w, k, 8);
		h = (h ^ w) * UINT64_C(0x100000001b3);
		h = (h << 29) | (h >> 35);
		k += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, k, n);
	h ^= w;
	return _fmix(h);
}

/* Key bytes of an entry. */
static const unsigned char *
_entry(const strset *s, long id, size_t *n)
{
	const unsigned char *e = s->arena + s->off[id];

	*n = (size_t)e[0] | (size_t)e[1] << 8;
	return e + 2;
}

/* Slot index where key (hash h) is or would go. */
static size_t
_probe(const strset *s, const char *k, size_t n, uint64_t h, long *found)
{
	uint64_t tag = h >> TAG_SHIFT;
	size_t i = (size_t)h & s->mask;

	*found = -1;
	for (;;) {
		uint64_t v = s->slot[i];
		size_t kn;
		const unsigned char *kk;

		if (v == 0)
			return i;
		if (v >> TAG_SHIFT == tag) {
			long id = (long)((v & ID_MASK) - 1);

			kk = _entry(s, id, &kn);
			if (kn == n && memcmp(kk, k, n) == 0) {
				*found = id;
				return i;
			}
		}
		i = (i + 1) & s->mask;
	}
}

/* A zeroed table of nslots.  Large tables ask for huge pages: every probe
 * is a random access, and TLB misses would otherwise dominate. */
static uint64_t *
_table(size_t nslots)
{
	size_t bytes = nslots * sizeof(uint64_t);
	uint64_t *t;

	if (bytes < (size_t)4 << 20)
		return calloc(nslots, sizeof *t);
	if (posix_memalign((void **)&t, (size_t)2 << 20, bytes) != 0)
		return NULL;
	madvise(t, bytes, MADV_HUGEPAGE);
	memset(t, 0, bytes);
	return t;
}

/* Move every id into a table of nslots (a power of two). */
static int
_rehash(strset *s, size_t nslots)
{
	uint64_t *old = s->slot;
	size_t id;

	if (!(s->slot = _table(nslots))) {
		s->slot = old;
		return -1;
	}
	s->mask = nslots - 1;
	for (id = 0; id < s->count; id++) {
		size_t kn, i;
		const unsigned char *kk = _entry(s, (long)id, &kn);
		uint64_t h = strset_hash((const char *)kk, kn);

		i = (size_t)h & s->mask;
		while (s->slot[i])
			i = (i + 1) & s->mask;
		s->slot[i] = (h >> TAG_SHIFT) << TAG_SHIFT | (uint64_t)(id + 1);
	}
	free(old);
	return 0;
}

/* Table size for n members at a load of at most 0.7. */
static size_t
_slots_for(size_t n)
{
	size_t nslots = 1024;

	while (nslots * 7 < n * 10)
		nslots *= 2;
	return nslots;
}

/* Grow the table (and the id index) ahead of n members. */
int
strset_reserve(strset *s, size_t n)
{
	size_t nslots = _slots_for(n);

	if (s->slot && nslots <= s->mask + 1)
		return 0;
	if (n > s->offcap) {
		uint32_t *o = realloc(s->off, n * sizeof *o);

		if (!o)
			return -1;
		s->off = o;
		s->offcap = n;
	}
	return _rehash(s, nslots);
}

/* Insert unless present. */
long
strset_add(strset *s, const char *k, size_t n, int *isnew)
{
	return strset_add_hashed(s, k, n, strset_hash(k, n), isnew);
}

/* Start loading the slot a key will probe first. */
void
strset_prefetch(const strset *s, uint64_t h)
{
	if (s->slot)
		__builtin_prefetch(&s->slot[(size_t)h & s->mask]);
}

/* Follow the first slot of hash h one step further. */
void
strset_prefetch_step(const strset *s, uint64_t h, int step)
{
	uint64_t v;
	long id;

	if (!s->slot)
		return;
	v = s->slot[(size_t)h & s->mask];
	if (v == 0 || v >> TAG_SHIFT != h >> TAG_SHIFT)
		return;
	id = (long)((v & ID_MASK) - 1);
	if (step == 1)
		__builtin_prefetch(&s->off[id]);
	else
		__builtin_prefetch(s->arena + s->off[id]);
}

/* Insert with a known hash. */
long
strset_add_hashed(strset *s, const char *k, size_t n, uint64_t h, int *isnew)
{
	size_t i;
	long found;

	*isnew = 0;
	if (n > STRSET_KEY_MAX)
		return -1;
	if ((s->count + 1) * 10 > (s->slot ? s->mask + 1 : 0) * 7 &&
	    _rehash(s, s->slot ? (s->mask + 1) * 2 : 1024) < 0)
		return -1;
	i = _probe(s, k, n, h, &found);
	if (found >= 0)
		return found;
	if (s->alen + n + 2 > UINT32_MAX)
		return -1;
	if (s->alen + n + 2 > s->acap) {
		size_t cap = s->acap ? s->acap * 2 : 1 << 16;
		unsigned char *a;

		while (cap < s->alen + n + 2)
			cap *= 2;
		if (!(a = realloc(s->arena, cap)))
			return -1;
		s->arena = a;
		s->acap = cap;
	}
	if (s->count == s->offcap) {
		size_t cap = s->offcap ? s->offcap * 2 : 1024;
		uint32_t *o = realloc(s->off, cap * sizeof *o);

		if (!o)
			return -1;
		s->off = o;
		s->offcap = cap;
	}
	s->off[s->count] = (uint32_t)s->alen;
	s->arena[s->alen] = (unsigned char)(n & 0xff);
	s->arena[s->alen + 1] = (unsigned char)(n >> 8);
	memcpy(s->arena + s->alen + 2, k, n);
	s->alen += n + 2;
	s->slot[i] = (h >> TAG_SHIFT) << TAG_SHIFT | (uint64_t)(s->count + 1);
	*isnew = 1;
	return (long)s->count++;
}

/* Lookup only. */
long
strset_find(const strset *s, const char *k, size_t n)
{
	return strset_find_hashed(s, k, n, strset_hash(k, n));
}

/* Lookup with a known hash. */
long
strset_find_hashed(const strset *s, const char *k, size_t n, uint64_t h)
{
	long found;

	if (!s->slot)
		return -1;
	_probe(s, k, n, h, &found);
	return found;
}

/* Key of an id. */
const char *
strset_key(const strset *s, long id, size_t *n)
{
	return (const char *)_entry(s, id, n);
}

/* Member count. */
size_t
strset_count(const strset *s)
{
	return s->count;
}

/* Release all memory. */
void
strset_free(strset *s)
{
	free(s->slot);
	free(s->off);
	free(s->arena);
	memset(s, 0, sizeof *s);
}

/* Keys a and b in byte order: <0, 0, >0. */
int
strset_cmp(const strset *s, long a, long b)
{
	size_t na, nb;
	const char *ka = strset_key(s, a, &na), *kb = strset_key(s, b, &nb);
	int k = memcmp(ka, kb, na < nb ? na : nb);

	return k ? k : (na > nb) - (na < nb);
}

/* The set being ranked (qsort has no context argument). */
static _Thread_local const strset *rank_set;

/* Ids by key. */
static int
_cmp_ids(const void *a, const void *b)
{
	return strset_cmp(rank_set, *(const long *)a, *(const long *)b);
}

/* Sort the ids, then invert the permutation. */
long *
strset_rank(const strset *s)
{
	size_t n = strset_count(s), i;
	long *ids = malloc((n ? n : 1) * sizeof *ids), *rank = malloc((n ? n : 1) * sizeof *rank);

	if (!ids || !rank) {
		free(ids);
		free(rank);
		return NULL;
	}
	for (i = 0; i < n; i++)
		ids[i] = (long)i;
	rank_set = s;
	if (n > 1)
		qsort(ids, n, sizeof *ids, _cmp_ids);
	for (i = 0; i < n; i++)
		rank[ids[i]] = (long)i;
	free(ids);
	return rank;
}
