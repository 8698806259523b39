/* config: entities.tsv and merchants.tsv loaded, checked, looked up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "msg.h"
#include "rules/payout.h"
#include "schema.h"
#include "suites.h"
#include "util.h"

#define N(a)   ((int)(sizeof(a) / sizeof((a)[0])))
#define S(lit) lit, sizeof(lit) - 1

/* ---- config: entity rules, first match wins. */
static const struct {
	int type;
	const char *country;
	const char *entity; /* NULL: no rule matches */
} match_cases[] = {
	{TYPE_AD, "", "SIA"},			       /* type rule before anything */
	{TYPE_JLD, "US", "SIA"},		       /* type rule beats the country rule */
	{TYPE_R, "US", "USA"},			       /* country rule */
	{TYPE_RJL, "RU", "JMT"}, {TYPE_R, "DE", NULL}, /* no * rule in this table */
	{TYPE_IW, "", NULL},			       /* no country: only type and * rules */
	{TYPE_R, "", NULL},
};

START_TEST(test_entities_match)
{
	char *path =
		util_temp_file(S("rule\tentity\tprefix\ntype:AD\tSIA\tSIA\ntype:JLD\tSIA\tSIA\n"
				 "country:US\tUSA\tUSA\ncountry:RU\tJMT\tJMT\n"));
	entities e;
	int k;

	econfig_entities(&e, path);
	ck_assert_uint_eq(e.n, 3);
	ck_assert_str_eq(e.prefix[entities_find(&e, "JMT")], "JMT");
	k = entities_match(&e, match_cases[_i].type, match_cases[_i].country);
	if (!match_cases[_i].entity)
		ck_assert_int_eq(k, -1);
	else
		ck_assert_str_eq(e.name[k], match_cases[_i].entity);
	entities_free(&e);
	unlink(path);
	free(path);
}
END_TEST

/* A merchant minimum in major units, rounded up to minor units. */
static const struct {
	int64_t micro;
	int digits;
	int64_t minor;
} min_cases[] = {
	{50000000, 2, 5000},			    /* 50 USD */
	{12345000, 2, 1235},			    /* 12.345 USD needs 12.35 */
	{12340000, 2, 1234}, {1, 2, 1},		    /* 0.000001 needs one cent */
	{0, 2, 0},	     {5000000000, 0, 5000}, /* 5000 JPY */
	{1500000, 0, 2},			    /* 1.5 JPY needs 2 */
	{1234500, 3, 1235},			    /* 1.2345 KWD needs 1.235 */
};

START_TEST(test_min_payout)
{
	merchant m;

	memset(&m, 0, sizeof m);
	m.min_payout = min_cases[_i].micro;
	ck_assert(merchant_min_payout(&m, min_cases[_i].digits) == min_cases[_i].minor);
}
END_TEST

START_TEST(test_merchants)
{
	char *path = util_temp_file(
		S("merchant_id\tlegal_name\taddress\tpostal_code\tcity\tcountry\tvat_id\t"
		  "payout_delay_days\tmin_payout\tpayout_ok\tfrozen\n"
		  "a\tA Ltd\t1 Road\t1000\tRiga\tLV\t\t14\t50\t1\t0\n"
		  "b\t  \t\t1000\tRiga\tLV\t\t\t\t0\t1\n"));
	merchants ms;
	const merchant *a, *b;
	char names[128];

	econfig_merchants(&ms, path);
	a = merchants_find(&ms, S("a"));
	b = merchants_find(&ms, S("b"));
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_null(merchants_find(&ms, S("c")));
	ck_assert_uint_eq(a->missing, 0);
	ck_assert_int_eq(a->delay_days, 14);
	ck_assert(a->min_payout == 50000000);
	ck_assert(a->payout_ok && !a->frozen);
	ck_assert_uint_eq(b->missing, MISSING_LEGAL_NAME | MISSING_ADDRESS);
	ck_assert(!b->payout_ok && b->frozen && b->delay_days == 0);
	merchants_missing_names(b->missing, names, sizeof names);
	ck_assert_str_eq(names, "legal_name, address");
	merchants_free(&ms);
	unlink(path);
	free(path);
}
END_TEST

/* Many merchants' texts, over several of the blocks they are kept in,
 * and an address longer than a block: each record reads back whole. */
