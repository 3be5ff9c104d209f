#!/usr/bin/env bash
# test/valgrind.sh — the pg_regress suite (serial plans) against a server
# running under valgrind memcheck; by hand, not in CI.
#
#   B2B_PGROOT=/tmp/pg-vg VALGRIND_SUPP=/path/to/postgresql/src/tools/valgrind.supp \
#       bash test/valgrind.sh [test ...]
#
# B2B_PGROOT must hold a PostgreSQL built by hand from its public source with
# valgrind support, so that memcheck sees palloc chunks, e.g.
#   ./configure --prefix=$B2B_PGROOT/usr/lib/postgresql/15 \
#       --datadir=$B2B_PGROOT/usr/share/postgresql/15 \
#       --includedir=$B2B_PGROOT/usr/include/postgresql \
#       --enable-cassert --enable-debug CFLAGS="-Og -g" CPPFLAGS=-DUSE_VALGRIND
#   make && make install
# (nothing of it belongs in this repository).  The script builds and installs
# b2btarget into it, starts the server through valgrind (one log per process
# in $VG_LOGS), runs the named tests (default: all, fastest first) and fails
# if any process reported an error.  Expect 10 to 30 times the usual time:
# about an hour for the whole suite on 2 cores.  Under valgrind the timeout
# test's "within a bound" assertions may not hold; every other difference
# from expected/ is a finding.
set -uo pipefail
: "${B2B_PGROOT:?set B2B_PGROOT to a PostgreSQL built with -DUSE_VALGRIND}"
: "${VALGRIND_SUPP:?set VALGRIND_SUPP to PostgreSQL''s src/tools/valgrind.supp}"
. "$(dirname "$0")/lib.sh"
cd "$B2B_ROOT"

if ! "$PG_CONFIG" --cppflags | grep -q USE_VALGRIND; then
	echo "$PG_CONFIG was not built with -DUSE_VALGRIND: memcheck would not see palloc chunks" >&2
	exit 2
fi
command -v valgrind >/dev/null || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >&2

VG_LOGS=${VG_LOGS:-$(mktemp -d /tmp/b2btarget-valgrind.XXXXXX)}
mkdir -p "$VG_LOGS"
chmod 777 "$VG_LOGS"
rm -f "$VG_LOGS"/*.log
wrapper=$VG_LOGS/postgres
cat >"$wrapper" <<EOF
#!/bin/sh
# single-user and bootstrap runs (initdb) go without valgrind
case " \$* " in *" --boot "*|*" --single "*|*" -V "*|*" --version "*|*" -C "*) exec "$PG_BINDIR/postgres" "\$@";; esac
exec valgrind --quiet --trace-children=yes --track-origins=${VG_ORIGINS:-no} \\
	--read-var-info=yes --num-callers=30 --leak-check=no --gen-suppressions=all \\
	--suppressions="$VALGRIND_SUPP" --error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END \\
	--log-file="$VG_LOGS/%p.log" "$PG_BINDIR/postgres" "\$@"
EOF
chmod 755 "$wrapper"

# fastest first, so that a run cut short has covered the most tests
tests=${*:-$(for t in sql/*.sql; do printf '%s %s\n' "$(wc -c <"$t")" "$(basename "$t" .sql)"; done | sort -n | awk '{print $2}' | tr '\n' ' ')}
log "valgrind logs in $VG_LOGS"
TESTS="$tests" B2B_SERIAL_ONLY=1 B2B_POSTGRES=$wrapper B2B_START_TIMEOUT=600 bash test/run.sh
rc=$?
errors=$(grep -l VALGRINDERROR-BEGIN "$VG_LOGS"/*.log 2>/dev/null)
if [ -n "$errors" ]; then
	echo "valgrind reported errors in:"
	echo "$errors"
	exit 1
fi
echo "valgrind: no errors in $(ls "$VG_LOGS"/*.log 2>/dev/null | wc -l) process logs"
exit $rc
