#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-user.sh: build libmach, the tools (machd, lsmp) and the selftests on the host.
#
# The selftests are linked statically so the guest needs no libraries.
# Contract with selftests/Makefile: `make -C selftests OUTPUT=DIR` puts the test
# executables in DIR and lists them, one name a line, in DIR/TESTS;
# selftests/run_tests.sh is the in-guest runner (copied into DIR here).
# Prints the selftest output directory (empty if there are no selftests yet);
# machd and lsmp, if built, are copied to $MACH_BUILD/tools/.
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

need_pkgs build-essential libmnl-dev liburing-dev openssl libssl-dev
out=$MACH_BUILD/selftests
log=$MACH_BUILD/user-build.log
mkdir -p "$MACH_BUILD"
rm -rf "$out"
: >"$log"

if [ -f "$REPO_DIR/libmach/Makefile" ]; then
	if ! make -C "$REPO_DIR" libmach >>"$log" 2>&1; then
		say "libmach build FAILED (log: $log)"
		log_tail "$log"
		exit 1
	fi
else
	say "NOTE: libmach/Makefile does not exist yet: libmach not built"
fi

# machd, the bootstrap name server: the guest runs it during the tests, as a
# system with mach.ko would (the bootstrap selftests need it).
rm -rf "$MACH_BUILD/tools"
if [ -f "$REPO_DIR/tools/Makefile" ]; then
	if ! make -C "$REPO_DIR" tools >>"$log" 2>&1; then
		say "tools build FAILED (log: $log)"
		log_tail "$log"
		exit 1
	fi
	if [ -x "$REPO_DIR/tools/machd" ]; then
		mkdir -p "$MACH_BUILD/tools"
		cp "$REPO_DIR/tools/machd" "$MACH_BUILD/tools/machd"
	fi
	# machnetd (#15), for the multi-host tests
	if [ -x "$REPO_DIR/tools/machnetd/machnetd" ]; then
		mkdir -p "$MACH_BUILD/tools"
		cp "$REPO_DIR/tools/machnetd/machnetd" "$MACH_BUILD/tools/machnetd"
	fi
	if [ -x "$REPO_DIR/tools/lsmp/lsmp" ]; then
		mkdir -p "$MACH_BUILD/tools"
		cp "$REPO_DIR/tools/lsmp/lsmp" "$MACH_BUILD/tools/lsmp"
	fi
else
	say "NOTE: tools/Makefile does not exist yet: no machd in the guest"
fi

if [ -f "$REPO_DIR/selftests/Makefile" ]; then
	mkdir -p "$out"
	if ! make -C "$REPO_DIR/selftests" OUTPUT="$out" >>"$log" 2>&1; then
		say "selftests build FAILED (log: $log)"
		log_tail "$log"
		exit 1
	fi
	[ -f "$out/TESTS" ] || die "selftests built but $out/TESTS is missing"
	if [ -f "$REPO_DIR/selftests/run_tests.sh" ]; then
		cp "$REPO_DIR/selftests/run_tests.sh" "$out/run_tests.sh"
		chmod +x "$out/run_tests.sh"
	fi
	echo "$out"
else
	say "NOTE: selftests/Makefile does not exist yet: no selftests will run"
fi
