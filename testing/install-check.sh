#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install-check.sh: test `make install` and `make uninstall` on the host, in
# staging directories (DESTDIR), without touching the system.
#
#   staged install   make install DESTDIR=T: exactly the expected files, the
#                    library's soname and symlinks, mach.pc, the unit and the
#                    udev rule; a program built against the staged headers
#                    through pkg-config links against the staged libmach.so
#                    and libmach.a (C, C99 and C++) and runs; every man page
#                    renders without warnings and every name in its NAME
#                    section opens through man -M.  Installing twice and then
#                    make uninstall leaves T empty.
#   PREFIX=/usr      the same tree under /usr, with the systemd and udev
#                    directories systemd and udev read, and the DKMS sources
#                    (MODULE_INSTALL=dkms-src) holding every file Kbuild
#                    names; uninstall leaves nothing.
#   module (kbuild)  with Debian's stock kernel headers present: MODULE_INSTALL
#                    =kbuild stages mach.ko under lib/modules/<release>/extra
#                    with the right vermagic; uninstall leaves nothing.
#                    Skipped without the headers.
#
# Prints one line per part on stdout, "ok NAME", "fail NAME" or "skip NAME"
# (testing/check.sh counts them); details go to stderr.  Exit status 0 when
# nothing failed.  Root is not needed, except for need_pkgs to install
# what is missing.
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

need_pkgs build-essential pkg-config groff-base man-db binutils
src=${MACH_SRC:-$REPO_DIR}
log=$MACH_BUILD/install-check.log
mkdir -p "$MACH_BUILD"
: >"$log"
tmp=$(mktemp -d)
chmod 755 "$tmp" # man-db may read the pages as user "man"
trap 'rm -rf "$tmp"' EXIT
any_failed=0
part_ok=1

bad() {
	say "  FAIL: $*"
	part_ok=0
}

# result NAME: print the part's result and start the next part.
result() {
	if [ "$part_ok" -eq 1 ]; then
		echo "ok $1"
	else
		echo "fail $1"
		any_failed=1
	fi
	part_ok=1
}

# mk ARGS...: run make in the source tree, output to the log.
mk() {
	echo "+ make $*" >>"$log"
	make -C "$src" "$@" >>"$log" 2>&1
}

# The names a man page documents: its NAME section up to "\-".
page_names() {
	sed -n '/^\.SH NAME/,/^\.SH/p' "$1" | sed '1d;$d' | tr '\n' ' ' |
		sed 's/\\-.*//; s/,/ /g'
}

# The files (and symlinks) under a tree, relative to it, sorted.
tree_files() {
	(cd "$1" && find . \( -type f -o -type l \) | sed 's|^\./|/|' | sort)
}

# The executable of tool NAME in the source tree, as make install finds it.
tool_bin() {
	if [ -f "$src/tools/$1" ] && [ -x "$src/tools/$1" ]; then
		echo "$src/tools/$1"
	elif [ -x "$src/tools/$1/$1" ]; then
		echo "$src/tools/$1/$1"
	fi
}

# expected_files PREFIX UNITDIR RULESDIR: what make install must put there
# with MODULE_INSTALL=none.
expected_files() {
	local p=$1 f n sec
	{
		echo "$p/lib/libmach.a"
		for f in "$src"/libmach/libmach.so*; do echo "$p/lib/${f##*/}"; done
		echo "$p/lib/pkgconfig/mach.pc"
		(cd "$src/libmach/include" && find . \( -name '*.h' -o -name '*.defs' \) -type f) |
			sed "s|^\.|$p/include|"
		for f in "$src"/uapi/linux/*.h; do echo "$p/include/linux/${f##*/}"; done
		echo "$p/sbin/machd"
		echo "$2/machd.service"
		echo "$3/60-mach.rules"
		echo "$p/share/mach/install-manifest"
		for f in "$src"/man/*.[1-8]; do
			sec=${f##*.}
			n=${f##*/}
			n=${n%.*}
			if [ "$sec" = 1 ] && [ -z "$(tool_bin "$n")" ]; then
				continue
			fi
			echo "$p/share/man/man$sec/${f##*/}"
			for n in $(page_names "$f"); do echo "$p/share/man/man$sec/$n.$sec"; done
		done
		[ -z "$(tool_bin lsmp)" ] || echo "$p/bin/lsmp"
		[ -z "$(tool_bin mig)" ] || echo "$p/bin/mig"
		[ -z "$(tool_bin machnetd)" ] || echo "$p/sbin/machnetd"
	} | sort -u
}

