#!/bin/sh
# The README's set-up on a machine that has nothing: a new Debian 12 root
# (debootstrap --variant=minbase bookworm: no make, no compiler), the
# committed tree copied into it (git archive HEAD, never the working
# directory), and the README's two set-up commands run in it with chroot,
# as root, one after the other; both must pass.
#
#   tests/fresh/run.sh        (as root; make check-fresh installs debootstrap first)
#
# The commands are the indented lines of the README's "## Set-up" section,
# comments removed, read from the copied tree; there must be two.  Each
# runs with bash in /srv/settle, with a clean environment (root's PATH,
# HOME=/root) and no terminal.  /proc, /sys, /dev, /dev/pts and /dev/shm are
# mounted in the root for them; whatever happens (a failure, a signal), what
# still runs in the root is killed and everything is unmounted at the end.
#
# The root is a tmpfs in FRESH_DIR (default cache/fresh, git-ignored; about
# 1.5 GB of memory at the end), removed at the end (FRESH_KEEP=1: kept, for
# a look; the next run removes it).  The root debootstrap makes is kept,
# pristine, as a tarball in FRESH_DIR, so a later run unpacks it instead of
# bootstrapping again; delete it to bootstrap anew.  Each command's output
# goes to FRESH_DIR/log/ (kept); its last lines are printed, and the
# packages it installed are listed in FRESH_DIR/log/packages-N.txt.  Each
# step's wall time is printed.
#
# Environment: FRESH_DIR, FRESH_MIRROR (default http://deb.debian.org/debian),
# FRESH_KEEP.
# Exit status: 0 both commands passed; 1 a step failed; 2 not run as root.
set -eu
export LC_ALL=C

die() { # STATUS MESSAGE
	echo "check-fresh: $2" >&2
	exit "$1"
}

[ "$(id -u)" = 0 ] || die 2 "needs root (debootstrap, mount, chroot): sudo make check-fresh"
for t in debootstrap chroot git mount umount mountpoint flock; do
	command -v $t >/dev/null 2>&1 || die 1 "$t: not found (make check-fresh installs debootstrap)"
done

top=$(cd "$(dirname "$0")/../.." && pwd -P)
dir=${FRESH_DIR:-$top/cache/fresh}
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
arch=$(dpkg --print-architecture)
tarball=$dir/$suite-minbase-$arch.tar
root=$dir/root
log=$dir/log
project=/srv/settle

mkdir -p "$dir"
exec 9>"$dir/lock"
flock -n 9 || die 1 "$dir: another check-fresh is running"
rm -rf "$log"
mkdir -p "$log"

# Seconds since the epoch, with a fraction; a step's duration.
now() { date +%s.%N; }
took() { # STEP START
	awk -v s="$2" -v e="$(now)" -v n="$1" 'BEGIN { printf "check-fresh: %-34s %6.1f s\n", n, e - s }'
}

# A step's command runs in the background and is waited for, so that a
# signal to this script stops it at once (the trap below then cleans up).
child=
run() { # COMMAND...
	"$@" &
	child=$!
	rc=0
	wait "$child" || rc=$?
	child=
	return $rc
}

