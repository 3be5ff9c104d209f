#!/usr/bin/env bash
# A database owner without superuser can CREATE EXTENSION b2btarget (it is
# trusted), use it, update it and drop it; and the extension defines no
# SECURITY DEFINER function and nothing owned by the bootstrap superuser that
# the owner could not drop.
set -euo pipefail
psql() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -d postgres -c "DROP DATABASE IF EXISTS b2b_trusted" -c "DROP ROLE IF EXISTS b2b_owner"
psql -d postgres -c "CREATE ROLE b2b_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" \
	-c "CREATE DATABASE b2b_trusted OWNER b2b_owner"
out=$(psql -U b2b_owner -d b2b_trusted -At <<'SQL'
CREATE EXTENSION b2btarget;
SELECT 'usable: ' || (funnel_agg(s))::text FROM (VALUES ('decision'::journey_stage)) v(s);
SELECT 'security definer functions: ' || count(*)
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'b2btarget'
WHERE p.prosecdef;
SELECT 'functions without comment: ' || count(*)
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'b2btarget'
WHERE obj_description(p.oid, 'pg_proc') IS NULL;
SELECT 'types without comment: ' || count(*)
FROM pg_type t JOIN pg_depend d ON d.objid = t.oid AND d.classid = 'pg_type'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'b2btarget'
WHERE obj_description(t.oid, 'pg_type') IS NULL;
DROP EXTENSION b2btarget;
SELECT 'dropped';
SQL
)
echo "$out"
psql -d postgres -c "DROP DATABASE b2b_trusted" -c "DROP ROLE b2b_owner"
echo "$out" | grep -q '^usable: {"awareness": 1' || { echo "extension not usable by the owner"; exit 1; }
echo "$out" | grep -q '^security definer functions: 0$' || { echo "SECURITY DEFINER functions found"; exit 1; }
echo "$out" | grep -q '^functions without comment: 0$' || { echo "functions without COMMENT ON"; exit 1; }
echo "$out" | grep -q '^types without comment: 0$' || { echo "types without COMMENT ON"; exit 1; }
echo "$out" | grep -q '^dropped$'
