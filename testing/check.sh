#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [--kernels LIST] [--extra-tests DIR] [--vm-timeout SECS]
#          [--test-timeout SECS] [--icount] [--no-dkms] [--stress]
#
# --test-timeout: seconds per extra test (default 120) and per selftest (default:
# run_tests.sh's own); --vm-timeout: seconds per VM run (default 1200).
#
# --stress (`make stress`): only the stress programs (stress_mix, stress_ipc,
# fault_storm, fuzz_ipc), in their long forms, on debug-6.12 unless --kernels
# says otherwise, without the DKMS check; 4 h per program, VM timeout 5 h.
# The guest's sizes (guest/init.sh) can be overridden with MACH_MIX_MESSAGES,
# MACH_STRESS_MESSAGES, MACH_FUZZ_CALLS and MACH_STORM_ROUNDS.
#
# The whole test matrix (`make check`): build libmach and the selftests, build
# mach.ko for each kernel, boot each kernel under QEMU with them, and count the
# results.  LIST (comma- or space-separated; default: $MACH_KERNELS, else all)
# is drawn from debug-6.1, debug-6.12, stock-6.1.  The last line printed is
# "N passed, N failed" (", N skipped" when some were); the exit status is
# non-zero when anything failed.
#
# Logs go to $MACH_BUILD (default <repo>/.build): <kernel>/console.log (kernel
# console), <kernel>/results.log (what the tests printed), build logs.
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

kernels=${MACH_KERNELS:-}
extra_dir='' vm_timeout=${MACH_VM_TIMEOUT:-} test_timeout=${MACH_TEST_TIMEOUT:-} dkms=1 stress=
while [ $# -gt 0 ]; do
	case $1 in
	--kernels) kernels=$2; shift ;;
	--extra-tests) extra_dir=$2; shift ;;
	--vm-timeout) vm_timeout=$2; shift ;;
	--test-timeout) test_timeout=$2; shift ;;
	--icount) export MACH_ICOUNT=1 ;;
	--no-dkms) dkms= ;;
	--stress) stress=1 ;;
	-h | --help) awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done
if [ -n "$stress" ]; then
	kernels=${kernels:-debug-6.12} vm_timeout=${vm_timeout:-18000} dkms=
fi
kernels=${kernels:-debug-6.1 debug-6.12 stock-6.1} vm_timeout=${vm_timeout:-1200}
kernels=${kernels//,/ }
for k in $kernels; do
	case $k in debug-6.1 | debug-6.12 | stock-6.1) ;; *) die "unknown kernel '$k'" ;; esac
done

need_pkgs build-essential qemu-system-x86 busybox-static cpio kmod rsync binutils
mkdir -p "$MACH_BUILD"
passed=0 failed=0 skipped=0 t_all=$SECONDS
summary=()

# host_result ok|fail NAME: a test that runs on the host.
host_result() {
	if [ "$1" = ok ]; then
		echo "PASS [host] $2"
		passed=$((passed + 1))
	else
		echo "FAIL [host] $2"
		failed=$((failed + 1))
	fi
}

echo "==== host: libmach, tools and selftests ===="
selftests=
if selftests=$("$TESTING_DIR/build-user.sh"); then
	host_result ok "build libmach, tools and selftests"
else
	selftests=
	host_result fail "build libmach, tools and selftests"
fi

# machnetd's pure parts on the host: unit tests, and the frame decoder
# under libFuzzer + ASan/UBSan for 10^6 inputs (a few seconds).
echo "==== host: machnetd unit tests and frame fuzzer ===="
if make -s -C "$REPO_DIR/tools/machnetd" unit >"$MACH_BUILD/machnetd-unit.log" 2>&1; then
	host_result ok "machnetd unit tests (config, hash map, frame codec, counts)"
else
	tail -20 "$MACH_BUILD/machnetd-unit.log"
	host_result fail "machnetd unit tests (config, hash map, frame codec, counts)"
fi
if make -s -C "$REPO_DIR/tools/machnetd" fuzz-run FUZZ_RUNS=1000000 \
	>"$MACH_BUILD/machnetd-fuzz.log" 2>&1 && grep -q '^Done 1000000 runs' "$MACH_BUILD/machnetd-fuzz.log"; then
	host_result ok "machnetd frame decoder fuzz (10^6 inputs, ASan/UBSan)"
else
	tail -20 "$MACH_BUILD/machnetd-fuzz.log"
	host_result fail "machnetd frame decoder fuzz (10^6 inputs, ASan/UBSan)"
fi

machd= lsmp= machnetd=
[ ! -x "$MACH_BUILD/tools/machd" ] || machd=$MACH_BUILD/tools/machd
[ ! -x "$MACH_BUILD/tools/machnetd" ] || machnetd=$MACH_BUILD/tools/machnetd
[ ! -x "$MACH_BUILD/tools/lsmp" ] || lsmp=$MACH_BUILD/tools/lsmp

extra=
if [ -n "$extra_dir" ]; then
	echo "==== host: extra tests from $extra_dir ===="
	if "$TESTING_DIR/build-extra.sh" "$extra_dir"; then
		extra=$MACH_BUILD/extra
		while IFS= read -r t; do
			host_result fail "extra: $t (does not compile)"
		done <"$extra/COMPILE_FAILED"
	else
		host_result fail "extra tests: build"
	fi