# compare_tree ROOT EXPECTED-FILE: the tree holds exactly those files.
compare_tree() {
	local extra missing
	missing=$(comm -13 <(tree_files "$1") "$2")
	extra=$(comm -23 <(tree_files "$1") "$2")
	[ -z "$missing" ] || bad "not installed: $(tr '\n' ' ' <<<"$missing")"
	[ -z "$extra" ] || bad "installed but not expected: $(tr '\n' ' ' <<<"$extra")"
}

# Empty after uninstall: nothing at all below ROOT (every directory was ours).
check_empty() {
	local left
	left=$(cd "$1" && find . -mindepth 1)
	[ -z "$left" ] || bad "left after make uninstall: $(head -n 20 <<<"$left" | tr '\n' ' ')"
}

# pc PREFIX ARGS...: pkg-config on the staged mach.pc, trailing blanks dropped.
pc() {
	env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR="$stage$1/lib/pkgconfig" \
		PKG_CONFIG_SYSROOT_DIR="$stage" pkg-config "${@:2}" mach | sed 's/ *$//'
}

# has TEXT PATTERN: TEXT has a line matching the extended regex PATTERN.
# (No "cmd | grep -q" here: with pipefail, grep's early exit can fail cmd.)
has() {
	grep -Eq -- "$2" <<<"$1"
}

cat >"$tmp/prog.c" <<'EOF'
/* Built against the staged headers and libraries only. */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mach_time.h>
#include <mach/mach_vm.h>
#include <servers/bootstrap.h>
#include <linux/mach.h>

int main(void)
{
	mach_port_t port = MACH_PORT_NULL;
	vm_address_t addr = 0;
	kern_return_t kr;
	unsigned long ioc = MACH_IOC_VERSION;	/* the UAPI header */

	/* With /dev/mach this allocates; without, it says the task is unusable. */
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	if (kr != KERN_SUCCESS && kr != MACH_SEND_INVALID_DEST) {
		printf("mach_port_allocate: %s\n", mach_error_string(kr));
		return 1;
	}
	if (strcmp(bootstrap_strerror(BOOTSTRAP_UNKNOWN_SERVICE), "Unknown service name") != 0)
		return 2;
	if (vm_allocate(mach_task_self(), &addr, vm_page_size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS ||
	    vm_deallocate(mach_task_self(), addr, vm_page_size) != KERN_SUCCESS)
		return 3;
	if (mach_absolute_time() == 0 || ioc == 0)
		return 4;
	printf("ok\n");
	return 0;
}
EOF

# build_and_run NAME PREFIX CC ARGS...: compile prog.c as NAME and run it.
build_and_run() {
	local name=$1 p=$2 out=$tmp/$1
	shift 2
	echo "+ $*" >>"$log"
	if ! "$@" -o "$out" >>"$log" 2>&1; then
		bad "$name: does not build (log: $log)"
		return 0
	fi
	if [ "$(LD_LIBRARY_PATH="$stage$p/lib" "$out" 2>>"$log")" != ok ]; then
		bad "$name: does not run"
	fi
}

check_programs() {
	local p=$1 cflags libs
	cflags=$(pc "$p" --cflags) libs=$(pc "$p" --libs)
	[ "$cflags" = "-I$stage$p/include" ] || bad "pkg-config --cflags: '$cflags'"
	[ "$libs" = "-L$stage$p/lib -lmach" ] || bad "pkg-config --libs: '$libs'"
	has "$(pc "$p" --static --libs)" '-lpthread' || bad "pkg-config --static --libs lacks -lpthread"
	local ver
	ver=$(sed -n 's/^VERSION *:= *//p' "$src/libmach/Makefile")
	[ "$(pc "$p" --modversion)" = "$ver" ] || bad "pkg-config --modversion is not $ver"
	check_mig "$p"

	# shellcheck disable=SC2086,SC2046 # flags are lists of words
	{
		build_and_run shared "$p" cc -std=gnu11 -Wall -Wextra -Werror $cflags "$tmp/prog.c" $libs
		build_and_run c99 "$p" cc -std=c99 -Wall -Wextra -Werror $cflags "$tmp/prog.c" $libs
		build_and_run c++ "$p" c++ -Wall -Wextra -Werror -x c++ $cflags "$tmp/prog.c" -x none $libs
		build_and_run static "$p" cc -static -Wall -Wextra -Werror $cflags "$tmp/prog.c" \
			$(pc "$p" --static --libs)
	}
	if [ -x "$tmp/shared" ]; then
		has "$(readelf -d "$tmp/shared")" 'NEEDED.*\[libmach\.so\.0\]' ||
			bad "the shared program does not need libmach.so.0"
		has "$(LD_LIBRARY_PATH="$stage$p/lib" ldd "$tmp/shared")" "=> $stage$p/lib/libmach\.so\.0 " ||
			bad "the shared program does not load the staged libmach.so.0"
	fi
	if [ -x "$tmp/static" ] && has "$(readelf -d "$tmp/static" 2>/dev/null)" NEEDED; then
		bad "the static program is linked dynamically"
	fi
}

# check_mig PREFIX: the staged mig compiles an installed .defs (found through
# mach.pc's defsdir) into stubs that build against the staged headers.
check_mig() {
	local p=$1 defs m=$tmp/mig-$RANDOM
	[ -n "$(tool_bin mig)" ] || return 0
	defs=$(pc "$p" --variable=defsdir)
	case $defs in "$stage"*) ;; *) defs=$stage$defs ;; esac
	[ "$defs" = "$stage$p/include" ] || bad "pkg-config --variable=defsdir: '$defs'"
	[ -f "$defs/mach/std_types.defs" ] || { bad "no std_types.defs in $defs"; return 0; }
	mkdir -p "$m"
	if ! (cd "$m" && "$stage$p/bin/mig" -I"$defs" "$defs/mach/notify.defs") >>"$log" 2>&1; then
		bad "the staged mig does not compile notify.defs"
		return 0
	fi
	for c in "$m"/notifyUser.c "$m"/notifyServer.c; do
		cc -std=gnu11 -Wall -Wextra -Werror -I"$m" -I"$stage$p/include" -c "$c" -o "$m/x.o" \
			>>"$log" 2>&1 || bad "$(basename "$c") from the staged mig does not build"
	done
	echo "check_mig: the staged mig built notify.defs' stubs" >>"$log"
}

