/* reject: reasons and rejects.tsv rows. */
#include "reject.h"

#include <stdio.h>
#include <string.h>

static const char *const names[REJECT_NREASONS] = {
	"malformed_csv",   "field_count",      "bad_utf8",
	"bad_char",	   "bad_id",	       "duplicate",
	"bad_date",	   "future",	       "unknown_ship_mode",
	"unknown_reason",  "unknown_currency", "bad_number",
	"negative_price",  "negative_weight",  "fraction_range",
	"nd_compensation", "unknown_payout",   "no_rate",
	"no_entity",
};

/* Name of a reason code. */
const char *
reject_name(int reason)
{
	return reason >= 0 && reason < REJECT_NREASONS ? names[reason] : "unknown";
}

/* "source line reason raw". */
int
reject_write_header(out *o)
{
	return out_puts(o, "source\tline\treason\traw\n");
}

/* One row. */
int
reject_write(out *o, const char *source, long line, int reason, const char *raw, size_t rawlen)
{
	const char *name = reject_name(reason);
	size_t ns = strlen(source), nn = strlen(name);
	char *p = out_room(o, ns + nn + rawlen + 32);
	size_t k = 0;

	if (!p)
		return -1;
	memcpy(p, source, ns);
	k = ns;
	k += (size_t)sprintf(p + k, "\t%ld\t", line);
	memcpy(p + k, name, nn);
	k += nn;
	p[k++] = '\t';
	memcpy(p + k, raw, rawlen);
	k += rawlen;
	p[k++] = '\n';
	out_commit(o, k);
	return 0;
}
