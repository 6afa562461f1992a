#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# coverage-report.sh INFO REPO: print what an lcov tracefile of module/ says.
#
#   - per file: lines, branches and functions reached, and the totals;
#   - every function never entered;
#   - every error site never reached: a line that returns or assigns an error
#     code (a negative errno, or a kern_return_t / mach_msg_return_t failure
#     code named in module/mach_types.h) whose line the tests never ran.
#     Lines the compiler did not emit (another kernel version's branch of an
#     #if) have no counter and are not listed.
#
# The last line is "total: lines N% (h/n), branches N% (h/n), functions N%
# (h/n), error sites N% (h/n)".
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 INFO REPO" >&2; exit 2; }
info=$1 repo=$2

# The failure codes: KERN_* other than KERN_SUCCESS, and the MACH_SEND_* /
# MACH_RCV_* codes (0x1000xxxx; the options share the prefix, not the values).
codes=$(awk '$1 == "#define" && (($2 ~ /^KERN_/ && $3 ~ /^[0-9]+$/ && $3 + 0 > 0) ||
	($2 ~ /^MACH_(SEND|RCV)_/ && $3 ~ /^0x1000/)) { printf "%s%s", sep, $2; sep = "|" }' \
	"$repo/module/mach_types.h")
[ -n "$codes" ] || { echo "no failure codes found in $repo/module/mach_types.h" >&2; exit 1; }

awk -v repo="$repo/" -v codes="$codes" '
function pct(h, n) { return n ? sprintf("%5.1f%%", 100 * h / n) : "    - " }
function flush_file(   f, i, line, src, n, errs) {
	if (sf == "") return
	f = sf; sub("^" repo, "", f)
	files[++nfiles] = f
	lf[f] = nlf; lh[f] = nlh; bf[f] = nbf; bh[f] = nbh; ff[f] = nfn; fh[f] = nfh
	# error sites: scan the source for returns and assignments of failure codes
	n = 0; errs = 0
	while ((getline src < sf) > 0) {
		n++
		if (!(n in da)) continue
		if (src ~ ("(return|=)[ \t(]*(ERR_PTR\\()?(-E[A-Z0-9]+|(" codes "))[ \t)]*;")) {
			errs++
			if (da[n] > 0) errh[f]++
			else unreached[++nun] = sprintf("  %s:%d: %s", f, n, trim(src))
		}
	}
	close(sf)
	errn[f] = errs
	delete da
	sf = ""
}
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
/^SF:/ { flush_file(); sf = substr($0, 4); nlf = nlh = nbf = nbh = nfn = nfh = 0; next }
/^FN:/ { split(substr($0, 4), a, ","); fnline[a[2]] = a[1]; next }
/^FNDA:/ { split(substr($0, 6), a, ","); if (a[1] == 0) { g = sf; sub("^" repo, "", g); nofn[++nnofn] = sprintf("  %s:%d: %s()", g, fnline[a[2]], a[2]) } next }
/^FNF:/ { nfn = substr($0, 5) + 0; next }
/^FNH:/ { nfh = substr($0, 5) + 0; next }
/^DA:/ { split(substr($0, 4), a, ","); da[a[1] + 0] = a[2] + 0; next }
/^LF:/ { nlf = substr($0, 4) + 0; next }
/^LH:/ { nlh = substr($0, 4) + 0; next }
/^BRF:/ { nbf = substr($0, 5) + 0; next }
/^BRH:/ { nbh = substr($0, 5) + 0; next }
/^end_of_record/ { flush_file(); next }
END {
	flush_file()
	printf "%-26s %18s %18s %16s %16s\n", "file", "lines", "branches", "functions", "error sites"
	for (i = 1; i <= nfiles; i++) {
		f = files[i]
		printf "%-26s %s %5d/%-5d %s %5d/%-5d %s %3d/%-3d %s %3d/%-3d\n", f,
			pct(lh[f], lf[f]), lh[f], lf[f], pct(bh[f], bf[f]), bh[f], bf[f],
			pct(fh[f], ff[f]), fh[f], ff[f], pct(errh[f], errn[f]), errh[f], errn[f]
		tlf += lf[f]; tlh += lh[f]; tbf += bf[f]; tbh += bh[f]; tff += ff[f]; tfh += fh[f]
		ten += errn[f]; teh += errh[f]
	}
	printf "%-26s %s %5d/%-5d %s %5d/%-5d %s %3d/%-3d %s %3d/%-3d\n", "total",
		pct(tlh, tlf), tlh, tlf, pct(tbh, tbf), tbh, tbf, pct(tfh, tff), tfh, tff, pct(teh, ten), teh, ten
	print ""
	print "functions never entered: " nnofn
	for (i = 1; i <= nnofn; i++) print nofn[i]
	print "error sites never reached: " nun
	for (i = 1; i <= nun; i++) print unreached[i]
	print ""
	printf "total: lines %s (%d/%d), branches %s (%d/%d), functions %s (%d/%d), error sites %s (%d/%d)\n",
		trim(pct(tlh, tlf)), tlh, tlf, trim(pct(tbh, tbf)), tbh, tbf,
		trim(pct(tfh, tff)), tfh, tff, trim(pct(teh, ten)), teh, ten
}' "$info"
