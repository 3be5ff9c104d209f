-- Bounded twins: quantile sketches for rfm_thresholds, value tiers and
-- conversion time, score histograms for AUC and lift; their error bounds
-- tested against the exact aggregates on generated data.
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
-- uniform in [0, 1) from a row number and a salt (deterministic)
CREATE FUNCTION pg_temp.u(i int, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (abs(hashint8(i::int8 * 7919 + salt)) % 1000000007)::float8 / 1000000007 $$;

-- customers: heavy-tailed value, recency, frequency (integers), monetary
-- with refunds (negative); some NULLs
CREATE TABLE sketch_c AS
SELECT i, i % 5 AS g,
       CASE WHEN i % 101 = 0 THEN NULL ELSE round((exp(pg_temp.u(i, 1) * 9) - 1)::numeric, 2)::float8 END AS value,
       CASE WHEN i % 103 = 0 THEN NULL ELSE floor(pg_temp.u(i, 2) * 720) END AS recency_days,
       floor(-ln(1 - pg_temp.u(i, 3)) * 4) + 1 AS frequency,
       (pg_temp.u(i, 4) - 0.1) * exp(pg_temp.u(i, 5) * 7) AS monetary
FROM generate_series(1, 20000) i;

-- The exact order statistics percentile_cont interpolates, per dimension
-- and quintile: the sketch's cut point must lie within
-- relative_accuracy * max(|x_lo|, |x_hi|) of the exact one.
CREATE FUNCTION pg_temp.rfm_within(exact rfm_thresholds, approx rfm_thresholds, a float8,
	r float8[], f float8[], m float8[]) RETURNS boolean LANGUAGE sql AS $$
	SELECT bool_and(abs(rfm_cut_point(approx, d, p) - rfm_cut_point(exact, d, p))
	                <= a * (1 + 1e-9) * greatest(abs(v[floor(h)::int + 1]), abs(v[ceil(h)::int + 1])))
	FROM (VALUES ('recency_days', r), ('frequency', f), ('monetary', m)) AS x(d, v),
	     LATERAL (SELECT p, p / 100.0 * (cardinality(v) - 1) AS h FROM unnest(ARRAY[20, 40, 60, 80]) p) q
$$;
CREATE TABLE sketch_sorted AS
SELECT array_agg(recency_days ORDER BY recency_days) FILTER (WHERE recency_days IS NOT NULL) AS r,
       array_agg(frequency ORDER BY frequency) AS f,
       array_agg(monetary ORDER BY monetary) AS m
FROM sketch_c;

SELECT a AS relative_accuracy,
       pg_temp.rfm_within((SELECT rfm_thresholds_agg(recency_days, frequency, monetary) FROM sketch_c),
                          (SELECT rfm_thresholds_sketch_agg(recency_days, frequency, monetary, a) FROM sketch_c),
                          a, r, f, m) AS rfm_within_bound,
       (SELECT rfm_customers(rfm_thresholds_sketch_agg(recency_days, frequency, monetary, a), 'recency_days') FROM sketch_c)
         = (SELECT count(recency_days) FROM sketch_c) AS counts_exact
FROM sketch_sorted, unnest(ARRAY[0.0001, 0.001, 0.01, 0.05, 0.2]) a
ORDER BY a;
-- observed largest relative error of the cut points at 1%
SELECT d, round(max(abs(rfm_cut_point(s, d, p) - rfm_cut_point(e, d, p)) / abs(rfm_cut_point(e, d, p)))::numeric, 4) AS max_rel_error
FROM (SELECT rfm_thresholds_agg(recency_days, frequency, monetary) e,
             rfm_thresholds_sketch_agg(recency_days, frequency, monetary) s FROM sketch_c) x,
     unnest(ARRAY['recency_days', 'frequency', 'monetary']) d, unnest(ARRAY[20, 40, 60, 80]) p
GROUP BY d ORDER BY d;

-- value tiers: each cut point within relative_accuracy of the exact one
SELECT a AS relative_accuracy,
       abs(tier_min_value(s, 'A') - tier_min_value(e, 'A')) <= a * (1 + 1e-9) * tier_min_value(e, 'A') AS a_cut_within,
       abs(tier_min_value(s, 'B') - tier_min_value(e, 'B')) <= a * (1 + 1e-9) * tier_min_value(e, 'B') AS b_cut_within,
       tier_customers(s, 'A') + tier_customers(s, 'B') + tier_customers(s, 'C')
         = tier_customers(e, 'A') + tier_customers(e, 'B') + tier_customers(e, 'C') AS customers_exact
FROM unnest(ARRAY[0.0001, 0.001, 0.01, 0.05, 0.2]) a,
     LATERAL (SELECT value_tier_agg(value) e, value_tier_sketch_agg(value, a) s FROM sketch_c) x
ORDER BY a;
SELECT tier, customers, round(share_of_value::numeric, 3) AS share_of_value
FROM value_tier_report((SELECT value_tier_sketch_agg(value) FROM sketch_c)) ORDER BY tier;
-- values that land exactly on bucket values are exact (powers of gamma)
SELECT value_tier_sketch_agg(v) IS NOT NULL AS tiers, value_tier_agg(v) FROM (VALUES (0::float8), (0), (5)) x(v);
SELECT value_tier_sketch_agg(v) FROM (VALUES (0::float8)) x(v);
SELECT value_tier_sketch_agg(v) FROM (SELECT NULL::float8 v) x;

-- the same sketches with parallel query forced and partitionwise
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT rfm_thresholds_sketch_agg(recency_days, frequency, monetary) FROM sketch_c;
SELECT pg_temp.rfm_within((SELECT rfm_thresholds_agg(recency_days, frequency, monetary) FROM sketch_c),
                          (SELECT rfm_thresholds_sketch_agg(recency_days, frequency, monetary) FROM sketch_c),
                          0.01, r, f, m) AS parallel_within
FROM sketch_sorted;
CREATE TABLE sketch_parts (LIKE sketch_c) PARTITION BY LIST (g);
CREATE TABLE sketch_parts_a PARTITION OF sketch_parts FOR VALUES IN (0, 1);
CREATE TABLE sketch_parts_b PARTITION OF sketch_parts FOR VALUES IN (2, 3, 4);
INSERT INTO sketch_parts SELECT * FROM sketch_c;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT value_tier_sketch_agg(value) FROM sketch_parts;
-- bucket counts add exactly: the partitioned sketch's cut points and tier
-- sizes equal the one-table sketch's
SELECT (SELECT value_tier_sketch_agg(value) FROM sketch_parts)::text = (SELECT value_tier_sketch_agg(value) FROM sketch_c)::text AS partitioned_tiers_equal,
       (SELECT rfm_thresholds_sketch_agg(recency_days, frequency, monetary) FROM sketch_parts)::text
         = (SELECT rfm_thresholds_sketch_agg(recency_days, frequency, monetary) FROM sketch_c)::text AS partitioned_rfm_equal;
RESET enable_partitionwise_aggregate;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- grouped, each group within the bound
SELECT g, abs(tier_min_value(s, 'A') - tier_min_value(e, 'A')) <= 0.01 * (1 + 1e-9) * tier_min_value(e, 'A') AS a_cut_within
FROM (SELECT g, value_tier_agg(value) e, value_tier_sketch_agg(value) s FROM sketch_c GROUP BY g) x ORDER BY g;

-- the state itself: text and binary round trips
SELECT quantile_sketch_in(quantile_sketch_out(s)) FROM (SELECT NULL::quantile_sketch s) x;
CREATE TABLE sketch_text (k text, s quantile_sketch);
INSERT INTO sketch_text VALUES
  ('values', '{"version": 1, "kind": "values", "relative_accuracy": 0.01, "dims": [{"count": 4, "zeros": 1, "sum": 7.5, "min": 0, "max": 5, "positive": {"offset": 0, "counts": [1, 0, 2], "sums": [1, 0, 6.5]}, "negative": {"offset": 0, "counts": [], "sums": []}}]}'),
  ('rfm', '{"version": 1, "kind": "rfm", "relative_accuracy": 0.05, "dims": [{"count": 1, "zeros": 0, "sum": 3, "min": 3, "max": 3, "positive": {"offset": 11, "counts": [1], "sums": [3]}, "negative": {"offset": 0, "counts": [], "sums": []}}, {"count": 0, "zeros": 0, "sum": 0, "min": 0, "max": 0, "positive": {"offset": 0, "counts": [], "sums": []}, "negative": {"offset": 0, "counts": [], "sums": []}}, {"count": 2, "zeros": 0, "sum": -4, "min": -5, "max": 1, "positive": {"offset": 0, "counts": [1], "sums": [1]}, "negative": {"offset": 16, "counts": [1], "sums": [-5]}}]}'),
  ('durations', '{"version": 1, "kind": "durations", "relative_accuracy": 0.01, "from": "awareness", "to": "purchase", "journeys": 3, "sum_us": "170141183460469231731687303715884105", "dims": [{"count": 1, "zeros": 0, "sum": 1e15, "min": 1e15, "max": 1e15, "positive": {"offset": 1727, "counts": [1], "sums": [1e15]}, "negative": {"offset": 0, "counts": [], "sums": []}}]}');
SELECT k, s::text::quantile_sketch::text = s::text AS text_round_trip, s FROM sketch_text ORDER BY k;
CREATE TABLE sketch_copy (LIKE sketch_text);
\copy sketch_text TO 'results/sketch_text.bin' (FORMAT binary)
\copy sketch_copy FROM 'results/sketch_text.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM sketch_text a FULL JOIN sketch_copy b USING (k) WHERE a.s::text IS DISTINCT FROM b.s::text;
-- crafted binary: truncated, unknown kind, trailing byte, negative count
CREATE TABLE sketch_raw (b bytea);
CREATE TABLE sketch_recv (s quantile_sketch);
INSERT INTO sketch_raw SELECT substr(quantile_sketch_send(s), 1, 50) FROM sketch_text WHERE k = 'values';
\copy sketch_raw TO 'results/sketch_raw.bin' (FORMAT binary)
\copy sketch_recv FROM 'results/sketch_raw.bin' (FORMAT binary)
TRUNCATE sketch_raw;
INSERT INTO sketch_raw SELECT overlay(quantile_sketch_send(s) placing '\x09'::bytea from 2 for 1) FROM sketch_text WHERE k = 'values';
\copy sketch_raw TO 'results/sketch_raw.bin' (FORMAT binary)
\copy sketch_recv FROM 'results/sketch_raw.bin' (FORMAT binary)
TRUNCATE sketch_raw;
INSERT INTO sketch_raw SELECT quantile_sketch_send(s) || '\x00'::bytea FROM sketch_text WHERE k = 'values';
\copy sketch_raw TO 'results/sketch_raw.bin' (FORMAT binary)
\copy sketch_recv FROM 'results/sketch_raw.bin' (FORMAT binary)
TRUNCATE sketch_raw;
-- the first bucket count (after 4 + 32 + 40 + 8 bytes) made -1
INSERT INTO sketch_raw SELECT overlay(quantile_sketch_send(s) placing int8send(-1) from 85 for 8) FROM sketch_text WHERE k = 'values';
\copy sketch_raw TO 'results/sketch_raw.bin' (FORMAT binary)
\copy sketch_recv FROM 'results/sketch_raw.bin' (FORMAT binary)
TRUNCATE sketch_raw;
INSERT INTO sketch_raw SELECT quantile_sketch_send(s) FROM sketch_text WHERE k = 'rfm';
\copy sketch_raw TO 'results/sketch_raw.bin' (FORMAT binary)
\copy sketch_recv FROM 'results/sketch_raw.bin' (FORMAT binary)
SELECT s::text = (SELECT s::text FROM sketch_text WHERE k = 'rfm') AS untouched_bytes_accepted FROM sketch_recv;

-- bad text: 22P02 with the reason and a hint
\set VERBOSITY default
SELECT '{"version": 1, "kind": "values", "relative_accuracy": 0.01, "dims": [{"count": 5, "zeros": 1, "sum": 7.5, "min": 0, "max": 5, "positive": {"offset": 0, "counts": [1, 0, 2], "sums": [1, 0, 6.5]}, "negative": {"offset": 0, "counts": [], "sums": []}}]}'::quantile_sketch;
SELECT '{"version": 1, "kind": "values", "relative_accuracy": 0.9, "dims": []}'::quantile_sketch;
SELECT '{"version": 1, "kind": "cubes", "relative_accuracy": 0.01, "dims": []}'::quantile_sketch;
SELECT '{"version": 1, "kind": "values", "relative_accuracy": 0.01, "dims": [{"count": 1, "zeros": 0, "sum": -1, "min": -1, "max": -1, "positive": {"offset": 0, "counts": [], "sums": []}, "negative": {"offset": 0, "counts": [1], "sums": [-1]}}]}'::quantile_sketch;
SELECT '{"version": 1, "kind": "durations", "relative_accuracy": 0.01, "dims": [{"count": 0, "zeros": 0, "sum": 0, "min": 0, "max": 0, "positive": {"offset": 0, "counts": [], "sums": []}, "negative": {"offset": 0, "counts": [], "sums": []}}]}'::quantile_sketch;
SELECT '{"version": 1, "kind": "values", "relative_accuracy": 0.01, "dims": [{"count": 1, "zeros": 0, "sum": 1, "min": 1, "max": 1, "positive": {"offset": 0, "counts": [1, 2], "sums": [1]}, "negative": {"offset": 0, "counts": [], "sums": []}}]}'::quantile_sketch;

-- errors of the sketch aggregates
SELECT value_tier_sketch_agg(v) FROM (VALUES (-1::float8)) x(v);
SELECT value_tier_sketch_agg(v, 0.9) FROM (VALUES (1::float8)) x(v);
SELECT value_tier_sketch_agg(v, a) FROM (VALUES (1::float8, 0.01::float8), (2, 0.02)) x(v, a);
SELECT rfm_thresholds_sketch_agg(1, 'NaN', 1);
SELECT rfm_thresholds_sketch_agg(1, 2, 3, NULL);
SELECT value_tier_sketch_agg(v, 0.0001) FROM (VALUES (1e-300::float8), (1e300)) x(v);
SELECT quantile_sketch_combine(s, s) FROM sketch_text;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT '{"version": 2}'::quantile_sketch$q$),
  ($q$SELECT value_tier_sketch_agg(-1)$q$),
  ($q$SELECT value_tier_sketch_agg(1, 0.9)$q$),
  ($q$SELECT rfm_thresholds_sketch_agg(1, 2, 3, NULL)$q$),
  ($q$SELECT value_tier_sketch_agg(v, 0.0001) FROM (VALUES (1e-300::float8), (1e300)) x(v)$q$),
  ($q$SELECT quantile_sketch_combine(s, s) FROM sketch_text$q$),
  ($q$SELECT conversion_time_sketch_agg(NULL::journey, 'purchase', 'awareness')$q$),
  ($q$SELECT conversion_time_sketch_agg(NULL::journey, NULL, 'awareness')$q$)) v(q);

