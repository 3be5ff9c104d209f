-- repeat_histories: the distinct customer histories with counts that
-- bgnbd_fit and gamma_gamma_fit fit, as a stored type (issue 19 item 2).
-- The fits from the stored histories must equal the aggregates over the
-- rows exactly, serially, in parallel, partitionwise and through rollup.
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
CREATE FUNCTION pg_temp.u(i int, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (abs(hashint8(i::int8 * 7919 + salt)) % 1000000007)::float8 / 1000000007 $$;

-- 10,000 customers simulated from BG/NBD with r = 1, alpha = 8, a = 1,
-- b = 3 (exponential rates, beta(1, 3) drop-out, both closed-form
-- draws): T 30..329 days, recency in whole days; spend per repeat
-- purchase the mean of Gamma(6, nu) draws, nu ~ Gamma(4, 1/15) (sums of
-- exponentials); some NULLs
CREATE TABLE rh_cust AS
SELECT i, 30 + floor(pg_temp.u(i, 2) * 300) AS t, -ln(1 - pg_temp.u(i, 1)) / 8 AS lam,
       floor(ln(1 - pg_temp.u(i, 4)) / ln((1 - pg_temp.u(i, 3)) ^ (1 / 3.0))) + 1 AS d,
       (SELECT sum(-ln(1 - pg_temp.u(i * 8 + k, 6))) FROM generate_series(1, 4) k) / 15 AS nu
FROM generate_series(1, 10000) i;
CREATE TABLE rh_c AS
SELECT i, i % 5 AS g, CASE WHEN i % 97 = 0 THEN NULL ELSE x END AS x, ceil(tx) AS tx, t,
       CASE WHEN x = 0 AND i % 3 = 0 THEN NULL WHEN x = 0 THEN 0
            ELSE round(((SELECT sum(-ln(1 - pg_temp.u(i * 64 + k, 7))) FROM generate_series(1, 6 * least(x, 8)::int) k) / nu / least(x, 8))::numeric, 2)::float8 END AS m
FROM (SELECT c.i, c.t, c.nu, count(*) FILTER (WHERE k <= d AND tk <= c.t)::float8 AS x,
             coalesce(max(tk) FILTER (WHERE k <= d AND tk <= c.t), 0) AS tx
      FROM rh_cust c, LATERAL (SELECT k, sum(-ln(1 - pg_temp.u(c.i * 64 + k, 5)) / c.lam) OVER (ORDER BY k) AS tk
                               FROM generate_series(1, 40) k) p
      GROUP BY c.i, c.t, c.nu) s;
SELECT count(*) AS customers, count(*) FILTER (WHERE x = 0) AS no_repeat, count(DISTINCT (x, tx, t)) AS distinct_histories,
       count(DISTINCT (x, m)) FILTER (WHERE x > 0) AS distinct_spend
FROM rh_c;

-- the histories against plain SQL: the distinct (x, tx, T) with counts, in order
SELECT (repeat_histories_agg(x, tx, t))::text
       = (SELECT '{"version": 1, "kind": "bgnbd", "skipped": ' || (SELECT count(*) FROM rh_c WHERE x IS NULL)
                 || ', "histories": [' || string_agg(format('[%s,%s,%s,%s]', x, tx, t, n), ',' ORDER BY x, tx, t) || ']}'
          FROM (SELECT x, tx, t, count(*) n FROM rh_c WHERE x IS NOT NULL GROUP BY 1, 2, 3) d) AS bgnbd_histories_equal_sql,
       (spend_histories_agg(x, m))::text
       = (SELECT '{"version": 1, "kind": "gamma_gamma", "skipped": ' || (SELECT count(*) FROM rh_c WHERE x IS NULL OR m IS NULL OR x = 0)
                 || ', "histories": [' || string_agg(format('[%s,%s,%s]', x, m, n), ',' ORDER BY x, m) || ']}'
          FROM (SELECT x, m, count(*) n FROM rh_c WHERE x > 0 AND m IS NOT NULL GROUP BY 1, 2) d) AS spend_histories_equal_sql
FROM rh_c;
SELECT (histories_info(repeat_histories_agg(x, tx, t))).*, (SELECT count(*) FROM rh_c WHERE x IS NOT NULL) AS customers_sql FROM rh_c;
SELECT (histories_info(spend_histories_agg(x, m))).*, (SELECT count(*) FROM rh_c WHERE x > 0 AND m IS NOT NULL) AS customers_sql FROM rh_c;

-- the fits: the same models as the aggregates over the rows, every field
CREATE TABLE rh_fits AS
SELECT bgnbd_fit(x, tx, t) AS b_rows, bgnbd_fit(repeat_histories_agg(x, tx, t)) AS b_hist,
       bgnbd_fit(x, tx, t, 0.01) AS b_rows_l2, bgnbd_fit(repeat_histories_agg(x, tx, t), 0.01) AS b_hist_l2,
       gamma_gamma_fit(x, m) AS g_rows, gamma_gamma_fit(spend_histories_agg(x, m)) AS g_hist,
       gamma_gamma_fit(x, m, 0.001) AS g_rows_l2, gamma_gamma_fit(spend_histories_agg(x, m), 0.001) AS g_hist_l2
FROM rh_c;
SELECT b_rows::text = b_hist::text AS bgnbd_equal, b_rows_l2::text = b_hist_l2::text AS bgnbd_l2_equal,
       g_rows::text = g_hist::text AS gg_equal, g_rows_l2::text = g_hist_l2::text AS gg_l2_equal,
       bgnbd_params(b_rows) = bgnbd_params(b_hist) AS bgnbd_params_equal,
       gamma_gamma_params(g_rows) = gamma_gamma_params(g_hist) AS gg_params_equal
FROM rh_fits;
SELECT round(r::numeric, 4) AS r, round(alpha::numeric, 3) AS alpha, round(a::numeric, 4) AS a, round(b::numeric, 4) AS b,
       customers, skipped, converged
FROM rh_fits, bgnbd_params(b_hist);
SELECT round(p::numeric, 4) AS p, round(q::numeric, 4) AS q, round(v::numeric, 3) AS v, customers, skipped, converged
FROM rh_fits, gamma_gamma_params(g_hist);

-- the order of the rows does not matter
SELECT (SELECT repeat_histories_agg(x, tx, t ORDER BY hashint4(i)) FROM rh_c)::text = (SELECT repeat_histories_agg(x, tx, t) FROM rh_c)::text AS order_free,
       (SELECT spend_histories_agg(x, m ORDER BY i DESC) FROM rh_c) = (SELECT spend_histories_agg(x, m) FROM rh_c) AS order_free_gg;

-- grouped: each group's fit from histories equals the group's fit over rows
SELECT g, bgnbd_fit(x, tx, t)::text = bgnbd_fit(repeat_histories_agg(x, tx, t))::text AS bgnbd_equal,
       gamma_gamma_fit(x, m)::text = gamma_gamma_fit(spend_histories_agg(x, m))::text AS gg_equal
FROM rh_c GROUP BY g ORDER BY g;

-- rollup of stored per-group states: the same histories and fits
CREATE TABLE rh_states AS
SELECT g, repeat_histories_agg(x, tx, t) AS h, spend_histories_agg(x, m) AS s FROM rh_c GROUP BY g;
SELECT rollup(h)::text = (SELECT repeat_histories_agg(x, tx, t) FROM rh_c)::text AS rollup_equal,
       bgnbd_fit(rollup(h))::text = (SELECT bgnbd_fit(x, tx, t) FROM rh_c)::text AS rollup_fit_equal,
       gamma_gamma_fit(rollup(s))::text = (SELECT gamma_gamma_fit(x, m) FROM rh_c)::text AS rollup_gg_fit_equal,
       (histories_info(rollup(h))).skipped AS skipped
FROM rh_states;
SELECT rollup(h ORDER BY g DESC) = rollup(h ORDER BY g) AS rollup_order_free FROM rh_states;

-- parallel query forced, and partitionwise over a partitioned table
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT repeat_histories_agg(x, tx, t) FROM rh_c;
SELECT (SELECT bgnbd_fit(repeat_histories_agg(x, tx, t)) FROM rh_c)::text = (SELECT b_rows FROM rh_fits)::text AS parallel_bgnbd_equal,
       (SELECT gamma_gamma_fit(spend_histories_agg(x, m)) FROM rh_c)::text = (SELECT g_rows FROM rh_fits)::text AS parallel_gg_equal,
       (SELECT bgnbd_fit(x, tx, t) FROM rh_c)::text = (SELECT b_rows FROM rh_fits)::text AS parallel_rows_equal;
CREATE TABLE rh_parts (LIKE rh_c) PARTITION BY LIST (g);
CREATE TABLE rh_parts_a PARTITION OF rh_parts FOR VALUES IN (0, 1);
CREATE TABLE rh_parts_b PARTITION OF rh_parts FOR VALUES IN (2, 3, 4);
INSERT INTO rh_parts SELECT * FROM rh_c;
ANALYZE rh_parts;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT repeat_histories_agg(x, tx, t) FROM rh_parts;
SELECT (SELECT repeat_histories_agg(x, tx, t) FROM rh_parts)::text = (SELECT repeat_histories_agg(x, tx, t) FROM rh_c)::text AS partitioned_equal,
       (SELECT bgnbd_fit(repeat_histories_agg(x, tx, t)) FROM rh_parts)::text = (SELECT b_rows FROM rh_fits)::text AS partitioned_bgnbd_equal,
       (SELECT gamma_gamma_fit(spend_histories_agg(x, m)) FROM rh_parts)::text = (SELECT g_rows FROM rh_fits)::text AS partitioned_gg_equal;
-- rollup of the per-partition states
SELECT bgnbd_fit(rollup(h))::text = (SELECT b_rows FROM rh_fits)::text AS partition_states_equal
FROM (SELECT tableoid, repeat_histories_agg(x, tx, t) h FROM rh_parts GROUP BY tableoid) p;
RESET enable_partitionwise_aggregate;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- text and binary round trips, = and hash
SELECT '{"version": 1, "kind": "bgnbd", "skipped": 2, "histories": [[0,0,30,3],[1,2.5,30,1],[2,10,31,2]]}'::repeat_histories;
SELECT '{ "kind" : "gamma_gamma", "version":1, "skipped":0, "histories":[ [1, 9.99, 2], [3, 1e2, 1] ] }'::repeat_histories;
SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0, "histories": [[-0,0,30,1]]}'::repeat_histories;
SELECT count(*) AS text_mismatches FROM rh_states WHERE h::text::repeat_histories::text <> h::text OR s::text::repeat_histories::text <> s::text
   OR h::text::repeat_histories <> h;
