/* reject: reasons and rejects.tsv rows. */
#include "reject.h"

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
reject_write_header(FILE *fp)
{
	return fputs("source\tline\treason\traw\n", fp);
}

/* One row. */
int
reject_write(FILE *fp, const char *source, long line, int reason, const char *raw, size_t rawlen)
{
	fprintf(fp, "%s\t%ld\t%s\t", source, line, reject_name(reason));
	fwrite(raw, 1, rawlen, fp);
	return fputc('\n', fp);
}
