-- bgnbd_fit, bgnbd_model, p_alive, expected_purchases, expected_purchases_new,
-- prob_purchases: fits on seeded simulated data, plain-SQL references,
-- published values, text and binary I/O, errors.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

-- A seeded BG/NBD simulator: lambda ~ Gamma(r, alpha), p ~ Beta(a, b);
-- purchases are Poisson(lambda) while alive; after each purchase the
-- customer drops out with probability p.
CREATE FUNCTION pg_temp.rgamma(k float8) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	d float8; c float8; x float8; v float8;
BEGIN
	IF k < 1 THEN
		RETURN pg_temp.rgamma(k + 1) * power(1 - random(), 1.0 / k);
	END IF;
	d := k - 1.0 / 3;
	c := 1.0 / sqrt(9 * d);
	LOOP
		LOOP
			x := sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random());
			v := 1 + c * x;
			EXIT WHEN v > 0;
		END LOOP;
		v := v * v * v;
		IF ln(1 - random()) < 0.5 * x * x + d - d * v + d * ln(v) THEN
			RETURN d * v;
		END IF;
	END LOOP;
END $$;
CREATE FUNCTION pg_temp.bg_sim(r float8, alpha float8, a float8, b float8, t_end float8,
	OUT x int, OUT tx float8) LANGUAGE plpgsql AS $$
DECLARE
	lam float8 := pg_temp.rgamma(r) / alpha;
	ga float8 := pg_temp.rgamma(a);
	p float8 := ga / (ga + pg_temp.rgamma(b));
	t float8 := 0;
BEGIN
	x := 0;
	tx := 0;
	LOOP
		t := t - ln(1 - random()) / lam;
		EXIT WHEN t > t_end;
		x := x + 1;
		tx := greatest(round(t::numeric, 2)::float8, 0.01);
		EXIT WHEN random() < p;
	END LOOP;
END $$;

-- 20,000 customers, true r = 0.6, alpha = 12, a = 0.7, b = 3; ages 20..69
SELECT setseed(0.5);
CREATE TABLE bgnbd_sim AS
SELECT i AS customer_id, (20 + i % 50)::float8 AS t, (s).x::float8 AS x, (s).tx AS tx
FROM (SELECT i, pg_temp.bg_sim(0.6, 12, 0.7, 3, 20 + i % 50) s FROM generate_series(1, 20000) i) g;
ANALYZE bgnbd_sim;
SELECT count(*) AS customers, count(*) FILTER (WHERE x = 0) AS no_repeat, sum(x) AS repeat_purchases,
       count(DISTINCT (x, tx, t)) AS distinct_histories
FROM bgnbd_sim;

-- the fit recovers the true parameters
CREATE TABLE bgnbd_fitted AS SELECT bgnbd_fit(x, tx, t) AS m FROM bgnbd_sim;
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 3) AS alpha, round(a::numeric, 3) AS a,
       round(b::numeric, 3) AS b, round(log_likelihood::numeric, 3) AS log_likelihood,
       customers, skipped, converged, l2,
       abs(r / 0.6 - 1) < 0.1 AS r_ok, abs(alpha / 12 - 1) < 0.15 AS alpha_ok,
       abs(a / 0.7 - 1) < 0.25 AS a_ok, abs(b / 3 - 1) < 0.3 AS b_ok
FROM bgnbd_fitted, bgnbd_params(m);

-- plain-SQL reference log-likelihood (no lgamma in SQL: the gamma ratios
-- are products over the purchases) on the distinct histories
CREATE FUNCTION pg_temp.bg_ll_ref(r float8, al float8, a float8, b float8) RETURNS float8
LANGUAGE sql AS $$
	SELECT sum(n * (lg + r * ln(al) + greatest(a3, a4) + ln(1 + exp(greatest(-700, -abs(a3 - a4))))))
	FROM (SELECT n, x,
	             (SELECT coalesce(sum(ln(r + j) + ln(b + j) - ln(a + b + j)), 0)
	              FROM generate_series(0, x::int - 1) j) AS lg,
	             -(r + x) * ln(al + t) AS a3,
	             CASE WHEN x > 0 THEN ln(a) - ln(b + x - 1) - (r + x) * ln(al + tx) ELSE -1e300 END AS a4
	      FROM (SELECT x, tx, t, count(*) AS n FROM bgnbd_sim GROUP BY x, tx, t) h) v
