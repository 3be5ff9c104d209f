-- buying_role: input (names and CRM aliases), output, ordering, hashing,
-- casts, binary I/O and every error.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

-- every role, in order
SELECT role, ordinal, role::text, role_ordinal(role) FROM buying_roles();

-- the demo's CRM text, HubSpot's and Salesforce's role names, case and spacing
SELECT t, t::buying_role AS role FROM (VALUES
  ('Decision Maker'), ('Budget Holder'), ('Executive Sponsor'), ('Champion'),
  ('Technical Evaluator'), ('Influencer'), ('End User'), ('Procurement'),
  ('Legal & Compliance'), ('Blocker'), ('Other'),
  ('DECISION_MAKER'), ('BUDGET_HOLDER'), ('EXECUTIVE_SPONSOR'), ('END_USER'),
  ('LEGAL_AND_COMPLIANCE'), ('Economic Buyer'), ('Economic Decision Maker'),
  ('Technical Buyer'), ('Evaluator'), ('Business User'),
  ('  decision-maker  '), ('economic_buyer'), ('legal and compliance'),
  ('Legal/Compliance'), ('purchasing'), ('coach'), ('detractor')) v(t);

-- every alias reads back as its role, and the canonical names are aliases too
SELECT role, count(*) AS spellings, string_agg(alias, ', ' ORDER BY alias) AS aliases
FROM buying_role_aliases() GROUP BY role ORDER BY role;
SELECT count(*) AS canonical_missing FROM buying_roles() r
WHERE NOT EXISTS (SELECT 1 FROM buying_role_aliases() a
                  WHERE a.alias = replace(r.role::text, '_', ''));

-- errors: message, HINT and SQLSTATE
SELECT 'decision'::buying_role;
SELECT ''::buying_role;
SELECT 'champion!'::buying_role;
SELECT 12::buying_role;
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT 'decision'::buying_role$q$),
  ($q$SELECT ''::buying_role$q$),
  ($q$SELECT '   '::buying_role$q$),
  ($q$SELECT 'band'::buying_role$q$),
  ($q$SELECT 'champion!'::buying_role$q$),
  ($q$SELECT 0::buying_role$q$),
  ($q$SELECT 12::buying_role$q$),
  ($q$SELECT (-1)::buying_role$q$),
  ($q$SELECT 11::buying_role$q$)) v(q);

-- NULLs: casts and functions are strict
SELECT NULL::text::buying_role AS r, role_ordinal(NULL), buying_role(NULL);

-- comparison operators follow the role order
SELECT a.role AS a, b.role AS b, a.role < b.role AS lt, a.role <= b.role AS le,
       a.role = b.role AS eq, a.role <> b.role AS ne, a.role >= b.role AS ge, a.role > b.role AS gt
FROM buying_roles() a, buying_roles() b
WHERE a.ordinal IN (1, 6, 11) AND b.ordinal IN (1, 6, 11)
ORDER BY a.ordinal, b.ordinal;
SELECT count(*) AS order_mismatches FROM buying_roles() a, buying_roles() b
WHERE (a.role < b.role) <> (a.ordinal < b.ordinal)
   OR (a.role = b.role) <> (a.ordinal = b.ordinal)
   OR sign(buying_role_cmp(a.role, b.role)) <> sign(a.ordinal - b.ordinal);

