#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh SECONDS: the MIG parser (lexer, grammar, routine analysis and
# writers) under libFuzzer with ASan and UBSan for SECONDS, seeded with
# every .defs in the tree (preprocessed) and the malformed ones in tests/bad.
# Any crash, sanitizer report or hang fails.  Needs clang and libFuzzer
# (Debian: clang, libclang-rt-14-dev).  The corpus grows in build/fuzz/corpus.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mig=$(cd "$here/.." && pwd)
top=$(cd "$mig/../.." && pwd)
secs=${1:-600}
out=$mig/build/fuzz
mkdir -p "$out/seed" "$out/corpus"
command -v clang >/dev/null || { echo "fuzz.sh: clang is not installed" >&2; exit 1; }
make -s -C "$mig" build/lexer.c build/parser.c >&2
srcs=(driver.c error.c util.c type.c routine.c write_common.c write_header.c write_user.c
	write_server.c build/lexer.c build/parser.c tests/fuzz_parser.c)
(cd "$mig" && clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -I. -Ibuild -DMIG_DEFSDIR='"/nonexistent"' -std=gnu11 -w \
	-o "$out/fuzz_parser" "${srcs[@]}")
n=0
while IFS= read -r d; do
	cpp -D__MACH30__ -I"$top/libmach/include" -I"$(dirname "$d")" "$d" \
		>"$out/seed/$(basename "$d").$n" 2>/dev/null || cp "$d" "$out/seed/$(basename "$d").$n"
	n=$((n + 1))
done < <(find "$top/libmach/include" "$top/selftests" "$here/bad" -name '*.defs' | sort)
cp "$here"/fuzz-regressions/* "$out/seed/" 2>/dev/null || true
cd "$out"
# every seed once (they must all run clean), then fuzz
./fuzz_parser -close_fd_mask=3 -detect_leaks=0 seed/* >run-seeds.log 2>&1 ||
	{ tail -n 40 run-seeds.log >&2; exit 1; }
./fuzz_parser -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -close_fd_mask=3 \
	-detect_leaks=0 -dict="$here/mig.dict" corpus seed >fuzz.log 2>&1 ||
	{ tail -n 60 fuzz.log >&2; exit 1; }
grep -E '^Done|#[0-9]+.*DONE' fuzz.log | tail -n 1 >&2 || true
echo "fuzz.sh: $secs s, no crash ($(ls corpus | wc -l) inputs in the corpus)" >&2
