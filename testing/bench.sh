#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [--iterations N] [--runs R] [--cross-iterations N] [--cross-runs R]
#          [--mech LIST] [--no-cross] [--no-icount] [--no-wall]
#          [--vm-timeout SECS]
#
# Run bench/machbench in Debian's stock kernel (never a debug kernel: KASAN
# and lockdep distort the ratios) under QEMU, twice: with the guest clock
# following the host ("wall") and with -icount shift=0 ("icount": guest time
# counts executed instructions, which makes the column repeatable).  The
# wall boot measures the same-CPU mode and, with fewer iterations (a wake-up
# across emulated CPUs costs milliseconds under TCG), the cross-CPU mode;
# the icount boot has one CPU (a second one does not come up under -icount)
# and measures the same-CPU mode only.
# Prints both tables and writes to $MACH_BUILD/bench/:
#   wall.csv icount.csv   machbench's rows (the clock column says which)
#   bench.csv             both, one header
#   summary.txt           the two columns side by side
#   bench.png             latency against size per mechanism (gnuplot)
#   wall.log icount.log   the results ports; *-console.log the kernel's
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

iters=300 runs=7 xiters=40 xruns=5 mech='' cross=1 icount=1 wall=1
while [ $# -gt 0 ]; do
	case $1 in
	--iterations) iters=$2; shift ;;
	--runs) runs=$2; shift ;;
	--cross-iterations) xiters=$2; shift ;;
	--cross-runs) xruns=$2; shift ;;
	--mech) mech=$2; shift ;;
	--no-cross) cross= ;;
	--no-icount) icount= ;;
	--no-wall) wall= ;; # icount only: quick, deterministic comparisons
	--vm-timeout) export MACH_VM_TIMEOUT=$2; shift ;;
	-h | --help) sed -n '3,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done

out=$MACH_BUILD/bench
mkdir -p "$out/bin"
need_pkgs build-essential busybox-static cpio gzip qemu-system-x86

image=$("$TESTING_DIR/kernel.sh" --image stock-6.1)
ko=$("$TESTING_DIR/build-module.sh" stock-6.1)
say "kernel: $image; module: $ko"

# binder: Debian builds it as a module (binder_linux, /dev/binder from its
# "devices" parameter, no binderfs); the guest loads it when it is here.
kver=${image##*/vmlinuz-}
binder_ko=
for f in "/lib/modules/$kver/kernel/drivers/android/binder_linux.ko"{,.xz,.zst}; do
	[ -f "$f" ] && binder_ko=$f && break
done
if [ -n "$binder_ko" ]; then
	say "binder: $binder_ko"
else
	say "binder: no binder_linux.ko for $kver; the binder row will be skipped"
fi
log=$out/build.log
if ! { make -C "$REPO_DIR" libmach && make -C "$REPO_DIR/bench" OUTPUT="$out/bin"; } >"$log" 2>&1; then
	say "machbench build FAILED (log: $log)"
	log_tail "$log"
	exit 1
fi

common=(-n "$iters" -r "$runs")
xcommon=(-n "$xiters" -r "$xruns")
if [ -n "$mech" ]; then common+=(-m "$mech"); xcommon+=(-m "$mech"); fi

# boot LABEL: one VM run; leaves $out/LABEL.log, LABEL-console.log, LABEL.csv.
boot() {
	local label=$1 stage rc=0
	stage=$(mktemp -d)
	mkdir -p "$stage"/{bin,dev,proc,sys,tmp}
	cp /bin/busybox "$stage/bin/busybox"
	cp "$TESTING_DIR/guest/bench-init.sh" "$stage/init"
	chmod 755 "$stage/init"
	cp "$ko" "$stage/mach.ko"
	case $binder_ko in
	*.xz) xz -dc "$binder_ko" >"$stage/binder_linux.ko" ;;
	*.zst) zstd -qdc "$binder_ko" >"$stage/binder_linux.ko" ;;
	?*) cp "$binder_ko" "$stage/binder_linux.ko" ;;
	esac
	cp "$out/bin/machbench" "$stage/machbench"
	mknod -m 600 "$stage/dev/console" c 5 1
	{
		echo "LABEL=$label"
		echo "SAME_ARGS='${common[*]}'"
		if [ -n "$cross" ] && [ "$label" = wall ]; then echo "CROSS_ARGS='${xcommon[*]}'"; else echo "CROSS_ARGS="; fi
	} >"$stage/bench.conf"
	(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$out/$label-initrd.gz"
	rm -rf "$stage"

	say "booting $image ($label clock)"
	: >"$out/$label.log"
	if [ "$label" = icount ]; then
		# A second CPU does not come up under -icount (the boot hangs in
		# "smp: Bringing up secondary CPUs"): one CPU, same-CPU mode only.
		MACH_ICOUNT=1 MACH_APPEND="maxcpus=1 ${MACH_APPEND:-}" "$TESTING_DIR/vm.sh" "$image" "$out/$label-initrd.gz" \
			"$out/$label-console.log" "$out/$label.log" || rc=$?
	else
		MACH_ICOUNT='' "$TESTING_DIR/vm.sh" "$image" "$out/$label-initrd.gz" \
			"$out/$label-console.log" "$out/$label.log" || rc=$?
	fi
	rm -f "$out/$label-initrd.gz"
	sed -i 's/\r$//' "$out/$label.log"
	grep -q '^@@BENCH DONE' "$out/$label.log" ||
		die "$label run did not finish (qemu rc $rc; see $out/$label.log and $out/$label-console.log)"
	grep -q '^@@BENCH module loaded' "$out/$label.log" ||
		die "mach.ko did not load in the $label run (see $out/$label-console.log)"
	# The CSV sections, one header.
	awk '/^@@BENCH CSV /{on=1; next} /^@@BENCH END/{on=0; next}
	     on && (!/^clock,/ || !hdr++)' "$out/$label.log" >"$out/$label.csv"
	echo
	echo "===== $label clock ====="
	# The log without the CSV sections and the markers.
	awk '/^@@BENCH CSV /{skip=1} /^@@BENCH END/{skip=0; next} !skip && !/^@@BENCH/' \
		"$out/$label.log"
}

