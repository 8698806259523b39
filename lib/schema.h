/* schema: the headers of the pipeline's internal TSV streams.
 *
 * Readers find columns by name and ignore the ones they do not know;
 * these strings fix the order in which each writer puts them.  docs/formats.md
 * describes every column. */
#ifndef SCHEMA_H
#define SCHEMA_H

#include <stddef.h>

#include "ident.h"

/* The streams between the money stages are laid out for the stage that
 * reads them: the columns it copies come in runs, which it copies whole
 * when a file has them in this order (and column by column otherwise).
 *
 * normalize-orders -> apply-take-rate: one accepted input row.  Its raw
 * record stays behind: a later stage that turns it away names it by
 * source and line, and the pipeline fetches the raw bytes once, at the
 * end (fetch-raw). */
#define SCHEMA_EVENT_HEADER                                                                        \
	"merchant_id\tcurrency\tevent_id\torder_id\tat\tkind\tsource\tline\tdest_country\t"        \
	"ship_mode\tcategory\tshipped_at\tproduct_price\tshipping_price\tjl_cost\treason\t"        \
	"fraction\tnd_compensation\tamount\tdeclared_g\tactual_g\tcost_declared\tcost_actual\n"

/* apply-take-rate -> split-by-entity: one event with its invoice lines
 * (SPEC 6's tables give at most four), each a type and an amount; the
 * slots past the event's lines are empty.  An audit within tolerance has
 * no line and no row. */
#define SCHEMA_PRICED_HEADER                                                                       \
	"period\tmerchant_id\tcurrency\tevent_id\torder_id\tat\tlate\tkind\tsource\tline\t"        \
	"dest_country\ttype_1\tamount_1\ttype_2\tamount_2\ttype_3\tamount_3\ttype_4\t"             \
	"amount_4\n"

/* split-by-entity -> build-invoices: the same with each line's entity in
 * the place of the destination country. */
#define SCHEMA_ASSIGNED_HEADER                                                                     \
	"period\tmerchant_id\tcurrency\tevent_id\torder_id\tat\tlate\tkind\tsource\tline\t"        \
	"entity_1\ttype_1\tamount_1\tentity_2\ttype_2\tamount_2\tentity_3\ttype_3\t"               \
	"amount_3\tentity_4\ttype_4\tamount_4\n"

/* The line slots of the two above. */
enum { SCHEMA_SLOTS = 4 };

/* lines.tsv (written by build-invoices), split-by-entity's -o files, and
 * what build-invoices also reads: one invoice line with its entity;
 * `corrects` is the invoice a credit note's line corrects (SPEC 12), empty
 * for the others. */
#define SCHEMA_LINE_HEADER                                                                         \
	"period\tentity\tmerchant_id\tcurrency\ttype\tamount\tevent_id\torder_id\t"                \
	"at\tlate\tkind\tsource\tline\tcorrects\n"

/* held.tsv and state/held.tsv: a line not invoiced yet, and why; a
 * credit note's line keeps its adjustment's reason for the document. */
#define SCHEMA_HELD_HEADER                                                                         \
	"period\tentity\tmerchant_id\tcurrency\ttype\tamount\tevent_id\torder_id\t"                \
	"at\tlate\tkind\tsource\tline\tcorrects\thold_reason\tadjustment_reason\n"

/* build-invoices -> net-payouts, and invoices.tsv (SPEC 7, 12): `kind` is
 * invoice or credit_note, `corrects` the invoice a credit note corrects. */
#define SCHEMA_INVOICE_HEADER                                                                      \
	"invoice_no\tentity\tmerchant_id\tcurrency\tperiod\ttype\tissued_on\tlines\t"              \
	"amount\tstatus\tpayout_no\tkind\tcorrects\n"

/* net-payouts: payouts.tsv (SPEC 7, plus paid_on) and state/payouts.tsv. */
#define SCHEMA_PAYOUT_HEADER                                                                       \
	"payout_no\tentity\tmerchant_id\tcurrency\tpayout_date\tinvoices\tamount\t"                \
	"status\thold_reason\tpaid_on\n"

/* net-payouts: payout-items.tsv, the invoices (and credit notes) of each
 * new payout. */
#define SCHEMA_ITEM_HEADER "payout_no\tinvoice_no\ttype\tperiod\tamount\tkind\tcorrects\n"

/* net-payouts: balances.tsv, why money has not reached a merchant yet. */
#define SCHEMA_BALANCE_HEADER                                                                      \
	"merchant_id\tentity\tcurrency\tdue_invoices\tdue_amount\tpending_invoices\t"              \
	"pending_amount\tthreshold\tnext_due_date\tunpaid_payouts\t"                               \
	"unpaid_payout_amount\treason\n"

/* net-payouts --next: next-payouts.tsv of a forecast (SPEC 13), the
 * payout of each (merchant, entity, currency) with an open invoice. */
#define SCHEMA_NEXT_PAYOUT_HEADER                                                                  \
	"merchant_id\tentity\tcurrency\tpayout_date\tunpaid_due\texpected_due\tnet\t"              \
	"threshold\twill_pay\treason\n"

/* rejects.tsv and each stage's rejects (reject.h): the column whose check
 * failed, and the record as read (left empty by the stages after
 * normalize-orders: fetch-raw fills it from the drop). */
#define SCHEMA_REJECT_HEADER "source\tline\treason\tfield\traw\n"

