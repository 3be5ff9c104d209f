-- logistic_fit, propensity_model, predict, model_coefficients, model_summary:
-- recovery of known coefficients, the score equations in plain SQL, every
-- error path, text and binary I/O, forced parallel plans.
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

-- 50,000 rows from a known model: logit p = -1 + 0.8 x1 - 0.5 x2 + 1.2 x3
SELECT setseed(0.25);
CREATE TABLE logistic_t AS
SELECT i, x1, x2, x3,
       random() < 1 / (1 + exp(-(-1 + 0.8 * x1 - 0.5 * x2 + 1.2 * x3))) AS y
FROM (SELECT i,
             sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS x1,
             random() * 4 - 2 AS x2,
             (random() < 0.4)::int::float8 AS x3
      FROM generate_series(1, 50000) i) s;
-- rows the fit must skip: NULL label, NULL array, NULL, NaN and infinite features
INSERT INTO logistic_t VALUES (50001, 1, 1, 1, NULL), (50002, NULL, 1, 1, true),
  (50003, 'NaN', 0, 0, false), (50004, 'Infinity', 0, 0, true), (50005, 0, '-Infinity', 0, false);
ANALYZE logistic_t;

CREATE TABLE logistic_models AS
SELECT 'plain' AS kind, logistic_fit(y, ARRAY[x1, x2, x3]) AS m FROM logistic_t
UNION ALL
SELECT 'named', logistic_fit(y, ARRAY[x1, x2, x3], ARRAY['visits', 'tenure', 'demo']) FROM logistic_t
UNION ALL
SELECT 'l2', logistic_fit(y, ARRAY[x1, x2, x3], 100.0) FROM logistic_t
UNION ALL
SELECT 'named_l2', logistic_fit(y, ARRAY[x1, x2, x3], ARRAY['visits', 'tenure', 'demo'], 100.0) FROM logistic_t;

-- the true coefficients lie within 4 standard errors
SELECT c.term, round(c.coefficient::numeric, 4) AS coefficient, round(c.std_error::numeric, 4) AS std_error,
       round(c.z::numeric, 2) AS z, c.p_value < 1e-10 AS significant, round(c.odds_ratio::numeric, 4) AS odds_ratio,
       abs(c.coefficient - t.truth) < 4 * c.std_error AS recovers_truth
FROM model_coefficients((SELECT m FROM logistic_models WHERE kind = 'plain')) WITH ORDINALITY c
JOIN (VALUES (1, -1.0), (2, 0.8), (3, -0.5), (4, 1.2)) t(ord, truth) ON t.ord = c.ordinality
ORDER BY c.ordinality;
SELECT rows_used, rows_skipped, positives, features, iterations, converged,
       round(log_likelihood::numeric, 6) AS log_likelihood, round(aic::numeric, 6) AS aic,
       round(pseudo_r2::numeric, 6) AS pseudo_r2, l2
FROM model_summary((SELECT m FROM logistic_models WHERE kind = 'plain'));
SELECT positives = (SELECT count(*) FROM logistic_t WHERE y AND x1 + x2 + x3 IS NOT NULL AND x1 + x2 + x3 NOT IN ('NaN', 'Infinity', '-Infinity')) AS positives_ok
FROM model_summary((SELECT m FROM logistic_models WHERE kind = 'plain'));

-- plain-SQL check of the maximum: the score equations sum((y - p) x_j) = 0,
-- the log-likelihood, and AIC = 2 k - 2 ll
CREATE VIEW logistic_scored AS
SELECT t.*, predict(m.m, ARRAY[x1, x2, x3])::float8 AS p
FROM logistic_t t, logistic_models m
WHERE m.kind = 'plain' AND y IS NOT NULL AND x1 + x2 + x3 IS NOT NULL
  AND x1 + x2 + x3 NOT IN ('NaN', 'Infinity', '-Infinity');
SELECT abs(sum(y::int - p)) < 1e-8 AS intercept_score_zero,
       abs(sum((y::int - p) * x1)) < 1e-8 AS x1_score_zero,
       abs(sum((y::int - p) * x2)) < 1e-8 AS x2_score_zero,
       abs(sum((y::int - p) * x3)) < 1e-8 AS x3_score_zero,
       abs(sum(CASE WHEN y THEN ln(p) ELSE ln(1 - p) END)
           - (SELECT log_likelihood FROM model_summary((SELECT m FROM logistic_models WHERE kind = 'plain'))))
         < 1e-8 AS loglik_matches,
       count(*) AS rows_scored
