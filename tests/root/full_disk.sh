#!/bin/sh
# A full disk under OUT (a small tmpfs, so root only): the run fails with
# status 1 and the cause, "No space left on device", on stderr (run.log is
# on the full disk itself); OUT has no period; with room again, the next
# run removes the unfinished work and makes the period.
#
#   tests/root/full_disk.sh BINDIR
set -u
bin=$(cd "$1" && pwd) || exit 2
[ "$(id -u)" = 0 ] || { echo "full_disk: needs root (it mounts a tmpfs)"; exit 2; }
here=$(pwd)
work=$(mktemp -d)
trap 'umount "$work/full" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work" || exit 2
"$bin/gen-drop" --orders 20000 --merchants 300 d >/dev/null
mkdir full
mount -t tmpfs -o size=3m tmpfs full || { echo "full_disk: cannot mount a tmpfs here"; exit 2; }
fail=0
check() { # WHAT CONDITION...
	what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}
env BIN="$bin" SHARDS=2 sh "$here/pipelines/run.sh" period 2024-03-1 d/in d/config full/out none >/dev/null 2>err
check "a full disk is status 1" [ $? = 1 ]
check "the cause is on stderr" grep -q 'failed: .*No space left on device' err
check "stderr says run.log could not be written" grep -q 'run.log could not be written (is the disk full' err
check "no period in OUT" [ ! -e full/out/2024-03-1 ]
umount full
mount -t tmpfs -o size=200m tmpfs full
mkdir -p full/out/.2024-03-1.tmp/xlsx && : > full/out/.2024-03-1.tmp/xlsx/left.xlsx
env BIN="$bin" SHARDS=2 sh "$here/pipelines/run.sh" period 2024-03-1 d/in d/config full/out none >/dev/null 2>err
check "with room again the run passes" [ $? = 0 ]
check "the period is there" [ -f full/out/2024-03-1/invoices.tsv ]
check "the unfinished work is gone" [ ! -e full/out/.2024-03-1.tmp ]
[ $fail = 0 ] || { echo "--- stderr"; cat err; }
exit $fail
