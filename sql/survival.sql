-- survival (SPEC §10): Kaplan–Meier, the log-log interval, Aalen–Johansen
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
-- By hand (lifelines' documentation example): durations 5, 6, 6, 2.5, 4, 4
-- days, events 1, 0, 0, 1, 1, 1.  S = 5/6 at 2.5, 5/6 * 3/5 = 1/2 at 4,
-- 1/2 * 2/3 = 1/3 at 5, then two censored at 6; the median is 4 days.
-- ---------------------------------------------------------------------------
CREATE TABLE surv_hand AS
SELECT survival_agg(d * interval '1 day', e) AS s
FROM (VALUES (5, true), (6, false), (6, false), (2.5, true), (4, true), (4, true)) v(d, e);
SELECT s FROM surv_hand;
SELECT "time", at_risk, events, censored, round(survival::numeric, 12) AS survival,
       round(lower::numeric, 12) AS lower, round(upper::numeric, 12) AS upper
FROM surv_hand, survival_table(s) ORDER BY 1;
SELECT median_survival(s), survival_at(s, '0'), survival_at(s, '2 days 12:00'), survival_at(s, '3 days'),
       survival_at(s, '1 year'), observations(s)
FROM surv_hand;
-- the exponential Greenwood interval computed independently: V = sum
-- d/(n(n-d)); on the log(-log S) scale the standard error is
-- sqrt(V)/|log S|, so lower = exp(-exp(log(-log S) + z se)) and upper =
-- exp(-exp(log(-log S) - z se)) with z = 1.959963984540054
SELECT "time", abs(lower - exp(-exp(ln(-ln(survival)) + 1.959963984540054 * sqrt(v) / abs(ln(survival))))) < 1e-14 AS lower_ok,
       abs(upper - exp(-exp(ln(-ln(survival)) - 1.959963984540054 * sqrt(v) / abs(ln(survival))))) < 1e-14 AS upper_ok
FROM (SELECT t.*, sum(CASE WHEN events < at_risk THEN events::float8 / (at_risk * (at_risk - events)) ELSE 0 END)
                      OVER (ORDER BY "time") AS v
      FROM surv_hand, survival_table(s) t) x ORDER BY 1;
-- to six places, as test/checks/survival_reference.py (lifelines' formulas
-- in numpy) prints them for this example
SELECT "time", round(lower::numeric, 6) AS lower, round(upper::numeric, 6) AS upper
FROM surv_hand, survival_table(s) WHERE "time" = '4 days';

-- ties: events come before censorings at one time (at risk includes both)
SELECT t.* FROM (SELECT survival_agg(d * interval '1 day', e) s FROM (VALUES (1, true), (1, false), (1, true), (2, true)) v(d, e)) x,
  survival_table(s) t ORDER BY 1;
-- every subject has the event: S falls to 0 and both bounds with it
SELECT t.* FROM (SELECT survival_agg(d * interval '1 day', true) s FROM generate_series(1, 3) d) x, survival_table(s) t ORDER BY 1;
-- no events at all: S stays 1, no median (a survival of zero events)
SELECT median_survival(s), survival_at(s, '10 days'), (SELECT count(*) FROM survival_table(s)) AS rows
FROM (SELECT survival_agg(d * interval '1 day', false) s FROM generate_series(1, 3) d) x;
-- NULL durations and events are skipped and counted; no rows give NULL
SELECT survival_agg(d, e) FROM (VALUES (NULL::interval, true), ('1 day', NULL), ('2 days', true)) v(d, e);
SELECT survival_agg(d, e) FROM (VALUES (NULL::interval, true)) v(d, e);
SELECT survival_agg(d, e) IS NULL AS no_rows FROM (SELECT '1 day'::interval, true WHERE false) v(d, e);

-- ---------------------------------------------------------------------------
-- Generated data with heavy ties and censoring against window SQL
-- ---------------------------------------------------------------------------
CREATE TABLE surv_d AS
SELECT g, g % 4 AS grp, ((hashint4(g) & 65535) % 40) * interval '1 day' + (CASE WHEN g % 11 = 0 THEN interval '6 hours' ELSE interval '0' END) AS d,
       (hashint4(g * 7) & 3) <> 0 AS e
FROM generate_series(1, 20000) g;
-- the last time has censorings (S never reaches 0 here)
INSERT INTO surv_d VALUES (0, 0, interval '50 days', false);
CREATE VIEW surv_ref AS
WITH t AS (SELECT d, count(*) FILTER (WHERE e) AS ev, count(*) FILTER (WHERE NOT e) AS ce FROM surv_d GROUP BY d),
r AS (SELECT d, ev, ce, sum(ev + ce) OVER (ORDER BY d DESC) AS at_risk FROM t)
SELECT d, at_risk, ev, ce,
       exp(sum(ln(1 - ev::float8 / at_risk)) OVER (ORDER BY d)) AS survival,
       sum(ev::float8 / (at_risk * (at_risk - ev))) OVER (ORDER BY d) AS v
FROM r;
CREATE FUNCTION pg_temp.surv_mismatches(s survival) RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM survival_table(s) t FULL JOIN surv_ref r ON r.d = t."time"
  WHERE t.at_risk IS DISTINCT FROM r.at_risk OR t.events IS DISTINCT FROM r.ev OR t.censored IS DISTINCT FROM r.ce
     OR NOT abs(t.survival - r.survival) < 1e-12
     OR NOT abs(t.lower - CASE WHEN r.survival = 1 THEN 1 ELSE exp(-exp(ln(-ln(r.survival)) + 1.959963984540054 * sqrt(r.v) / abs(ln(r.survival)))) END) < 1e-9
     OR NOT abs(t.upper - CASE WHEN r.survival = 1 THEN 1 ELSE exp(-exp(ln(-ln(r.survival)) - 1.959963984540054 * sqrt(r.v) / abs(ln(r.survival)))) END) < 1e-9 $$;
SELECT count(*) AS distinct_times, sum(ev) AS events, sum(ce) AS censored FROM surv_ref;
SELECT pg_temp.surv_mismatches(survival_agg(d, e)) AS serial_mismatches FROM surv_d;
-- the median against the reference's first time with S <= 0.5
SELECT median_survival(survival_agg(d, e)) = (SELECT min(d) FROM surv_ref WHERE survival <= 0.5) AS median_ok,
       median_survival(survival_agg(d, e)) FROM surv_d;
SELECT bool_and(abs(survival_at((SELECT survival_agg(d, e) FROM surv_d), r.d + interval '1 hour') - r.survival) < 1e-12) AS survival_at_ok
FROM surv_ref r;
-- a stored value is the same whatever the row order
SELECT (SELECT survival_agg(d, e ORDER BY g DESC) FROM surv_d)::text = (SELECT survival_agg(d, e ORDER BY g) FROM surv_d)::text AS order_independent;
-- parallel query forced
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT survival_agg(d, e) FROM surv_d;
SELECT pg_temp.surv_mismatches(survival_agg(d, e)) AS parallel_mismatches FROM surv_d;
SELECT survival_agg(d, e)::text = (SELECT survival_agg(d, e ORDER BY g) FROM surv_d)::text AS parallel_equal FROM surv_d;
RESET parallel_leader_participation;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- partitionwise
CREATE TABLE surv_part (g int, grp int, d interval, e boolean) PARTITION BY HASH (g);
CREATE TABLE surv_part_0 PARTITION OF surv_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE surv_part_1 PARTITION OF surv_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE surv_part_2 PARTITION OF surv_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO surv_part SELECT g, grp, d, e FROM surv_d;
ANALYZE surv_part;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT grp, survival_agg(d, e) FROM surv_part GROUP BY grp;
SELECT pg_temp.surv_mismatches(rollup(s)) AS partitionwise_mismatches FROM (
  SELECT grp, survival_agg(d, e) s FROM surv_part GROUP BY grp) x;
RESET max_parallel_workers_per_gather;
RESET enable_partitionwise_aggregate;
-- stored per group, rolled up later; text and binary round trips
CREATE TABLE surv_by_grp AS SELECT grp, survival_agg(d, e) s FROM surv_d GROUP BY grp;
SELECT pg_temp.surv_mismatches(rollup(s)) AS rollup_mismatches, sum(observations(s)) AS observations FROM surv_by_grp;
SELECT rollup(s) IS NULL AS empty_rollup FROM surv_by_grp WHERE false;
SELECT count(*) AS text_mismatches FROM surv_by_grp WHERE s::text::survival::text <> s::text;
CREATE TABLE surv_copy (LIKE surv_by_grp);
\copy surv_by_grp TO 'results/survival.bin' (FORMAT binary)
\copy surv_copy FROM 'results/survival.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM surv_by_grp a FULL JOIN surv_copy b USING (grp) WHERE a.s::text IS DISTINCT FROM b.s::text;
-- big sorted values merge in one pass in the combine: rollup of per-group
-- values of thousands of distinct times, in both orders
CREATE TABLE surv_big AS
SELECT g % 4 AS grp, survival_agg((hashint4(g) & 65535) * interval '1 second', g % 3 <> 0) s FROM generate_series(1, 40000) g GROUP BY 1;
SELECT (SELECT rollup(s ORDER BY grp) FROM surv_big)::text = (SELECT survival_agg((hashint4(g) & 65535) * interval '1 second', g % 3 <> 0) FROM generate_series(1, 40000) g)::text AS big_rollup_equal,
       (SELECT rollup(s ORDER BY grp DESC) FROM surv_big)::text = (SELECT rollup(s ORDER BY grp) FROM surv_big)::text AS big_rollup_order;
-- and cumulative incidence, where group 0 only has "won": outcome numbers
-- then differ between the values (merged one by one) or agree (one pass)
CREATE TABLE surv_big_cif AS
SELECT g % 4 AS grp, cumulative_incidence_agg((hashint4(g) & 65535) * interval '1 second',
         CASE WHEN g % 3 = 0 THEN NULL WHEN g % 4 = 0 OR g % 5 <> 0 THEN 'won' ELSE 'lost' END) c
FROM generate_series(1, 40000) g GROUP BY 1;
SELECT (SELECT rollup(c ORDER BY grp) FROM surv_big_cif)::text = (SELECT rollup(c ORDER BY grp DESC) FROM surv_big_cif)::text AS big_cif_order,
       (SELECT rollup(c ORDER BY grp) FROM surv_big_cif)::text =
       (SELECT cumulative_incidence_agg((hashint4(g) & 65535) * interval '1 second',
                 CASE WHEN g % 3 = 0 THEN NULL WHEN g % 4 = 0 OR g % 5 <> 0 THEN 'won' ELSE 'lost' END) FROM generate_series(1, 40000) g)::text AS big_cif_equal;
DROP TABLE surv_big, surv_big_cif;
-- many distinct durations (every row its own time: the state's tail merges)
SELECT observations(s), (SELECT count(*) FROM survival_table(s)) AS times,
       abs(survival_at(s, '1 day') - (SELECT exp(sum(ln(1 - 1.0 / (100001 - g)))) FROM generate_series(1, 86400) g WHERE g % 2 = 0)) < 1e-9 AS distinct_ok
FROM (SELECT survival_agg(g * interval '1 second', g % 2 = 0) s FROM generate_series(1, 100000) g) x;

-- ---------------------------------------------------------------------------
-- Cumulative incidence (Aalen–Johansen)
-- durations 1..6, outcomes [censored, 1, 1, 2, 2, censored]: F_2(6) = 0.4
-- ---------------------------------------------------------------------------
CREATE TABLE surv_cif AS
SELECT cumulative_incidence_agg(d * interval '1 day', o) c
FROM (VALUES (1, NULL), (2, '1'), (3, '1'), (4, '2'), (5, '2'), (6, NULL)) v(d, o);
SELECT c FROM surv_cif;
SELECT "time", outcome, at_risk, round(incidence::numeric, 12) AS incidence
FROM surv_cif, cumulative_incidence_table(c) ORDER BY 1, 2;
-- won versus lost on the generated data: the incidences add up to 1 - S
-- of the all-cause Kaplan–Meier at every time, whatever the split
CREATE TABLE surv_cif_d AS
SELECT grp, cumulative_incidence_agg(d, CASE WHEN NOT e THEN NULL WHEN g % 3 = 0 THEN 'lost' ELSE 'won' END) c FROM surv_d GROUP BY grp;
SELECT count(*) AS cif_mismatches FROM (
  SELECT "time", sum(incidence) AS f FROM (SELECT rollup(c) c FROM surv_cif_d) x, cumulative_incidence_table(c) GROUP BY "time") a
  FULL JOIN surv_ref r ON r.d = a."time"
WHERE NOT abs(a.f - (1 - r.survival)) < 1e-12;
SELECT (SELECT rollup(c) FROM surv_cif_d)::text =
       (SELECT cumulative_incidence_agg(d, CASE WHEN NOT e THEN NULL WHEN g % 3 = 0 THEN 'lost' ELSE 'won' END) FROM surv_d)::text AS cif_rollup_equal;
-- outcomes first seen in another order get the same stored value
SELECT (SELECT cumulative_incidence_agg(d * interval '1 day', o ORDER BY d) FROM (VALUES (1, 'b'), (2, 'a'), (3, NULL)) v(d, o))::text =
       (SELECT cumulative_incidence_agg(d * interval '1 day', o ORDER BY d DESC) FROM (VALUES (1, 'b'), (2, 'a'), (3, NULL)) v(d, o))::text AS names_canonical;
SELECT count(*) AS cif_text_mismatches FROM surv_cif_d WHERE c::text::cumulative_incidence::text <> c::text;
CREATE TABLE surv_cif_copy (LIKE surv_cif_d);
\copy surv_cif_d TO 'results/cif.bin' (FORMAT binary)
\copy surv_cif_copy FROM 'results/cif.bin' (FORMAT binary)
SELECT count(*) AS cif_binary_mismatches FROM surv_cif_d a FULL JOIN surv_cif_copy b USING (grp) WHERE a.c::text IS DISTINCT FROM b.c::text;
-- all censored: no outcomes, incidence table has no rows of outcomes
SELECT c, (SELECT count(*) FROM cumulative_incidence_table(c)) AS rows
FROM (SELECT cumulative_incidence_agg(d * interval '1 day', NULL) c FROM generate_series(1, 3) d) x;
-- names that need escaping round-trip
SELECT c, c::text::cumulative_incidence::text = c::text AS escaped_ok
FROM (SELECT cumulative_incidence_agg(interval '1 day', o) c FROM (VALUES ('say "hi"'), (E'back\\slash'), (E'tab\there')) v(o)) x;

-- ---------------------------------------------------------------------------
-- Bad input
-- ---------------------------------------------------------------------------
SELECT survival_agg(interval '-1 day', true);
SELECT survival_agg(interval '1 day' - interval '2 days', false);
SELECT survival_agg(interval '178000000 years', true);
SELECT survival_at(s, '-1 day') FROM surv_hand;
SELECT cumulative_incidence_agg(interval '1 day', '');
SELECT cumulative_incidence_agg(interval '1 day', repeat('x', 64));
SELECT cumulative_incidence_agg(interval '1 day', 'o' || g) FROM generate_series(1, 33) g;
SELECT '{"points": [[1, 1, 0], [1, 0, 1]], "skipped": 0}'::survival;
SELECT '{"points": [[-1, 1, 0]], "skipped": 0}'::survival;
SELECT '{"points": [[1, 0, 0]], "skipped": 0}'::survival;
SELECT '{"points": [[1, 1]], "skipped": 0}'::survival;
SELECT '{"points": [[1, 9223372036854775807, 0], [2, 1, 0]]}'::survival;
SELECT '{"points": [], "skipped": -1}'::survival;
SELECT '{"skipped": 0}'::survival;
SELECT '{"points": []}'::survival;
SELECT '{"outcomes": ["won", "lost"], "points": []}'::cumulative_incidence;
SELECT '{"outcomes": ["a", "a"], "points": []}'::cumulative_incidence;
SELECT '{"points": [], "outcomes": ["a"]}'::cumulative_incidence;
SELECT '{"outcomes": ["a"], "points": [[1, 0, 1, 2]]}'::cumulative_incidence;
SELECT survival_trans(s, '1 day', true) FROM surv_hand;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT survival_agg(interval '-1 day', true)$q$),
  ($q$SELECT survival_agg(interval '178000000 years', true)$q$),
  ($q$SELECT survival_at(s, '-1 day') FROM surv_hand$q$),
  ($q$SELECT cumulative_incidence_agg(interval '1 day', '')$q$),
  ($q$SELECT cumulative_incidence_agg(interval '1 day', 'o' || g) FROM generate_series(1, 33) g$q$),
  ($q$SELECT '{"points": [[1, 1, 0], [1, 0, 1]]}'::survival$q$),
  ($q$SELECT 'nope'::cumulative_incidence$q$),
  ($q$SELECT survival_trans(s, '1 day', true) FROM surv_hand$q$)) v(q);