SELECT count(*) AS distinct_states FROM (SELECT h, s FROM rh_states UNION SELECT h, s FROM rh_states UNION SELECT h::text::repeat_histories, s FROM rh_states) x;
CREATE TABLE rh_copy (g int, h repeat_histories, s repeat_histories);
\copy rh_states TO 'results/rh_states.bin' (FORMAT binary)
\copy rh_copy FROM 'results/rh_states.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM rh_states a FULL JOIN rh_copy b USING (g)
WHERE a.h::text IS DISTINCT FROM b.h::text OR a.s::text IS DISTINCT FROM b.s::text;

-- crafted binary through binary COPY of a bytea column: version, kind,
-- skipped (int8), n (int4), per history 3 or 2 float8 and a count (int8)
CREATE TABLE rh_raw (k int, b bytea);
CREATE TABLE rh_recv (h repeat_histories);
CREATE FUNCTION pg_temp.bg(x float8, tx float8, t float8, n int8) RETURNS bytea LANGUAGE sql AS
$$ SELECT float8send(x) || float8send(tx) || float8send(t) || int8send(n) $$;
INSERT INTO rh_raw VALUES
  (1, '\x0101'::bytea || int8send(0) || int4send(1) || pg_temp.bg(1, 5, 10, 1)),                                  -- valid
  (2, '\x0201'::bytea || int8send(0) || int4send(1) || pg_temp.bg(1, 5, 10, 1)),                                  -- version
  (3, '\x0103'::bytea || int8send(0) || int4send(1) || pg_temp.bg(1, 5, 10, 1)),                                  -- kind
  (4, '\x0101'::bytea || int8send(-1) || int4send(1) || pg_temp.bg(1, 5, 10, 1)),                                 -- skipped
  (5, '\x0101'::bytea || int8send(0) || int4send(2) || pg_temp.bg(1, 5, 10, 1)),                                  -- truncated
  (6, '\x0101'::bytea || int8send(0) || int4send(2) || pg_temp.bg(1, 5, 10, 1) || pg_temp.bg(0, 0, 10, 1)),       -- order
  (7, '\x0101'::bytea || int8send(0) || int4send(2) || pg_temp.bg(1, 5, 10, 1) || pg_temp.bg(1, 5, 10, 1)),       -- duplicate
  (8, '\x0101'::bytea || int8send(0) || int4send(1) || pg_temp.bg(1, 20, 10, 1)),                                 -- recency > T
  (9, '\x0101'::bytea || int8send(0) || int4send(1) || pg_temp.bg(1, 'NaN', 10, 1)),                              -- NaN
  (10, '\x0101'::bytea || int8send(0) || int4send(1) || pg_temp.bg('-0', 0, 10, 1)),                              -- -0
  (11, '\x0101'::bytea || int8send(0) || int4send(1) || pg_temp.bg(1, 5, 10, 0)),                                 -- count 0
  (12, '\x0101'::bytea || int8send(0) || int4send(2) || pg_temp.bg(1, 5, 10, 4611686018427387904) || pg_temp.bg(2, 5, 10, 4611686018427387904)), -- counts overflow
  (13, '\x0102'::bytea || int8send(0) || int4send(1) || float8send(0) || float8send(5) || int8send(1)),          -- Gamma-Gamma with frequency 0
  (14, '\x0102'::bytea || int8send(0) || int4send(1) || float8send(2) || float8send(5) || int8send(1) || '\x00'::bytea), -- trailing byte
  (15, '\x0101'::bytea || int8send(0) || int4send(-1)),                                                          -- negative n
  (16, '\x01'::bytea);                                                                                           -- truncated header
