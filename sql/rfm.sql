-- rfm: input, output, operators, binary I/O; rfm_thresholds, rfm_thresholds_agg, rfm_score.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

SELECT s, s::rfm AS cell, r_score(s::rfm), f_score(s::rfm), m_score(s::rfm)
FROM (VALUES ('5-4-3'), ('543'), (' 1-1-1 '), ('555'), ('2-5-1')) v(s);
SELECT rfm(3, 2, 1), rfm(3, 2, 1)::text, '321'::text::rfm;

-- SQLSTATE of each bad input (the messages and hints are shown below).
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT '6-1-1'::rfm$q$),
  ($q$SELECT '0-3-3'::rfm$q$),
  ($q$SELECT '5-5'::rfm$q$),
  ($q$SELECT 'abc'::rfm$q$),
  ($q$SELECT '5-4-3-2'::rfm$q$),
  ($q$SELECT ''::rfm$q$),
  ($q$SELECT '54-3'::rfm$q$),
  ($q$SELECT '5 4 3'::rfm$q$),
  ($q$SELECT rfm(6, 1, 1)$q$),
  ($q$SELECT rfm(1, 0, 1)$q$),
  ($q$SELECT '{"recency_days": 1}'::rfm_thresholds$q$),
  ($q$SELECT rfm_thresholds_agg(x, 1, 1) FROM (VALUES ('NaN'::float8)) v(x)$q$),
  ($q$SELECT rfm_thresholds_agg(1, x, 1) FROM (VALUES ('Infinity'::float8)) v(x)$q$),
  ($q$SELECT rfm_thresholds_agg(1, 1, x) FROM (VALUES ('-Infinity'::float8)) v(x)$q$),
  ($q$SELECT rfm_score('{"recency_days": {"count": 1, "cuts": [1, 2, 3, 4]}, "frequency": {"count": 1, "cuts": [1, 2, 3, 4]}, "monetary": {"count": 1, "cuts": [1, 2, 3, 4]}}', 'NaN', 1, 1)$q$),
  ($q$SELECT rfm_cut_point('{"recency_days": {"count": 1, "cuts": [1, 2, 3, 4]}, "frequency": {"count": 1, "cuts": [1, 2, 3, 4]}, "monetary": {"count": 1, "cuts": [1, 2, 3, 4]}}', 'recency', 20)$q$),
  ($q$SELECT rfm_cut_point('{"recency_days": {"count": 1, "cuts": [1, 2, 3, 4]}, "frequency": {"count": 1, "cuts": [1, 2, 3, 4]}, "monetary": {"count": 1, "cuts": [1, 2, 3, 4]}}', 'monetary', 50)$q$)) v(q);

-- bad rfm text: 22003 for a score outside 1..5, 22P02 for anything else
SELECT '6-1-1'::rfm;
SELECT '0-3-3'::rfm;
SELECT '5-5'::rfm;
SELECT 'abc'::rfm;
SELECT '5-4-3-2'::rfm;
SELECT rfm(6, 1, 1);
SELECT r_score(NULL), rfm(NULL, 1, 1);

-- ordering: R, then F, then M (all 125 x 125 pairs against the tuple order)
CREATE TABLE rfm_cells AS
SELECT rfm(r, f, m) AS c, r, f, m FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m;
SELECT count(*) AS mismatches
FROM rfm_cells a, rfm_cells b
WHERE ((a.c <  b.c) <> ((a.r, a.f, a.m) <  (b.r, b.f, b.m)))
   OR ((a.c <= b.c) <> ((a.r, a.f, a.m) <= (b.r, b.f, b.m)))
   OR ((a.c =  b.c) <> ((a.r, a.f, a.m) =  (b.r, b.f, b.m)))
   OR ((a.c <> b.c) <> ((a.r, a.f, a.m) <> (b.r, b.f, b.m)))
   OR ((a.c >= b.c) <> ((a.r, a.f, a.m) >= (b.r, b.f, b.m)))
   OR ((a.c >  b.c) <> ((a.r, a.f, a.m) >  (b.r, b.f, b.m)));
