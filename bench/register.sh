#!/bin/sh
# make bench, the register (SPEC 12): a period's run with a few thousand
# adjustments against a state whose register holds the invoices of fifteen
# years, made directly (not by running the periods).
#
#   bench/register.sh BINDIR
#
# Environment: BENCH_DIR (scratch space, default bench-data),
# BENCH_REGISTER (invoices in the register, default 30000000),
# BENCH_ADJUSTMENTS (default 5000), BENCH_REGISTER_SMALL (the same run
# against a register of this many invoices, for comparison, default
# 300000).  The register has 360 segments (2009-01-1 to 2023-12-2), three
# entities; the adjustments name invoices spread evenly over all of it, so
# the run looks up in every segment.  Each register is made once and kept
# (BENCH_DIR/register-N); the run is 2024-01-1 with a small drop.  Results
# go to BENCH_DIR/register.tsv and a summary to stdout.
set -eu
bin=$(cd "$1" && pwd)
dir=${BENCH_DIR:-bench-data}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
big=${BENCH_REGISTER:-30000000}
small=${BENCH_REGISTER_SMALL:-300000}
nadj=${BENCH_ADJUSTMENTS:-5000}
res=$dir/register.tsv
export LC_ALL=C TZ=UTC
TAB=$(printf '\t')