\set VERBOSITY default
\copy (SELECT b FROM rh_raw WHERE k = 1) TO 'results/rh_1.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_1.bin' (FORMAT binary)
SELECT h FROM rh_recv;
\copy (SELECT b FROM rh_raw WHERE k = 2) TO 'results/rh_2.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_2.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 3) TO 'results/rh_3.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_3.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 4) TO 'results/rh_4.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_4.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 5) TO 'results/rh_5.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_5.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 6) TO 'results/rh_6.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_6.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 7) TO 'results/rh_7.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_7.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 8) TO 'results/rh_8.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_8.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 9) TO 'results/rh_9.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_9.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 10) TO 'results/rh_10.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_10.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 11) TO 'results/rh_11.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_11.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 12) TO 'results/rh_12.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_12.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 13) TO 'results/rh_13.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_13.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 14) TO 'results/rh_14.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_14.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 15) TO 'results/rh_15.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_15.bin' (FORMAT binary)
\copy (SELECT b FROM rh_raw WHERE k = 16) TO 'results/rh_16.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_16.bin' (FORMAT binary)
-- each of them is 22P03
\set VERBOSITY sqlstate
\copy rh_recv FROM 'results/rh_2.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_5.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_8.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_12.bin' (FORMAT binary)
\copy rh_recv FROM 'results/rh_16.bin' (FORMAT binary)
\set VERBOSITY default
SELECT count(*) AS accepted FROM rh_recv;

