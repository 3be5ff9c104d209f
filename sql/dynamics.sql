-- journey dynamics (SPEC §10): stage_transitions_agg and the absorbing chain
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

-- ---------------------------------------------------------------------------
-- The drunkard's walk (p = 1/2, three transient states): consideration,
-- evaluation and decision, absorbed by lost (left) and purchase (right).
-- Two journeys give every transient stage one move each way:
--   dyn_walk 1: consideration -> evaluation -> decision -> purchase
--   dyn_walk 2: decision -> evaluation -> consideration (then idle: lost)
-- every move after 1 day.
-- ---------------------------------------------------------------------------
CREATE TABLE dyn_walk AS
SELECT w, journey_agg('2026-01-01'::timestamptz + k * interval '1 day', st::journey_stage) AS j
FROM (VALUES (1, 0, 'consideration'), (1, 1, 'evaluation'), (1, 2, 'decision'), (1, 3, 'purchase'),
             (2, 0, 'decision'), (2, 1, 'evaluation'), (2, 2, 'consideration')) v(w, k, st)
GROUP BY w;
CREATE TABLE dyn_walk_t AS
SELECT stage_transitions_agg(j, '30 days', '2026-06-01') AS t FROM dyn_walk;
SELECT t FROM dyn_walk_t;
SELECT journeys(t) FROM dyn_walk_t;
SELECT m.* FROM dyn_walk_t, transition_matrix(t) m ORDER BY 1, 3;
-- N = (I - Q)^-1 = [[1.5, 1, 0.5], [1, 2, 1], [0.5, 1, 1.5]]
SELECT from_stage, to_stage, round(visits::numeric, 12) AS visits
FROM dyn_walk_t, fundamental_matrix(t) ORDER BY 1, 2;
-- expected steps to absorption N 1 = (3, 4, 3); absorption probabilities
-- [[0.75, 0.25], [0.5, 0.5], [0.25, 0.75]] (lost, purchase): B = N R, with R
-- read from the transition matrix independently of reach_probability
WITH n AS (SELECT f.* FROM dyn_walk_t, fundamental_matrix(t) f),
     r AS (SELECT from_stage, destination, probability FROM dyn_walk_t, transition_matrix(t))
SELECT n.from_stage, round(sum(n.visits)::numeric, 12) AS expected_steps,
       round(sum(n.visits * coalesce(rl.probability, 0))::numeric, 12) AS lost,
       round(sum(n.visits * coalesce(rp.probability, 0))::numeric, 12) AS purchase,
       round(reach_probability((SELECT t FROM dyn_walk_t), n.from_stage)::numeric, 12) AS reach_probability
FROM n
LEFT JOIN r rl ON rl.from_stage = n.to_stage AND rl.destination = 'lost'
LEFT JOIN r rp ON rp.from_stage = n.to_stage AND rp.destination = 'purchase'
GROUP BY n.from_stage ORDER BY 1;
-- among walks that buy, the expected moves are (n^2 - k^2) / 3 from k of
-- n = 4: 5, 4 and 7/3; every move takes a day, so the time is as many days
SELECT s, round(expected_moves_to(t, s)::numeric, 12) AS moves_to,
       expected_time_to(t, s) AS time_to,
       abs(extract(epoch FROM expected_time_to(t, s)) - expected_moves_to(t, s) * 86400) < 1e-3 AS time_is_moves
FROM dyn_walk_t, unnest('{consideration,evaluation,decision}'::journey_stage[]) s ORDER BY 1;
-- from the target itself: certain, no moves, no time; a stage without data
SELECT reach_probability(t, 'purchase'), expected_moves_to(t, 'purchase'), expected_time_to(t, 'purchase'),
       reach_probability(t, 'awareness') AS no_data, expected_time_to(t, 'awareness') AS no_data_time,
       reach_probability(t, 'consideration', 'decision') AS to_decision,
       reach_probability(t, 'advocacy', 'advocacy') AS at_target
