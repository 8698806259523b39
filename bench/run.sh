#!/bin/sh
# make bench: speed and peak memory of the filters on synthetic drops.
#
#   bench/run.sh BINDIR
#
# Environment: BENCH_SIZES (orders per drop, default "1000000 10000000"),
# BENCH_DIR (scratch space, default bench-data).  Drops are generated once
# per size and kept.  Each measurement is one run, after a warm-up read of
# the inputs, so the page cache holds them (as in a scheduled run that
# follows the export); wc -l on the same files is the yardstick.  A stage's
# stdout goes to /dev/null: in the pipeline it feeds a pipe.  Results go
# to BENCH_DIR/results.tsv and a summary to stdout.
set -eu
bin=$(cd "$1" && pwd)
sizes=${BENCH_SIZES:-"1000000 10000000"}
dir=${BENCH_DIR:-bench-data}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
res=$dir/results.tsv
printf 'stage\tsize\twall_s\tuser_s\tsys_s\tmaxrss_kib\trows\tbytes\n' >"$res"
export LC_ALL=C TZ=UTC

# measure LABEL SIZE ROWS BYTES -- CMD...: one result line.
measure() {
	label=$1 size=$2 rows=$3 bytes=$4
	shift 5
	"$bin/measure" "$label" --out "$dir/one.tsv" -- "$@"
	tail -n 1 "$dir/one.tsv" | awk -v s="$size" -v r="$rows" -v b="$bytes" \
		'BEGIN{FS=OFS="\t"}{print $1,s,$2,$3,$4,$5,r,b}' >>"$res"
}

for n in $sizes; do
	for fmt in tsv csv; do
		d=$dir/drop-$n-$fmt
		[ -f "$d/.done" ] || { rm -rf "$d"; "$bin/gen-drop" --orders "$n" --format $fmt "$d"; touch "$d/.done"; }
		in=$d/in/2024-03-1
		cat "$in"/* >/dev/null
		rows=$(cat "$in"/* | wc -l)
		bytes=$(cat "$in"/* | wc -c)
		measure "wc -l ($fmt)" "$n" "$rows" "$bytes" -- sh -c "wc -l $in/* >/dev/null"
		measure "normalize-orders ($fmt)" "$n" "$rows" "$bytes" -- \
			sh -c "'$bin/normalize-orders' --rejects '$dir/rejects.tsv' '$in' >/dev/null"
	done
done
rm -f "$dir/one.tsv" "$dir/rejects.tsv"

# Summary: throughput per stage.
awk 'BEGIN{FS="\t"; printf "%-28s %10s %8s %12s %9s %11s\n", "stage", "orders", "wall_s", "rows/s", "MB/s", "peak_MiB"}
NR>1{printf "%-28s %10d %8.2f %12.0f %9.1f %11.1f\n", $1, $2, $3, $7/$3, $8/$3/1e6, $6/1024}' "$res"