-- bad text: 22P02 with the reason and a hint
SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0, "histories": [[1,5,10,1],[0,0,10,1]]}'::repeat_histories;
SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0, "histories": [[1,20,10,1]]}'::repeat_histories;
SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0, "histories": [[1,5,10]]}'::repeat_histories;
SELECT '{"version": 1, "kind": "gamma_gamma", "skipped": 0, "histories": [[0,5,1]]}'::repeat_histories;
SELECT '{"version": 1, "histories": [], "kind": "bgnbd", "skipped": 0}'::repeat_histories;
SELECT '{"version": 2, "kind": "bgnbd", "skipped": 0, "histories": []}'::repeat_histories;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0, "histories": [[1,5,10,1],[1,5,10,2]]}'::repeat_histories$q$),
  ($q$SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0, "histories": [[1,5,10,0]]}'::repeat_histories$q$),
  ($q$SELECT '{"version": 1, "kind": "bgnbd", "skipped": -1, "histories": []}'::repeat_histories$q$),
  ($q$SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0, "histories": [[1,5,1e400,1]]}'::repeat_histories$q$),
  ($q$SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0, "histories": [[1,5,10,1,1]]}'::repeat_histories$q$),
  ($q$SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0, "histories": [[1,5,10,1.5]]}'::repeat_histories$q$),
  ($q$SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0, "histories": [[1,5,10,9223372036854775807],[2,5,10,1]]}'::repeat_histories$q$),
  ($q$SELECT '{"version": 1, "kind": "beta", "skipped": 0, "histories": []}'::repeat_histories$q$),
  ($q$SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0}'::repeat_histories$q$),
  ($q$SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0, "histories": [], "x": 1}'::repeat_histories$q$),
  ($q$SELECT '{"version": 1, "kind": "bgnbd", "skipped": 0, "histories": []} x'::repeat_histories$q$),
  ($q$SELECT ''::repeat_histories$q$)) v(q);
