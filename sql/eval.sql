-- auc_agg, lift_agg, lift_table, auc(lift), rollup(lift), log_loss_agg,
-- brier_agg: small cases, errors, plain-SQL references on generated data,
-- text and binary I/O, forced parallel plans.
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

-- AUC by hand: positives 0.9, 0.5, 0.5; negatives 0.5, 0.1.  Pairs ordered
-- right: (0.9 > 0.5, 0.9 > 0.1, 0.5 > 0.1, 0.5 > 0.1) = 4, ties (0.5 = 0.5)
-- twice, half each: (4 + 1) / 6.
SELECT auc_agg(s, l), 5.0 / 6 AS by_hand
FROM (VALUES (0.9, true), (0.5, true), (0.5, true), (0.5, false), (0.1, false), (NULL, true), (0.3, NULL)) v(s, l);
SELECT auc_agg(s, l) AS perfect FROM (VALUES (2, true), (1, false)) v(s, l);
SELECT auc_agg(s, l) AS reversed FROM (VALUES (1, true), (2, false)) v(s, l);
SELECT auc_agg(s, l) AS all_tied FROM (VALUES (1, true), (1, false), (1, true)) v(s, l);
SELECT auc_agg(s, l) AS signed_zeros FROM (VALUES ('-0'::float8, true), ('0'::float8, false)) v(s, l);
-- undefined with one class or no rows: NULL
SELECT auc_agg(s, l) IS NULL AS one_class_null FROM (VALUES (1, true), (2, true)) v(s, l);
SELECT auc_agg(s, l) IS NULL AS empty_null FROM (SELECT 1.0::float8 s, true l WHERE false) v;
-- propensity scores cast implicitly
SELECT auc_agg(p, l) FROM (VALUES ('0.9'::propensity, true), ('0.2'::propensity, false)) v(p, l);
SELECT auc_agg(s, l) FROM (VALUES ('NaN'::float8, true)) v(s, l);
SELECT auc_agg(s, l) FROM (VALUES ('Infinity'::float8, true)) v(s, l);

-- log loss and Brier by hand
SELECT round(log_loss_agg(p, l)::numeric, 12) AS log_loss, round(((-ln(0.8) - ln(0.6)) / 2)::numeric, 12) AS by_hand,
       brier_agg(p, l), (0.04 + 0.16) / 2 AS brier_by_hand
FROM (VALUES (0.8, true), (0.4, false), (NULL, true), (0.5, NULL)) v(p, l);
-- 0 and 1 are clamped to 1e-15 (as scikit-learn does), so a sure miss is finite
SELECT round(log_loss_agg(p, l)::numeric, 6) AS sure_miss, round((-ln(1e-15))::numeric, 6) AS by_hand FROM (VALUES (0.0, true)) v(p, l);
SELECT log_loss_agg(p, l) IS NULL AND brier_agg(p, l) IS NULL AS empty_null FROM (SELECT 0.5::float8 p, true l WHERE false) v;
SELECT log_loss_agg(p, l) FROM (VALUES (1.5, true)) v(p, l);
SELECT brier_agg(p, l) FROM (VALUES (-0.1, true)) v(p, l);
SELECT brier_agg(p, l) FROM (VALUES ('NaN'::float8, true)) v(p, l);
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT auc_agg('NaN', true)$q$),
  ($q$SELECT auc_agg('-Infinity', true)$q$),
  ($q$SELECT log_loss_agg(1.5, true)$q$),
  ($q$SELECT brier_agg('NaN', true)$q$),
  ($q$SELECT lift_table('{"version": 1, "scores": [1], "rows": [1], "positives": [1]}', 0)$q$),
  ($q$SELECT '{"version": 1, "scores": [1, 2], "rows": [1, 1], "positives": [1, 0]}'::lift$q$),
  ($q$SELECT log_loss_trans('{0,0}', 0.5, true)$q$)) v(q);

-- 80,000 generated rows: a noisy score, a coarse score with many ties,
-- some NULLs
SELECT setseed(0.75);
CREATE TABLE eval_t AS
SELECT i, i % 20 AS g, label,
       CASE WHEN i % 97 = 0 THEN NULL ELSE z + 0.8 * label::int END AS score,
       CASE WHEN i % 89 = 0 THEN NULL ELSE floor(2 * (z + 0.8 * label::int)) END AS coarse,
       1 / (1 + exp(-(z + 0.8 * label::int - 0.4))) AS p
FROM (SELECT i, random() < 0.3 AS label, sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z
      FROM generate_series(1, 80000) i) s;
ANALYZE eval_t;

