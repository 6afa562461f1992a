#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# parse.sh KERNEL RESULTS_LOG CONSOLE_LOG VM_STATUS COUNTS_FILE
#
# Read one VM run and print its results: the KUnit KTAP and selftest TAP as the
# guest printed them, then one line per counted test ("PASS", "FAIL", "SKIP").
# Writes "passed failed skipped" to COUNTS_FILE.  VM_STATUS is QEMU's exit
# status as vm.sh returned it (124: timed out).
#
# Counted tests:
#   - each harness test the init reported (insmod, /dev/mach, rmmod, extra tests)
#   - each KUnit test case (or the suite itself if it has no case lines); cases
#     that the suite's plan announces but that have no result count as failed
#   - each top-level result of the selftest runner's TAP; tests listed in
#     TESTS without a result count as failed
#   - "kmemleak: no leaks" on debug kernels
#   - "VM run reached its end" (the init's end marker was seen)
#   - "no kernel splats" in the console log
set -euo pipefail

[ $# -eq 5 ] || { echo "usage: $0 KERNEL RESULTS CONSOLE VM_STATUS COUNTS" >&2; exit 2; }
kernel=$1 results=$2 console=$3 vmstatus=$4 counts=$5
touch "$results" "$console"

# --- the results port ----------------------------------------------------------
# Markers may follow test output that did not end in a newline, so they are
# matched anywhere in a line.
tr -d '\r' <"$results" | awk -v K="$kernel" -v VMST="$vmstatus" '
function res(kind, name, why) {
	if (kind == "ok") { np++; tag = "PASS" } else if (kind == "skip") { ns++; tag = "SKIP" } else { nf++; tag = "FAIL" }
	lines[++nl] = sprintf("%s [%s] %s%s", tag, K, name, why != "" ? "  # " why : "")
}
# directive(LINE): the text after " # " in a TAP line, or "".
function directive(l,   i) { i = index(l, " # "); return i ? substr(l, i + 3) : "" }
function is_skip(l) { return toupper(directive(l)) ~ /^SKIP/ }
# tapname(LINE): the test name of "ok N name # directive".
function tapname(l) {
	sub(/^[ \t]*(not )?ok [0-9]+ (- )?/, "", l)
	sub(/ # .*$/, "", l)
	return l
}
{
	line = $0
	m = index(line, "@@MACH ")
	if (m) {
		if (m > 1) { pre = substr(line, 1, m - 1); handle(pre) }
		marker(substr(line, m + 7))
		next
	}
	handle(line)
}
function marker(s,   w, kind, name, why, i) {
	split(s, w, " ")
	if (w[1] == "BEGIN") { begun = 1; print "VM booted: kernel " w[2]; return }
	if (w[1] == "END") { ended = 1; return }
	if (w[1] == "TEST") {
		kind = w[2]; name = s; sub(/^TEST [a-z]+ /, "", name); why = ""
		i = index(name, " # "); if (i) { why = substr(name, i + 3); name = substr(name, 1, i - 1) }
		res(kind, name, why); return
	}
	if (w[1] == "KUNIT-BEGIN") {
		section = "kunit"; suite = w[2]; ncases = 0; suiteline = ""; plan = 0
		print "---- KUnit suite " suite " ----"; return
	}
	if (w[1] == "KUNIT-END") {
		if (suiteline == "") res("fail", "kunit " suite, "suite did not finish (no result line)")
		else if (suiteline ~ /^not ok/ && (ncases == 0 || !casefail)) res("fail", "kunit " suite, directive(suiteline))
		else if (ncases == 0) res(is_skip(suiteline) ? "skip" : "ok", "kunit " suite, directive(suiteline))
		if (plan > ncases) res("fail", "kunit " suite ": " (plan - ncases) " of " plan " cases have no result", "")
		section = ""; casefail = 0; return
	}
	if (w[1] == "SELFTESTS-BEGIN") {
		section = "self"; expected = w[2] + 0; ntap = 0; selfbegun = 1
		print "---- selftests (TAP) ----"; return
	}
	if (w[1] == "SELFTESTS-END") { section = ""; selfended = 1; selfrc = w[2]; return }
	if (w[1] == "KMEMLEAK-BEGIN") { section = "kmemleak"; kmemleak = 1; nleaks = 0; print "---- kmemleak ----"; return }
	if (w[1] == "KMEMLEAK-END") {
		section = ""
		if (nleaks) res("fail", "kmemleak: no leaks", nleaks " unreferenced objects")
		else res("ok", "kmemleak: no leaks", "")
		return
	}
	if (w[1] == "OUTPUT-BEGIN") { name = s; sub(/^OUTPUT-BEGIN /, "", name); print "---- output of " name " ----"; return }
	if (w[1] == "OUTPUT-END") return
	# BLOB-BEGIN NAME ... BLOB-END NAME: data for the host (base64), not output
	if (w[1] == "BLOB-BEGIN") { section = "blob"; return }
	if (w[1] == "BLOB-END") { section = ""; return }
}
function handle(l) {
	if (section == "blob") return
	print l
	if (section == "kunit") {
		# Case lines are indented one level (4 spaces); deeper ones are the
		# parameters of a parameterized case, counted once with their case.
		if (l ~ /^    1\.\.[0-9]+/) { plan = l; sub(/^    1\.\./, "", plan); plan += 0 }
		if (l ~ /^    (not )?ok [0-9]+ /) {
			ncases++
			if (l ~ /^    not ok/) { casefail = 1; res("fail", "kunit " suite "." tapname(l), directive(l)) }
			else res(is_skip(l) ? "skip" : "ok", "kunit " suite "." tapname(l), is_skip(l) ? directive(l) : "")
		} else if (l ~ /^(not )?ok [0-9]+ /)
			suiteline = l
	} else if (section == "self") {
		if (l ~ /^(not )?ok [0-9]+/) {
			ntap++
			if (l ~ /^not ok/) res("fail", "selftest " tapname(l), directive(l))
			else res(is_skip(l) ? "skip" : "ok", "selftest " tapname(l), is_skip(l) ? directive(l) : "")
		} else if (l ~ /^Bail out!/)
			res("fail", "selftests", l)
	} else if (section == "kmemleak") {
		if (l ~ /unreferenced object/) nleaks++
	}
}
END {
	if (selfbegun) {
		if (!selfended) res("fail", "selftests: runner finished", "no end marker")
		if (ntap < expected) res("fail", "selftests: " (expected - ntap) " of " expected " listed tests have no result", "")
	}
	if (ended) res("ok", "VM run reached its end", "")
	else if (!begun) res("fail", "VM run reached its end", "the init never started (QEMU status " VMST ")")
	else if (VMST == 124) res("fail", "VM run reached its end", "timed out")
	else res("fail", "VM run reached its end", "stopped early (QEMU status " VMST "); see the console log")
	print "---- results ----"
	for (i = 1; i <= nl; i++) print lines[i]
	printf "%d %d %d\n", np, nf, ns > "/dev/stderr"
}' 2>"$counts.results"

# --- the console: kernel splats ------------------------------------------------
# Only kernel messages count (the part after a "[ seconds.micros]" stamp, found
# anywhere in a line since user output may precede it); KTAP lines that KUnit
# prints are skipped.  A "Call Trace:" counts on its own only when no other
# splat was reported in the 50 kernel lines before it; a report within 10
# lines of another is part of it.
tr -d '\r' <"$console" | awk -v K="$kernel" '
BEGIN {
	pat = "BUG:|WARNING:|KASAN:|UBSAN:|Oops|general protection|kernel BUG at|Kernel panic|" \
	      "possible circular locking|possible recursive locking|inconsistent lock state|" \
	      "possible irq lock inversion|suspicious RCU usage|trying to register non-static key|" \
	      "unreferenced object|blocked for more than|soft lockup|hard LOCKUP|" \
	      "detected stalls on CPU|self-detected stall|list_add corruption|list_del corruption"
}
{
	if (!match($0, /\[ *[0-9]+\.[0-9]+\] /)) next
	n++
	msg = substr($0, RSTART + RLENGTH)
	if (msg ~ /^[ \t]*(# |(not )?ok [0-9]|KTAP version|1\.\.[0-9])/) next
	# "BUG: ..." followed by "Oops: ..." a few lines on is one splat, not two.
	if (msg ~ pat && !(last && n - last <= 10)) { nsplat++; last = n; show = 60; print "SPLAT: " msg; next }
	if (msg ~ /Call Trace:/ && (last == 0 || n - last > 50)) { nsplat++; last = n; show = 60; print "SPLAT: " msg; next }
	if (show > 0) { show--; print "       " msg; if (msg ~ /---\[ end trace/) show = 0 }
}
END { exit nsplat ? 1 : 0 }' >"$counts.splats" && splat=0 || splat=1

if [ "$splat" -ne 0 ]; then
	echo "---- kernel splats in $console ----"
	cat "$counts.splats"
fi
read -r p f s <"$counts.results"
if [ "$splat" -eq 0 ]; then
	echo "PASS [$kernel] no kernel splats"
	p=$((p + 1))
else
	echo "FAIL [$kernel] no kernel splats  # $(grep -c '^SPLAT' "$counts.splats") found, see above"
	f=$((f + 1))
fi
rm -f "$counts.results" "$counts.splats"
echo "$p $f $s" >"$counts"