FROM dyn_walk_t;

-- ---------------------------------------------------------------------------
-- Semi-Markov times by hand: c -> e after 2 days, e -> d after 3, then from
-- decision half buy after 1 day and half are lost after a stay of 9 days.
-- Among buyers: from d 1 day, from e 3 + 1, from c 2 + 3 + 1 days; the
-- lost stays do not enter the expectation.  Reach: 1/2 from every stage.
-- ---------------------------------------------------------------------------
CREATE TABLE dyn_semi AS
SELECT stage_transitions_agg(j, '10 days', '2026-03-01') AS t FROM (
  SELECT journey_agg(ts::timestamptz, st::journey_stage) j FROM (VALUES
    (1, '2026-01-01', 'consideration'), (1, '2026-01-03', 'evaluation'), (1, '2026-01-06', 'decision'), (1, '2026-01-07', 'purchase'),
    (2, '2026-01-01', 'consideration'), (2, '2026-01-03', 'evaluation'), (2, '2026-01-06', 'decision'), (2, '2026-01-15', 'decision')) v(g, ts, st)
  GROUP BY g) x;
SELECT s, reach_probability(t, s), expected_moves_to(t, s), expected_time_to(t, s)
FROM dyn_semi, unnest('{consideration,evaluation,decision}'::journey_stage[]) s ORDER BY 1;
-- without lost_after every last stay is open: excluded from probabilities
SELECT m.* FROM (SELECT stage_transitions_agg(j) t FROM (
  SELECT journey_agg(ts::timestamptz, st::journey_stage) j FROM (VALUES
    (1, '2026-01-01', 'consideration'), (1, '2026-01-03', 'evaluation'),
    (2, '2026-01-01', 'consideration'), (2, '2026-01-02', 'decision'), (2, '2026-01-05', 'decision')) v(g, ts, st)
  GROUP BY g) x) y, transition_matrix(t) m ORDER BY 1, 3;
-- a loop that never absorbs: consideration <-> evaluation only
SELECT reach_probability(t, 'consideration') AS stuck_reach, expected_moves_to(t, 'consideration') AS stuck_moves,
       (SELECT count(*) FROM fundamental_matrix(t)) AS fundamental_rows
FROM (SELECT stage_transitions_agg(j) t FROM (
  SELECT journey_agg(ts::timestamptz, st::journey_stage) j FROM (VALUES
    (1, '2026-01-01', 'consideration'), (1, '2026-01-02', 'evaluation'), (1, '2026-01-03', 'consideration'), (1, '2026-01-04', 'evaluation')) v(g, ts, st)
  GROUP BY g) x) y;

-- ---------------------------------------------------------------------------
-- Generated journeys against the lag()/lead() SQL an analyst would write
-- ---------------------------------------------------------------------------
CREATE TABLE dyn_ev AS
SELECT e AS event_id, e % 700 AS entity,
       '2026-01-01'::timestamptz + ((hashint4(e) & 1023) * interval '7 hours') AS ts,
       (1 + (hashint4(e * 31) & 65535) % 7)::journey_stage AS stage
FROM generate_series(1, 9000) e;
CREATE TABLE dyn_j AS SELECT entity, entity % 6 AS grp, journey_agg(ts, stage) j FROM dyn_ev GROUP BY entity;
-- the reference: runs of one stage (ordered by ts, then stage) are stays;
-- each stay moves to the next, the last to lost (idle > 20 days at as_of
-- before purchase) or open; dwell to the next entry, to the last event for
-- lost, to as_of for open
CREATE VIEW dyn_ref AS
WITH m AS (
  SELECT entity, ts, stage,
         CASE WHEN lag(stage) OVER w IS DISTINCT FROM stage THEN 1 ELSE 0 END AS new_stay
  FROM dyn_ev WINDOW w AS (PARTITION BY entity ORDER BY ts, stage)),
