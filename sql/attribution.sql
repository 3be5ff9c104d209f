-- touchpoint attribution (SPEC §7): touch_path_agg, attribution_agg, the
-- models against plain-SQL references, parallel, partitionwise, rollup,
-- text and binary I/O, every error
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;
SET extra_float_digits = 0;
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

-- the issue's hand-checkable paths: c1 > c2 > c3 converts, c1 and c2 > c3 do not
CREATE TABLE attribution_hand (entity int, ts timestamptz, channel text, converted_at timestamptz);
INSERT INTO attribution_hand VALUES
  (1, '2025-01-01', 'c1', '2025-02-01'), (1, '2025-01-02', 'c2', '2025-02-01'), (1, '2025-01-03', 'c3', '2025-02-01'),
  (2, '2025-01-01', 'c1', NULL),
  (3, '2025-01-01', 'c2', NULL), (3, '2025-01-02', 'c3', NULL);
CREATE TABLE attribution_hand_a AS
SELECT attribution_agg(p, c) a FROM (SELECT entity, touch_path_agg(ts, channel) p, max(converted_at) c FROM attribution_hand GROUP BY entity) x;
SELECT (attribution_summary(a)).conversion_probability AS p_conversion,
       removal_effect(a, 'c1') AS re_c1, removal_effect(a, 'c2') AS re_c2, removal_effect(a, 'c3') AS re_c3,
       removal_effect(a, 'c4') AS re_unknown
FROM attribution_hand_a;
SELECT channel, credited_conversions, share FROM attribution_hand_a, attribution_report(a, 'markov') ORDER BY channel;
SELECT t.* FROM attribution_hand_a, channel_transitions(a) t;
-- A > B > C and A > C, both converting
CREATE TABLE attribution_hand2 AS
SELECT attribution_agg(p::touch_path, '2025-03-01') a FROM (VALUES
  ('{"touches": [["2025-01-01 00:00:00+00", "A"], ["2025-01-02 00:00:00+00", "B"], ["2025-01-03 00:00:00+00", "C"]]}'),
  ('{"touches": [["2025-01-05 00:00:00+00", "C"], ["2025-01-01 00:00:00+00", "A"]]}')) v(p);
SELECT model, channel, round(credited_conversions::numeric, 12) AS credited
FROM attribution_hand2, attribution_report(a)
WHERE model IN ('linear', 'position_based', 'first_touch', 'last_touch', 'shapley')
ORDER BY model, channel;
-- credits sum to the conversions for every model
SELECT model, sum(credited_conversions) AS total FROM attribution_hand2, attribution_report(a) GROUP BY model ORDER BY model;

-- ties: equal timestamps are ordered by channel name (byte order), so input
-- order never matters; touches after converted_at do not count
SELECT touch_path_agg(ts, ch) FROM (VALUES ('2025-01-01'::timestamptz, 'b'), ('2025-01-01', 'B'), ('2025-01-01', 'a'), ('2024-12-31', 'z')) v(ts, ch);
SELECT touch_path_agg(ts, ch ORDER BY ch DESC)::text = touch_path_agg(ts, ch ORDER BY ch)::text AS order_independent
FROM (VALUES ('2025-01-01'::timestamptz, 'b'), ('2025-01-01', 'B'), ('2025-01-01', 'a')) v(ts, ch);
SELECT path_string(p), touch_count(p), skipped_rows(p) FROM (
  SELECT touch_path_agg(ts, ch, st) p FROM (VALUES ('2025-01-01'::timestamptz, 'web', NULL::journey_stage),
    (NULL, 'web', NULL), ('2025-01-02', NULL, NULL), ('2025-01-02', '', 'decision'),
    ('2025-01-03', 'demo', 'decision'), ('2025-01-03', 'demo', 'consideration')) v(ts, ch, st)) x;
SELECT model, channel, credited_conversions FROM attribution_report(
  (SELECT attribution_agg('{"touches": [["2025-01-01 00:00:00+00", "web"], ["2025-01-05 00:00:00+00", "demo"]]}'::touch_path, '2025-01-03')),
  'last_touch');
SELECT (attribution_summary(attribution_agg(p, c, v))).* FROM (VALUES
  ('{"touches": [["2025-01-05 00:00:00+00", "demo"]]}'::touch_path, '2025-01-03'::timestamptz, 50::float8),
  ('{"touches": []}'::touch_path, NULL, NULL),
  ('{"touches": [["2025-01-05 00:00:00+00", "demo"]], "skipped": 2}'::touch_path, '2025-01-06', NULL),
  (NULL, '2025-01-06', 7)) v(p, c, v);

