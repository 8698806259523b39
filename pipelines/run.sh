#!/bin/sh
# Run, replay or try out an invoice period (the make targets call this).
#
#   pipelines/run.sh period    P IN CONFIG OUT [PREV]
#   pipelines/run.sh replay    P OUT
#   pipelines/run.sh what-if   P CONFIG OUT
#
# Environment: BIN (the programs, default build/bin), XLSX (1: render
# workbooks, 0: not), SHARDS (render processes, default: the cores), MAKE.
#
# period: runs P from IN/P/, CONFIG/ and the previous period's state
#   (OUT/<P-1>/state, or PREV: a state directory or 'none' for the first
#   period) into OUT/P/.  Everything is built in OUT/.P.tmp/ and renamed into
#   place at the end, so a failed or killed run leaves no output behind and
#   a re-run gives the same bytes.  One run at a time per OUT (a lock).
# replay: runs P again from what OUT/P/ was made of (its drop, its archived
#   configuration OUT/P/config/, the same previous state) into a scratch
#   folder and compares every file, workbooks included.
# what-if: runs P with another configuration into a scratch folder and
#   writes, per merchant, what would have been invoiced and paid out.
#
# Exit status: 0 success; 1 a data error (a stage failed, a replay differs,
# the period does not reconcile, the drop is missing); 2 a usage error or a
# missing or wrong previous state; 75 another run holds the lock (try later).
set -eu
export LC_ALL=C TZ=UTC

HERE=$(dirname "$0")
BIN=${BIN:-build/bin}
XLSX=${XLSX:-1}
SHARDS=${SHARDS:-$(nproc)}
MAKE=${MAKE:-make}
TAB=$(printf '\t')

die() { # STATUS MESSAGE
	echo "run: $2" >&2
	exit "$1"
}

# lock OUT: hold OUT/.lock until this script exits; refuse if held.
lock() {
	mkdir -p "$1"
	exec 9>"$1/.lock"
	flock -n 9 || die 75 "$1: another run is in progress (lock $1/.lock); try again later"
}

# build P IN CONFIG STATE_IN DEST: the data flow into DEST's temporary
# folder, then DEST replaced by it.
build() {
	p=$1 in=$2 cfg=$3 state=$4 dest=$5
	t=$(dirname "$dest")/.$(basename "$dest").tmp
	[ -d "$in/$p" ] || die 1 "$in/$p: no drop for $p (an empty directory is an empty drop)"
	for f in merchants take-rates entities; do
		[ -f "$cfg/$f.tsv" ] || die 1 "$cfg/$f.tsv: missing"
	done
	rm -rf "$t" "$dest.old"
	mkdir -p "$t"
	# Long stages show progress when the one running this is at a terminal.
	progress=
	if [ -t 2 ]; then progress=/dev/tty; fi
	if ! $MAKE --no-print-directory -s -f "$HERE/period.mk" -j"$SHARDS" all \
		P="$p" IN="$in" CONFIG="$cfg" STATE_IN="$state" T="$t" BIN="$BIN" \
		XLSX="$XLSX" SHARDS="$SHARDS" MEASURE="${MEASURE:-}" PROGRESS="$progress" \
		2>>"$t/run.log"; then
		# The first error is the cause; the stages after it only saw their
		# input stop.
		echo "run: $p failed; its log: $t/run.log" >&2
		grep -v "^build-invoices: merchant '" "$t/run.log" | head -n 3 >&2 || true
		exit 1
	fi
	if [ -e "$dest" ]; then mv "$dest" "$dest.old"; fi
	mv "$t" "$dest"
	rm -rf "$dest.old"
}

