#!/usr/bin/env bash
# test/unit/run.sh — build and run every test/unit/test_*.c against the
# plain-C core (src/*_core.c).  No server needed.  Output: TAP lines.
set -uo pipefail
cd "$(dirname "$0")/../.."
CC=${CC:-cc}
CFLAGS=${CFLAGS:-"-O1 -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -fsanitize=address,undefined -fno-sanitize-recover=undefined"}
core=$(ls src/*_core.c)
rc=0
for t in test/unit/test_*.c; do
	[ -e "$t" ] || continue
	bin=${t%.c}.bin
	if ! $CC $CFLAGS -Isrc -Itest/unit -o "$bin" "$t" $core -lm 2>&1; then
		echo "not ok - $(basename "$t" .c): does not compile"
		rc=1
		continue
	fi
	"./$bin" || { echo "not ok - $(basename "$t" .c): exited $?"; rc=1; }
done
# Smoke-run each fuzz target (test/fuzz/fuzz_*.c) through the driver.
for t in test/fuzz/fuzz_*.c; do
	[ -e "$t" ] || continue
	bin=test/fuzz/$(basename "$t" .c).smoke.bin
	if ! $CC $CFLAGS -Isrc -o "$bin" "$t" test/fuzz/driver.c $core -lm 2>&1; then
		echo "not ok - $(basename "$t" .c): does not compile"
		rc=1
		continue
	fi
	"./$bin" "${FUZZ_SMOKE_ITERS:-100000}" || { echo "not ok - $(basename "$t" .c): exited $?"; rc=1; }
done
exit $rc