-- milestones: w_shaped (30% first, lead, opportunity; 10% the rest) and
-- full_path (22.5% x 4 adding purchase); coinciding milestones are one
CREATE TABLE attribution_ms AS SELECT attribution_agg(p::touch_path, '2025-03-01') a FROM (VALUES
  ('{"touches": [["2025-01-01 00:00:00+00", "web"], ["2025-01-02 00:00:00+00", "email", "consideration"], ["2025-01-03 00:00:00+00", "ads"], ["2025-01-04 00:00:00+00", "demo", "decision"], ["2025-01-05 00:00:00+00", "sales", "purchase"], ["2025-01-06 00:00:00+00", "ads"]]}')) v(p);
SELECT model, channel, round(credited_conversions::numeric, 12) AS credited
FROM attribution_ms, attribution_report(a) WHERE model IN ('w_shaped', 'full_path') ORDER BY model, channel;
SELECT model, channel, round(credited_conversions::numeric, 12) AS credited
FROM attribution_report((SELECT attribution_agg(p::touch_path, '2025-03-01') FROM (VALUES
  ('{"touches": [["2025-01-01 00:00:00+00", "web", "decision"], ["2025-01-03 00:00:00+00", "ads"]]}'),
  ('{"touches": [["2025-01-01 00:00:00+00", "web"], ["2025-01-02 00:00:00+00", "ads"], ["2025-01-03 00:00:00+00", "email"]]}')) v(p)))
WHERE model IN ('w_shaped', 'full_path') ORDER BY model, channel;
-- time_decay: weights 2^(-age/half_life); ages 14 and 0 days at 7 days: 1/5 and 4/5
SELECT channel, credited_conversions FROM attribution_report((SELECT attribution_agg(
  '{"touches": [["2025-01-01 00:00:00+00", "web"], ["2025-01-15 00:00:00+00", "demo"]]}'::touch_path, '2025-01-20', 1)), 'time_decay') ORDER BY channel;
SELECT channel, credited_conversions FROM attribution_report((SELECT attribution_agg(
  '{"touches": [["2025-01-01 00:00:00+00", "web"], ["2025-01-15 00:00:00+00", "demo"]]}'::touch_path, '2025-01-20', 1, '14 days')), 'time_decay', '14 days') ORDER BY channel;

-- generated data: 10,000 entities, ~110,000 touches, 6 channels (one with a
-- space, one differing in case only), day-granular timestamps (many ties),
-- stages on 60% of touches, 40% converting (some before any touch)
SELECT setseed(0.15);
CREATE TABLE attribution_touch AS
SELECT row_number() OVER () AS touch_id, entity, ts, channel, stage FROM (
  SELECT e AS entity,
         '2025-01-01'::timestamptz + (floor(random() * 90) || ' days')::interval AS ts,
         (ARRAY['email', 'web', 'webinar', 'Paid Search', 'demo', 'Demo'])[1 + floor(random() * random() * 6)::int] AS channel,
         CASE WHEN random() < 0.4 THEN NULL ELSE (1 + floor(random() * 7))::int::journey_stage END AS stage
  FROM generate_series(1, 10000) e CROSS JOIN LATERAL generate_series(1, (1 + floor(random() * 21))::int + 0 * e) k) x;
CREATE TABLE attribution_conv AS
SELECT e AS entity,
       CASE WHEN random() < 0.4 THEN '2025-01-01'::timestamptz + (floor(random() * 100) || ' days')::interval END AS converted_at,
       CASE WHEN random() < 0.9 THEN round((random() * 1000)::numeric, 2)::float8 END AS value
FROM generate_series(1, 10000) e;
-- a few bad rows, skipped and counted
INSERT INTO attribution_touch VALUES (0, 1, NULL, 'web', NULL), (0, 2, '2025-01-01', NULL, NULL), (0, 3, '2025-01-01', '', NULL);
SELECT count(*) AS touches, count(DISTINCT entity) AS entities FROM attribution_touch;
CREATE TABLE attribution_paths AS
SELECT entity, touch_path_agg(ts, channel, stage) AS p FROM attribution_touch GROUP BY entity;
CREATE TABLE attribution_whole AS
SELECT attribution_agg(p, converted_at, value, '10 days') AS a FROM attribution_paths JOIN attribution_conv USING (entity);

-- the plain SQL an analyst writes: window functions over the touch rows
CREATE VIEW attribution_ref_rows AS
WITH f AS (
  SELECT t.entity, t.ts, t.channel, t.stage, coalesce(c.value, 0) AS value, c.converted_at
  FROM attribution_touch t JOIN attribution_conv c USING (entity)
  WHERE t.ts IS NOT NULL AND t.channel <> '' AND t.ts <= c.converted_at),
