-- value_tier_agg, value_tier, value_tiers I/O and report.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

-- by hand: 100 of value in all.  The customers above 50 bring 0 (< 80), so
-- 50 is A; above 20 they bring 50 (< 80): A; above 10: 70 (< 80): A; above
-- 8: 80, not < 80 but < 95: B; above 7: 88: B; above 5: 95: C.  NULLs are skipped.
SELECT value_tier_agg(v) FROM (VALUES (50::float8), (20), (10), (8), (7), (5), (NULL)) v(v);
SELECT v, value_tier(t, v) FROM (SELECT value_tier_agg(v) AS t FROM (VALUES (50::float8), (20), (10), (8), (7), (5)) v(v)) a,
  (VALUES (0::float8), (5), (7), (7.5), (8), (9.99), (10), (50), (1e9), ('Infinity')) b(v) ORDER BY v;
-- one customer bringing 90%: alone in A; the two 3s straddle 95%: B
SELECT * FROM value_tier_report((SELECT value_tier_agg(v) FROM (VALUES (90::float8), (4), (3), (3), (0)) v(v)));
-- ties share a tier: ten equal customers are all A
SELECT value_tier_agg(10) FROM generate_series(1, 10);
-- no customer, or no value at all: NULL
SELECT value_tier_agg(v) IS NULL AS empty_is_null FROM (SELECT 1::float8 AS v WHERE false) x;
SELECT value_tier_agg(0) IS NULL AS zero_value_is_null FROM generate_series(1, 5);
SELECT value_tier(NULL, 5), value_tier('{"a_cut": 10, "b_cut": 5, "tiers": {"A": {"customers": 1, "value": 10}, "B": {"customers": 0, "value": 0}, "C": {"customers": 0, "value": 0}}}', NULL);

-- as a window aggregate: equal to recomputing each frame
SELECT count(*) AS window_mismatches FROM (
  SELECT i, value_tier_agg(((i * 7) % 50)::float8) OVER (ORDER BY i)::text AS w,
         (SELECT value_tier_agg(((j * 7) % 50)::float8) FROM generate_series(1, i) j)::text AS r
  FROM generate_series(1, 60) i) x
WHERE w IS DISTINCT FROM r;

-- SQLSTATE of each bad input (the messages and hints are shown below).
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT value_tier_agg(v) FROM (VALUES (1::float8), (-1)) v(v)$q$),
  ($q$SELECT value_tier_agg(v) FROM (VALUES (1::float8), ('NaN')) v(v)$q$),
  ($q$SELECT value_tier_agg(v) FROM (VALUES (1::float8), ('Infinity')) v(v)$q$),
  ($q$SELECT value_tier('{"a_cut": 10, "b_cut": 5, "tiers": {"A": {"customers": 1, "value": 10}, "B": {"customers": 0, "value": 0}, "C": {"customers": 0, "value": 0}}}', -0.01)$q$),
  ($q$SELECT value_tier('{"a_cut": 10, "b_cut": 5, "tiers": {"A": {"customers": 1, "value": 10}, "B": {"customers": 0, "value": 0}, "C": {"customers": 0, "value": 0}}}', 'NaN')$q$),
  ($q$SELECT tier_customers('{"a_cut": 10, "b_cut": 5, "tiers": {"A": {"customers": 1, "value": 10}, "B": {"customers": 0, "value": 0}, "C": {"customers": 0, "value": 0}}}', 'D')$q$),
  ($q$SELECT 'nonsense'::value_tiers$q$)) v(q);
SELECT value_tier_agg(v) FROM (VALUES (1::float8), (-1)) v(v);
SELECT value_tier_agg(v) FROM (VALUES (1::float8), ('NaN')) v(v);
SELECT value_tier_agg(v) FROM (VALUES (1::float8), ('-Infinity')) v(v);
SELECT value_tier('{"a_cut": 10, "b_cut": 5, "tiers": {"A": {"customers": 1, "value": 10}, "B": {"customers": 0, "value": 0}, "C": {"customers": 0, "value": 0}}}', -0.01);