r AS (SELECT *, sum(new_stay) OVER (PARTITION BY entity ORDER BY ts, stage ROWS UNBOUNDED PRECEDING) AS stay FROM m),
s AS (SELECT entity, stay, min(stage) AS stage, min(ts) AS entered, max(ts) AS last FROM r GROUP BY entity, stay),
mv AS (
  SELECT stage AS from_stage, lead(stage) OVER w AS next_stage, lead(entered) OVER w AS next_entered, entered, last
  FROM s WINDOW w AS (PARTITION BY entity ORDER BY stay))
SELECT from_stage,
       CASE WHEN next_stage IS NOT NULL THEN next_stage::text
            WHEN from_stage < 'purchase' AND '2026-11-15'::timestamptz - last > interval '20 days' THEN 'lost'
            ELSE 'open' END AS destination,
       count(*) AS moves,
       sum(extract(epoch FROM CASE WHEN next_stage IS NOT NULL THEN next_entered - entered
                                   WHEN from_stage < 'purchase' AND '2026-11-15'::timestamptz - last > interval '20 days' THEN last - entered
                                   ELSE '2026-11-15'::timestamptz - entered END) * 1000000)::numeric AS dwell_us
FROM mv GROUP BY 1, 2;
CREATE FUNCTION pg_temp.dyn_cells(t stage_transitions) RETURNS TABLE (from_stage journey_stage, destination text, moves bigint, dwell_us numeric)
LANGUAGE sql AS $$
  SELECT (m->>'from')::journey_stage, m->>'to', (m->>'moves')::bigint, (m->>'dwell_us')::numeric
  FROM jsonb_array_elements(t::text::jsonb->'moves') m $$;
CREATE FUNCTION pg_temp.dyn_mismatches(t stage_transitions) RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM pg_temp.dyn_cells(t) c FULL JOIN dyn_ref r USING (from_stage, destination)
  WHERE c.moves IS DISTINCT FROM r.moves OR c.dwell_us IS DISTINCT FROM r.dwell_us $$;
SELECT count(*) AS cells, sum(moves) AS moves FROM dyn_ref;
SELECT pg_temp.dyn_mismatches(stage_transitions_agg(j, '20 days', '2026-11-15')) AS serial_mismatches,
       journeys(stage_transitions_agg(j, '20 days', '2026-11-15')) FROM dyn_j;
-- the matrix's probabilities and mean dwell agree with the reference
SELECT count(*) AS matrix_mismatches
FROM (SELECT m.* FROM (SELECT stage_transitions_agg(j, '20 days', '2026-11-15') t FROM dyn_j) x, transition_matrix(t) m) m
FULL JOIN (SELECT *, CASE WHEN destination <> 'open'
                          THEN moves::float8 / sum(moves) FILTER (WHERE destination <> 'open') OVER (PARTITION BY from_stage) END AS p
           FROM dyn_ref) r USING (from_stage, destination)
WHERE m.moves IS DISTINCT FROM r.moves
   OR abs(m.probability - r.p) > 1e-15 OR (m.probability IS NULL) <> (r.p IS NULL)
   OR abs(extract(epoch FROM m.mean_dwell) * 1e6 - r.dwell_us / r.moves) > 0.5
   OR (m.to_stage IS NULL) <> (r.destination IN ('lost', 'open'));
-- parallel query forced
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT stage_transitions_agg(j, '20 days', '2026-11-15') FROM dyn_j;
SELECT pg_temp.dyn_mismatches(stage_transitions_agg(j, '20 days', '2026-11-15')) AS parallel_mismatches FROM dyn_j;
RESET parallel_leader_participation;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- partitionwise
CREATE TABLE dyn_part (entity int, grp int, j journey) PARTITION BY HASH (entity);
CREATE TABLE dyn_part_0 PARTITION OF dyn_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE dyn_part_1 PARTITION OF dyn_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE dyn_part_2 PARTITION OF dyn_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO dyn_part SELECT entity, entity % 2, j FROM dyn_j;
ANALYZE dyn_part;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT grp, stage_transitions_agg(j, '20 days', '2026-11-15') FROM dyn_part GROUP BY grp;
SELECT pg_temp.dyn_mismatches(rollup(t)) AS partitionwise_mismatches FROM (
  SELECT grp, stage_transitions_agg(j, '20 days', '2026-11-15') t FROM dyn_part GROUP BY grp) x;