o AS (
  SELECT *, row_number() OVER (PARTITION BY entity ORDER BY ts, channel COLLATE "C", stage NULLS FIRST) AS pos,
         count(*) OVER (PARTITION BY entity) AS n,
         row_number() OVER (PARTITION BY entity, channel ORDER BY ts) AS pos_in_channel,
         dense_rank() OVER (PARTITION BY entity ORDER BY channel COLLATE "C") AS rk,
         power(2, -extract(epoch FROM converted_at - ts) / extract(epoch FROM interval '10 days')) AS decay
  FROM f),
m AS (
  SELECT *, max(rk) OVER (PARTITION BY entity) AS distinct_channels,
         min(pos) FILTER (WHERE stage >= 'consideration') OVER (PARTITION BY entity) AS lead_pos,
         min(pos) FILTER (WHERE stage >= 'decision') OVER (PARTITION BY entity) AS opp_pos,
         min(pos) FILTER (WHERE stage >= 'purchase') OVER (PARTITION BY entity) AS buy_pos
  FROM o),
k AS (
  SELECT *, pos = 1 OR coalesce(pos = lead_pos, false) OR coalesce(pos = opp_pos, false) AS is_ms,
         pos = 1 OR coalesce(pos = lead_pos, false) OR coalesce(pos = opp_pos, false) OR coalesce(pos = buy_pos, false) AS is_fp
  FROM m),
c AS (
  SELECT *, count(*) FILTER (WHERE is_ms) OVER (PARTITION BY entity) AS n_ms,
         count(*) FILTER (WHERE is_fp) OVER (PARTITION BY entity) AS n_fp
  FROM k)
SELECT *, CASE WHEN is_ms THEN (CASE WHEN n_ms = n THEN 1.0 / n_ms ELSE 0.9 / n_ms END) ELSE 0.1 / (n - n_ms) END AS w_w,
          CASE WHEN is_fp THEN (CASE WHEN n_fp = n THEN 1.0 / n_fp ELSE 0.9 / n_fp END) ELSE 0.1 / (n - n_fp) END AS w_f
FROM c;
CREATE VIEW attribution_ref AS
SELECT channel, model, sum(w) AS credit, sum(w * value) AS credit_value FROM (
  SELECT channel, value, 'first_touch' AS model, CASE WHEN pos = 1 THEN 1.0 ELSE 0 END AS w FROM attribution_ref_rows
  UNION ALL SELECT channel, value, 'last_touch', CASE WHEN pos = n THEN 1.0 ELSE 0 END FROM attribution_ref_rows
  UNION ALL SELECT channel, value, 'linear', 1.0 / n FROM attribution_ref_rows
  UNION ALL SELECT channel, value, 'time_decay', decay / sum(decay) OVER (PARTITION BY entity) FROM attribution_ref_rows
  UNION ALL SELECT channel, value, 'position_based', CASE WHEN n = 1 THEN 1.0 WHEN n = 2 THEN 0.5
                                                      WHEN pos = 1 OR pos = n THEN 0.4 ELSE 0.2 / (n - 2) END FROM attribution_ref_rows
  UNION ALL SELECT channel, value, 'w_shaped', w_w FROM attribution_ref_rows
  UNION ALL SELECT channel, value, 'full_path', w_f FROM attribution_ref_rows
  UNION ALL SELECT channel, value, 'shapley', CASE WHEN pos_in_channel = 1 THEN 1.0 / distinct_channels ELSE 0 END FROM attribution_ref_rows) x
GROUP BY channel, model;
CREATE VIEW attribution_ref_touches AS
SELECT t.channel, count(*) AS touches, count(DISTINCT t.entity) FILTER (WHERE c.converted_at IS NOT NULL) AS conversions
FROM attribution_touch t JOIN attribution_conv c USING (entity)
WHERE t.ts IS NOT NULL AND t.channel <> '' AND (c.converted_at IS NULL OR t.ts <= c.converted_at)
GROUP BY t.channel;
-- Markov moves with repeats collapsed, by lag()
CREATE VIEW attribution_ref_moves AS
SELECT from_channel, to_channel, count(*) AS moves FROM (
  SELECT coalesce(prev, '(start)') AS from_channel, channel AS to_channel FROM (
    SELECT channel, lag(channel) OVER w AS prev FROM attribution_touch t JOIN attribution_conv c USING (entity)
    WHERE t.ts IS NOT NULL AND t.channel <> '' AND (c.converted_at IS NULL OR t.ts <= c.converted_at)
    WINDOW w AS (PARTITION BY entity ORDER BY ts, channel COLLATE "C", stage NULLS FIRST)) s
  WHERE prev IS DISTINCT FROM channel
  UNION ALL
  SELECT channel, CASE WHEN converted THEN '(conversion)' ELSE '(null)' END FROM (
    SELECT channel, c.converted_at IS NOT NULL AS converted,
           row_number() OVER (PARTITION BY entity ORDER BY ts DESC, channel COLLATE "C" DESC, stage DESC NULLS LAST) AS back
    FROM attribution_touch t JOIN attribution_conv c USING (entity)
    WHERE t.ts IS NOT NULL AND t.channel <> '' AND (c.converted_at IS NULL OR t.ts <= c.converted_at)) e
  WHERE back = 1) m