FROM logistic_scored;
SELECT abs(aic - (2 * 4 - 2 * log_likelihood)) < 1e-9 AS aic_ok
FROM model_summary((SELECT m FROM logistic_models WHERE kind = 'plain'));
-- predict against the plain-SQL expression 1 / (1 + exp(-(b0 + b1 x1 + ...)))
WITH b AS (SELECT array_agg(coefficient ORDER BY ord) AS b
           FROM model_coefficients((SELECT m FROM logistic_models WHERE kind = 'plain')) WITH ORDINALITY c(t, coefficient, s, z, pv, o, ord))
SELECT max(abs(p - 1 / (1 + exp(-(b[1] + b[2] * x1 + b[3] * x2 + b[4] * x3))))) < 1e-15 AS predict_matches_sql
FROM logistic_scored, b;

-- a constant model with ARRAY[...] features is inlined by predict's planner
-- support function into the linear expression; the result is the same double
CREATE TEMP TABLE logistic_const AS SELECT m::text AS m FROM logistic_models WHERE kind = 'plain';
SELECT m AS model_text FROM logistic_const \gset
SET force_parallel_mode = off;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT predict('{"version": 1, "terms": ["intercept", "a", "b", "c"], "coefficients": [-1, 0.5, 0.25, 2], "std_errors": [0.1, 0.1, 0.1, 0.1], "rows_used": 100, "rows_skipped": 0, "positives": 40, "iterations": 5, "converged": true, "log_likelihood": -60.5, "l2": 0}',
               ARRAY[x1, x2, x3]) FROM logistic_t;
RESET force_parallel_mode;
RESET max_parallel_workers_per_gather;
SELECT count(*) FILTER (WHERE inlined IS DISTINCT FROM called) AS inlined_differs, count(*) FILTER (WHERE inlined IS NULL) AS nulls
FROM (SELECT predict(:'model_text', ARRAY[x1, x2, x3]) AS inlined,
             predict((SELECT m FROM logistic_models WHERE kind = 'plain'), ARRAY[x1, x2, x3]) AS called
      FROM logistic_t WHERE x1 + x2 + x3 IS NULL OR x1 + x2 + x3 NOT IN ('NaN', 'Infinity', '-Infinity')) s;
SELECT predict(:'model_text', ARRAY[1, 'NaN'::float8, 0]);
-- inlined, a NaN feature errors in predict_from_logit; an infinite one gives 0 or 1
SELECT predict(:'model_text', ARRAY[x1, x2, x3]) FROM logistic_t WHERE i = 50003;
SELECT predict(:'model_text', ARRAY[x1, x2, x3]) FROM logistic_t WHERE i = 50005;
SELECT predict(:'model_text', ARRAY[1, 2]);

-- ridge: the intercept is not penalised, so its score equation still holds;
-- the others satisfy sum((y - p) x_j) = l2 * b_j
WITH m AS (SELECT m FROM logistic_models WHERE kind = 'l2'),
     b AS (SELECT array_agg(coefficient ORDER BY ord) AS b
           FROM model_coefficients((SELECT m FROM m)) WITH ORDINALITY c(t, coefficient, s, z, pv, o, ord)),
     s AS (SELECT y::int - predict((SELECT m FROM m), ARRAY[x1, x2, x3]) AS r, x1, x2, x3
           FROM logistic_t WHERE y IS NOT NULL AND x1 + x2 + x3 IS NOT NULL
             AND x1 + x2 + x3 NOT IN ('NaN', 'Infinity', '-Infinity'))
SELECT abs(sum(r)) < 1e-8 AS intercept_unpenalised,
       abs(sum(r * x1) - 100 * b[2]) < 1e-8 AS x1_ridge,
       abs(sum(r * x2) - 100 * b[3]) < 1e-8 AS x2_ridge,
       abs(sum(r * x3) - 100 * b[4]) < 1e-8 AS x3_ridge