$$;
SELECT abs(pg_temp.bg_ll_ref(r, alpha, a, b) / log_likelihood - 1) < 1e-10 AS loglik_equals_reference
FROM bgnbd_fitted, bgnbd_params(m);
-- a maximum: moving any parameter by 0.1% either way lowers the reference likelihood
SELECT count(*) AS perturbations,
       count(*) FILTER (WHERE pg_temp.bg_ll_ref(r * f[1], alpha * f[2], a * f[3], b * f[4]) < log_likelihood) AS lower
FROM bgnbd_fitted, bgnbd_params(m),
     (VALUES (ARRAY[1.001, 1, 1, 1]), (ARRAY[0.999, 1, 1, 1]), (ARRAY[1, 1.001, 1, 1]), (ARRAY[1, 0.999, 1, 1]),
             (ARRAY[1, 1, 1.001, 1]), (ARRAY[1, 1, 0.999, 1]), (ARRAY[1, 1, 1, 1.001]), (ARRAY[1, 1, 1, 0.999])) p(f);

-- the same model in a forced parallel plan (the fit sorts its histories, so
-- the result is identical, not just close)
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT bgnbd_fit(x, tx, t) FROM bgnbd_sim;
SELECT bgnbd_fit(x, tx, t)::text = (SELECT m::text FROM bgnbd_fitted) AS parallel_identical FROM bgnbd_sim;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- partitionwise aggregation and the input order do not change the model
CREATE TABLE bgnbd_part (customer_id int, t float8, x float8, tx float8) PARTITION BY HASH (customer_id);
CREATE TABLE bgnbd_part_0 PARTITION OF bgnbd_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE bgnbd_part_1 PARTITION OF bgnbd_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE bgnbd_part_2 PARTITION OF bgnbd_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO bgnbd_part SELECT * FROM bgnbd_sim ORDER BY customer_id DESC;
SET enable_partitionwise_aggregate = on;
SELECT bgnbd_fit(x, tx, t)::text = (SELECT m::text FROM bgnbd_fitted) AS partitionwise_identical FROM bgnbd_part;
RESET enable_partitionwise_aggregate;
-- per group (hash and sort aggregation agree)
SET enable_hashagg = off;
CREATE TABLE bgnbd_groups AS SELECT customer_id % 2 AS g, bgnbd_fit(x, tx, t)::text AS m FROM bgnbd_sim GROUP BY 1;
RESET enable_hashagg;
SET enable_sort = off;
SELECT count(*) AS groups_differing FROM (SELECT customer_id % 2 AS g, bgnbd_fit(x, tx, t)::text AS m FROM bgnbd_sim GROUP BY 1) a
JOIN bgnbd_groups b USING (g) WHERE a.m <> b.m;
RESET enable_sort;

-- NULL rows are skipped and counted; an l2 penalty shrinks and lowers the likelihood
SELECT customers, skipped FROM bgnbd_params((SELECT bgnbd_fit(x, tx, t)
  FROM (SELECT x, tx, t FROM bgnbd_sim UNION ALL SELECT NULL, 1, 2 UNION ALL SELECT 1, NULL, 2) v));
SELECT round(p.r::numeric, 3) AS r, round(p.alpha::numeric, 3) AS alpha, round(p.a::numeric, 3) AS a,
       round(p.b::numeric, 3) AS b, p.l2, p.log_likelihood < q.log_likelihood AS lower_likelihood
