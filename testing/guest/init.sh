#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test initramfs (busybox sh).  Loads mach.ko, runs the KUnit
# suites (they run when the module loads), the selftests and the extra tests,
# unloads the module, scans for leaks, and reboots (QEMU runs with -no-reboot,
# so a reboot ends it; our tiny kernels have no ACPI to power off with).
#
# Two serial ports: the kernel's console is ttyS0, and everything the tests
# print goes to ttyS1 with "@@MACH ..." markers, so the host can parse results
# without kernel messages cut into them, and look for kernel splats in a log
# that holds nothing else.  /harness.conf sets MODE, KIND, EXPECT_KUNIT,
# TEST_TIMEOUT, SELFTEST_TIMEOUT, INSMOD_TIMEOUT, and for make stress STRESS=1
# and the optional sizes MIX_MESSAGES, STRESS_MESSAGES, FUZZ_CALLS and
# STORM_ROUNDS; for make coverage COVERAGE=1; for make fuzz FUZZ=SECONDS.

/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /sbin /usr/bin /usr/sbin
# initramfs.sh packs a `mktemp -d` directory, mode 0700, and cpio gives its
# mode to /.  A real root is 0755: without that no user but root can reach
# any path, and a test that drops to another uid cannot even open /dev/mach.
/bin/busybox chmod 755 /
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null # may be mounted already
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mkdir -p /dev/shm /dev/mqueue /root
mount -t tmpfs tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue 2>/dev/null
hostname mach-test
. /harness.conf

# Results port; fall back to the console if there is no second serial port.
echo_console=
if [ "$MODE" = check ] && stty -F /dev/ttyS1 raw -echo 2>/dev/null; then
	exec 3>/dev/ttyS1
	echo_console=1 # show progress on the console too
else
	exec 3>&1
fi

# alive PID: the process exists and is not a zombie.
alive() { [ -e "/proc/$1" ] && ! grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null; }
mark() { [ "$MODE" != check ] || echo "@@MACH $*" >&3; }
# test_result ok|fail|skip NAME [REASON]: one harness-level test.
test_result() {
	mark "TEST $1 $2${3:+ # $3}"
	[ -z "$echo_console" ] || echo "@@MACH TEST $1 $2${3:+ # $3}"
}
finish() {
	mark END
	sync
	reboot -f
	sleep 60 # reboot -f does not return; wait for it
}

# run_with_timeout SECS PROG...: run PROG, killing it after SECS.  Prints the
# status; 124 means it timed out.
run_with_timeout() {
	t=$1
	shift
	"$@" &
	pid=$!
	(
		sleep "$t"
		kill -KILL "$pid" 2>/dev/null && touch /tmp/.timed-out.$pid
	) &
	watcher=$!
	wait "$pid"
	rc=$?
	kill "$watcher" 2>/dev/null
	wait "$watcher" 2>/dev/null
	if [ -e "/tmp/.timed-out.$pid" ]; then rc=124; fi
	return $rc
}

# run_list DIR LIST PREFIX: run each program of LIST (names relative to DIR)
# with DIR as cwd, as root; exit 0 passes, 4 (KSFT_SKIP) skips, others fail.
run_list() {
	while IFS= read -r t; do
		[ -n "$t" ] || continue
		mark "OUTPUT-BEGIN $3$t"
		(cd "$1" && run_with_timeout "$TEST_TIMEOUT" "./$t") >&3 2>&1 </dev/null
		rc=$?
		mark "OUTPUT-END $3$t"
		case $rc in
		0) test_result ok "$3$t" ;;
		4) test_result skip "$3$t" ;;
		124) test_result fail "$3$t" "timed out after $TEST_TIMEOUT s" ;;
		*) test_result fail "$3$t" "exit status $rc" ;;
		esac
	done <"$2"
}

