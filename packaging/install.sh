#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install.sh install|uninstall: what `make install` and `make uninstall` run.
# The top-level Makefile passes the directories in the environment (DESTDIR,
# PREFIX, BINDIR, SBINDIR, LIBDIR, INCLUDEDIR, PKGCONFIGDIR, MANDIR,
# SYSTEMDUNITDIR, UDEVRULESDIR, MANIFEST) along with KDIR, KVER and
# MODULE_INSTALL; see the Makefile for their defaults.
#
# install records every file and directory it creates, and every DKMS
# registration and depmod run, in $DESTDIR$MANIFEST, one "KIND PATH" a line:
#
#   file PATH      a file or symlink: uninstall removes it
#   dir PATH       a directory that did not exist before: removed when empty
#   dkms NAME/VER  a DKMS registration: `dkms remove NAME/VER --all`
#   depmod KVER    a kernel whose module index must be rebuilt afterwards
#
# so uninstall removes exactly what install put there, and nothing that was
# there before.  Installing twice merges the records.
#
# MODULE_INSTALL picks how mach.ko is installed:
#   auto      dkms when it is installed, else kbuild when KDIR exists, else
#             nothing; with DESTDIR (staging) always nothing
#   dkms      copy the sources to /usr/src/mach-VERSION, `dkms add`, and
#             `dkms install` for KVER when its headers exist (not with DESTDIR)
#   kbuild    build against KDIR and `make modules_install` into
#             $DESTDIR/lib/modules/KVER/extra (depmod unless staging)
#   dkms-src  only copy the DKMS sources to $DESTDIR/usr/src/mach-VERSION, as
#             a distribution's mach-dkms package would ship them
#   none      leave the module alone
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
: "${PREFIX:=/usr/local}" "${DESTDIR:=}"
: "${BINDIR:=$PREFIX/bin}" "${SBINDIR:=$PREFIX/sbin}" "${LIBDIR:=$PREFIX/lib}"
: "${INCLUDEDIR:=$PREFIX/include}" "${PKGCONFIGDIR:=$LIBDIR/pkgconfig}"
: "${MANDIR:=$PREFIX/share/man}" "${SYSTEMDUNITDIR:=$PREFIX/lib/systemd/system}"
: "${UDEVRULESDIR:=$PREFIX/lib/udev/rules.d}"
: "${MANIFEST:=$PREFIX/share/mach/install-manifest}"
: "${MODULE_INSTALL:=auto}" "${MAKE:=make}"
: "${KDIR:=/lib/modules/$(uname -r)/build}"
# The release the module is built for: what its vermagic will say.  (Debian's
# headers carry the upstream version in kernel.release, not 6.1.0-N-amd64.)
if [ -z "${KVER:-}" ]; then
	KVER=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$KDIR/include/generated/utsrelease.h" 2>/dev/null || true)
	[ -n "$KVER" ] || KVER=$(uname -r)
fi
DKMS_MARKER=.mach-make-install	# marks a DKMS source tree made by this script

say() { printf '%s\n' "$*" >&2; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }

