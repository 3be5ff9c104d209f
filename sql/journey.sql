-- journey_agg, accessors, journey_timeline, rollup, funnel_agg(journey),
-- conversion_time_agg, text and binary I/O, every error path.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

-- a small journey, rows out of order, a repeat, equal timestamps, a NULL
CREATE TABLE journey_small (ts timestamptz, stage journey_stage);
INSERT INTO journey_small VALUES
  ('2025-01-09', 'evaluation'), ('2025-01-01 10:00', 'awareness'),
  ('2025-01-03', 'consideration'), ('2025-01-02', 'awareness'),
  ('2025-01-05', 'consideration'), ('2025-01-05', 'awareness'),
  ('2025-01-02', 'awareness'), (NULL, 'awareness'), ('2025-01-10', NULL);
SELECT journey_agg(ts, stage) FROM journey_small;
SELECT * FROM journey_timeline((SELECT journey_agg(ts, stage) FROM journey_small));
SELECT current_stage(j), furthest_stage(j),
       first_reached(j, 'consideration'), last_reached(j, 'consideration'),
       first_reached(j, 'purchase') AS never_reached
FROM (SELECT journey_agg(ts, stage) j FROM journey_small) x;
SELECT time_in_stage(j, 'awareness') AS awareness, time_in_stage(j, 'consideration') AS consideration,
       time_in_stage(j, 'evaluation') AS evaluation_to_last_event,
       time_in_stage(j, 'evaluation', '2025-02-01') AS evaluation_as_of,
       time_in_stage(j, 'purchase') AS never,
       time_to_stage(j, 'awareness', 'evaluation'), time_to_stage(j, 'consideration', 'consideration'),
       time_to_stage(j, 'awareness', 'decision') AS not_reached
FROM (SELECT journey_agg(ts, stage) j FROM journey_small) x;
SELECT regressions(j), stage_changes(j), event_count(j), skipped_rows(j),
       is_stalled(j, '2025-02-01', '10 days') AS stalled_23_days,
       is_stalled(j, '2025-02-01', '23 days') AS not_more_than_23,
       is_stalled(j, '2025-02-01', '1 mon') AS month_is_30_days
FROM (SELECT journey_agg(ts, stage) j FROM journey_small) x;

-- equal timestamps with different stages are ordered by stage, lowest first,
-- whatever the input order: the same journey both ways
SELECT (SELECT journey_agg(ts, stage ORDER BY stage)::text FROM journey_small) =
       (SELECT journey_agg(ts, stage ORDER BY stage DESC, ts DESC)::text FROM journey_small) AS order_independent;
SELECT journey_agg(ts::timestamptz, s::journey_stage)
FROM (VALUES ('2025-03-01', 'decision'), ('2025-03-01', 'awareness')) v(ts, s);

-- a single event; no rows; only NULL rows
SELECT j, current_stage(j), time_in_stage(j, 'awareness'), stage_changes(j), regressions(j)
FROM (SELECT journey_agg('2025-01-01'::timestamptz, 'awareness'::journey_stage) j) x;
SELECT journey_agg(ts, stage) IS NULL AS no_rows FROM journey_small WHERE false;
SELECT journey_agg(ts, stage) AS only_nulls FROM journey_small WHERE ts IS NULL OR stage IS NULL;
SELECT current_stage(NULL), time_in_stage(NULL, 'awareness'), is_stalled(NULL, now(), '1 day');