SELECT count(*) AS round_trip_mismatches FROM rfm_cells WHERE c::text::rfm <> c OR c::text <> format('%s-%s-%s', r, f, m)
   OR r_score(c) <> r OR f_score(c) <> f OR m_score(c) <> m;
SELECT c FROM rfm_cells ORDER BY c DESC LIMIT 3;

-- btree index, hash and sort grouping, hash join
CREATE TABLE rfm_idx AS SELECT i, rfm(1 + i % 5, 1 + (i / 5) % 5, 1 + (i / 25) % 5) AS c FROM generate_series(1, 5000) i;
CREATE INDEX ON rfm_idx (c);
ANALYZE rfm_idx;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT count(*) FROM rfm_idx WHERE c = '5-5-5';
SELECT count(*) FROM rfm_idx WHERE c = '5-5-5';
SELECT count(*) FROM rfm_idx WHERE c >= '5-4-1';
RESET enable_seqscan;
RESET enable_bitmapscan;
RESET max_parallel_workers_per_gather;
SET enable_sort = off;
SELECT count(*) AS groups FROM (SELECT c, count(*) FROM rfm_idx GROUP BY c) g;
RESET enable_sort;
SET enable_hashagg = off;
SELECT c, count(*) FROM rfm_idx GROUP BY c ORDER BY c LIMIT 3;
RESET enable_hashagg;
SET enable_mergejoin = off;
SET enable_nestloop = off;
SELECT count(*) AS hash_joined FROM rfm_idx a JOIN rfm_cells b USING (c);
RESET enable_mergejoin;
RESET enable_nestloop;

-- binary COPY round trip, and crafted binary values
CREATE TABLE rfm_copy (c rfm);
\copy rfm_cells (c) TO 'results/rfm.bin' (FORMAT binary)
\copy rfm_copy FROM 'results/rfm.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM rfm_cells a FULL JOIN rfm_copy b USING (c) WHERE a.c IS NULL OR b.c IS NULL;
CREATE TABLE rfm_raw (b bytea);
INSERT INTO rfm_raw VALUES ('\x021f');
\copy rfm_raw TO 'results/rfm_raw.bin' (FORMAT binary)
TRUNCATE rfm_copy;
\copy rfm_copy FROM 'results/rfm_raw.bin' (FORMAT binary)
SELECT c FROM rfm_copy;
TRUNCATE rfm_raw;
INSERT INTO rfm_raw VALUES ('\x0263');
\copy rfm_raw TO 'results/rfm_raw.bin' (FORMAT binary)
\copy rfm_copy FROM 'results/rfm_raw.bin' (FORMAT binary)
TRUNCATE rfm_raw;
INSERT INTO rfm_raw VALUES ('\x01');
\copy rfm_raw TO 'results/rfm_raw.bin' (FORMAT binary)
\copy rfm_copy FROM 'results/rfm_raw.bin' (FORMAT binary)
TRUNCATE rfm_raw;
INSERT INTO rfm_raw VALUES ('\x02050505');
\copy rfm_raw TO 'results/rfm_raw.bin' (FORMAT binary)
\copy rfm_copy FROM 'results/rfm_raw.bin' (FORMAT binary)

