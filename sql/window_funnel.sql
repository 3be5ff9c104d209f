-- window_funnel(window, ts, stage [, mode]) against a reference of
-- ClickHouse's windowFunnel, for each mode; parallel and partitionwise.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

-- the examples of each mode (hours from a start)
CREATE TABLE wf_small (example text, h int, stage journey_stage);
INSERT INTO wf_small VALUES
  ('A B C D in 3h', 0, 'awareness'), ('A B C D in 3h', 1, 'consideration'), ('A B C D in 3h', 2, 'evaluation'), ('A B C D in 3h', 3, 'decision'),
  ('A B D C', 0, 'awareness'), ('A B D C', 1, 'consideration'), ('A B D C', 2, 'decision'), ('A B D C', 3, 'evaluation'),
  ('A B C B D', 0, 'awareness'), ('A B C B D', 1, 'consideration'), ('A B C B D', 2, 'evaluation'), ('A B C B D', 3, 'consideration'), ('A B C B D', 4, 'decision'),
  ('A+B same time, C', 0, 'consideration'), ('A+B same time, C', 0, 'awareness'), ('A+B same time, C', 1, 'evaluation'),
  ('A, restart A B C', 0, 'awareness'), ('A, restart A B C', 100, 'awareness'), ('A, restart A B C', 101, 'consideration'), ('A, restart A B C', 102, 'evaluation'),
  ('B C, no A', 0, 'consideration'), ('B C, no A', 1, 'evaluation');
SELECT example,
       window_funnel('2 hours', '2025-01-01'::timestamptz + h * interval '1 hour', stage) AS default_2h,
       window_funnel('1 day', '2025-01-01'::timestamptz + h * interval '1 hour', stage) AS "default",
       window_funnel('1 day', '2025-01-01'::timestamptz + h * interval '1 hour', stage, 'strict_order') AS strict_order,
       window_funnel('1 day', '2025-01-01'::timestamptz + h * interval '1 hour', stage, 'strict_deduplication') AS strict_dedup,
       window_funnel('1 day', '2025-01-01'::timestamptz + h * interval '1 hour', stage, 'strict_increase') AS strict_increase,
       window_funnel('1 day', '2025-01-01'::timestamptz + h * interval '1 hour', stage, 'strict_order, allow_reentry') AS allow_reentry
FROM wf_small GROUP BY example ORDER BY example;

-- strict_order against ClickHouse's windowFunnel levels (its stateless
-- tests, one condition per stage): an earlier stage seen again after the
-- chain has moved past it ends the search, the level reached so far kept;
-- a repeat while still at that level does not.  allow_reentry (ClickHouse's
-- example: checkout, product, checkout again, payment) lets the earlier stage
-- re-enter: strict_order's meaning before issue 21.
-- A..D = awareness..decision; t = offsets in the unit, then the window.
CREATE TABLE wf_ch (shape text, unit interval, win interval, t int[], st int[],
                    ch_default int, ch_strict_order int, ch_allow_reentry int);
INSERT INTO wf_ch VALUES
  ('A B A C',        '1 second', '1 day',   '{1,2,3,4}',          '{1,2,1,3}',           3, 2, 3),
  ('A B A B C',      '1 second', '1 day',   '{1,2,3,4,5}',        '{1,2,1,2,3}',         3, 2, 3),
  ('A B C A B C D',  '1 second', '1 day',   '{1,2,3,4,5,6,7}',    '{1,2,3,1,2,3,4}',     4, 3, 4),
  ('A B A C days',   '1 day',    '7 days',  '{0,3,5,6}',          '{1,2,1,3}',           3, 2, 3),
  ('A B A B C 2h',   '1 hour',   '2 hours', '{0,1,5,6,7}',        '{1,2,1,2,3}',         3, 2, 3),
  ('A B C A B C D 3h', '1 hour', '3 hours', '{0,1,2,10,11,12,13}', '{1,2,3,1,2,3,4}',    4, 3, 4),
  ('A B C A B C D min', '1 minute', '1 hour', '{0,1,2,3,4,5,6}',  '{1,2,3,1,2,3,4}',     4, 3, 4),
  ('A A B B C C',    '1 second', '1 day',   '{1,2,3,4,5,6}',      '{1,1,2,2,3,3}',       3, 3, 3),
  ('A B D C',        '1 second', '1 day',   '{1,2,3,4}',          '{1,2,4,3}',           3, 2, 2);