-- errors, with their SQLSTATEs
SELECT journey_agg(ts, 'awareness') FROM (VALUES ('infinity'::timestamptz)) v(ts);
SELECT journey_agg(ts, 'awareness') FROM (VALUES ('-infinity'::timestamptz)) v(ts);
SELECT time_in_stage(journey_agg(ts, stage), 'awareness', '2025-01-05') FROM journey_small;
SELECT time_to_stage(journey_agg(ts, stage), 'evaluation', 'awareness') FROM journey_small;
SELECT is_stalled(journey_agg(ts, stage), '2025-02-01', '-1 day') FROM journey_small;
SELECT journey_trans(NULL, now(), 'awareness');
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT journey_agg(ts, 'awareness') FROM (VALUES ('infinity'::timestamptz)) v(ts)$q$),
  ($q$SELECT time_in_stage(journey_agg(ts, stage), 'awareness', '2025-01-05') FROM journey_small$q$),
  ($q$SELECT time_to_stage(journey_agg(ts, stage), 'evaluation', 'awareness') FROM journey_small$q$),
  ($q$SELECT is_stalled(journey_agg(ts, stage), '2025-02-01', '-1 day') FROM journey_small$q$),
  ($q$SELECT is_stalled(journey_agg(ts, stage), 'infinity', '1 day') FROM journey_small$q$),
  ($q$SELECT journey_trans(NULL, now(), 'awareness')$q$),
  ($q$SELECT 'nonsense'::journey$q$),
  ($q$SELECT conversion_time_agg(NULL::journey, 'purchase', 'awareness')$q$),
  ($q$SELECT conversion_time_agg(NULL::journey, NULL, 'awareness')$q$)) v(q);

