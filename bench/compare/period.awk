# One period's core job as an analyst would write it in awk (mawk), for the
# benchmark comparison (bench/run.sh): the same work as period.sql — price
# every event with the take-rate precedence, give each line its entity,
# write the lines, aggregate and number the invoices, net the due invoices
# into payouts — in one pass, with awk's numbers (doubles).  Not done here:
# SPEC 11's row checks and rejects file, held lines carried, state,
# balances, reconciliation, workbooks.
#
#   mawk -f period.awk -v drop=DIR -v cfg=DIR -v out=DIR -v p=PERIOD \
#        -v start=YYYY-MM-DD -v end=YYYY-MM-DD -v date=YYYY-MM-DD -v year=YYYY
BEGIN {
	FS = OFS = "\t"
	digits["USD"] = 2; digits["EUR"] = 2; digits["GBP"] = 2; digits["RUB"] = 2
	digits["JPY"] = 0; digits["KRW"] = 0; digits["KWD"] = 3; digits["BHD"] = 3
	# take rates: per "merchant SUBSEP category", a list of (valid_from, rate)
	f = cfg "/take-rates.tsv"; getline < f
	while ((getline < f) > 0) { k = $1 SUBSEP $2; n = ++nr[k]; vf[k, n] = $3; rt[k, n] = $4 * 1000000 }
	f = cfg "/entities.tsv"; getline < f
	while ((getline < f) > 0) { nrule++; rule[nrule] = $1; rent[nrule] = $2; prefix[$2] = $3 }
	f = cfg "/merchants.tsv"; getline < f
	while ((getline < f) > 0)
		if ($2 != "" && $3 != "" && $4 != "" && $5 != "") { ok[$1] = 1; delay[$1] = $8 + 0; mmin[$1] = $9 + 0; pok[$1] = $10; frozen[$1] = $11 }
	f = cfg "/payout.tsv"; getline < f
	while ((getline < f) > 0) minimum[$1] = $2
	lines = out "/lines.tsv"
	print "period", "entity", "merchant_id", "currency", "type", "amount", "event_id", "order_id", "at", "late", "kind", "source", "line" > lines
	read("orders.tsv"); read("refunds.tsv"); read("ads.tsv"); read("weights.tsv")
	finish()
}
# Minor units of a decimal string.
function minor(s, d,    i, f) {
	i = index(s, ".")
	if (!i) return s * (d == 0 ? 1 : 10 ^ d)
	f = substr(s, i + 1); while (length(f) < d) f = f "0"
	return (substr(s, 1, i - 1) f) + 0
}
function ra(x, den) { return x < 0 ? -int((-x + den / 2) / den) : int((x + den / 2) / den) }
function fmt(v, d,    s) {
	if (d == 0) return sprintf("%d", v)
	s = sprintf("%d", v < 0 ? -v : v); while (length(s) <= d) s = "0" s
	return (v < 0 ? "-" : "") substr(s, 1, length(s) - d) "." substr(s, length(s) - d + 1)
}
# The latest rate of a key from no later than t, or -1.
function latest(k, t,    i, best, bv) {
	best = -1; bv = ""
	for (i = 1; i <= nr[k]; i++) if (vf[k, i] <= t && vf[k, i] >= bv) { bv = vf[k, i]; best = rt[k, i] }
	return best
}
function rate(m, c, t,    r) {
	if ((r = latest(m SUBSEP c, t)) >= 0) return r
	if ((r = latest(m SUBSEP "*", t)) >= 0) return r
	if ((r = latest("*" SUBSEP c, t)) >= 0) return r
	return latest("*" SUBSEP "*", t)
}
function entity(type, country,    i, r) {
	for (i = 1; i <= nrule; i++) {
		r = rule[i]
		if (r == "*" || r == "type:" type || (country != "" && r == "country:" country)) return rent[i]
	}
	return ""
}
# One line: to lines.tsv and its invoice, when the merchant is complete.
function emit(kind, src, ln, ev, ord, m, at, cur, country, type, amount,    e) {
	e = entity(type, country)
	if (e == "" || !(m in ok)) return
	print p, e, m, cur, type, fmt(amount, digits[cur]), ev, ord, at, (at < start ? 1 : 0), kind, src, ln > lines
	k = e SUBSEP m SUBSEP cur SUBSEP type
	inv[k] += amount; cnt[k]++
}
function read(name,    f, ln, d, p_, s_, t, keep, f_, x, sf) {
	f = drop "/" name; ln = 1
	if ((getline < f) <= 0) return
	while ((getline < f) > 0) {
		ln++
		if (name == "orders.tsv") {
			if (!($6 in digits) || $3 >= end) continue
			d = digits[$6]; p_ = minor($7, d); s_ = minor($8, d)
			if ((t = rate($2, $10, $3)) < 0) continue
			keep = 1000000 - t
			if ($4 == "offline" || $4 == "jl_merchant") x = ra((p_ + s_) * keep, 1000000)
			else if ($4 == "offline_jl") x = ra(p_ * keep + s_ * 1000000, 1000000)
			else x = ra(p_ * keep, 1000000)
			emit("order", name, ln, $1, $1, $2, $3, $6, $5, "R", x)
			if ($4 == "jl") { emit("order", name, ln, $1, $1, $2, $3, $6, $5, "RJL", s_); emit("order", name, ln, $1, $1, $2, $3, $6, $5, "JLO", -s_) }
			if ($4 == "jl_merchant") emit("order", name, ln, $1, $1, $2, $3, $6, $5, "JLD", -minor($9, d))
		} else if (name == "refunds.tsv") {
			if (!($11 in digits) || $4 >= end) continue
			d = digits[$11]; p_ = minor($12, d); s_ = minor($13, d); f_ = $6 * 1000000
			if ((t = rate($3, $14, $8)) < 0) continue
			keep = 1000000 - t
			if ($9 == "offline" || $9 == "jl_merchant") x = ra((p_ + s_) * keep * f_, 1e12)
			else if ($9 == "jl" && $5 == "non_delivery") x = ra(p_ * keep * f_, 1e12)
			else x = ra((p_ * keep + s_ * 1000000) * f_, 1e12)
			emit("refund", name, ln, $1, $2, $3, $4, $11, $10, "RCM", -x)
			if ($9 == "jl" && $5 == "non_delivery") {
				sf = ra(s_ * f_, 1000000)
				emit("refund", name, ln, $1, $2, $3, $4, $11, $10, "RJLCM", -sf)
				emit("refund", name, ln, $1, $2, $3, $4, $11, $10, "JLOCM", sf)
			}
			if ($7 != "" && $7 + 0 != 0) emit("refund", name, ln, $1, $2, $3, $4, $11, $10, "ND", minor($7, d))
		} else if (name == "ads.tsv") {
			if (!($4 in digits) || $3 >= end) continue
			emit("ad", name, ln, $1, "", $2, $3 "T00:00:00Z", $4, "", "AD", -minor($5, digits[$4]))
		} else {
			if (!($5 in digits) || $4 >= end) continue
			if (10 * ($7 - $6) > $6 && $7 - $6 > 5)
				emit("weight", name, ln, $1, $2, $3, $4, $5, "", "IW", minor($8, digits[$5]) - minor($9, digits[$5]))
		}
	}
	close(f)
}
# Number the invoices per entity in (merchant, currency, type) order, net the
# due ones per (merchant, entity, currency) into payouts.
function finish(    tmp, k, a, cmd, n, e, last, no, key, d, thr) {
	tmp = out "/.keys"
	for (k in inv) { split(k, a, SUBSEP); print a[1], a[2], a[3], a[4] > tmp }
	close(tmp)
	f = out "/invoices.tsv"
	print "invoice_no", "entity", "merchant_id", "currency", "period", "type", "issued_on", "lines", "amount", "status" > f
	cmd = "LC_ALL=C sort " tmp
	while ((cmd | getline) > 0) {
		if ($1 != last) { n = 0; last = $1 }
		k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4
		no = prefix[$1] "-" year "-" sprintf("%06d", ++n)
		print no, $1, $2, $3, p, $4, date, cnt[k], fmt(inv[k], digits[$3]), "created" > f
		if (delay[$2] == 0) { key = $1 SUBSEP $2 SUBSEP $3; net[key] += inv[k]; nn[key]++ }
	}
	close(cmd); close(f)
	for (k in net) { split(k, a, SUBSEP); print a[1], a[2], a[3] > tmp }
	close(tmp)
	f = out "/payouts.tsv"
	print "payout_no", "entity", "merchant_id", "currency", "payout_date", "invoices", "amount", "status", "hold_reason" > f
	last = ""
	while ((cmd | getline) > 0) {
		key = $1 SUBSEP $2 SUBSEP $3; d = digits[$3]
		thr = ($3 in minimum) ? minor(minimum[$3], d) : 0
		if (mmin[$2] * 10 ^ d > thr) thr = mmin[$2] * 10 ^ d
		if (net[key] < thr) continue
		if ($1 != last) { n = 0; last = $1 }
		print "PO-" prefix[$1] "-" year "-" sprintf("%06d", ++n), $1, $2, $3, date, nn[key], fmt(net[key], d), "created", (frozen[$2] == "1" ? "frozen" : pok[$2] != "1" ? "payout_details" : "") > f
	}
	close(cmd); close(f)
	system("rm -f " tmp)
}