for v in PREFIX BINDIR SBINDIR LIBDIR INCLUDEDIR PKGCONFIGDIR MANDIR SYSTEMDUNITDIR \
	UDEVRULESDIR MANIFEST; do
	case ${!v} in
	/*) ;;
	*) die "$v must be an absolute path (got '${!v}')" ;;
	esac
done
[ -z "$DESTDIR" ] || case $DESTDIR in /*) ;; *) DESTDIR=$(pwd)/$DESTDIR ;; esac

# A live system (not a staged tree) whose services we may poke.
live() { [ -z "$DESTDIR" ] && [ "$(id -u)" -eq 0 ]; }

# On a live system: the dynamic linker's cache (libmach.so.0 under
# /usr/local/lib is found through it), systemd's units and udev's rules.
live_refresh() {
	live || return 0
	! command -v ldconfig >/dev/null || ldconfig || true
	[ ! -d /run/systemd/system ] || systemctl daemon-reload || true
	[ ! -S /run/udev/control ] || udevadm control --reload-rules || true
}

# ---------------------------------------------------------------- install --

records=''	# temporary record file, merged into the manifest on exit

record() { printf '%s %s\n' "$1" "$2" >>"$records"; }

merge_records() {
	local m=$DESTDIR$MANIFEST
	if [ -z "$records" ] || [ ! -s "$records" ]; then
		rm -f "$records"
		return 0
	fi
	if [ -d "$(dirname "$m")" ]; then
		{ [ ! -f "$m" ] || cat "$m"; cat "$records"; } | sort -u >"$m.new"
		mv -f "$m.new" "$m"
		chmod 644 "$m"
	else
		say "install.sh: cannot write $m; what was installed is listed in $records"
		return 0
	fi
	rm -f "$records"
}

# mkdirs DIR: create DIR (a path under DESTDIR) and record each directory made.
mkdirs() {
	local d=$1 new=() i
	while [ "$d" != / ] && [ ! -d "$DESTDIR$d" ]; do
		new+=("$d")
		d=$(dirname "$d")
	done
	for ((i = ${#new[@]} - 1; i >= 0; i--)); do
		install -d -m 755 "$DESTDIR${new[i]}"
		record dir "${new[i]}"
	done
}

# inst MODE SRC DST: install one file.
inst() {
	mkdirs "$(dirname "$3")"
	install -m "$1" "$2" "$DESTDIR$3"
	record file "$3"
}

# inst_link TARGET DST: a relative symlink.
inst_link() {
	mkdirs "$(dirname "$2")"
	ln -sfn "$1" "$DESTDIR$2"
	record file "$2"
}

# inst_text MODE DST: install stdin as a file.
inst_text() {
	local tmp
	tmp=$(mktemp)
	cat >"$tmp"
	inst "$1" "$tmp" "$2"
	rm -f "$tmp"
}

install_libmach() {
	local lib=$REPO/libmach f h
	if [ ! -f "$lib/libmach.a" ] || [ ! -L "$lib/libmach.so" ]; then
		die "libmach is not built (run make first)"
	fi
	inst 644 "$lib/libmach.a" "$LIBDIR/libmach.a"
	# libmach.so -> libmach.so.0 -> libmach.so.0.1.0, as the build made them.
	for f in "$lib"/libmach.so.*; do
		if [ -L "$f" ]; then
			inst_link "$(readlink "$f")" "$LIBDIR/${f##*/}"
		else
			inst 755 "$f" "$LIBDIR/${f##*/}"
		fi
	done
	inst_link "$(readlink "$lib/libmach.so")" "$LIBDIR/libmach.so"
	# mach.pc for these directories (libmach's rule rewrites it only on change).
	"$MAKE" -s -C "$lib" mach.pc PREFIX="$PREFIX" LIBDIR="$LIBDIR" INCLUDEDIR="$INCLUDEDIR"
	inst 644 "$lib/mach.pc" "$PKGCONFIGDIR/mach.pc"
	(cd "$lib/include" && find . -name '*.h' -type f | sort) | while read -r h; do
		inst 644 "$lib/include/${h#./}" "$INCLUDEDIR/${h#./}"
	done
	# the MIG interfaces, next to the headers as on macOS (mach.pc's defsdir)
	(cd "$lib/include" && find . -name '*.defs' -type f | sort) | while read -r h; do
		inst 644 "$lib/include/${h#./}" "$INCLUDEDIR/${h#./}"
	done
	for h in "$REPO"/uapi/linux/*.h; do	# the ioctl ABI, and any other UAPI header
		inst 644 "$h" "$INCLUDEDIR/linux/${h##*/}"
	done
}

