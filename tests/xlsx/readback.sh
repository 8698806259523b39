#!/bin/sh
# Read a period's workbooks back with LibreOffice and check them against
# the period's TSV files.
#
#   tests/xlsx/readback.sh DIR PERIOD [SORTED_LINES [REASONS [CORRECTED]]]
#
# DIR holds invoices.tsv, payouts.tsv, payout-items.tsv and xlsx/; the lines
# are read from SORTED_LINES (grouped by invoice, as render-xlsx read them)
# or DIR/lines.tsv.  A credit note (SPEC 12) is checked too: its title,
# the invoice it cites, and with REASONS (TSV: corrects, adjustment_id,
# reason) each line's reason, with CORRECTED (register rows: invoice_no,
# period, issued_on) the cited invoice's issue date and period.  Every sheet of every workbook is exported to CSV by
# `soffice --headless --convert-to csv` (a private profile, so runs do not
# collide) and compared: each invoice of PERIOD has a workbook whose number,
# currency and total match, whose line rows (over all its sheets, in order)
# match its lines' order, event, date, late flag and amount, and whose
# total row matches; each payout with items has a workbook whose number,
# amount, items and total match.  Amounts are compared as integers of minor
# units, never as floating point.  Prints one summary line; exit 1 on any
# difference, naming it.
set -eu
dir=$1 period=$2 lines=${3:-$1/lines.tsv} reasons=${4:-/dev/null} corrected=${5:-/dev/null}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$dir/xlsx" -name '*.xlsx' | sort >"$work/books"
[ -s "$work/books" ] || { echo "no workbooks under $dir/xlsx"; exit 1; }
# One soffice process for all the files; all sheets: the last filter token.
xargs soffice -env:UserInstallation="file://$work/profile" --headless \
	--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
	--outdir "$work/csv" <"$work/books" >"$work/soffice.log" 2>&1 || {
	cat "$work/soffice.log"; exit 1; }
# Concatenate each workbook's sheets in sheet order: NAME, then NAME (2), ...
while read -r book; do
	base=$(basename "$book" .xlsx)
	first=$(ls "$work/csv/$base"-*.csv | grep -v ' ([0-9]*)\.csv$' | head -n 1)
	sheet=${first#"$work/csv/$base-"}
	sheet=${sheet%.csv}
	{
		cat "$first"
		k=2
		while [ -f "$work/csv/$base-$sheet ($k).csv" ]; do
			cat "$work/csv/$base-$sheet ($k).csv"
			k=$((k + 1))
		done
	} | sed "s/^/$base,/" >>"$work/all.csv"
done <"$work/books"
awk -v period="$period" -v linesfile="$lines" '
# Minor units of a decimal string with d decimals: digits only, no float.
function units(s, d,    neg, i, f) {
	neg = s ~ /^-/; sub(/^-/, "", s)
	i = s; f = ""
	if (index(s, ".")) { i = substr(s, 1, index(s, ".") - 1); f = substr(s, index(s, ".") + 1) }
	while (length(f) < d) f = f "0"
	return (neg ? "-" : "") (i f) + 0
}
# Split a CSV row of the export (quotes around fields with commas or
# quotes, a quote inside doubled).
function csv(line, out,    n, q, c, i, f) {
	n = 0; f = ""; q = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (c == "\"" && q && substr(line, i + 1, 1) == "\"") { f = f c; i++; continue }
		if (c == "\"") { q = !q; continue }
		if (c == "," && !q) { out[++n] = f; f = ""; continue }
		f = f c
	}
	out[++n] = f
	return n
}
BEGIN { FS = "\t" }
FILENAME == reasonsfile && FNR == 1 { for (i = 1; i <= NF; i++) rc[$i] = i; next }
FILENAME == reasonsfile { reason[$rc["corrects"], $rc["adjustment_id"]] = $rc["reason"]; nreasons++; next }
FILENAME == correctedfile && FNR > 1 { cperiod[$1] = $6; cissued[$1] = $7; ncorrected++; next }
FILENAME ~ /invoices.tsv$/ && FNR > 1 && $5 == period {
	inv[$1] = 1; cur[$1] = $4; total[$1] = $9; nlines[$1] = $8; corr[$1] = $13
	d = $9; sub(/^-/, "", d); digits[$1] = index(d, ".") ? length(d) - index(d, ".") : 0
	key[$2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 "\t" $13] = $1; ninv++; ncn += $13 != ""; next }
FILENAME == linesfile && FNR > 1 {
	k = key[$2 "\t" $3 "\t" $4 "\t" $1 "\t" $5 "\t" $14]
	if (k == "") { print "line of no invoice: " $0; bad++; next }
	n = ++want_n[k]; at = $9; sub(/T/, " ", at); sub(/Z$/, "", at)
	if ($14 != "") want_reason[k, n] = nreasons ? reason[$14, $7] : "?"
	want[k, n] = $8 "|" $7 "|" $11 "|" at "|" $10 "|" units($6, digits[k]); next }
