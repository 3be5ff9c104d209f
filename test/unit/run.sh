#!/usr/bin/env bash
# test/unit/run.sh — build and run every test/unit/test_*.c against the
# plain-C core (src/*_core.c).  No server needed.  Output: TAP lines.
set -uo pipefail
cd "$(dirname "$0")/../.."
CC=${CC:-cc}
CFLAGS=${CFLAGS:-"-O1 -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -fsanitize=address,undefined -fno-sanitize-recover=undefined"}
# Compile each core file once (with the sanitizers) and link every test and
# fuzz smoke driver against those objects.
objdir=test/unit/obj
rm -rf "$objdir"
mkdir -p "$objdir"
core=""
rc=0
for c in src/*_core.c; do
	o=$objdir/$(basename "$c" .c).o
	if $CC $CFLAGS -Isrc -c -o "$o" "$c" 2>&1; then
		core="$core $o"
	else
		echo "not ok - $(basename "$c" .c): does not compile"
		rc=1
	fi
done
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