-- text round trip and validation of corrupt JSON
SELECT j::text::journey::text = j::text AS text_round_trip FROM (SELECT journey_agg(ts, stage) j FROM journey_small) x;
SELECT '{"stays": [{"stage": "awareness", "entered": "2025-01-01 00:00:00.5+00", "last": "2025-01-02 00:00:00+00", "events": 3}], "skipped": 2}'::journey;
SELECT '{"skipped": 0, "stays": []}'::journey, stage_changes('{"stays": []}'), current_stage('{"stays": []}');
SELECT '{"stays": [{"events": 1, "last": "0044-03-15 12:00:00+00 BC", "entered": "0044-03-15 12:00:00+00 BC", "stage": "decision"}]}'::journey;
-- row order never matters: 300 events with repeats, fed ascending, descending
-- (past the state's in-place insertion limit) and shuffled
WITH ev AS (
  SELECT '2025-01-01'::timestamptz + (i / 2) * interval '1 hour' AS ts,
         (1 + (i / 7) % 7)::journey_stage AS stage, i
  FROM generate_series(0, 299) i)
SELECT (SELECT journey_agg(ts, stage)::text FROM (SELECT * FROM ev ORDER BY i) a)
     = (SELECT journey_agg(ts, stage)::text FROM (SELECT * FROM ev ORDER BY i DESC) d) AS asc_eq_desc,
       (SELECT journey_agg(ts, stage)::text FROM (SELECT * FROM ev ORDER BY i) a)
     = (SELECT journey_agg(ts, stage)::text FROM (SELECT * FROM ev ORDER BY md5(i::text)) r) AS asc_eq_shuffled,
       (SELECT event_count(journey_agg(ts, stage)) FROM (SELECT * FROM ev ORDER BY i DESC) d) AS events,
       (SELECT stage_changes(journey_agg(ts, stage)) FROM (SELECT * FROM ev ORDER BY md5(i::text)) r) AS changes;
-- stored stays of one stage side by side (accepted as typed) read as one stay
SELECT stage_changes(j), time_in_stage(j, 'awareness'), current_stage(j), event_count(j), regressions(j)
FROM (SELECT '{"stays": [{"stage": "awareness", "entered": "2025-01-01 00:00:00+00", "last": "2025-01-01 00:00:00+00", "events": 1}, {"stage": "awareness", "entered": "2025-01-03 00:00:00+00", "last": "2025-01-03 00:00:00+00", "events": 1}, {"stage": "decision", "entered": "2025-01-04 00:00:00+00", "last": "2025-01-04 00:00:00+00", "events": 1}]}'::journey j) x;
SELECT 'nonsense'::journey;
SELECT '{"stays": [{"stage": "decision", "entered": "2025-01-02 00:00:00+00", "last": "2025-01-02 00:00:00+00", "events": 1}, {"stage": "awareness", "entered": "2025-01-01 00:00:00+00", "last": "2025-01-01 00:00:00+00", "events": 1}]}'::journey;
SELECT '{"stays": [{"stage": "stage8", "entered": "2025-01-01 00:00:00+00", "last": "2025-01-01 00:00:00+00", "events": 1}]}'::journey;
SELECT '{"stays": [{"stage": "awareness", "entered": "2025-01-02 00:00:00+00", "last": "2025-01-01 00:00:00+00", "events": 2}]}'::journey;
SELECT '{"stays": [{"stage": "awareness", "entered": "2025-01-01 00:00:00+00", "last": "2025-01-02 00:00:00+00", "events": 1}]}'::journey;
SELECT '{"stays": [{"stage": "awareness", "entered": "2025-01-01 00:00:00+00", "last": "2025-01-01 00:00:00+00", "events": 0}]}'::journey;
SELECT '{"stays": [{"stage": "awareness", "entered": "2025-01-01 00:00:00+00", "last": "2025-01-02 00:00:00+00", "events": 3}, {"stage": "decision", "entered": "2025-01-01 12:00:00+00", "last": "2025-01-01 12:00:00+00", "events": 1}]}'::journey;
SELECT '{"stays": [{"stage": "awareness", "entered": "2025-01-01", "last": "2025-01-01", "events": 1}]}'::journey;
SELECT '{"stays": [{"stage": "awareness", "entered": "infinity", "last": "infinity", "events": 1}]}'::journey;
SELECT '{"stays": [{"stage": "awareness", "entered": "2025-02-30 00:00:00+00", "last": "2025-02-30 00:00:00+00", "events": 1}]}'::journey;
SELECT '{"stays": [{"stage": "awareness", "entered": "2025-01-01 00:00:00+00", "last": "2025-01-01 00:00:00+00"}]}'::journey;
SELECT '{"stays": [], "skipped": -1}'::journey;
SELECT '{"stays": [], "extra": 1}'::journey;
SELECT '{"skipped": 1}'::journey;

-- two-step: rollup of journeys stored per month (non-interleaving) equals
-- the journey of all events; rollup of interleaving stays is an error
CREATE TABLE journey_months AS
SELECT date_trunc('month', ts) AS m, journey_agg(ts, stage) AS j FROM journey_small GROUP BY 1;
SELECT rollup(j)::text = (SELECT journey_agg(ts, stage)::text FROM journey_small) AS rollup_equals_whole FROM journey_months;
SELECT rollup(j) FROM (VALUES ('{"stays": [{"stage": "awareness", "entered": "2025-01-01 00:00:00+00", "last": "2025-01-01 00:00:00+00", "events": 1}]}'::journey),
  ('{"stays": [{"stage": "awareness", "entered": "2025-01-01 00:00:00+00", "last": "2025-01-03 00:00:00+00", "events": 2}]}'::journey),
  ('{"stays": [{"stage": "decision", "entered": "2025-01-03 00:00:00+00", "last": "2025-01-03 00:00:00+00", "events": 1}]}'::journey),
  (NULL)) v(j);
SELECT rollup(j) FROM (VALUES ('{"stays": [{"stage": "awareness", "entered": "2025-01-01 00:00:00+00", "last": "2025-01-03 00:00:00+00", "events": 3}]}'::journey),
  ('{"stays": [{"stage": "decision", "entered": "2025-01-02 00:00:00+00", "last": "2025-01-02 00:00:00+00", "events": 1}]}'::journey)) v(j);
SELECT pg_temp.sqlstate_of($q$SELECT rollup(j) FROM (VALUES ('{"stays": [{"stage": "awareness", "entered": "2025-01-01 00:00:00+00", "last": "2025-01-03 00:00:00+00", "events": 3}]}'::journey),
  ('{"stays": [{"stage": "decision", "entered": "2025-01-02 00:00:00+00", "last": "2025-01-02 00:00:00+00", "events": 1}]}'::journey)) v(j)$q$) AS interleaving_rollup;
SELECT rollup(j) IS NULL AS rollup_of_nothing FROM journey_months WHERE false;

-- ===================================================================
-- 200,000-odd generated events for 10,000 entities, stored in random
-- order: duplicate timestamps (some entities on a daily grid), moves
-- backwards, entities with a single event.
CREATE TABLE journey_ev AS
WITH e AS (
  SELECT i AS entity, k,
         ((i::bigint * 7919 + k * 104729) * 2654435761 % 1000003) / 1000003.0 AS u,
         ((i::bigint * 15485863 + k * 32452843) % 999983) / 999983.0 AS v
  FROM generate_series(1, 10000) i,
       generate_series(1, CASE WHEN i % 50 = 0 THEN 1 ELSE 2 + (i * 37) % 38 END) k)
SELECT row_number() OVER (ORDER BY md5(entity::text || '/' || k)) AS event_id, entity,
       CASE WHEN entity % 7 = 0
            THEN '2025-01-01 00:00:00+00'::timestamptz + floor(v * 40) * interval '1 day'
            ELSE '2025-01-01 00:00:00+00'::timestamptz + floor(v * 400 * 86400) * interval '1 second' END AS ts,
       least(7, 1 + floor(7 * power(0.65 * v + 0.35 * u, 1.2)))::int::journey_stage AS stage
FROM e ORDER BY md5(entity::text || '/' || k);
SELECT count(*) AS events, count(DISTINCT entity) AS entities,
       count(*) - count(DISTINCT (entity, ts)) AS duplicate_timestamps,
       (SELECT count(*) FROM (SELECT entity FROM journey_ev GROUP BY entity HAVING count(*) = 1) s) AS single_event_entities
FROM journey_ev;
ANALYZE journey_ev;

-- the reference, with window functions over events ordered by (ts, stage)
CREATE TABLE journey_ref AS
WITH ev AS (
  SELECT entity, ts, stage,
         lag(stage) OVER (PARTITION BY entity ORDER BY ts, stage) AS prev_stage
  FROM journey_ev),
stays AS (
  SELECT entity, stage, ts AS entered,
         lead(ts) OVER (PARTITION BY entity ORDER BY ts, stage) AS left_at,
         lag(stage) OVER (PARTITION BY entity ORDER BY ts, stage) AS prev_stay_stage
  FROM ev WHERE prev_stage IS DISTINCT FROM stage),
per_stay AS (
  SELECT s.*, max(e.last_ts) OVER (PARTITION BY s.entity) AS last_ts
  FROM stays s JOIN (SELECT entity, max(ts) AS last_ts FROM journey_ev GROUP BY entity) e USING (entity))
SELECT entity,
  (array_agg(stage ORDER BY entered DESC, stage DESC))[1] AS current_stage,
  max(stage) AS furthest_stage,
  min(entered) FILTER (WHERE stage >= 'evaluation') AS first_evaluation,
  max(entered) FILTER (WHERE stage >= 'evaluation' AND (prev_stay_stage IS NULL OR prev_stay_stage < 'evaluation')) AS last_evaluation,
  min(entered) FILTER (WHERE stage >= 'purchase') AS first_purchase,
  coalesce(sum(coalesce(left_at, last_ts) - entered) FILTER (WHERE stage = 'awareness'), '0') AS time_awareness,
  coalesce(sum(coalesce(left_at, last_ts) - entered) FILTER (WHERE stage = 'decision'), '0') AS time_decision,
  coalesce(sum(coalesce(left_at, '2026-02-06'::timestamptz) - entered) FILTER (WHERE stage = 'evaluation'), '0') AS time_evaluation_as_of,
  min(entered) FILTER (WHERE stage >= 'purchase') - min(entered) AS time_awareness_to_purchase,
  count(*) FILTER (WHERE stage < prev_stay_stage)::int AS regressions,
  count(*)::int - 1 AS stage_changes,
  '2026-02-06'::timestamptz - max(entered) > interval '30 days' AS stalled
FROM per_stay GROUP BY entity;
CREATE TABLE journey_ref_events AS SELECT entity, count(*) AS events FROM journey_ev GROUP BY entity;

CREATE FUNCTION pg_temp.journey_mismatches(src text) RETURNS TABLE (accessor text, mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('CREATE TEMP TABLE journey_got AS SELECT entity, journey_agg(ts, stage) AS j FROM %s GROUP BY entity', src);
	RETURN QUERY
	SELECT x.accessor, count(*) FILTER (WHERE NOT x.same)
	FROM journey_ref r
	JOIN journey_got g USING (entity)
	JOIN journey_ref_events e USING (entity),
	LATERAL (VALUES
	  ('current_stage', current_stage(g.j) = r.current_stage),
	  ('furthest_stage', furthest_stage(g.j) = r.furthest_stage),
	  ('first_reached', first_reached(g.j, 'evaluation') IS NOT DISTINCT FROM r.first_evaluation),
	  ('last_reached', last_reached(g.j, 'evaluation') IS NOT DISTINCT FROM r.last_evaluation),
	  ('first_reached purchase', first_reached(g.j, 'purchase') IS NOT DISTINCT FROM r.first_purchase),
	  ('time_in_stage awareness', time_in_stage(g.j, 'awareness') = r.time_awareness),
	  ('time_in_stage decision', time_in_stage(g.j, 'decision') = r.time_decision),
	  ('time_in_stage as_of', time_in_stage(g.j, 'evaluation', '2026-02-06') = r.time_evaluation_as_of),
	  ('time_to_stage', time_to_stage(g.j, 'awareness', 'purchase') IS NOT DISTINCT FROM r.time_awareness_to_purchase),
	  ('regressions', regressions(g.j) = r.regressions),
	  ('stage_changes', stage_changes(g.j) = r.stage_changes),
	  ('event_count', event_count(g.j) = e.events),
	  ('is_stalled', is_stalled(g.j, '2026-02-06', '30 days') = r.stalled),
	  ('timeline rows', (SELECT count(*) FROM journey_timeline(g.j)) = r.stage_changes + 1),
	  ('text round trip', g.j::text::journey::text = g.j::text)) x(accessor, same)
	GROUP BY x.accessor
	UNION ALL
	SELECT 'entities', abs((SELECT count(*) FROM journey_got) - (SELECT count(*) FROM journey_ref));
	DROP TABLE journey_got;
END $$;

SELECT * FROM pg_temp.journey_mismatches('journey_ev') ORDER BY 1;
-- sums over the reference, so a wrong reference cannot hide
SELECT sum(regressions) AS regressions, sum(stage_changes) AS changes, count(*) FILTER (WHERE stalled) AS stalled,
       count(first_purchase) AS purchased, sum(extract(epoch FROM time_awareness)) AS awareness_seconds
FROM journey_ref;

-- journey_timeline equals the reference stays, row by row
SELECT count(*) AS timeline_mismatches FROM (
  SELECT entity, t.stage, t.entered, t.left_at
  FROM (SELECT entity, journey_agg(ts, stage) j FROM journey_ev WHERE entity <= 500 GROUP BY entity) g,
       journey_timeline(g.j) t
  EXCEPT
  SELECT entity, stage, ts, lead(ts) OVER (PARTITION BY entity ORDER BY ts, stage)
  FROM (SELECT entity, ts, stage, lag(stage) OVER (PARTITION BY entity ORDER BY ts, stage) AS p
        FROM journey_ev WHERE entity <= 500) e WHERE p IS DISTINCT FROM stage) d;

-- forced parallel plan: the same journeys
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT entity, journey_agg(ts, stage) FROM journey_ev GROUP BY entity;
SELECT * FROM pg_temp.journey_mismatches('journey_ev') ORDER BY 1;
RESET enable_hashagg;
SELECT journey_agg(ts, stage)::text = (SELECT journey_agg(ts, stage ORDER BY ts)::text FROM journey_ev WHERE entity = 1)
  AS one_entity_parallel_equal FROM journey_ev WHERE entity = 1;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- partitionwise aggregation: events hashed by event id, so every entity's
-- events span the partitions and interleave in time
CREATE TABLE journey_part (event_id bigint, entity int, ts timestamptz, stage journey_stage) PARTITION BY HASH (event_id);
CREATE TABLE journey_part_0 PARTITION OF journey_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE journey_part_1 PARTITION OF journey_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE journey_part_2 PARTITION OF journey_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO journey_part SELECT event_id, entity, ts, stage FROM journey_ev;
ANALYZE journey_part;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT entity, journey_agg(ts, stage) FROM journey_part GROUP BY entity;
SELECT * FROM pg_temp.journey_mismatches('journey_part') ORDER BY 1;
RESET max_parallel_workers_per_gather;
RESET enable_partitionwise_aggregate;
-- two-step over the partitions: per-partition journeys hold points
-- (partial states are not stored); journeys per month roll up exactly
SELECT count(*) AS rollup_mismatches FROM (
  SELECT entity, rollup(j)::text AS j FROM (
    SELECT entity, date_trunc('month', ts) m, journey_agg(ts, stage) j FROM journey_ev GROUP BY 1, 2) p GROUP BY entity) a
  JOIN (SELECT entity, journey_agg(ts, stage)::text j FROM journey_ev GROUP BY entity) b USING (entity)
WHERE a.j <> b.j;

-- funnel_agg(journey) equals funnel_agg of the furthest stage
SELECT (SELECT funnel_agg(j) FROM (SELECT journey_agg(ts, stage) j FROM journey_ev GROUP BY entity) g)::text =
       (SELECT funnel_agg(s) FROM (SELECT max(stage) s FROM journey_ev GROUP BY entity) g)::text AS funnel_equal,
       (SELECT funnel_agg(j) FROM (SELECT journey_agg(ts, stage) j FROM journey_ev GROUP BY entity) g) AS funnel;
SELECT funnel_agg(j) FROM (SELECT NULL::journey j) x;

-- conversion_time_agg: exact mean and median against percentile_cont
CREATE TABLE journey_by_entity AS SELECT entity, entity % 5 AS grp, journey_agg(ts, stage) j FROM journey_ev GROUP BY entity;
SELECT (c).journeys, (c).converted, round((c).conversion::numeric, 6) AS conversion, (c).mean, (c).median
FROM (SELECT conversion_time_agg(j, 'awareness', 'purchase') c FROM journey_by_entity) x;
CREATE VIEW journey_conv_ref AS
SELECT grp, count(*) FILTER (WHERE first_reached(j, 'consideration') IS NOT NULL) AS journeys,
       count(t) AS converted,
       avg(t) AS mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY t) AS median
FROM (SELECT grp, j, first_reached(j, 'decision') - first_reached(j, 'consideration') t FROM journey_by_entity) x GROUP BY grp;
SELECT r.grp, r.journeys = (c).journeys AS journeys_ok, r.converted = (c).converted AS converted_ok,
       abs(extract(epoch FROM r.mean - (c).mean)) <= 1e-6 AS mean_ok,
       abs(extract(epoch FROM r.median - (c).median)) <= 1e-6 AS median_ok, (c).median
FROM journey_conv_ref r JOIN (SELECT grp, conversion_time_agg(j, 'consideration', 'decision') c FROM journey_by_entity GROUP BY grp) g USING (grp)
ORDER BY grp;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT conversion_time_agg(j, 'consideration', 'decision') FROM journey_by_entity;
SELECT (c).journeys = r.journeys AS journeys_ok, (c).converted = r.converted AS converted_ok,
       (c).conversion = r.converted::float8 / r.journeys AS conversion_ok,
       abs(extract(epoch FROM (c).mean - r.mean)) <= 1e-6 AS mean_ok,
       abs(extract(epoch FROM (c).median - r.median)) <= 1e-6 AS median_ok
FROM (SELECT conversion_time_agg(j, 'consideration', 'decision') c FROM journey_by_entity) g,
     (SELECT count(*) FILTER (WHERE first_reached(j, 'consideration') IS NOT NULL) AS journeys, count(t) AS converted,
             avg(t) AS mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY t) AS median
      FROM (SELECT j, first_reached(j, 'decision') - first_reached(j, 'consideration') t FROM journey_by_entity) x) r;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT (conversion_time_agg(j, 'awareness', 'purchase')).* FROM journey_by_entity WHERE false;