FROM bgnbd_params((SELECT bgnbd_fit(x, tx, t, 0.01) FROM bgnbd_sim)) p,
     bgnbd_params((SELECT m FROM bgnbd_fitted)) q;
-- no rows, or only NULL rows: NULL
SELECT bgnbd_fit(x, tx, t) IS NULL AS empty_is_null FROM bgnbd_sim WHERE false;
SELECT bgnbd_fit(NULL, NULL, NULL) IS NULL AS null_rows_are_null FROM generate_series(1, 3);

-- p_alive against its formula in plain SQL (Fader, Hardie and Lee 2008 note)
SELECT count(*) AS customers,
       max(abs(p_alive(m, x, tx, t)::float8 -
           CASE WHEN x = 0 THEN 1
                ELSE 1 / (1 + (a / (b + x - 1)) * power((alpha + t) / (alpha + tx), r + x)) END)) < 1e-12 AS p_alive_equals_reference,
       bool_and(p_alive(m, x, tx, t) = 1) FILTER (WHERE x = 0) AS no_repeat_alive,
       bool_and(p_alive(m, x, tx, t) < 1) FILTER (WHERE x > 0 AND tx < t) AS repeat_below_one
FROM bgnbd_sim, bgnbd_fitted, bgnbd_params(m);

-- expected_purchases against eq. (10) with 2F1 summed as a series in SQL
CREATE FUNCTION pg_temp.hyp2f1_ref(a float8, b float8, c float8, z float8) RETURNS float8
LANGUAGE sql AS $$
	SELECT 1 + sum(CASE WHEN s > -700 THEN exp(s) ELSE 0 END)
	FROM (SELECT sum(ln(a + k) + ln(b + k) - ln(c + k) - ln(k + 1) + ln(z)) OVER (ORDER BY k) AS s
	      FROM generate_series(0, 600) k) t
$$;
SELECT count(*) AS customers,
       max(abs(expected_purchases(m, h, x, tx, t) / ref - 1)) < 1e-10 AS expected_equals_reference
FROM (SELECT m, s.x, s.tx, s.t, h,
             (a + b + s.x - 1) / (a - 1)
             * (1 - power((alpha + s.t) / (alpha + s.t + h), r + s.x)
                    * pg_temp.hyp2f1_ref(r + s.x, b + s.x, a + b + s.x - 1, h / (alpha + s.t + h)))
             / (1 + CASE WHEN s.x > 0 THEN a / (b + s.x - 1) * power((alpha + s.t) / (alpha + s.tx), r + s.x) ELSE 0 END) AS ref
      FROM bgnbd_sim s, bgnbd_fitted, bgnbd_params(m), (VALUES (1.0), (10.0), (52.0)) hz(h)
      WHERE s.customer_id % 97 = 0) v;

-- E[X(t)] and P(X(t) = n) for a new customer: the probabilities sum to 1 and
-- their mean is E[X(t)]; at T = 0 the conditional expectation is the same
SELECT round(sum(p)::numeric, 10) AS total_probability,
       abs(sum(n * p) / min(e_new) - 1) < 1e-9 AS mean_equals_expected,
       abs(min(e_cond) / min(e_new) - 1) < 1e-12 AS conditional_at_zero
FROM (SELECT n, prob_purchases(m, n, 30) AS p, expected_purchases_new(m, 30) AS e_new,
             expected_purchases(m, 30, 0, 0, 0) AS e_cond
      FROM bgnbd_fitted, generate_series(0, 300) n) d;
-- and against the simulated share of customers of age 30 with n repeat purchases
SELECT n, round(prob_purchases(m, n, 30)::numeric, 4) AS model,
       round((SELECT count(*) FILTER (WHERE x = n)::numeric / count(*) FROM bgnbd_sim WHERE t = 30), 4) AS observed
FROM bgnbd_fitted, generate_series(0, 4) n;

