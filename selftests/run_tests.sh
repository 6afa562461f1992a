#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the Mach IPC selftests listed in TESTS (next to this script) and print
# one TAP stream: each program's own TAP output indented four spaces as a
# subtest, then "ok K name", "not ok K name" or "ok K name # SKIP" (a
# program that exits 4 skipped).  Runs under busybox sh.  Exits non-zero if
# any program failed, timed out or is missing.
#
# MACH_SELFTEST_TIMEOUT: seconds allowed per program (default 900).

cd "$(dirname "$0")" || exit 1
limit=${MACH_SELFTEST_TIMEOUT:-900}

if [ ! -r TESTS ]; then
	echo "TAP version 13"
	echo "1..0"
	echo "Bail out! no TESTS file in $(pwd)"
	exit 1
fi

list=""
n=0
while IFS= read -r t || [ -n "$t" ]; do
	case "$t" in
	"" | \#*) continue ;;
	esac
	list="$list $t"
	n=$((n + 1))
done < TESTS

tmp=$(mktemp -d 2>/dev/null) || tmp=/tmp/mach_selftests.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT

echo "TAP version 13"
echo "1..$n"
k=0
passed=0
failed=0
skipped=0
for t in $list; do
	k=$((k + 1))
	if [ ! -x "./$t" ]; then
		echo "not ok $k $t # missing executable"
		failed=$((failed + 1))
		continue
	fi
	echo "    # Subtest: $t"
	# The exit status travels through a file: a pipeline's status is sed's.
	# SIGTERM first so the program can kill its case processes; KILL later.
	rm -f "$tmp/rc"
	t0=$(date +%s)
	{
		timeout -s TERM -k 10 "$limit" "./$t" </dev/null 2>&1
		echo $? > "$tmp/rc"
	} | sed 's/^/    /'
	rc=$(cat "$tmp/rc" 2>/dev/null)
	echo "    # $t: $(($(date +%s) - t0)) s"
	case "$rc" in
	0)
		echo "ok $k $t"
		passed=$((passed + 1))
		;;
	4)
		echo "ok $k $t # SKIP"
		skipped=$((skipped + 1))
		;;
	124 | 137 | 143)
		echo "not ok $k $t # TIMEOUT ${limit}s (exit $rc)"
		failed=$((failed + 1))
		;;
	*)
		echo "not ok $k $t # exit ${rc:-unknown}"
		failed=$((failed + 1))
		;;
	esac
done

echo "# $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