SELECT conversion_time_agg(j, 'awareness', 'purchase') FROM (VALUES (NULL::journey)) v(j);
SELECT conversion_time_agg(j, 'purchase', 'awareness') FROM journey_by_entity;

-- text and binary COPY round trip of stored journeys
CREATE TABLE journey_copy (LIKE journey_by_entity);
\copy journey_by_entity TO 'results/journey.bin' (FORMAT binary)
\copy journey_copy FROM 'results/journey.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM journey_by_entity a FULL JOIN journey_copy b USING (entity) WHERE a.j::text IS DISTINCT FROM b.j::text;
TRUNCATE journey_copy;
\copy journey_by_entity TO 'results/journey.txt'
\copy journey_copy FROM 'results/journey.txt'
SELECT count(*) AS text_mismatches FROM journey_by_entity a FULL JOIN journey_copy b USING (entity) WHERE a.j::text IS DISTINCT FROM b.j::text;

-- crafted binary journeys: version, truncated, bad stage, unsorted, negative duration
CREATE TABLE journey_raw (b bytea);
CREATE TABLE journey_recv (j journey);
CREATE FUNCTION pg_temp.stay(stage int, entered bigint, last bigint, events bigint) RETURNS bytea LANGUAGE sql AS
$$ SELECT set_byte('\x00'::bytea, 0, stage) || int8send(entered) || int8send(last) || int8send(events) $$;
INSERT INTO journey_raw VALUES ('\x01' || int8send(0) || int4send(1) || pg_temp.stay(1, 0, 0, 1));
\copy journey_raw TO 'results/journey_raw.bin' (FORMAT binary)
\copy journey_recv FROM 'results/journey_raw.bin' (FORMAT binary)
SELECT j FROM journey_recv;
TRUNCATE journey_raw;
INSERT INTO journey_raw VALUES ('\x02' || int8send(0) || int4send(1) || pg_temp.stay(1, 0, 0, 1));
\copy journey_raw TO 'results/journey_raw.bin' (FORMAT binary)
\copy journey_recv FROM 'results/journey_raw.bin' (FORMAT binary)
TRUNCATE journey_raw;
INSERT INTO journey_raw VALUES ('\x01' || int8send(0) || int4send(2) || pg_temp.stay(1, 0, 0, 1));
\copy journey_raw TO 'results/journey_raw.bin' (FORMAT binary)
\copy journey_recv FROM 'results/journey_raw.bin' (FORMAT binary)
TRUNCATE journey_raw;
INSERT INTO journey_raw VALUES ('\x01' || int8send(0));
\copy journey_raw TO 'results/journey_raw.bin' (FORMAT binary)
\copy journey_recv FROM 'results/journey_raw.bin' (FORMAT binary)
TRUNCATE journey_raw;
INSERT INTO journey_raw VALUES ('\x01' || int8send(0) || int4send(1) || pg_temp.stay(9, 0, 0, 1));
\copy journey_raw TO 'results/journey_raw.bin' (FORMAT binary)
\copy journey_recv FROM 'results/journey_raw.bin' (FORMAT binary)
TRUNCATE journey_raw;
INSERT INTO journey_raw VALUES ('\x01' || int8send(0) || int4send(2) || pg_temp.stay(2, 100, 100, 1) || pg_temp.stay(1, 0, 0, 1));
\copy journey_raw TO 'results/journey_raw.bin' (FORMAT binary)
\copy journey_recv FROM 'results/journey_raw.bin' (FORMAT binary)
TRUNCATE journey_raw;
INSERT INTO journey_raw VALUES ('\x01' || int8send(0) || int4send(1) || pg_temp.stay(1, 100, 0, 2));
\copy journey_raw TO 'results/journey_raw.bin' (FORMAT binary)
\copy journey_recv FROM 'results/journey_raw.bin' (FORMAT binary)
TRUNCATE journey_raw;
INSERT INTO journey_raw VALUES ('\x01' || int8send(-1) || int4send(0));
\copy journey_raw TO 'results/journey_raw.bin' (FORMAT binary)
\copy journey_recv FROM 'results/journey_raw.bin' (FORMAT binary)
TRUNCATE journey_raw;
INSERT INTO journey_raw VALUES ('\x01' || int8send(0) || int4send(1) || pg_temp.stay(1, 9223372036854775807, 9223372036854775807, 1));
\copy journey_raw TO 'results/journey_raw.bin' (FORMAT binary)
\copy journey_recv FROM 'results/journey_raw.bin' (FORMAT binary)
SELECT count(*) AS accepted FROM journey_recv;

