#!/usr/bin/env bash
# test/demo.sh — the b2btarget demo (the README's main command).
#
# Installs what is missing, builds and installs the extension, starts a
# throwaway PostgreSQL on a private socket, loads a generated B2B data set
# (test/demo/gen.sql, seeded) and prints a targeting report built with the
# extension's functions (test/demo/report_*.sql, in order), and writes the
# same report as an HTML page with charts (test/demo/html_report.py).
#
#   bash test/demo.sh                 the demo
#   B2B_KEEP=1 bash test/demo.sh      keep the cluster's files afterwards
#   B2B_REPORT_DIR=DIR bash test/demo.sh   where the HTML report goes (./demo-report)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$B2B_ROOT"

start=$(date +%s)
b2b_need_packages
b2b_lock
b2b_build_install
b2b_start_cluster
b2b_psql -c "CREATE EXTENSION b2btarget"
log "generating the data set (2,000 accounts, seeded)"
b2b_psql -f test/demo/gen.sql >/dev/null
# Further generated tables for later capabilities: test/demo/gen_*.sql, in
# name order, after the base data set.
for extra in test/demo/gen_*.sql; do
	[ -e "$extra" ] || continue
	b2b_psql -f "$extra" >/dev/null
done

echo
echo "b2btarget demo — a targeting report on a generated B2B data set"
b2b_psql -P footer=off -c "SELECT (SELECT count(*) FROM accounts) AS accounts,
	(SELECT count(*) FROM contacts) AS contacts,
	(SELECT count(*) FROM touchpoints) AS touchpoints,
	(SELECT count(*) FROM orders) AS orders,
	(SELECT min(ts)::date FROM touchpoints) AS first_event,
	(SELECT max(ts)::date FROM touchpoints) AS last_event"
for section in test/demo/report_*.sql; do
	b2b_psql -P footer=off -f "$section"
done
# The same report as a page with charts (test/demo/html_report.py).
report_dir=${B2B_REPORT_DIR:-$B2B_ROOT/demo-report}
mkdir -p "$report_dir"
PG_BINDIR=$PG_BINDIR python3 test/demo/html_report.py "$report_dir/report.html"
echo
echo "HTML report with charts: $report_dir/report.html"
echo "demo finished in $(( $(date +%s) - start )) s"