# The executable built for tool NAME (tools/NAME, or tools/NAME/NAME when the
# tool has a directory of its own, built here if it has a Makefile and the
# top-level build did not build it); empty when the tool does not exist.
tool_binary() {
	local t=$REPO/tools/$1
	if [ -d "$t" ] && [ ! -x "$t/$1" ] && [ -f "$t/Makefile" ]; then
		"$MAKE" -C "$t" >&2 || die "tools/$1 does not build"
	fi
	if [ -f "$t" ] && [ -x "$t" ]; then
		echo "$t"
	elif [ -d "$t" ] && [ -f "$t/$1" ] && [ -x "$t/$1" ]; then
		echo "$t/$1"
	elif [ -e "$t" ] || [ -e "$t.c" ]; then
		die "tools/$1 exists but its binary is not built (run make first)"
	fi
}

# Tools, each with its man page (man/NAME.1) when there is one.
install_tools() {
	local name dir bin
	for spec in machd:"$SBINDIR" lsmp:"$BINDIR" mig:"$BINDIR" machnetd:"$SBINDIR"; do
		name=${spec%%:*} dir=${spec#*:}
		bin=$(tool_binary "$name")
		if [ -z "$bin" ]; then
			[ "$name" != machd ] || die "tools/machd is not built (run make first)"
			continue
		fi
		inst 755 "$bin" "$dir/$name"
		[ ! -f "$REPO/man/$name.1" ] || install_man_page "$REPO/man/$name.1"
	done
	sed -e "s|^ExecStart=[^ ]*/machd|ExecStart=$SBINDIR/machd|" "$REPO/tools/machd.service" |
		inst_text 644 "$SYSTEMDUNITDIR/machd.service"
	grep -q "^ExecStart=$SBINDIR/machd" "$DESTDIR$SYSTEMDUNITDIR/machd.service" ||
		die "machd.service: could not point ExecStart at $SBINDIR/machd"
}

# The names a page's NAME section documents ("a, b, c \- what").
page_names() {
	awk '/^\.SH +"?NAME"?/ { on = 1; next } on && /^\.SH/ { exit }
	     on && !/^\.\\"/ { s = s " " $0 }
	     END { sub(/\\-.*/, "", s); gsub(/\\/, "", s); gsub(/,/, " ", s); print s }' "$1"
}

# install_man_page FILE: the page, and a .so page for each other name it documents.
install_man_page() {
	local page=${1##*/} sec name
	sec=${page##*.}
	inst 644 "$1" "$MANDIR/man$sec/$page"
	for name in $(page_names "$1"); do
		[ "$name.$sec" != "$page" ] || continue
		printf '.so man%s/%s\n' "$sec" "$page" | inst_text 644 "$MANDIR/man$sec/$name.$sec"
	done
}

# Section 1 pages go with their tools (install_tools); the rest always.
install_man() {
	local f
	for f in "$REPO"/man/*.[2-8]; do
		[ -f "$f" ] && install_man_page "$f"
	done
}

install_udev() {
	inst 644 "$REPO/packaging/60-mach.rules" "$UDEVRULESDIR/60-mach.rules"
}

dkms_version() {
	sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$REPO/dkms.conf"
}

# Copy what DKMS builds from (as dkms.conf expects it) to $DESTDIR/usr/src/mach-VER.
# On a live system the tree gets a marker, so that a later make install may
# replace it and nobody else's tree is touched; a staged tree (a package's
# payload) gets none.
install_dkms_source() {
	local ver=$1 dst=/usr/src/mach-$1 f
	[ -n "$ver" ] || die "no PACKAGE_VERSION in dkms.conf"
	if [ -e "$DESTDIR$dst/$DKMS_MARKER" ]; then
		rm -rf -- "$DESTDIR$dst"	# ours, from an earlier install: start clean
	elif [ -e "$dst" ] && [ -z "$DESTDIR" ]; then
		die "$dst exists and was not made by make install; remove it first"
	fi
	inst 644 "$REPO/dkms.conf" "$dst/dkms.conf"
	inst 644 "$REPO/Kbuild" "$dst/Kbuild"
	for f in "$REPO"/module/*.[ch]; do
		inst 644 "$f" "$dst/module/${f##*/}"
	done
	for f in "$REPO"/uapi/linux/*.h; do
		inst 644 "$f" "$dst/uapi/linux/${f##*/}"
	done
	[ -n "$DESTDIR" ] || : | inst_text 644 "$dst/$DKMS_MARKER"
}

install_module_dkms() {
	local ver
	ver=$(dkms_version)
	command -v dkms >/dev/null || die "MODULE_INSTALL=dkms but dkms is not installed"
	if dkms status "mach/$ver" 2>/dev/null | grep -q .; then
		[ -e "/usr/src/mach-$ver/$DKMS_MARKER" ] ||
			die "DKMS already has mach/$ver, not from make install; remove it first (dkms remove mach/$ver --all)"
		say "dkms: replacing mach/$ver from an earlier make install"
		dkms remove "mach/$ver" --all >&2
	fi
	install_dkms_source "$ver"
	record dkms "mach/$ver"
	dkms add "mach/$ver" >&2
	if [ -d "$KDIR" ]; then
		dkms install "mach/$ver" -k "$KVER" --kernelsourcedir "$KDIR" >&2
	else
		say "dkms: no kernel headers for $KVER at $KDIR: mach/$ver is registered and"
		say "      DKMS builds it when headers are installed (or: dkms autoinstall)"
	fi
}

install_module_kbuild() {
	local moddir f found=
	[ -d "$KDIR" ] || die "MODULE_INSTALL=kbuild but there is no kernel tree at $KDIR (set KDIR=)"
	"$MAKE" -C "$REPO" module KDIR="$KDIR" >&2
	moddir=/lib/modules/$KVER/extra
	mkdirs "$moddir"
	# depmod ourselves, after recording: Debian's headers have no System.map,
	# and a staged tree gets no index (the package's scripts run depmod).
	"$MAKE" -C "$KDIR" M="$REPO" ${DESTDIR:+INSTALL_MOD_PATH="$DESTDIR"} \
		KERNELRELEASE="$KVER" INSTALL_MOD_DIR=extra DEPMOD=true modules_install >&2
	for f in "$DESTDIR$moddir"/mach.ko*; do
		[ -f "$f" ] || continue
		record file "$moddir/${f##*/}"
		found=1
	done
	[ -n "$found" ] || die "modules_install put no mach.ko in $DESTDIR$moddir"
	if [ -z "$DESTDIR" ]; then
		record depmod "$KVER"
		depmod -a "$KVER"
	fi
}

install_module() {
	local how=$MODULE_INSTALL
	if [ "$how" = auto ]; then
		if [ -n "$DESTDIR" ]; then
			say "note: staging into DESTDIR: mach.ko not installed (MODULE_INSTALL=kbuild stages"
			say "      it for kernel $KVER; MODULE_INSTALL=dkms-src stages the DKMS sources)"
			return 0
		elif [ "$(id -u)" -ne 0 ]; then
			say "note: not root: mach.ko not installed"
			return 0
		elif command -v dkms >/dev/null; then
			how=dkms
		elif [ -d "$KDIR" ]; then
			how=kbuild
		else
			say "note: neither dkms nor a kernel tree at $KDIR: mach.ko not installed"
			say "      (install dkms or linux-headers-$KVER, or set KDIR=)"
			return 0
		fi
	fi
	case $how in
	dkms)
		[ -z "$DESTDIR" ] || die "MODULE_INSTALL=dkms cannot stage into DESTDIR (use dkms-src)"
		install_module_dkms ;;
	kbuild) install_module_kbuild ;;
	dkms-src) install_dkms_source "$(dkms_version)" ;;
	none) ;;
	*) die "MODULE_INSTALL must be auto, dkms, kbuild, dkms-src or none (got '$how')" ;;
	esac
}

