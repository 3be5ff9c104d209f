-- logistic_step / logistic_train: logistic regression in bounded passes,
-- the same model as logistic_fit.
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

-- Largest relative difference of coefficients and standard errors of two
-- models (0 when identical), and whether their counts agree.
CREATE FUNCTION pg_temp.model_diff(a propensity_model, b propensity_model) RETURNS float8
LANGUAGE sql AS $$
	SELECT max(greatest(abs(x.coefficient - y.coefficient) / greatest(abs(y.coefficient), 1e-300),
	                    abs(x.std_error - y.std_error) / greatest(abs(y.std_error), 1e-300)))
	FROM model_coefficients(a) x JOIN model_coefficients(b) y USING (term)
$$;
CREATE FUNCTION pg_temp.same_fit(a propensity_model, b propensity_model) RETURNS boolean
LANGUAGE sql AS $$
	SELECT pg_temp.model_diff(a, b) <= 1e-9
	   AND (SELECT array_agg(term ORDER BY term) FROM model_coefficients(a))
	     = (SELECT array_agg(term ORDER BY term) FROM model_coefficients(b))
	   AND (SELECT (rows_used, rows_skipped, iterations, converged) FROM model_summary(a))
	     = (SELECT (rows_used, rows_skipped, iterations, converged) FROM model_summary(b))
	   AND abs((SELECT log_likelihood FROM model_summary(a)) - (SELECT log_likelihood FROM model_summary(b)))
	     <= 1e-9 * abs((SELECT log_likelihood FROM model_summary(b)))
$$;

-- Generated data: 6000 rows, 4 features, a known model; deterministic
-- (hash-based noise); some rows skipped (NULL label, NULL or NaN feature).
CREATE TABLE scaleout_t AS
SELECT i, g, x,
       CASE WHEN i % 997 = 0 THEN NULL
            ELSE (abs(hashint4(i)) % 100000) / 100000.0
                 < 1 / (1 + exp(-(0.4 + 0.8 * x[1] - 0.5 * x[2] + 0.3 * x[3] - 0.02 * x[4]))) END AS y
FROM (SELECT i, i % 7 AS g,
             CASE WHEN i % 1201 = 0 THEN ARRAY[1, NULL, 0, 0]::float8[]
                  WHEN i % 1301 = 0 THEN ARRAY['NaN', 0, 0, 0]::float8[]
                  ELSE ARRAY[sin(i), cos(3 * i) * 2, (i % 11) / 5.0 - 1, (i % 97)]::float8[] END AS x
      FROM generate_series(1, 6000) i) s;

-- one pass by hand from the NULL model (coefficients zero)
SELECT (SELECT rows_used FROM (SELECT logistic_step(NULL, y, x)::text::json->>'rows_used' AS rows_used FROM scaleout_t) s) AS rows_used,
       count(*) FILTER (WHERE y IS NOT NULL AND x::text NOT LIKE '%NULL%' AND x::text NOT LIKE '%NaN%') AS reference,
       (SELECT logistic_step(NULL, y, x)::text::json->>'rows_skipped' FROM scaleout_t) AS rows_skipped,
       count(*) FILTER (WHERE y IS NULL OR x::text LIKE '%NULL%' OR x::text LIKE '%NaN%') AS reference_skipped
FROM scaleout_t;
-- at zero: log-likelihood = -n log 2, gradient[0] = positives - n/2, Hessian[0] = n/4
SELECT abs((s->>'log_likelihood')::float8 + (s->>'rows_used')::float8 * ln(2)) < 1e-9 * (s->>'rows_used')::float8 AS loglik_at_zero,
       (s->'gradient'->>0)::float8 = (s->>'positives')::float8 - (s->>'rows_used')::float8 / 2 AS gradient0,
       (s->'hessian'->>0)::float8 = (s->>'rows_used')::float8 / 4 AS hessian00,
       json_array_length(s->'hessian') AS hessian_entries
