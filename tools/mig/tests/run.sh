#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: mig's host tests (make -C tools/mig check; make check runs them in
# its host phase).  Prints "ok NAME" or "fail NAME" per part on stdout,
# details on stderr; exit status 0 when nothing failed.
#
#   malformed   every tests/bad/*.defs: exit status 1 (no crash) and the
#               "file:line: error: message" its EXPECT line names
#   defs        libmach's .defs and every selftest's .defs: mig compiles them
#               and the stubs build with -Wall -Wextra -Werror as C and as
#               C++; with MIG_REAL_DEFS=DIR also every .defs under DIR (e.g.
#               a checkout of a macOS project's interfaces)
#   options     -MD, -split, -iheader, -dheader, -i, -s, -maxonstack, -R
#   fuzz        tests/fuzz.sh for MIG_FUZZ_SECONDS (default 40)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mig_dir=$(cd "$here/.." && pwd)
top=$(cd "$mig_dir/../.." && pwd)
mig=$mig_dir/mig
inc=$top/libmach/include
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 part_ok=1

say() { printf '%s\n' "$*" >&2; }
bad() { say "  FAIL: $*"; part_ok=0; }
result() {
	if [ "$part_ok" -eq 1 ]; then echo "ok $1"; else echo "fail $1"; failed=1; fi
	part_ok=1
}

[ -x "$mig" ] || make -s -C "$mig_dir" >&2 || { echo "fail mig: build"; exit 1; }

# ---- malformed .defs ------------------------------------------------------
n=0
for f in "$here"/bad/*.defs; do
	exp=$(sed -n '1s|^/\* EXPECT \([0-9]*\) \(.*\) \*/$|\1:\2|p' "$f")
	[ -n "$exp" ] || { bad "$f: no EXPECT line"; continue; }
	line=${exp%%:*} msg=${exp#*:}
	out=$(cd "$tmp" && "$mig" -I"$inc" "$f" 2>&1)
	rc=$?
	if [ "$rc" -ne 1 ]; then
		bad "$(basename "$f"): exit status $rc, not 1: $(head -n 3 <<<"$out")"
	elif ! grep -qF -- "$f:$line: error: $msg" <<<"$out"; then
		bad "$(basename "$f"): no '$f:$line: error: $msg' in: $(head -n 3 <<<"$out")"
	fi
	if ls "$tmp"/*.[ch] >/dev/null 2>&1; then
		bad "$(basename "$f"): files written despite the error"
		rm -f "$tmp"/*.[ch]
	fi
	n=$((n + 1))
done
say "malformed: $n files"
result "mig: $n malformed .defs get file:line errors and exit 1"

# ---- .defs that must compile, and their stubs ----------------------------
# build_defs DEFS [MIG-OPTIONS]: mig, then the stubs as C and C++.
build_defs() {
	local d=$1 w
	shift
	w=$tmp/defs/$(echo "$d" | tr '/' '_')
	mkdir -p "$w"
	if ! (cd "$w" && "$mig" -q -I"$inc" "$@" -sheader server.h "$d") 2>"$w/err"; then
		bad "mig $d: $(head -n 3 "$w/err")"
		return
	fi
	for c in "$w"/*.c; do
		gcc -std=gnu11 -Wall -Wextra -Werror -I"$w" -I"$(dirname "$d")" -I"$inc" \
			-c "$c" -o "$w/o.o" 2>"$w/cc" || bad "gcc $d: $(head -n 5 "$w/cc")"
		g++ -x c++ -Wall -Wextra -Werror -I"$w" -I"$(dirname "$d")" -I"$inc" \
			-c "$c" -o "$w/o.o" 2>"$w/cxx" || bad "g++ $d: $(head -n 5 "$w/cxx")"
	done
}
n=0
while IFS= read -r d; do
	case $d in */std_types.defs | */mach_types.defs | */machine_types.defs | */ndr.defs | \
		*/mach_debug_types.defs) continue ;; esac
	build_defs "$d"
	n=$((n + 1))
done < <(find "$inc" "$top/selftests" -name '*.defs' | sort)
# every type definition file at least parses (in an interface that imports it)
cat >"$tmp/all_types.defs" <<'EOF'
#include <mach/std_types.defs>
#include <mach/mach_types.defs>
#include <mach/ndr.defs>
#include <mach_debug/mach_debug_types.defs>
subsystem all_types 9000;
routine uses(server : mach_port_t; n : NDR_record_t; out t : task_t; out i : ipc_info_space_t;
	     out a : thread_act_array_t; inout s : security_token_t; out v : kernel_version_t);