-- rfm_thresholds: text form, round trip, validation
SELECT '{"recency_days": {"count": 10, "cuts": [7, 21.5, 45, 90]}, "frequency": {"count": 10, "cuts": [1, 1, 2, 5]}, "monetary": {"count": 9, "cuts": [100, 250.25, 1e3, 1e7]}}'::rfm_thresholds;
SELECT ' { "monetary" : {"cuts":[0,0,0,0],"count":1}, "frequency": {"count": 1, "cuts": [-1, 0, 0.1, 3]}, "recency_days": {"count": 2, "cuts": [0.1, 0.2, 0.30000000000000004, 3]} } '::rfm_thresholds;
SELECT '{"recency_days": {"count": 1, "cuts": [0.1, 0.2, 0.30000000000000004, 1]}, "frequency": {"count": 1, "cuts": [1, 2, 3, 4]}, "monetary": {"count": 1, "cuts": [1, 2, 3, 4]}}'::rfm_thresholds::text::rfm_thresholds::text;
SELECT * FROM rfm_cut_points('{"recency_days": {"count": 10, "cuts": [7, 21.5, 45, 90]}, "frequency": {"count": 10, "cuts": [1, 1, 2, 5]}, "monetary": {"count": 9, "cuts": [100, 250.25, 1e3, 1e7]}}');
-- corrupted text
SELECT 'nonsense'::rfm_thresholds;
SELECT '{"recency_days": {"count": 10, "cuts": [7, 21.5, 45, 90]}, "frequency": {"count": 10, "cuts": [1, 1, 2, 5]}}'::rfm_thresholds;
SELECT '{"recency_days": {"count": 10, "cuts": [7, 21.5, 45]}, "frequency": {"count": 10, "cuts": [1, 1, 2, 5]}, "monetary": {"count": 9, "cuts": [1, 2, 3, 4]}}'::rfm_thresholds;
SELECT '{"recency_days": {"count": 10, "cuts": [7, 21.5, 45, 90, 100]}, "frequency": {"count": 10, "cuts": [1, 1, 2, 5]}, "monetary": {"count": 9, "cuts": [1, 2, 3, 4]}}'::rfm_thresholds;
SELECT '{"recency_days": {"count": 10, "cuts": [7, 21.5, 45, 20]}, "frequency": {"count": 10, "cuts": [1, 1, 2, 5]}, "monetary": {"count": 9, "cuts": [1, 2, 3, 4]}}'::rfm_thresholds;
SELECT '{"recency_days": {"count": 0, "cuts": [7, 21.5, 45, 90]}, "frequency": {"count": 10, "cuts": [1, 1, 2, 5]}, "monetary": {"count": 9, "cuts": [1, 2, 3, 4]}}'::rfm_thresholds;
SELECT '{"recency_days": {"count": 10, "cuts": [7, 21.5, 45, "NaN"]}, "frequency": {"count": 10, "cuts": [1, 1, 2, 5]}, "monetary": {"count": 9, "cuts": [1, 2, 3, 4]}}'::rfm_thresholds;
SELECT '{"recency_days": {"count": 10, "cuts": [7, 21.5, 45, 1e999]}, "frequency": {"count": 10, "cuts": [1, 1, 2, 5]}, "monetary": {"count": 9, "cuts": [1, 2, 3, 4]}}'::rfm_thresholds;
SELECT '{"recency_days": {"count": 10, "cuts": [7, 21.5, 45, 90]}, "frequency": {"count": 10, "cuts": [1, 1, 2, 5]}, "monetary": {"count": 9, "cuts": [1, 2, 3, 4]}, "recency_days": {"count": 1, "cuts": [1, 2, 3, 4]}}'::rfm_thresholds;
SELECT '{"recency_days": {"count": 10, "cuts": [7, 21.5, 45, 90], "extra": 1}, "frequency": {"count": 10, "cuts": [1, 1, 2, 5]}, "monetary": {"count": 9, "cuts": [1, 2, 3, 4]}}'::rfm_thresholds;
SELECT '{"recency_days": {"count": 10, "cuts": [7, 21.5, 45, 90]}, "frequency": {"count": 10, "cuts": [1, 1, 2, 5]}, "monetary": {"count": 9, "cuts": [1, 2, 3, 4]}} trailing'::rfm_thresholds;

-- scoring: 1 + cut points strictly below (recency inverted); ties share a score
WITH t AS (SELECT '{"recency_days": {"count": 10, "cuts": [10, 20, 30, 40]}, "frequency": {"count": 10, "cuts": [1, 2, 3, 4]}, "monetary": {"count": 10, "cuts": [100, 200, 300, 400]}}'::rfm_thresholds AS t)
SELECT v.*, rfm_score(t, r, f, m) FROM t, (VALUES
  (0::float8, 0::float8, 0::float8), (10, 1, 100), (10.5, 1.5, 100.5), (20, 2, 200), (40, 4, 400),
  (40.001, 4.001, 400.001), ('Infinity', 'Infinity', 'Infinity'), ('-Infinity', '-Infinity', '-Infinity'),
  (NULL, 1, 1), (1, NULL, 1), (1, 1, NULL)) v(r, f, m);
