-- gamma_gamma_fit, gamma_gamma_model, expected_spend, clv: a fit on seeded
-- simulated spend, plain-SQL references, text and binary I/O, errors.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

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
-- mean of x spends, each Gamma(p, nu), with nu ~ Gamma(q, v)
CREATE FUNCTION pg_temp.gg_sim(p float8, q float8, v float8, x int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	nu float8 := pg_temp.rgamma(q) / v;
	s float8 := 0;
BEGIN
	FOR i IN 1 .. x LOOP
		s := s + pg_temp.rgamma(p) / nu;
	END LOOP;
	RETURN s / x;
END $$;

-- 6,000 customers: 5,000 with 1..6 repeat purchases (true p = 6, q = 4, v = 15)
-- and 1,000 without a repeat purchase (skipped by the fit)
SELECT setseed(0.25);
CREATE TABLE gamma_gamma_sim AS
SELECT i AS customer_id, x::float8 AS x,
       CASE WHEN x > 0 THEN round(pg_temp.gg_sim(6, 4, 15, x)::numeric, 2)::float8 ELSE 0 END AS m,
       (CASE WHEN x > 0 THEN 10 + i % 40 ELSE 0 END)::float8 AS tx, 52::float8 AS t
FROM (SELECT i, CASE WHEN i <= 5000 THEN 1 + i % 6 ELSE 0 END AS x FROM generate_series(1, 6000) i) g;
ANALYZE gamma_gamma_sim;

CREATE TABLE gamma_gamma_fitted AS SELECT gamma_gamma_fit(x, m) AS g FROM gamma_gamma_sim;
SELECT round(p::numeric, 3) AS p, round(q::numeric, 3) AS q, round(v::numeric, 3) AS v,
       round(log_likelihood::numeric, 3) AS log_likelihood, customers, skipped, converged,
       abs(p / 6 - 1) < 0.15 AS p_ok, abs(q / 4 - 1) < 0.2 AS q_ok, abs(v / 15 - 1) < 0.3 AS v_ok
FROM gamma_gamma_fitted, gamma_gamma_params(g);

-- plain-SQL reference log-likelihood, with log-gamma from Stirling's series
-- after shifting the argument above 10
CREATE FUNCTION pg_temp.lgamma(x float8) RETURNS float8 LANGUAGE sql AS $$
	SELECT (y - 0.5) * ln(y) - y + 0.5 * ln(2 * pi())
	       + 1 / (12 * y) - 1 / (360 * y ^ 3) + 1 / (1260 * y ^ 5) - 1 / (1680 * y ^ 7)
	       - (SELECT coalesce(sum(ln(x + j)), 0) FROM generate_series(0, k - 1) j)
	FROM (SELECT greatest(0, ceil(10 - x))::int AS k) s, LATERAL (SELECT x + k AS y) t
$$;
SELECT abs(pg_temp.lgamma(0.5) - ln(sqrt(pi()))) < 1e-11 AND abs(pg_temp.lgamma(30) - ln(8841761993739701954543616000000)) < 1e-11 AS lgamma_ref_ok;
CREATE FUNCTION pg_temp.gg_ll_ref(p float8, q float8, v float8) RETURNS float8 LANGUAGE sql AS $$
	SELECT sum(pg_temp.lgamma(p * x + q) - pg_temp.lgamma(p * x) - pg_temp.lgamma(q) + q * ln(v)
	           + (p * x - 1) * ln(m) + p * x * ln(x) - (p * x + q) * ln(x * m + v))
	FROM gamma_gamma_sim WHERE x > 0
$$;
SELECT abs(pg_temp.gg_ll_ref(p, q, v) / log_likelihood - 1) < 1e-11 AS loglik_equals_reference
FROM gamma_gamma_fitted, gamma_gamma_params(g);
SELECT count(*) AS perturbations,
       count(*) FILTER (WHERE pg_temp.gg_ll_ref(p * f[1], q * f[2], v * f[3]) < log_likelihood) AS lower
FROM gamma_gamma_fitted, gamma_gamma_params(g),
     (VALUES (ARRAY[1.001, 1, 1]), (ARRAY[0.999, 1, 1]), (ARRAY[1, 1.001, 1]),
             (ARRAY[1, 0.999, 1]), (ARRAY[1, 1, 1.001]), (ARRAY[1, 1, 0.999])) d(f);

-- forced parallel plan: identical model
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT gamma_gamma_fit(x, m) FROM gamma_gamma_sim;
SELECT gamma_gamma_fit(x, m)::text = (SELECT g::text FROM gamma_gamma_fitted) AS parallel_identical FROM gamma_gamma_sim;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- the input order does not matter either
SELECT gamma_gamma_fit(x, m ORDER BY customer_id DESC)::text = (SELECT g::text FROM gamma_gamma_fitted) AS order_independent
FROM gamma_gamma_sim;

-- NULLs are skipped and counted; a penalty lowers the likelihood
SELECT customers, skipped FROM gamma_gamma_params((SELECT gamma_gamma_fit(x, m)
  FROM (SELECT x, m FROM gamma_gamma_sim UNION ALL SELECT NULL, 5 UNION ALL SELECT 2, NULL) s));
SELECT p.l2, p.log_likelihood < q.log_likelihood AS lower_likelihood, p.converged
FROM gamma_gamma_params((SELECT gamma_gamma_fit(x, m, 0.001) FROM gamma_gamma_sim)) p,
     gamma_gamma_params((SELECT g FROM gamma_gamma_fitted)) q;
SELECT gamma_gamma_fit(x, m) IS NULL AS empty_is_null FROM gamma_gamma_sim WHERE false;

-- expected_spend against its formula: a weighted mean of the population mean
-- v p / (q - 1) and the customer's own mean
SELECT count(*) AS customers,
       max(abs(expected_spend(g, x, m) -
               ((1 - p * x / (p * x + q - 1)) * v * p / (q - 1) + p * x / (p * x + q - 1) * m))) < 1e-9 AS spend_equals_reference,
       bool_and(expected_spend(g, x, m) = v * p / (q - 1)) FILTER (WHERE x = 0) AS no_repeat_gets_population_mean
FROM gamma_gamma_sim, gamma_gamma_fitted, gamma_gamma_params(g);
-- shrinkage: the estimate lies between the customer's mean and the population mean
SELECT bool_and(expected_spend(g, x, m) BETWEEN least(m, v * p / (q - 1)) AND greatest(m, v * p / (q - 1))) AS shrinks
FROM gamma_gamma_sim, gamma_gamma_fitted, gamma_gamma_params(g) WHERE x > 0;
-- published CDNOW parameters (Fader and Hardie, p = 6.25, q = 3.74, v = 15.44)
SELECT round(expected_spend(g, 2, 22.35)::numeric, 4) AS customer_1, round(expected_spend(g, 0, 0)::numeric, 4) AS population_mean
FROM (SELECT '{"p": 6.25, "q": 3.74, "v": 15.44}'::gamma_gamma_model AS g) s;

-- clv: lifetimes' formula written out in SQL, month by month (30 days a month)
CREATE TABLE gamma_gamma_bg AS SELECT '{"r": 0.6, "alpha": 12, "a": 0.7, "b": 3}'::bgnbd_model AS b;
SELECT count(*) AS customers,
       max(abs(clv(b, g, x, tx, t, m, 12, 0.01) / ref - 1)) < 1e-12 AS clv_equals_reference
FROM (SELECT s.*, b, g,
             (SELECT sum(expected_spend(g, s.x, s.m)
                         * (expected_purchases(b, 30 * i, s.x, s.tx, s.t) - expected_purchases(b, 30 * (i - 1), s.x, s.tx, s.t))
                         / 1.01 ^ i)
              FROM generate_series(1, 12) i) AS ref
      FROM gamma_gamma_sim s, gamma_gamma_bg, gamma_gamma_fitted WHERE s.customer_id % 50 = 0) v;
SELECT round(clv(b, g, 2, 30.43, 38.86, 22.35, 12, 0.01, 'weeks')::numeric, 4) AS weeks,
       round(clv(b, g, 2, 30.43, 38.86, 22.35, 12, 0.01, 'WEEK')::numeric, 4) AS same,
       clv(b, g, 2, 30.43, 38.86, 22.35, 0, 0.01) AS zero_months,
       clv(b, g, 2, 30.43, 38.86, 22.35, 12, 0.05) < clv(b, g, 2, 30.43, 38.86, 22.35, 12, 0.01) AS discount_lowers,
       clv(b, g, 2, 30.43, 38.86, 22.35, 24, 0.01) > clv(b, g, 2, 30.43, 38.86, 22.35, 12, 0.01) AS longer_is_more
FROM (SELECT '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}'::bgnbd_model AS b,
             '{"p": 6.25, "q": 3.74, "v": 15.44}'::gamma_gamma_model AS g) s;
SELECT clv(NULL, g, 2, 30.43, 38.86, 22.35, 12, 0.01), expected_spend(g, NULL, 1)
FROM (SELECT '{"p": 6.25, "q": 3.74, "v": 15.44}'::gamma_gamma_model AS g) s;

-- text form round-trips
SELECT '{"p": 6.25, "q": 3.74, "v": 15.44}'::gamma_gamma_model;
SELECT count(*) AS round_trip_failures FROM gamma_gamma_fitted WHERE g::text::gamma_gamma_model::text <> g::text;
SELECT * FROM gamma_gamma_params('{"v": 15.44, "q": 3.74, "p": 6.25, "log_likelihood": -4055.9, "customers": 946, "skipped": 1411, "converged": true}');

CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT gamma_gamma_fit(x, m) FROM (VALUES (2, 0)) v(x, m)$q$),
  ($q$SELECT gamma_gamma_fit(x, m) FROM (VALUES (2, -5)) v(x, m)$q$),
  ($q$SELECT gamma_gamma_fit(x, m) FROM (VALUES (-2, 5)) v(x, m)$q$),
  ($q$SELECT gamma_gamma_fit(x, m) FROM (VALUES (2.5, 5)) v(x, m)$q$),
  ($q$SELECT gamma_gamma_fit(x, m) FROM (VALUES (2, 'NaN'::float8)) v(x, m)$q$),
  ($q$SELECT gamma_gamma_fit(x, m) FROM (VALUES (2, 'Infinity'::float8)) v(x, m)$q$),
  ($q$SELECT gamma_gamma_fit(x, m) FROM (VALUES (2, 5), (1, 7), (0, 0)) v(x, m)$q$),
  ($q$SELECT gamma_gamma_fit(2, 5, -1) FROM generate_series(1, 10)$q$),
  ($q$SELECT '{"p": 6.25, "q": -3.74, "v": 15.44}'::gamma_gamma_model$q$),
  ($q$SELECT '{"p": 6.25, "q": 3.74}'::gamma_gamma_model$q$),
  ($q$SELECT '{"p": 6.25, "q": 3.74, "v": 15.44, "r": 1}'::gamma_gamma_model$q$),
  ($q$SELECT '{"p": 6.25, "q": 3.74, "v": "15.44"}'::gamma_gamma_model$q$),
  ($q$SELECT expected_spend('{"p": 6.25, "q": 0.9, "v": 15.44}', 2, 20)$q$),
  ($q$SELECT expected_spend('{"p": 6.25, "q": 3.74, "v": 15.44}', 2, 0)$q$),
  ($q$SELECT clv('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', '{"p": 6.25, "q": 3.74, "v": 15.44}', 2, 30, 38, 20, -1, 0.01)$q$),
  ($q$SELECT clv('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', '{"p": 6.25, "q": 3.74, "v": 15.44}', 2, 30, 38, 20, 12, -1)$q$),
  ($q$SELECT clv('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', '{"p": 6.25, "q": 3.74, "v": 15.44}', 2, 30, 38, 20, 12, 0.01, 'fortnights')$q$),
  ($q$SELECT clv('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', '{"p": 6.25, "q": 3.74, "v": 15.44}', 2, 40, 38, 20, 12, 0.01)$q$)) v(q);

