#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh (`make run`): show mach.ko working.
#
# On a machine whose kernel loads modules (and as root): build the module for
# the running kernel, load it, show /dev/mach, run the demo programs, unload it.
# Elsewhere (as on our build machines, whose kernel cannot load modules): boot
# Debian's stock kernel in QEMU (about 20 s; no kernel build needed) with an init
# that does the same.  MACH_RUN_KERNEL=debug-6.1 (or debug-6.12) boots a debug
# kernel instead (built first if not cached).
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

echo "Building libmach and the selftests ..."
selftests=$("$TESTING_DIR/build-user.sh") || die "userspace build failed"

if [ -e /proc/modules ] && [ "$(id -u)" -eq 0 ] && [ -z "${MACH_RUN_KERNEL:-}" ]; then
	kdir=/lib/modules/$(uname -r)/build
	[ -d "$kdir" ] || die "no headers for the running kernel at $kdir (install linux-headers-$(uname -r))"
	out=$MACH_BUILD/host
	rm -rf "$out" && mkdir -p "$out/src"
	rsync -a "$REPO_DIR/Kbuild" "$REPO_DIR/module" "$REPO_DIR/uapi" "$out/src/"
	echo "Building mach.ko for $(uname -r) ..."
	make -C "$kdir" M="$out/src" modules >"$out/module-build.log" 2>&1 ||
		{ log_tail "$out/module-build.log"; die "module build failed"; }
	loaded=
	if ! grep -q '^mach ' /proc/modules; then
		echo '$ insmod mach.ko'
		insmod "$out/src/mach.ko"
		loaded=1
	fi
	echo '$ ls -l /dev/mach'
	ls -l /dev/mach
	ran=
	if [ -n "$selftests" ]; then
		for d in $(grep '^demo' "$selftests/TESTS" || true); do
			echo "\$ $d"
			(cd "$selftests" && "./$d") || echo "($d exited with status $?)"
			ran=1
		done
	fi
	[ -n "$ran" ] || echo "(no demo programs built yet)"
	if [ -n "$loaded" ]; then
		echo '$ rmmod mach'
		rmmod mach
	fi
	exit 0
fi

kernel=${MACH_RUN_KERNEL:-stock-6.1}
kind=${kernel%%-*}
echo "This kernel cannot load modules here; booting $kernel in QEMU instead."
image=$("$TESTING_DIR/kernel.sh" --image "$kernel")
ko=$("$TESTING_DIR/build-module.sh" "$kernel")
out=$MACH_BUILD/$kernel
machd=
[ ! -x "$MACH_BUILD/tools/machd" ] || machd=$MACH_BUILD/tools/machd
lsmp=
[ ! -x "$MACH_BUILD/tools/lsmp" ] || lsmp=$MACH_BUILD/tools/lsmp
"$TESTING_DIR/initramfs.sh" "$out/initramfs-run.cpio.gz" --module "$ko" --kind "$kind" \
	--mode run ${selftests:+--selftests "$selftests"} ${machd:+--machd "$machd"} \
	${lsmp:+--lsmp "$lsmp"}
echo "Booting (kernel messages below warning level are hidden) ..."
MACH_APPEND="quiet ${MACH_APPEND:-}" MACH_VM_TIMEOUT=${MACH_VM_TIMEOUT:-600} \
	"$TESTING_DIR/vm.sh" "$image" "$out/initramfs-run.cpio.gz" -
