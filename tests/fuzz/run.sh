#!/bin/sh
# libFuzzer runs of the harnesses built from tests/fuzz/*.c (see
# docs/fuzzing.md).
#
#   tests/fuzz/run.sh smoke DIR NAME:RUNS...
#       each harness DIR/bin/NAME over a scratch copy of its seed corpus,
#       seed 1, RUNS inputs: the same inputs every time.  Fails on any
#       crash, leak, sanitizer report or timeout; the log and the input
#       at fault stay in DIR/smoke/NAME/.
#   tests/fuzz/run.sh long DIR NAME SECONDS [FLAG...]
#       one harness for SECONDS, random seed; new inputs are kept in
#       DIR/corpus/NAME/ (the seed corpus is only read), crashes go to
#       DIR/artifacts/.  FLAGs go to libFuzzer (-jobs=2, -max_len=...).
set -u
export LC_ALL=C TZ=UTC
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
mode=$1
dir=$2
shift 2
max_len=65536

# The dictionary of a harness, when it has one.
dict() {
	[ -f "tests/fuzz/$1.dict" ] && echo "-dict=tests/fuzz/$1.dict"
}

case $mode in
smoke)
	fail=0
	for spec in "$@"; do
		name=${spec%%:*}
		runs=${spec#*:}
		work=$dir/smoke/$name
		rm -rf "$work"
		mkdir -p "$work/corpus"
		cp tests/fuzz/corpus/"$name"/* "$work/corpus/"
		start=$(date +%s)
		# The same inputs every time: no timed reload of the corpus, no
		# operand values (addresses) in mutations, leaks checked at the
		# end only (see docs/fuzzing.md).
		# shellcheck disable=SC2046
		"$dir/bin/$name" -seed=1 -runs="$runs" -reload=0 -use_cmp=0 -use_memmem=0 \
			-detect_leaks=0 -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix="$work/" $(dict "$name") \
			"$work/corpus" >"$work/log" 2>&1
		rc=$?
		secs=$(($(date +%s) - start))
		if [ $rc != 0 ] || grep -q -e 'runtime error:' -e '^==[0-9]*==ERROR' "$work/log"; then
			echo "fuzz-smoke: $name: FAILED (status $rc), log and input in $work/"
			grep -A 30 -m 1 -e 'runtime error:' -e 'ERROR' -e 'Assertion' "$work/log"
			fail=1
			continue
		fi
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
		cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1)
		echo "fuzz-smoke: $name: $execs inputs, $cov, ${secs}s"
	done
	exit $fail
	;;
long)
	name=$1
	secs=$2
	shift 2
	mkdir -p "$dir/corpus/$name" "$dir/artifacts"
	# shellcheck disable=SC2046
	exec "$dir/bin/$name" -max_total_time="$secs" -max_len=$max_len -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$dir/artifacts/$name-" $(dict "$name") "$@" \
		"$dir/corpus/$name" "tests/fuzz/corpus/$name"
	;;
*)
	echo "usage: tests/fuzz/run.sh smoke DIR NAME:RUNS... | long DIR NAME SECONDS [FLAG...]" >&2
	exit 2
	;;
esac