-- crafted and truncated binary input
CREATE TABLE surv_raw (b bytea);
CREATE TABLE surv_recv (s survival);
INSERT INTO surv_raw SELECT substr(survival_send(s), 1, 30) FROM surv_hand;
\copy surv_raw TO 'results/survival_raw.bin' (FORMAT binary)
\copy surv_recv FROM 'results/survival_raw.bin' (FORMAT binary)
TRUNCATE surv_raw;
INSERT INTO surv_raw SELECT substr(survival_send(s), 1, 10) FROM surv_hand;
\copy surv_raw TO 'results/survival_raw.bin' (FORMAT binary)
\copy surv_recv FROM 'results/survival_raw.bin' (FORMAT binary)
TRUNCATE surv_raw;
-- points out of order: the first two swapped
INSERT INTO surv_raw SELECT substr(b, 1, 18) || substr(b, 39, 20) || substr(b, 19, 20) || substr(b, 59) FROM (SELECT survival_send(s) b FROM surv_hand) x;
\copy surv_raw TO 'results/survival_raw.bin' (FORMAT binary)
\copy surv_recv FROM 'results/survival_raw.bin' (FORMAT binary)
TRUNCATE surv_raw;
-- a cumulative_incidence sent to survival's receive
INSERT INTO surv_raw SELECT cumulative_incidence_send(c) FROM surv_cif;
\copy surv_raw TO 'results/survival_raw.bin' (FORMAT binary)
\copy surv_recv FROM 'results/survival_raw.bin' (FORMAT binary)
TRUNCATE surv_raw;
INSERT INTO surv_raw SELECT survival_send(s) FROM surv_hand;
\copy surv_raw TO 'results/survival_raw.bin' (FORMAT binary)
\copy surv_recv FROM 'results/survival_raw.bin' (FORMAT binary)
SELECT r.s::text = h.s::text AS recv_ok FROM surv_recv r, surv_hand h;

DROP VIEW surv_ref;
DROP TABLE surv_hand, surv_d, surv_part, surv_by_grp, surv_copy, surv_cif, surv_cif_d, surv_cif_copy, surv_raw, surv_recv;
