#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KERNEL: build mach.ko for one kernel of the matrix and print
# its path.
#
# The sources (Kbuild, module/, uapi/) are copied to $MACH_BUILD/KERNEL/src so
# that no object lands in the work tree and the kernels do not trample each
# other's objects.  Built with W=1; any compiler warning fails the build.
# MACH_SRC may point at another tree with the same layout (used to test the
# harness itself).
#
# MACH_INSTRUMENT=gcov|kcov builds an instrumented module (Kbuild's MACH_GCOV
# or MACH_KCOV; make coverage and make fuzz) in $MACH_BUILD/KERNEL-gcov or
# KERNEL-kcov instead, so it never mixes with the plain build's objects.
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: $0 KERNEL"
kernel=$1
src=${MACH_SRC:-$REPO_DIR}
kdir=$("$TESTING_DIR/kernel.sh" "$kernel")
out=$MACH_BUILD/$kernel
instrument=()
case ${MACH_INSTRUMENT:-} in
'') ;;
gcov) instrument=(MACH_GCOV=1) out=$MACH_BUILD/$kernel-gcov ;;
kcov) instrument=(MACH_KCOV=1) out=$MACH_BUILD/$kernel-kcov ;;
*) die "MACH_INSTRUMENT must be gcov or kcov" ;;
esac
log=$out/module-build.log

[ -f "$src/Kbuild" ] || die "no Kbuild in $src"
mkdir -p "$out"
rm -rf "$out/src"
mkdir -p "$out/src"
rsync -a --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	"$src/Kbuild" "$src/module" "$src/uapi" "$out/src/"

if ! make -C "$kdir" M="$out/src" W=1 -j"$(nproc)" "${instrument[@]}" modules >"$log" 2>&1; then
	say "$kernel: module build FAILED (log: $log)"
	log_tail "$log"
	exit 1
fi
if grep -q 'warning:' "$log"; then
	say "$kernel: module build has compiler warnings (treated as errors):"
	grep -A3 'warning:' "$log" >&2
	exit 1
fi
[ -f "$out/src/mach.ko" ] || die "$kernel: build succeeded but made no mach.ko (log: $log)"
echo "$out/src/mach.ko"
