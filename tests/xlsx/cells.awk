# The cells of a flat OpenDocument spreadsheet (.fods, as `soffice
# --convert-to fods` writes it from a workbook) as TSV, one row per cell
# that holds a value:
#
#   book  sheet  row  col  type  value  format  text
#
# row and col count from 1; type is LibreOffice's value type (string,
# float, date); value its office:value or office:date-value (empty for
# text); format the cell's number format, as "num:DECIMALS:GROUPING"
# ("num:2:1" for #,##0.00), "date:PATTERN" ("date:yyyy-mm-dd",
# "date:\"to \"yyyy-mm-dd") or "general"; text what the cell shows.
#
#   awk -v book=NAME -f cells.awk FILE.fods
function attr(s, name,    i, v) {
	i = index(s, " " name "=\"")
	if (!i) return ""
	v = substr(s, i + length(name) + 3)
	return substr(v, 1, index(v, "\"") - 1)
}
function unxml(s) {
	gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
	gsub(/&apos;/, "'", s); gsub(/&amp;/, "\\&", s)
	return s
}
BEGIN { OFS = "\t" }
# Number formats.
/<number:number-style / || /<number:currency-style / { ds = attr($0, "style:name"); fmt[ds] = "num:0:0"; next }
/<number:date-style / || /<number:time-style / { ds = attr($0, "style:name"); pat = ""; indate = 1; next }
indate && /<number:year/ { pat = pat (attr($0, "number:style") == "long" ? "yyyy" : "yy") }
indate && /<number:month/ { pat = pat (attr($0, "number:style") == "long" ? "mm" : "m") }
indate && /<number:day/ { pat = pat (attr($0, "number:style") == "long" ? "dd" : "d") }
indate && /<number:hours/ { pat = pat (attr($0, "number:style") == "long" ? "hh" : "h") }
indate && /<number:minutes/ { pat = pat (attr($0, "number:style") == "long" ? "mm" : "m") }
indate && /<number:seconds/ { pat = pat (attr($0, "number:style") == "long" ? "ss" : "s") }
indate && /<number:text>/ { t = $0; sub(/.*<number:text>/, "", t); sub(/<\/number:text>.*/, "", t); t = unxml(t); pat = pat (t ~ /^[-: \/]$/ ? t : "\"" t "\"") }
indate && (/<\/number:date-style>/ || /<\/number:time-style>/) { fmt[ds] = "date:" pat; indate = 0; next }
/<number:number / && ds != "" && !indate {
	d = attr($0, "number:decimal-places"); g = attr($0, "number:grouping") == "true"
	fmt[ds] = "num:" (d == "" ? 0 : d) ":" g
}
/<\/number:number-style>/ || /<\/number:currency-style>/ { ds = "" }
# Cell styles and their number formats.
/<style:style / && attr($0, "style:family") == "table-cell" { cs[attr($0, "style:name")] = attr($0, "style:data-style-name") }
# The sheets, rows and cells.
/<table:table / { sheet = attr($0, "table:name"); row = 0; next }
/<table:table-row[ >]/ { r = attr($0, "table:number-rows-repeated"); row += r == "" ? 1 : r; col = 0; next }
/<table:table-cell/ {
	n = attr($0, "table:number-columns-repeated")
	type = attr($0, "office:value-type")
	if (type == "") { col += n == "" ? 1 : n; next }
	rep = n == "" ? 1 : n
	value = type == "date" ? attr($0, "office:date-value") : type == "float" ? attr($0, "office:value") : ""
	st = cs[attr($0, "table:style-name")]
	format = st == "" || !(st in fmt) ? "general" : fmt[st]
	text = ""; incell = 1; first = 1
	if ($0 ~ /\/>[ \t]*$/) { emit(); incell = 0 }
	next
}
# A cell repeated over `rep` columns (equal neighbours) is one element.
function emit(    k) { for (k = 0; k < rep; k++) print book, sheet, row, ++col, type, value, format, text }
incell && /<text:p>/ && first { t = $0; sub(/.*<text:p>/, "", t); sub(/<\/text:p>.*/, "", t); gsub(/<[^>]*>/, "", t); text = unxml(t); first = 0; next }
incell && /<\/table:table-cell>/ { emit(); incell = 0 }
