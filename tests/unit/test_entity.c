/* rules/entity: rules parsed and checked, first match wins. */
#include <string.h>

#include "rules/entity.h"
#include "schema.h"
#include "suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Rules added in order to one table, each with the code it must get. */
static const struct {
	const char *rule, *entity, *prefix;
	int rc;
} adds[] = {
	{"type:AD", "SIA", "SIA", ENTITY_OK},
	{"type:JLD", "SIA", "SIA", ENTITY_OK},
	{"type:IW", "SIA", "SIA", ENTITY_OK},
	{"country:US", "USA", "USA", ENTITY_OK},
	{"country:RU", "JMT", "JMT", ENTITY_OK},
	{"*", "SIA", "SIA", ENTITY_OK},
	{"type:XX", "SIA", "SIA", ENTITY_ETYPE},
	{"region:EU", "SIA", "SIA", ENTITY_ERULE},
	{"country:", "SIA", "SIA", ENTITY_ERULE},
	{"country:US", "USA", "USA", ENTITY_ETWICE},
	{"*", "SIA", "SIA", ENTITY_ETWICE},
	{"country:DE", "SIA", "EU", ENTITY_EPREFIX},
	{"country:DE", "GER", "USA", ENTITY_EPREFIX_USED},
	{"country:DE", "GER", "PO-GER", ENTITY_EPREFIX_KIND},
	{"country:DE", "GER", "CN-GER", ENTITY_EPREFIX_KIND},
};

static const struct {
	int type;
	const char *country, *entity;
} matches[] = {
	{TYPE_AD, "US", "SIA"}, /* type rules come first */
	{TYPE_R, "US", "USA"},	{TYPE_RCM, "RU", "JMT"}, {TYPE_R, "DE", "SIA"},
	{TYPE_IW, "", "SIA"},	{TYPE_ND, "", "SIA"}, /* no country: the * rule */
};

START_TEST(test_rules)
{
	entities e;
	int i;

	memset(&e, 0, sizeof e);
	for (i = 0; i < N(adds); i++) {
		entity_rule r;
		int rc = entity_rule_parse(adds[i].rule, &r);

		if (rc == ENTITY_OK)
			rc = entities_add(&e, r, adds[i].entity, adds[i].prefix);
		ck_assert_msg(rc == adds[i].rc, "rule %d (%s): %d", i, adds[i].rule, rc);
	}
	ck_assert_uint_eq(e.n, 3);
	ck_assert_uint_eq(e.nrule, 6);
	ck_assert_int_eq(entities_find(&e, "JMT"), 2);
	ck_assert_int_eq(entities_find_n(&e, "USAx", 3), 1);
	ck_assert_int_eq(entities_find(&e, "GER"), -1);
	for (i = 0; i < N(matches); i++)
		ck_assert_str_eq(e.name[entities_match(&e, matches[i].type, matches[i].country)],
				 matches[i].entity);
	entities_free(&e);
}
END_TEST

/* Without a * rule, a line may match nothing (no_entity). */
START_TEST(test_no_match)
{
	entities e;
	entity_rule r;

	memset(&e, 0, sizeof e);
	ck_assert_int_eq(entity_rule_parse("country:US", &r), ENTITY_OK);
	ck_assert_int_eq(entities_add(&e, r, "USA", "USA"), ENTITY_OK);
	ck_assert_int_eq(entities_match(&e, TYPE_R, "DE"), -1);
	ck_assert_int_eq(entities_match(&e, TYPE_AD, ""), -1);
	entities_free(&e);
}
END_TEST

Suite *
suite_entity(void)
{
	Suite *s = suite_create("rules/entity");
	TCase *tc = tcase_create("entity");

	tcase_add_test(tc, test_rules);
	tcase_add_test(tc, test_no_match);
	suite_add_tcase(s, tc);
	return s;
}
