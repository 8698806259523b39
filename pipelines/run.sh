#!/bin/sh
# Run, replay or try out an invoice period (the make targets call this).
#
#   pipelines/run.sh period    P IN CONFIG OUT [PREV]
#   pipelines/run.sh replay    P OUT
#   pipelines/run.sh what-if   P CONFIG OUT
#   pipelines/run.sh expected  P AS_OF IN CONFIG OUT [PREV]
#   pipelines/run.sh reprice   P CONFIG IN OUT
#   pipelines/run.sh verify    OUT
#   pipelines/run.sh xlsx      P OUT DOC | P OUT --merchant ID DIR
#   pipelines/run.sh billing-call PAYOUT OUT
#
# Environment: BIN (the programs, default build/bin), XLSX (1: render
# workbooks, 0: not), SHARDS (render processes, default: the cores), MAKE,
# TODAY (YYYY-MM-DD: the day the run takes as today; tests and replays set
# it), MEASURE (make bench: each stage's time and memory to that file),
# XLSX_TMPDIR (where libxlsxwriter's temporary files go: render-xlsx
# --tmpdir; default /dev/shm when it is a memory file system, else TMPDIR
# or /tmp).
#
# period: runs P from IN/P/, CONFIG/ and the previous period's state
#   (OUT/<P-1>/state, or PREV: a state directory or 'none' for the first
#   period) into OUT/P/.  Everything is built in OUT/.P.tmp/ and put in
#   place at the end in one step (publish), so a failed or killed run leaves
#   no output behind.  P must have ended (its issue date not after today).
#   A period already issued is run again into the temporary folder and
#   compared: the same bytes leave it as it is, anything else is refused
#   (SPEC 16).  The state read is checked against its manifest first; the
#   new state gets its own, written last.  One run at a time per OUT.
# replay: runs P again from what OUT/P/ was made of (its drop, its archived
#   configuration OUT/P/config/, the previous state in OUT) into a scratch
#   folder and compares every file, workbooks included.
# what-if: runs P with another configuration into a scratch folder and
#   writes, per merchant, what would have been invoiced and paid out.
# expected: the forecast of the open period P as of the day AS_OF (SPEC
#   13): P's drop as it stands, rows dated after AS_OF left out, run like
#   the period (same filters, same previous state, read through the same
#   checks) into OUT/expected/.P.tmp/ without workbooks; its scratch
#   state is thrown away, and OUT/expected/P/ gets expected-invoices.tsv,
#   next-payouts.tsv, rejects.tsv, held.tsv and run.info, replacing the
#   previous forecast in one step.  P need not have ended; AS_OF must be
#   one of its days.  Nothing else in OUT is written.
# reprice: re-prices the events of P, issued in OUT/P/, with CONFIG's take
#   rates (and entities) and writes OUT/reprice/P/adjustments.tsv, the
#   corrections that bring each of P's invoices to the new rates, ready to
#   drop into the next period (SPEC 12, docs/corrections.md); OUT/P/ is
#   only read.  Lines it cannot reprice are named on stderr.
# verify: checks every period's state in OUT against its manifest and the
#   chain of manifests from the first period on, the register's segments
#   included.
# xlsx: renders one document of OUT/P (an invoice, credit note or payout)
#   on stdout, or all of a merchant's documents of P into DIR, from the
#   period's own files: the same bytes as its workbooks, also for a period
#   run with XLSX=0.  Only TMPDIR is written (a scratch folder).
# billing-call: writes the billing call of the payout on request PAYOUT
#   again on stdout, the same bytes as the file its run wrote, from what
#   OUT holds: the period whose run made it, its archived configuration
#   and the state it read (checked against its manifest).
#
# Exit status: 0 success; 1 a data error (a stage failed, a replay differs,
# the period does not reconcile, the drop is missing); 2 a usage error, a
# period not ended yet, a missing, wrong or changed previous state, or a
# run that would change an issued period; 75 another run holds OUT's lock
# (try later); 130 interrupted.
set -eu
export LC_ALL=C TZ=UTC

HERE=$(dirname "$0")
BIN=${BIN:-build/bin}
XLSX=${XLSX:-1}
SHARDS=${SHARDS:-$(nproc)}
# XLSX_TMPDIR: render-xlsx --tmpdir, when set (render-xlsx's default:
# /dev/shm when it is a memory file system, else TMPDIR or /tmp).
XLSX_TMPDIR=${XLSX_TMPDIR:-}
MAKE=${MAKE:-make}
TAB=$(printf '\t')

die() { # STATUS MESSAGE
	echo "run: $2" >&2
	exit "$1"
}

# A timestamped line on stdout: what a scheduler's log keeps.
say() {
	echo "$(date -u +%FT%TZ) $*"
}