FROM s, b GROUP BY b;
-- shrinkage: every penalised coefficient is smaller in magnitude
SELECT p.term, abs(r.coefficient) < abs(p.coefficient) AS shrunk
FROM model_coefficients((SELECT m FROM logistic_models WHERE kind = 'plain')) WITH ORDINALITY p
JOIN model_coefficients((SELECT m FROM logistic_models WHERE kind = 'l2')) WITH ORDINALITY r USING (ordinality)
ORDER BY ordinality;
-- names only rename; the same fit
SELECT n.term, abs(n.coefficient - p.coefficient) < 1e-12 AS same_fit
FROM model_coefficients((SELECT m FROM logistic_models WHERE kind = 'named_l2')) WITH ORDINALITY n
JOIN model_coefficients((SELECT m FROM logistic_models WHERE kind = 'l2')) WITH ORDINALITY p USING (ordinality)
ORDER BY ordinality;
SELECT l2, rows_used FROM model_summary((SELECT m FROM logistic_models WHERE kind = 'named_l2'));

-- per group (hash and sorted aggregation) against the one-group fit
CREATE TABLE logistic_by_group AS
SELECT i % 2 AS g, logistic_fit(y, ARRAY[x1, x2, x3]) AS m FROM logistic_t GROUP BY 1;
SELECT g, rows_used, converged FROM logistic_by_group, model_summary(m) ORDER BY g;
SELECT bool_and(abs(a.coefficient - b.coefficient) < 1e-9) AS groups_equal_filtered_fits
FROM logistic_by_group g,
     model_coefficients(g.m) WITH ORDINALITY a,
     model_coefficients((SELECT logistic_fit(y, ARRAY[x1, x2, x3]) FROM logistic_t WHERE i % 2 = g.g)) WITH ORDINALITY b
WHERE a.ordinality = b.ordinality;

-- forced parallel plan gives the same model
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT logistic_fit(y, ARRAY[x1, x2, x3], ARRAY['a', 'b', 'c'], 0.5) FROM logistic_t;
SELECT bool_and(abs(a.coefficient - b.coefficient) < 1e-9 * greatest(1, abs(b.coefficient))
                AND abs(a.std_error - b.std_error) < 1e-9 * b.std_error) AS parallel_equals_serial
FROM model_coefficients((SELECT logistic_fit(y, ARRAY[x1, x2, x3]) FROM logistic_t)) WITH ORDINALITY a
JOIN model_coefficients((SELECT m FROM logistic_models WHERE kind = 'plain')) WITH ORDINALITY b USING (ordinality);
SELECT rows_used, rows_skipped, l2 FROM model_summary((SELECT logistic_fit(y, ARRAY[x1, x2, x3], ARRAY['a', 'b', 'c'], 0.5) FROM logistic_t));
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- a small fit by hand (the model printed whole) and an intercept-only model
CREATE TABLE logistic_small AS
SELECT * FROM (VALUES (false, 1.0), (false, 2.0), (true, 3.0), (false, 4.0), (true, 5.0), (true, 6.0)) v(y, x);
SELECT term, round(coefficient::numeric, 8) AS coefficient, round(std_error::numeric, 8) AS std_error
FROM model_coefficients((SELECT logistic_fit(y, ARRAY[x]) FROM logistic_small));
SELECT term, round(coefficient::numeric, 12) AS coefficient, round(coefficient::numeric, 12) = round(ln(3.0 / 3.0), 12) AS log_odds
FROM model_coefficients((SELECT logistic_fit(y, '{}'::float8[]) FROM logistic_small));
SELECT predict(logistic_fit(y, '{}'::float8[]), '{}') FROM logistic_small;