fi

if [ -n "$dkms" ]; then
	echo "==== host: dkms ===="
	if "$TESTING_DIR/dkms-check.sh"; then
		host_result ok "dkms add/build/remove against the stock headers"
	else
		host_result fail "dkms add/build/remove against the stock headers"
	fi
fi

echo "==== host: make install ===="
# install-check.sh prints "ok|fail|skip NAME" per part, in a staging directory.
install_rc=0
install_results=$("$TESTING_DIR/install-check.sh") || install_rc=$?
if [ "$install_rc" -ne 0 ] && ! grep -q '^fail ' <<<"$install_results"; then
	install_results+=$'\n'"fail install-check.sh stopped early (status $install_rc)"
fi
while read -r st name; do
	case $st in
	ok | fail) host_result "$st" "install: $name" ;;
	skip) echo "SKIP [host] install: $name"; skipped=$((skipped + 1)) ;;
	esac
done <<<"$install_results"

echo "==== host: mig ===="
# tools/mig/tests/run.sh prints "ok|fail NAME" per part: malformed .defs,
# real .defs and their stubs, options, a short fuzz run (MIG_FUZZ_SECONDS).
need_pkgs flex bison clang libclang-rt-14-dev
mig_rc=0
mig_results=$(make -s -C "$REPO_DIR/tools/mig" check 2>"$MACH_BUILD/mig-check.log") || mig_rc=$?
if [ "$mig_rc" -ne 0 ] && ! grep -q '^fail ' <<<"$mig_results"; then
	mig_results+=$'\n'"fail mig: tools/mig/tests/run.sh stopped early (status $mig_rc, log $MACH_BUILD/mig-check.log)"
fi
while read -r st name; do
	case $st in ok | fail) host_result "$st" "$name" ;; esac
done <<<"$mig_results"

echo "==== host: userspace parsers under libFuzzer ===="
# fuzz/: machd's request decoding and libmach's message helpers, ASan and
# UBSan, each harness MACH_PARSER_FUZZ_SECONDS (default 10) on its corpus.
need_pkgs clang libclang-rt-14-dev
if make -s -C "$REPO_DIR/fuzz" run SECONDS="${MACH_PARSER_FUZZ_SECONDS:-10}" \
	>"$MACH_BUILD/parser-fuzz.log" 2>&1; then
	host_result ok "libFuzzer: machd and libmach parsers ($(grep -c '^fuzz: ' "$MACH_BUILD/parser-fuzz.log") harnesses)"
else
	tail -n 20 "$MACH_BUILD/parser-fuzz.log"
	host_result fail "libFuzzer: machd and libmach parsers (log $MACH_BUILD/parser-fuzz.log)"
fi

for k in $kernels; do
	echo "==== $k ===="
	out=$MACH_BUILD/$k
	mkdir -p "$out"
	t0=$SECONDS
	kind=${k%%-*}
	if ! image=$("$TESTING_DIR/kernel.sh" --image "$k"); then
		echo "FAIL [$k] kernel build"
		failed=$((failed + 1))
		summary+=("$(printf '  %-11s kernel build failed' "$k")")
		continue
	fi
	t1=$SECONDS
	if ! ko=$("$TESTING_DIR/build-module.sh" "$k"); then
		echo "FAIL [$k] module build (W=1, no warnings)"
		failed=$((failed + 1))
		summary+=("$(printf '  %-11s module build failed' "$k")")
		continue
	fi
	echo "PASS [$k] module build (W=1, no warnings)"
	t2=$SECONDS
	"$TESTING_DIR/initramfs.sh" "$out/initramfs.cpio.gz" --module "$ko" --kind "$kind" \
		${selftests:+--selftests "$selftests"} ${extra:+--extra "$extra"} \
		${test_timeout:+--test-timeout "$test_timeout"} ${machd:+--machd "$machd"} \
		${stress:+--stress} ${lsmp:+--lsmp "$lsmp"} ${machnetd:+--machnetd "$machnetd"}
	echo "booting $k (console: $out/console.log)"
	rm -f "$out/console.log" "$out/results.log"
	vmstatus=0
	MACH_VM_TIMEOUT=$vm_timeout "$TESTING_DIR/vm.sh" "$image" "$out/initramfs.cpio.gz" \
		"$out/console.log" "$out/results.log" || vmstatus=$?
	t3=$SECONDS
	"$TESTING_DIR/parse.sh" "$k" "$out/results.log" "$out/console.log" "$vmstatus" "$out/counts"
	read -r p f s <"$out/counts"
	p=$((p + 1)) # the module build
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	timing="kernel $((t1 - t0)) s, module $((t2 - t1)) s, VM $((t3 - t2)) s"
	echo "time [$k]: $timing"
	summary+=("$(printf '  %-11s %3d passed %3d failed %3d skipped   (%s)' "$k" "$p" "$f" "$s" "$timing")")
done

echo "==== summary ($((SECONDS - t_all)) s) ===="
for l in "${summary[@]}"; do echo "$l"; done
line="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || line+=", $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
