/* reject: the vocabulary in SPEC 11's order and the row format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reject.h"
#include "schema.h"
#include "suites.h"
#include "util.h"

#include <unistd.h>

static const char *const spec_order[] = {
	"malformed_csv",
	"field_count",
	"bad_utf8",
	"bad_char",
	"bad_id",
	"duplicate",
	"bad_date",
	"future",
	"unknown_ship_mode",
	"unknown_reason",
	"unknown_currency",
	"bad_number",
	"negative_price",
	"negative_weight",
	"fraction_range",
	"nd_compensation",
	"unknown_payout",
	"no_rate",
	"no_entity",
	/* SPEC 12, 14, 16 */
	"bad_text",
	"unknown_invoice",
	"currency_mismatch",
	"not_request_mode",
	"open_request",
	"awaiting_invoice",
	"paid_before_payout",
};

_Static_assert(REJECT_NREASONS == sizeof spec_order / sizeof spec_order[0], "one name per reason");

START_TEST(test_names)
{
	ck_assert_str_eq(reject_name(_i), spec_order[_i]);
}
END_TEST

START_TEST(test_row)
{
	char *path = util_temp_file("", 0), *got;
	out o;
	size_t n;

	ck_assert_int_eq(out_open(&o, path), 0);
	ck_assert_int_eq(out_puts(&o, SCHEMA_REJECT_HEADER), 0);
	ck_assert_int_eq(
		reject_write(&o, "orders.csv", 7, REJECT_BAD_DATE, "shipped_at", "a\\tb", 4), 0);
	ck_assert_int_eq(reject_write(&o, "ads.tsv", 12, REJECT_NO_ENTITY, "", "", 0), 0);
	ck_assert_int_eq(out_close(&o), 0);
	got = util_read_file(path, &n);
	ck_assert_str_eq(got, "source\tline\treason\tfield\traw\n"
			      "orders.csv\t7\tbad_date\tshipped_at\ta\\tb\n"
			      "ads.tsv\t12\tno_entity\t\t\n");
	free(got);
	unlink(path);
	free(path);
}
END_TEST

Suite *
suite_reject(void)
{
	Suite *s = suite_create("reject");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_names, 0, REJECT_NREASONS);
	tcase_add_test(tc, test_row);
	suite_add_tcase(s, tc);
	return s;
}