GROUP BY 1, 2;

-- compare a stored attribution with the references: counts exactly, sums to 1e-9
CREATE FUNCTION pg_temp.attribution_mismatches(a attribution) RETURNS TABLE (what text, bad bigint) LANGUAGE sql AS $$
  SELECT 'heuristic credits', count(*) FROM attribution_report(a) r
    FULL JOIN attribution_ref f ON f.channel = r.channel AND f.model = r.model
  WHERE r.model IS DISTINCT FROM 'markov' AND (f.model IS NULL OR r.model IS NULL
    OR abs(r.credited_conversions - f.credit) > 1e-9 * greatest(1, f.credit)
    OR abs(r.credited_value - f.credit_value) > 1e-9 * greatest(1, f.credit_value))
  UNION ALL
  SELECT 'touches and conversions', count(*) FROM (SELECT DISTINCT channel, touches, conversions FROM attribution_report(a)) r
    FULL JOIN attribution_ref_touches f USING (channel)
  WHERE r.touches IS DISTINCT FROM f.touches OR r.conversions IS DISTINCT FROM coalesce(f.conversions, 0)
  UNION ALL
  SELECT 'moves', count(*) FROM channel_transitions(a) r FULL JOIN attribution_ref_moves f USING (from_channel, to_channel)
  WHERE r.moves IS DISTINCT FROM f.moves
  UNION ALL
  SELECT 'credits sum to conversions', count(*) FROM (
    SELECT model, sum(credited_conversions) s, sum(credited_value) v FROM attribution_report(a) GROUP BY model) x
  WHERE abs(s - (attribution_summary(a)).conversions) > 1e-6 OR abs(v - (attribution_summary(a)).value) > 1e-6
$$;
SELECT m.* FROM attribution_whole, pg_temp.attribution_mismatches(a) m;
SELECT (attribution_summary(a)).* FROM attribution_whole;
-- totals against plain SQL: conversions with a touch before them (and their
-- value), and without one
SELECT r.conversions = (s).conversions AS conversions_ok, r.without = (s).unattributed_conversions AS unattributed_ok,
       abs(r.value - (s).value) < 1e-6 AS value_ok, abs(r.uvalue - (s).unattributed_value) < 1e-6 AS unattributed_value_ok,
       r.conversions, r.without
FROM (SELECT attribution_summary(a) s FROM attribution_whole) w,
     (SELECT count(*) FILTER (WHERE has) AS conversions, count(*) FILTER (WHERE NOT has) AS without,
             sum(coalesce(value, 0)) FILTER (WHERE has) AS value, sum(coalesce(value, 0)) FILTER (WHERE NOT has) AS uvalue
      FROM (SELECT c.value, t.entity IS NOT NULL AS has
            FROM attribution_conv c
            LEFT JOIN (SELECT DISTINCT entity FROM attribution_touch JOIN attribution_conv USING (entity)
                       WHERE ts <= converted_at AND channel <> '') t USING (entity)
            WHERE c.converted_at IS NOT NULL) x) r;
-- markov's credits come from the removal effects
SELECT count(*) AS markov_mismatches FROM attribution_whole, attribution_report(a, 'markov') r
WHERE abs(r.credited_conversions - (attribution_summary(a)).conversions * removal_effect(a, r.channel) /
      (SELECT sum(removal_effect(a, channel)) FROM attribution_report(a, 'first_touch'))) > 1e-9;

-- forced parallel plans: touch paths and the attribution
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT attribution_agg(p, converted_at, value, '10 days') FROM attribution_paths JOIN attribution_conv USING (entity);
SELECT * FROM pg_temp.attribution_mismatches((SELECT attribution_agg(p, converted_at, value, '10 days') FROM attribution_paths JOIN attribution_conv USING (entity)));
SELECT count(*) AS path_mismatches FROM (SELECT entity, touch_path_agg(ts, channel, stage)::text p FROM attribution_touch GROUP BY entity) a
  FULL JOIN attribution_paths b USING (entity) WHERE a.p IS DISTINCT FROM b.p::text;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- partitionwise: touches hashed by touch id, so each entity's touches span