SELECT rfm_score(NULL, 1, 1, 1);

-- the aggregate on hand-checked data: 1..10 (percentile_cont gives 2.8, 4.6, 6.4, 8.2)
SELECT rfm_thresholds_agg(i, 11 - i, i * 10) FROM generate_series(1, 10) i;
SELECT percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY i) AS percentile_cont FROM generate_series(1, 10) i;
SELECT rfm_thresholds_agg(5, 1, 0) FROM generate_series(1, 3) i;
-- empty input, or a dimension with no value, gives NULL
SELECT rfm_thresholds_agg(i, i, i) IS NULL AS empty_is_null FROM generate_series(1, 0) i;
SELECT rfm_thresholds_agg(i, NULL, i) IS NULL AS missing_dimension_is_null FROM generate_series(1, 5) i;
-- NULLs are skipped per dimension
SELECT rfm_thresholds_agg(CASE WHEN i % 2 = 0 THEN i END, i, CASE WHEN i > 3 THEN i END) FROM generate_series(1, 10) i;
-- as a window aggregate (the final function runs after every row and the
-- state keeps growing): equal to recomputing each frame
SELECT count(*) AS window_mismatches FROM (
  SELECT i, rfm_thresholds_agg((i * 7) % 50, (i * 11) % 13, i) OVER (ORDER BY i)::text AS w,
         (SELECT rfm_thresholds_agg((j * 7) % 50, (j * 11) % 13, j) FROM generate_series(1, i) j)::text AS r
  FROM generate_series(1, 60) i) x
WHERE w <> r;
-- NaN and infinite values are refused
SELECT rfm_thresholds_agg(x, 1, 1) FROM (VALUES (1::float8), ('NaN')) v(x);
SELECT rfm_thresholds_agg(1, x, 1) FROM (VALUES (1::float8), ('Infinity')) v(x);

-- 200,000 generated customers with many ties and some NULLs: equal to
-- percentile_cont, serially and in parallel, and rfm_score equal to CASE.
CREATE TABLE rfm_cust AS
SELECT i AS customer_id, i % 17 AS region,
       CASE WHEN i % 101 = 0 THEN NULL ELSE ((i * 2654435761) % 1000003) % 400 END::float8 AS recency_days,
       CASE WHEN i % 103 = 0 THEN NULL ELSE 1 + floor(30 * power(((i * 40503) % 65537) / 65537.0, 3)) END::float8 AS frequency,
       CASE WHEN i % 107 = 0 THEN NULL
            ELSE round((exp(4 + 3 * (((i * 7919) % 100003) / 100003.0)) * (1 + (i % 3)))::numeric, 2) END::float8 AS monetary
FROM generate_series(1, 200000::bigint) i;
ANALYZE rfm_cust;
SELECT count(*) AS customers, count(DISTINCT recency_days) AS distinct_r, count(DISTINCT frequency) AS distinct_f,
       count(DISTINCT monetary) AS distinct_m FROM rfm_cust;

CREATE VIEW rfm_ref AS
SELECT percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY recency_days) AS r,
       percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY frequency) AS f,
       percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY monetary) AS m,
       count(recency_days) AS nr, count(frequency) AS nf, count(monetary) AS nm
FROM rfm_cust;
CREATE FUNCTION pg_temp.cuts(t rfm_thresholds, d text) RETURNS float8[] LANGUAGE sql AS
$$ SELECT ARRAY[rfm_cut_point(t, d, 20), rfm_cut_point(t, d, 40), rfm_cut_point(t, d, 60), rfm_cut_point(t, d, 80)] $$;