-- the aggregates' errors: the same rules, reasons and hints as the fits
SELECT repeat_histories_agg(1, 0, 10);
SELECT repeat_histories_agg(1, 'NaN', 10);
SELECT repeat_histories_agg(2e9, 1, 10);
SELECT spend_histories_agg(1, -5);
SELECT spend_histories_agg(0, 'NaN');
SELECT bgnbd_fit(1, 0, 10);
SELECT gamma_gamma_fit(1, -5);
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT repeat_histories_agg(1, 0, 10)$q$),
  ($q$SELECT repeat_histories_agg(1, 11, 10)$q$),
  ($q$SELECT repeat_histories_agg(1.5, 1, 10)$q$),
  ($q$SELECT repeat_histories_agg('Infinity', 1, 10)$q$),
  ($q$SELECT spend_histories_agg(1, 0)$q$),
  ($q$SELECT spend_histories_agg(-1, 5)$q$),
  ($q$SELECT spend_histories_agg(0, 'Infinity')$q$),
  ($q$SELECT repeat_histories_trans(NULL, 1, 1, 1)$q$),
  ($q$SELECT repeat_histories_combine(h, h) FROM rh_states$q$)) v(q);

-- the fits' errors: the same as the aggregates over the same rows
SELECT bgnbd_fit(x, tx, t) FROM rh_c WHERE i <= 3;
SELECT bgnbd_fit(repeat_histories_agg(x, tx, t)) FROM rh_c WHERE i <= 3;
SELECT bgnbd_fit(x, tx, t) FROM rh_c WHERE x = 0;
SELECT bgnbd_fit(repeat_histories_agg(x, tx, t)) FROM rh_c WHERE x = 0;
SELECT gamma_gamma_fit(x, m) FROM rh_c WHERE x = 0;
SELECT gamma_gamma_fit(spend_histories_agg(x, m)) FROM rh_c WHERE x = 0;
SELECT bgnbd_fit(h, NULL) FROM rh_states WHERE g = 0;
SELECT bgnbd_fit(x, tx, t, NULL) FROM rh_c;
SELECT bgnbd_fit(h, -1) FROM rh_states WHERE g = 0;
SELECT gamma_gamma_fit(s, 'NaN') FROM rh_states WHERE g = 0;
SELECT bgnbd_fit(s) FROM rh_states WHERE g = 0;
SELECT gamma_gamma_fit(h) FROM rh_states WHERE g = 0;
SELECT rollup(v) FROM (SELECT h FROM rh_states WHERE g = 0 UNION ALL SELECT s FROM rh_states WHERE g = 0) x(v);
-- adversarial values: the same error from the rows and from the histories
CREATE TABLE rh_big AS SELECT i, 1 + i % 3 AS x, 1e300 * (1 + i % 7) AS tx, 1e300 * 8 AS t, 1e300 + i AS m FROM generate_series(1, 50) i;
SELECT bgnbd_fit(x, tx, t) FROM rh_big;
SELECT bgnbd_fit(repeat_histories_agg(x, tx, t)) FROM rh_big;
SELECT gamma_gamma_fit(x, m)::text = gamma_gamma_fit(spend_histories_agg(x, m))::text AS huge_spend_same FROM rh_big;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT bgnbd_fit(x, tx, t) FROM rh_c WHERE i <= 3$q$),
  ($q$SELECT bgnbd_fit(repeat_histories_agg(x, tx, t)) FROM rh_c WHERE i <= 3$q$),
  ($q$SELECT bgnbd_fit(repeat_histories_agg(x, tx, t)) FROM rh_c WHERE x = 0$q$),
  ($q$SELECT gamma_gamma_fit(spend_histories_agg(x, m)) FROM rh_c WHERE x = 0$q$),
  ($q$SELECT bgnbd_fit(h, NULL) FROM rh_states$q$),
  ($q$SELECT bgnbd_fit(h, -1) FROM rh_states$q$),
  ($q$SELECT bgnbd_fit(s) FROM rh_states$q$),
  ($q$SELECT rollup(v) FROM (SELECT h FROM rh_states UNION ALL SELECT s FROM rh_states) x(v)$q$),
  ($q$SELECT bgnbd_fit(x, tx, t) FROM rh_big$q$),
  ($q$SELECT bgnbd_fit(repeat_histories_agg(x, tx, t)) FROM rh_big$q$)) v(q);

