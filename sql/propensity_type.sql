-- the propensity domain (over float8): input, output, casts, operators,
-- functions.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

SELECT v, v::propensity FROM (VALUES ('0.73'), ('0'), ('1'),
  ('-0'), ('1e-300'), ('0.1'), ('0.30000000000000004'), ('7.3e-1')) t(v);
-- percentages: propensity_from_text (-0 becomes 0 there)
SELECT v, propensity_from_text(v) FROM (VALUES ('0.73'), ('73%'), (' 12.5 % '), ('0'), ('1'), ('100%'),
  ('-0'), ('1e-300'), ('0.1'), ('0.30000000000000004'), ('7.3e-1')) t(v);
-- drivers see float8: the result type of every propensity-valued function is
-- the domain, whose wire type (RowDescription) is its base type
SELECT oid::regtype, typtype, typbasetype::regtype, typnotnull FROM pg_type WHERE oid = 'propensity'::regtype;
SELECT pg_typeof('0.5'::propensity), pg_typeof(propensity_from_logit(0)), pg_typeof(any_of(0.5, 0.5)),
       pg_typeof(any_of_agg(0.5)), pg_typeof('0.5'::propensity + 0), pg_typeof(max('0.5'::propensity));
-- SQLSTATE of each bad input (the messages and hints are shown below).
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT '1.5'::propensity$q$),
  ($q$SELECT '-0.1'::propensity$q$),
  ($q$SELECT 'NaN'::propensity$q$),
  ($q$SELECT 'abc'::propensity$q$),
  ($q$SELECT propensity_from_text('101%')$q$),
  ($q$SELECT propensity_from_text('abc')$q$),
  ($q$SELECT propensity_from_text('NaN')$q$),
  ($q$SELECT '73%'::propensity$q$),
  ($q$SELECT logit(1.5)$q$),
  ($q$SELECT any_of(0.5, -1)$q$),
  ($q$SELECT 1.5::float8::propensity$q$),
  ($q$SELECT 'NaN'::float8::propensity$q$),
  ($q$SELECT propensity_from_logit('NaN')$q$)) v(q);

SELECT '1.5'::propensity;
SELECT '-0.1'::propensity;
SELECT 'NaN'::propensity;
SELECT 'abc'::propensity;
SELECT propensity_from_text('101%');
SELECT propensity_from_text('abc');
SELECT propensity_from_text('');
SELECT ''::propensity;
SELECT logit(1.5);
SELECT odds('NaN');

-- shortest round trip
SELECT count(*) AS roundtrip_failures
FROM (SELECT (i / 9973.0)::float8 AS x FROM generate_series(0, 9973) i) v
WHERE x::propensity::text::propensity::float8 <> x;

-- casts
SELECT 0.25::float8::propensity, 0.25::numeric::propensity, '0.25'::propensity::numeric,
       '0.25'::propensity::float8, '0.25'::propensity * 4 AS times_four;
SELECT propensity(0.25) AS func, pg_typeof(propensity(0.25)), propensity(0.25::numeric) AS from_numeric;
SELECT propensity(1.5);
SELECT 1.5::float8::propensity;
SELECT 'NaN'::float8::propensity;
SELECT (-0.5)::numeric::propensity;
CREATE TABLE prop_t (id int, p propensity);
INSERT INTO prop_t VALUES (1, 0.5), (2, 0.25::float8), (3, propensity_from_text('90%')), (4, NULL);
INSERT INTO prop_t VALUES (5, 2);
SELECT * FROM prop_t ORDER BY p DESC NULLS LAST;
SELECT min(p), max(p) FROM prop_t;

-- functions
SELECT logit('0.5'), logit('0'), logit('1'), round(logit('0.73')::numeric, 12) AS logit_073,
       propensity_from_logit(0), propensity_from_logit('Infinity'), propensity_from_logit('-Infinity'),
       propensity_from_logit(logit('0.73')) AS back,
       odds('0.75'), odds('1'), odds('0'),
       any_of('0.5', '0.5'), all_of('0.5', '0.5'), any_of('1', '0.3'), all_of('0', '0.9');
SELECT propensity_from_logit('NaN');
SELECT logit(NULL), odds(NULL), any_of(NULL, '0.5');

-- operators agree with float8
SELECT count(*) AS mismatches
FROM (SELECT (i / 17.0)::float8 a FROM generate_series(0, 17) i) x,
     (SELECT (i / 17.0)::float8 b FROM generate_series(0, 17) i) y
WHERE ((a::propensity < b::propensity) <> (a < b))
   OR ((a::propensity = b::propensity) <> (a = b))
   OR ((a::propensity >= b::propensity) <> (a >= b));

-- hash and btree: GROUP BY, DISTINCT, index
CREATE TABLE prop_big AS SELECT i, ((i % 101) / 100.0)::propensity AS p FROM generate_series(1, 10000) i;
CREATE INDEX ON prop_big (p);
ANALYZE prop_big;
SET max_parallel_workers_per_gather = 0;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM prop_big WHERE p > '0.9';
SELECT count(*) FROM prop_big WHERE p > '0.9';
RESET enable_seqscan;
RESET enable_bitmapscan;
SET enable_sort = off;
SELECT count(*) FROM (SELECT p FROM prop_big GROUP BY p) g;
RESET enable_sort;
RESET max_parallel_workers_per_gather;
SELECT count(DISTINCT p) FROM prop_big;

-- binary COPY round trip and crafted values
CREATE TABLE prop_copy (LIKE prop_big);
\copy prop_big TO 'results/prop.bin' (FORMAT binary)
\copy prop_copy FROM 'results/prop.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM prop_big a FULL JOIN prop_copy b USING (i) WHERE a.p IS DISTINCT FROM b.p;
CREATE TABLE prop_raw (b bytea);
CREATE TABLE prop_recv (p propensity);
-- float8's 8 bytes (no version byte): a driver's binary float8 is accepted
INSERT INTO prop_raw VALUES ('\x3fe0000000000000');
\copy prop_raw TO 'results/prop_raw.bin' (FORMAT binary)
\copy prop_recv FROM 'results/prop_raw.bin' (FORMAT binary)
SELECT * FROM prop_recv;
TRUNCATE prop_raw;
-- 1.5, NaN, 9 bytes (the old versioned form), 7 bytes
INSERT INTO prop_raw VALUES ('\x3ff8000000000000');
\copy prop_raw TO 'results/prop_raw.bin' (FORMAT binary)
\copy prop_recv FROM 'results/prop_raw.bin' (FORMAT binary)
TRUNCATE prop_raw;
INSERT INTO prop_raw VALUES ('\x7ff8000000000000');
\copy prop_raw TO 'results/prop_raw.bin' (FORMAT binary)
\copy prop_recv FROM 'results/prop_raw.bin' (FORMAT binary)
TRUNCATE prop_raw;
INSERT INTO prop_raw VALUES ('\x013fe0000000000000');
\copy prop_raw TO 'results/prop_raw.bin' (FORMAT binary)
\copy prop_recv FROM 'results/prop_raw.bin' (FORMAT binary)
TRUNCATE prop_raw;
INSERT INTO prop_raw VALUES ('\x3fe00000000000');
\copy prop_raw TO 'results/prop_raw.bin' (FORMAT binary)
\copy prop_recv FROM 'results/prop_raw.bin' (FORMAT binary)
SELECT count(*) FROM prop_recv;

SELECT pg_column_size('0.73'::propensity) AS bytes, float8send('0.73'::propensity) = float8send(0.73) AS float8_wire;

DROP TABLE prop_t, prop_big, prop_copy, prop_raw, prop_recv;