SELECT shape, ch_default, l_default, ch_strict_order, l_strict_order, ch_allow_reentry, l_allow_reentry,
       (ch_default, ch_strict_order, ch_allow_reentry) = (l_default, l_strict_order, l_allow_reentry) AS agrees
FROM wf_ch, LATERAL (
  SELECT window_funnel(win, '2025-01-01'::timestamptz + x.t * unit, x.s::journey_stage)::int AS l_default,
         window_funnel(win, '2025-01-01'::timestamptz + x.t * unit, x.s::journey_stage, 'strict_order')::int AS l_strict_order,
         window_funnel(win, '2025-01-01'::timestamptz + x.t * unit, x.s::journey_stage, 'strict_order,allow_reentry')::int AS l_allow_reentry
  FROM unnest(wf_ch.t, wf_ch.st) x(t, s)) l
ORDER BY shape;
SELECT window_funnel('1 day', '2025-01-01'::timestamptz + h * interval '1 hour', stage, 'Strict_Order, strict_increase') AS two_modes,
       window_funnel('1 day', '2025-01-01'::timestamptz + h * interval '1 hour', stage, 'default') AS default_mode
FROM wf_small WHERE example = 'A B D C';
-- no rows, NULL rows
SELECT window_funnel('1 day', ts, stage) FROM (SELECT now() ts, 'awareness'::journey_stage stage WHERE false) x;
SELECT window_funnel('1 day', ts, stage) FROM (VALUES (NULL::timestamptz, 'awareness'::journey_stage), ('2025-01-01', NULL)) v(ts, stage);

-- errors
SELECT window_funnel('0 days', '2025-01-01'::timestamptz, 'awareness');
SELECT window_funnel('-1 hour', '2025-01-01'::timestamptz, 'awareness');
SELECT window_funnel('1 month', '2025-01-01'::timestamptz, 'awareness');
SELECT window_funnel(NULL, '2025-01-01'::timestamptz, 'awareness');
SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', 'strict');
SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', NULL);
SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', 'allow_reentry');
SELECT window_funnel('1 day', 'infinity'::timestamptz, 'awareness');
SELECT window_funnel(w, '2025-01-01'::timestamptz, 'awareness') FROM (VALUES ('1 day'::interval), ('2 days')) v(w);
-- the transition function cannot be called from SQL (its message and SQLSTATE
-- differ between PostgreSQL 15 minor releases: 0A000 before 15.19, 42846 after)
SELECT pg_temp.sqlstate_of($q$SELECT window_funnel_trans(NULL::internal, '1 day'::interval, now(), 'awareness'::journey_stage)$q$) IN ('0A000', '42846') AS trans_not_callable;
-- the mode, like the window, must be the same on every row (spelling aside)
SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', m) FROM (VALUES ('default'), ('strict_order')) v(m);
SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', m) FROM (VALUES ('strict_order'), ('default')) v(m);
SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', m) FROM (VALUES ('strict_order'), (' Strict_Order')) v(m);
-- ... with the same ERROR in every plan: 20,000 rows, the mode changing half-way
CREATE TABLE wf_modes AS SELECT i, CASE WHEN i <= 10000 THEN 'default' ELSE 'strict_order' END AS m,
       CASE WHEN i <= 10000 THEN interval '1 day' ELSE interval '2 days' END AS w
