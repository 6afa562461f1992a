#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-extra.sh DIR: build extra test programs (ordinary macOS-style Mach code)
# against libmach, statically, on the host.
#
# DIR is copied to $MACH_BUILD/extra/run first, so nothing is written into it.
# If DIR has a Makefile it is run with our CC/CFLAGS/LDFLAGS/LDLIBS and every
# executable it creates is a test; otherwise each *.c is compiled as its own
# program.  Results:
#   $MACH_BUILD/extra/run/            the programs (and DIR's other files)
#   $MACH_BUILD/extra/TESTS           programs to run, relative to run/
#   $MACH_BUILD/extra/COMPILE_FAILED  tests that did not build (each a failure)
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] && [ -d "$1" ] || die "usage: $0 DIR"
dir=$(cd "$1" && pwd)
out=$MACH_BUILD/extra
rm -rf "$out"
mkdir -p "$out/run"
: >"$out/TESTS"
: >"$out/COMPILE_FAILED"
rsync -a "$dir/" "$out/run/"

cflags="-I$REPO_DIR/libmach/include -O2 -g"
# A Makefile that runs mig finds it, and the .defs, in the tree.
export MIG="$REPO_DIR/tools/mig/mig" MIG_DEFSDIR="$REPO_DIR/libmach/include"
ldflags="-static -L$REPO_DIR/libmach"
ldlibs="-lmach -lpthread"

# executables PATH: list executable regular files under PATH, relative to it.
executables() { (cd "$1" && find . -type f -perm -u+x ! -name '*.sh' | sed 's|^\./||' | sort); }

cd "$out/run"
if [ -f Makefile ] || [ -f makefile ] || [ -f GNUmakefile ]; then
	executables . >"$out/before"
	if ! make CC=gcc CFLAGS="$cflags" LDFLAGS="$ldflags" LDLIBS="$ldlibs" >"$out/build.log" 2>&1; then
		say "extra tests: make in $dir FAILED:"
		cat "$out/build.log" >&2
		echo "make" >>"$out/COMPILE_FAILED"
	fi
	executables . >"$out/after"
	comm -13 "$out/before" "$out/after" >"$out/TESTS"
else
	for c in *.c; do
		[ -e "$c" ] || continue
		name=${c%.c}
		# shellcheck disable=SC2086 # the flags are lists of words
		if gcc $cflags -o "$name" "$c" $ldflags $ldlibs >"$out/$name.log" 2>&1; then
			echo "$name" >>"$out/TESTS"
		else
			say "extra test $c: COMPILE FAILED:"
			cat "$out/$name.log" >&2
			echo "$c" >>"$out/COMPILE_FAILED"
		fi
	done
fi
say "extra tests: $(wc -l <"$out/TESTS") built, $(wc -l <"$out/COMPILE_FAILED") failed to build"