-- the partitions (the path's combine runs); paths by entity, grouped by a
-- key that is not the partition key (the attribution's combine runs)
CREATE TABLE attribution_tpart (touch_id bigint, entity int, ts timestamptz, channel text, stage journey_stage) PARTITION BY HASH (touch_id);
CREATE TABLE attribution_tpart_0 PARTITION OF attribution_tpart FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE attribution_tpart_1 PARTITION OF attribution_tpart FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE attribution_tpart_2 PARTITION OF attribution_tpart FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO attribution_tpart SELECT * FROM attribution_touch;
CREATE TABLE attribution_ppart (entity int, grp int, p touch_path, converted_at timestamptz, value float8) PARTITION BY HASH (entity);
CREATE TABLE attribution_ppart_0 PARTITION OF attribution_ppart FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE attribution_ppart_1 PARTITION OF attribution_ppart FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE attribution_ppart_2 PARTITION OF attribution_ppart FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO attribution_ppart SELECT entity, 0, p, converted_at, value FROM attribution_paths JOIN attribution_conv USING (entity);
ANALYZE attribution_tpart;
ANALYZE attribution_ppart;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT entity, touch_path_agg(ts, channel, stage) FROM attribution_tpart GROUP BY entity;
SELECT count(*) AS partitionwise_path_mismatches FROM (SELECT entity, touch_path_agg(ts, channel, stage)::text p FROM attribution_tpart GROUP BY entity) a
  FULL JOIN attribution_paths b USING (entity) WHERE a.p IS DISTINCT FROM b.p::text;
EXPLAIN (COSTS OFF) SELECT grp, attribution_agg(p, converted_at, value, '10 days') FROM attribution_ppart GROUP BY grp;
SELECT m.* FROM (SELECT grp, attribution_agg(p, converted_at, value, '10 days') a FROM attribution_ppart GROUP BY grp) g,
  pg_temp.attribution_mismatches(g.a) m;
RESET max_parallel_workers_per_gather;
RESET enable_partitionwise_aggregate;

-- two-step: attributions stored per partition roll up to the whole; paths
-- stored per month roll up to the path of all touches
CREATE TABLE attribution_stored AS
SELECT tableoid::regclass::text AS part, attribution_agg(p, converted_at, value, '10 days') a FROM attribution_ppart GROUP BY 1;
SELECT count(*) AS stored_states FROM attribution_stored;
SELECT m.* FROM (SELECT rollup(a) a FROM attribution_stored) r, pg_temp.attribution_mismatches(r.a) m;
SELECT count(*) AS rollup_path_mismatches FROM (
  SELECT entity, rollup(p)::text p FROM (SELECT entity, date_trunc('month', ts), touch_path_agg(ts, channel, stage) p FROM attribution_touch GROUP BY 1, 2) x GROUP BY entity) a
  FULL JOIN attribution_paths b USING (entity) WHERE a.p IS DISTINCT FROM b.p::text;
SELECT rollup(a) IS NULL AS rollup_of_nothing FROM attribution_stored WHERE false;
SELECT attribution_agg(p, NULL) IS NULL AS agg_of_nothing FROM attribution_paths WHERE false;

-- text and binary COPY round trips
CREATE TABLE attribution_copy (entity int, p touch_path);
\copy attribution_paths TO 'results/attribution_paths.bin' (FORMAT binary)
\copy attribution_copy FROM 'results/attribution_paths.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM attribution_paths a FULL JOIN attribution_copy b USING (entity) WHERE a.p::text IS DISTINCT FROM b.p::text;
TRUNCATE attribution_copy;
\copy attribution_paths TO 'results/attribution_paths.txt'
\copy attribution_copy FROM 'results/attribution_paths.txt'
SELECT count(*) AS text_mismatches FROM attribution_paths a FULL JOIN attribution_copy b USING (entity) WHERE a.p::text IS DISTINCT FROM b.p::text;
CREATE TABLE attribution_acopy (part text, a attribution);
\copy attribution_stored TO 'results/attribution.bin' (FORMAT binary)
\copy attribution_acopy FROM 'results/attribution.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM attribution_stored a FULL JOIN attribution_acopy b USING (part) WHERE a.a::text IS DISTINCT FROM b.a::text;
TRUNCATE attribution_acopy;
\copy attribution_stored TO 'results/attribution.txt'
\copy attribution_acopy FROM 'results/attribution.txt'
SELECT count(*) AS text_mismatches FROM attribution_stored a FULL JOIN attribution_acopy b USING (part) WHERE a.a::text IS DISTINCT FROM b.a::text;
SELECT a::text::attribution::text = a::text AS text_round_trip, attribution_send(a) = attribution_send(a::text::attribution) AS binary_stable FROM attribution_whole;
SELECT a FROM attribution_hand2;

-- bad input: message, HINT and SQLSTATE
SELECT touch_path_agg(ts, 'web') FROM (VALUES ('infinity'::timestamptz)) v(ts);
SELECT attribution_agg('{"touches": []}'::touch_path, '-infinity');
SELECT touch_path_agg('2025-01-01', '(start)');
SELECT touch_path_agg('2025-01-01', repeat('x', 256));
SELECT touch_path_agg('2025-01-01', 'c' || i) FROM generate_series(1, 256) i;
SELECT attribution_agg(('{"touches": [["2025-01-01 00:00:00+00", "c' || i || '"]]}')::touch_path, NULL) FROM generate_series(1, 256) i;
SELECT attribution_summary(attribution_agg(('{"touches": [["2025-01-01 00:00:00+00", "c' || i || '"]]}')::touch_path, NULL)) FROM generate_series(1, 255) i;
SELECT attribution_agg('{"touches": []}'::touch_path, '2025-01-01', -1);
SELECT attribution_agg('{"touches": []}'::touch_path, '2025-01-01', 'NaN');
SELECT attribution_agg('{"touches": []}'::touch_path, '2025-01-01', 'infinity');
SELECT attribution_agg('{"touches": []}'::touch_path, '2025-01-01', 1, '0 days');
SELECT attribution_agg('{"touches": []}'::touch_path, '2025-01-01', 1, '-1 hour');
SELECT attribution_agg('{"touches": []}'::touch_path, '2025-01-01', 1, h) FROM (VALUES (interval '1 day'), ('2 days')) v(h);
SELECT * FROM attribution_report((SELECT a FROM attribution_hand2), 'time_decay', '1 day');
SELECT * FROM attribution_report((SELECT a FROM attribution_hand2), NULL, '0 days');
SELECT count(*) FROM attribution_report((SELECT a FROM attribution_hand2), 'linear', '1 day');
SELECT count(*) FROM attribution_report((SELECT a FROM attribution_hand2), 'time_decay', '7 days');
SELECT * FROM attribution_report((SELECT a FROM attribution_hand2), 'Markov');
SELECT rollup(a) FROM (SELECT attribution_agg('{"touches": []}'::touch_path, NULL, NULL, h) a FROM (VALUES (interval '1 day'), ('2 days')) v(h) GROUP BY h) x;
SELECT * FROM attribution_report(NULL);
SELECT attribution_trans(NULL, NULL, NULL);
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT touch_path_agg(ts, 'web') FROM (VALUES ('infinity'::timestamptz)) v(ts)$q$),
  ($q$SELECT attribution_agg('{"touches": []}'::touch_path, 'infinity')$q$),
  ($q$SELECT touch_path_agg('2025-01-01', '(null)')$q$),
  ($q$SELECT touch_path_agg('2025-01-01', repeat('x', 256))$q$),
  ($q$SELECT touch_path_agg('2025-01-01', 'c' || i) FROM generate_series(1, 256) i$q$),
  ($q$SELECT attribution_agg(('{"touches": [["2025-01-01 00:00:00+00", "c' || i || '"]]}')::touch_path, NULL) FROM generate_series(1, 256) i$q$),
  ($q$SELECT attribution_agg('{"touches": []}'::touch_path, '2025-01-01', -1)$q$),
  ($q$SELECT attribution_agg('{"touches": []}'::touch_path, '2025-01-01', 'NaN')$q$),
  ($q$SELECT attribution_agg('{"touches": []}'::touch_path, '2025-01-01', 'infinity')$q$),
  ($q$SELECT attribution_agg('{"touches": []}'::touch_path, '2025-01-01', 1, '0 days')$q$),
  ($q$SELECT attribution_agg('{"touches": []}'::touch_path, '2025-01-01', 1, '10000000 years')$q$),
  ($q$SELECT * FROM attribution_report((SELECT a FROM attribution_hand2), 'time_decay', '1 day')$q$),
  ($q$SELECT * FROM attribution_report((SELECT a FROM attribution_hand2), 'bogus')$q$),
  ($q$SELECT rollup(a) FROM (SELECT attribution_agg('{"touches": []}'::touch_path, NULL, NULL, h) a FROM (VALUES (interval '1 day'), ('2 days')) v(h) GROUP BY h) x$q$),
  ($q$SELECT attribution_trans(NULL, NULL, NULL)$q$),
  ($q$SELECT touch_path_trans(NULL, NULL, NULL)$q$)) v(q);

