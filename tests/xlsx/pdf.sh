#!/bin/sh
# Print workbooks as a merchant would: LibreOffice renders each to PDF, and
# every page must be A4 and carry the table's header row with its Amount
# column (so that the sheet fits the page width: a column that spilled
# over would land on pages of its own) and "Page k of N" in its header.
#
#   tests/xlsx/pdf.sh FILE.xlsx...
#
# Prints one line per workbook: its pages and what each holds; exit 1
# when a page lacks any of it.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$(dirname "$0")/soffice.sh" "$work/profile" --convert-to pdf \
	--outdir "$work" "$@" >"$work/soffice.log" 2>&1 || { cat "$work/soffice.log"; exit 1; }
bad=0
for book in "$@"; do
	name=$(basename "$book" .xlsx)
	pdf=$work/$name.pdf
	[ -f "$pdf" ] || { echo "$name: no PDF"; bad=1; continue; }
	pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
	size=$(pdfinfo "$pdf" | sed -n 's/^Page size: *//p')
	case $size in *"(A4)"*) ;; *) echo "$name: page size $size, not A4"; bad=1 ;; esac
	k=1
	while [ "$k" -le "$pages" ]; do
		pdftotext -layout -f "$k" -l "$k" "$pdf" "$work/page.txt"
		grep -q "Page $k of $pages" "$work/page.txt" || { echo "$name: page $k has no 'Page $k of $pages'"; bad=1; }
		grep -q "$name" "$work/page.txt" || { echo "$name: page $k does not name the document"; bad=1; }
		grep -q 'Amount' "$work/page.txt" || { echo "$name: page $k has no Amount column"; bad=1; }
		k=$((k + 1))
	done
	# The last page ends with the total, on the same line as its label.
	pdftotext -layout -f "$pages" -l "$pages" "$pdf" "$work/page.txt"
	total=$(grep -E '^ *(Total|Net total) ' "$work/page.txt" | tail -n 1 | awk '{ print $NF }')
	echo "$name: $pages A4 page(s), each with the table header, the document number and its page number; total $total"
done
exit $bad
