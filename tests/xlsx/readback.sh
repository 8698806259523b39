#!/bin/sh
# Read a period's workbooks back with LibreOffice and check every document
# cell by cell against the period's TSV files and configuration.
#
#   tests/xlsx/readback.sh DIR PERIOD [SORTED_LINES [CONFIG [REASONS]]]
#
# DIR holds invoices.tsv, payouts.tsv, payout-items.tsv and xlsx/; the lines
# are read from SORTED_LINES (grouped by document, as render-xlsx read them)
# or DIR/lines.tsv; issuers.tsv and merchants.tsv from CONFIG (default
# DIR/config, the configuration a period's run archives), each optional;
# the credit notes' reasons from REASONS (default DIR/reasons.tsv, when
# there is one: each credit-note line's reason cell must be its reason).
# Every workbook is converted by `soffice --headless --convert-to fods` (a
# private profile, so runs do not collide) and its cells listed with
# their value types and number formats (cells.awk); check.awk then checks
# each invoice and credit note of PERIOD (title, number, issue date and
# period as date cells, currency, total, payout, the issuer's and the
# merchant's details, every line in order over all its sheets, a table
# header on every sheet, the total row; amounts as numbers with the
# currency's decimals, thousands separated) and each payout with items
# (number, date, status and hold reason in words, amount, parties, items,
# subtotals per type, net total).  Amounts are compared as integers of
# minor units, never as floating point.  Prints one summary line; exit 1
# on any difference, naming it.
set -eu
dir=$1 period=$2 lines=${3:-$1/lines.tsv} config=${4:-$1/config} reasons=${5:-$1/reasons.tsv}
[ -f "$reasons" ] || reasons=/dev/null
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$dir/xlsx" -name '*.xlsx' | sort >"$work/books"
[ -s "$work/books" ] || { echo "no workbooks under $dir/xlsx"; exit 1; }
# One soffice process for all the files.
xargs "$here/soffice.sh" "$work/profile" --convert-to fods \
	--outdir "$work/fods" <"$work/books" >"$work/soffice.log" 2>&1 || {
	cat "$work/soffice.log"; exit 1; }
while read -r book; do
	base=$(basename "$book" .xlsx)
	[ -f "$work/fods/$base.fods" ] || { echo "$base: LibreOffice could not read it"; exit 1; }
	awk -v book="$base" -f "$here/cells.awk" "$work/fods/$base.fods"
done <"$work/books" >"$work/cells.tsv"
iss=/dev/null mer=/dev/null
[ -f "$config/issuers.tsv" ] && iss=$config/issuers.tsv
[ -f "$config/merchants.tsv" ] && mer=$config/merchants.tsv
awk -v period="$period" -f "$here/check.awk" "$dir/invoices.tsv" "$lines" \
	"$dir/payout-items.tsv" "$dir/payouts.tsv" "$iss" "$mer" "$reasons" "$work/cells.tsv"