-- corrupt text: 22P02 with the position and a hint
SELECT '{"touches": [["2025-01-01", "web"]]}'::touch_path;
SELECT '{"touches": [["2025-01-01 00:00:00+00", "web", "nostage"]]}'::touch_path;
SELECT '{"touches": [["2025-01-01 00:00:00+00", ""]]}'::touch_path;
SELECT '{"touches": [["2025-01-01 00:00:00+00", "web"]], "touches": []}'::touch_path;
SELECT '{"half_life_us": 1}'::attribution;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT '{"touches": [["2025-01-01 00:00:00+00"]]}'::touch_path$q$),
  ($q$SELECT '{"touches": [["2025-01-01 00:00:00+00", "web", "awareness", 1]]}'::touch_path$q$),
  ($q$SELECT '{"touches": [["infinity", "web"]]}'::touch_path$q$),
  ($q$SELECT '{"touches": [], "skipped": -1}'::touch_path$q$),
  ($q$SELECT '{"skipped": 0}'::touch_path$q$),
  ($q$SELECT '{"touches": [["2025-01-01 00:00:00+00", "(start)"]]}'::touch_path$q$),
  ($q$SELECT '{"touches": []} x'::touch_path$q$),
  ($q$SELECT '{"half_life_us": 0, "paths": 0, "conversions": 0, "unattributed": 0, "value": 0, "unattributed_value": 0, "skipped": 0, "channels": [], "moves": []}'::attribution$q$),
  ($q$SELECT '{"half_life_us": 1, "paths": 0, "conversions": 1, "unattributed": 0, "value": 0, "unattributed_value": 0, "skipped": 0, "channels": [], "moves": []}'::attribution$q$),
  ($q$SELECT '{"half_life_us": 1, "paths": 1, "conversions": 0, "unattributed": 0, "value": 0, "unattributed_value": 0, "skipped": 0, "channels": [{"name": "b", "touches": 1, "conversions": 0, "credit": [0,0,0,0,0,0,0,0], "value": [0,0,0,0,0,0,0,0]}, {"name": "a", "touches": 1, "conversions": 0, "credit": [0,0,0,0,0,0,0,0], "value": [0,0,0,0,0,0,0,0]}], "moves": []}'::attribution$q$),
  ($q$SELECT '{"half_life_us": 1, "paths": 1, "conversions": 0, "unattributed": 0, "value": 0, "unattributed_value": 0, "skipped": 0, "channels": [{"name": "a", "touches": 1, "conversions": 0, "credit": [0,0,0,0,0,0,0,-1], "value": [0,0,0,0,0,0,0,0]}], "moves": []}'::attribution$q$),
  ($q$SELECT '{"half_life_us": 1, "paths": 1, "conversions": 0, "unattributed": 0, "value": 0, "unattributed_value": 0, "skipped": 0, "channels": [{"name": "a", "touches": 1, "conversions": 0, "credit": [0,0,0,0,0,0,0], "value": [0,0,0,0,0,0,0,0]}], "moves": []}'::attribution$q$),
  ($q$SELECT '{"half_life_us": 1, "paths": 1, "conversions": 0, "unattributed": 0, "value": 0, "unattributed_value": 0, "skipped": 0, "channels": [{"name": "a", "touches": 1, "conversions": 0, "credit": [0,0,0,0,0,0,0,0], "value": [0,0,0,0,0,0,0,0]}], "moves": [["a", "a", 1]]}'::attribution$q$),
  ($q$SELECT '{"half_life_us": 1, "paths": 1, "conversions": 0, "unattributed": 0, "value": 0, "unattributed_value": 0, "skipped": 0, "channels": [{"name": "a", "touches": 1, "conversions": 0, "credit": [0,0,0,0,0,0,0,0], "value": [0,0,0,0,0,0,0,0]}], "moves": [["(null)", "a", 1]]}'::attribution$q$),
  ($q$SELECT '{"half_life_us": 1, "paths": 1, "conversions": 0, "unattributed": 0, "value": 0, "unattributed_value": 0, "skipped": 0, "channels": [{"name": "a", "touches": 1, "conversions": 0, "credit": [0,0,0,0,0,0,0,0], "value": [0,0,0,0,0,0,0,0]}], "moves": [["(start)", "b", 1]]}'::attribution$q$)) v(q);

