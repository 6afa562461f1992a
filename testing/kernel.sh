#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh [--image] KERNEL
#
# Make a kernel of the test matrix available and print where it is:
#   debug-6.1   tinyconfig + config/debug.fragment, from bookworm's linux-source-6.1
#   debug-6.12  the same, from trixie's linux-source-6.12
#   stock-6.1   Debian's linux-image-amd64 and the matching linux-headers
# Prints the kernel tree to build modules against (KDIR), or with --image the
# kernel image to boot.
#
# Debug kernels are built once per machine and cached, outside the work tree, in
#   $MACH_CACHE/kernel-<source version>-<hash of fragment and this script>
# (MACH_CACHE defaults to /var/cache/mach-ipc).  A build happens in a temporary
# directory under a lock and is renamed into place only when it is complete, so
# an interrupted build is never mistaken for a finished one.
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

# Bump when the build procedure changes in a way that changes the result.
KERNEL_SH_VERSION=1

want_image=
if [ "${1:-}" = --image ]; then want_image=1; shift; fi
[ $# -eq 1 ] || die "usage: $0 [--image] debug-6.1|debug-6.12|stock-6.1"
kernel=$1

stock() {
	need_pkgs linux-image-amd64 linux-headers-amd64
	local v
	v=$(stock_kernel_version) || die "no /boot/vmlinuz-*-amd64 with matching /usr/src/linux-headers-*"
	if [ -n "$want_image" ]; then echo "/boot/vmlinuz-$v"; else echo "/usr/src/linux-headers-$v"; fi
}

# source_6_1 / source_6_12: print "<version> <tarball>" of the kernel source.
source_6_1() {
	need_pkgs linux-source-6.1
	local v
	v=$(dpkg-query -W -f='${Version}' linux-source-6.1)
	echo "$v /usr/src/linux-source-6.1.tar.xz"
}

# Trixie's linux-source-6.12 is fetched with apt pointed at a private sources
# list, state and cache directory, leaving the system's apt configuration alone.
# The first fetched version is kept (and so is the cache key) until
# MACH_REFRESH=1 asks for the newest one.
source_6_12() {
	local d=$MACH_CACHE/trixie-apt deb
	mkdir -p "$d"/{lists/partial,cache/archives/partial,etc,src}
	(
		flock 9
		deb=$(ls "$d"/linux-source-6.12_*.deb 2>/dev/null | sort -V | tail -n 1 || true)
		if [ -z "$deb" ] || [ -n "${MACH_REFRESH:-}" ]; then
			need_pkgs debian-archive-keyring
			echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main' \
				>"$d/etc/sources.list"
			local opts=(-o Dir::Etc::SourceList="$d/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
				-o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache"
				-o APT::Sandbox::User=root) # _apt cannot write into our cache
			say "fetching trixie's linux-source-6.12"
			apt-get "${opts[@]}" update -qq >&2
			(cd "$d" && apt-get "${opts[@]}" download linux-source-6.12 >&2)
			deb=$(ls "$d"/linux-source-6.12_*.deb | sort -V | tail -n 1)
		fi
		local v tarball
		v=$(dpkg-deb -f "$deb" Version)
		tarball=$d/src/$v/usr/src/linux-source-6.12.tar.xz
		if [ ! -f "$tarball" ]; then
			rm -rf "$d/src/$v.tmp"
			dpkg-deb -x "$deb" "$d/src/$v.tmp"
			mv -T "$d/src/$v.tmp" "$d/src/$v"
		fi
		echo "$v $tarball"
	) 9>"$MACH_CACHE/trixie-apt.lock"
}

debug() {
	local series=$1 ver tarball key dir log
	need_pkgs build-essential flex bison bc libelf-dev libssl-dev cpio kmod dwarves rsync xz-utils
	mkdir -p "$MACH_CACHE/logs"
	read -r ver tarball < <("source_${series//./_}")
	key=$( (cat "$TESTING_DIR/config/debug.fragment"; echo "kernel.sh v$KERNEL_SH_VERSION $ver $(gcc -dumpfullversion)") |
		sha256sum | cut -c1-12)
	dir=$MACH_CACHE/kernel-$ver-$key
	log=$MACH_CACHE/logs/kernel-$ver-$key.log

	exec 8>"$dir.lock"
	if [ ! -f "$dir/.mach-complete" ]; then
		say "kernel $kernel: not cached; building $ver (about 6-10 minutes; log: $log)"
		flock 8 # another run may be building the same tree: wait for it
	fi
	if [ ! -f "$dir/.mach-complete" ]; then
		# We hold the lock, so whatever is left here is from an interrupted build.
		rm -rf "$dir" "$dir".tmp-*
		local tmp=$dir.tmp-$$ start=$SECONDS
		if ! build_debug "$tarball" "$tmp" >"$log" 2>&1; then
			say "kernel $kernel: BUILD FAILED (full log: $log)"
			log_tail "$log"
			exit 1
		fi
		touch "$tmp/.mach-complete"
		mv -T "$tmp" "$dir"
		say "kernel $kernel: built in $((SECONDS - start)) s: $dir"
	fi
	touch "$dir/.mach-used"
	exec 8>&-
	prune "$series"
	if [ -n "$want_image" ]; then echo "$dir/arch/x86/boot/bzImage"; else echo "$dir"; fi
}

# prune SERIES: a tree is ~1.6 GB; keep the $MACH_CACHE_KEEP (default 2) most
# recently used trees of a series (two branches with different fragments
# should not rebuild each other's kernel on every switch).
prune() {
	local old d
	old=$(ls -1dt "$MACH_CACHE"/kernel-"$1".*-*/.mach-used 2>/dev/null |
		tail -n +$((${MACH_CACHE_KEEP:-2} + 1))) || true
	for d in $old; do
		d=$(dirname "$d")
		(
			flock -n 7 || exit 0 # in use by another run
			say "pruning old kernel tree $d"
			rm -rf "$d"
		) 7>"$d.lock"
	done
}

# build_debug TARBALL DIR SERIES: unpack, configure, verify the config, build.
# Runs in a subshell: it traces itself and changes directory.
build_debug() (
	tarball=$1 dir=$2
	set -x
	mkdir -p "$dir"
	tar -xJf "$tarball" -C "$dir" --strip-components=1
	cd "$dir"
	make ARCH=x86_64 tinyconfig
	scripts/kconfig/merge_config.sh -m .config "$TESTING_DIR/config/debug.fragment"
	make ARCH=x86_64 olddefconfig
	{ set +x; } 2>/dev/null
	verify_config "$TESTING_DIR/config/debug.fragment" .config
	set -x
	# Module.symvers (needed by out-of-tree builds) comes with the modules target.
	make ARCH=x86_64 -j"$(nproc)" bzImage modules
	make ARCH=x86_64 -j"$(nproc)" modules_prepare
	test -f Module.symvers
	test -f arch/x86/boot/bzImage
	# What `make M=...` needs is the configured tree, its generated headers,
	# scripts, objtool and Module.symvers; the kernel's own objects are ~2 GB
	# that nothing reads again.  vmlinux stays, to decode stack traces.
	find . -name '*.o' ! -path './tools/*' ! -path './scripts/*' -delete
	rm -f vmlinux.a
)

# verify_config FRAGMENT CONFIG: every option of the fragment must hold in the
# final .config; merge_config.sh and olddefconfig drop what they cannot satisfy
# without failing, so say exactly which ones did not survive.
verify_config() {
	local frag=$1 cfg=$2 line opt val bad=0
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			opt=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			opt=${BASH_REMATCH[1]} val=n
		else
			continue
		fi
		if [ "$val" = n ]; then
			if grep -q "^$opt=" "$cfg"; then
				echo "config: $opt should be unset but is $(grep "^$opt=" "$cfg")"
				bad=1
			fi
		elif ! grep -qx "$opt=$val" "$cfg"; then
			echo "config: $opt=$val requested, got: $(grep "^$opt=\|^# $opt is not set" "$cfg" || echo '(absent)')"
			bad=1
		fi
	done <"$frag"
	if [ $bad -ne 0 ]; then
		echo "config: the merged .config lacks options asked for in $frag"
		return 1
	fi
	echo "config: every option of $(basename "$frag") is set as asked"
}

case $kernel in
debug-6.1) debug 6.1 ;;
debug-6.12) debug 6.12 ;;
stock-6.1) stock ;;
*) die "unknown kernel '$kernel' (debug-6.1, debug-6.12, stock-6.1)" ;;
esac
