#!/bin/sh
# LibreOffice, headless, with a profile of its own, for the tests that read
# workbooks back or print them:
#
#   tests/xlsx/soffice.sh PROFILE_DIR SOFFICE_ARGUMENT...
#
# soffice now and then hangs on start-up (threads waiting on each other,
# no CPU used).  A test must not hang with it: each attempt has two minutes,
# and a hung one is killed and tried again with a fresh profile, three times
# in all.  Any other failure is LibreOffice's answer and is returned as is.
set -u
profile=$1
shift
n=1
while :; do
	timeout -k 5 120 soffice -env:UserInstallation="file://$profile" --headless "$@"
	rc=$?
	case $rc in 124 | 137) ;; *) exit $rc ;; esac
	[ $n -lt 3 ] || { echo "soffice: hung three times, two minutes each" >&2; exit $rc; }
	n=$((n + 1))
	rm -rf "$profile"
done