FILENAME ~ /payout-items.tsv$/ && FNR > 1 { items[$1]++; want_item[$1, $2 "|" units($5, 4)]++; next }
FILENAME ~ /payouts.tsv$/ && FNR > 1 && ($1 in items) { pamount[$1] = $7; npo++; next }
FILENAME ~ /all.csv$/ {
	csv($0, f); book = f[1]
	if (f[2] == "Invoice number" || f[2] == "Payout number") { if (f[3] != book) { print book ": number " f[3]; bad++ } }
	if (f[2] == "Credit note number" && f[3] != book) { print book ": number " f[3]; bad++ }
	if (book in inv) {
		if (!(book in seen) && f[2] != (corr[book] != "" ? "Credit note" : "Invoice")) { print book ": title " f[2]; bad++ }
		seen[book] = 1
		if (f[2] == "Credit note number" || f[2] == "Corrects invoice") cited[book] += f[2] == "Corrects invoice"
		if (f[2] == "Corrects invoice" && f[3] != corr[book]) { print book ": cites " f[3] ", corrects " corr[book]; bad++ }
		if (f[2] == "Invoice issue date" && ncorrected && f[3] != cissued[corr[book]]) { print book ": cited issue date " f[3]; bad++ }
		if (f[2] == "Invoice period" && ncorrected && f[3] != cperiod[corr[book]]) { print book ": cited period " f[3]; bad++ }
		if (f[2] == "Currency" && f[3] != cur[book]) { print book ": currency " f[3]; bad++ }
		if (f[2] == "Total" && f[3] != "" && units(f[3], digits[book]) != units(total[book], digits[book])) { print book ": header total " f[3]; bad++ }
		if (f[2] == "Order" && f[5] == "Date (UTC)") { table[book] = 1; next }
		# Line rows always have a date; the total row has none.
		if (table[book] && f[5] == "" && f[2] == "Total") { if (units(f[7], digits[book]) != units(total[book], digits[book])) { print book ": total row " f[7]; bad++ } ; totrow[book]++; next }
		if (table[book] && f[5] != "") {
			n = ++got_n[book]
			g = f[2] "|" f[3] "|" f[4] "|" f[5] "|" f[6] "|" units(f[7], digits[book])
			if (g != want[book, n]) { print book ": line " n ": " g " != " want[book, n]; bad++ }
			if (corr[book] != "" && (f[8] == "" || (want_reason[book, n] != "?" && f[8] != want_reason[book, n]))) { print book ": line " n ": reason " f[8] " != " want_reason[book, n]; bad++ }
			if (corr[book] == "" && f[8] != "") { print book ": line " n ": a reason on an invoice"; bad++ }
		}
	} else if (book in pamount) {
		pseen[book] = 1
		if (f[2] == "Amount" && f[3] != pamount[book]) if (units(f[3], 4) != units(pamount[book], 4)) { print book ": amount " f[3]; bad++ }
		if (f[2] == "Type") { ptable[book] = 1; next }
		# Items are grouped by type in the workbook: compare as a multiset.
		if (ptable[book] && f[4] != "") {
			pgot[book]++
			k = book SUBSEP f[4] "|" units(f[6], 4)
			if (--want_item[k] < 0) { print book ": item " f[4] " " f[6] " not among its items"; bad++ }
		}
		if (f[2] == "Total" && units(f[6], 4) != units(pamount[book], 4)) { print book ": payout total " f[6]; bad++ }
	}
}
END {
	for (k in inv) {
		if (!seen[k]) { print k ": no workbook"; bad++; continue }
		if (got_n[k] != want_n[k] || got_n[k] != nlines[k]) { print k ": " got_n[k] " line rows, " want_n[k] " lines"; bad++ }
		if (totrow[k] != 1) { print k ": " totrow[k] " total rows"; bad++ }
		if (corr[k] != "" && cited[k] != 1) { print k ": does not cite the invoice it corrects"; bad++ }
	}
	for (p in pamount) {
		if (!pseen[p]) { print p ": no workbook"; bad++; continue }
		if (pgot[p] != items[p]) { print p ": " pgot[p] " item rows, " items[p] " items"; bad++ }
	}
	printf "%d invoices%s and %d payouts read back by LibreOffice: %s\n", ninv - ncn,
		ncn ? sprintf(", %d credit note%s", ncn, ncn == 1 ? "" : "s") : "", npo, bad ? bad " differences" : "every amount and date as in the TSV files"
	exit bad ? 1 : 0
}' reasonsfile="$reasons" correctedfile="$corrected" "$reasons" "$corrected" \
	"$dir/invoices.tsv" "$lines" "$dir/payout-items.tsv" "$dir/payouts.tsv" "$work/all.csv"