FROM (SELECT logistic_step(NULL, y, x)::text::json AS s FROM scaleout_t) q;

-- logistic_train equals logistic_fit (coefficients, SE, counts, iterations)
SELECT pg_temp.same_fit(logistic_train('scaleout_t', 'y', 'x'), (SELECT logistic_fit(y, x) FROM scaleout_t)) AS plain,
       pg_temp.same_fit(logistic_train('scaleout_t', 'y', 'x', ARRAY['a', 'b', 'c', 'd']),
                        (SELECT logistic_fit(y, x, ARRAY['a', 'b', 'c', 'd']) FROM scaleout_t)) AS named,
       pg_temp.same_fit(logistic_train('scaleout_t', 'y', 'x', l2 => 2.5),
                        (SELECT logistic_fit(y, x, 2.5::float8) FROM scaleout_t)) AS ridge;
-- serially the passes sum the rows in the order logistic_fit does: the same bits
SET max_parallel_workers_per_gather = 0;
SELECT logistic_train('scaleout_t', 'y', 'x')::text = (SELECT logistic_fit(y, x)::text FROM scaleout_t) AS identical_serially;
RESET max_parallel_workers_per_gather;
SELECT term, round(coefficient::numeric, 6) AS coefficient, round(std_error::numeric, 6) AS std_error,
       round(z::numeric, 4) AS z, round(odds_ratio::numeric, 6) AS odds_ratio
FROM model_coefficients(logistic_train('scaleout_t', 'y', 'x', ARRAY['a', 'b', 'c', 'd']));
SELECT rows_used, rows_skipped, iterations, converged, round(log_likelihood::numeric, 6) AS log_likelihood
FROM model_summary(logistic_train('scaleout_t', 'y', 'x'));
-- a looser tolerance stops earlier; max_iterations too small is an error
SELECT iterations <= (SELECT iterations FROM model_summary(logistic_train('scaleout_t', 'y', 'x'))) AS fewer_or_same,
       pg_temp.model_diff(logistic_train('scaleout_t', 'y', 'x', tolerance => 1e-4), logistic_train('scaleout_t', 'y', 'x')) < 1e-3 AS close
FROM model_summary(logistic_train('scaleout_t', 'y', 'x', tolerance => 1e-4));
\set VERBOSITY default
SELECT logistic_train('scaleout_t', 'y', 'x', max_iterations => 1);

-- parallel query forced: the passes run in workers, the model is the same
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT logistic_step(NULL, y, x) FROM scaleout_t;
SELECT pg_temp.same_fit(logistic_train('scaleout_t', 'y', 'x'), (SELECT logistic_fit(y, x) FROM scaleout_t)) AS parallel;
RESET parallel_leader_participation;

-- partitioned source, partitionwise aggregation: the combine runs for any split
CREATE TABLE scaleout_parts (i int, g int, x float8[], y boolean) PARTITION BY LIST (g);
CREATE TABLE scaleout_parts_a PARTITION OF scaleout_parts FOR VALUES IN (0, 1, 2);
CREATE TABLE scaleout_parts_b PARTITION OF scaleout_parts FOR VALUES IN (3, 4);
CREATE TABLE scaleout_parts_c PARTITION OF scaleout_parts FOR VALUES IN (5, 6);
INSERT INTO scaleout_parts SELECT i, g, x, y FROM scaleout_t;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT logistic_step(NULL, y, x) FROM scaleout_parts;
SELECT pg_temp.same_fit(logistic_train('scaleout_parts', 'y', 'x'), (SELECT logistic_fit(y, x) FROM scaleout_t)) AS partitioned;
RESET enable_partitionwise_aggregate;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- rollup of stored per-group states of one pass = the pass over all rows
CREATE TABLE scaleout_states AS SELECT g, logistic_step(NULL, y, x) AS s FROM scaleout_t GROUP BY g;
SELECT (a->>'rows_used') = (b->>'rows_used') AND (a->>'positives') = (b->>'positives')
       AND (a->>'rows_skipped') = (b->>'rows_skipped') AS counts_equal,
       abs((a->>'log_likelihood')::float8 - (b->>'log_likelihood')::float8) <= 1e-12 * abs((b->>'log_likelihood')::float8) AS loglik_equal,
       (SELECT bool_and(abs(u::float8 - v::float8) <= 1e-12 * greatest(abs(v::float8), 1))
        FROM json_array_elements_text(a->'hessian') WITH ORDINALITY p(u, i)
        JOIN json_array_elements_text(b->'hessian') WITH ORDINALITY q(v, j) ON i = j) AS hessian_equal