# machd, the bootstrap name server, runs during the tests as on a real
# system; it holds /dev/mach open, so it stops before rmmod.  Daemonized, it
# returns once it serves.
start_machd() {
	[ -x /usr/sbin/machd ] || return 0
	mkdir -p /run
	if /usr/sbin/machd -p /run/machd.pid >&3 2>&1; then
		test_result ok "machd starts"
	else
		test_result fail "machd starts"
	fi
}
stop_machd() {
	[ -f /run/machd.pid ] || return 0
	mpid=$(cat /run/machd.pid)
	kill -TERM "$mpid" 2>/dev/null
	n=0
	while alive "$mpid" && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if alive "$mpid"; then
		kill -KILL "$mpid" 2>/dev/null
		sleep 1
		test_result fail "machd stops on SIGTERM" "killed after 10 s"
	else
		test_result ok "machd stops on SIGTERM"
	fi
	rm -f /run/machd.pid
}

printf 'root:x:0:0:root:/root:/bin/sh\nmach:x:1000:1000:unprivileged test user:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >/etc/passwd
printf 'root:x:0:\nmach:x:1000:\nnogroup:x:65534:\n' >/etc/group

mark "BEGIN $(uname -r)"
echo "mach test VM: kernel $(uname -r)"

kmemleak=/sys/kernel/debug/kmemleak
if [ "$KIND" = debug ] && [ -e $kmemleak ]; then
	# Forget what boot itself left behind: only leaks after this count.
	echo scan >$kmemleak
	echo clear >$kmemleak
fi

if [ "$MODE" = run ]; then
	echo
	echo '$ insmod mach.ko'
	if ! insmod /mach.ko; then
		echo "insmod failed"
		finish
	fi
	echo '$ ls -l /dev/mach'
	ls -l /dev/mach
	if [ -x /usr/sbin/machd ]; then
		echo '$ machd    # the bootstrap name server'
		mkdir -p /run
		machd -p /run/machd.pid
	fi
	demos=$(cd /selftests 2>/dev/null && grep '^demo' TESTS 2>/dev/null)
	if [ -n "$demos" ]; then
		for d in $demos; do
			echo
			echo "\$ ./$d"
			(cd /selftests && "./$d")
		done
	elif [ -f /selftests/TESTS ]; then
		echo
		echo '(no demo programs yet: running the selftests instead)'
		if [ -x /selftests/run_tests.sh ]; then
			(cd /selftests && ./run_tests.sh /selftests)
		else
			run_list /selftests /selftests/TESTS ""
		fi
	else
		echo '(no demo programs or selftests built yet)'
	fi
	if [ -x /usr/bin/lsmp ]; then
		# what the module holds now: machd's name table, and the totals
		echo
		echo '$ lsmp -a     # every process'"'"'s Mach ports (generic netlink)'
		lsmp -a
		echo '$ lsmp -s'
		lsmp -s
	fi
	echo
	[ ! -f /run/machd.pid ] || { echo '$ kill $(cat /run/machd.pid)'; stop_machd; }
	echo '$ rmmod mach'
	rmmod mach && echo "unloaded"
	echo
	finish
fi

# print_kunit: the KTAP of every KUnit suite, as debugfs keeps it until the
# module goes away.
print_kunit() {
	nsuites=0
	for r in /sys/kernel/debug/kunit/*/results; do
		[ -e "$r" ] || continue
		s=${r%/results}
		s=${s##*/}
		mark "KUNIT-BEGIN $s"
		cat "$r" >&3
		mark "KUNIT-END $s"
		nsuites=$((nsuites + 1))
	done
}

died() { [ $(($(cat /proc/sys/kernel/tainted) & 128)) -ne 0 ]; } # TAINT_DIE: an oops

# --- check mode --------------------------------------------------------------
# The KUnit suites run inside insmod.  When a case oopses, KUnit waits 300 s
# for it before going on to the next one, so a module that crashes in every
# case would take hours: once the kernel has oopsed, give insmod 20 s more,
# then report what there is and stop.
already_died=
if died; then already_died=1; fi
insmod /mach.ko >/tmp/insmod.out 2>&1 &
ipid=$!
waited=0 died_at=
while alive $ipid; do
	sleep 1
	waited=$((waited + 1))
	if [ -z "$already_died$died_at" ] && died; then died_at=$waited; fi
	[ -z "$died_at" ] || [ $((waited - died_at)) -lt 20 ] || break
	[ "$waited" -lt "$INSMOD_TIMEOUT" ] || break
