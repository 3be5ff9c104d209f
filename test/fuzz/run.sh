#!/usr/bin/env bash
# test/fuzz/run.sh — coverage-guided fuzzing of the plain-C core with
# libFuzzer (clang).  By hand:  SECONDS_EACH=60 bash test/fuzz/run.sh [name]
# Every test run also smoke-runs each target through test/fuzz/driver.c.
set -euo pipefail
cd "$(dirname "$0")/../.."
core=$(ls src/*_core.c)
for t in test/fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	[ $# -gt 0 ] && [ "$1" != "$name" ] && continue
	clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -o "test/fuzz/$name.bin" "$t" $core -lm
	mkdir -p "test/fuzz/corpus/$name"
	"test/fuzz/$name.bin" -max_total_time="${SECONDS_EACH:-60}" -max_len=4096 "test/fuzz/corpus/$name"
done
