# Check the cells of a period's workbooks (cells.awk's TSV, read back by
# LibreOffice) against the period's TSV files; see readback.sh.  Inputs,
# in order: invoices.tsv, the lines, payout-items.tsv, payouts.tsv,
# issuers.tsv, merchants.tsv and the credit notes' reasons (build-invoices
# --reasons) (each may be /dev/null), the cells.
# Columns of the TSV files are found by name.  Amounts are compared as
# integers of minor units, never as floating point.
function units(s, d,    neg, i, f) {
	neg = s ~ /^-/; sub(/^-/, "", s)
	i = s; f = ""
	if (index(s, ".")) { i = substr(s, 1, index(s, ".") - 1); f = substr(s, index(s, ".") + 1) }
	while (length(f) < d) f = f "0"
	return (neg ? "-" : "") (i f) + 0
}
# The decimals of a money string.
function decimals(s) { sub(/^-/, "", s); return index(s, ".") ? length(s) - index(s, ".") : 0 }
# Money as a spreadsheet shows it with #,##0.00: thousands separated.
function shown(s,    neg, i, f, out) {
	neg = s ~ /^-/; sub(/^-/, "", s)
	i = s; f = ""
	if (index(s, ".")) { i = substr(s, 1, index(s, ".") - 1); f = substr(s, index(s, ".")) }
	out = ""
	while (length(i) > 3) { out = "," substr(i, length(i) - 2) out; i = substr(i, 1, length(i) - 3) }
	return (neg && s !~ /^[0.]*$/ ? "-" : "") i out f
}
function last_day(y, m) {
	if (m == 2) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28
	return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31
}
# First and last day of a period YYYY-MM-H.
function first_of(p) { return substr(p, 1, 7) (substr(p, 9) == "1" ? "-01" : "-16") }
function last_of(p,    y, m) {
	y = substr(p, 1, 4) + 0; m = substr(p, 6, 2) + 0
	return substr(p, 1, 7) "-" (substr(p, 9) == "1" ? "15" : sprintf("%02d", last_day(y, m)))
}
function bad(msg) { print msg; nbad++ }
function header(    i) { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i }
function f(name) { return $(col[FILENAME, name]) }
# A header cell: label in column 1, value in column 2 (and 3).
function expect(book, label, c, type, value, format, text,    k) {
	k = book SUBSEP label SUBSEP c
	if (!(k in ctype)) { bad(book ": no " label " (column " c ")"); return }
	if (ctype[k] != type || (value != "" && cvalue[k] != value) || (format != "" && cformat[k] != format) || (text != "" && ctext[k] != text))
		bad(book ": " label ": " ctype[k] " " cvalue[k] " " cformat[k] " '" ctext[k] "', not " type " " value " " format " '" text "'")
}
function expect_text(book, label, c, text,    k) {
	k = book SUBSEP label SUBSEP c
	if (text == "") { if (k in ctype) bad(book ": " label " (column " c ") should be empty: '" ctext[k] "'"); return }
	expect(book, label, c, "string", "", "general", text)
}
function money_cell(book, where, type, value, format, text, want, d) {
	if (type != "float" || format != "num:" d ":1" || units(value, d) != units(want, d) || text != shown(want))
		bad(book ": " where ": " type " " value " " format " '" text "', not float " want " num:" d ":1 '" shown(want) "'")
}
function instant(v) { return v ~ /T/ ? v : v "T00:00:00" }
BEGIN { FS = "\t" }
FNR == 1 && FILENAME !~ /cells/ { header(); next }
FILENAME == ARGV[1] {
	if (f("period") != period) next
	no = f("invoice_no"); inv[no] = 1; ninv++
	cur[no] = f("currency"); amount[no] = f("amount"); d[no] = decimals(f("amount"))
	nlines[no] = f("lines"); ent[no] = f("entity"); mer[no] = f("merchant_id")
	payout[no] = col[FILENAME, "payout_no"] ? f("payout_no") : ""
	credit[no] = col[FILENAME, "kind"] && f("kind") == "credit_note"
	corr = col[FILENAME, "corrects"] ? f("corrects") : ""
	corrects_of[no] = corr
	key[f("entity") "\t" f("merchant_id") "\t" f("currency") "\t" f("type") "\t" corr] = no
	next
}
FILENAME == ARGV[2] {
	corr = col[FILENAME, "corrects"] ? f("corrects") : ""
	k = key[f("entity") "\t" f("merchant_id") "\t" f("currency") "\t" f("type") "\t" corr]
	if (k == "") { bad("line of no invoice: " $0); next }
	n = ++want_n[k]
	want[k, n] = f("event_id") "|" f("order_id") "|" f("at") "|" f("late") "|" f("amount")
	next
}
FILENAME == ARGV[3] { items[f("payout_no")]++; want_item[f("payout_no"), f("invoice_no")] = f("amount"); item_type[f("payout_no"), f("invoice_no")] = f("type"); next }
FILENAME == ARGV[4] {
	if (!(f("payout_no") in items)) next
	p = f("payout_no"); pay[p] = 1; npo++
	pamount[p] = f("amount"); pd[p] = decimals(f("amount")); pdate[p] = f("payout_date")
	pstatus[p] = f("status"); phold[p] = f("hold_reason"); pcur[p] = f("currency")
	ent[p] = f("entity"); mer[p] = f("merchant_id")
	next
}
FILENAME == ARGV[5] { iss[f("entity")] = 1; for (c in pf) iv[f("entity"), pf[c]] = party(c); iv[f("entity"), "Registration"] = f("registration"); next }
FILENAME == ARGV[6] { mv_known[f("merchant_id")] = 1; for (c in pf) mv[f("merchant_id"), pf[c]] = party(c); next }
FILENAME == ARGV[7] { reason[f("corrects"), f("adjustment_id")] = f("reason"); nreason++; next }
# The cells: book sheet row col type value format text.
{
	book = $1; sheet = $2; r = $3; c = $4
	if (sheet != cursheet[book]) { cursheet[book] = sheet; table[book] = 0; sheets[book]++ }
	cell[book, sheet, r, c] = 1
	if (c == 1) label[book, sheet, r] = $8
	lab = label[book, sheet, r]
	if (!table[book] && c > 1 && lab != "") { k = book SUBSEP lab SUBSEP c; ctype[k] = $5; cvalue[k] = $6; cformat[k] = $7; ctext[k] = $8 }
	if (r == 1 && c == 1 && sheets[book] == 1) title[book] = $8
	if (c == 1 && ($8 == "Event" || $8 == "Adjustment" || $8 == "Type")) { table[book] = 1; hdr[book]++; hdr_row[book] = r; next }
	if (table[book] && r == hdr_row[book]) next
	if (table[book] && (lab == "Total" || lab == "Net total")) { if (c > 1) total_cell(book, $0); next }
	if (table[book] && book in inv) line_cell(book, r, c)
	if (table[book] && book in pay) item_cell(book, r, c)
}
function total_cell(book, row) { tot[book]++; if (book in inv) money_cell(book, "total row", $5, $6, $7, $8, amount[book], d[book]); else money_cell(book, "net total", $5, $6, $7, $8, pamount[book], pd[book]) }
function line_cell(book, r, c,    n, w) {
	if (c == 1) { n = ++got_n[book]; split(want[book, n], w, "|"); for (i in cur_line) delete cur_line[i]; for (i in w) cur_line[i] = w[i]
		if ($5 != "string" || $8 != w[1]) bad(book ": line " n ": event " $8 " != " w[1]) }
	if (c == 2 && $8 != cur_line[2]) bad(book ": line " got_n[book] ": " $8 " != order " cur_line[2])
	if (c == 3 && ($5 != "date" || instant($6) "Z" != cur_line[3] || $7 != "date:yyyy-mm-dd hh:mm:ss")) bad(book ": line " got_n[book] ": date " $5 " " $6 " " $7 " != " cur_line[3])
	if (c == 4 && ($5 != "float" || $6 != cur_line[4])) bad(book ": line " got_n[book] ": late " $6 " != " cur_line[4])
	if (c == 5) money_cell(book, "line " got_n[book], $5, $6, $7, $8, cur_line[5], d[book])
	if (c == 6 && ($5 != "string" || $8 == "" || !credit[book])) bad(book ": line " got_n[book] ": reason " $8)
	else if (c == 6 && nreason && $8 != reason[corrects_of[book], cur_line[1]]) bad(book ": line " got_n[book] ": reason '" $8 "' != '" reason[corrects_of[book], cur_line[1]] "'")
}
function item_cell(book, r, c,    k) {
	if (c == 1) { cur_item = ""; cur_sub = $8 ~ /^Subtotal / ? substr($8, 10) : "" }
	if (c == 4 && cur_sub == "") { cur_item = $8; k = book SUBSEP $8
		if (!(k in want_item)) bad(book ": item " $8 " not among its items"); else { pgot[book]++; sub_sum[book, item_type[k]] += units(want_item[k], pd[book]) } }
	if (c == 6 && cur_sub == "") money_cell(book, "item " cur_item, $5, $6, $7, $8, want_item[book, cur_item], pd[book])
	if (c == 6 && cur_sub != "") { nsub[book]++; if ($5 != "float" || units($6, pd[book]) != sub_sum[book, cur_sub]) bad(book ": subtotal " cur_sub " " $6) }
}
function party(c) { return c == "postal" ? join(f("postal_code"), f("city")) : f(c) }
function join(a, b) { return a != "" && b != "" ? a " " b : a b }
function parties(book,    k) {
	expect_text(book, "Name", 2, ent[book] in iss ? iv[ent[book], "Name"] : ent[book])
	expect_text(book, "ID", 2, ent[book])
	expect_text(book, "ID", 3, mer[book])
	for (k in pf) if (pf[k] != "Name") expect_text(book, pf[k], 2, iv[ent[book], pf[k]])
	expect_text(book, "Registration", 2, iv[ent[book], "Registration"])
	expect_text(book, "Registration", 3, "")
	if (mer[book] in mv_known) for (k in pf) expect_text(book, pf[k], 3, mv[mer[book], pf[k]])
}
END {
	for (b in inv) {
		if (!(b in title)) { bad(b ": no workbook"); continue }
		if (title[b] != (credit[b] ? "Credit note" : "Invoice")) bad(b ": title " title[b])
		expect(b, (credit[b] ? "Credit note" : "Invoice") " number", 2, "string", "", "general", b)
		expect(b, "Issue date", 2, "date", issue, "date:yyyy-mm-dd", issue)
		expect(b, "Period", 2, "date", first_of(period), "date:yyyy-mm-dd", first_of(period))
		expect(b, "Period", 3, "date", last_of(period), "date:\"to \"yyyy-mm-dd", "to " last_of(period))
		expect(b, "Currency", 2, "string", "", "general", cur[b])
		k = b SUBSEP "Total" SUBSEP 2
		money_cell(b, "header total", ctype[k], cvalue[k], cformat[k], ctext[k], amount[b], d[b])
		if (payout[b] != "") expect(b, "Payout number", 2, "string", "", "general", payout[b])
		if (credit[b]) expect(b, "Corrects invoice", 2, "string", "", "general", "")
		parties(b)
		if (got_n[b] != want_n[b] || got_n[b] != nlines[b]) bad(b ": " got_n[b] + 0 " line rows, " want_n[b] + 0 " lines")
		if (tot[b] != 1) bad(b ": " tot[b] + 0 " total rows")
		if (hdr[b] != sheets[b]) bad(b ": " hdr[b] + 0 " table headers on " sheets[b] " sheets")
		nbooks++
	}
	for (p in pay) {
		if (!(p in title)) { bad(p ": no workbook"); continue }
		if (title[p] != "Payout") bad(p ": title " title[p])
		expect(p, "Payout number", 2, "string", "", "general", p)
		expect(p, "Payout date", 2, "date", pdate[p], "date:yyyy-mm-dd", pdate[p])
		expect(p, "Status", 2, "string", "", "general", status_words[pstatus[p]])
		expect(p, "Hold reason", 2, "string", "", "general", hold_words[phold[p]])
		expect(p, "Currency", 2, "string", "", "general", pcur[p])
		k = p SUBSEP "Amount" SUBSEP 2
		money_cell(p, "amount", ctype[k], cvalue[k], cformat[k], ctext[k], pamount[p], pd[p])
		parties(p)
		if (pgot[p] != items[p]) bad(p ": " pgot[p] + 0 " item rows, " items[p] " items")
		if (tot[p] != 1) bad(p ": " tot[p] + 0 " net total rows")
		nbooks++
	}
	for (no in credit) ncn += credit[no]
	printf "%s, %s and %s read back by LibreOffice: %s\n", _n(ninv - ncn, "invoice"), _n(ncn, "credit note"), _n(npo, "payout"), nbad ? nbad " differences" : "every cell, type and number format as in the TSV files"
	exit nbad ? 1 : 0
}
BEGIN {
	y = substr(period, 1, 4) + 0; m = substr(period, 6, 2) + 0
	issue = substr(period, 9) == "1" ? substr(period, 1, 7) "-16" : m == 12 ? sprintf("%04d-01-01", y + 1) : sprintf("%04d-%02d-01", y, m + 1)
	pf["legal_name"] = "Name"; pf["address"] = "Address"; pf["postal"] = "Postal code, city"
	pf["country"] = "Country"; pf["vat_id"] = "VAT ID"
	status_words["created"] = "Created: not paid yet"; status_words["paid"] = "Paid"
	hold_words[""] = "None"; hold_words["frozen"] = "Payouts to the merchant are frozen"
	hold_words["payout_details"] = "The merchant's payout details are missing or invalid"
}

function _n(n, word) {
	return (n + 0) " " word (n == 1 ? "" : "s")
}
