/* schema: the headers of the pipeline's internal TSV streams.
 *
 * Readers find columns by name and ignore the ones they do not know;
 * these strings fix the order in which each writer puts them.  docs/formats.md
 * describes every column. */
#ifndef SCHEMA_H
#define SCHEMA_H

/* normalize-orders -> apply-take-rate: one accepted input row. */
#define SCHEMA_EVENT_HEADER                                                                        \
	"kind\tsource\tline\tevent_id\torder_id\tmerchant_id\tat\tcurrency\t"                      \
	"ship_mode\tdest_country\tcategory\tshipped_at\tproduct_price\t"                           \
	"shipping_price\tjl_cost\treason\tfraction\tnd_compensation\tamount\t"                     \
	"declared_g\tactual_g\tcost_declared\tcost_actual\traw\n"

/* normalize-orders -> net-payouts: one accepted payouts-paid row. */
#define SCHEMA_CONFIRMATION_HEADER "source\tline\tpayout_no\tpaid_on\traw\n"

#endif