-- durations beyond int64 microseconds (the timestamp range spans about
-- 299,000 years, an interval about 292,000): ERROR 22008, never a wrapped
-- negative value; is_stalled compares exactly (128-bit)
SET TimeZone = 'UTC';
CREATE TABLE journey_span AS
SELECT journey_agg(ts, st::journey_stage) AS j
FROM (VALUES ('4713-11-24 00:00 BC'::timestamptz, 'awareness'), ('294276-12-31 00:00', 'consideration')) v(ts, st);
SELECT time_in_stage(j, 'awareness') FROM journey_span;
SELECT time_in_stage(j, 'consideration', '294276-12-31 23:00') AS last_stay FROM journey_span;
SELECT time_to_stage(j, 'awareness', 'consideration') FROM journey_span;
SELECT conversion_time_agg(j, 'awareness', 'consideration') FROM journey_span;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT time_in_stage(j, 'awareness') FROM journey_span$q$),
  ($q$SELECT time_in_stage(j, 'awareness', '294276-12-31 23:00') FROM journey_span$q$),
  ($q$SELECT time_to_stage(j, 'awareness', 'consideration') FROM journey_span$q$),
  ($q$SELECT conversion_time_agg(j, 'awareness', 'consideration') FROM journey_span$q$)) v(q);