-- text form: JSON that round-trips exactly
SELECT m::text::propensity_model::text = m::text AS text_round_trip FROM logistic_models;
SELECT '{"version": 1, "terms": ["intercept", "visits"], "coefficients": [-1.5, 0.25], "std_errors": [0.1, 0.02], "rows_used": 100, "rows_skipped": 3, "positives": 40, "iterations": 5, "converged": true, "log_likelihood": -60.5, "l2": 0}'::propensity_model;
SELECT predict('{"version": 1, "terms": ["intercept", "visits"], "coefficients": [-1.5, 0.25], "std_errors": [0.1, 0.02], "rows_used": 100, "rows_skipped": 3, "positives": 40, "iterations": 5, "converged": true, "log_likelihood": -60.5, "l2": 0}', ARRAY[6.0]) AS half;
SELECT * FROM model_coefficients('{"version": 1, "terms": ["intercept", "visits"], "coefficients": [-1.5, 0.25], "std_errors": [0.1, 0], "rows_used": 100, "rows_skipped": 3, "positives": 40, "iterations": 5, "converged": false, "log_likelihood": -60.5, "l2": 0}');
SELECT * FROM model_summary('{"version": 1, "terms": ["intercept", "visits"], "coefficients": [-1.5, 0.25], "std_errors": [0.1, 0.02], "rows_used": 100, "rows_skipped": 3, "positives": 40, "iterations": 5, "converged": true, "log_likelihood": -60.5, "l2": 0}');
-- hand-edited models: missing, extra, duplicate keys, bad values
SELECT '{"version": 1, "terms": ["intercept"], "coefficients": [0], "std_errors": [1], "rows_used": 10, "rows_skipped": 0, "positives": 5, "iterations": 1, "converged": true, "log_likelihood": -6.9}'::propensity_model;
SELECT '{"version": 1, "terms": ["intercept"], "coefficients": [0], "std_errors": [1], "rows_used": 10, "rows_skipped": 0, "positives": 5, "iterations": 1, "converged": true, "log_likelihood": -6.9, "l2": 0, "extra": 1}'::propensity_model;
SELECT '{"version": 1, "version": 1, "terms": ["intercept"], "coefficients": [0], "std_errors": [1], "rows_used": 10, "rows_skipped": 0, "positives": 5, "iterations": 1, "converged": true, "log_likelihood": -6.9, "l2": 0}'::propensity_model;
SELECT '{"version": 2, "terms": ["intercept"], "coefficients": [0], "std_errors": [1], "rows_used": 10, "rows_skipped": 0, "positives": 5, "iterations": 1, "converged": true, "log_likelihood": -6.9, "l2": 0}'::propensity_model;
SELECT '{"version": 1, "terms": ["intercept", "x1"], "coefficients": [0], "std_errors": [1], "rows_used": 10, "rows_skipped": 0, "positives": 5, "iterations": 1, "converged": true, "log_likelihood": -6.9, "l2": 0}'::propensity_model;
SELECT '{"version": 1, "terms": ["intercept"], "coefficients": [0], "std_errors": [-1], "rows_used": 10, "rows_skipped": 0, "positives": 5, "iterations": 1, "converged": true, "log_likelihood": -6.9, "l2": 0}'::propensity_model;
SELECT '{"version": 1, "terms": ["intercept"], "coefficients": ["NaN"], "std_errors": [1], "rows_used": 10, "rows_skipped": 0, "positives": 5, "iterations": 1, "converged": true, "log_likelihood": -6.9, "l2": 0}'::propensity_model;
SELECT '{"version": 1, "terms": ["intercept", "intercept"], "coefficients": [0, 1], "std_errors": [1, 1], "rows_used": 10, "rows_skipped": 0, "positives": 5, "iterations": 1, "converged": true, "log_likelihood": -6.9, "l2": 0}'::propensity_model;
SELECT '{"version": 1, "terms": [], "coefficients": [], "std_errors": [], "rows_used": 10, "rows_skipped": 0, "positives": 5, "iterations": 1, "converged": true, "log_likelihood": -6.9, "l2": 0}'::propensity_model;
SELECT '{"version": 1, "terms": ["intercept"], "coefficients": [0], "std_errors": [1], "rows_used": 10, "rows_skipped": 0, "positives": 11, "iterations": 1, "converged": true, "log_likelihood": -6.9, "l2": 0}'::propensity_model;
SELECT 'not json'::propensity_model;