FROM (SELECT rollup(s)::text::json AS a FROM scaleout_states) r,
     (SELECT logistic_step(NULL, y, x)::text::json AS b FROM scaleout_t) w;

-- Newton by hand: a pass at the fitted model has a zero gradient
SELECT bool_and(abs(v::float8) < 1e-6) AS gradient_zero_at_optimum
FROM (SELECT logistic_step(m, y, x)::text::json AS s
      FROM scaleout_t, (SELECT logistic_fit(y, x) AS m FROM scaleout_t) f) q,
     json_array_elements_text(s->'gradient') v;

-- text and binary round trips of states
SELECT count(*) FILTER (WHERE s::text::logistic_step_state::text = s::text) AS text_round_trips, count(*) AS states
FROM scaleout_states;
CREATE TABLE scaleout_copy (LIKE scaleout_states);
\copy scaleout_states TO 'results/scaleout_states.bin' (FORMAT binary)
\copy scaleout_copy FROM 'results/scaleout_states.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM scaleout_states a FULL JOIN scaleout_copy b USING (g) WHERE a.s::text IS DISTINCT FROM b.s::text;
SELECT '{"version": 1, "terms": 1, "rows_used": 2, "rows_skipped": 1, "positives": 1, "separated": 0, "log_likelihood": -1.3862943611198906, "beta": [0], "gradient": [0], "hessian": [0.5]}'::logistic_step_state;
SELECT '{"version": 1, "terms": 0, "rows_used": 0, "rows_skipped": 3, "positives": 0, "separated": 0, "log_likelihood": 0, "beta": [], "gradient": [], "hessian": []}'::logistic_step_state;
-- a state of only skipped rows combines with the others
SELECT rollup(s)::text::json->>'rows_skipped' AS skipped
FROM (SELECT s FROM scaleout_states UNION ALL
      SELECT '{"version": 1, "terms": 0, "rows_used": 0, "rows_skipped": 3, "positives": 0, "separated": 0, "log_likelihood": 0, "beta": [], "gradient": [], "hessian": []}') u;