FROM generate_series(1, 20000) i;
ANALYZE wf_modes;
SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', m) FROM wf_modes;
SELECT window_funnel(w, '2025-01-01'::timestamptz, 'awareness') FROM wf_modes;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', m) FROM wf_modes;
-- (message and SQLSTATE through a function: a worker's error adds a CONTEXT line)
CREATE FUNCTION pg_temp.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT pg_temp.error_of($q$SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', m) FROM wf_modes$q$);
SELECT pg_temp.error_of($q$SELECT window_funnel(w, '2025-01-01'::timestamptz, 'awareness') FROM wf_modes$q$);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
DROP TABLE wf_modes;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT window_funnel('0 days', '2025-01-01'::timestamptz, 'awareness')$q$),
  ($q$SELECT window_funnel('1 month', '2025-01-01'::timestamptz, 'awareness')$q$),
  ($q$SELECT window_funnel(NULL, '2025-01-01'::timestamptz, 'awareness')$q$),
  ($q$SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', 'strict')$q$),
  ($q$SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', NULL)$q$),
  ($q$SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', 'allow_reentry')$q$),
  ($q$SELECT window_funnel('1 day', 'infinity'::timestamptz, 'awareness')$q$),
  ($q$SELECT window_funnel(w, '2025-01-01'::timestamptz, 'awareness') FROM (VALUES ('1 day'::interval), ('2 days')) v(w)$q$),
  ($q$SELECT window_funnel('1 day', '2025-01-01'::timestamptz, 'awareness', m) FROM (VALUES ('default'), ('strict_order')) v(m)$q$)) v(q);

-- ===================================================================
-- 10,000 entities, events in random order, duplicate timestamps
CREATE TABLE wf_ev AS
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
CREATE INDEX ON wf_ev (entity, stage, ts);
ANALYZE wf_ev;

-- Reference: the documented meaning of each mode, over the events sorted by
-- (ts, stage).  The default search (ClickHouse's windowFunnel): an awareness
-- starts a chain at its time; a stage s extends the chain that reached s - 1
-- when within the window of that chain's start (strict_increase: and
-- strictly after its step s - 1); the answer is the furthest stage reached.
-- strict_deduplication: a stage seen again (other than awareness) ends the
-- search.  strict_order: once a chain has started, every event must be the
-- next step or a repeat of the stage reached: an event ahead of the next
-- step, or of a stage before the one reached, ends the search with the level
-- reached so far.  allow_reentry (with strict_order): an earlier stage
-- re-enters as in the default mode (an awareness starts a new chain); an
-- event ahead of the next step still ends the search.
CREATE FUNCTION pg_temp.wf_ref(ts timestamptz[], st int[], win interval, modes text) RETURNS int
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	dedup bool := modes LIKE '%strict_deduplication%';
	strict_order bool := modes LIKE '%strict_order%';
	reentry bool := modes LIKE '%allow_reentry%';
	strict_inc bool := modes LIKE '%strict_increase%';
	chain_first timestamptz[] := array_fill(NULL::timestamptz, ARRAY[7]);
	level_last timestamptz[] := array_fill(NULL::timestamptz, ARRAY[7]);
	reached int := 0;	-- the furthest stage any chain has reached so far
	i int; s int;
BEGIN
	FOR i IN 1 .. coalesce(array_length(ts, 1), 0) LOOP
		s := st[i];
		IF strict_order AND reached > 0 AND s > reached + 1 THEN
			RETURN reached;				-- a step ahead of the next one
		END IF;
		IF strict_order AND NOT reentry AND s < reached THEN
			RETURN reached;				-- an earlier stage after progress
		END IF;
		IF s = 1 THEN
			chain_first[1] := ts[i]; level_last[1] := ts[i];
			reached := greatest(reached, 1);
		ELSIF dedup AND chain_first[s] IS NOT NULL THEN
			RETURN reached;
		ELSIF chain_first[s - 1] IS NOT NULL
			  AND ts[i] <= chain_first[s - 1] + win
			  AND (NOT strict_inc OR level_last[s - 1] < ts[i]) THEN
			chain_first[s] := chain_first[s - 1];
			level_last[s] := ts[i];
			reached := greatest(reached, s);
			IF s = 7 THEN RETURN 7; END IF;
		END IF;
	END LOOP;
	RETURN reached;
END $$;

CREATE TABLE wf_ref AS
SELECT entity, m.mode,
       nullif(pg_temp.wf_ref(array_agg(ts ORDER BY ts, stage), array_agg(stage::int ORDER BY ts, stage), '60 days', m.mode), 0)::journey_stage AS level
FROM wf_ev, (VALUES ('default'), ('strict_order'), ('strict_deduplication'), ('strict_increase'), ('strict_order,allow_reentry')) m(mode)
GROUP BY entity, m.mode;
SELECT mode, level, count(*) FROM wf_ref GROUP BY 1, 2 ORDER BY 1, 2;

CREATE FUNCTION pg_temp.wf_mismatches(src text) RETURNS TABLE (mode text, mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE format($f$
	SELECT r.mode, count(*) FILTER (WHERE r.level IS DISTINCT FROM g.level)
	FROM wf_ref r JOIN (
	  SELECT entity, 'default' AS mode, window_funnel('60 days', ts, stage) AS level FROM %1$s GROUP BY entity
	  UNION ALL
	  SELECT entity, 'strict_order', window_funnel('60 days', ts, stage, 'strict_order') FROM %1$s GROUP BY entity
	  UNION ALL
	  SELECT entity, 'strict_deduplication', window_funnel('60 days', ts, stage, 'strict_deduplication') FROM %1$s GROUP BY entity
	  UNION ALL
	  SELECT entity, 'strict_increase', window_funnel('60 days', ts, stage, 'strict_increase') FROM %1$s GROUP BY entity
	  UNION ALL
	  SELECT entity, 'strict_order,allow_reentry', window_funnel('60 days', ts, stage, 'strict_order,allow_reentry') FROM %1$s GROUP BY entity
	) g USING (entity, mode)
	GROUP BY r.mode ORDER BY r.mode$f$, src);
END $$;
SELECT * FROM pg_temp.wf_mismatches('wf_ev');

-- default mode, declaratively: the longest chain of stages 1..L at
-- non-decreasing times from one awareness event, all within the window
WITH RECURSIVE chain AS (
  SELECT entity, ts AS start, ts AS at, 1 AS level FROM wf_ev WHERE stage = 'awareness' AND entity <= 2000
  UNION ALL
  SELECT c.entity, c.start, n.ts, c.level + 1
  FROM chain c CROSS JOIN LATERAL (
    SELECT min(e.ts) AS ts FROM wf_ev e
    WHERE e.entity = c.entity AND e.stage::int = c.level + 1 AND e.ts >= c.at AND e.ts <= c.start + interval '60 days') n
  WHERE n.ts IS NOT NULL)
SELECT count(*) AS declarative_mismatches FROM (
  SELECT entity, max(level)::int::journey_stage AS level FROM chain GROUP BY entity) d
FULL JOIN (SELECT entity, level FROM wf_ref WHERE mode = 'default' AND entity <= 2000 AND level IS NOT NULL) r USING (entity)
WHERE d.level IS DISTINCT FROM r.level;

-- forced parallel plan
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET min_parallel_index_scan_size = '512kB';
SET enable_indexonlyscan = off;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT entity, window_funnel('60 days', ts, stage) FROM wf_ev GROUP BY entity;
SELECT * FROM pg_temp.wf_mismatches('wf_ev');
RESET enable_hashagg;
EXPLAIN (COSTS OFF) SELECT window_funnel('60 days', ts, stage) FROM wf_ev WHERE entity % 10000 = 3;
SELECT window_funnel('60 days', ts, stage) = (SELECT level FROM wf_ref WHERE entity = 3 AND mode = 'default') AS one_entity_parallel
FROM wf_ev WHERE entity % 10000 = 3;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET min_parallel_index_scan_size;
RESET enable_indexonlyscan;
RESET enable_indexscan;
RESET enable_bitmapscan;

-- partitionwise aggregation, each entity's events spread over the partitions
CREATE TABLE wf_part (event_id bigint, entity int, ts timestamptz, stage journey_stage) PARTITION BY HASH (event_id);
CREATE TABLE wf_part_0 PARTITION OF wf_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE wf_part_1 PARTITION OF wf_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE wf_part_2 PARTITION OF wf_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO wf_part SELECT * FROM wf_ev;
ANALYZE wf_part;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT entity, window_funnel('60 days', ts, stage) FROM wf_part GROUP BY entity;
SELECT * FROM pg_temp.wf_mismatches('wf_part');
RESET max_parallel_workers_per_gather;
RESET enable_partitionwise_aggregate;

-- the window funnel next to the plain funnel (funnel_agg of window_funnel)
SELECT funnel_agg(level) AS window_funnel_60_days FROM wf_ref WHERE mode = 'default';
SELECT funnel_agg(s) AS plain_funnel FROM (SELECT max(stage) s FROM wf_ev GROUP BY entity) x;

DROP TABLE wf_small, wf_ch, wf_ev, wf_ref, wf_part;