RESET max_parallel_workers_per_gather;
RESET enable_partitionwise_aggregate;
-- stored per group, rolled up later
CREATE TABLE dyn_by_grp AS SELECT grp, stage_transitions_agg(j, '20 days', '2026-11-15') t FROM dyn_j GROUP BY grp;
SELECT pg_temp.dyn_mismatches(rollup(t)) AS rollup_mismatches, sum(journeys(t)) AS journeys FROM dyn_by_grp;
SELECT rollup(t) FROM dyn_by_grp WHERE false;
-- the chain of the generated data: probabilities in [0, 1], reach + lost <= 1
SELECT s, reach_probability(t, s) BETWEEN 0 AND 1 AS in_range,
       expected_moves_to(t, s) >= 1 AS moves_ok, expected_time_to(t, s) > interval '0' AS time_ok
FROM (SELECT rollup(t) t FROM dyn_by_grp) x, unnest('{awareness,consideration,evaluation,decision}'::journey_stage[]) s ORDER BY 1;

-- text and binary round trip
SELECT count(*) AS text_mismatches FROM dyn_by_grp WHERE t::text::stage_transitions::text <> t::text;
CREATE TABLE dyn_copy (LIKE dyn_by_grp);
\copy dyn_by_grp TO 'results/dynamics.bin' (FORMAT binary)
\copy dyn_copy FROM 'results/dynamics.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM dyn_by_grp a FULL JOIN dyn_copy b USING (grp) WHERE a.t::text IS DISTINCT FROM b.t::text;
-- 128-bit dwell sums survive text and binary
SELECT '{"journeys": 1, "moves": [{"from": "decision", "to": "open", "moves": 9223372036854775807, "dwell_us": 170141183460469231731687303715884105727}]}'::stage_transitions;
SELECT stage_transitions_recv_ok FROM (SELECT (t::text = '{"journeys": 1, "moves": [{"from": "decision", "to": "open", "moves": 9223372036854775807, "dwell_us": 170141183460469231731687303715884105727}]}') AS stage_transitions_recv_ok
  FROM (SELECT '{"journeys": 1, "moves": [{"from": "decision", "to": "open", "moves": 9223372036854775807, "dwell_us": 170141183460469231731687303715884105727}]}'::stage_transitions t) a) b;