done
if alive $ipid; then
	cat /tmp/insmod.out >&3
	if [ -n "$died_at" ]; then why="the kernel oopsed during the load; gave up ${waited} s in"
	else why="insmod did not return in $INSMOD_TIMEOUT s"; fi
	test_result fail "insmod mach.ko" "$why"
	print_kunit
	finish
fi
wait $ipid
rc=$?
cat /tmp/insmod.out >&3
if [ $rc -eq 0 ]; then
	test_result ok "insmod mach.ko"
else
	test_result fail "insmod mach.ko" "exit status $rc"
	finish
fi
if [ -c /dev/mach ]; then
	test_result ok "/dev/mach exists"
else
	test_result fail "/dev/mach exists"
fi

# The KUnit suites ran while the module loaded.
print_kunit
if [ "$EXPECT_KUNIT" = 1 ]; then
	if [ $nsuites -gt 0 ]; then
		test_result ok "KUnit results found ($nsuites suites)"
	else
		test_result fail "KUnit results found" "mach.ko has KUnit suites but /sys/kernel/debug/kunit has none"
	fi
fi

start_machd

# machnetd's tests join network namespaces with veth pairs; the stock kernel
# has veth as a module (initramfs.sh packs it), the debug kernels built in.
if [ -f /veth.ko ]; then
	if insmod /veth.ko >&3 2>&1; then test_result ok "insmod veth.ko"
	else test_result fail "insmod veth.ko"; fi
fi

# Lets a test scale itself down on a debug kernel (KASAN and lockdep make
# everything about 4 times slower under emulation).
export MACH_TEST_KERNEL="$KIND"

# make stress (STRESS=1): only the stress programs, in their long forms.
# fuzz_ipc makes at least 2.5 x MACH_FUZZ_CALLS calls (MACH_FUZZ_CALLS in
# each of its one-thread and four-thread cases, half as many in the fork-kill
# case, plus what its destroyer and blocker threads do meanwhile).
# Debug kernels (KASAN, lockdep, kmemleak) run the programs 3-5 times
# slower: their default sizes keep a run near half an hour on an idle
# 2-CPU VM and still make over a million fuzz calls.
if [ "${STRESS:-0}" = 1 ] && [ -f /selftests/TESTS ]; then
	case "$KIND" in
	debug*) mix=300000 stress=150000 fuzz=250000 ;;
	*) mix=1000000 stress=500000 fuzz=400000 ;;
	esac
	export MACH_STRESS=long
	export MACH_MIX_MESSAGES=${MIX_MESSAGES:-$mix}
	export MACH_STRESS_MESSAGES=${STRESS_MESSAGES:-$stress}
	export MACH_FUZZ_CALLS=${FUZZ_CALLS:-$fuzz}
	[ -z "$STORM_ROUNDS" ] || export MACH_STORM_ROUNDS="$STORM_ROUNDS"
	export MACH_TEST_TIMEOUT_SCALE=20
	SELFTEST_TIMEOUT=${SELFTEST_TIMEOUT:-14400}
	grep -xE 'stress_mix|stress_ipc|fault_storm|fuzz_ipc' /selftests/TESTS >/tmp/stress.tests
	cp /tmp/stress.tests /selftests/TESTS
	line="stress: MACH_MIX_MESSAGES=$MACH_MIX_MESSAGES"
	line="$line MACH_STRESS_MESSAGES=$MACH_STRESS_MESSAGES MACH_FUZZ_CALLS=$MACH_FUZZ_CALLS"
	line="$line MACH_STORM_ROUNDS=${MACH_STORM_ROUNDS:-40}, $SELFTEST_TIMEOUT s per program"
	echo "$line"
	[ -z "$echo_console" ] || echo "# $line" >&3
fi

