#!/usr/bin/env bash
# The demo's report tells one story: generate the demo data set in a database
# of its own, run every report section, then assert the identities between
# sections and the planted effects the extension must recover
# (test/checks/demo_story.sql: one row per claim).
set -euo pipefail
root=${B2B_ROOT:?}
psql() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
trap 'PGOPTIONS="-c client_min_messages=warning" psql -d postgres -c "DROP DATABASE IF EXISTS b2b_demo_story" >/dev/null 2>&1 || true' EXIT
PGOPTIONS="-c client_min_messages=warning" psql -d postgres -c "DROP DATABASE IF EXISTS b2b_demo_story" -c "CREATE DATABASE b2b_demo_story"
export PGDATABASE=b2b_demo_story
psql -c "CREATE EXTENSION b2btarget"
psql -f "$root/test/demo/gen.sql" >/dev/null
for extra in "$root"/test/demo/gen_*.sql; do
	[ -e "$extra" ] || continue
	psql -f "$extra" >/dev/null
done
for section in "$root"/test/demo/report_*.sql; do
	psql -f "$section" >/dev/null
done
out=$(psql -At -F ' | ' -f "$root/test/checks/demo_story.sql")
echo "$out"
if echo "$out" | grep -q ' | f$'; then
	echo "a claim of the demo's story does not hold"
	exit 1
fi
n=$(echo "$out" | grep -c ' | t$')
echo "$n claims of the demo's story hold"