-- is_stalled over the whole range: the span is 109,203,161 days and 23 hours,
-- and a year counts 360 days here, as in interval comparison (303,342 years)
SELECT is_stalled(j, '294276-12-31 23:00', '1 day') AS stalled_1_day FROM journey_span;
SELECT th, is_stalled(a.j, '294276-12-31 23:00', th) AS stalled
FROM (SELECT journey_agg('4713-11-24 BC'::timestamptz, 'awareness') AS j) a,
     (VALUES ('290000 years'::interval), ('303300 years'), ('303400 years'), ('178000000 years')) v(th)
ORDER BY th;
-- a huge threshold is no negative one (it said "is negative": an overflow)
SELECT is_stalled(journey_agg('2025-01-01'::timestamptz, 'awareness'), '2026-01-01', '178000000 years') AS huge_threshold,
       is_stalled(journey_agg('2025-01-01'::timestamptz, 'awareness'), '2026-01-01', '364 days') AS stalled;
SELECT is_stalled(journey_agg('2025-01-01'::timestamptz, 'awareness'), '2026-01-01', '-178000000 years');
DROP TABLE journey_span;

DROP VIEW journey_conv_ref;
DROP TABLE journey_small, journey_months, journey_ev, journey_ref, journey_ref_events, journey_part,
  journey_by_entity, journey_copy, journey_raw, journey_recv;