-- conversion_time_sketch_agg: the counts and the mean exact, the median
-- within relative_accuracy of the exact median's order statistics
CREATE TABLE sketch_ev AS
SELECT e AS entity, timestamptz '2024-01-01' + (s * 86400 * (1 + 40 * pg_temp.u(e * 8 + s, 6))) * interval '1 second' AS ts,
       s::journey_stage AS stage
FROM generate_series(1, 3000) e, generate_series(1, 5) s
WHERE s <= 1 + (abs(hashint4(e)) % 5);
CREATE TABLE sketch_j AS SELECT entity, entity % 3 AS g, journey_agg(ts, stage) j FROM sketch_ev GROUP BY entity;
SELECT (e).journeys = (s).journeys AS journeys_equal, (e).converted = (s).converted AS converted_equal,
       (e).conversion = (s).conversion AS conversion_equal, (e).mean = (s).mean AS mean_equal,
       abs(extract(epoch FROM (s).median - (e).median)) <= 0.01 * (1 + 1e-9) * extract(epoch FROM (e).median) + 1e-6 AS median_within,
       (e).journeys, (e).converted
FROM (SELECT conversion_time_agg(j, 'awareness', 'purchase') e, conversion_time_sketch_agg(j, 'awareness', 'purchase') s FROM sketch_j) x;
SELECT g, (e).mean = (s).mean AS mean_equal, (e).converted = (s).converted AS converted_equal,
       abs(extract(epoch FROM (s).median - (e).median)) <= 0.05 * (1 + 1e-9) * extract(epoch FROM (e).median) + 1e-6 AS median_within