/* normalize-orders -> net-payouts: one accepted payouts-paid row. */
#define SCHEMA_CONFIRMATION_HEADER "source\tline\tpayout_no\tpaid_on\traw\n"

/* normalize-orders -> net-payouts (SPEC 14): one accepted payout-requests
 * row, and one accepted merchant-invoices row.  Their raw records stay
 * behind, as the money stages' do (fetch-raw). */
#define SCHEMA_REQUEST_IN_HEADER                                                                   \
	"source\tline\trequest_id\tmerchant_id\tentity\tcurrency\trequested_at\n"
#define SCHEMA_MERCHANT_INVOICE_HEADER "source\tline\tpayout_no\tmerchant_invoice_no\treceived_at\n"

/* net-payouts: requests.tsv and state/requests.tsv (SPEC 14, plus the
 * threshold, the merchant's invoice and the payment date). */
#define SCHEMA_REQUEST_HEADER                                                                      \
	"request_id\tmerchant_id\tentity\tcurrency\trequested_at\tstatus\tpayout_no\t"             \
	"amount\treason\tthreshold\tmerchant_invoice_no\treceived_at\tpaid_on\n"

/* billing-calls: state/request-lines.tsv, the lines of request-mode
 * merchants' invoices without a payout, for their billing calls; by
 * entity, merchant_id, currency, the invoices in the order they were
 * issued. */
#define SCHEMA_REQUEST_LINE_HEADER                                                                 \
	"invoice_no\tentity\tmerchant_id\tcurrency\ttype\tevent_id\torder_id\tat\tamount\n"
/* normalize-orders -> build-invoices: one accepted adjustments row (SPEC
 * 12); `at` and `amount` canonical.  Whether its invoice was issued is
 * build-invoices' check (unknown_invoice, currency_mismatch). */
#define SCHEMA_ADJUSTMENT_HEADER                                                                   \
	"source\tline\tadjustment_id\tinvoice_no\tcurrency\tamount\treason\tat\tevent_id\n"

/* state/register/PERIOD.tsv: the documents a period's run issued, sorted
 * by number in byte order (docreg.h); index.tsv: the number ranges of
 * each segment per series. */
#define SCHEMA_REGISTER_HEADER                                                                     \
	"invoice_no\tentity\tmerchant_id\tcurrency\ttype\tperiod\tissued_on\tkind\n"
#define SCHEMA_REGISTER_INDEX_HEADER "segment\tkind\tprefix\tyear\tfirst\tlast\n"

/* build-invoices -> render-xlsx: the reason of each credit-note line
 * invoiced, in lines.tsv's order, with its invoice's key (docs/formats.md). */
#define SCHEMA_REASON_HEADER                                                                       \
	"entity\tmerchant_id\tcurrency\ttype\tcorrects\tadjustment_id\treason\n"

/* The columns of payouts.tsv that readers need, in this order. */
enum payout_col {
	PO_NO,
	PO_ENTITY,
	PO_MERCHANT,
	PO_CURRENCY,
	PO_DATE,
	PO_INVOICES,
	PO_AMOUNT,
	PO_STATUS,
	PO_HOLD,
	PO_NCOLS
};
extern const char *const schema_payout_cols[PO_NCOLS];

/* Invoice line types (SPEC 6) and their names as the help centre's table
 * gives them, for documents. */
enum line_type {
	TYPE_R,
	TYPE_RCM,
	TYPE_AD,
	TYPE_RJL,
	TYPE_JLO,
	TYPE_RJLCM,
	TYPE_JLOCM,
	TYPE_JLD,
	TYPE_ND,
	TYPE_IW,
	TYPE_NTYPES
};

/* The abbreviation of a type ("R", "RJLCM", ...). */
const char *schema_type_code(int type);

/* The invoice type's name ("Orders", "Refunds", "Joom Ads", ...). */
const char *schema_type_name(int type);

/* The type of an abbreviation s[0..n), or -1. */
int schema_type_of(const char *s, size_t n);

/* A document's key: entity, merchant_id, currency, type and the invoice it
 * corrects (empty for an invoice), tab-separated, into buf (SCHEMA_KEY_MAX
 * bytes, not NUL-terminated); its length, or 0 when a part is longer than
 * it can be (identifiers IDENT_MAX, a currency 3, a type 8 bytes). */
enum { SCHEMA_KEY_MAX = 3 * IDENT_MAX + 4 + 3 + 8 };
size_t schema_doc_key(char *buf, const char *entity, size_t en, const char *merchant, size_t mn,
		      const char *currency, size_t cn, const char *type, size_t tn,
		      const char *corrects, size_t kn);

/* A payout's (or invoice's) status in words, for documents ("created" is
 * "Created: not paid yet", ...); NULL for a code it does not know. */
const char *schema_status_name(const char *code);

/* A payout's hold reason in words ("" is "None", "frozen" "Payouts to the
 * merchant are frozen", ...); NULL for a code it does not know. */
const char *schema_hold_name(const char *code);
/* The `kind` column of invoices (SPEC 12): "invoice" or "credit_note" for
 * DOC_INVOICE and DOC_CREDIT_NOTE (rules/docno.h), "?" otherwise. */
const char *schema_kind_name(int kind);

/* The document kind of s[0..n) ("invoice", "credit_note"), or -1. */
int schema_kind_of(const char *s, size_t n);

#endif