-- bad text: 22P02 with the reason and a hint
SELECT '{"version": 2, "terms": 0}'::logistic_step_state;
SELECT '{"version": 1, "rows_used": 0, "beta": []}'::logistic_step_state;
SELECT '{"version": 1, "terms": 1, "rows_used": 2, "rows_skipped": 1, "positives": 1, "separated": 0, "log_likelihood": -1.38, "beta": [0], "gradient": [0], "hessian": [0.5, 1]}'::logistic_step_state;
SELECT '{"version": 1, "terms": 1, "rows_used": 2, "rows_skipped": 1, "positives": 3, "separated": 0, "log_likelihood": -1.38, "beta": [0], "gradient": [0], "hessian": [0.5]}'::logistic_step_state;
SELECT '{"version": 1, "terms": 1, "rows_used": 2, "rows_skipped": 1, "positives": 1, "separated": 0, "log_likelihood": 1, "beta": [0], "gradient": [0], "hessian": [0.5]}'::logistic_step_state;
SELECT '{"version": 1, "terms": 1, "rows_used": 2, "rows_skipped": 1, "positives": 1, "separated": 0, "log_likelihood": -1, "beta": [0], "gradient": [0], "hessian": [-0.5]}'::logistic_step_state;
SELECT '{"version": 1, "terms": 1002}'::logistic_step_state;
-- crafted binary: truncated, unknown version, wrong length, negative diagonal
CREATE TABLE scaleout_raw (b bytea);
CREATE TABLE scaleout_recv (s logistic_step_state);
INSERT INTO scaleout_raw SELECT substr(logistic_step_state_send(s), 1, 30) FROM scaleout_states WHERE g = 0;
\copy scaleout_raw TO 'results/scaleout_raw.bin' (FORMAT binary)
\copy scaleout_recv FROM 'results/scaleout_raw.bin' (FORMAT binary)
TRUNCATE scaleout_raw;
INSERT INTO scaleout_raw SELECT '\x02'::bytea || substr(logistic_step_state_send(s), 2) FROM scaleout_states WHERE g = 0;
\copy scaleout_raw TO 'results/scaleout_raw.bin' (FORMAT binary)
\copy scaleout_recv FROM 'results/scaleout_raw.bin' (FORMAT binary)
TRUNCATE scaleout_raw;
INSERT INTO scaleout_raw SELECT logistic_step_state_send(s) || '\x00'::bytea FROM scaleout_states WHERE g = 0;
\copy scaleout_raw TO 'results/scaleout_raw.bin' (FORMAT binary)
\copy scaleout_recv FROM 'results/scaleout_raw.bin' (FORMAT binary)
TRUNCATE scaleout_raw;
-- the first Hessian entry (after 1 + 4 + 32 + 8 + 2 * 5 * 8 bytes) made -1
INSERT INTO scaleout_raw SELECT overlay(logistic_step_state_send(s) placing float8send(-1) from 126 for 8) FROM scaleout_states WHERE g = 0;
\copy scaleout_raw TO 'results/scaleout_raw.bin' (FORMAT binary)
\copy scaleout_recv FROM 'results/scaleout_raw.bin' (FORMAT binary)
TRUNCATE scaleout_raw;
INSERT INTO scaleout_raw SELECT logistic_step_state_send(s) FROM scaleout_states WHERE g = 0;
\copy scaleout_raw TO 'results/scaleout_raw.bin' (FORMAT binary)
\copy scaleout_recv FROM 'results/scaleout_raw.bin' (FORMAT binary)
SELECT s::text = (SELECT s::text FROM scaleout_states WHERE g = 0) AS untouched_bytes_accepted FROM scaleout_recv;

-- errors of the aggregate and of the driver
SELECT logistic_step(m, y, x[1:2]) FROM scaleout_t, (SELECT logistic_fit(y, x) AS m FROM scaleout_t) f;
SELECT logistic_step(CASE WHEN i = 5 THEN NULL ELSE m END, y, x) FROM scaleout_t, (SELECT logistic_fit(y, x) AS m FROM scaleout_t) f;
SELECT logistic_step(CASE WHEN i < 5 THEN m1 ELSE m2 END, y, x)
FROM scaleout_t, (SELECT logistic_fit(y, x) AS m1, logistic_fit(y, x, 1.0::float8) AS m2 FROM scaleout_t) f;
SELECT rollup(s) FROM (SELECT logistic_step(NULL, y, x) AS s FROM scaleout_t
                       UNION ALL SELECT logistic_step(m, y, x) FROM scaleout_t, (SELECT logistic_fit(y, x) AS m FROM scaleout_t) f) u;
