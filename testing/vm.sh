#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh KERNEL_IMAGE INITRAMFS CONSOLE_LOG [RESULTS_LOG]
#
# Boot a test VM under QEMU's software emulation (KVM does not work on these
# machines) and wait for it to reboot itself, or kill it after MACH_VM_TIMEOUT
# seconds (default 1200).  The kernel's console (ttyS0) goes to CONSOLE_LOG,
# the init's results port (ttyS1) to RESULTS_LOG; with CONSOLE_LOG "-" the
# console goes to the terminal (for `make run`).
# MACH_ICOUNT=1 adds -icount shift=0: guest time then counts executed
# instructions, which makes timings repeatable.
# Exit status: QEMU's, or 124 on timeout.
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || die "usage: $0 KERNEL_IMAGE INITRAMFS CONSOLE_LOG [RESULTS_LOG]"
image=$1 initrd=$2 console=$3 results=${4:-/dev/null}
timeout=${MACH_VM_TIMEOUT:-1200}
need_pkgs qemu-system-x86

args=(-accel tcg -smp 2 -m 2G -nodefaults -display none -monitor none -no-reboot
	-kernel "$image" -initrd "$initrd"
	-append "console=ttyS0 printk.time=1 panic=-1 ${MACH_APPEND:-}")
if [ "$console" = - ]; then
	args+=(-serial stdio)
else
	args+=(-serial "file:$console")
fi
args+=(-serial "file:$results")
if [ -n "${MACH_ICOUNT:-}" ]; then args+=(-icount shift=0); fi

# -k: QEMU gets SIGTERM first, then SIGKILL if it ignores it.
timeout -k 10 "$timeout" qemu-system-x86_64 "${args[@]}" </dev/null
