/* strset: dense ids, binary-safe keys, growth. */
#include <stdio.h>
#include <string.h>

#include "strset.h"
#include "suites.h"

START_TEST(test_basic)
{
	strset s = {0};
	int isnew;
	size_t n;
	const char *k;

	ck_assert_int_eq(strset_find(&s, "a", 1), -1);
	ck_assert_int_eq(strset_add(&s, "a", 1, &isnew), 0);
	ck_assert_int_eq(isnew, 1);
	ck_assert_int_eq(strset_add(&s, "b", 1, &isnew), 1);
	ck_assert_int_eq(isnew, 1);
	ck_assert_int_eq(strset_add(&s, "a", 1, &isnew), 0);
	ck_assert_int_eq(isnew, 0);
	ck_assert_int_eq(strset_find(&s, "b", 1), 1);
	ck_assert_int_eq(strset_find(&s, "c", 1), -1);
	/* Keys are byte strings: a prefix, an embedded NUL and the empty key
	 * are all different members. */
	ck_assert_int_eq(strset_add(&s, "ab", 2, &isnew), 2);
	ck_assert_int_eq(strset_add(&s, "ab\0", 3, &isnew), 3);
	ck_assert_int_eq(strset_add(&s, "", 0, &isnew), 4);
	ck_assert_int_eq(isnew, 1);
	ck_assert_uint_eq(strset_count(&s), 5);
	k = strset_key(&s, 3, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert(memcmp(k, "ab\0", 3) == 0);
	strset_free(&s);
	ck_assert_uint_eq(strset_count(&s), 0);
}
END_TEST

/* Many members through several rehashes keep their ids. */
START_TEST(test_many)
{
	strset s = {0};
	char key[32];
	int i, isnew, n = 200000;

	for (i = 0; i < n; i++) {
		int len = snprintf(key, sizeof key, "order-%d", i);

		ck_assert_int_eq(strset_add(&s, key, (size_t)len, &isnew), i);
		ck_assert(isnew);
	}
	for (i = 0; i < n; i++) {
		int len = snprintf(key, sizeof key, "order-%d", i);

		ck_assert_int_eq(strset_find(&s, key, (size_t)len), i);
		ck_assert_int_eq(strset_add(&s, key, (size_t)len, &isnew), i);
		ck_assert(!isnew);
	}
	ck_assert_int_eq(strset_find(&s, "order-200000", 12), -1);
	ck_assert_uint_eq(strset_count(&s), (size_t)n);
	strset_free(&s);
}
END_TEST

/* Keys longer than the limit are refused, not truncated. */
START_TEST(test_too_long)
{
	static char big[STRSET_KEY_MAX + 1];
	strset s = {0};
	int isnew;

	memset(big, 'x', sizeof big);
	ck_assert_int_eq(strset_add(&s, big, sizeof big, &isnew), -1);
	ck_assert_int_eq(strset_add(&s, big, sizeof big - 1, &isnew), 0);
	strset_free(&s);
}
END_TEST

/* The prefetch steps follow a key's first slot and change nothing: on an
 * empty set, for members and for absent keys (whose first slot may hold
 * another key, or nothing), the lookups after them are those before
 * (under the sanitizers, every read they make is in bounds). */
START_TEST(test_prefetch_steps)
{
	static const struct {
		const char *key;
		long id; /* after the members below are added */
	} t[] = {
		{"m000001", 0},	    {"m000002", 1},  {"m099999", 99998},
		{"m100000", 99999}, {"m100001", -1}, {"", -1},
		{"m00000", -1},	    {"x", -1},	     {"m0000010", -1},
	};
	strset s = {0};
	char key[16];
	size_t k;
	int i, step, isnew;

	for (k = 0; k < sizeof t / sizeof t[0]; k++)
		for (step = 1; step <= 2; step++)
			strset_prefetch_step(&s, strset_hash(t[k].key, strlen(t[k].key)), step);
	for (i = 1; i <= 100000; i++) {
		int len = snprintf(key, sizeof key, "m%06d", i);

		ck_assert_int_eq(strset_add(&s, key, (size_t)len, &isnew), i - 1);
	}
	for (k = 0; k < sizeof t / sizeof t[0]; k++) {
		uint64_t h = strset_hash(t[k].key, strlen(t[k].key));

		strset_prefetch(&s, h);
		for (step = 1; step <= 2; step++)
			strset_prefetch_step(&s, h, step);
		ck_assert_int_eq(strset_find_hashed(&s, t[k].key, strlen(t[k].key), h), t[k].id);
	}
	ck_assert_uint_eq(strset_count(&s), 100000);
	strset_free(&s);
}
END_TEST

Suite *
suite_strset(void)
{
	Suite *s = suite_create("strset");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_too_long);
	tcase_add_test(tc, test_prefetch_steps);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