\set VERBOSITY default
SELECT gamma_gamma_fit(x, m) FROM (VALUES (2, 0)) v(x, m);
SELECT gamma_gamma_fit(x, m) FROM (VALUES (2, 5), (1, 7), (0, 0)) v(x, m);
SELECT '{"p": 6.25, "q": -3.74, "v": 15.44}'::gamma_gamma_model;
SELECT expected_spend('{"p": 6.25, "q": 0.9, "v": 15.44}', 2, 20);
SELECT clv('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', '{"p": 6.25, "q": 3.74, "v": 15.44}', 2, 30, 38, 20, -1, 0.01);
SELECT clv('{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}', '{"p": 6.25, "q": 3.74, "v": 15.44}', 2, 30, 38, 20, 12, 0.01, 'fortnights');
\set VERBOSITY terse

-- binary COPY round trip; a bgnbd_model's bytes are refused as a gamma_gamma_model
CREATE TABLE gamma_gamma_copy (g gamma_gamma_model);
\copy gamma_gamma_fitted TO 'results/gamma_gamma.bin' (FORMAT binary)
\copy gamma_gamma_copy FROM 'results/gamma_gamma.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM gamma_gamma_fitted a, gamma_gamma_copy b WHERE a.g::text <> b.g::text;
CREATE TABLE gamma_gamma_raw (b bytea);
INSERT INTO gamma_gamma_raw SELECT bgnbd_model_send('{"r": 0.5, "alpha": 2, "a": 0.25, "b": 4}');
\copy gamma_gamma_raw TO 'results/gamma_gamma_raw.bin' (FORMAT binary)
\copy gamma_gamma_copy FROM 'results/gamma_gamma_raw.bin' (FORMAT binary)
TRUNCATE gamma_gamma_raw;
INSERT INTO gamma_gamma_raw SELECT substr(gamma_gamma_model_send('{"p": 6.25, "q": 3.74, "v": 15.44}'), 1, 40);
\copy gamma_gamma_raw TO 'results/gamma_gamma_raw.bin' (FORMAT binary)
\copy gamma_gamma_copy FROM 'results/gamma_gamma_raw.bin' (FORMAT binary)
TRUNCATE gamma_gamma_raw;
INSERT INTO gamma_gamma_raw SELECT overlay(gamma_gamma_model_send('{"p": 6.25, "q": 3.74, "v": 15.44}') PLACING '\xfff0000000000000'::bytea FROM 8);
\copy gamma_gamma_raw TO 'results/gamma_gamma_raw.bin' (FORMAT binary)
\copy gamma_gamma_copy FROM 'results/gamma_gamma_raw.bin' (FORMAT binary)
SELECT count(*) AS rows_after_bad_copies FROM gamma_gamma_copy;

DROP TABLE gamma_gamma_sim, gamma_gamma_fitted, gamma_gamma_bg, gamma_gamma_copy, gamma_gamma_raw;