-- crafted binary input through binary COPY of a bytea column
CREATE TABLE attribution_raw (b bytea);
CREATE TABLE attribution_rp (p touch_path);
CREATE TABLE attribution_ra (a attribution);
INSERT INTO attribution_raw VALUES ('\x01'::bytea || int8send(0) || int2send(1::int2) || int2send(3::int2) || 'web'::bytea || int4send(1) || int8send(0) || int2send(0::int2) || '\x04'::bytea);
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_rp FROM 'results/attribution_raw.bin' (FORMAT binary)
SELECT p FROM attribution_rp;
TRUNCATE attribution_raw;
INSERT INTO attribution_raw VALUES ('\x02'::bytea || int8send(0) || int2send(1::int2) || int2send(3::int2) || 'web'::bytea || int4send(1) || int8send(0) || int2send(0::int2) || '\x04'::bytea);
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_rp FROM 'results/attribution_raw.bin' (FORMAT binary)
TRUNCATE attribution_raw;
INSERT INTO attribution_raw VALUES ('\x01'::bytea || int8send(0) || int2send(1::int2) || int2send(3::int2) || 'web'::bytea || int4send(1) || int8send(0) || int2send(0::int2));
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_rp FROM 'results/attribution_raw.bin' (FORMAT binary)
TRUNCATE attribution_raw;
INSERT INTO attribution_raw VALUES ('\x01'::bytea || int8send(0) || int2send(1::int2) || int2send(30::int2) || 'web'::bytea);
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_rp FROM 'results/attribution_raw.bin' (FORMAT binary)
TRUNCATE attribution_raw;
INSERT INTO attribution_raw VALUES ('\x01'::bytea || int8send(0) || int2send(1::int2) || int2send(3::int2) || 'web'::bytea || int4send(1) || int8send(0) || int2send(1::int2) || '\x00'::bytea);
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_rp FROM 'results/attribution_raw.bin' (FORMAT binary)
TRUNCATE attribution_raw;
INSERT INTO attribution_raw VALUES ('\x01'::bytea || int8send(0) || int2send(2::int2) || int2send(1::int2) || 'b'::bytea || int2send(1::int2) || 'a'::bytea || int4send(2) || int8send(0) || int2send(0::int2) || '\x00'::bytea || int8send(0) || int2send(1::int2) || '\x00'::bytea);
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_rp FROM 'results/attribution_raw.bin' (FORMAT binary)
TRUNCATE attribution_raw;
INSERT INTO attribution_raw VALUES ('\x01'::bytea || int8send(0) || int2send(1::int2) || int2send(3::int2) || 'web'::bytea || int4send(2) || int8send(10) || int2send(0::int2) || '\x00'::bytea || int8send(0) || int2send(0::int2) || '\x00'::bytea);
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_rp FROM 'results/attribution_raw.bin' (FORMAT binary)
TRUNCATE attribution_raw;
INSERT INTO attribution_raw SELECT attribution_send(a) FROM attribution_hand_a;
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_ra FROM 'results/attribution_raw.bin' (FORMAT binary)
SELECT a::text = (SELECT a::text FROM attribution_hand_a) AS binary_equal FROM attribution_ra;
TRUNCATE attribution_raw;
INSERT INTO attribution_raw SELECT set_byte(attribution_send(a), 0, 2) FROM attribution_hand_a;
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_ra FROM 'results/attribution_raw.bin' (FORMAT binary)
TRUNCATE attribution_raw;
INSERT INTO attribution_raw SELECT substr(attribution_send(a), 1, length(attribution_send(a)) - 1) FROM attribution_hand_a;
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_ra FROM 'results/attribution_raw.bin' (FORMAT binary)
TRUNCATE attribution_raw;
INSERT INTO attribution_raw SELECT substr(attribution_send(a), 1, 60) FROM attribution_hand_a;
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_ra FROM 'results/attribution_raw.bin' (FORMAT binary)
TRUNCATE attribution_raw;
-- a move from (start) to (conversion): state 4 of 3 channels is (conversion); 0 -> 0 is not a move
INSERT INTO attribution_raw SELECT substr(attribution_send(a), 1, length(attribution_send(a)) - 12) || int2send(0::int2) || int2send(0::int2) || int8send(1) FROM attribution_hand_a;
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_ra FROM 'results/attribution_raw.bin' (FORMAT binary)
TRUNCATE attribution_raw;
-- a negative credit
INSERT INTO attribution_raw SELECT overlay(attribution_send(a) PLACING float8send(-1) FROM 80 FOR 8) FROM attribution_hand_a;
\copy attribution_raw TO 'results/attribution_raw.bin' (FORMAT binary)
\copy attribution_ra FROM 'results/attribution_raw.bin' (FORMAT binary)
DROP TABLE attribution_raw, attribution_rp, attribution_ra;

DROP TABLE attribution_hand, attribution_hand_a, attribution_hand2, attribution_ms, attribution_copy, attribution_acopy,
  attribution_stored, attribution_tpart, attribution_ppart, attribution_whole CASCADE;
DROP TABLE attribution_paths, attribution_touch, attribution_conv CASCADE;
