/* normalize-orders: SPEC 11's checks on a record (rules/checks), with the
 * duplicate-id set between them. */
#include "normalize.h"
#include "reject.h"

/* The checks that need no other row: the record's shape, the cut of
 * --as-of, the record's bytes, then the source's checks up to the
 * duplicate id, whose index goes to *at. */
int
record_precheck(const struct ctx *c, const struct record *r, size_t *at, int *col)
{
	check_row row = {r->field, r->flen, c->idx};
	check_values v;
	int reason = check_record(r->malformed, r->nfield, c->ncol, r->raw, r->rawlen, !c->in->csv);

	*at = 0;
	/* SPEC 13: a row dated after --as-of was not exported yet.  Only its
	 * shape must be whole, so that its deciding date is the right field. */
	if (c->opt->as_of != INT64_MIN && reason != REJECT_MALFORMED_CSV &&
	    reason != REJECT_FIELD_COUNT && check_after_as_of(c->src, &row, c->opt->as_of))
		return RECORD_AFTER_AS_OF;
	if (reason != CHECK_OK) {
		/* In a TSV row a CR or NUL is in a field; in CSV, a quoted field. */
		*col = check_record_field(r->field, r->flen, r->nfield, reason, !c->in->csv);
		return reason;
	}
	reason = checks_run(c->src, &row, c->future, &v, at);
	if (reason == CHECK_DUPLICATE)
		return CHECK_OK;
	*col = c->idx[(int)c->src->checks[*at].role];
	return reason;
}

/* The duplicate id and the checks after it, for a record that passed
 * record_precheck(); the id's hash was computed (and its slot fetched)
 * ahead. */
int
record_check(struct ctx *c, const struct record *r, uint64_t hash, size_t at, check_values *v,
	     int *col)
{
	check_row row = {r->field, r->flen, c->idx};
	int id = c->idx[c->src->primary], isnew, reason;

	*col = -1;
	if (strset_add_hashed(c->ids, r->field[id], r->flen[id], hash, &isnew) < 0)
		msg_fatal(EXIT_DATA, c->in->label, r->line, "out of memory for the id set");
	if (!isnew)
		return REJECT_DUPLICATE; /* about the record, not one column (SPEC 16) */
	at++;
	reason = checks_run(c->src, &row, c->future, v, &at);
	if (reason != CHECK_OK)
		*col = c->idx[(int)c->src->checks[at].role];
	return reason;
}