SELECT logistic_step(NULL, y, ARRAY[x, x]) FROM scaleout_t;
SELECT logistic_step_combine(s, s) FROM scaleout_states;
CREATE TABLE scaleout_sep AS SELECT i, i > 10 AS y, ARRAY[i]::float8[] AS x FROM generate_series(1, 20) i;
CREATE TABLE scaleout_sing AS SELECT i, i % 3 = 0 AS y, ARRAY[i, 2 * i]::float8[] AS x FROM generate_series(1, 20) i;
CREATE TABLE scaleout_one AS SELECT i, true AS y, ARRAY[i]::float8[] AS x FROM generate_series(1, 20) i;
CREATE TABLE scaleout_none AS SELECT i, NULL::boolean AS y, ARRAY[i]::float8[] AS x FROM generate_series(1, 3) i;
SELECT logistic_train('scaleout_sep', 'y', 'x');
SELECT logistic_train('scaleout_sing', 'y', 'x');
SELECT logistic_train('scaleout_one', 'y', 'x');
SELECT logistic_train('scaleout_none', 'y', 'x');
SELECT logistic_train('scaleout_sep', 'y', 'x', l2 => 1.0) IS NOT NULL AS ridge_fits_separated,
       pg_temp.same_fit(logistic_train('scaleout_sep', 'y', 'x', l2 => 1.0), (SELECT logistic_fit(y, x, 1.0::float8) FROM scaleout_sep)) AS same_as_fit;
SELECT logistic_train('scaleout_t', 'nope', 'x');
SELECT logistic_train('scaleout_t', 'y', 'x', ARRAY['a']);
SELECT logistic_train('scaleout_t', 'y', 'x', ARRAY['a', 'b', 'c', 'a']);
SELECT logistic_train('scaleout_t', 'y', 'x', l2 => -1);
SELECT logistic_train('scaleout_t', 'y', 'x', tolerance => 'NaN');
SELECT logistic_train(NULL, 'y', 'x');
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT '{"version": 2}'::logistic_step_state$q$),
  ($q$SELECT logistic_train('scaleout_sep', 'y', 'x')$q$),
  ($q$SELECT logistic_train('scaleout_sing', 'y', 'x')$q$),
  ($q$SELECT logistic_train('scaleout_one', 'y', 'x')$q$),
  ($q$SELECT logistic_train('scaleout_none', 'y', 'x')$q$),
  ($q$SELECT logistic_train('scaleout_t', 'y', 'x', max_iterations => 1)$q$),
  ($q$SELECT logistic_train('scaleout_t', 'y', 'x', max_iterations => 0)$q$),
  ($q$SELECT logistic_train('scaleout_t', 'y', 'x', l2 => -1)$q$),
  ($q$SELECT logistic_train('scaleout_t', 'y', 'x', ARRAY['a'])$q$),
  ($q$SELECT logistic_train('scaleout_t', 'y', 'x', ARRAY['a', NULL, 'c', 'd'])$q$),
  ($q$SELECT logistic_train('scaleout_t', 'nope', 'x')$q$),
  ($q$SELECT logistic_train('scaleout_t', 'y', NULL)$q$),
  ($q$SELECT logistic_step(NULL, y, ARRAY[x, x]) FROM scaleout_t$q$),
  ($q$SELECT logistic_step_combine(s, s) FROM scaleout_states$q$)) v(q);

-- odd identifiers are quoted; a hostile search_path changes nothing
CREATE SCHEMA scaleout_evil;
CREATE TABLE scaleout_evil."Odd Table" ("select" boolean, "Features!" float8[]);
INSERT INTO scaleout_evil."Odd Table" SELECT y, x FROM scaleout_t;
CREATE FUNCTION scaleout_evil.logistic_step(propensity_model, boolean, float8[]) RETURNS logistic_step_state
LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hijacked'; END $$;
CREATE FUNCTION scaleout_evil.bool(boolean) RETURNS boolean
LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hijacked'; END $$;
SET search_path = scaleout_evil, public, pg_catalog;
SELECT pg_temp.same_fit(public.logistic_train('scaleout_evil."Odd Table"', 'select', 'Features!'),
                        (SELECT public.logistic_fit(y, x) FROM public.scaleout_t)) AS not_hijacked;
RESET search_path;

DROP SCHEMA scaleout_evil CASCADE;
DROP TABLE scaleout_t, scaleout_parts, scaleout_states, scaleout_copy, scaleout_raw, scaleout_recv,
  scaleout_sep, scaleout_sing, scaleout_one, scaleout_none;