-- text form: round trip and validation
SELECT '{"b_cut": 0.5, "a_cut": 1e3, "tiers": {"C": {"value": 0, "customers": 7}, "B": {"customers": 2, "value": 1.5}, "A": {"customers": 1, "value": 1000}}}'::value_tiers;
SELECT '{"a_cut": 0.1, "b_cut": 0.1, "tiers": {"A": {"customers": 3, "value": 0.30000000000000004}, "B": {"customers": 0, "value": 0}, "C": {"customers": 0, "value": 0}}}'::value_tiers::text::value_tiers;
SELECT '{"a_cut": 5, "b_cut": 10, "tiers": {"A": {"customers": 1, "value": 10}, "B": {"customers": 0, "value": 0}, "C": {"customers": 0, "value": 0}}}'::value_tiers;
SELECT '{"a_cut": 10, "b_cut": 0, "tiers": {"A": {"customers": 1, "value": 10}, "B": {"customers": 0, "value": 0}, "C": {"customers": 0, "value": 0}}}'::value_tiers;
SELECT '{"a_cut": 10, "b_cut": 5, "tiers": {"A": {"customers": 0, "value": 0}, "B": {"customers": 0, "value": 0}, "C": {"customers": 0, "value": 0}}}'::value_tiers;
SELECT '{"a_cut": 10, "b_cut": 5, "tiers": {"A": {"customers": 1, "value": 10}, "B": {"customers": -1, "value": 0}, "C": {"customers": 0, "value": 0}}}'::value_tiers;
SELECT '{"a_cut": 10, "b_cut": 5, "tiers": {"A": {"customers": 1, "value": 10}, "B": {"customers": 0, "value": 0}}}'::value_tiers;
SELECT '{"a_cut": 10, "b_cut": 5, "tiers": {"A": {"customers": 1, "value": 10}, "B": {"customers": 0, "value": 0}, "C": {"customers": 0, "value": 0}, "D": {"customers": 0, "value": 0}}}'::value_tiers;
SELECT '{"a_cut": 10, "b_cut": 5}'::value_tiers;
SELECT '{"a_cut": 10, "a_cut": 5, "tiers": {}}'::value_tiers;

