#!/usr/bin/env bash
# The demo's HTML report (test/demo/html_report.py) rendered in headless
# Chromium (Debian's chromium): every chart of test/demo/charts/ is on the
# page and not empty, the report's tables are there, and the screenshot is a
# real picture.  Generates the demo data set in a database of its own.
set -euo pipefail
root=${B2B_ROOT:?}
psql() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then
	echo "headless Chromium is not installed (Debian package chromium)"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"; PGOPTIONS="-c client_min_messages=warning" psql -d postgres -c "DROP DATABASE IF EXISTS b2b_demo_html" >/dev/null 2>&1 || true' EXIT
chmod 755 "$work"
PGOPTIONS="-c client_min_messages=warning" psql -d postgres -c "DROP DATABASE IF EXISTS b2b_demo_html" -c "CREATE DATABASE b2b_demo_html"
export PGDATABASE=b2b_demo_html
psql -c "CREATE EXTENSION b2btarget"
psql -f "$root/test/demo/gen.sql" >/dev/null
for extra in "$root"/test/demo/gen_*.sql; do
	[ -e "$extra" ] || continue
	psql -f "$extra" >/dev/null
done
PG_BINDIR=$PG_BINDIR python3 "$root/test/demo/html_report.py" "$work/report.html"
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$work/profile"
timeout 120 "$chromium" $flags --dump-dom "file://$work/report.html" >"$work/dom.html" 2>"$work/chromium.log" ||
	{ tail -5 "$work/chromium.log"; echo "chromium --dump-dom failed"; exit 1; }
timeout 120 "$chromium" $flags --window-size=1100,1800 --screenshot="$work/shot.png" "file://$work/report.html" >>"$work/chromium.log" 2>&1 ||
	{ tail -5 "$work/chromium.log"; echo "chromium --screenshot failed"; exit 1; }
names=$(cd "$root/test/demo/charts" && ls *.sql | sed 's/\.sql$//')
python3 "$root/test/checks/demo_html.py" "$work/dom.html" "$work/shot.png" $names
