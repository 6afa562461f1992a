#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the benchmark initramfs that testing/bench.sh builds (busybox sh).
# Loads mach.ko (and binder_linux.ko when bench.sh found one), runs
# /machbench as /bench.conf says, and powers off.
# The console (ttyS0) gets the kernel's messages; the results port (ttyS1)
# gets machbench's tables, then each CSV between "@@BENCH CSV <name>" and
# "@@BENCH END" lines, then "@@BENCH DONE".  /bench.conf sets LABEL (the
# CSV's clock column), SAME_ARGS and CROSS_ARGS (machbench options for the
# two modes; empty skips that mode).

/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/shm /dev/mqueue
mount -t tmpfs tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue 2>/dev/null
. /bench.conf

if stty -F /dev/ttyS1 raw -echo 2>/dev/null; then
	exec 3>/dev/ttyS1
else
	exec 3>&1
fi

echo "@@BENCH START $(uname -r) label=$LABEL" >&3
if insmod /mach.ko; then
	echo "@@BENCH module loaded" >&3
else
	echo "@@BENCH module NOT loaded: Mach rows will be skipped" >&3
fi

# binder_linux has no dependencies (modinfo: "depends:" empty); its
# "devices" parameter (Debian: "binder") makes /dev/binder in devtmpfs.
if [ -f /binder_linux.ko ]; then
	if insmod /binder_linux.ko && [ -c /dev/binder ]; then
		echo "@@BENCH binder loaded" >&3
	else
		echo "@@BENCH binder NOT loaded: the binder row will be skipped" >&3
	fi
fi
# The mach-names rows need 100,000 names in one space.
max_names=$(cat /sys/module/mach/parameters/max_names 2>/dev/null || echo 0)
if [ "$max_names" -gt 0 ] && [ "$max_names" -lt 100100 ]; then
	echo 100100 >/sys/module/mach/parameters/max_names
fi

run() { # NAME ARGS...
	name=$1
	shift
	echo "@@BENCH RUN $name: machbench $*" >&3
	/machbench --label "$LABEL" --csv "/tmp/$name.csv" "$@" >&3 2>/dev/console
	echo "@@BENCH RC $name $?" >&3
	if [ -f "/tmp/$name.csv" ]; then
		echo "@@BENCH CSV $name" >&3
		cat "/tmp/$name.csv" >&3
		echo "@@BENCH END" >&3
	fi
}

# shellcheck disable=SC2086 # the arguments are word lists on purpose
[ -n "$SAME_ARGS" ] && run same --modes same $SAME_ARGS
# shellcheck disable=SC2086
[ -n "$CROSS_ARGS" ] && run cross --modes cross $CROSS_ARGS

rmmod mach 2>/dev/null
echo "@@BENCH DONE" >&3
sync
poweroff -f