-- binary COPY round trip of the fitted models
CREATE TABLE logistic_copy (LIKE logistic_models);
\copy logistic_models TO 'results/logistic.bin' (FORMAT binary)
\copy logistic_copy FROM 'results/logistic.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM logistic_models a FULL JOIN logistic_copy b USING (kind) WHERE a.m::text IS DISTINCT FROM b.m::text;
-- crafted binary models: truncated, unknown version, NaN coefficient, trailing byte
CREATE TABLE logistic_raw (b bytea);
CREATE TABLE logistic_recv (m propensity_model);
INSERT INTO logistic_raw SELECT substr(propensity_model_send(m), 1, 40) FROM logistic_models WHERE kind = 'plain';
\copy logistic_raw TO 'results/logistic_raw.bin' (FORMAT binary)
\copy logistic_recv FROM 'results/logistic_raw.bin' (FORMAT binary)
TRUNCATE logistic_raw;
INSERT INTO logistic_raw SELECT '\x02'::bytea || substr(propensity_model_send(m), 2) FROM logistic_models WHERE kind = 'plain';
\copy logistic_raw TO 'results/logistic_raw.bin' (FORMAT binary)
\copy logistic_recv FROM 'results/logistic_raw.bin' (FORMAT binary)
TRUNCATE logistic_raw;
INSERT INTO logistic_raw SELECT overlay(propensity_model_send(m) placing '\x7ff8000000000000'::bytea from 51 for 8) FROM logistic_models WHERE kind = 'plain';
\copy logistic_raw TO 'results/logistic_raw.bin' (FORMAT binary)
\copy logistic_recv FROM 'results/logistic_raw.bin' (FORMAT binary)
TRUNCATE logistic_raw;
INSERT INTO logistic_raw SELECT propensity_model_send(m) || '\x00'::bytea FROM logistic_models WHERE kind = 'plain';
\copy logistic_raw TO 'results/logistic_raw.bin' (FORMAT binary)
\copy logistic_recv FROM 'results/logistic_raw.bin' (FORMAT binary)
TRUNCATE logistic_raw;
INSERT INTO logistic_raw SELECT propensity_model_send(m) FROM logistic_models WHERE kind = 'named';
\copy logistic_raw TO 'results/logistic_raw.bin' (FORMAT binary)
\copy logistic_recv FROM 'results/logistic_raw.bin' (FORMAT binary)
SELECT m::text = (SELECT m::text FROM logistic_models WHERE kind = 'named') AS untouched_bytes_accepted FROM logistic_recv;

-- predict: NULLs, wrong length, non-finite features
SELECT predict(m, ARRAY[1, NULL, 0]::float8[]) IS NULL AS null_feature_gives_null FROM logistic_models WHERE kind = 'plain';
SELECT predict(m, ARRAY[1, 2]::float8[]) FROM logistic_models WHERE kind = 'plain';
SELECT predict(m, ARRAY[[1, 2, 3]]::float8[]) FROM logistic_models WHERE kind = 'plain';
SELECT predict(m, ARRAY[1, 'NaN', 0]::float8[]) FROM logistic_models WHERE kind = 'plain';
SELECT predict(m, ARRAY[1e308, 1e308, 1e308]::float8[]) IN ('0', '1') AS saturates FROM logistic_models WHERE kind = 'plain';
-- a different model in every row is read correctly (the cache is per model)
SELECT kind, round(predict(m, ARRAY[0.5, -0.5, 1])::numeric, 3) AS p FROM logistic_models ORDER BY kind;

