-- journey_stage: input, output, operators, casts, functions, errors.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

SELECT s, s::journey_stage AS stage FROM (VALUES ('awareness'), ('  Consideration '),
  ('EVALUATION'), ('decision'), ('Purchase'), ('retention'), ('advocacy')) v(s);

-- SQLSTATE of each bad input (the messages and hints are shown below).
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT ''::journey_stage$q$),
  ($q$SELECT 'bogus'::journey_stage$q$),
  ($q$SELECT 'awareness2'::journey_stage$q$),
  ($q$SELECT 0::journey_stage$q$),
  ($q$SELECT 8::journey_stage$q$),
  ($q$SELECT (-1)::journey_stage$q$),
  ($q$SELECT 'advocacy'::journey_stage + 1$q$),
  ($q$SELECT 'awareness'::journey_stage - 1$q$),
  ($q$SELECT stage_from_hubspot('nope', true)$q$),
  ($q$SELECT stage_from_salesforce('nope', true)$q$)) v(q);

-- bad input: 22P02 with a hint
\set VERBOSITY default
SELECT ''::journey_stage;
SELECT 'bogus'::journey_stage;
SELECT 'awareness2'::journey_stage;
-- integer casts: 22003 outside 1..7
SELECT 0::journey_stage;
SELECT 8::journey_stage;
SELECT (-1)::journey_stage;
SELECT i, i::journey_stage, (i::journey_stage)::integer AS back FROM generate_series(1, 7) i;

-- text casts both ways
SELECT 'decision'::text::journey_stage, 'retention'::journey_stage::text;

-- arithmetic
SELECT 'awareness'::journey_stage + 3 AS plus3, 'advocacy'::journey_stage - 6 AS minus6,
       'purchase'::journey_stage - 'consideration'::journey_stage AS dist,
       'consideration'::journey_stage - 'purchase'::journey_stage AS negdist,
       'decision'::journey_stage + 0 AS same, 'decision'::journey_stage + (-1) AS back1;
SELECT 'advocacy'::journey_stage + 1;
SELECT 'awareness'::journey_stage - 1;
SELECT 'awareness'::journey_stage + 2147483647;
SELECT 'advocacy'::journey_stage - (-2147483648);

SELECT stage, next_stage(stage), previous_stage(stage), stage_ordinal(stage), stage_phase(stage)
FROM journey_stages() ORDER BY stage;
SELECT * FROM journey_stages();

-- NULLs: STRICT functions
SELECT next_stage(NULL), stage_phase(NULL), NULL::journey_stage + 1, stage_ordinal(NULL);

-- comparison operators against the ordinal
SELECT count(*) AS mismatches
FROM generate_series(1, 7) a, generate_series(1, 7) b
WHERE ((a::journey_stage <  b::journey_stage) <> (a <  b))
   OR ((a::journey_stage <= b::journey_stage) <> (a <= b))
   OR ((a::journey_stage =  b::journey_stage) <> (a =  b))
   OR ((a::journey_stage <> b::journey_stage) <> (a <> b))
   OR ((a::journey_stage >= b::journey_stage) <> (a >= b))
   OR ((a::journey_stage >  b::journey_stage) <> (a >  b));

-- min / max
SELECT min(s), max(s) FROM (VALUES ('decision'::journey_stage), ('awareness'), (NULL), ('retention')) v(s);
SELECT min(s), max(s) FROM (SELECT NULL::journey_stage s) v;

-- CRM vocabularies
SELECT v, stage_from_hubspot(v) FROM (VALUES ('subscriber'), ('lead'), ('marketingqualifiedlead'),
  ('Sales Qualified Lead'), ('opportunity'), ('customer'), ('evangelist'), ('other'), ('unheard-of')) t(v);
SELECT stage_from_hubspot('unheard-of', strict => true);
SELECT v, stage_from_salesforce(v) FROM (VALUES ('Prospecting'), ('Qualification'), ('Needs Analysis'),
  ('Value Proposition'), ('Id. Decision Makers'), ('Perception Analysis'), ('Proposal/Price Quote'),
  ('Negotiation/Review'), ('Closed Won'), ('Closed Lost'), ('Custom Stage')) t(v);
SELECT stage_from_salesforce('Custom Stage', true);
SELECT stage_from_salesforce(NULL);

-- storage: one byte
SELECT pg_column_size('evaluation'::journey_stage) AS stage_bytes, pg_column_size('evaluation'::text) AS text_bytes;