-- 100,000 generated customers with many ties (whole values, so every sum is
-- exact): value_tier of each against the window-function reference
-- (value brought by the customers ranked strictly above = the running
-- sum(value) OVER (ORDER BY value DESC) minus the customer's own tie group).
CREATE TABLE vt_t AS
SELECT i AS customer_id, i % 13 AS region,
       CASE WHEN i % 97 = 0 THEN NULL
            ELSE floor(20 / power(1 - ((i * 2654435761) % 1000003) / 1000003.0, 1.3))::float8 - 20 END AS value
FROM generate_series(1, 100000::bigint) i;
ANALYZE vt_t;
SELECT count(*) AS customers, count(value) AS with_value, count(DISTINCT value) AS distinct_values,
       count(*) FILTER (WHERE value = 0) AS zero_value, sum(value) AS total FROM vt_t;
CREATE VIEW vt_ref AS
SELECT customer_id, value,
       CASE WHEN above < 0.80 * total THEN 'A' WHEN above < 0.95 * total THEN 'B' ELSE 'C' END AS tier
FROM (SELECT customer_id, value,
             sum(value) OVER (ORDER BY value DESC) - sum(value) OVER (PARTITION BY value) AS above,
             sum(value) OVER () AS total
      FROM vt_t WHERE value IS NOT NULL) s;
CREATE TABLE vt_tiers AS SELECT value_tier_agg(value) AS t FROM vt_t;
SELECT * FROM value_tier_report((SELECT t FROM vt_tiers));
SELECT tier, min(value) AS min_value, count(*) AS customers, sum(value) AS value FROM vt_ref GROUP BY tier ORDER BY tier;
SELECT count(*) AS tier_mismatches FROM vt_ref r, vt_tiers WHERE value_tier(t, r.value) <> r.tier;
SELECT count(*) AS report_mismatches FROM value_tier_report((SELECT t FROM vt_tiers)) p
FULL JOIN (SELECT tier, min(value) AS min_value, count(*) AS customers, sum(value) AS value FROM vt_ref GROUP BY tier) r USING (tier)
WHERE p.customers IS DISTINCT FROM r.customers OR p.value IS DISTINCT FROM r.value
   OR (p.tier <> 'C' AND p.min_value IS DISTINCT FROM r.min_value);

-- per region, against the reference per region
SELECT count(*) AS regions_differing FROM (
  SELECT region, tier, count(*) AS n
  FROM (SELECT v.region, value_tier(g.t, v.value) AS tier
        FROM vt_t v JOIN (SELECT region, value_tier_agg(value) AS t FROM vt_t GROUP BY region) g USING (region)
        WHERE v.value IS NOT NULL) x GROUP BY 1, 2) a
FULL JOIN (
  SELECT region, tier, count(*) AS n
  FROM (SELECT region,
               CASE WHEN above < 0.80 * total THEN 'A' WHEN above < 0.95 * total THEN 'B' ELSE 'C' END AS tier
        FROM (SELECT region, value,
                     sum(value) OVER (PARTITION BY region ORDER BY value DESC) - sum(value) OVER (PARTITION BY region, value) AS above,
                     sum(value) OVER (PARTITION BY region) AS total
              FROM vt_t WHERE value IS NOT NULL) s) y GROUP BY 1, 2) b USING (region, tier)
WHERE a.n IS DISTINCT FROM b.n;

-- forced parallel plan
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT value_tier_agg(value) FROM vt_t;
SELECT value_tier_agg(value)::text = (SELECT t::text FROM vt_tiers) AS parallel_equal FROM vt_t;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- partitionwise aggregation
CREATE TABLE vt_part (LIKE vt_t) PARTITION BY HASH (customer_id);
CREATE TABLE vt_part_0 PARTITION OF vt_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE vt_part_1 PARTITION OF vt_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE vt_part_2 PARTITION OF vt_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO vt_part SELECT * FROM vt_t;
ANALYZE vt_part;
SET enable_partitionwise_aggregate = on;
SELECT value_tier_agg(value)::text = (SELECT t::text FROM vt_tiers) AS partitionwise_equal FROM vt_part;
RESET enable_partitionwise_aggregate;

-- text and binary COPY round trip; crafted binary values
CREATE TABLE vt_copy (t value_tiers);
\copy vt_tiers TO 'results/vt.bin' (FORMAT binary)
\copy vt_copy FROM 'results/vt.bin' (FORMAT binary)
\copy vt_tiers TO 'results/vt.txt'
\copy vt_copy FROM 'results/vt.txt'
SELECT count(*) AS copies, count(*) FILTER (WHERE c.t::text = o.t::text) AS equal FROM vt_copy c, vt_tiers o;
CREATE TABLE vt_raw (b bytea);
INSERT INTO vt_raw SELECT substr(value_tiers_send(t), 1, 40) FROM vt_tiers;
\copy vt_raw TO 'results/vt_raw.bin' (FORMAT binary)
\copy vt_copy FROM 'results/vt_raw.bin' (FORMAT binary)
TRUNCATE vt_raw;
INSERT INTO vt_raw SELECT '\x07' || substr(value_tiers_send(t), 2) FROM vt_tiers;
\copy vt_raw TO 'results/vt_raw.bin' (FORMAT binary)
\copy vt_copy FROM 'results/vt_raw.bin' (FORMAT binary)
TRUNCATE vt_raw;
INSERT INTO vt_raw SELECT '\x01' || float8send(1) || float8send(2) || substr(value_tiers_send(t), 18) FROM vt_tiers;
\copy vt_raw TO 'results/vt_raw.bin' (FORMAT binary)
\copy vt_copy FROM 'results/vt_raw.bin' (FORMAT binary)
TRUNCATE vt_raw;
INSERT INTO vt_raw SELECT '\x01' || float8send('NaN') || substr(value_tiers_send(t), 10) FROM vt_tiers;
\copy vt_raw TO 'results/vt_raw.bin' (FORMAT binary)
\copy vt_copy FROM 'results/vt_raw.bin' (FORMAT binary)

-- a hostile search_path cannot change what value_tier_report and segments() compute
CREATE SCHEMA vt_evil;
CREATE FUNCTION vt_evil.div(float8, float8) RETURNS float8 LANGUAGE sql AS 'SELECT 42::float8';
CREATE OPERATOR vt_evil./ (LEFTARG = float8, RIGHTARG = float8, PROCEDURE = vt_evil.div);
CREATE FUNCTION vt_evil.generate_series(integer, integer) RETURNS SETOF integer LANGUAGE sql AS 'SELECT 1';
SET search_path = vt_evil, public, pg_catalog;
SELECT 1::float8 / 2::float8 AS hijacked_here;
SELECT tier, customers, share_of_customers, share_of_value
FROM public.value_tier_report((SELECT public.value_tier_agg(v) FROM (VALUES (50), (20), (10), (8), (7), (5)) x(v)));
SELECT count(*) AS segments FROM public.segments();
SELECT dimension, p20 FROM public.rfm_cut_points('{"recency_days": {"count": 1, "cuts": [1, 2, 3, 4]}, "frequency": {"count": 1, "cuts": [1, 2, 3, 4]}, "monetary": {"count": 1, "cuts": [1, 2, 3, 4]}}');
RESET search_path;
DROP SCHEMA vt_evil CASCADE;

DROP TABLE vt_t CASCADE;
DROP TABLE vt_tiers, vt_part, vt_copy, vt_raw;