SELECT * FROM rfm_ref;
SELECT * FROM rfm_cut_points((SELECT rfm_thresholds_agg(recency_days, frequency, monetary) FROM rfm_cust));
CREATE TABLE rfm_thr AS SELECT rfm_thresholds_agg(recency_days, frequency, monetary) AS t FROM rfm_cust;
SELECT pg_temp.cuts(t, 'recency_days') = r AS r_equal, pg_temp.cuts(t, 'frequency') = f AS f_equal,
       pg_temp.cuts(t, 'monetary') = m AS m_equal,
       (rfm_customers(t, 'recency_days'), rfm_customers(t, 'frequency'), rfm_customers(t, 'monetary')) = (nr, nf, nm) AS counts_equal
FROM rfm_thr, rfm_ref;

-- rfm_score for every customer against percentile_cont + CASE
CREATE VIEW rfm_ref_scores AS
SELECT c.customer_id,
       CASE WHEN c.recency_days IS NULL OR c.frequency IS NULL OR c.monetary IS NULL THEN NULL
            ELSE format('%s-%s-%s',
              CASE WHEN recency_days > r[4] THEN 1 WHEN recency_days > r[3] THEN 2 WHEN recency_days > r[2] THEN 3 WHEN recency_days > r[1] THEN 4 ELSE 5 END,
              CASE WHEN frequency > f[4] THEN 5 WHEN frequency > f[3] THEN 4 WHEN frequency > f[2] THEN 3 WHEN frequency > f[1] THEN 2 ELSE 1 END,
              CASE WHEN monetary > m[4] THEN 5 WHEN monetary > m[3] THEN 4 WHEN monetary > m[2] THEN 3 WHEN monetary > m[1] THEN 2 ELSE 1 END)
       END AS cell
FROM rfm_cust c, rfm_ref;
SELECT count(*) AS score_mismatches
FROM rfm_cust c JOIN rfm_ref_scores s USING (customer_id), rfm_thr
WHERE rfm_score(t, c.recency_days, c.frequency, c.monetary)::text IS DISTINCT FROM s.cell;
SELECT rfm_score(t, c.recency_days, c.frequency, c.monetary) AS cell, count(*)
FROM rfm_cust c, rfm_thr GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5;
-- ties share a score, so quintiles are uneven where values repeat
SELECT f_score(rfm_score(t, c.recency_days, c.frequency, c.monetary)) AS f, min(c.frequency), max(c.frequency), count(*)
FROM rfm_cust c, rfm_thr WHERE c.frequency IS NOT NULL AND c.recency_days IS NOT NULL AND c.monetary IS NOT NULL
GROUP BY 1 ORDER BY 1;

-- per group (hash and sort aggregation) against percentile_cont per group
SELECT count(*) AS groups_differing FROM (
  SELECT region, rfm_thresholds_agg(recency_days, frequency, monetary) AS t FROM rfm_cust GROUP BY region) a
FULL JOIN (
  SELECT region,
         percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY recency_days) AS r,
         percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY frequency) AS f,
         percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY monetary) AS m
  FROM rfm_cust GROUP BY region) b USING (region)
WHERE pg_temp.cuts(a.t, 'recency_days') IS DISTINCT FROM b.r
   OR pg_temp.cuts(a.t, 'frequency') IS DISTINCT FROM b.f
   OR pg_temp.cuts(a.t, 'monetary') IS DISTINCT FROM b.m;
SET enable_hashagg = off;
SELECT count(*) AS sorted_groups_differing FROM (
  SELECT region, rfm_thresholds_agg(recency_days, frequency, monetary)::text AS t FROM rfm_cust GROUP BY region) a
JOIN (SELECT region, rfm_thresholds_agg(recency_days, frequency, monetary)::text AS t
      FROM (SELECT * FROM rfm_cust ORDER BY customer_id DESC) x GROUP BY region) b USING (region)
WHERE a.t <> b.t;
RESET enable_hashagg;

-- forced parallel plan (partial aggregation, serialize/combine/deserialize)
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT rfm_thresholds_agg(recency_days, frequency, monetary) FROM rfm_cust;
SELECT pg_temp.cuts(t, 'recency_days') = r AS r_equal, pg_temp.cuts(t, 'frequency') = f AS f_equal,
       pg_temp.cuts(t, 'monetary') = m AS m_equal