-- fits that cannot be made
SELECT logistic_fit(y, ARRAY[x]) FROM logistic_small WHERE false;
SELECT logistic_fit(y, ARRAY[x]) FROM (VALUES (NULL::boolean, 1.0::float8)) v(y, x);
SELECT logistic_fit(y, ARRAY[x]) FROM logistic_small WHERE y;
SELECT logistic_fit(x > 3, ARRAY[x]) FROM logistic_small;
-- quasi-complete separation: only the rows at x = 3 overlap
SELECT logistic_fit(y, ARRAY[x]) FROM (VALUES (false, 1.0), (false, 2.0), (false, 3.0), (true, 3.0), (true, 4.0), (true, 5.0)) v(y, x);
SELECT logistic_fit(y, ARRAY[x, 2 * x]) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[x, 1]) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[x, 0]) FROM logistic_small;
SELECT logistic_fit(y, CASE WHEN x < 3 THEN ARRAY[x] ELSE ARRAY[x, x] END) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[[x, x]]) FROM logistic_small;
SELECT logistic_fit(true, array_fill(1.0::float8, ARRAY[10000]));
SELECT logistic_fit(y, ARRAY[x], NULL::float8) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[x], -1.0) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[x], 'NaN'::float8) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[x], x) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[x], ARRAY['a', 'b']) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[x], ARRAY[NULL]::text[]) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[x], NULL::text[]) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[x, x * x], ARRAY['a', 'a']) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[x], ARRAY['intercept']) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[x], ARRAY[repeat('n', 64)]) FROM logistic_small;
SELECT logistic_fit(y, ARRAY[x], ARRAY['x' || x]) FROM logistic_small;
-- separable data with l2 > 0: a finite, regularised model
SELECT term, round(coefficient::numeric, 6) AS coefficient, round(std_error::numeric, 6) AS std_error
FROM model_coefficients((SELECT logistic_fit(x > 3, ARRAY[x], 1.0) FROM logistic_small));
-- a singular design with l2 > 0 is regularised too
SELECT term, round(coefficient::numeric, 6) AS coefficient
FROM model_coefficients((SELECT logistic_fit(y, ARRAY[x, 2 * x], 1.0) FROM logistic_small));
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT logistic_fit(y, ARRAY[x]) FROM logistic_small WHERE false$q$),
  ($q$SELECT logistic_fit(y, ARRAY[x]) FROM logistic_small WHERE y$q$),
  ($q$SELECT logistic_fit(x > 3, ARRAY[x]) FROM logistic_small$q$),
  ($q$SELECT logistic_fit(y, ARRAY[x, 2 * x]) FROM logistic_small$q$),
  ($q$SELECT logistic_fit(y, CASE WHEN x < 3 THEN ARRAY[x] ELSE ARRAY[x, x] END) FROM logistic_small$q$),
  ($q$SELECT logistic_fit(true, array_fill(1.0::float8, ARRAY[10000]))$q$),
  ($q$SELECT logistic_fit(y, ARRAY[x], NULL::float8) FROM logistic_small$q$),
  ($q$SELECT logistic_fit(y, ARRAY[x], -1.0) FROM logistic_small$q$),
  ($q$SELECT logistic_fit(y, ARRAY[x], ARRAY['a', 'b']) FROM logistic_small$q$),
  ($q$SELECT logistic_fit(y, ARRAY[x], ARRAY[NULL]::text[]) FROM logistic_small$q$),
  ($q$SELECT predict(m, ARRAY[1, 2]::float8[]) FROM logistic_models$q$),
  ($q$SELECT predict(m, ARRAY[1, 'Infinity', 2]::float8[]) FROM logistic_models$q$),
  ($q$SELECT '{"version": 1}'::propensity_model$q$)) v(q);

-- a feature whose squares overflow is out of range (22003), not "constant
-- or a linear combination"
SELECT logistic_fit(i % 3 = 0, ARRAY[i::float8, (i * 37 % 11) * 1e300]) FROM generate_series(1, 50) i;
SELECT pg_temp.sqlstate_of($q$SELECT logistic_fit(i % 3 = 0, ARRAY[i::float8, (i * 37 % 11) * 1e300]) FROM generate_series(1, 50) i$q$);
SELECT (model_summary(logistic_fit(i % 3 = 0, ARRAY[i::float8, (i * 37 % 11) * 1e150]))).converged FROM generate_series(1, 50) i;

