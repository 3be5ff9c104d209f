#!/usr/bin/env bash
# pg_dump / restore of a database whose tables use every b2btarget type:
# the restored values read back identical (text form, compared row by row),
# in both plain and custom (binary COPY-free, but pg_restore) formats.
set -euo pipefail
psql() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
for db in b2b_dump_src b2b_dump_plain b2b_dump_custom; do
	psql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
done
psql -d b2b_dump_src -f "$B2B_ROOT/test/checks/dump_restore.sql" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PG_BINDIR/pg_dump" -d b2b_dump_src -f "$work/plain.sql"
"$PG_BINDIR/pg_dump" -d b2b_dump_src -Fc -f "$work/custom.dump"
psql -d b2b_dump_plain -f "$work/plain.sql" >/dev/null
"$PG_BINDIR/pg_restore" -d b2b_dump_custom "$work/custom.dump"
# Every table: md5 of all rows as text, ordered by id.
sig() {
	psql -d "$1" -At -c "SELECT string_agg(tablename || ':' || (xpath('/row/md5/text()',
		query_to_xml(format('SELECT md5(string_agg(t::text, ''|'' ORDER BY t::text)) AS md5 FROM %I t', tablename), false, true, '')))[1]::text, ' ' ORDER BY tablename)
		FROM pg_tables WHERE schemaname = 'public'"
}
a=$(sig b2b_dump_src)
b=$(sig b2b_dump_plain)
c=$(sig b2b_dump_custom)
echo "source:  $a"
echo "plain:   $b"
echo "custom:  $c"
for db in b2b_dump_src b2b_dump_plain b2b_dump_custom; do
	psql -d postgres -c "DROP DATABASE $db"
done
[ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ]
