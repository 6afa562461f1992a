#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# initramfs.sh OUT --module KO --kind debug|stock [--mode check|run]
#              [--selftests DIR] [--extra DIR] [--test-timeout SECS]
#              [--machd PATH] [--lsmp PATH] [--machnetd PATH] [--stress] [--coverage]
#              [--fuzz SECS]
#
# --fuzz SECS (make fuzz): the guest runs the selftests' kcov_fuzz for SECS
# seconds on their corpus instead of the tests, and sends what it kept to
# the results port (guest/init.sh).
#
# --coverage (make coverage): after rmmod the guest sends the module's gcov
# data to the results port (guest/init.sh).
#
# --stress: the guest runs only the stress programs, in their long forms
# (guest/init.sh); MACH_MIX_MESSAGES, MACH_STRESS_MESSAGES, MACH_FUZZ_CALLS
# and MACH_STORM_ROUNDS from our environment override their sizes.
#
# --test-timeout applies to each extra test (default 120 s) and, when given, to
# each selftest (else selftests/run_tests.sh keeps its own default).
#
# Build the gzip'd initramfs that a test VM boots: busybox-static, the init of
# guest/init.sh, mach.ko, the selftests (DIR as made by build-user.sh) and the
# extra tests (DIR as made by build-extra.sh), machd, and lsmp as /usr/bin/lsmp
# with the shared libraries it links (Debian has no static libmnl).
# machnetd's multi-host tests (selftests/net_*) need machnetd (--machnetd,
# static, as /usr/sbin/machnetd) and veth: built into the debug kernels, a
# module of the stock one, packed as /veth.ko for guest/init.sh to load.
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

ko='' kind='' mode=check selftests='' extra='' test_timeout=120 selftest_timeout='' machd='' lsmp='' machnetd='' stress=0 coverage=0 fuzz=''
out=${1:?usage: $0 OUT --module KO --kind debug|stock ...}
shift
while [ $# -gt 0 ]; do
	case $1 in
	--module) ko=$2 ;;
	--kind) kind=$2 ;;
	--mode) mode=$2 ;;
	--selftests) selftests=$2 ;;
	--extra) extra=$2 ;;
	--test-timeout) test_timeout=$2 selftest_timeout=$2 ;;
	--machd) machd=$2 ;;
	--stress) stress=1; shift; continue ;;
	--coverage) coverage=1; shift; continue ;;
	--fuzz) fuzz=$2 ;;
	--lsmp) lsmp=$2 ;;
	--machnetd) machnetd=$2 ;;
	*) die "unknown option $1" ;;
	esac
	shift 2
done
[ -f "$ko" ] || die "no module '$ko'"
case $kind in debug | stock) ;; *) die "--kind must be debug or stock" ;; esac

need_pkgs busybox-static cpio gzip binutils rsync file
file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' ||
	ldd /bin/busybox 2>&1 | grep -q 'not a dynamic executable' ||
	die "/bin/busybox is not static (install busybox-static)"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# The guest's / is this directory: mktemp made it 0700, which would keep every
# user but root from reaching /dev/mach or the tests.
chmod 755 "$stage"
mkdir -p "$stage"/{bin,dev,etc,proc,sys,tmp,root}
cp /bin/busybox "$stage/bin/busybox"
cp "$TESTING_DIR/guest/init.sh" "$stage/init"
chmod 755 "$stage/init"
cp "$ko" "$stage/mach.ko"
# The kernel opens /dev/console for init before anything mounts devtmpfs.
mknod -m 600 "$stage/dev/console" c 5 1

# KUnit results are expected exactly when the module carries KUnit suites.
expect_kunit=0
if objdump -h "$ko" | grep -q '\.kunit_test_suites'; then expect_kunit=1; fi

if [ -n "$selftests" ] && [ -f "$selftests/TESTS" ]; then
	# Objects are not needed in the guest; everything else may be test data.
	rsync -a --exclude='*.o' --exclude=obj/ "$selftests/" "$stage/selftests/"
fi
if [ -n "$extra" ] && [ -f "$extra/TESTS" ]; then
	mkdir -p "$stage/extra"
	cp -a "$extra/run" "$stage/extra/run"
	cp "$extra/TESTS" "$stage/extra/TESTS"
fi
if [ -n "$machd" ]; then
	mkdir -p "$stage/usr/sbin"
	cp "$machd" "$stage/usr/sbin/machd"
fi
if [ -n "$lsmp" ]; then
	mkdir -p "$stage/usr/bin"
	cp "$lsmp" "$stage/usr/bin/lsmp"
	# a dynamic lsmp: its loader and libraries, at the paths it expects
	for lib in $(ldd "$lsmp" 2>/dev/null | grep -o '/[^ ]*'); do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
fi
if [ -n "$machnetd" ]; then
	mkdir -p "$stage/usr/sbin"
	cp "$machnetd" "$stage/usr/sbin/machnetd"
fi
if [ "$kind" = stock ]; then
	v=$(stock_kernel_version) || die "no stock kernel"
	veth=$(find "/lib/modules/$v/kernel/drivers/net" -maxdepth 1 -name 'veth.ko*' | head -n 1)
	case $veth in
	*.ko) cp "$veth" "$stage/veth.ko" ;;
	*.ko.xz) xz -dc "$veth" >"$stage/veth.ko" ;;
	*.ko.zst) zstd -dqc "$veth" >"$stage/veth.ko" ;;
	*) say "NOTE: no veth module for $v: machnetd's tests will fail" ;;
	esac
fi
cat >"$stage/harness.conf" <<CONF
MODE=$mode
KIND=$kind
EXPECT_KUNIT=$expect_kunit
TEST_TIMEOUT=$test_timeout
SELFTEST_TIMEOUT=$selftest_timeout
INSMOD_TIMEOUT=${MACH_INSMOD_TIMEOUT:-600}
STRESS=$stress
COVERAGE=$coverage
FUZZ=$fuzz
MIX_MESSAGES=${MACH_MIX_MESSAGES:-}
STRESS_MESSAGES=${MACH_STRESS_MESSAGES:-}
FUZZ_CALLS=${MACH_FUZZ_CALLS:-}
STORM_ROUNDS=${MACH_STORM_ROUNDS:-}
CONF

(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
