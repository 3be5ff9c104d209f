#!/usr/bin/env bash
# test/checks/committee_dump.sh — stored committees and buying roles survive
# pg_dump and restore (custom format) into a fresh database unchanged.
set -euo pipefail
: "${PG_BINDIR:?}"
src=b2b_committee_dump_src
dst=b2b_committee_dump_dst
psql() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
dump=$(mktemp)
trap 'rm -f "$dump"; psql -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" >/dev/null 2>&1 || true' EXIT

psql -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst" >/dev/null
psql -d "$src" >/dev/null <<'SQL'
CREATE EXTENSION b2btarget;
CREATE TABLE members AS
SELECT a AS account_id, buying_role(1 + (a * m) % 11) AS role,
       CASE WHEN m % 7 = 0 THEN NULL ELSE journey_stage(1 + (a + m) % 7) END AS stage,
       CASE WHEN m % 5 = 0 THEN NULL WHEN m % 13 = 0 THEN '1'::propensity
            ELSE ((a * 31 + m * 17) % 1000 / 1000.0)::propensity END AS p,
       (1 + m % 3) * 0.25 AS w
FROM generate_series(1, 2000) a, generate_series(1, 1 + a % 25) m;
CREATE TABLE stored AS SELECT account_id, committee_agg(role, stage, p, w) AS c FROM members GROUP BY account_id;
SQL
"$PG_BINDIR/pg_dump" -Fc -d "$src" -f "$dump"
"$PG_BINDIR/pg_restore" -d "$dst" "$dump"
fingerprint="SELECT md5(string_agg(account_id || ':' || c::text || ':' || encode(committee_send(c), 'hex'), ',' ORDER BY account_id)) || ' ' || count(*) FROM stored"
a=$(psql -At -d "$src" -c "$fingerprint")
b=$(psql -At -d "$dst" -c "$fingerprint")
roles_a=$(psql -At -d "$src" -c "SELECT md5(string_agg(role::text, ',' ORDER BY account_id, role)) FROM members")
roles_b=$(psql -At -d "$dst" -c "SELECT md5(string_agg(role::text, ',' ORDER BY account_id, role)) FROM members")
echo "source:   $a $roles_a"
echo "restored: $b $roles_b"
[ "$a" = "$b" ] && [ "$roles_a" = "$roles_b" ] || { echo "committees differ after pg_dump/restore"; exit 1; }
ok=$(psql -At -d "$dst" -c "SELECT count(*) FROM stored s JOIN (SELECT account_id, committee_agg(role, stage, p, w) c FROM members GROUP BY 1) r USING (account_id) WHERE s.c::text <> r.c::text")
[ "$ok" = 0 ] || { echo "$ok restored committees differ from recomputed ones"; exit 1; }
echo "committees round-trip through pg_dump/restore"