-- plain-SQL AUC: the Mann-Whitney rank formula with average ranks of ties
CREATE FUNCTION pg_temp.auc_ref(col text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE r float8;
BEGIN
	EXECUTE format($f$
	SELECT (sum(avg_rank) FILTER (WHERE label) - count(*) FILTER (WHERE label) * (count(*) FILTER (WHERE label) + 1) / 2.0)
	       / (count(*) FILTER (WHERE label)::float8 * count(*) FILTER (WHERE NOT label))
	FROM (SELECT label, rank() OVER (ORDER BY %1$I) + (count(*) OVER (PARTITION BY %1$I) - 1) / 2.0 AS avg_rank
	      FROM eval_t WHERE %1$I IS NOT NULL AND label IS NOT NULL) r $f$, col) INTO r;
	RETURN r;
END $$;
SELECT round(auc_agg(score, label)::numeric, 12) AS auc, abs(auc_agg(score, label) - pg_temp.auc_ref('score')) < 1e-12 AS auc_ok,
       round(auc_agg(coarse, label)::numeric, 12) AS auc_coarse, abs(auc_agg(coarse, label) - pg_temp.auc_ref('coarse')) < 1e-12 AS auc_coarse_ok
FROM eval_t;
-- auc(lift_agg) is the same value
SELECT auc(lift_agg(score, label)) = auc_agg(score, label) AS lift_auc_equal,
       auc(lift_agg(coarse, label)) = auc_agg(coarse, label) AS lift_auc_coarse_equal
FROM eval_t;
-- log loss and Brier against plain SQL
SELECT round(log_loss_agg(p, label)::numeric, 10) AS log_loss,
       abs(log_loss_agg(p, label) - (SELECT avg(CASE WHEN label THEN -ln(least(greatest(p, 1e-15), 1 - 1e-15)) ELSE -ln(1 - least(greatest(p, 1e-15), 1 - 1e-15)) END) FROM eval_t)) < 1e-12 AS log_loss_ok,
       round(brier_agg(p, label)::numeric, 10) AS brier,
       abs(brier_agg(p, label) - (SELECT avg((p - label::int) ^ 2) FROM eval_t)) < 1e-12 AS brier_ok
FROM eval_t;

-- lift tables against the plain-SQL bucket rule: rank by descending score,
-- a tie group goes to the bucket of its first row
CREATE FUNCTION pg_temp.lift_ref(col text, buckets int)
RETURNS TABLE (bucket int, rows bigint, positives bigint) LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE format($f$
	WITH r AS (SELECT label, rank() OVER (ORDER BY %1$I DESC) - 1 AS r0, count(*) OVER () AS n
	           FROM eval_t WHERE %1$I IS NOT NULL AND label IS NOT NULL),
	     b AS (SELECT (floor(r0 * %2$s::numeric / n) + 1)::int AS bucket, label FROM r)
	SELECT s.b, count(b.label), count(*) FILTER (WHERE b.label)
	FROM generate_series(1, %2$s) s(b) LEFT JOIN b ON b.bucket = s.b
	GROUP BY s.b ORDER BY s.b $f$, col, buckets);
END $$;
SELECT count(*) AS buckets_differing FROM lift_table((SELECT lift_agg(score, label) FROM eval_t)) l
FULL JOIN pg_temp.lift_ref('score', 10) r USING (bucket)
WHERE (l.rows, l.positives) IS DISTINCT FROM (r.rows, r.positives);
SELECT count(*) AS buckets_differing FROM lift_table((SELECT lift_agg(coarse, label) FROM eval_t), 7) l
FULL JOIN pg_temp.lift_ref('coarse', 7) r USING (bucket)
WHERE (l.rows, l.positives) IS DISTINCT FROM (r.rows, r.positives);
SELECT bucket, rows, positives, round(rate::numeric, 6) AS rate, round(lift::numeric, 6) AS lift,
       round(cumulative_gain::numeric, 6) AS cumulative_gain, min_score, max_score
FROM lift_table((SELECT lift_agg(coarse, label) FROM eval_t), 10);
-- rate, lift and gain against plain SQL
WITH l AS (SELECT * FROM lift_table((SELECT lift_agg(score, label) FROM eval_t))),
     tot AS (SELECT count(*) FILTER (WHERE label)::float8 AS np, count(*)::float8 AS n FROM eval_t WHERE score IS NOT NULL)
SELECT bool_and(abs(rate - positives::float8 / rows) < 1e-15
                AND abs(lift - (positives::float8 / rows) / (np / n)) < 1e-12
                AND abs(cumulative_gain - cum::float8 / np) < 1e-12) AS rates_ok, count(*) AS buckets
FROM (SELECT *, sum(positives) OVER (ORDER BY bucket) AS cum FROM l) l, tot;

-- edge cases: one row, more buckets than rows, all tied, no positives
SELECT * FROM lift_table('{"version": 1, "scores": [0.5], "rows": [1], "positives": [1]}', 3);
SELECT * FROM lift_table('{"version": 1, "scores": [2, 1], "rows": [3, 1], "positives": [0, 0]}', 2);
SELECT * FROM lift_table('{"version": 1, "scores": [], "rows": [], "positives": []}');
SELECT auc('{"version": 1, "scores": [2, 1], "rows": [3, 1], "positives": [0, 0]}') IS NULL AS no_positives_auc_null;
SELECT count(*) AS null_lift_rows FROM lift_table(NULL);
SELECT lift_agg(s, l) FROM (VALUES (0.9, true), (0.5, true), (0.5, false), (0.1, false), (0.1, false)) v(s, l);
SELECT lift_agg(s, l) IS NULL AS empty_null FROM (SELECT 1.0::float8 s, true l WHERE false) v;
SELECT * FROM lift_table((SELECT lift_agg(s, l) FROM (VALUES (0.9, true), (0.5, true), (0.5, false), (0.1, false), (0.1, false)) v(s, l)), 0);

-- text form round-trips; bad text
SELECT lift_agg(score, label)::text::lift::text = lift_agg(score, label)::text AS text_round_trip FROM eval_t;
SELECT '{"version": 1, "scores": [1, 2], "rows": [1, 1], "positives": [1, 0]}'::lift;
SELECT '{"version": 1, "scores": [2, 1], "rows": [0, 1], "positives": [0, 0]}'::lift;
SELECT '{"version": 1, "scores": [2, 1], "rows": [1, 1], "positives": [2, 0]}'::lift;
SELECT '{"version": 1, "scores": [2, 1], "rows": [1], "positives": [1, 0]}'::lift;
SELECT '{"version": 1, "scores": [2, 1], "rows": [1, 1]}'::lift;
SELECT '{"version": 1, "scores": [2], "rows": [1], "positives": [1], "n": 1}'::lift;
SELECT '{"version": 3, "scores": [2], "rows": [1], "positives": [1]}'::lift;
SELECT '{"version": 1, "scores": [2], "rows": [1.5], "positives": [1]}'::lift;

-- two-step: per-group lifts rolled up equal the lift of all rows
CREATE TABLE eval_by_group AS SELECT g, lift_agg(score, label) AS l FROM eval_t GROUP BY g;
SELECT (SELECT rollup(l) FROM eval_by_group)::text = (SELECT lift_agg(score, label) FROM eval_t)::text AS rollup_equals_all;
SELECT count(*) AS groups_differing FROM eval_by_group b
JOIN (SELECT g, auc_agg(score, label) AS a FROM eval_t GROUP BY g) a USING (g)
WHERE auc(b.l) IS DISTINCT FROM a.a;
SELECT rollup(l) IS NULL AS rollup_empty_null FROM eval_by_group WHERE false;

-- binary COPY round trip; crafted binary lifts
CREATE TABLE eval_copy (LIKE eval_by_group);
\copy eval_by_group TO 'results/eval.bin' (FORMAT binary)
\copy eval_copy FROM 'results/eval.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM eval_by_group a FULL JOIN eval_copy b USING (g) WHERE a.l::text IS DISTINCT FROM b.l::text;
CREATE TABLE eval_raw (b bytea);
CREATE TABLE eval_recv (l lift);
INSERT INTO eval_raw SELECT substr(lift_send(l), 1, 30) FROM eval_by_group WHERE g = 0;
\copy eval_raw TO 'results/eval_raw.bin' (FORMAT binary)
\copy eval_recv FROM 'results/eval_raw.bin' (FORMAT binary)
TRUNCATE eval_raw;
INSERT INTO eval_raw VALUES ('\x0100000001' || '\x3ff0000000000000'::bytea || '\x0000000000000001'::bytea || '\x0000000000000002'::bytea);
\copy eval_raw TO 'results/eval_raw.bin' (FORMAT binary)
\copy eval_recv FROM 'results/eval_raw.bin' (FORMAT binary)
TRUNCATE eval_raw;
INSERT INTO eval_raw VALUES ('\x0200000001' || '\x3ff0000000000000'::bytea || '\x0000000000000001'::bytea || '\x0000000000000001'::bytea);
\copy eval_raw TO 'results/eval_raw.bin' (FORMAT binary)
\copy eval_recv FROM 'results/eval_raw.bin' (FORMAT binary)
TRUNCATE eval_raw;
INSERT INTO eval_raw VALUES ('\x01ffffffff');
\copy eval_raw TO 'results/eval_raw.bin' (FORMAT binary)
\copy eval_recv FROM 'results/eval_raw.bin' (FORMAT binary)
TRUNCATE eval_raw;
INSERT INTO eval_raw VALUES ('\x0100000001' || '\x3ff0000000000000'::bytea || '\x0000000000000002'::bytea || '\x0000000000000001'::bytea);
\copy eval_raw TO 'results/eval_raw.bin' (FORMAT binary)
\copy eval_recv FROM 'results/eval_raw.bin' (FORMAT binary)
SELECT l FROM eval_recv;

-- forced parallel plans give the same values
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT auc_agg(score, label), lift_agg(score, label), log_loss_agg(p, label) FROM eval_t;
SELECT abs(auc_agg(score, label) - pg_temp.auc_ref('score')) < 1e-12 AS parallel_auc_ok,
       lift_agg(coarse, label)::text = (SELECT rollup(l) FROM (SELECT lift_agg(coarse, label) AS l FROM eval_t GROUP BY g) x)::text AS parallel_lift_ok,
       round(log_loss_agg(p, label)::numeric, 10) AS log_loss, round(brier_agg(p, label)::numeric, 10) AS brier
FROM eval_t;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

DROP TABLE eval_t, eval_by_group, eval_copy, eval_raw, eval_recv;