-- monotonicity: more horizon, more purchases; longer silence, lower p_alive
SELECT bool_and(expected_purchases(m, h + 1, 3, 10, 40) > expected_purchases(m, h, 3, 10, 40)) AS grows_with_horizon,
       bool_and(p_alive(m, 3, 39.5 - h / 2, 40) < p_alive(m, 3, 40 - h / 2, 40)) AS falls_with_silence,
       bool_and(expected_purchases_new(m, h + 1) > expected_purchases_new(m, h)) AS new_grows
FROM bgnbd_fitted, generate_series(0, 60) h;

-- CDNOW: the paper's parameters give its published prediction, 1.226
-- expected purchases in the next 39 weeks for x = 2, t_x = 30.43, T = 38.86
SELECT round(expected_purchases(m, 39, 2, 30.43, 38.86)::numeric, 3) AS paper_1_226,
       round(p_alive(m, 2, 30.43, 38.86)::numeric, 4) AS p_alive,
       round(expected_purchases_new(m, 39)::numeric, 4) AS new_39,
       round(prob_purchases(m, 0, 39)::numeric, 4) AS p0_39
FROM (SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}'::bgnbd_model AS m) v;
SELECT p_alive(m, 0, 0, 38.86) AS no_repeat, expected_purchases(m, 0, 2, 30.43, 38.86) AS zero_horizon,
       prob_purchases(m, 0, 0) AS p0_at_0, prob_purchases(m, 3, 0) AS p3_at_0
FROM (SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}'::bgnbd_model AS m) v;
-- NULL arguments: NULL
SELECT p_alive(NULL, 1, 1, 1), expected_purchases(m, NULL, 1, 1, 1), prob_purchases(m, NULL, 1)
FROM (SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}'::bgnbd_model AS m) v;

-- text form: JSON that round-trips; optional keys default
SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}'::bgnbd_model;
SELECT ' { "b" : 2.426 , "a": 0.793, "alpha": 4.414, "r": 0.243, "log_likelihood": -9582.4, "customers": 2357, "skipped": 0, "iterations": 12, "converged": true, "l2": 0.5 } '::bgnbd_model;
SELECT count(*) AS round_trip_failures FROM bgnbd_fitted WHERE m::text::bgnbd_model::text <> m::text;
SELECT * FROM bgnbd_params('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}');

-- SQLSTATE of each bad input (the messages and hints are shown below)
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT bgnbd_fit(x, tx, t) FROM (VALUES (-1, 0, 5)) v(x, tx, t)$q$),
  ($q$SELECT bgnbd_fit(x, tx, t) FROM (VALUES (1, 6, 5)) v(x, tx, t)$q$),
  ($q$SELECT bgnbd_fit(x, tx, t) FROM (VALUES (1.5, 1, 5)) v(x, tx, t)$q$),
  ($q$SELECT bgnbd_fit(x, tx, t) FROM (VALUES (1, 0, 5)) v(x, tx, t)$q$),
  ($q$SELECT bgnbd_fit(x, tx, t) FROM (VALUES (0, 1, 5)) v(x, tx, t)$q$),
  ($q$SELECT bgnbd_fit(x, tx, t) FROM (VALUES (1, 1, 'NaN'::float8)) v(x, tx, t)$q$),
  ($q$SELECT bgnbd_fit(x, tx, t) FROM (VALUES (1, 1, 'Infinity'::float8)) v(x, tx, t)$q$),
  ($q$SELECT bgnbd_fit(x, tx, t) FROM (VALUES (1, 1, 5), (0, 0, 5), (2, 3, 5)) v(x, tx, t)$q$),
  ($q$SELECT bgnbd_fit(0, 0, 10) FROM generate_series(1, 20)$q$),
  ($q$SELECT bgnbd_fit(1, 1, 5, -0.1) FROM generate_series(1, 20)$q$),
  ($q$SELECT bgnbd_fit(1, 1, 5, NULL) FROM generate_series(1, 20)$q$),
  ($q$SELECT bgnbd_fit(1, 1, 5, i * 0.1) FROM generate_series(1, 20) i$q$),
  ($q$SELECT '{"r": -0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}'::bgnbd_model$q$),
  ($q$SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793}'::bgnbd_model$q$),
  ($q$SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "c": 1}'::bgnbd_model$q$),
  ($q$SELECT '{"r": 0.243, "r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}'::bgnbd_model$q$),
  ($q$SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 0}'::bgnbd_model$q$),
  ($q$SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "customers": -1}'::bgnbd_model$q$),
  ($q$SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "converged": 1}'::bgnbd_model$q$),
  ($q$SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "l2": -1}'::bgnbd_model$q$),
  ($q$SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426'::bgnbd_model$q$),
  ($q$SELECT 'nonsense'::bgnbd_model$q$),
  ($q$SELECT expected_purchases('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', -1, 2, 30, 38)$q$),
  ($q$SELECT expected_purchases('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', 'NaN', 2, 30, 38)$q$),
  ($q$SELECT expected_purchases_new('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', 'Infinity')$q$),
  ($q$SELECT prob_purchases('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', -1, 39)$q$),
  ($q$SELECT p_alive('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', 2, 40, 38)$q$)) v(q);