-- predict at scale (issue 19 item 6).  A model that is not a constant (a
-- joined table's column, a scalar subquery) with ARRAY[...] features is
-- rewritten into predict_features(model, x1, ..., xk): no array per row,
-- the same checks, the same double.  A float8[] column is read where it
-- lies.  Five models (one NULL) interleaved row by row, each row scored by
-- its own model, against the plain-SQL expression and against predict over
-- an array column; then the same with the models TOASTed out of line.
CREATE TABLE logistic_zoo AS
SELECT id, kind, m, (SELECT array_agg(coefficient ORDER BY ordinality) FROM model_coefficients(m) WITH ORDINALITY) AS b
FROM (SELECT row_number() OVER (ORDER BY kind) - 1 AS id, kind, m FROM logistic_models
      UNION ALL SELECT 4, 'null', NULL) z;
-- the rows predict scores without an error (no NaN or infinite feature),
-- with their features also as a float8[] column
CREATE TABLE logistic_sx AS
SELECT i, x1, x2, x3, ARRAY[x1, x2, x3] AS x FROM logistic_t
WHERE x1 + x2 + x3 IS NULL OR x1 + x2 + x3 NOT IN ('NaN', 'Infinity', '-Infinity');
ANALYZE logistic_zoo;
ANALYZE logistic_sx;
SET force_parallel_mode = off;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT predict(m, ARRAY[id::float8, id / 2.0::float8, 1::float8]) FROM logistic_zoo;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT predict((SELECT m FROM logistic_zoo WHERE id = 2), ARRAY[x1, x2, x3]) FROM logistic_t;
RESET force_parallel_mode;
RESET max_parallel_workers_per_gather;
-- a model per row from a join; from a correlated subquery (a different
-- model in consecutive rows; 5,000 rows: with parallel query forced, every
-- subquery plans a Gather); one model from a scalar subquery: against plain
-- SQL and predict over the array column
CREATE FUNCTION pg_temp.zoo_check(zoo regclass) RETURNS TABLE (form text, rows bigint, null_rows bigint, off_sql bigint, off_array bigint)
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE format($f$
	WITH s AS (
		SELECT 'join' AS form, predict(z.m, ARRAY[t.x1, t.x2, t.x3])::float8 AS p, predict(z.m, t.x)::float8 AS pa,
		       1 / (1 + exp(-(r.b[1] + r.b[2] * t.x1 + r.b[3] * t.x2 + r.b[4] * t.x3))) AS ref
		FROM logistic_sx t JOIN %1$s z ON z.id = t.i %% 5 JOIN logistic_zoo r ON r.id = z.id
		UNION ALL
		SELECT 'correlated subquery', predict((SELECT m FROM %1$s z WHERE z.id = t.i %% 5), ARRAY[t.x1, t.x2, t.x3]),
		       predict((SELECT m FROM %1$s z WHERE z.id = t.i %% 5), t.x),
		       1 / (1 + exp(-(r.b[1] + r.b[2] * t.x1 + r.b[3] * t.x2 + r.b[4] * t.x3)))
		FROM logistic_sx t JOIN logistic_zoo r ON r.id = t.i %% 5
		WHERE t.i <= 5000 OR t.i > 50000
		UNION ALL
		SELECT 'scalar subquery', predict((SELECT m FROM %1$s WHERE id = 2), ARRAY[t.x1, t.x2, t.x3]),
		       predict((SELECT m FROM %1$s WHERE id = 2), t.x),
		       1 / (1 + exp(-(r.b[1] + r.b[2] * t.x1 + r.b[3] * t.x2 + r.b[4] * t.x3)))
		FROM logistic_sx t, logistic_zoo r WHERE r.id = 2)
	SELECT form, count(*), count(*) FILTER (WHERE p IS NULL),
	       count(*) FILTER (WHERE (p IS NULL) <> (ref IS NULL) OR abs(p - ref) > 1e-15),
	       count(*) FILTER (WHERE p IS DISTINCT FROM pa)
	FROM s GROUP BY form ORDER BY form$f$, zoo);
END $$;
SELECT * FROM pg_temp.zoo_check('logistic_zoo');
-- the same models stored out of line (a TOAST pointer per row: the cache
-- compares the pointers, the values are detoasted only when they change);
-- a wide column kept inline pushes each row over the TOAST threshold
CREATE TABLE logistic_zoo_toast (id bigint, kind text, m propensity_model, pad text);
ALTER TABLE logistic_zoo_toast ALTER COLUMN m SET STORAGE EXTERNAL, ALTER COLUMN pad SET STORAGE PLAIN;
INSERT INTO logistic_zoo_toast SELECT id, kind, m, repeat('x', 2100) FROM logistic_zoo;
ANALYZE logistic_zoo_toast;
SELECT pg_relation_size(reltoastrelid) > 0 AS toasted, (SELECT count(*) FROM logistic_zoo_toast WHERE pg_column_size(m) > 100) AS models_of_more_than_100_bytes
FROM pg_class WHERE oid = 'logistic_zoo_toast'::regclass;
SELECT * FROM pg_temp.zoo_check('logistic_zoo_toast');
-- predict_features checks what predict checks, in the same order: the
-- model, then the number of features (even with a NULL one), then NULLs
SELECT predict(z.m, ARRAY[t.x1, t.x2]) FROM logistic_t t, logistic_zoo z WHERE z.id = 0 AND t.i = 1;
SELECT predict(z.m, ARRAY[t.x1, NULL, t.x3, t.x3]) FROM logistic_t t, logistic_zoo z WHERE z.id = 0 AND t.i = 1;
SELECT predict(z.m, ARRAY[t.x1, NULL, t.x3]) IS NULL AS null_feature_gives_null FROM logistic_t t, logistic_zoo z WHERE z.id = 0 AND t.i = 1;
SELECT predict(z.m, ARRAY[t.x1, t.x2, t.x3]) FROM logistic_t t, logistic_zoo z WHERE z.id = 0 AND t.i = 50003;
SELECT predict(z.m, ARRAY[t.x1, t.x2, t.x3]) FROM logistic_t t, logistic_zoo z WHERE z.id = 0 AND t.i = 50005;
SELECT predict(z.m, ARRAY[t.x1 * 1e308, 1e308, 1e308]) IN ('0', '1') AS saturates FROM logistic_t t, logistic_zoo z WHERE z.id = 0 AND t.i = 1;
SELECT predict(z.m, ARRAY[t.x1, t.x2, t.x3]) IS NULL AS null_model_gives_null FROM logistic_t t, logistic_zoo z WHERE z.id = 4 AND t.i = 1;
SELECT predict(z.m, array_append(ARRAY[t.x1, t.x2], t.x3)) FROM logistic_t t, logistic_zoo z WHERE z.id = 0 AND t.i = 50004;
SELECT predict(m, ARRAY[[0.5, 1], [0.5, 1]]::float8[]) FROM logistic_zoo WHERE id = 0;
-- called directly
SELECT predict_features(m, 0.5::float8, -0.5::float8, 1::float8) = predict(m, ARRAY[0.5, -0.5, 1]::float8[]) AS same,
       predict_features(m, VARIADIC ARRAY[0.5, -0.5, 1]::float8[]) = predict(m, ARRAY[0.5, -0.5, 1]::float8[]) AS same_variadic,
       predict_features(NULL, 0.5::float8, -0.5::float8, 1::float8) IS NULL AS null_model,
       predict_features(m, VARIADIC NULL::float8[]) IS NULL AS null_variadic
FROM logistic_zoo WHERE id = 0;
SELECT predict_features(m, 0.5::float8, 1, 2::float8) FROM logistic_zoo WHERE id = 0;
SELECT predict_features(m, VARIADIC ARRAY[1, 2, 3]) FROM logistic_zoo WHERE id = 0;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT predict(z.m, ARRAY[t.x1, t.x2]) FROM logistic_t t, logistic_zoo z WHERE z.id = 0 AND t.i = 1$q$),
  ($q$SELECT predict(z.m, ARRAY[t.x1, t.x2, t.x3]) FROM logistic_t t, logistic_zoo z WHERE z.id = 0 AND t.i = 50003$q$),
  ($q$SELECT predict(z.m, array_append(ARRAY[t.x1, t.x2], t.x3)) FROM logistic_t t, logistic_zoo z WHERE z.id = 0 AND t.i = 50004$q$),
  ($q$SELECT predict_features(m, 0.5::float8, 1, 2::float8) FROM logistic_zoo WHERE id = 0$q$),
  ($q$SELECT predict_features(m, VARIADIC ARRAY[1, 2, 3]) FROM logistic_zoo WHERE id = 0$q$)) v(q);
DROP FUNCTION pg_temp.zoo_check(regclass);
DROP TABLE logistic_zoo, logistic_zoo_toast, logistic_sx;

DROP VIEW logistic_scored;
DROP TABLE logistic_const;
DROP TABLE logistic_t, logistic_models, logistic_by_group, logistic_small, logistic_copy, logistic_raw, logistic_recv;