# Paths go to make, which cannot quote: a blank or a character make or the
# shell reads (# $ % : ; = ' " \ *) in one would write elsewhere.  Such a
# path is refused before anything is written.
check_path() { # WHAT PATH
	case $2 in
	*[[:space:]]* | *[\#\$%:\;=\'\"\\*?]* | '')
		die 2 "$1: '$2': paths with blanks or any of # \$ % : ; = ' \" \\ * ? are not supported (make cannot quote them); use another folder"
		;;
	esac
}

# XLSX_TMPDIR, when set, is checked before anything is written: a wrong
# one would otherwise fail the run only at its workbooks, after the chain.
if [ -n "$XLSX_TMPDIR" ]; then
	check_path XLSX_TMPDIR "$XLSX_TMPDIR"
	[ -d "$XLSX_TMPDIR" ] && [ -w "$XLSX_TMPDIR" ] && [ -x "$XLSX_TMPDIR" ] ||
		die 2 "XLSX_TMPDIR: '$XLSX_TMPDIR' is not a folder this run can write to (libxlsxwriter's temporary files go there); create it, or leave XLSX_TMPDIR unset for /dev/shm or TMPDIR"
fi

# lock OUT: hold a lock on the folder OUT itself until this script exits;
# nothing is created or followed in it, so nothing planted there is
# written to.  Refused (75) if another run holds it.
lock() {
	mkdir -p "$1"
	exec 9<"$1"
	flock -n 9 || die 75 "$1: another run is in progress (it holds the lock on $1); try again later"
}

# The SHA-256 of a file.
sha() {
	sha256sum <"$1" | cut -d' ' -f1
}

# hashes: "name<TAB>sha256" of each file named on stdin (one a line,
# relative to the current folder), as many files at a time as there are
# cores (sha256sum uses one).  A file that cannot be read has no line.
hashes() {
	tr '\n' '\0' | xargs -0 -r -P "$(nproc)" -n 1 sha256sum 2>/dev/null |
		sed -n "s/^\([0-9a-f]\{64\}\)  \(.*\)\$/\2$TAB\1/p"
}

# manifest STATE PREVIOUS [HASHES]: write STATE/manifest.tsv, last: the SHA-256 of
# each file of the state and the hash of the manifest of the state it was
# built from (PREVIOUS: that state, or none).  The register's segments
# (register/PERIOD.tsv, docs/guarantees.md) are rows of kind `segment`: a
# segment carried from PREVIOUS (a hard link, never rewritten) keeps the
# hash PREVIOUS's manifest gives it, so that a run hashes only its own
# segment, not the whole history.
manifest() {
	prev=none
	[ "$2" = none ] || prev=$(sha "$2/manifest.tsv")
	pm=/dev/null
	[ "$2" = none ] || pm=$(cd "$2" && pwd)/manifest.tsv
	hs=
	[ -z "${3:-}" ] || [ ! -f "$3" ] || hs=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
	(
		cd "$1"
		list=$(find . -type f ! -name manifest.tsv ! -name manifest.tsv.tmp | sed 's#^\./##' |
			LC_ALL=C sort | awk -F"$TAB" -v OFS="$TAB" -v pm="$pm" '
			BEGIN { while ((getline l < pm) > 0) { split(l, f, "\t"); if (f[1] == "segment") carried[f[2]] = f[3] } }
			{ kind = ($0 ~ /^register\// && $0 != "register/index.tsv") ? "segment" : "file"
			  if (kind == "segment" && ($0 in carried)) print kind, $0, carried[$0]
			  else print kind, $0, "" }')
		# The hashes the period took beside its last steps (period.mk,
		# .hashes) for the files that still have the inode, size and
		# modification time seen then; the others hashed here.
		need=$(printf '%s\n' "$list" | awk -F"$TAB" '$2 != "" && $3 == "" { print $2 }')
		early=
		if [ -n "$hs" ]; then
			early=$(find . -type f -printf '%P\t%i\t%s\t%T@\n' | awk -F"$TAB" -v OFS="$TAB" -v h="$hs" '
				BEGIN { while ((getline l < h) > 0) { split(l, f, "\t"); k[f[1]] = f[2] "\t" f[3] "\t" f[4]; s[f[1]] = f[5] } }
				($1 in k) && k[$1] == $2 "\t" $3 "\t" $4 { print $1, s[$1] }')
		fi
		sums=$(printf '%s\n' "$early" | awk -F"$TAB" 'NF == 2')
		rest=$(printf '%s\n%s\n' "$early" "$need" | awk -F"$TAB" 'NF == 2 { got[$1] = 1; next } $0 != "" && !($0 in got)' | hashes)
		sums=$(printf '%s\n%s\n' "$sums" "$rest")
		{
			printf 'kind\tname\tsha256\n'
			printf 'previous\tmanifest.tsv\t%s\n' "$prev"
			{ printf '%s\n' "$sums" | sed "s/^/H$TAB/"; printf '%s\n' "$list" | sed "s/^/L$TAB/"; } |
				awk -F"$TAB" -v OFS="$TAB" '$1 == "H" { h[$2] = $3; next }
				$1 == "L" && $3 != "" { x = $4 != "" ? $4 : h[$3]
				  if (x == "") { print "run: " $3 ": cannot be read to hash it" > "/dev/stderr"; exit 1 }
				  print $2, $3, x }'
		} >manifest.tsv.tmp
		mv manifest.tsv.tmp manifest.tsv
	)
}

# verify_state STATE [PREVIOUS [FULL]]: the state is what its run wrote:
# every file its manifest lists, unchanged, and no other; with PREVIOUS,
# its manifest names PREVIOUS's.  The register's segments are checked to
# be there; their SHA-256 only with FULL (make verify), as hashing every
# segment would make each run read the whole history: a run checks the
# segments it reads (verify_segments).  A mismatch stops the run (2),
# naming the file.
verify_state() {
	s=$1
	fix="restore it from a backup, or run the periods again from the last good one (docs/guarantees.md)"
	[ -f "$s/manifest.tsv" ] || die 2 "$s: the state has no manifest.tsv: it was not written by a run, or was changed; $fix"
	# The manifest itself must be whole: a header, one previous, files
	# and segments with 64 hex digits each.
	awk -F"$TAB" 'NR == 1 { ok = $0 == "kind\tname\tsha256"; next }
		$1 == "previous" && NF == 3 { prev++; next }
		$1 == "file" && NF == 3 && $3 ~ /^[0-9a-f]+$/ && length($3) == 64 && ($2 !~ /\// || $2 == "register/index.tsv") { next }
		$1 == "segment" && NF == 3 && $3 ~ /^[0-9a-f]+$/ && length($3) == 64 && $2 ~ /^register\/[^\/]+$/ { next }
		{ ok = 0 } END { exit !(ok && prev == 1) }' "$s/manifest.tsv" ||
		die 2 "$s/manifest.tsv: not a manifest as a run writes it (edited?); $fix"
	# The first file whose hash is not the manifest's (or that cannot be
	# read), in the manifest's order.
	bad=$(cd "$s" && {
		awk -F"$TAB" -v full="${3:-}" '$1 == "file" || ($1 == "segment" && full) { print $2 }' manifest.tsv |
			hashes | sed "s/^/H$TAB/"
		sed "s/^/M$TAB/" manifest.tsv
	} | awk -F"$TAB" -v full="${3:-}" '$1 == "H" { h[$2] = $3; next }
		($2 == "file" || ($2 == "segment" && full)) && h[$3] != $4 { print $3; exit }')
	if [ -n "$bad" ]; then
		[ -f "$s/$bad" ] || die 2 "$s/$bad: missing from the state (its manifest lists it); $fix"
		die 2 "$s/$bad: changed since its run wrote it (its SHA-256 is not the manifest's); $fix"
	fi
	present=$(find "$s" -type f ! -name manifest.tsv | sed "s#^$s/##" | LC_ALL=C sort)
	missing=$(printf '%s\n' "$present" | awk -F"$TAB" 'NR == FNR { if ($1 == "segment") listed[$2] = 1; next }
		{ delete listed[$0] } END { for (f in listed) print f }' "$s/manifest.tsv" - | LC_ALL=C sort | head -n 1)
	[ -z "$missing" ] || die 2 "$s/$missing: missing from the state (its manifest lists it); $fix"
	extra=$(printf '%s\n' "$present" | awk -F"$TAB" 'NR == FNR { if ($1 == "file" || $1 == "segment") listed[$2] = 1; next }
		$0 != "" && !($0 in listed)' "$s/manifest.tsv" -)
	[ -z "$extra" ] || die 2 "$s/$(echo "$extra" | head -n 1): not in the state's manifest (a file added to the state); $fix"
	if [ -n "${2:-}" ] && [ -f "$2/manifest.tsv" ]; then
		want=$(awk -F"$TAB" '$1 == "previous" { print $3 }' "$s/manifest.tsv")
		[ "$want" = "$(sha "$2/manifest.tsv")" ] ||
			die 2 "$s: its manifest does not name $2's: the earlier state was changed or replaced; $fix"
	fi
	return 0
}

# verify_segments STATE LIST: the register segments of STATE that a run
# looked up in (LIST: build-invoices --register-read) are as their run
# wrote them, before anything the run made from them is published.
verify_segments() {
	[ "$1" != none ] && [ -s "$2" ] || return 0
	# The first segment read, in the list's order, whose hash is not the
	# manifest's (or that cannot be read).
	segs=$(tail -n +2 "$2")
	bad=$(cd "$1" && {
		printf '%s\n' "$segs" | sed 's#^#register/#' | hashes | sed "s/^/H$TAB/"
		sed "s/^/M$TAB/" manifest.tsv
		printf '%s\n' "$segs" | sed "s/^/R$TAB/"
	} | awk -F"$TAB" '$1 == "H" { h[$2] = $3; next } $1 == "M" && $2 == "segment" { m[$3] = $4; next }
		$1 == "R" && (h["register/" $2] == "" || h["register/" $2] != m["register/" $2]) { print $2; exit }')
	[ -z "$bad" ] || die 2 "$1/register/$bad: changed since its run wrote it (its SHA-256 is not the manifest's): this run read it and is not published; restore it from a backup, or run the periods again from the last good one (docs/guarantees.md)"
}

# The first message of a failed run (on stdin): its cause (the stages after
# the one that failed only saw their input stop).  Warnings are not causes.
cause() {
	grep -v -e "^build-invoices: merchant '" -e ": ignored$" -e "^make" -e "^run: " | head -n 1
}

# progress T: while the run goes on, one line at the terminal: rows read,
# then workbooks written of how many, the rate, the time, what is left.
progress() {
	t=$1 begun=$(date +%s) wb=
	while sleep 1; do
		now=$(date +%s)
		if [ -f "$t/.books" ] && ls "$t"/.progress-render-* >/dev/null 2>&1; then
			[ -n "$wb" ] || wb=$now
			awk -v total="$(cat "$t/.books")" -v el=$((now - wb)) '
				{ done += $1 }
				function clock(s) { return sprintf("%d:%02d", s / 60, s % 60) }
				function grp(n,  s) { s = sprintf("%d", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); return s }
				END {
					rate = el > 0 ? done / el : 0
					line = sprintf("workbooks %s / %s (%.1f%%), %s%s elapsed", grp(done), grp(total),
						total ? 100 * done / total : 100, rate > 0 ? grp(rate) "/s, " : "", clock(el))
					if (rate > 0 && total > done) line = line ", ETA " clock((total - done) / rate)
					printf "\r\033[K%s", line
				}' "$t"/.progress-render-* >/dev/tty 2>/dev/null || true
		elif [ -f "$t/.progress-normalize" ]; then
			printf '\r\033[K%s, %s elapsed' "$(cat "$t/.progress-normalize")" \
				"$(((now - begun) / 60)):$(printf %02d $(((now - begun) % 60)))" >/dev/tty 2>/dev/null || true
		fi
	done
}

# build P IN CONFIG STATE_IN DEST: the data flow into DEST's temporary
# folder, left in $t.  Its messages go to T/run.log; on failure the cause
# goes to stderr, from memory when the log cannot be written (a full disk).
build() {
	p=$1 in=$2 cfg=$3 state=$4 dest=$5
	t=$(dirname "$dest")/.$(basename "$dest" | sed 's/^\.//').tmp
	inputs "$p" "$in" "$cfg"
	rm -rf "$t"
	mkdir -p "$t"
	abs_in=$(cd "$in" && pwd) abs_cfg=$(cd "$cfg" && pwd)
	# What the period is made of; replay reads it back.  The previous state
	# is named relative to OUT when it is in OUT, so that a copied or moved
	# OUT replays from its own states.
	case $state in
	none) rel=none ;;
	*) rel=$(cd "$state" && pwd); out_abs=$(cd "$(dirname "$dest")" && pwd)
	   case $rel in "$out_abs"/*) rel=OUT/${rel#"$out_abs"/} ;; esac ;;
	esac
	{
		printf 'key\tvalue\n'
		printf 'period\t%s\ninput\t%s\nconfig\t%s\nstate_in\t%s\n' "$p" "$abs_in/$p" "$abs_cfg" "$rel"
		[ -z "${as_of:-}" ] || printf 'as_of\t%s\n' "$as_of"
		for f in "$in/$p"/*; do
			[ -f "$f" ] || continue
			printf 'drop_file\t%s %s bytes\n' "$(basename "$f")" "$(wc -c <"$f")"
		done
	} >"$t/run.info"
	mon= clear=
	if [ -t 2 ] && [ -w /dev/tty ]; then
		progress "$t" &
		mon=$!
		[ ! -t 1 ] || clear=1
	fi
	set +e
	# The stages' lines go to stdout; their messages go to run.log as
	# they come and are kept in memory too (a line per merchant at most,
	# not per row), so that a full disk cannot swallow the cause.
	exec 4>&1
	errs=$({ $MAKE --no-print-directory -s -f "$HERE/period.mk" -j"$SHARDS" all \
		P="$p" IN="$in" CONFIG="$cfg" STATE_IN="$state" T="$t" BIN="$BIN" \
		XLSX="$XLSX" SHARDS="$SHARDS" MEASURE="${MEASURE:-}" PROGRESS=${mon:+1} CLEAR="$clear" \
		XLSX_TMPDIR="$XLSX_TMPDIR" \
		SORT_MEM="${SORT_MEM:-256M}" AS_OF="${as_of:-}" HASHES="${early_hashes:-}" 2>&1 1>&4 4>&-; echo "status $?"; } |
		tee -a "$t/run.log" 2>/dev/null)
	exec 4>&-
	set -e
	printf '%s\n' "$errs" | grep -v '^status ' >"$t/run.log" 2>/dev/null || true
	if [ -n "$mon" ]; then
		kill "$mon" 2>/dev/null || true
		wait "$mon" 2>/dev/null || true
		printf '\r\033[K' >/dev/tty 2>/dev/null || true
	fi
	rc=$(printf '%s\n' "$errs" | awk '/^status /{ s = $2 } END { print s + 0 }')
	if [ "$rc" != 0 ]; then
		# A register segment build-invoices found not as a run writes it:
		# changed since its run (its SHA-256) is the cause, as in SPEC 16 (2).
		if [ "$state" != none ] && printf '%s\n' "$errs" | grep -q ": not a register segment as a run writes it"; then
			verify_state "$state" "" full
		fi
		first=$(printf '%s\n' "$errs" | grep -v '^status ' | cause)
		[ -n "$first" ] || first=$(printf '%s\n' "$errs" | grep -v '^status ' | head -n 1)
		# The stages read the configuration's archived copy (the same
		# bytes): the operator's file is named, to be fixed there.
		first=$(printf '%s\n' "$first" | awk -v a="$t/config/" -v b="$cfg/" '{ o = ""; while ((i = index($0, a)) > 0) { o = o substr($0, 1, i - 1) b; $0 = substr($0, i + length(a)) } print o $0 }')
		echo "run: $p failed: $first" >&2
		if [ -s "$t/run.log" ]; then
			echo "run: its work is left in $t (the next run removes it); all messages: $t/run.log" >&2
		else
			echo "run: $t/run.log could not be written (is the disk full? df -h $(dirname "$dest"))" >&2
		fi
		exit 1
	fi
	verify_segments "$state" "$t/.register-read"
	rm -f "$t/.register-read"
}

# The drop and the configuration a run needs are there.
inputs() { # P IN CONFIG
	[ -d "$2/$1" ] || die 1 "$2/$1: no drop for $1 (an empty directory is an empty drop)"
	for f in merchants take-rates entities; do
		[ -f "$3/$f.tsv" ] || die 1 "$3/$f.tsv: missing"
	done
}

# A run stopped by Ctrl-C or a signal: where its work is.
interrupted() {
	[ -z "${mon:-}" ] || kill "$mon" 2>/dev/null || true
	echo >&2
	if [ -n "${t:-}" ] && [ -e "$t" ]; then
		echo "run: ${p:-verify} interrupted: its unfinished work is in $t (the next run removes it); $(dirname "$t") is as it was" >&2
	else
		echo "run: ${p:-verify} interrupted; no unfinished work was left behind" >&2
	fi
	exit 130
}

# Why a run of an issued period is refused: which outputs it would change
# and which inputs differ from those the period was issued from, and what
# to do instead.
refusal() { # P OUT LATER
	p=$1 out=$2 d=$2/.$1.diff
	n=$(wc -l <"$d")
	files=$(sed -n 's#^Files [^ ]* and \(.*\) differ$#\1#p; s#^Only in \(.*\): \(.*\)$#\1/\2#p' "$d" |
		sed "s#^$out/.$p.tmp/##; s#^$out/$p/##; s#^$out/.$p.tmp##; s#^$out/$p##" | head -n 5 | tr '\n' ' ' | sed 's/ $//')
	# The inputs: the drop's files (name and size), the configuration
	# (its archived copy), the previous state.
	was=$(awk -F"$TAB" '$1 == "drop_file" || $1 == "state_in"' "$out/$p/run.info")
	now=$(awk -F"$TAB" '$1 == "drop_file" || $1 == "state_in"' "$out/.$p.tmp/run.info")
	inputs=$(printf '%s\n' "$now" | grep -vxF -e "$was" | cut -f2 |
		sed 's/^/drop file /; s/^drop file \([^ ]*\)$/previous state \1/' | head -n 3 |
		sed ':a; N; s/\n/; /; ba')
	cfg=$(diff -rq "$out/$p/config" "$out/.$p.tmp/config" 2>/dev/null | sed -n 's#.*/config/\([^ :]*\).*#config/\1#p' | sort -u | tr '\n' ' ')
	echo "$p was issued already and this run would change it: $n output$([ "$n" = 1 ] && echo ' differs' || echo 's differ') ($files$([ "$n" -gt 5 ] && echo ' ...'))."
	if [ -n "$inputs$cfg" ]; then
		echo "  It differs in: $inputs${inputs:+${cfg:+; }}$cfg"
	elif [ "$files" = xlsx ] && grep -q "^Only in $out/.$p.tmp: xlsx\$" "$d"; then
		echo "  The inputs are the issued run's; this run renders workbooks and the issued run did not (XLSX=0): render its documents with make xlsx P=$p (docs/render-xlsx.md)."
	else
		echo "  The inputs it records are the issued run's (the drop's file names and sizes, the configuration, the previous state): a drop file was changed but kept its size, or $out/$p was changed after its run."
	fi
	echo "  Issued documents are never changed: correct them in a later period (adjustments: docs/corrections.md)."
	echo "  To issue $p again on purpose, remove $out/$p${3:+ and every later period ($3)} first."
	echo "  This run's output is in $out/.$p.tmp (the next run removes it), its differences in $d."
}

# put T in place of DEST in one step.
put() { # T DEST
	"$BIN/publish" "$1" "$2"
	rm -rf "$1"
}

# What a run's messages say that the operator must see: every warning (a
# skipped file, a held merchant), on stderr, which is the terminal or the
# scheduler's log.
warnings() { # DIR
	grep -v -e '^make' "$1/run.log" >&2 2>/dev/null || true
}

# N things: "1 invoice", "2 invoices".
n() {
	[ "$1" = 1 ] && echo "1 $2" || echo "$1 $2s"
}

# register_counts STATE P: "INVOICES CREDIT_NOTES", those P's run issued,
# from STATE's register index (a series' numbers first to last are all in
# its segment); "0 0" without one.
register_counts() {
	awk -F"$TAB" -v s="$2.tsv" '$1 == s { n[$2] += $6 - $5 + 1 }
		END { print n["invoice"] + 0, n["credit_note"] + 0 }' "$1/register/index.tsv" 2>/dev/null ||
		echo 0 0
}

# summary P DIR: one line on what the run made.
summary() {
	p=$1 d=$2
	date=$("$BIN/periods" issue "$p")
	# The run's documents are its register segment's; the series are
	# gapless, so the register's index counts them: a few rows, where the
	# segment is 86 MB at 10^7 orders (docs/formats.md, "The register").
	set -- $(register_counts "$d/state" "$p")
	inv=$1 cn=$2
	po=$(awk -F"$TAB" -v d="$date" 'NR > 1 && $5 == d' "$d/payouts.tsv" | wc -l)
	rej=$(($(wc -l <"$d/rejects.tsv") - 1))
	why=$(tail -n +2 "$d/rejects.tsv" | cut -f3 | sort | uniq -c |
		awk '{ printf "%s%s %d", (NR > 1 ? ", " : " ("), $2, $1 } END { if (NR) printf ")" }')
	held=$(($(wc -l <"$d/held.tsv") - 1))
	heldm=$(tail -n +2 "$d/held.tsv" | cut -f3 | sort -u | wc -l)
	books=$(find "$d/xlsx" -name '*.xlsx' 2>/dev/null | wc -l)
	echo "$p: $(n "$inv" invoice),$([ "$cn" = 0 ] || echo " $(n "$cn" "credit note"),") $(n "$po" payout), $(n "$rej" "rejected row")$why, $(n "$held" "line") held ($(n "$heldm" merchant)), $(n "$books" workbook) -> $d/"
}

# The previous state a period uses: PREV, or OUT/<P-1>/state; it must be
# the state of the period before, as its run wrote it.
state_for() { # P OUT PREV
	prev=$("$BIN/periods" prev "$1")
	# A period issued already is run again on the state it was issued
	# from, unless PREV names one (a first period stays a first period).
	if [ -z "${3:-}" ] && [ -f "$2/$1/run.info" ]; then
		set -- "$1" "$2" "$(recorded_state "$2" "$1")"
	fi
	if [ "${3:-}" = none ]; then
		# A first period starts a chain: OUT holds no state of a period
		# before it, or the run would number its invoices from 1 again
		# (numbers already issued) and drop what that state carries.  A
		# period issued as a first period stays one (its run.info: none).
		if ! { [ -f "$2/$1/run.info" ] && [ "$(info "$2/$1" state_in)" = none ]; }; then
			before=$(cat "$2"/*/state/period 2>/dev/null | awk -v p="$1" '$0 < p' | LC_ALL=C sort | tail -n 1)
			[ -z "$before" ] ||
				die 2 "PREV=none: $2 holds the state of $before, before $1: a run from no state would number $1's documents from 1 again (numbers $before's chain has issued) and drop the unpaid invoices and held lines that state carries; leave PREV out (the state of $prev), or give another OUT to start a new chain"
		fi
		echo none
		return
	fi
	s=${3:-$2/$prev/state}
	check_path PREV "$s"
	[ -d "$s" ] && { [ -f "$s/period" ] || [ -f "$s/manifest.tsv" ]; } ||
		die 2 "$s: the state of $prev is missing; run period $prev first, or give PREV=none for the first period"
	verify_state "$s" "$(dirname "$(dirname "$s")")/$("$BIN/periods" prev "$prev")/state"
	[ "$(cat "$s/period")" = "$prev" ] ||
		die 2 "$s: this is the state of $(cat "$s/period"); $1 needs the state of $prev"
	echo "$s"
}

# What OUT/P was made of (from its run.info).
info() { # DIR KEY
	awk -F"$TAB" -v k="$2" '$1 == k { print $2 }' "$1/run.info"
}

# The previous state recorded in OUT/P/run.info, resolved in OUT.
recorded_state() { # OUT P
	s=$(info "$1/$2" state_in)
	case $s in OUT/*) echo "$1/${s#OUT/}" ;; *) echo "$s" ;; esac
}

# Periods of OUT after P, in order.
later() { # OUT P
	for d in "$1"/*/; do
		q=$(basename "$d")
		"$BIN/periods" prev "$q" >/dev/null 2>&1 || continue
		[ -f "$d/run.info" ] || continue
		[ "$(printf '%s\n%s\n' "$2" "$q" | LC_ALL=C sort | tail -n 1)" = "$q" ] && [ "$q" != "$2" ] && echo "$q"
	done
	return 0
}

# The drop of P has no file: say so where the operator looks, more loudly
# when the period before had rows.
empty_drop() { # P IN OUT
	for f in "$2/$1"/*; do
		[ -f "$f" ] && return 0
	done
	prev=$("$BIN/periods" prev "$1")
	rows=$(awk -F"$TAB" '$1 == "rows" && $3 == "read" { n += $4 } END { print n + 0 }' \
		"$3/$prev/reconcile.tsv" 2>/dev/null || echo 0)
	if [ "${rows:-0}" -gt 0 ]; then
		echo "run: WARNING: the drop $2/$1 is empty, and the one of $prev had $rows rows: an empty export is far more often a failed export than a quiet half-month; check the export before the invoices go out" >&2
	else
		echo "run: warning: the drop $2/$1 is empty: no orders, refunds, ads or weights (an empty export is more often a failed export than a quiet half-month)" >&2
	fi
}

# forecast P DIR: one line on what the forecast shows.
forecast() {
	p=$1 d=$2
	# One pass over each file (kind is column 6; will_pay and reason 9
	# and 10): at 10^7 orders the expected invoices are 1.3 M rows.
	set -- $(cut -f6 "$d/expected-invoices.tsv" |
		awk 'NR > 1 { n[$1]++ } END { print n["invoice"] + 0, n["credit_note"] + 0 }')
	inv=$1 cn=$2
	set -- $(awk -F"$TAB" 'NR > 1 && $9 == 1 { n++; if ($10 != "") h++ } END { print n + 0, h + 0 }' \
		"$d/next-payouts.tsv")
	pay=$1 hold=$2
	rej=$(($(wc -l <"$d/rejects.tsv") - 1))
	held=$(($(wc -l <"$d/held.tsv") - 1))
	echo "$p as of $as_of: $(n "$inv" "expected invoice"),$([ "$cn" = 0 ] || echo " $(n "$cn" "expected credit note"),") $(n "$pay" payout) on $("$BIN/periods" issue "$p") ($hold held), $(n "$rej" "rejected row"), $(n "$held" "line") held -> $d/"
}

cmd=${1:-}
[ "$cmd" = verify ] || [ $# -ge 2 ] || die 2 "usage: run.sh period|replay|what-if|expected|reprice|xlsx P ... | run.sh verify OUT | run.sh billing-call PAYOUT OUT"
t=
trap 'interrupted' INT TERM
if [ "$cmd" != verify ] && [ "$cmd" != billing-call ]; then
	p=$2
	"$BIN/periods" prev "$p" >/dev/null 2>&1 || die 2 "P: not a period (YYYY-MM-1 or YYYY-MM-2): '$p'"
fi
case $cmd in
period)
	[ $# -ge 5 ] || die 2 "usage: run.sh period P IN CONFIG OUT [PREV]"
	in=$3 cfg=$4 out=$5
	check_path IN "$in"
	check_path CONFIG "$cfg"
	check_path OUT "$out"
	issue=$("$BIN/periods" issue "$p")
	today=$("$BIN/periods" today 2>/dev/null) ||
		die 2 "TODAY: not a date (YYYY-MM-DD): '${TODAY:-}'; leave it unset to take today's date (UTC)"
	[ "$(printf '%s\n%s\n' "$issue" "$today" | LC_ALL=C sort | tail -n 1)" = "$today" ] ||
		die 2 "$p has not ended: its invoices are issued on $issue and today is $today (UTC); set TODAY=YYYY-MM-DD to run it as of another day (tests, replays)"
	state=$(state_for "$p" "$out" "${6:-}")
	lock "$out"
	"$BIN/publish" --recover "$out/$p"
	after=$(later "$out" "$p" | tr '\n' ' ' | sed 's/ $//')
	if [ ! -e "$out/$p" ] && [ -n "$after" ]; then
		die 2 "$out has later periods ($after) built on $p's state: to issue $p again, remove them too (see docs/guarantees.md)"
	fi
	inputs "$p" "$in" "$cfg"
	empty_drop "$p" "$in" "$out"
	say "$p: run from $in/$p, $cfg, previous state $state"
	early_hashes=1
	build "$p" "$in" "$cfg" "$state" "$out/$p"
	manifest "$t/state" "$state" "$t/.hashes"
	rm -f "$t/.hashes"
	if [ -e "$out/$p" ]; then
		# Issued already: the same bytes, or a refusal (SPEC 16).
		# Run without workbooks (XLSX=0), it is compared without them:
		# they are made from the outputs compared (make xlsx renders them).
		# A period issued before periods kept lines.idx has none: the
		# index is derived from lines.tsv, not issued, so it is not
		# compared, and it is added (make xlsx reads through it).
		nox= noidx=
		[ "$XLSX" = 1 ] || [ ! -d "$out/$p/xlsx" ] || nox=1
		[ -e "$out/$p/lines.idx" ] || [ ! -f "$out/.$p.tmp/lines.idx" ] || noidx=1
		diff -rq -x run.log -x run.info ${nox:+-x xlsx} ${noidx:+-x lines.idx} "$out/$p" "$out/.$p.tmp" >"$out/.$p.diff" 2>&1 || true
		if [ ! -s "$out/.$p.diff" ]; then
			n=$(find "$out/$p" -type f ${nox:+! -path "$out/$p/xlsx/*"} | wc -l)
			[ -z "$noidx" ] || mv "$out/.$p.tmp/lines.idx" "$out/$p/lines.idx"
			rm -rf "$out/.$p.tmp" "$out/.$p.diff"
			echo "$p: issued already; this run gives the same bytes ($n files${nox:+, its workbooks not rendered again: XLSX=0}): left as it is${noidx:+, but for lines.idx, the index of its lines by merchant, added (the issued run kept none; nothing issued changes)}"
			exit 0
		fi
		die 2 "$(refusal "$p" "$out" "$after")"
	fi
	put "$out/.$p.tmp" "$out/$p"
	warnings "$out/$p"
	summary "$p" "$out/$p"
	;;
replay)
	[ $# -ge 3 ] || die 2 "usage: run.sh replay P OUT"
	out=$3
	check_path OUT "$out"
	[ -f "$out/$p/run.info" ] || die 2 "$out/$p: no run of $p to replay"
	state=$(recorded_state "$out" "$p")
	[ "$state" = none ] || verify_state "$state"
	lock "$out"
	scratch=$out/.replay-$p
	# A period run without workbooks (XLSX=0) is replayed without them.
	nox=
	[ -d "$out/$p/xlsx" ] || { nox=1 && XLSX=0; }
	early_hashes=1
	build "$p" "$(dirname "$(info "$out/$p" input)")" "$out/$p/config" "$state" "$scratch"
	manifest "$t/state" "$state" "$t/.hashes"
	rm -f "$t/.hashes"
	rm -rf "$scratch"
	mv "$t" "$scratch"
	# The log and run.info name the scratch folder's inputs; all else must
	# be the same bytes.  A run that kept no lines.idx (one issued before
	# periods kept it) is compared without it: it is derived, not issued.
	noidx=
	[ -e "$out/$p/lines.idx" ] || noidx=1
	if diff -rq -x run.log -x run.info ${noidx:+-x lines.idx} "$out/$p" "$scratch" >"$scratch.diff" 2>&1; then
		rm -rf "$scratch" "$scratch.diff"
		echo "$p: replayed, every file identical ($(find "$out/$p" -type f | wc -l) files${nox:+; run without workbooks, as the period was: XLSX=0}${noidx:+; lines.idx not compared: the run kept none})"
	else
		first=$(sort "$scratch.diff" | head -n 1)
		echo "run: $p: the replay differs: $first (all: $scratch.diff, replay in $scratch)" >&2
		exit 1
	fi
	;;
what-if)
	[ $# -ge 4 ] || die 2 "usage: run.sh what-if P CONFIG OUT"
	cfg=$3 out=$4
	check_path CONFIG "$cfg"
	check_path OUT "$out"
	[ -f "$out/$p/run.info" ] || die 2 "$out/$p: no run of $p to compare with"
	state=$(recorded_state "$out" "$p")
	[ "$state" = none ] || verify_state "$state"
	lock "$out"
	scratch=$out/.what-if-$p
	XLSX=0
	build "$p" "$(dirname "$(info "$out/$p" input)")" "$cfg" "$state" "$scratch"
	rm -rf "$scratch"
	mv "$t" "$scratch"
	"$BIN/compare-runs" "$p" "$out/$p" "$scratch" >"$scratch/what-if.tsv"
	n=$(($(wc -l <"$scratch/what-if.tsv") - 1))
	echo "$p with $cfg: $n merchant balances differ -> $scratch/what-if.tsv"
	head -n 21 "$scratch/what-if.tsv"
	;;
expected)
	[ $# -ge 6 ] || die 2 "usage: run.sh expected P AS_OF IN CONFIG OUT [PREV]"
	as_of=$3 in=$4 cfg=$5 out=$6
	check_path IN "$in"
	check_path CONFIG "$cfg"
	check_path OUT "$out"
	days=$("$BIN/periods" days "$p")
	q=$("$BIN/periods" of "$as_of" 2>/dev/null) && [ "$q" = "$p" ] ||
		die 2 "AS_OF: '$as_of' is not a day of $p: give a date from ${days% *} to ${days#* } (YYYY-MM-DD)"
	state=$(state_for "$p" "$out" "${7:-}")
	lock "$out"
	dest=$out/expected/$p
	"$BIN/publish" --recover "$dest"
	inputs "$p" "$in" "$cfg"
	say "$p: forecast as of $as_of from $in/$p, $cfg, previous state $state"
	XLSX=0
	build "$p" "$in" "$cfg" "$state" "$dest"
	warnings "$t"
	# Only what a forecast shows; the scratch state and the numbered
	# files go with the rest.
	find "$t" -mindepth 1 -maxdepth 1 ! -name expected-invoices.tsv ! -name next-payouts.tsv \
		! -name rejects.tsv ! -name held.tsv ! -name run.info -exec rm -rf {} +
	put "$t" "$dest"
	forecast "$p" "$dest"
	;;
reprice)
	[ $# -ge 5 ] || die 2 "usage: run.sh reprice P CONFIG IN OUT"
	cfg=$3 in=$4 out=$5
	check_path CONFIG "$cfg"
	check_path IN "$in"
	check_path OUT "$out"
	[ -f "$out/$p/run.info" ] || die 2 "$out/$p: no run of $p to reprice: run the period first"
	for f in take-rates entities; do
		[ -f "$cfg/$f.tsv" ] || die 1 "$cfg/$f.tsv: missing"
	done
	[ -d "$in/$p" ] || die 1 "$in/$p: no drop for $p"
	# The drop must be the one P was issued from: its files and sizes as
	# run.info records them.
	now=$(for f in "$in/$p"/*; do
		[ -f "$f" ] && printf 'drop_file\t%s %s bytes\n' "$(basename "$f")" "$(wc -c <"$f")"
	done; true)
	[ "$now" = "$(awk -F"$TAB" '$1 == "drop_file"' "$out/$p/run.info")" ] ||
		die 2 "$in/$p: not the drop $p was issued from (its files differ from those $out/$p/run.info lists): reprice from that drop"
	lock "$out"
	dest=$out/reprice/$p t=$out/reprice/.$p.tmp
	"$BIN/publish" --recover "$dest"
	rm -rf "$t"
	mkdir -p "$t"
	# The first lines of lines.tsv are those released from the held lines
	# of the state P read: every carried line is released or held again
	# (with its own, earlier period).
	state=$(recorded_state "$out" "$p") released=0
	[ "$state" = none ] || verify_state "$state"
	verify_state "$out/$p/state"
	if [ "$state" != none ]; then
		released=$(($(tail -n +2 "$state/held.tsv" | wc -l) -
			$(awk -F"$TAB" -v p="$p" 'NR > 1 && $1 != p' "$out/$p/state/held.tsv" | wc -l)))
	fi
	say "$p: reprice from $in/$p with $cfg's take rates"
	set +e
	(
		set -e
		"$BIN/normalize-orders" --period "$p" --rejects "$t/.rejects" --confirmations "$t/.paid" \
			--adjustments "$t/.adjustments" --payout-requests "$t/.requests" \
			--merchant-invoices "$t/.merchant-invoices" "$in/$p" >"$t/.events"
		"$BIN/apply-take-rate" --rates "$out/$p/config/take-rates.tsv" --period "$p" --with-rate \
			--rejects "$t/.rejects-old" "$t/.events" >"$t/.old"
		"$BIN/apply-take-rate" --rates "$cfg/take-rates.tsv" --period "$p" --with-rate \
			--rejects "$t/.rejects-new" "$t/.events" >"$t/.new"
		"$BIN/reprice" --period "$p" --lines "$out/$p/lines.tsv" --invoices "$out/$p/invoices.tsv" \
			--old "$t/.old" --entities "$cfg/entities.tsv" --released "$released" \
			--held "$out/$p/held.tsv" "$t/.new" >"$t/adjustments.tsv" 2>"$t/reprice.log"
	)
	rc=$?
	set -e
	cat "$t/reprice.log" >&2 2>/dev/null || true
	[ "$rc" = 0 ] || die 1 "$p: reprice failed; its work is left in $t"
	rm -f "$t"/.[a-z]*
	put "$t" "$dest"
	rows=$(($(wc -l <"$dest/adjustments.tsv") - 1))
	invs=$(tail -n +2 "$dest/adjustments.tsv" | cut -f2 | sort -u | wc -l)
	echo "$p: $(n "$rows" adjustment) of $(n "$invs" invoice) -> $dest/adjustments.tsv (drop it into the next period's drop as adjustments.tsv)"
	;;
verify)
	[ $# -ge 2 ] || die 2 "usage: run.sh verify OUT"
	out=$2
	n=0
	prev=
	for d in "$out"/*/; do
		q=$(basename "$d")
		"$BIN/periods" prev "$q" >/dev/null 2>&1 && [ -d "$d/state" ] || continue
		verify_state "$out/$q/state" "$prev" full
		prev=$out/$q/state n=$((n + 1))
	done
	echo "$out: $n states, each as its run wrote it, each manifest naming the one before"
	;;
xlsx)
	# One document's workbook on stdout, or every document of a merchant
	# into DIR, from what OUT/P holds: the same inputs as the period's own
	# render, so the same bytes; also for a period run with XLSX=0.
	[ $# -ge 4 ] || die 2 "usage: run.sh xlsx P OUT DOC | run.sh xlsx P OUT --merchant ID DIR"
	out=$3 d=$3/$p
	[ -f "$d/run.info" ] || die 1 "$d: no run of $p (make xlsx renders a period's documents)"
	if [ "$4" = --merchant ]; then
		[ $# -ge 6 ] || die 2 "usage: run.sh xlsx P OUT --merchant ID DIR"
		merchant=$5 dir=$6 doc= key=
		# grep -F finds the candidate rows fast; awk keeps the exact match.
		ident=$(LC_ALL=C grep -h -F -e "$TAB$merchant$TAB" "$d/invoices.tsv" "$d/payouts.tsv" |
			awk -F"$TAB" -v m="$merchant" '$3 == m { print $3; exit }')
		[ -n "$ident" ] || die 1 "$merchant: no document of this merchant in $d"
		needle=$(printf '\t%s\t' "$merchant")
	else
		doc=$4
		row=$(for f in invoices payouts; do
			LC_ALL=C grep -F -e "$doc$TAB" "$d/$f.tsv" |
				awk -F"$TAB" -v n="$doc" -v f="${f%s}" '$1 == n { print f, $2, $3, $5, $4, $6; exit }'
		done | sed 1q)
		[ -n "$row" ] || die 1 "$doc: no invoice, credit note or payout of that number in $d"
		set -- $row
		[ "$1" = payout ] || [ "$4" = "$p" ] ||
			die 1 "$doc was issued in $4, not $p: make xlsx P=$4 DOC=$doc"
		merchant=$3
		# An invoice's or credit note's lines are those of its entity,
		# currency and type (credit notes and reasons alike); a payout
		# shows none.
		[ "$1" = payout ] && key=none || key="$2$TAB$5$TAB$6"
		needle=$(printf '\t%s\t%s\t' "$2" "$3")
	fi
	s=$(mktemp -d) || die 1 "cannot make a scratch folder (TMPDIR)"
	trap 'rm -rf "$s"' EXIT
	# The merchant's lines, in the period's order, grouped by document
	# as the period's render has them (the same sort as period.mk's): read
	# through the period's index of its lines by merchant (lines.idx), or,
	# for a period run before there was one, picked out of all of them.
	if [ -f "$d/lines.idx" ]; then
		"$BIN/pick-lines" --index "$d/lines.idx" --merchant "$merchant" "$d/lines.tsv" >"$s/picked.tsv" ||
			die 1 "$d/lines.idx: cannot read the merchant's lines through it (above): lines.tsv or lines.idx changed after the period's run; put back the files the run wrote"
	else
		# (grep's 1: no line of the merchant's, as for a payout's only)
		{ sed 1q "$d/lines.tsv"; LC_ALL=C grep -F -e "$needle" "$d/lines.tsv" || [ $? = 1 ]; } >"$s/picked.tsv"
	fi
	{ sed 1q "$s/picked.tsv"; tail -n +2 "$s/picked.tsv" |
		awk -F"$TAB" -v k="$key" 'k == "" || $2 "\t" $4 "\t" $5 == k' |
		LC_ALL=C sort -s -t "$TAB" -k2,5 -k14,14; } >"$s/lines.tsv"
	# The merchant's credit-note reasons, sorted alike (period.mk).
	if [ -f "$d/reasons.tsv" ]; then
		{ sed 1q "$d/reasons.tsv"; awk -F"$TAB" -v m="$merchant" -v k="$key" \
			'NR > 1 && $2 == m && (k == "" || $1 "\t" $3 "\t" $4 == k)' "$d/reasons.tsv" |
			LC_ALL=C sort -s -t "$TAB" -k1,5; } >"$s/reasons.tsv"
	fi
	c=$d/config
	"$BIN/render-xlsx" --period "$p" --out "$s" --lines "$s/lines.tsv" \
		--invoices "$d/invoices.tsv" --payouts "$d/payouts.tsv" --items "$d/payout-items.tsv" \
		${XLSX_TMPDIR:+--tmpdir "$XLSX_TMPDIR"} \
		--merchants "$c/merchants.tsv" --entities "$c/entities.tsv" \
		$([ -f "$c/issuers.tsv" ] && echo "--issuers $c/issuers.tsv") \
		$([ -f "$s/reasons.tsv" ] && echo "--reasons $s/reasons.tsv") \
		$([ -f "$d/corrected.tsv" ] && echo "--corrected $d/corrected.tsv") \
		--merchant "$merchant" ${doc:+--document "$doc"} || exit 1
	if [ -n "$doc" ]; then
		f=$(find "$s/xlsx" -name "$doc.xlsx")
		[ -n "$f" ] || die 1 "$doc: its workbook is made by the period that created it, not by $p"
		cat "$f"
	else
		check_path DIR "$dir"
		mkdir -p "$dir"
		n=0
		for f in $(find "$s/xlsx" -name '*.xlsx' | sort); do
			cp "$f" "$dir/" && n=$((n + 1))
		done
		echo "$merchant: $(n "$n" workbook) of $p -> $dir/" >&2
	fi
	;;
billing-call)
	[ $# -ge 3 ] || die 2 "usage: run.sh billing-call PAYOUT OUT"
	po=$2 out=$3
	case $po in
	PO-*) ;;
	*) die 2 "PAYOUT: not a payout number (PO-PREFIX-YYYY-NNNNNN): '$po'" ;;
	esac
	check_path PAYOUT "$po"
	check_path OUT "$out"
	# The period whose run made the payout: the one whose payout-items.tsv
	# lists it (a payout's items are written by that run only).
	p=
	for d in "$out"/*/; do
		q=$(basename "$d")
		"$BIN/periods" prev "$q" >/dev/null 2>&1 && [ -f "$d/payout-items.tsv" ] || continue
		if awk -F"$TAB" -v po="$po" 'NR > 1 && $1 == po { found = 1; exit } END { exit !found }' \
			"$d/payout-items.tsv"; then
			p=$q
			break
		fi
	done
	[ -n "$p" ] || die 1 "$po: no period in $out made this payout (is OUT right?)"
	status=$(awk -F"$TAB" -v po="$po" 'NR > 1 && $1 == po { print $8; exit }' "$out/$p/payouts.tsv")
	[ "$status" = awaiting_invoice ] ||
		die 1 "$po: made by the automatic netting of $p, not on request: only a payout on request has a billing call"
	state=$(recorded_state "$out" "$p")
	[ "$state" = none ] || verify_state "$state"
	# make's own line about a failed recipe stays out of the way: the
	# filter's message says what is wrong.
	err=$(mktemp)
	rc=0
	$MAKE --no-print-directory -s -f "$HERE/period.mk" billing-call P="$p" T="$out/$p" \
		STATE_IN="$state" BIN="$BIN" PAYOUT="$po" SORT_TMP="${TMPDIR:-/tmp}" 2>"$err" || rc=$?
	grep -v '^make' "$err" >&2 || true
	rm -f "$err"
	[ "$rc" = 0 ] || exit 1
	;;
*)
	die 2 "unknown command '$cmd' (period, replay, what-if, expected, reprice, xlsx, verify, billing-call)"
	;;
esac