do_install() {
	[ -z "$DESTDIR" ] || mkdir -p "$DESTDIR"
	records=$(mktemp)
	mkdirs "$(dirname "$MANIFEST")"
	trap merge_records EXIT
	install_libmach
	install_tools
	install_man
	install_udev
	install_module
	live_refresh
	say "installed under ${DESTDIR:-/} (manifest: $DESTDIR$MANIFEST)"
	[ -z "$DESTDIR" ] || return 0
	case $SYSTEMDUNITDIR in
	/etc/systemd/system | /usr/local/lib/systemd/system | /usr/lib/systemd/system | /lib/systemd/system)
		say "start the name server with: systemctl enable --now machd" ;;
	*)
		say "note: systemd does not read $SYSTEMDUNITDIR: link machd.service into"
		say "      /etc/systemd/system, or install with SYSTEMDUNITDIR=" ;;
	esac
	case $UDEVRULESDIR in
	/etc/udev/rules.d | /usr/local/lib/udev/rules.d | /usr/lib/udev/rules.d | /lib/udev/rules.d) ;;
	*) say "note: udev does not read $UDEVRULESDIR (60-mach.rules only restates the module's mode)" ;;
	esac
}

# -------------------------------------------------------------- uninstall --

do_uninstall() {
	local m=$DESTDIR$MANIFEST kind path dirs=() kvers=() d k
	if [ ! -f "$m" ]; then
		say "nothing to uninstall: no $m"
		say "(was it installed with another PREFIX, DESTDIR or MANIFEST?)"
		return 0
	fi
	# Sanity: absolute paths, no "..", known kinds only.
	while read -r kind path; do
		case $path in /*) ;; *) [ "$kind" = dkms ] || [ "$kind" = depmod ] ||
			die "$m: bad path '$path'" ;; esac
		case $path in */../* | */..) die "$m: bad path '$path'" ;; esac
		case $kind in file | dir | dkms | depmod) ;; *) die "$m: bad line '$kind $path'" ;; esac
	done <"$m"

	# DKMS first: it removes the modules it built and reruns depmod.
	while read -r kind path; do
		[ "$kind" = dkms ] || continue
		if [ -n "$DESTDIR" ]; then
			continue
		elif command -v dkms >/dev/null && dkms status "$path" 2>/dev/null | grep -q .; then
			dkms remove "$path" --all >&2 || die "dkms remove $path failed"
		fi
	done <"$m"
	while read -r kind path; do
		case $kind in
		file)
			if [ -d "$DESTDIR$path" ] && [ ! -L "$DESTDIR$path" ]; then
				say "not removing $DESTDIR$path: a directory"
			else
				rm -f "$DESTDIR$path"
			fi ;;
		dir) dirs+=("$path") ;;
		depmod) kvers+=("$path") ;;
		esac
	done <"$m"
	rm -f "$m"
	# Deepest first; a directory that still holds something stays.
	[ ${#dirs[@]} -eq 0 ] ||
		printf '%s\n' "${dirs[@]}" | awk '{ print gsub("/", "/"), $0 }' | sort -rn -k1,1 |
		cut -d' ' -f2- | while IFS= read -r d; do
			[ ! -d "$DESTDIR$d" ] || rmdir "$DESTDIR$d" 2>/dev/null ||
				say "left $DESTDIR$d: not empty"
		done
	if [ -z "$DESTDIR" ]; then
		for k in "${kvers[@]}"; do
			[ ! -d "/lib/modules/$k" ] || depmod -a "$k"
		done
	fi
	live_refresh
	say "uninstalled from ${DESTDIR:-/}"
}

case ${1:-} in
install) do_install ;;
uninstall) do_uninstall ;;
*) die "usage: $0 install|uninstall" ;;
esac