labels=()
if [ -n "$wall" ]; then
	boot wall
	labels+=(wall)
fi
if [ -n "$icount" ]; then
	boot icount
	labels+=(icount)
fi
csvs=()
for l in "${labels[@]}"; do csvs+=("$out/$l.csv"); done

# bench.csv: all rows; summary.txt: the columns side by side.
first=1
: >"$out/bench.csv"
for l in "${labels[@]}"; do
	if [ $first = 1 ]; then cat "$out/$l.csv"; else tail -n +2 "$out/$l.csv"; fi >>"$out/bench.csv"
	first=0
done
awk -F, '
	NR == 1 { next }
	# Kernel memory rows: bytes per object, the same under either clock.
	$4 == "mem" {
		note = $12
		gsub(/"/, "", note)
		sub(/^bytes per object; /, "", note)
		if (!($3 in mem)) { mem[$3] = ($8 == "" ? note : $8 " bytes (" note ")"); morder[++m] = $3 }
		next
	}
	{
		key = $2 SUBSEP $3 SUBSEP $5
		if (!(key in seen)) { seen[key] = 1; order[++n] = key; kind[key] = $4 }
		if ($8 == "") { val[$1, key] = "-"; next }
		val[$1, key] = sprintf("%.0f [%.0f-%.0f]", $8, $9, $10)
		rat[$1, key] = ($11 == "" ? "-" : sprintf("%.2f", $11))
	}
	END {
		printf "%-5s %-18s %-4s %8s | %-30s %6s | %-30s %6s\n", "mode", "mechanism", "kind",
		       "size", "wall ns median [p10-p90]", "x_pipe", "icount ns median [p10-p90]", "x_pipe"
		for (i = 1; i <= n; i++) {
			split(order[i], k, SUBSEP)
			w = ("wall", order[i]) in val ? val["wall", order[i]] : "-"
			c = ("icount", order[i]) in val ? val["icount", order[i]] : "-"
			wr = ("wall", order[i]) in rat ? rat["wall", order[i]] : "-"
			cr = ("icount", order[i]) in rat ? rat["icount", order[i]] : "-"
			printf "%-5s %-18s %-4s %8s | %-30s %6s | %-30s %6s\n", k[1], k[2], kind[order[i]],
			       k[3], w, wr, c, cr
		}
		if (m) print "\nkernel memory per object (growth of Slab):"
		for (i = 1; i <= m; i++) printf "  %-9s %s\n", morder[i], mem[morder[i]]
	}' "$out/bench.csv" >"$out/summary.txt"
echo
echo "===== both columns (ns per operation; x_pipe: ratio to the pipe row of the same size and mode) ====="
cat "$out/summary.txt"

need_pkgs gnuplot-nox
"$REPO_DIR/bench/plot.sh" "$out/bench.png" "${csvs[@]}" >/dev/null ||
	say "plot failed; the CSV files are complete"
echo
say "results: $out/{wall.csv,icount.csv,bench.csv,summary.txt,bench.png}"
