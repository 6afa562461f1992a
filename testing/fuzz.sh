#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh [--kernels LIST] [--duration SECS] [--update]      (make fuzz)
#
# Coverage-guided fuzzing of mach.ko: build it with KCOV instrumentation
# (Kbuild's MACH_KCOV=1; the debug kernels have CONFIG_KCOV), boot the debug
# kernel (default debug-6.12) and run selftests/kcov_fuzz for SECS seconds
# (default 600; DURATION= from make) on the corpus of selftests/corpus/.
# It keeps every input that reaches a new edge of the module; at the end
# the guest sends back a minimal corpus reaching every edge found, with
# each operation's result recorded, and any input whose actors died or
# hung (crash-N.seq).
#
# Results, under $MACH_BUILD/fuzz/<kernel>/: out/corpus/*.seq (the new
# corpus), out/crash-*.seq, edges.tsv (seconds, executions, corpus size,
# edges: every 10 s), results.log and console.log.  --update (UPDATE=1)
# replaces selftests/corpus/*.seq with the new corpus, for a commit.
#
# Like make check, the run fails on a kernel splat, a kmemleak report after
# unload, a module that does not unload, or the fuzzer failing to run.  A
# duration of 0 only runs the corpus once and records its results.
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

kernels=${MACH_KERNELS:-debug-6.12} duration=600 update=
while [ $# -gt 0 ]; do
	case $1 in
	--kernels) kernels=$2; shift ;;
	--duration) duration=$2; shift ;;
	--update) update=1 ;;
	-h | --help) awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done
[[ $duration =~ ^[0-9]+$ ]] || die "--duration takes seconds"
kernels=${kernels//,/ }
for k in $kernels; do
	case $k in debug-6.1 | debug-6.12) ;; *) die "fuzzing needs a debug kernel (CONFIG_KCOV), not '$k'" ;; esac
done
need_pkgs build-essential qemu-system-x86 busybox-static cpio kmod rsync binutils

selftests=$("$TESTING_DIR/build-user.sh") || die "building libmach, tools and selftests failed"
[ -x "$selftests/kcov_fuzz" ] || die "no kcov_fuzz in $selftests"
machd=
[ ! -x "$MACH_BUILD/tools/machd" ] || machd=$MACH_BUILD/tools/machd
failed=0
for k in $kernels; do
	echo "==== $k (KCOV, $duration s) ===="
	out=$MACH_BUILD/fuzz/$k
	rm -rf "$out"
	mkdir -p "$out"
	image=$("$TESTING_DIR/kernel.sh" --image "$k") || die "$k: kernel build failed"
	ko=$(MACH_INSTRUMENT=kcov "$TESTING_DIR/build-module.sh" "$k") || die "$k: module build failed"
	"$TESTING_DIR/initramfs.sh" "$out/initramfs.cpio.gz" --module "$ko" --kind debug \
		--selftests "$selftests" ${machd:+--machd "$machd"} --fuzz "$duration"
	echo "booting $k (console: $out/console.log)"
	vmstatus=0
	MACH_VM_TIMEOUT=$((duration + 1800)) "$TESTING_DIR/vm.sh" "$image" "$out/initramfs.cpio.gz" \
		"$out/console.log" "$out/results.log" || vmstatus=$?
	"$TESTING_DIR/parse.sh" "$k" "$out/results.log" "$out/console.log" "$vmstatus" "$out/counts" \
		>"$out/parse.log"
	read -r p f s <"$out/counts"
	grep -E '^(FAIL|SKIP) ' "$out/parse.log" || true
	grep -E '^(    )?fuzz: ' "$out/parse.log" | sed 's/^    //' | grep -v ' t=[0-9]* ' || true
	tr -d '\r' <"$out/results.log" | sed -n 's/^fuzz: t=\([0-9]*\) execs=\([0-9]*\) corpus=\([0-9]*\) edges=\([0-9]*\).*/\1\t\2\t\3\t\4/p' \
		>"$out/edges.tsv"
	echo "[$k] edges over time (s, execs, corpus, edges): $out/edges.tsv"
	awk 'NR == 1 || NR % 6 == 0 { print "  " $0 } END { print "  " $0 " (end)" }' "$out/edges.tsv"
	echo "[$k] $p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ] || failed=1
	if extract_blob "$out/results.log" fuzz.tar.gz "$out/fuzz.tar.gz"; then
		mkdir -p "$out/out"
		tar -C "$out/out" -xzf "$out/fuzz.tar.gz"
		n=$(find "$out/out/corpus" -name '*.seq' | wc -l)
		echo "[$k] corpus: $n inputs in $out/out/corpus"
		for c in "$out"/out/crash-*.seq; do
			[ -e "$c" ] || continue
			echo "[$k] FINDING: $c"
			failed=1
		done
		if [ -n "$update" ] && [ "$n" -gt 0 ]; then
			rm -f "$REPO_DIR"/selftests/corpus/*.seq
			cp "$out"/out/corpus/*.seq "$REPO_DIR/selftests/corpus/"
			echo "[$k] selftests/corpus/ now holds these $n inputs"
		fi
	else
		say "$k: the guest sent back no corpus"
		failed=1
	fi
done
exit "$failed"