-- a table, an index used by a range query, sort and hash grouping, joins
CREATE TABLE stage_t AS
SELECT i AS id, ((i * 7919) % 7 + 1)::journey_stage AS stage
FROM generate_series(1, 20000) i;
CREATE INDEX ON stage_t (stage);
ANALYZE stage_t;
SET max_parallel_workers_per_gather = 0;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM stage_t WHERE stage BETWEEN 'decision' AND 'retention';
SELECT count(*) FROM stage_t WHERE stage BETWEEN 'decision' AND 'retention';
SELECT count(*) FROM stage_t WHERE stage::integer BETWEEN 4 AND 6;
RESET enable_seqscan;
RESET enable_bitmapscan;

SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT stage, count(*) FROM stage_t GROUP BY stage;
SELECT stage, count(*) FROM stage_t GROUP BY stage;
RESET enable_hashagg;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT stage, count(*) FROM stage_t GROUP BY stage;
SELECT stage, count(*) FROM stage_t GROUP BY stage ORDER BY stage;
RESET enable_sort;
SELECT count(DISTINCT stage) FROM stage_t;

CREATE TABLE stage_names AS SELECT stage, phase FROM journey_stages();
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT phase, count(*) FROM stage_t JOIN stage_names USING (stage) GROUP BY phase;
SELECT phase, count(*) FROM stage_t JOIN stage_names USING (stage) GROUP BY phase ORDER BY phase;
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT phase, count(*) FROM stage_t JOIN stage_names USING (stage) GROUP BY phase;
SELECT phase, count(*) FROM stage_t JOIN stage_names USING (stage) GROUP BY phase ORDER BY phase;
RESET enable_hashjoin;
RESET enable_nestloop;
RESET max_parallel_workers_per_gather;

-- text and binary COPY round trip
CREATE TABLE stage_copy (LIKE stage_t);
\copy stage_t TO 'results/stage.txt'
\copy stage_copy FROM 'results/stage.txt'
SELECT count(*) AS text_mismatches FROM stage_t a FULL JOIN stage_copy b USING (id) WHERE a.stage IS DISTINCT FROM b.stage;
TRUNCATE stage_copy;
\copy stage_t TO 'results/stage.bin' (FORMAT binary)
\copy stage_copy FROM 'results/stage.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM stage_t a FULL JOIN stage_copy b USING (id) WHERE a.stage IS DISTINCT FROM b.stage;

-- crafted binary values: a bytea column's binary COPY form is its raw bytes,
-- so loading it into a journey_stage column feeds those bytes to receive.
-- The binary form is int2's (the ordinal, big-endian, no version byte).
SELECT journey_stage_send('purchase') AS wire, journey_stage_send('purchase') = int2send(5::int2) AS int2_wire;
CREATE TABLE stage_raw (b bytea);
CREATE TABLE stage_recv (s journey_stage);
INSERT INTO stage_raw VALUES ('\x0005');
\copy stage_raw TO 'results/stage_raw.bin' (FORMAT binary)
\copy stage_recv FROM 'results/stage_raw.bin' (FORMAT binary)
SELECT * FROM stage_recv;
TRUNCATE stage_raw;
INSERT INTO stage_raw VALUES ('\x0008');
\copy stage_raw TO 'results/stage_raw.bin' (FORMAT binary)
\copy stage_recv FROM 'results/stage_raw.bin' (FORMAT binary)
TRUNCATE stage_raw;
INSERT INTO stage_raw VALUES ('\x0000');
\copy stage_raw TO 'results/stage_raw.bin' (FORMAT binary)
\copy stage_recv FROM 'results/stage_raw.bin' (FORMAT binary)
TRUNCATE stage_raw;
INSERT INTO stage_raw VALUES ('\x0103');
\copy stage_raw TO 'results/stage_raw.bin' (FORMAT binary)
\copy stage_recv FROM 'results/stage_raw.bin' (FORMAT binary)
TRUNCATE stage_raw;
INSERT INTO stage_raw VALUES ('\x01');
\copy stage_raw TO 'results/stage_raw.bin' (FORMAT binary)
\copy stage_recv FROM 'results/stage_raw.bin' (FORMAT binary)
TRUNCATE stage_raw;
INSERT INTO stage_raw VALUES ('\x000304');
\copy stage_raw TO 'results/stage_raw.bin' (FORMAT binary)
\copy stage_recv FROM 'results/stage_raw.bin' (FORMAT binary)
SELECT count(*) FROM stage_recv;

DROP TABLE stage_t, stage_copy, stage_names, stage_raw, stage_recv;