START_TEST(test_merchants_many)
{
	enum { NM = 3000, LONG = 70000 };
	const char *head = "merchant_id\tlegal_name\taddress\tpostal_code\tcity\tcountry\tvat_id\t"
			   "payout_delay_days\tmin_payout\tpayout_ok\tfrozen\n";
	size_t cap = strlen(head) + (size_t)NM * 96 + LONG + 96, n = 0;
	char *data = malloc(cap), *path, id[16], name[32], *addr = malloc(LONG + 1);
	merchants ms;
	int i;

	ck_assert_ptr_nonnull(data);
	ck_assert_ptr_nonnull(addr);
	memset(addr, 'x', LONG);
	addr[LONG] = '\0';
	n += (size_t)snprintf(data + n, cap - n, "%s", head);
	for (i = 0; i < NM; i++)
		n += (size_t)snprintf(data + n, cap - n,
				      "m%05d\tName %d Ltd\t%s\t%d\tCity %d\tLV\tLV%d\t%d\t\t1\t0\n",
				      i, i, i == NM / 2 ? addr : "1 Road", 1000 + i, i, i, i % 30);
	path = util_temp_file(data, n);
	econfig_merchants(&ms, path);
	ck_assert_uint_eq(ms.n, NM);
	for (i = 0; i < NM; i++) {
		const merchant *m;

		snprintf(id, sizeof id, "m%05d", i);
		m = merchants_find(&ms, id, strlen(id));
		ck_assert_ptr_nonnull(m);
		ck_assert_str_eq(m->id, id);
		snprintf(name, sizeof name, "Name %d Ltd", i);
		ck_assert_str_eq(m->legal_name, name);
		ck_assert_str_eq(m->address, i == NM / 2 ? addr : "1 Road");
		snprintf(name, sizeof name, "%d", 1000 + i);
		ck_assert_str_eq(m->postal_code, name);
		snprintf(name, sizeof name, "City %d", i);
		ck_assert_str_eq(m->city, name);
		ck_assert_str_eq(m->country, "LV");
		snprintf(name, sizeof name, "LV%d", i);
		ck_assert_str_eq(m->vat_id, name);
		ck_assert_int_eq(m->delay_days, i % 30);
		ck_assert_uint_eq(m->missing, 0);
	}
	merchants_free(&ms);
	unlink(path);
	free(path), free(data), free(addr);
}
END_TEST

/* A merchant listed twice stops the run with status 1. */
START_TEST(test_merchants_twice)
{
	char *path = util_temp_file(
		S("merchant_id\tlegal_name\taddress\tpostal_code\tcity\tcountry\tvat_id\t"
		  "payout_delay_days\tmin_payout\tpayout_ok\tfrozen\n"
		  "a\tA\t1\t1\t1\tLV\t\t\t\t1\t0\na\tA\t1\t1\t1\tLV\t\t\t\t1\t0\n"));
	merchants ms;

	msg_setprog("unit");
	econfig_merchants(&ms, path);
}
END_TEST

/* payout_mode (SPEC 14): optional; auto, request or empty (auto). */
START_TEST(test_merchants_mode)
{
	char *path = util_temp_file(
		S("merchant_id\tlegal_name\taddress\tpostal_code\tcity\tcountry\tvat_id\t"
		  "payout_delay_days\tmin_payout\tpayout_ok\tfrozen\tpayout_mode\n"
		  "a\tA\t1\t1\t1\tLV\t\t\t\t1\t0\trequest\n"
		  "b\tB\t1\t1\t1\tLV\t\t\t\t1\t0\tauto\n"
		  "c\tC\t1\t1\t1\tLV\t\t\t\t1\t0\t\n"));
	char *without = util_temp_file(
		S("merchant_id\tlegal_name\taddress\tpostal_code\tcity\tcountry\tvat_id\t"
		  "payout_delay_days\tmin_payout\tpayout_ok\tfrozen\n"
		  "a\tA\t1\t1\t1\tLV\t\t\t\t1\t0\n"));
	merchants ms;

	econfig_merchants(&ms, path);
	ck_assert_int_eq(merchants_find(&ms, S("a"))->payout_mode, PAYOUT_MODE_REQUEST);
	ck_assert_int_eq(merchants_find(&ms, S("b"))->payout_mode, PAYOUT_MODE_AUTO);
	ck_assert_int_eq(merchants_find(&ms, S("c"))->payout_mode, PAYOUT_MODE_AUTO);
	merchants_free(&ms);
	econfig_merchants(&ms, without);
	ck_assert_int_eq(merchants_find(&ms, S("a"))->payout_mode, PAYOUT_MODE_AUTO);
	merchants_free(&ms);
	unlink(path), unlink(without);
	free(path), free(without);
}
END_TEST