# Nothing may run in the root, nor stay mounted in it, once this is done.
# The root itself is a tmpfs (quick to fill, gone at once when unmounted).
mounted_in() { # the mounts below the root, deepest first
	awk -v r="$root/" 'index($5, r) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}
in_root() { # the processes whose root is the new root
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && echo "${p#/proc/}"
	done
	return 0
}
unmount_all() { # all but the root's tmpfs
	if [ -n "$child" ]; then
		kill "$child" 2>/dev/null
		wait "$child" 2>/dev/null
		child=
	fi
	k=0
	while [ -n "$(in_root)" ] && [ $k -lt 20 ]; do
		# shellcheck disable=SC2046 # one word per process id
		kill -KILL $(in_root) 2>/dev/null
		sleep 0.1
		k=$((k + 1))
	done
	for m in $(mounted_in); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	return 0
}
remove_root() {
	unmount_all
	if [ -n "$(mounted_in)" ]; then
		echo "check-fresh: still mounted, $root not removed:" >&2
		mounted_in >&2
		return 1
	fi
	if mountpoint -q "$root"; then umount "$root" || umount -l "$root"; fi
	rm -rf --one-file-system "$root"
}
keep=${FRESH_KEEP:-0}
finish() {
	status=$?
	set +e
	t=$(now)
	if [ "$keep" = 1 ]; then
		unmount_all
		echo "check-fresh: the root is kept in $root, a tmpfs (the next run, or umount $root, removes it)"
	else
		remove_root || status=1
	fi
	took "clean-up" "$t"
	took "total" "$start"
	exit $status
}
start=$(now)
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# 1. The new root: from the cached tarball, else debootstrap (and cache it).
t=$(now)
remove_root || exit 1
mkdir -p "$root"
mount -t tmpfs -o size=8g,mode=0755 fresh-root "$root"
if [ -f "$tarball" ]; then
	tar --numeric-owner -xpf "$tarball" -C "$root"
	took "root from $(basename "$tarball")" "$t"
else
	echo "check-fresh: debootstrap --variant=minbase $suite from $mirror"
	if ! run debootstrap --variant=minbase --arch="$arch" "$suite" "$root" "$mirror" >"$log/debootstrap.log" 2>&1; then
		tail -n 20 "$log/debootstrap.log" >&2
		die 1 "debootstrap failed; its log: $log/debootstrap.log"
	fi
	[ -z "$(mounted_in)" ] || die 1 "debootstrap left mounts in $root"
	tar --numeric-owner -cpf "$tarball.tmp" -C "$root" .
	mv "$tarball.tmp" "$tarball"
	took "root by debootstrap (now cached)" "$t"
fi

# 2. The committed tree, and the network settings the host uses.
t=$(now)
commit=$(git -C "$top" rev-parse --short HEAD)
mkdir -p "$root$project"
git -C "$top" archive --format=tar HEAD | tar -xf - -C "$root$project"
[ -z "$(git -C "$top" status --porcelain --untracked-files=no)" ] ||
	echo "check-fresh: note: uncommitted changes are not part of the copy"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
took "copy of $commit (git archive)" "$t"

# The README's set-up commands.
sed -n '/^## Set-up/,/^## /p' "$root$project/README.md" |
	sed -n 's/^    //p' | sed 's/[[:space:]]#.*//; s/[[:space:]]*$//' | grep . >"$dir/commands" || true
[ "$(wc -l <"$dir/commands")" = 2 ] ||
	die 1 "the README's Set-up section should hold two commands; it holds $(wc -l <"$dir/commands")"

# 3. and 4. Each command in the root, as root's bash would run it, with
# /proc, /sys and /dev mounted (/dev bound from the host, private, so that
# nothing mounted below it reaches the host's).
installed() { dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${db:Status-Status} ${Package}\n' | sed -n 's/^installed //p' | sort; }
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --make-private "$root/dev"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$root/dev/pts"
mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
n=0
while read -r cmd; do
	n=$((n + 1))
	echo "check-fresh: command $n: $cmd"
	installed >"$log/before"
	t=$(now)
	rc=0
	run chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd $project && $cmd" </dev/null >"$log/command-$n.log" 2>&1 || rc=$?
	installed | comm -13 "$log/before" - >"$log/packages-$n.txt"
	rm -f "$log/before"
	if [ $rc != 0 ]; then
		tail -n 40 "$log/command-$n.log" | sed 's/^/  | /'
		took "command $n FAILED (status $rc)" "$t"
		die 1 "command $n failed; its log: $log/command-$n.log"
	fi
	tail -n 4 "$log/command-$n.log" | sed 's/^/  | /'
	echo "check-fresh: command $n installed $(wc -l <"$log/packages-$n.txt") packages ($log/packages-$n.txt)"
	took "command $n" "$t"
done <"$dir/commands"
echo "check-fresh: both set-up commands pass on a new Debian 12 minbase root"