check_library() {
	local l=$stage$1/lib real soname syms
	real=$(cd "$l" && echo libmach.so.*.*.*)
	if [ ! -f "$l/$real" ] || [ -L "$l/$real" ]; then
		bad "no libmach.so.X.Y.Z"
		return 0
	fi
	soname=$(readelf -d "$l/$real" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
	[ "$soname" = libmach.so.0 ] || bad "soname is '$soname', not libmach.so.0"
	[ "$(readlink "$l/libmach.so.0")" = "$real" ] || bad "libmach.so.0 does not point to $real"
	[ "$(readlink "$l/libmach.so")" = libmach.so.0 ] || bad "libmach.so does not point to libmach.so.0"
	syms=$(nm -D --defined-only "$l/$real")
	has "$syms" ' T mach_msg$' || bad "libmach.so does not export mach_msg"
	! has "$syms" ' _mach_ioctl$' || bad "libmach.so exports internals"
	has "$(ar t "$l/libmach.a")" '^msg\.o$' || bad "libmach.a has no msg.o"
}

# check_man MANDIR: every page renders cleanly; every documented name opens.
check_man() {
	local f w sec n out
	for f in "$src"/man/*.[1-8]; do
		w=$(groff -man -ww -z -Tutf8 "$f" 2>&1)
		[ -z "$w" ] || bad "groff warns on ${f##*/}: $w"
		w=$(MANWIDTH=80 man --warnings -E UTF-8 -l "$f" 2>&1 >/dev/null)
		[ -z "$w" ] || bad "man warns on ${f##*/}: $w"
		has "$(sed -n 1p "$f")" 'SPDX-License-Identifier' || bad "${f##*/}: no SPDX line"
		sec=${f##*.}
		[ -e "$1/man$sec/${f##*/}" ] || continue # a tool that is not built
		for n in $(page_names "$f"); do
			out=$(MANPAGER=cat MANWIDTH=80 man -M "$1" "$sec" "$n" 2>&1) ||
				{ bad "man -M $1 $sec $n fails: $out"; continue; }
			[[ ${out%%$'\n'*} == *"($sec)"* ]] || bad "man $sec $n shows no page"
		done
	done
}

# ---- staged install under the default prefix ------------------------------
say "install-check: staged install (log: $log)"
stage=$tmp/stage
p=/usr/local
mkdir -p "$stage"
if ! mk libmach tools; then
	bad "libmach and tools do not build"
elif ! mk install DESTDIR="$stage" || ! mk install DESTDIR="$stage"; then
	bad "make install DESTDIR=... failed (log: $log)"
else
	expected_files "$p" "$p/lib/systemd/system" "$p/lib/udev/rules.d" >"$tmp/expected"
	compare_tree "$stage" "$tmp/expected"
	check_library "$p"
	check_programs "$p"
	check_man "$stage$p/share/man"
	grep -qx "ExecStart=$p/sbin/machd -f" "$stage$p/lib/systemd/system/machd.service" ||
		bad "machd.service does not run $p/sbin/machd -f"
	grep -q '^SUBSYSTEM=="misc", KERNEL=="mach", MODE="0666"$' "$stage$p/lib/udev/rules.d/60-mach.rules" ||
		bad "60-mach.rules does not set /dev/mach to 0666"
	grep -q 'mode = 0666' "$src/module/main.c" || bad "module/main.c's mode is not 0666 any more: update 60-mach.rules"
	if ! mk uninstall DESTDIR="$stage"; then
		bad "make uninstall failed"
	else
		check_empty "$stage"
		mk uninstall DESTDIR="$stage" || bad "a second make uninstall fails"
	fi
fi
result "make install/uninstall DESTDIR= (files, pkg-config, C/C++ shared and static, man pages)"

# ---- PREFIX=/usr with the DKMS sources -------------------------------------
say "install-check: PREFIX=/usr, MODULE_INSTALL=dkms-src"
stage=$tmp/stage-usr
p=/usr
mkdir -p "$stage"
if ! mk install DESTDIR="$stage" PREFIX=/usr MODULE_INSTALL=dkms-src; then
	bad "make install PREFIX=/usr failed (log: $log)"
else
	ver=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$src/dkms.conf")
	dk=/usr/src/mach-$ver
	{
		expected_files "$p" "$p/lib/systemd/system" "$p/lib/udev/rules.d"
		(cd "$stage" && find ".$dk" \( -type f -o -type l \) | sed 's|^\.||')
	} | sort >"$tmp/expected"
	compare_tree "$stage" "$tmp/expected"
	grep -qx 'prefix=/usr' "$stage$p/lib/pkgconfig/mach.pc" || bad "mach.pc: prefix is not /usr"
	grep -qx "ExecStart=$p/sbin/machd -f" "$stage$p/lib/systemd/system/machd.service" ||
		bad "machd.service does not run $p/sbin/machd -f"
	for f in dkms.conf Kbuild "$src"/uapi/linux/*.h; do
		f=${f#"$src"/}
		cmp -s "$src/$f" "$stage$dk/$f" || bad "DKMS sources: $f missing or different"
	done
	# Every object Kbuild names, from its source.
	for o in $(sed -n 's/\\$//; s/^[^#]*:=//p; s/^[^#]*+=//p' "$src/Kbuild" | tr ' \t' '\n' | grep '\.o$'); do
		[ "$o" = mach.o ] && continue
		[ -f "$stage$dk/${o%.o}.c" ] || bad "DKMS sources: no ${o%.o}.c for $o"
	done
	mk uninstall DESTDIR="$stage" PREFIX=/usr || bad "make uninstall PREFIX=/usr failed"
	check_empty "$stage"
fi
result "make install/uninstall PREFIX=/usr with the DKMS sources"

# ---- the module through kbuild, staged -------------------------------------
if kver=$(stock_kernel_version); then
	say "install-check: MODULE_INSTALL=kbuild against $kver's headers"
	stage=$tmp/stage-ko
	mkdir -p "$stage"
	if ! mk install DESTDIR="$stage" MODULE_INSTALL=kbuild KDIR="/usr/src/linux-headers-$kver"; then
		bad "make install MODULE_INSTALL=kbuild failed (log: $log)"
	else
		ko=$stage/lib/modules/$kver/extra/mach.ko
		if [ ! -f "$ko" ]; then
			bad "no $ko"
		else
			vm=$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)
			[ "$vm" = "$kver" ] || bad "mach.ko's vermagic says '$vm', not $kver"
		fi
		mk uninstall DESTDIR="$stage" || bad "make uninstall failed"
		check_empty "$stage"
	fi
	result "make install MODULE_INSTALL=kbuild stages mach.ko for $kver"
else
	echo "skip make install MODULE_INSTALL=kbuild (no stock kernel headers)"
fi

[ "$any_failed" -eq 0 ]
