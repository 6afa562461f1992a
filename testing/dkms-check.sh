#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-check.sh: prove that the tree builds as a DKMS package against Debian's
# stock kernel headers: copy the module sources to /usr/src/mach-<version>,
# `dkms add`, `dkms build`, then remove every trace again.  Needs root; needs
# no VM.  Exit status 0 on success.
set -euo pipefail
# shellcheck source=testing/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "dkms-check needs root"
need_pkgs dkms linux-image-amd64 linux-headers-amd64 build-essential
kver=$(stock_kernel_version) || die "no stock kernel with matching headers"
src=${MACH_SRC:-$REPO_DIR}
[ -f "$src/dkms.conf" ] || die "no dkms.conf in $src"
ver=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$src/dkms.conf")
name=$(sed -n 's/^PACKAGE_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$src/dkms.conf")
[ -n "$ver" ] && [ "$name" = mach ] || die "dkms.conf: need PACKAGE_NAME=\"mach\" and a PACKAGE_VERSION"
dst=/usr/src/mach-$ver
marker=.mach-dkms-check # marks a copy made by this script

exec 9>/tmp/.mach-dkms.lock
flock 9

cleanup() {
	dkms remove "mach/$ver" --all >/dev/null 2>&1 || true
	rm -rf "$dst"
}
if [ -e "$dst" ] || dkms status "mach/$ver" 2>/dev/null | grep -q .; then
	if [ -e "$dst/$marker" ]; then
		cleanup # left over from an interrupted run of ours
	else
		die "$dst or dkms entry mach/$ver exists and is not ours; remove it first"
	fi
fi
trap cleanup EXIT

mkdir -p "$dst"
cp -a "$src/Kbuild" "$src/dkms.conf" "$src/module" "$src/uapi" "$dst/"
touch "$dst/$marker"
log=$MACH_BUILD/dkms.log
mkdir -p "$MACH_BUILD"
if dkms add "mach/$ver" >"$log" 2>&1 &&
	dkms build "mach/$ver" -k "$kver" >>"$log" 2>&1; then
	say "dkms: mach/$ver builds for $kver"
else
	say "dkms: mach/$ver FAILED to build for $kver (log: $log)"
	cat "/var/lib/dkms/mach/$ver/build/make.log" >>"$log" 2>/dev/null || true
	log_tail "$log"
	exit 1
fi