\set VERBOSITY default
SELECT bgnbd_fit(x, tx, t) FROM (VALUES (1, 6, 5)) v(x, tx, t);
SELECT bgnbd_fit(x, tx, t) FROM (VALUES (1.5, 1, 5)) v(x, tx, t);
SELECT bgnbd_fit(x, tx, t) FROM (VALUES (1, 0, 5)) v(x, tx, t);
SELECT bgnbd_fit(x, tx, t) FROM (VALUES (1, 1, 5), (0, 0, 5), (2, 3, 5)) v(x, tx, t);
SELECT bgnbd_fit(0, 0, 10) FROM generate_series(1, 20);
SELECT bgnbd_fit(1, 1, 5, -0.1) FROM generate_series(1, 20);
SELECT '{"r": -0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}'::bgnbd_model;
SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793}'::bgnbd_model;
SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "c": 1}'::bgnbd_model;
SELECT expected_purchases('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', -1, 2, 30, 38);
SELECT prob_purchases('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', -1, 39);
SELECT p_alive('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', 2, 40, 38);
\set VERBOSITY terse
-- a degenerate sample (every repeat buyer still buying at the end): the
-- fit says it did not converge
SELECT converged FROM bgnbd_params((SELECT bgnbd_fit(x, CASE WHEN x > 0 THEN 10 ELSE 0 END, 10) FROM generate_series(0, 9) x));

-- binary COPY round trip of stored models
CREATE TABLE bgnbd_copy (m bgnbd_model);
\copy bgnbd_fitted TO 'results/bgnbd.bin' (FORMAT binary)
\copy bgnbd_copy FROM 'results/bgnbd.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM bgnbd_fitted a, bgnbd_copy b WHERE a.m::text <> b.m::text;
-- the wire layout: version 1, kind 1, converged, iterations, r, alpha, a, b, loglik, l2, customers, skipped
SELECT bgnbd_model_send('{"r": 0.5, "alpha": 2, "a": 0.25, "b": 4, "log_likelihood": -10, "customers": 7, "iterations": 3, "converged": true}');

