# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the testing/ scripts.  Source it; do not run it.

TESTING_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$TESTING_DIR/.." && pwd)
MACH_CACHE=${MACH_CACHE:-/var/cache/mach-ipc}
MACH_BUILD=${MACH_BUILD:-$REPO_DIR/.build}
export MACH_CACHE MACH_BUILD

# Status lines go to stderr so that scripts can print a result on stdout.
say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Print the last lines of a build log after a failure, so CI shows the cause.
log_tail() {
	say "---- last 40 lines of $1 ----"
	tail -n 40 "$1" >&2 || true
	say "---- end of $1 ----"
}

# need_pkgs PKG...: install the Debian packages that are missing.  A fresh CI
# machine has nothing installed; a developer's machine usually has it all, so
# apt-get runs only when something is missing (and updates its lists once).
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); install them as root"
	say "installing: ${missing[*]}"
	# A lock: kernel.sh may run twice in parallel (one per kernel version).
	(
		flock 9
		if [ -z "${MACH_APT_UPDATED:-}" ]; then
			DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		fi
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${missing[@]}" >&2
	) 9>/tmp/.mach-apt.lock
	export MACH_APT_UPDATED=1
}

# Newest Debian kernel version (e.g. 6.1.0-56-amd64) for which both the image
# in /boot and its headers in /usr/src are present.
stock_kernel_version() {
	local v
	for v in $(ls /boot/vmlinuz-*-amd64 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -rV); do
		if [ -f "/usr/src/linux-headers-$v/Makefile" ]; then
			echo "$v"
			return 0
		fi
	done
	return 1
}

# extract_blob RESULTS_LOG NAME OUT: the data the guest sent between
# "@@MACH BLOB-BEGIN NAME" and "@@MACH BLOB-END NAME" (base64), decoded.
extract_blob() {
	tr -d '\r' <"$1" | awk -v n="$2" '
		index($0, "@@MACH BLOB-BEGIN " n) { on = 1; next }
		index($0, "@@MACH BLOB-END " n) { on = 0; found = 1 }
		on { print }
		END { exit found ? 0 : 1 }' | base64 -d >"$3"
	[ "${PIPESTATUS[1]}" -eq 0 ] && [ -s "$3" ]
}