# make_out N: OUT folder dir/register-N with the state of 2023-12-2 whose
# register holds N invoices, and the adjustments naming nadj of them.
make_out() {
	n=$1 o=$dir/register-$1
	[ -f "$o/.done" ] && return 0
	rm -rf "$o"
	s=$o/2023-12-2/state
	mkdir -p "$s/register"
	# Per period n/360 invoices, numbered per entity and year of issue in
	# the order a run numbers them; rows written per segment, then sorted
	# by number in byte order (numbers past 999999 have seven digits).
	awk -v n="$n" -v nadj="$nadj" -v dir="$s/register" -v adj="$o/adjustments.tsv" -v OFS="$TAB" '
	function date(p,    y, m, h) { y = int(p / 24); m = int(p % 24 / 2) + 1; h = p % 2
		return h ? sprintf("%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1) : sprintf("%04d-%02d-16", y, m) }
	BEGIN {
		split("SIA USA JMT", ent, " "); split("R RCM AD RJL JLO JLD ND IW RJLCM JLOCM", typ, " ")
		per = int(n / 360); every = int(n / nadj); k = 0
		print "adjustment_id", "invoice_no", "currency", "amount", "reason", "at", "event_id" > adj
		print "segment", "kind", "prefix", "year", "first", "last" > (dir "/index.tsv")
		for (q = 0; q < 360; q++) {
			p = 2009 * 24 + q; pid = sprintf("%04d-%02d-%d", int(p / 24), int(p % 24 / 2) + 1, p % 2 + 1)
			issued = date(p); year = substr(issued, 1, 4)
			if (year != last_year) { for (e = 1; e <= 3; e++) cnt[e] = 0; last_year = year }
			f = dir "/" pid ".tsv"
			for (i = 0; i < per; i++) {
				e = i % 7 < 4 ? 1 : i % 7 < 6 ? 2 : 3
				no = sprintf("%s-%s-%06d", ent[e], year, ++cnt[e])
				if (!(e in first)) first[e] = cnt[e]
				m = sprintf("m%06d", (i * 7919 + q) % 100000 + 1)
				cur = e == 3 ? "JPY" : i % 5 == 0 ? "EUR" : "USD"
				print no, ent[e], m, cur, typ[i % 10 + 1], pid, issued, "invoice" > (f ".rows")
				if (++k % every == 0)
					print "B-" k, no, cur, cur == "JPY" ? "-100" : "-1.00", "goodwill after review", "2024-01-02", "" > adj
			}
			close(f ".rows")
			for (e = 1; e <= 3; e++) if (e in first) {
				print pid ".tsv", "invoice", ent[e], year, first[e], cnt[e] > (dir "/index.tsv"); delete first[e] }
			cmd = "{ printf \"invoice_no\\tentity\\tmerchant_id\\tcurrency\\ttype\\tperiod\\tissued_on\\tkind\\n\"; sort -t \"\t\" -k1,1 " f ".rows; } > " f
			system(cmd); system("rm -f " f ".rows")
			for (e = 1; e <= 3; e++) last[e SUBSEP year] = cnt[e]
		}
		print "entity", "year", "last" > (dir "/../invoice-counters.tsv")
		for (y = 2009; y <= 2024; y++) for (e = 1; e <= 3; e++)
			if ((e SUBSEP y) in last) print ent[e], y, last[e SUBSEP y] > (dir "/../invoice-counters.tsv")
	}'
	printf 'entity\tyear\tlast\n' >"$s/credit-note-counters.tsv"
	printf 'entity\tyear\tlast\n' >"$s/payout-counters.tsv"
	printf 'period\tentity\tmerchant_id\tcurrency\ttype\tamount\tevent_id\torder_id\tat\tlate\tkind\tsource\tline\tcorrects\thold_reason\tadjustment_reason\n' >"$s/held.tsv"
	printf 'invoice_no\tentity\tmerchant_id\tcurrency\tperiod\ttype\tissued_on\tlines\tamount\tstatus\tpayout_no\tkind\tcorrects\n' >"$s/invoices.tsv"
	printf 'payout_no\tentity\tmerchant_id\tcurrency\tpayout_date\tinvoices\tamount\tstatus\thold_reason\tpaid_on\n' >"$s/payouts.tsv"
	echo 2023-12-2 >"$s/period"
	# The manifest, once (a run hashes only the segments it reads).
	(cd "$s" && {
		printf 'kind\tname\tsha256\nprevious\tmanifest.tsv\tnone\n'
		find . -type f ! -name manifest.tsv | sed "s#^\./##" | sort | while read -r f; do
			case $f in register/index.tsv) k=file ;; register/*) k=segment ;; *) k=file ;; esac
			printf '%s\t%s\t%s\n' "$k" "$f" "$(sha256sum <"$f" | cut -d' ' -f1)"
		done
	} >manifest.tsv)
	printf 'key\tvalue\nperiod\t2023-12-2\nstate_in\tnone\n' >"$o/2023-12-2/run.info"
	touch "$o/.done"
}

# The drop of 2024-01-1: a small one (10,000 orders of the register's
# merchants) and the adjustments.
drop=$dir/register-drop
if [ ! -f "$drop/.done" ]; then
	rm -rf "$drop"
	"$bin/gen-drop" --orders 10000 --merchants 100000 --period 2024-01-1 --bad 0 "$drop" >/dev/null
	touch "$drop/.done"
fi
printf 'register_invoices\tstage\twall_s\tuser_s\tsys_s\tmaxrss_kib\n' >"$res"
for n in $small $big; do
	make_out "$n"
	o=$dir/register-$n
	rm -rf "$o/2024-01-1" "$o/.2024-01-1.tmp" "$o/stages.tsv" "$drop/in/2024-01-1/adjustments.tsv"
	cp "$o/adjustments.tsv" "$drop/in/2024-01-1/"
	du -sk "$o/2023-12-2/state/register" | awk -v n="$n" '{ printf "register of %d invoices: %.0f MB on disk\n", n, $1 / 1024 }'
	cat "$o/2023-12-2/state/register/index.tsv" >/dev/null
	"$bin/measure" "period 2024-01-1, no XLSX" --out "$o/one.tsv" -- env MEASURE="$o/stages.tsv" \
		BIN="$bin" XLSX=0 sh "$here/pipelines/run.sh" period 2024-01-1 "$drop/in" "$drop/config" "$o" >/dev/null 2>"$o/run.err" ||
		{ cat "$o/run.err" >&2; exit 1; }
	cat "$o/one.tsv" "$o/stages.tsv" | awk -v n="$n" -v OFS="$TAB" '{ print n, $0 }' >>"$res"
	# The floor of the run's check of the segments it read: their SHA-256
	# as one stream, on one core (the run hashes a file per core).
	read=$(awk -F"$TAB" '$12 == "credit_note" { n++ } END { print n + 0 }' "$o/2024-01-1/invoices.tsv")
	"$bin/measure" "sha256 of every segment, one stream (one core)" --out "$o/one.tsv" -- \
		sh -c "cat '$o'/2023-12-2/state/register/2*.tsv | sha256sum >/dev/null"
	tail -n 1 "$o/one.tsv" | awk -v n="$n" -v OFS="$TAB" '{ print n, $0 }' >>"$res"
	echo "register of $n invoices: $read credit notes issued, $(ls "$o/2024-01-1/state/register" | wc -l) register files in the new state"
	# make verify hashes every segment of every state.
	"$bin/measure" "make verify (2 states, every segment)" --out "$o/one.tsv" -- \
		env BIN="$bin" sh "$here/pipelines/run.sh" verify "$o" >/dev/null
	tail -n 1 "$o/one.tsv" | awk -v n="$n" -v OFS="$TAB" '{ print n, $0 }' >>"$res"
	rm -f "$o/one.tsv"
done
awk -F"$TAB" 'NR > 1 { printf "%-10s %-52s %8.2f s %9.1f MiB\n", $1, $2, $3, $6 / 1024 }' "$res"