-- crafted binary models: wrong version, wrong kind, truncated, negative parameter, NaN, bad flag
CREATE TABLE bgnbd_raw (b bytea);
CREATE TABLE bgnbd_recv (m bgnbd_model);
INSERT INTO bgnbd_raw VALUES (decode('02010100000003' || '3fe00000000000004000000000000000' || '3fd00000000000004010000000000000' || 'c0240000000000000000000000000000' || '00000000000000070000000000000000', 'hex'));
\copy bgnbd_raw TO 'results/bgnbd_raw.bin' (FORMAT binary)
\copy bgnbd_recv FROM 'results/bgnbd_raw.bin' (FORMAT binary)
TRUNCATE bgnbd_raw;
INSERT INTO bgnbd_raw VALUES (decode('01020100000003' || '3fe00000000000004000000000000000' || '3fd00000000000004010000000000000' || 'c0240000000000000000000000000000' || '00000000000000070000000000000000', 'hex'));
\copy bgnbd_raw TO 'results/bgnbd_raw.bin' (FORMAT binary)
\copy bgnbd_recv FROM 'results/bgnbd_raw.bin' (FORMAT binary)
TRUNCATE bgnbd_raw;
INSERT INTO bgnbd_raw VALUES (decode('01010100000003' || '3fe00000000000004000000000000000' || '3fd00000000000004010000000000000' || 'c0240000000000000000000000000000' || '000000000000000700000000', 'hex'));
\copy bgnbd_raw TO 'results/bgnbd_raw.bin' (FORMAT binary)
\copy bgnbd_recv FROM 'results/bgnbd_raw.bin' (FORMAT binary)
TRUNCATE bgnbd_raw;
INSERT INTO bgnbd_raw VALUES (decode('01010100000003' || 'bfe00000000000004000000000000000' || '3fd00000000000004010000000000000' || 'c0240000000000000000000000000000' || '00000000000000070000000000000000', 'hex'));
\copy bgnbd_raw TO 'results/bgnbd_raw.bin' (FORMAT binary)
\copy bgnbd_recv FROM 'results/bgnbd_raw.bin' (FORMAT binary)
TRUNCATE bgnbd_raw;
INSERT INTO bgnbd_raw VALUES (decode('01010100000003' || '7ff80000000000004000000000000000' || '3fd00000000000004010000000000000' || 'c0240000000000000000000000000000' || '00000000000000070000000000000000', 'hex'));
\copy bgnbd_raw TO 'results/bgnbd_raw.bin' (FORMAT binary)
\copy bgnbd_recv FROM 'results/bgnbd_raw.bin' (FORMAT binary)
TRUNCATE bgnbd_raw;
INSERT INTO bgnbd_raw VALUES (decode('01010200000003' || '3fe00000000000004000000000000000' || '3fd00000000000004010000000000000' || 'c0240000000000000000000000000000' || '00000000000000070000000000000000', 'hex'));
\copy bgnbd_raw TO 'results/bgnbd_raw.bin' (FORMAT binary)
\copy bgnbd_recv FROM 'results/bgnbd_raw.bin' (FORMAT binary)
-- and the good one is accepted
TRUNCATE bgnbd_raw;
INSERT INTO bgnbd_raw VALUES (decode('01010100000003' || '3fe00000000000004000000000000000' || '3fd00000000000004010000000000000' || 'c0240000000000000000000000000000' || '00000000000000070000000000000000', 'hex'));
\copy bgnbd_raw TO 'results/bgnbd_raw.bin' (FORMAT binary)
\copy bgnbd_recv FROM 'results/bgnbd_raw.bin' (FORMAT binary)
SELECT m FROM bgnbd_recv;


-- l2 must be the same on every row, with the same ERROR in every plan
CREATE TABLE bgnbd_l2 AS SELECT (i % 4)::float8 AS x, CASE WHEN i % 4 = 0 THEN 0 ELSE 1 + i % 30 END::float8 AS tx,
       40::float8 AS t, CASE WHEN i <= 10000 THEN 0.0 ELSE 0.5 END AS l2
FROM generate_series(1, 20000) i;
ANALYZE bgnbd_l2;
CREATE FUNCTION pg_temp.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT pg_temp.error_of('SELECT bgnbd_fit(x, tx, t, l2) FROM bgnbd_l2');
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT pg_temp.error_of('SELECT bgnbd_fit(x, tx, t, l2) FROM bgnbd_l2');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
DROP TABLE bgnbd_l2;

DROP TABLE bgnbd_sim, bgnbd_fitted, bgnbd_part, bgnbd_groups, bgnbd_copy, bgnbd_raw, bgnbd_recv;
