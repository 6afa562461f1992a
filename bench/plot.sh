#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# plot.sh OUT.png CSV...
#
# Plot machbench CSV files: median latency against message size, one line
# per mechanism, log-log, one panel per CSV and mode.  Size 0 is drawn at
# 1 B.  Needs gnuplot (Debian: gnuplot-nox).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OUT.png CSV..." >&2; exit 2; }
out=$1
shift
command -v gnuplot >/dev/null || { echo "plot.sh: gnuplot is not installed (apt-get install gnuplot-nox)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One data file per (csv, mode, mechanism): "size median p10 p90".
panels=()
i=0
for csv in "$@"; do
	for mode in same cross; do
		d=$tmp/p$i-$mode
		mkdir -p "$d"
		awk -F, -v mode="$mode" -v d="$d" '
			NR > 1 && $2 == mode && $8 != "" && $4 != "mem" {
				f = d "/" $3
				print ($5 == 0 ? 1 : $5), $8, $9, $10 > f
				clock = $1
			}
			END { if (clock != "") print clock > (d "/.clock") }' "$csv"
		[ -f "$d/.clock" ] && panels+=("$d")
	done
	i=$((i + 1))
done
[ ${#panels[@]} -gt 0 ] || { echo "plot.sh: no rows to plot" >&2; exit 1; }

{
	echo "set terminal pngcairo size 1200,$((520 * ${#panels[@]})) font ',10' noenhanced" 2>/dev/null
	echo "set output '$out'"
	echo "set multiplot layout ${#panels[@]},1"
	echo "set logscale xy"
	echo "set grid"
	echo "set key outside right"
	echo "set xlabel 'message size (bytes; 0 drawn at 1)'"
	echo "set ylabel 'median ns per operation (p10..p90 bars)'"
	for d in "${panels[@]}"; do
		clock=$(cat "$d/.clock")
		mode=${d##*-}
		echo "set title 'machbench: clock=$clock, mode=$mode (client and server $([ "$mode" = same ] && echo 'on one CPU' || echo 'on two CPUs'))'"
		sep="plot "
		line=""
		for f in "$d"/*; do
			m=$(basename "$f")
			line+="$sep'$f' using 1:2:3:4 with yerrorlines title '$m'"
			sep=", "
		done
		echo "$line"
	done
	echo "unset multiplot"
} >"$tmp/plot.gp"
# pngcairo is in gnuplot-nox? Fall back to the gd "png" terminal if not.
if ! gnuplot -e "set terminal pngcairo" >/dev/null 2>&1; then
	sed -i 's/^set terminal pngcairo/set terminal png/' "$tmp/plot.gp"
fi
gnuplot "$tmp/plot.gp"
echo "$out"