# summary P DIR: one line on what the run made.
summary() {
	p=$1 d=$2
	date=$("$BIN/periods" issue "$p")
	inv=$(awk -F"$TAB" -v p="$p" 'NR > 1 && $5 == p' "$d/invoices.tsv" | wc -l)
	po=$(awk -F"$TAB" -v d="$date" 'NR > 1 && $5 == d' "$d/payouts.tsv" | wc -l)
	rej=$(($(wc -l <"$d/rejects.tsv") - 1))
	held=$(($(wc -l <"$d/held.tsv") - 1))
	heldm=$(tail -n +2 "$d/held.tsv" | cut -f3 | sort -u | wc -l)
	books=$(find "$d/xlsx" -name '*.xlsx' 2>/dev/null | wc -l)
	echo "$p: $inv invoices, $po payouts, $rej rejected rows, $held lines held ($heldm merchants), $books workbooks -> $d/"
}

# The previous state a period uses: PREV, or OUT/<P-1>/state; it must be
# the state of the period before.
state_for() { # P OUT PREV
	prev=$("$BIN/periods" prev "$1")
	if [ "${3:-}" = none ]; then
		echo none
		return
	fi
	s=${3:-$2/$prev/state}
	[ -f "$s/period" ] ||
		die 2 "$s: the state of $prev is missing; run period $prev first, or give PREV=none for the first period"
	[ "$(cat "$s/period")" = "$prev" ] ||
		die 2 "$s: this is the state of $(cat "$s/period"); $1 needs the state of $prev"
	echo "$s"
}

# What OUT/P was made of (from its run.info).
info() { # DIR KEY
	awk -F"$TAB" -v k="$2" '$1 == k { print $2 }' "$1/run.info"
}

cmd=${1:-}
[ $# -ge 2 ] || die 2 "usage: run.sh period|replay|what-if P ..."
p=$2
"$BIN/periods" prev "$p" >/dev/null 2>&1 || die 2 "P: not a period (YYYY-MM-1 or YYYY-MM-2): '$p'"
case $cmd in
period)
	[ $# -ge 5 ] || die 2 "usage: run.sh period P IN CONFIG OUT [PREV]"
	in=$3 cfg=$4 out=$5
	state=$(state_for "$p" "$out" "${6:-}")
	lock "$out"
	build "$p" "$in" "$cfg" "$state" "$out/$p"
	summary "$p" "$out/$p"
	;;
replay)
	[ $# -ge 3 ] || die 2 "usage: run.sh replay P OUT"
	out=$3
	[ -f "$out/$p/run.info" ] || die 2 "$out/$p: no run of $p to replay"
	lock "$out"
	scratch=$out/.replay-$p
	build "$p" "$(dirname "$(info "$out/$p" input)")" "$out/$p/config" \
		"$(info "$out/$p" state_in)" "$scratch"
	# The log and run.info name the scratch folder's inputs; all else must
	# be the same bytes.
	if diff -rq -x run.log -x run.info -x config "$out/$p" "$scratch" >"$scratch.diff" 2>&1; then
		rm -rf "$scratch" "$scratch.diff"
		echo "$p: replayed, every file identical ($(find "$out/$p" -type f | wc -l) files)"
	else
		first=$(sort "$scratch.diff" | head -n 1)
		echo "run: $p: the replay differs: $first (all: $scratch.diff, replay in $scratch)" >&2
		exit 1
	fi
	;;
what-if)
	[ $# -ge 4 ] || die 2 "usage: run.sh what-if P CONFIG OUT"
	cfg=$3 out=$4
	[ -f "$out/$p/run.info" ] || die 2 "$out/$p: no run of $p to compare with"
	lock "$out"
	scratch=$out/.what-if-$p
	XLSX=0
	build "$p" "$(dirname "$(info "$out/$p" input)")" "$cfg" \
		"$(info "$out/$p" state_in)" "$scratch"
	"$BIN/compare-runs" "$p" "$out/$p" "$scratch" >"$scratch/what-if.tsv"
	n=$(($(wc -l <"$scratch/what-if.tsv") - 1))
	echo "$p with $cfg: $n merchant balances differ -> $scratch/what-if.tsv"
	head -n 21 "$scratch/what-if.tsv"
	;;
*)
	die 2 "unknown command '$cmd' (period, replay, what-if)"
	;;
esac
