/* reject: reasons and rejects.tsv rows. */
#include "reject.h"

#include <string.h>

#include "fmt.h"

static const char *const names[REJECT_NREASONS] = {
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
	"bad_text",
	"unknown_invoice",
	"currency_mismatch",
	"not_request_mode",
	"open_request",
	"awaiting_invoice",
	"paid_before_payout",
};

/* Name of a reason code. */
const char *
reject_name(int reason)
{
	return reason >= 0 && reason < REJECT_NREASONS ? names[reason] : "unknown";
}

/* One row. */
int
reject_write(out *o, const char *source, long line, int reason, const char *field, const char *raw,
	     size_t rawlen)
{
	const char *name = reject_name(reason);
	size_t ns = strlen(source), nf = strlen(field);
	char *p = out_room(o, ns + strlen(name) + nf + rawlen + FMT_LONG_MAX + 3), *start = p;

	if (!p)
		return -1;
	p = fmt_field(p, source, ns, '\t');
	p = fmt_long(p, line, '\t');
	p = fmt_str(p, name, '\t');
	p = fmt_field(p, field, nf, '\t');
	p = fmt_field(p, raw, rawlen, '\n');
	out_commit(o, (size_t)(p - start));
	return 0;
}