FROM (SELECT rfm_thresholds_agg(recency_days, frequency, monetary) AS t FROM rfm_cust) a, rfm_ref;
SELECT (SELECT rfm_thresholds_agg(recency_days, frequency, monetary) FROM rfm_cust)::text = t::text AS parallel_equals_serial FROM rfm_thr;
SELECT count(*) AS parallel_score_mismatches
FROM rfm_cust c JOIN rfm_ref_scores s USING (customer_id), rfm_thr
WHERE rfm_score(t, c.recency_days, c.frequency, c.monetary)::text IS DISTINCT FROM s.cell;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- partitionwise aggregation: the combine function joins the partitions' states
CREATE TABLE rfm_part (LIKE rfm_cust) PARTITION BY HASH (customer_id);
CREATE TABLE rfm_part_0 PARTITION OF rfm_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE rfm_part_1 PARTITION OF rfm_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE rfm_part_2 PARTITION OF rfm_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO rfm_part SELECT * FROM rfm_cust;
ANALYZE rfm_part;
SET enable_partitionwise_aggregate = on;
SELECT rfm_thresholds_agg(recency_days, frequency, monetary)::text = (SELECT t::text FROM rfm_thr) AS partitionwise_equal FROM rfm_part;
RESET enable_partitionwise_aggregate;

-- stored thresholds: text and binary COPY round trip; score next month's customers the same way
CREATE TABLE rfm_thr_copy (t rfm_thresholds);
\copy rfm_thr TO 'results/rfm_thr.bin' (FORMAT binary)
\copy rfm_thr_copy FROM 'results/rfm_thr.bin' (FORMAT binary)
\copy rfm_thr TO 'results/rfm_thr.txt'
\copy rfm_thr_copy FROM 'results/rfm_thr.txt'
SELECT count(*) AS copies, count(*) FILTER (WHERE c.t::text = o.t::text) AS equal FROM rfm_thr_copy c, rfm_thr o;
SELECT rfm_score(t, 3, 12, 5000) AS new_customer FROM rfm_thr_copy LIMIT 1;

-- crafted binary thresholds: truncated, wrong version, decreasing cuts, zero count
CREATE TABLE rfm_thr_raw (b bytea);
INSERT INTO rfm_thr_raw SELECT substr(rfm_thresholds_send(t), 1, 50) FROM rfm_thr;
\copy rfm_thr_raw TO 'results/rfm_thr_raw.bin' (FORMAT binary)
\copy rfm_thr_copy FROM 'results/rfm_thr_raw.bin' (FORMAT binary)
TRUNCATE rfm_thr_raw;
INSERT INTO rfm_thr_raw SELECT '\x02' || substr(rfm_thresholds_send(t), 2) FROM rfm_thr;
\copy rfm_thr_raw TO 'results/rfm_thr_raw.bin' (FORMAT binary)
\copy rfm_thr_copy FROM 'results/rfm_thr_raw.bin' (FORMAT binary)
TRUNCATE rfm_thr_raw;
INSERT INTO rfm_thr_raw SELECT '\x01' || '\x000000000000000a'::bytea
   || float8send(4) || float8send(3) || float8send(2) || float8send(1)
   || substr(rfm_thresholds_send(t), 42) FROM rfm_thr;
\copy rfm_thr_raw TO 'results/rfm_thr_raw.bin' (FORMAT binary)
\copy rfm_thr_copy FROM 'results/rfm_thr_raw.bin' (FORMAT binary)
TRUNCATE rfm_thr_raw;
INSERT INTO rfm_thr_raw SELECT '\x01' || '\x0000000000000000'::bytea || substr(rfm_thresholds_send(t), 10) FROM rfm_thr;
\copy rfm_thr_raw TO 'results/rfm_thr_raw.bin' (FORMAT binary)
\copy rfm_thr_copy FROM 'results/rfm_thr_raw.bin' (FORMAT binary)

DROP TABLE rfm_cust CASCADE;
DROP TABLE rfm_cells, rfm_idx, rfm_copy, rfm_raw, rfm_thr, rfm_part, rfm_thr_copy, rfm_thr_raw;