-- NULLs: no rows is NULL, as the aggregates over no rows; all-NULL rows
-- are skipped (a BG/NBD fit of no customer is NULL, Gamma-Gamma's an ERROR)
SELECT repeat_histories_agg(x, tx, t) IS NULL AS no_rows, spend_histories_agg(x, m) IS NULL AS no_rows_gg,
       bgnbd_fit(repeat_histories_agg(x, tx, t)) IS NULL AS no_fit, bgnbd_fit(x, tx, t) IS NULL AS no_fit_rows
FROM rh_c WHERE false;
SELECT bgnbd_fit(NULL::repeat_histories) IS NULL AS null_fit, gamma_gamma_fit(NULL::repeat_histories, 0.1) IS NULL AS null_fit_l2,
       histories_info(NULL) IS NULL AS null_info;
SELECT repeat_histories_agg(x, tx, t), bgnbd_fit(repeat_histories_agg(x, tx, t)) IS NULL AS no_fit,
       bgnbd_fit(x, tx, t) IS NULL AS no_fit_rows
FROM (VALUES (NULL::float8, 1::float8, 2::float8), (1, NULL, 2), (1, 1, NULL)) v(x, tx, t);
SELECT spend_histories_agg(x, m) FROM (VALUES (NULL::float8, 5::float8), (0, 7), (2, NULL)) v(x, m);
SELECT gamma_gamma_fit(spend_histories_agg(x, m)) FROM (VALUES (NULL::float8, 5::float8), (0, 7), (2, NULL)) v(x, m);
SELECT gamma_gamma_fit(x, m) FROM (VALUES (NULL::float8, 5::float8), (0, 7), (2, NULL)) v(x, m);
SELECT rollup(h) IS NULL AS rollup_of_nulls FROM (VALUES (NULL::repeat_histories), (NULL)) v(h);

DROP TABLE rh_cust, rh_c, rh_fits, rh_states, rh_parts, rh_copy, rh_raw, rh_recv, rh_big;