FROM (SELECT g, conversion_time_agg(j, 'consideration', 'decision') e, conversion_time_sketch_agg(j, 'consideration', 'decision', 0.05) s
      FROM sketch_j GROUP BY g) x ORDER BY g;
SELECT * FROM (SELECT (conversion_time_sketch_agg(j, 'awareness', 'purchase')).* FROM sketch_j WHERE false) x;

-- score_histogram: AUC exact when the scores carry no more resolution
-- than the buckets (3 decimals at 1000), else within auc_error_bound
CREATE TABLE sketch_s AS
SELECT i, i % 4 AS g, round(pg_temp.u(i, 7)::numeric, 3)::float8 AS s3, pg_temp.u(i, 7) AS s,
       pg_temp.u(i, 8) < pg_temp.u(i, 7) * 0.8 AS y
FROM generate_series(1, 20000) i;
SELECT abs(auc_bucketed_agg(s3, y) - auc_agg(s3, y)) <= 1e-12 AS exact_at_3_decimals,
       auc_error_bound(score_histogram_agg(s3, y)) > 0 AS ties_in_data,
       abs(auc_bucketed_agg(s, y) - auc_agg(s, y)) <= auc_error_bound(score_histogram_agg(s, y)) AS within_bound,
       round(auc_error_bound(score_histogram_agg(s, y))::numeric, 6) AS bound_1000,
       abs(auc_bucketed_agg(s, y, 100000) - auc_agg(s, y)) <= auc_error_bound(score_histogram_agg(s, y, 100000)) AS within_bound_100000,
       round(auc_error_bound(score_histogram_agg(s, y, 100000))::numeric, 8) AS bound_100000,
       round(auc_agg(s, y)::numeric, 6) AS exact_auc