-- sort, hash and btree: GROUP BY both ways, DISTINCT, an index, a merge join
CREATE TABLE buying_role_t AS
SELECT i, buying_role(1 + (i * 7) % 11) AS role FROM generate_series(1, 5000) i;
ANALYZE buying_role_t;
SET enable_hashagg = off;
SELECT role, count(*) FROM buying_role_t GROUP BY role ORDER BY role;
RESET enable_hashagg;
SET enable_sort = off;
SELECT count(*) AS groups, sum(n) AS rows FROM (SELECT role, count(*) n FROM buying_role_t GROUP BY role) g;
RESET enable_sort;
SELECT array_agg(DISTINCT role) FROM buying_role_t;
CREATE INDEX ON buying_role_t (role);
SET max_parallel_workers_per_gather = 0;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM buying_role_t WHERE role = 'champion';
SELECT count(*) FROM buying_role_t WHERE role = 'champion';
SELECT count(*) FROM buying_role_t WHERE role BETWEEN 'champion' AND 'end_user';
RESET enable_seqscan;
RESET enable_bitmapscan;
RESET max_parallel_workers_per_gather;
SELECT count(*) FILTER (WHERE role_ordinal(role) BETWEEN 4 AND 7) AS reference FROM buying_role_t;
CREATE TABLE buying_role_hash (role buying_role);
CREATE INDEX ON buying_role_hash USING hash (role);
INSERT INTO buying_role_hash SELECT role FROM buying_role_t;
SET max_parallel_workers_per_gather = 0;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM buying_role_hash WHERE role = 'legal';
SELECT count(*) FROM buying_role_hash WHERE role = 'legal';
RESET enable_seqscan;
RESET enable_bitmapscan;
RESET max_parallel_workers_per_gather;
SET enable_hashjoin = off;
SET enable_nestloop = off;
SELECT count(*) AS merge_join_rows FROM buying_roles() r JOIN buying_role_t t ON t.role = r.role;
RESET enable_hashjoin;
RESET enable_nestloop;
SET enable_mergejoin = off;
SET enable_nestloop = off;
SELECT count(*) AS hash_join_rows FROM buying_roles() r JOIN buying_role_t t ON t.role = r.role;
RESET enable_mergejoin;
RESET enable_nestloop;

-- text and binary COPY round trip
CREATE TABLE buying_role_copy (i int, role buying_role);
\copy buying_role_t TO 'results/buying_role.bin' (FORMAT binary)
\copy buying_role_copy FROM 'results/buying_role.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM buying_role_t a FULL JOIN buying_role_copy b USING (i) WHERE a.role IS DISTINCT FROM b.role;
TRUNCATE buying_role_copy;
\copy buying_role_t TO 'results/buying_role.txt'
\copy buying_role_copy FROM 'results/buying_role.txt'
SELECT count(*) AS text_mismatches FROM buying_role_t a FULL JOIN buying_role_copy b USING (i) WHERE a.role IS DISTINCT FROM b.role;
SELECT buying_role_send('legal');

-- crafted binary (int2's form): ordinal 9, the old versioned form (\x0109
-- reads as 265), ordinal 0 and 12, too short, too long
CREATE TABLE buying_role_raw (b bytea);
CREATE TABLE buying_role_recv (r buying_role);
INSERT INTO buying_role_raw VALUES ('\x0109');
\copy buying_role_raw TO 'results/buying_role_raw.bin' (FORMAT binary)
\copy buying_role_recv FROM 'results/buying_role_raw.bin' (FORMAT binary)
TRUNCATE buying_role_raw;
INSERT INTO buying_role_raw VALUES ('\x0009');
\copy buying_role_raw TO 'results/buying_role_raw.bin' (FORMAT binary)
\copy buying_role_recv FROM 'results/buying_role_raw.bin' (FORMAT binary)
TRUNCATE buying_role_raw;
INSERT INTO buying_role_raw VALUES ('\xffff');
\copy buying_role_raw TO 'results/buying_role_raw.bin' (FORMAT binary)
\copy buying_role_recv FROM 'results/buying_role_raw.bin' (FORMAT binary)
TRUNCATE buying_role_raw;
INSERT INTO buying_role_raw VALUES ('\x0000');
\copy buying_role_raw TO 'results/buying_role_raw.bin' (FORMAT binary)
\copy buying_role_recv FROM 'results/buying_role_raw.bin' (FORMAT binary)
TRUNCATE buying_role_raw;
INSERT INTO buying_role_raw VALUES ('\x000c');
\copy buying_role_raw TO 'results/buying_role_raw.bin' (FORMAT binary)
\copy buying_role_recv FROM 'results/buying_role_raw.bin' (FORMAT binary)
TRUNCATE buying_role_raw;
INSERT INTO buying_role_raw VALUES ('\x01');
\copy buying_role_raw TO 'results/buying_role_raw.bin' (FORMAT binary)
\copy buying_role_recv FROM 'results/buying_role_raw.bin' (FORMAT binary)
TRUNCATE buying_role_raw;
INSERT INTO buying_role_raw VALUES ('\x000101');
\copy buying_role_raw TO 'results/buying_role_raw.bin' (FORMAT binary)
\copy buying_role_recv FROM 'results/buying_role_raw.bin' (FORMAT binary)
SELECT r FROM buying_role_recv;

DROP TABLE buying_role_t, buying_role_hash, buying_role_copy, buying_role_raw, buying_role_recv;