/* Any other payout_mode stops the run with status 1. */
static const char *const bad_modes[] = {"Request", "requests", "manual", " "};

START_TEST(test_merchants_bad_mode)
{
	char row[256];
	char *path;
	merchants ms;

	snprintf(row, sizeof row,
		 "merchant_id\tlegal_name\taddress\tpostal_code\tcity\tcountry\tvat_id\t"
		 "payout_delay_days\tmin_payout\tpayout_ok\tfrozen\tpayout_mode\n"
		 "a\tA\t1\t1\t1\tLV\t\t\t\t1\t0\t%s\n",
		 bad_modes[_i]);
	path = util_temp_file(row, strlen(row));
	msg_setprog("unit");
	econfig_merchants(&ms, path);
}
END_TEST

/* ---- issuers.tsv: loaded, looked up; optional. */
#define ISSUERS_HEADER                                                                             \
	"entity\tlegal_name\taddress\tpostal_code\tcity\tcountry\tvat_id\tregistration\n"

static entities *
_two_entities(void)
{
	static entities e;
	char *path = util_temp_file(S("rule\tentity\tprefix\ntype:AD\tSIA\tSIA\n*\tUSA\tUSA\n"));

	econfig_entities(&e, path);
	unlink(path);
	free(path);
	return &e;
}

START_TEST(test_issuers)
{
	char *path =
		util_temp_file(S(ISSUERS_HEADER "SIA\tExample SIA\t1 Brivibas iela\tLV-1010\tRiga"
						"\tLV\tLV40000000000\t40000000000\n"));
	entities *e = _two_entities();
	const issuer *s;
	issuers is;

	econfig_issuers(&is, path, e);
	ck_assert_uint_eq(is.n, 1);
	s = issuers_find(&is, "SIA");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->legal_name, "Example SIA");
	ck_assert_str_eq(s->postal_code, "LV-1010");
	ck_assert_str_eq(s->registration, "40000000000");
	ck_assert_ptr_null(issuers_find(&is, "USA")); /* no row: shown by its code */
	issuers_free(&is);
	econfig_issuers(&is, NULL, e); /* optional: no file, no issuers */
	ck_assert_uint_eq(is.n, 0);
	ck_assert_ptr_null(issuers_find(&is, "SIA"));
	entities_free(e);
	unlink(path);
	free(path);
}
END_TEST

/* Each of these stops the run with status 1. */
static const char *const bad_issuers[] = {
	ISSUERS_HEADER "SIA\tA\t\t\t\t\t\t\nSIA\tB\t\t\t\t\t\t\n", /* twice */
	ISSUERS_HEADER "XYZ\tA\t\t\t\t\t\t\n",			   /* not an entity */
	ISSUERS_HEADER "SIA\t  \t1 Road\t\t\t\t\t\n",		   /* no legal name */
	ISSUERS_HEADER "SIA\tA\x01B\t\t\t\t\t\t\n",		   /* a control character */
	ISSUERS_HEADER "SIA\tA\t\xff\t\t\t\t\t\n",		   /* not UTF-8 */
	"entity\tlegal_name\n"
	"SIA\tA\n",			       /* columns missing */
	ISSUERS_HEADER "S A\tA\t\t\t\t\t\t\n", /* not an identifier */
};

START_TEST(test_issuers_bad)
{
	char *path = util_temp_file(bad_issuers[_i], strlen(bad_issuers[_i]));
	entities *e = _two_entities();
	issuers is;

	msg_setprog("unit");
	econfig_issuers(&is, path, e);
}
END_TEST

Suite *
suite_config(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_loop_test(tc, test_entities_match, 0, N(match_cases));
	tcase_add_loop_test(tc, test_min_payout, 0, N(min_cases));
	tcase_add_test(tc, test_merchants);
	tcase_add_test(tc, test_merchants_many);
	tcase_add_exit_test(tc, test_merchants_twice, EXIT_DATA);
	tcase_add_test(tc, test_merchants_mode);
	tcase_add_loop_exit_test(tc, test_merchants_bad_mode, EXIT_DATA, 0, N(bad_modes));
	tcase_add_test(tc, test_issuers);
	tcase_add_loop_exit_test(tc, test_issuers_bad, EXIT_DATA, 0, N(bad_issuers));
	suite_add_tcase(s, tc);
	return s;
}
