#!/bin/sh
# Golden tests: every directory below tests/golden holding a `cmd` file is a
# case.  The case directory (without expected/) is copied to a scratch
# directory, `cmd` runs there with the filters first on PATH, and stdout,
# stderr, the exit status and every other file named in expected/ must
# equal expected/ byte for byte.
#
#   tests/golden/run.sh BINDIR [CASE_DIR...]
#
# With GOLDEN_UPDATE=1 the outputs are written into expected/ instead (for
# new cases: read every produced file before committing it).
set -u
bin=$(cd "$1" && pwd) || exit 2
shift
[ $# -gt 0 ] || set -- $(find tests/golden -name cmd -type f | sed 's#/cmd$##' | sort)
export LC_ALL=C TZ=UTC
pass=0
fail=0
for dir in "$@"; do
	[ -f "$dir/cmd" ] || { echo "golden: $dir: not a case (no cmd file there)" >&2; exit 2; }
	work=$(mktemp -d)
	cp -R "$dir"/. "$work"/
	rm -rf "$work/expected" "$work/cmd"
	(cd "$work" && find . -type f | sort) >"$work.inputs"
	(cd "$work" && PATH="$bin:$PATH" sh "$OLDPWD/$dir/cmd" >stdout 2>stderr; echo $? >status)
	if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
		mkdir -p "$dir/expected"
		(cd "$work" && find . -type f | sort) | comm -13 "$work.inputs" - |
			while read -r f; do
				mkdir -p "$dir/expected/$(dirname "$f")"
				cp "$work/$f" "$dir/expected/$f"
			done
		echo "updated $dir"
	else
		bad=0
		# A case pins at least its stdout, stderr and exit status.
		for f in stdout stderr status; do
			[ -f "$dir/expected/$f" ] && continue
			echo "FAIL $dir: no expected/$f (GOLDEN_UPDATE=1 writes it: read it before committing)"
			bad=1
		done
		[ -d "$dir/expected" ] &&
		for f in $(cd "$dir/expected" && find . -type f | sort); do
			if ! cmp -s "$dir/expected/$f" "$work/$f"; then
				echo "FAIL $dir: $f differs:"
				diff "$dir/expected/$f" "$work/$f" | head -20
				bad=1
			fi
		done
		if [ $bad = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	fi
	rm -rf "$work" "$work.inputs"
done
[ "${GOLDEN_UPDATE:-}" = 1 ] && exit 0
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]