-- ---------------------------------------------------------------------------
-- Bad input
-- ---------------------------------------------------------------------------
\set VERBOSITY default
SELECT stage_transitions_agg(j, '0 days', '2026-11-15') FROM dyn_walk;
SELECT stage_transitions_agg(j, '-1 day', '2026-11-15') FROM dyn_walk;
SELECT stage_transitions_agg(j, NULL, '2026-11-15') FROM dyn_walk;
SELECT stage_transitions_agg(j, '1 day', '2026-01-02') FROM dyn_walk;
SELECT stage_transitions_agg(j, '1 day', 'infinity') FROM dyn_walk;
SELECT reach_probability(t, 'decision', 'evaluation') FROM dyn_walk_t;
SELECT expected_time_to(t, 'purchase', 'awareness') FROM dyn_walk_t;
SELECT '{"journeys": 1}'::stage_transitions;
SELECT '{"journeys": 1, "moves": [{"from": "decision", "to": "decision", "moves": 1, "dwell_us": 0}]}'::stage_transitions;
SELECT '{"journeys": 1, "moves": [{"from": "decision", "to": "nowhere", "moves": 1, "dwell_us": 0}]}'::stage_transitions;
SELECT '{"journeys": 1, "moves": [{"from": "decision", "to": "lost", "moves": 0, "dwell_us": 0}]}'::stage_transitions;
SELECT '{"journeys": 1, "moves": [{"from": "decision", "to": "lost", "moves": 1, "dwell_us": -5}]}'::stage_transitions;
SELECT '{"journeys": 1, "moves": [{"from": "decision", "to": "lost", "moves": 1, "dwell_us": 170141183460469231731687303715884105728}]}'::stage_transitions;
SELECT '{"journeys": 1, "moves": [{"from": "decision", "to": "lost", "moves": 1, "dwell_us": 1}, {"from": "decision", "to": "lost", "moves": 1, "dwell_us": 1}]}'::stage_transitions;
SELECT '{"journeys": 1, "moves": []} x'::stage_transitions;
SELECT stage_transitions_trans(t, j) FROM dyn_walk_t, dyn_walk LIMIT 1;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT stage_transitions_agg(j, '0 days', '2026-11-15') FROM dyn_walk$q$),
  ($q$SELECT stage_transitions_agg(j, NULL, '2026-11-15') FROM dyn_walk$q$),
  ($q$SELECT stage_transitions_agg(j, '1 day', '2026-01-02') FROM dyn_walk$q$),
  ($q$SELECT stage_transitions_agg(j, '1 day', 'infinity') FROM dyn_walk$q$),
  ($q$SELECT reach_probability(t, 'decision', 'evaluation') FROM dyn_walk_t$q$),
  ($q$SELECT expected_moves_to(t, 'decision', 'evaluation') FROM dyn_walk_t$q$),
  ($q$SELECT expected_time_to(t, 'decision', 'evaluation') FROM dyn_walk_t$q$),
  ($q$SELECT 'nope'::stage_transitions$q$),
  ($q$SELECT '{"journeys": -1, "moves": []}'::stage_transitions$q$),
  ($q$SELECT stage_transitions_trans(t, j) FROM dyn_walk_t, dyn_walk$q$)) v(q);
-- crafted and truncated binary input
CREATE TABLE dyn_raw (b bytea);
CREATE TABLE dyn_recv (t stage_transitions);
INSERT INTO dyn_raw SELECT substr(stage_transitions_send(t), 1, 100) FROM dyn_walk_t;
\copy dyn_raw TO 'results/dynamics_raw.bin' (FORMAT binary)
\copy dyn_recv FROM 'results/dynamics_raw.bin' (FORMAT binary)
TRUNCATE dyn_raw;
INSERT INTO dyn_raw SELECT '\x02' || substr(stage_transitions_send(t), 2) FROM dyn_walk_t;
\copy dyn_raw TO 'results/dynamics_raw.bin' (FORMAT binary)
\copy dyn_recv FROM 'results/dynamics_raw.bin' (FORMAT binary)
TRUNCATE dyn_raw;
-- a negative move count in the first cell
INSERT INTO dyn_raw SELECT substr(stage_transitions_send(t), 1, 11) || '\xffffffffffffffff'::bytea || substr(stage_transitions_send(t), 20) FROM dyn_walk_t;
\copy dyn_raw TO 'results/dynamics_raw.bin' (FORMAT binary)
\copy dyn_recv FROM 'results/dynamics_raw.bin' (FORMAT binary)
TRUNCATE dyn_raw;
INSERT INTO dyn_raw SELECT stage_transitions_send(t) FROM dyn_walk_t;
\copy dyn_raw TO 'results/dynamics_raw.bin' (FORMAT binary)
\copy dyn_recv FROM 'results/dynamics_raw.bin' (FORMAT binary)
SELECT r.t::text = w.t::text AS recv_ok FROM dyn_recv r, dyn_walk_t w;

DROP TABLE dyn_walk, dyn_walk_t, dyn_semi, dyn_j, dyn_part, dyn_by_grp, dyn_copy, dyn_raw, dyn_recv;
DROP VIEW dyn_ref;
DROP TABLE dyn_ev;
