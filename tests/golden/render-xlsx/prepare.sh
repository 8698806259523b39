#!/bin/sh
# Run one first period through the filters into OUT (for render-xlsx's
# tests): prepare.sh DROP CONFIG PERIOD PAYOUT_DATE OUT
set -eu
drop=$1 cfg=$2 p=$3 date=$4 out=$5
mkdir -p "$out"
normalize-orders --period "$p" --rejects "$out/rejects.tsv" "$drop" |
	apply-take-rate --rates "$cfg/take-rates.tsv" --period "$p" |
	split-by-entity --entities "$cfg/entities.tsv" |
	build-invoices --period "$p" --merchants "$cfg/merchants.tsv" --entities "$cfg/entities.tsv" \
		--state-in none --state-out "$out/state" --held "$out/held.tsv" --lines "$out/lines.tsv" 2>/dev/null |
	net-payouts --date "$date" --merchants "$cfg/merchants.tsv" --payout "$cfg/payout.tsv" \
		--state-in none --state-out "$out/state" --payouts "$out/payouts.tsv" \
		--items "$out/payout-items.tsv" --balances "$out/balances.tsv" > "$out/invoices.tsv"
# Lines grouped by invoice, the order render-xlsx needs (stable: input order within).
{ sed 1q "$out/lines.tsv"; tail -n +2 "$out/lines.tsv" | LC_ALL=C sort -s -t "$(printf '\t')" -k2,5 -k14,14; } > "$out/sorted.tsv"
