#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# coverage.sh [--kernels LIST] [--vm-timeout SECS]    (make coverage)
#
# Measure which lines, branches and functions of module/ the tests reach:
# build mach.ko with gcov counters (Kbuild's MACH_GCOV=1, GCOV_PROFILE := y)
# for each debug kernel of LIST (default debug-6.12; the kernels have
# CONFIG_GCOV_KERNEL), boot it with the whole selftest suite (the KUnit
# suites run at load), and after rmmod take the module's .gcda files from
# /sys/kernel/debug/gcov over the results port.  lcov (with bookworm's
# gcc 12's gcov, the compiler of the kernels and of the module) turns them
# into .build/coverage/mach.info, merged over the kernels of LIST, and an
# HTML report in .build/coverage/html/; coverage-report.sh prints line,
# branch and function coverage per file of module/, the functions never
# entered and the error returns never reached.
#
# The tests must pass as in make check; the last line is the report's total
# ("lines N%, branches N%, functions N%") and the exit status is non-zero
# when a test failed or no coverage data came back.
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

kernels=${MACH_KERNELS:-debug-6.12} vm_timeout=${MACH_VM_TIMEOUT:-1800}
while [ $# -gt 0 ]; do
	case $1 in
	--kernels) kernels=$2; shift ;;
	--vm-timeout) vm_timeout=$2; shift ;;
	-h | --help) awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done
kernels=${kernels//,/ }
for k in $kernels; do
	case $k in debug-6.1 | debug-6.12) ;; *) die "coverage needs a debug kernel (CONFIG_GCOV_KERNEL), not '$k'" ;; esac
done

need_pkgs build-essential qemu-system-x86 busybox-static cpio kmod rsync binutils lcov
cov=$MACH_BUILD/coverage
rm -rf "$cov"
mkdir -p "$cov"
gcov_tool=$(command -v gcov-12 || command -v gcov) || die "no gcov"
lcov_opts=(--quiet --rc lcov_branch_coverage=1 --gcov-tool "$gcov_tool")
failed=0

selftests=$("$TESTING_DIR/build-user.sh") || die "building libmach, tools and selftests failed"
machd= lsmp=
[ ! -x "$MACH_BUILD/tools/machd" ] || machd=$MACH_BUILD/tools/machd
[ ! -x "$MACH_BUILD/tools/lsmp" ] || lsmp=$MACH_BUILD/tools/lsmp

infos=()
for k in $kernels; do
	echo "==== $k (gcov) ===="
	out=$MACH_BUILD/$k-gcov
	image=$("$TESTING_DIR/kernel.sh" --image "$k") || die "$k: kernel build failed"
	ko=$(MACH_INSTRUMENT=gcov "$TESTING_DIR/build-module.sh" "$k") || die "$k: module build failed"
	src=$(dirname "$ko")
	"$TESTING_DIR/initramfs.sh" "$out/initramfs.cpio.gz" --module "$ko" --kind debug \
		--selftests "$selftests" ${machd:+--machd "$machd"} ${lsmp:+--lsmp "$lsmp"} --coverage
	echo "booting $k (console: $out/console.log)"
	rm -f "$out/console.log" "$out/results.log"
	vmstatus=0
	MACH_VM_TIMEOUT=$vm_timeout "$TESTING_DIR/vm.sh" "$image" "$out/initramfs.cpio.gz" \
		"$out/console.log" "$out/results.log" || vmstatus=$?
	"$TESTING_DIR/parse.sh" "$k" "$out/results.log" "$out/console.log" "$vmstatus" "$out/counts" \
		>"$out/parse.log"
	read -r p f s <"$out/counts"
	grep -E '^(FAIL|SKIP) ' "$out/parse.log" || true
	echo "[$k] tests: $p passed, $f failed, $s skipped (all results: $out/parse.log)"
	[ "$f" -eq 0 ] || failed=1

	# The archive holds the .gcda files under the build directory's absolute
	# path; each goes next to its .gcno.
	rm -rf "$out/gcda"
	mkdir -p "$out/gcda"
	find "$src" -name '*.gcda' -delete
	if ! extract_blob "$out/results.log" gcov.tar.gz "$out/gcov.tar.gz"; then
		say "$k: the guest sent no gcov data"
		failed=1
		continue
	fi
	tar -C "$out/gcda" -xzf "$out/gcov.tar.gz"
	n=0
	while IFS= read -r f; do
		rel=${f#"$out/gcda"}
		rel=${rel#"$src"/}
		[ -f "$src/${rel%.gcda}.gcno" ] || { say "$k: $rel has no .gcno"; continue; }
		cp "$f" "$src/$rel"
		n=$((n + 1))
	done < <(find "$out/gcda" -name '*.gcda')
	[ "$n" -gt 0 ] || { say "$k: no .gcda matched the build"; failed=1; continue; }
	lcov "${lcov_opts[@]}" --capture --directory "$src" --base-directory "$src" \
		-o "$out/raw.info"
	# Name the sources as the work tree has them, and keep module/ only
	# (not the kernel headers inlined into it).
	sed "s|^SF:$src/|SF:$REPO_DIR/|" "$out/raw.info" >"$out/repo.info"
	lcov "${lcov_opts[@]}" --extract "$out/repo.info" "$REPO_DIR/module/*" -o "$out/module.info"
	infos+=(-a "$out/module.info")
done

[ ${#infos[@]} -gt 0 ] || die "no coverage data"
lcov "${lcov_opts[@]}" "${infos[@]}" -o "$cov/all.info"
# KUnit's own file is test code: measured apart, left out of the figures.
lcov "${lcov_opts[@]}" --remove "$cov/all.info" '*/module/*_kunit.c' -o "$cov/mach.info"
genhtml --quiet --branch-coverage --legend --title "mach.ko ($kernels)" \
	--prefix "$REPO_DIR" -o "$cov/html" "$cov/mach.info" >"$cov/genhtml.log" 2>&1 ||
	{ say "genhtml failed:"; cat "$cov/genhtml.log" >&2; failed=1; }
echo "==== coverage of module/ ($kernels) ===="
"$TESTING_DIR/coverage-report.sh" "$cov/mach.info" "$REPO_DIR" | tee "$cov/report.txt"
echo "HTML report: $cov/html/index.html"
exit "$failed"