FROM sketch_s;
-- lift tables of 3-decimal scores: identical to lift_agg's
SELECT count(*) AS lift_table_mismatches
FROM lift_table((SELECT lift_bucketed_agg(s3, y) FROM sketch_s), 10) a
FULL JOIN lift_table((SELECT lift_agg(s3, y) FROM sketch_s), 10) b USING (bucket)
WHERE a IS DISTINCT FROM b;
-- two-step: per-group histograms roll up to the whole one
CREATE TABLE sketch_h AS SELECT g, score_histogram_agg(s, y) h FROM sketch_s GROUP BY g;
SELECT (SELECT rollup(h) FROM sketch_h)::text = (SELECT score_histogram_agg(s, y) FROM sketch_s)::text AS rollup_equal;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT auc_bucketed_agg(s, y) FROM sketch_s;
SELECT (SELECT score_histogram_agg(s, y) FROM sketch_s)::text = (SELECT rollup(h) FROM sketch_h)::text AS parallel_equal;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT score_histogram_agg(s, y, 4) FROM (VALUES (0::float8, true), (0.1, false), (0.125, true), (0.5, NULL), (NULL, true), (1, false)) x(s, y);
SELECT histogram_auc(h), auc_error_bound(h), histogram_lift(h) FROM (SELECT '{"version": 1, "resolution": 4, "buckets": [[0, 1, 1], [4, 0, 1]]}'::score_histogram h) x;
SELECT histogram_auc(h) IS NULL AS one_class FROM (SELECT score_histogram_agg(s, true) h FROM (VALUES (0.5::float8)) x(s)) y;
-- text and binary round trips, crafted input
SELECT count(*) FILTER (WHERE h::text::score_histogram::text = h::text) AS text_round_trips FROM sketch_h;
CREATE TABLE sketch_h_copy (LIKE sketch_h);
\copy sketch_h TO 'results/sketch_h.bin' (FORMAT binary)
\copy sketch_h_copy FROM 'results/sketch_h.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM sketch_h a FULL JOIN sketch_h_copy b USING (g) WHERE a.h::text IS DISTINCT FROM b.h::text;
CREATE TABLE sketch_h_recv (h score_histogram);
TRUNCATE sketch_raw;
INSERT INTO sketch_raw SELECT substr(score_histogram_send(h), 1, 20) FROM sketch_h WHERE g = 0;
\copy sketch_raw TO 'results/sketch_raw.bin' (FORMAT binary)
\copy sketch_h_recv FROM 'results/sketch_raw.bin' (FORMAT binary)
TRUNCATE sketch_raw;
-- buckets out of order (3, then 2)
INSERT INTO sketch_raw SELECT '\x01'::bytea || int4send(4) || int4send(2) || int4send(3) || int8send(1) || int8send(0) || int4send(2) || int8send(0) || int8send(1);
\copy sketch_raw TO 'results/sketch_raw.bin' (FORMAT binary)
\copy sketch_h_recv FROM 'results/sketch_raw.bin' (FORMAT binary)
SELECT '{"version": 1, "resolution": 4, "buckets": [[4, 1, 1], [0, 0, 1]]}'::score_histogram;
SELECT '{"version": 1, "resolution": 4, "buckets": [[5, 1, 1]]}'::score_histogram;
SELECT '{"version": 1, "resolution": 4, "buckets": [[1, 0, 0]]}'::score_histogram;
SELECT '{"version": 1, "buckets": [], "resolution": 4}'::score_histogram;
SELECT '{"version": 1, "resolution": 0, "buckets": []}'::score_histogram;
SELECT auc_bucketed_agg(1.5, true);
SELECT auc_bucketed_agg('NaN', true);
SELECT auc_bucketed_agg(0.5, true, 0);
SELECT score_histogram_combine(h, h) FROM sketch_h;
SELECT rollup(h) FROM (SELECT score_histogram_agg(0.5, true, 10) h UNION ALL SELECT score_histogram_agg(0.5, true, 20)) x;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT '{"version": 1, "resolution": 0, "buckets": []}'::score_histogram$q$),
  ($q$SELECT auc_bucketed_agg(1.5, true)$q$),
  ($q$SELECT auc_bucketed_agg(0.5, true, 0)$q$),
  ($q$SELECT auc_bucketed_agg(0.5, true, NULL)$q$),
  ($q$SELECT rollup(h) FROM (SELECT score_histogram_agg(0.5, true, 10) h UNION ALL SELECT score_histogram_agg(0.5, true, 20)) x$q$)) v(q);

DROP TABLE sketch_c, sketch_sorted, sketch_parts, sketch_text, sketch_copy, sketch_raw, sketch_recv,
  sketch_ev, sketch_j, sketch_s, sketch_h, sketch_h_copy, sketch_h_recv;
