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
# MACH_ICOUNT=1 adds -icount shift=0 (or $MACH_ICOUNT_OPTS): guest time then
# counts executed instructions, which makes timings repeatable.  It also makes
# the VM single-CPU: with -icount and two vCPUs, QEMU 7.2 never finishes
# bringing up the second CPU of the stock kernel.  MACH_SMP and MACH_MEM
# override -smp 2 and -m 2G.
# Exit status: QEMU's, or 124 on timeout.
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || die "usage: $0 KERNEL_IMAGE INITRAMFS CONSOLE_LOG [RESULTS_LOG]"
image=$1 initrd=$2 console=$3 results=${4:-/dev/null}
timeout=${MACH_VM_TIMEOUT:-1200}
need_pkgs qemu-system-x86

smp=${MACH_SMP:-2}
if [ -n "${MACH_ICOUNT:-}" ]; then smp=${MACH_SMP:-1}; fi
args=(-accel tcg -smp "$smp" -m "${MACH_MEM:-2G}" -nodefaults -display none -monitor none -no-reboot
	-kernel "$image" -initrd "$initrd"
	-append "console=ttyS0 printk.time=1 panic=-1 ${MACH_APPEND:-}")
if [ "$console" = - ]; then
	args+=(-serial stdio)
else
	args+=(-serial "file:$console")
fi
args+=(-serial "file:$results")
if [ -n "${MACH_ICOUNT:-}" ]; then args+=(-icount "${MACH_ICOUNT_OPTS:-shift=0}"); fi

# -k: QEMU gets SIGTERM first, then SIGKILL if it ignores it.
timeout -k 10 "$timeout" qemu-system-x86_64 "${args[@]}" </dev/null