EOF
build_defs "$tmp/all_types.defs"
if [ -n "${MIG_REAL_DEFS:-}" ]; then
	while IFS= read -r d; do
		build_defs "$d" "-I$(dirname "$d")"
		n=$((n + 1))
	done < <(find "$MIG_REAL_DEFS" -name '*.defs' | sort)
fi
say "defs: $n files"
result "mig: libmach's and the selftests' .defs (and MIG_REAL_DEFS) compile; stubs build -Wall -Wextra -Werror as C and C++"

# ---- options --------------------------------------------------------------
o=$tmp/opts
mkdir -p "$o"
printf 'typedef int *ints100_t;\n' >"$o/opt_types.h"
cat >"$o/opt.defs" <<'EOF'
#include <mach/std_types.defs>
subsystem KernelServer opt 7000;
import "opt_types.h";
routine first(server : mach_port_t; x : int; out y : int);
skip;
simpleroutine third(server : mach_port_t; a : ints100_t = array[*:100] of int);
EOF
(cd "$o" && "$mig" -q -I"$inc" -MD -split -iheader optInternal.h -dheader optDefs.h -s -maxonstack 64 \
	-sheader optServer.h opt.defs) || bad "mig with options failed"
for f in opt.h optUser.c optServer.c optServer.h optInternal.h optDefs.h opt.h.d optUser.c.d; do
	[ -s "$o/$f" ] || bad "-MD/-split/-iheader/-dheader: no $f"
done
grep -q '^opt.h:.*opt.defs' "$o/opt.h.d" 2>/dev/null || bad "-MD: opt.h.d does not name opt.defs"
grep -q 'std_types.defs' "$o/optUser.c.d" 2>/dev/null || bad "-MD: optUser.c.d lacks std_types.defs"
grep -q '#define first first_external' "$o/optInternal.h" 2>/dev/null || bad "-iheader content"
grep -Eq 'MACH_ID_FIRST[[:space:]]+7000' "$o/optDefs.h" 2>/dev/null || bad "-dheader: MACH_ID_FIRST"
grep -Eq 'MACH_ID_FIRST_REPLY[[:space:]]+7100' "$o/optDefs.h" 2>/dev/null || bad "-dheader: reply id"
grep -Eq 'MACH_ID_THIRD[[:space:]]+7002' "$o/optDefs.h" 2>/dev/null || bad "-dheader: id after skip"
grep -q 'MACH_ID_THIRD_REPLY' "$o/optDefs.h" 2>/dev/null && bad "-dheader: a simpleroutine has a reply id"
grep -q 'mig_symtab_t _optSymTab' "$o/optServer.c" 2>/dev/null || bad "-s: no symbol table"
grep -q 'mig_user_allocate' "$o/optUser.c" 2>/dev/null || bad "-maxonstack 64: the message is not on the heap"
grep -q '#include <mach/ndr.h>' "$o/opt.h" 2>/dev/null && bad "-split: the header has the full includes"
for c in "$o"/optUser.c "$o"/optServer.c; do
	gcc -std=gnu11 -Wall -Wextra -Werror -I"$o" -I"$inc" -c "$c" -o "$o/x.o" 2>"$o/cc" ||
		bad "options: $(basename "$c") does not build: $(head -n 5 "$o/cc")"
done
(cd "$o" && rm -f first.c third.c && "$mig" -q -I"$inc" -i pre_ -R opt.defs) || bad "mig -i failed"
[ -s "$o/pre_first.c" ] && [ -s "$o/pre_third.c" ] || bad "-i pre_: no per-routine files"
grep -q 'MACH_RCV_MSG' "$o/pre_first.c" && ! grep -q 'MACH_SEND_MSG|MACH_RCV_MSG' "$o/pre_first.c" ||
	bad "-R: not a send then a receive"
for c in "$o"/pre_first.c "$o"/pre_third.c; do
	gcc -std=gnu11 -Wall -Wextra -Werror -I"$o" -I"$inc" -c "$c" -o "$o/x.o" 2>"$o/cc" ||
		bad "-i: $(basename "$c") does not build: $(head -n 5 "$o/cc")"
done
result "mig: -MD, -split, -iheader, -dheader, -s, -maxonstack, -i and -R"

# ---- fuzz -----------------------------------------------------------------
secs=${MIG_FUZZ_SECONDS:-40}
if "$here/fuzz.sh" "$secs" >&2; then
	result_name="mig: the parser under libFuzzer, ASan and UBSan for $secs s: no crash"
else
	bad "fuzz.sh failed (see $mig_dir/build/fuzz/)"
	result_name="mig: the parser under libFuzzer, ASan and UBSan for $secs s: no crash"
fi
result "$result_name"

exit "$failed"