# make fuzz (FUZZ=SECONDS): the coverage-guided fuzzer instead of the
# tests; what it kept goes to the host as a BLOB.  Kernel splats and
# kmemleak judge the run as always.
if [ -n "${FUZZ:-}" ] && [ -x /selftests/kcov_fuzz ]; then
	mark "OUTPUT-BEGIN kcov_fuzz"
	(cd /selftests && ./kcov_fuzz -t "$FUZZ" -o /tmp/fuzz corpus) >&3 2>&1 </dev/null
	rc=$?
	mark "OUTPUT-END kcov_fuzz"
	if [ $rc -eq 0 ]; then
		test_result ok "kcov_fuzz for $FUZZ s"
	else
		test_result fail "kcov_fuzz for $FUZZ s" "exit status $rc"
	fi
	mark "BLOB-BEGIN fuzz.tar.gz"
	tar -C /tmp/fuzz -czf - . | base64 >&3
	mark "BLOB-END fuzz.tar.gz"
	rm -f /selftests/TESTS
fi

if [ -f /selftests/TESTS ]; then
	mark "SELFTESTS-BEGIN $(grep -c . /selftests/TESTS)"
	rc=0
	if [ -x /selftests/run_tests.sh ]; then
		[ -z "$SELFTEST_TIMEOUT" ] || export MACH_SELFTEST_TIMEOUT="$SELFTEST_TIMEOUT"
		(cd /selftests && ./run_tests.sh /selftests) >&3 2>&1 </dev/null
		rc=$?
	else
		# No runner yet: a TAP of our own, one line per program.
		n=0
		echo "TAP version 13" >&3
		echo "1..$(grep -c . /selftests/TESTS)" >&3
		while IFS= read -r t; do
			[ -n "$t" ] || continue
			n=$((n + 1))
			(cd /selftests && run_with_timeout "$TEST_TIMEOUT" "./$t") >/tmp/.out 2>&1 </dev/null
			trc=$?
			sed 's/^/# /' /tmp/.out >&3
			case $trc in
			0) echo "ok $n $t" >&3 ;;
			4) echo "ok $n $t # SKIP" >&3 ;;
			124) echo "not ok $n $t # timed out after $TEST_TIMEOUT s" >&3 ;;
			*) echo "not ok $n $t # exit status $trc" >&3 ;;
			esac
		done </selftests/TESTS
	fi
	mark "SELFTESTS-END $rc"
fi

if [ -f /extra/TESTS ]; then
	run_list /extra/run /extra/TESTS "extra: "
fi

stop_machd
if rmmod mach >&3 2>&1; then
	test_result ok "rmmod mach"
else
	test_result fail "rmmod mach"
fi

if [ "$KIND" = debug ]; then
	if [ -e $kmemleak ]; then
		# kmemleak reports only objects older than 5 s, and an object must look
		# unreferenced in two scans in a row.
		sleep 6
		echo scan >$kmemleak
		sleep 3
		echo scan >$kmemleak
		mark KMEMLEAK-BEGIN
		cat $kmemleak >&3
		mark KMEMLEAK-END
	else
		test_result fail "kmemleak available" "$kmemleak is missing"
	fi
fi

# make coverage (COVERAGE=1): the module's gcov counters outlive rmmod
# (gcov_persist, on by default), so they include the unload path.  debugfs
# gives its files no size, so each is copied out with cat before tar; the
# archive goes to the results port in base64 between BLOB markers.
if [ "${COVERAGE:-0}" = 1 ]; then
	g=/sys/kernel/debug/gcov
	rm -rf /tmp/gcov
	mkdir -p /tmp/gcov
	(cd $g 2>/dev/null && find . -name '*.gcda') >/tmp/gcda.list
	while IFS= read -r f; do
		mkdir -p "/tmp/gcov/${f%/*}"
		cat "$g/$f" >"/tmp/gcov/$f"
	done </tmp/gcda.list
	if [ -s /tmp/gcda.list ]; then
		test_result ok "gcov data collected ($(grep -c . /tmp/gcda.list) files)"
	else
		test_result fail "gcov data collected" "no .gcda under $g"
	fi
	mark "BLOB-BEGIN gcov.tar.gz"
	tar -C /tmp/gcov -czf - . | base64 >&3
	mark "BLOB-END gcov.tar.gz"
fi
finish
