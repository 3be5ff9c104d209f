-- Bulls-eye targeting (SPEC §9): expected_value, target_plan_agg and its
-- accessors, calibration_fit / calibrate / calibration_table, uplift_agg
-- and its metrics.  Known answers, plain-SQL references on generated data,
-- errors, text and binary I/O, parallel and partitionwise plans, rollup.
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
-- expected_value
-- ---------------------------------------------------------------------------
SELECT expected_value('0.25', 1000) AS no_cost, expected_value('0.25', 1000, 100) AS with_cost,
       expected_value(propensity_from_text('73%'), 100, 80) AS negative, expected_value(0.5::propensity, 10, 0) AS cast;
SELECT expected_value('0.5', 'NaN');
SELECT expected_value('0.5', 10, -1);

-- ---------------------------------------------------------------------------
-- target_plan_agg: the issue's example.  Values 60/100/120 (p 1, value
-- 70/120/150, cost 10/20/30), budget 50: the optimum takes 2 and 3 (220);
-- greedy by value per cost would take 1 and 2 (160).  LP bound 60 + 100 +
-- 120 * 20/30 = 240.
-- ---------------------------------------------------------------------------
CREATE TABLE targeting_ks AS
SELECT * FROM (VALUES (1::bigint, 1.0, 70.0, 10.0), (2, 1.0, 120.0, 20.0), (3, 1.0, 150.0, 30.0)) v(id, p, value, cost);
SELECT (target_plan_summary(target_plan_agg(id, p::propensity, value, cost, 50))).* FROM targeting_ks;
SELECT r.* FROM (SELECT target_plan_agg(id, p::propensity, value, cost, 50) AS plan FROM targeting_ks) s,
       target_plan_rows(s.plan) r ORDER BY r.rank;
SELECT target_plan_agg(id, p::propensity, value, cost, 50) FROM targeting_ks;
-- NULL id/p/value/cost skip the row; no candidate fits: an empty exact plan
SELECT (target_plan_summary(target_plan_agg(id, p::propensity, value, cost, 5))).*
FROM (SELECT * FROM targeting_ks UNION ALL SELECT NULL, 1, 1, 1) s;
SELECT target_plan_agg(id, p::propensity, value, cost, 50) IS NULL AS no_rows_null FROM targeting_ks WHERE false;
-- errors
SELECT target_plan_agg(id, p::propensity, value, cost, CASE WHEN id = 3 THEN 60 ELSE 50 END) FROM targeting_ks;
SELECT target_plan_agg(id, p::propensity, value, -cost, 50) FROM targeting_ks;
SELECT target_plan_agg(id, p::propensity, value, cost, -1) FROM targeting_ks;
SELECT target_plan_agg(id, p::propensity, 'Infinity', cost, 50) FROM targeting_ks;
SELECT target_plan_agg(id, p::propensity, value, cost, NULL) FROM targeting_ks;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT target_plan_agg(id, p::propensity, value, cost, CASE WHEN id = 3 THEN 60 ELSE 50 END) FROM targeting_ks$q$),
  ($q$SELECT target_plan_agg(id, p::propensity, value, -cost, 50) FROM targeting_ks$q$),
  ($q$SELECT target_plan_agg(id, p::propensity, value, cost, 'NaN') FROM targeting_ks$q$),
  ($q$SELECT target_plan_agg(id, p::propensity, 'NaN', cost, 50) FROM targeting_ks$q$),
  ($q$SELECT target_plan_agg(id, p::propensity, value, cost, NULL) FROM targeting_ks$q$),
  ($q$SELECT target_plan_agg(1, '1.5', 1, 1, 1)$q$),
  ($q$SELECT expected_value('0.5', 1, 'Infinity')$q$)) v(q);

-- text form: round trip, and every inconsistency refused
SELECT t::text = t::text::target_plan::text AS text_round_trip
FROM (SELECT target_plan_agg(id, p::propensity, value, cost, 50) AS t FROM targeting_ks) s;
SELECT '{"version": 1, "budget": 40, "candidates": 3, "exact": true, "upper_bound": 240, "ids": [2, 3], "p": [1, 1], "value": [120, 150], "cost": [20, 30]}'::target_plan;
SELECT '{"version": 1, "budget": 50, "candidates": 3, "exact": true, "upper_bound": 240, "ids": [2], "p": [0.1], "value": [10], "cost": [20]}'::target_plan;
SELECT '{"version": 2}'::target_plan;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT '{"version": 1, "budget": 50, "candidates": 1, "exact": true, "upper_bound": 240, "ids": [2, 3], "p": [1, 1], "value": [120, 150], "cost": [20, 30]}'::target_plan$q$),
  ($q$SELECT '{"version": 1, "budget": 50, "candidates": 3, "exact": true, "upper_bound": 240, "ids": [2, 3], "p": [1, 2], "value": [120, 150], "cost": [20, 30]}'::target_plan$q$),
  ($q$SELECT '{"version": 1, "budget": 50}'::target_plan$q$),
  ($q$SELECT 'x'::target_plan$q$)) v(q);

-- brute force: 40 random instances of 10 candidates, every subset enumerated
SELECT setseed(0.14);
CREATE TABLE targeting_bf AS
SELECT inst, i AS id, round(random()::numeric, 3)::float8 AS p, round((random() * 300)::numeric, 0)::float8 AS value,
       CASE WHEN inst % 2 = 0 THEN round((random() * 60)::numeric, 0) ELSE round((random() * 60)::numeric, 2) END::float8 AS cost,
       (40 + inst * 3)::float8 AS budget
FROM generate_series(1, 40) inst, generate_series(0, 9) i;
CREATE TABLE targeting_bf_best AS
SELECT inst, max(ev) AS best FROM (
	SELECT b.inst, m, sum(p * value - cost) AS ev, sum(cost) AS spend, max(budget) AS budget
	FROM targeting_bf b, generate_series(0, 1023) m
	WHERE (m >> id::int) & 1 = 1 AND p * value - cost > 0
	GROUP BY b.inst, m) s
WHERE spend <= budget GROUP BY inst;
CREATE TABLE targeting_bf_plan AS
SELECT inst, (target_plan_summary(target_plan_agg(id, p::propensity, value, cost, budget))).*
FROM targeting_bf GROUP BY inst;
SELECT count(*) AS instances, count(*) FILTER (WHERE exact) AS exact,
       count(*) FILTER (WHERE abs(expected_value - coalesce(best, 0)) <= 1e-9 * greatest(1, best)) AS equal_to_brute_force,
       count(*) FILTER (WHERE upper_bound >= coalesce(best, 0) - 1e-9) AS bound_holds,
       count(*) FILTER (WHERE spend <= budget) AS within_budget
FROM targeting_bf_plan LEFT JOIN targeting_bf_best USING (inst);

-- a big instance: 20,000 candidates, whole costs, budget 20,000: 4e8 DP
-- cells is over the limit, so greedy / best single with the bound
SELECT setseed(0.5);
CREATE TABLE targeting_cand AS
SELECT i::bigint AS id, i % 8 AS part, (random() * 0.6)::float8 AS p,
       (1000 + random() * 9000)::float8 AS value, (50 + floor(random() * 950))::float8 AS cost
FROM generate_series(1, 20000) i;
ANALYZE targeting_cand;
CREATE TABLE targeting_big AS SELECT target_plan_agg(id, p::propensity, value, cost, 20000) AS plan FROM targeting_cand;
SELECT candidates, chosen, spend <= 20000 AS within_budget, exact, expected_value <= upper_bound AS below_bound,
       round((expected_value / upper_bound)::numeric, 4) AS share_of_bound
FROM targeting_big, target_plan_summary(plan);
-- the rows agree with the summary, ranks are 1..n, running totals add up
SELECT count(*) = (SELECT chosen FROM targeting_big, target_plan_summary(plan)) AS rows_ok,
       bool_and(r.rank = rn) AS ranks_ok,
       max(cumulative_cost) = (SELECT spend FROM targeting_big, target_plan_summary(plan)) AS spend_ok,
       bool_and(expected_value = expected_value(p, value, cost)) AS ev_ok,
       bool_and(ratio_ok) AS ranked_by_value_per_cost
FROM (SELECT r.*, row_number() OVER (ORDER BY r.rank) AS rn,
             coalesce(lag(r.expected_value / r.cost) OVER (ORDER BY r.rank) >= r.expected_value / r.cost, true) AS ratio_ok
      FROM targeting_big, target_plan_rows(plan) r) r;
-- the same plan with parallel query forced and partitionwise over 8 partitions
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT target_plan_agg(id, p::propensity, value, cost, 20000)::text = (SELECT plan::text FROM targeting_big) AS parallel_identical
FROM targeting_cand;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
CREATE TABLE targeting_cand_part (LIKE targeting_cand) PARTITION BY LIST (part);
DO $$ BEGIN FOR i IN 0..7 LOOP
	EXECUTE format('CREATE TABLE targeting_cand_part_%s PARTITION OF targeting_cand_part FOR VALUES IN (%s)', i, i);
END LOOP; END $$;
INSERT INTO targeting_cand_part SELECT * FROM targeting_cand ORDER BY id DESC;
ANALYZE targeting_cand_part;
SET enable_partitionwise_aggregate = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT target_plan_agg(id, p::propensity, value, cost, 20000)::text = (SELECT plan::text FROM targeting_big) AS partitionwise_identical
FROM targeting_cand_part;
-- grouped by a non-partition key: partial aggregates per partition combined
SELECT count(*) AS groups, bool_and(ok) AS partial_partitionwise_identical FROM (
	SELECT g, target_plan_agg(id, p::propensity, value, cost, 3000)::text =
	          (SELECT target_plan_agg(id, p::propensity, value, cost, 3000)::text FROM targeting_cand c WHERE c.id % 3 = g) AS ok
	FROM (SELECT *, id % 3 AS g FROM targeting_cand_part) s GROUP BY g) x;
RESET enable_partitionwise_aggregate;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
-- an exact big one: 2,000 candidates, budget 5,000 (1e7 cells): at least
-- the greedy prefix (by value per cost, up to the first that does not fit)
SELECT chosen, exact, expected_value >= (
	SELECT sum(ev) FILTER (WHERE cum <= 5000) FROM (
		SELECT p * value - cost AS ev, sum(cost) OVER (ORDER BY (p * value - cost) / cost DESC, id) AS cum
		FROM targeting_cand WHERE id <= 2000 AND p * value - cost > 0) g) AS at_least_greedy_prefix,
       expected_value <= upper_bound AS below_bound
FROM (SELECT (target_plan_summary(target_plan_agg(id, p::propensity, value, cost, 5000))).* FROM targeting_cand WHERE id <= 2000) s;

-- binary COPY round trip; crafted binary plans
CREATE TABLE targeting_plan_copy (plan target_plan);
\copy targeting_big TO 'results/targeting_plan.bin' (FORMAT binary)
\copy targeting_plan_copy FROM 'results/targeting_plan.bin' (FORMAT binary)
SELECT a.plan::text = b.plan::text AS binary_round_trip FROM targeting_big a, targeting_plan_copy b;
CREATE TABLE targeting_raw (b bytea);
CREATE TABLE targeting_plan_recv (plan target_plan);
INSERT INTO targeting_raw SELECT substr(target_plan_send(plan), 1, 40) FROM targeting_big;
\copy targeting_raw TO 'results/targeting_raw.bin' (FORMAT binary)
\copy targeting_plan_recv FROM 'results/targeting_raw.bin' (FORMAT binary)
TRUNCATE targeting_raw;
-- version 2
INSERT INTO targeting_raw SELECT '\x02'::bytea || substr(target_plan_send(plan), 2) FROM targeting_big;
\copy targeting_raw TO 'results/targeting_raw.bin' (FORMAT binary)
\copy targeting_plan_recv FROM 'results/targeting_raw.bin' (FORMAT binary)
TRUNCATE targeting_raw;
-- over budget: budget 1 with one chosen candidate of cost 20
INSERT INTO targeting_raw VALUES ('\x0101' || '\x0000000000000001'::bytea || float8send(1) || float8send(100)
	|| '\x00000001'::bytea || int8send(7) || float8send(1) || float8send(120) || float8send(20));
\copy targeting_raw TO 'results/targeting_raw.bin' (FORMAT binary)
\copy targeting_plan_recv FROM 'results/targeting_raw.bin' (FORMAT binary)
SELECT count(*) AS received FROM targeting_plan_recv;

-- ---------------------------------------------------------------------------
-- calibration
-- ---------------------------------------------------------------------------
-- Platt on the scores [5, -4, 1] with labels [1, 0, 0]: libsvm's A and B
-- (scikit-learn's test_sigmoid_calibration), to 1e-6
SELECT abs((c::text::json->>'a')::float8 - -0.20261354391187855) < 1e-6 AS a_ok,
       abs((c::text::json->>'b')::float8 - 0.6523631498001051) < 1e-6 AS b_ok,
       round(calibrate(c, 5)::numeric, 6) AS p5, round((1 / (1 + exp(-0.20261354391187855 * 5 + 0.6523631498001051)))::numeric, 6) AS by_hand
FROM (SELECT calibration_fit(s, l, 'platt') AS c FROM (VALUES (5.0, true), (-4.0, false), (1.0, false)) v(s, l)) x;
-- isotonic by hand: scores 1, 2, 2, 3, 4 with labels 0, 1, 0, 1, 0 ... ties
-- pooled (2: 0.5), then PAV pools 3 and 4 (0.5): points 1 -> 0, 2 -> 0.5, 4 -> 0.5
SELECT c FROM (SELECT calibration_fit(s, l) AS c FROM (VALUES (1.0, false), (2.0, true), (2.0, false), (3.0, true), (4.0, false)) v(s, l)) x;
SELECT s, calibrate(c, s) AS p
FROM (SELECT calibration_fit(s, l) AS c FROM (VALUES (1.0, false), (2.0, true), (2.0, false), (3.0, true), (4.0, false)) v(s, l)) x,
     (VALUES (-10.0), (1.0), (1.5), (2.0), (3.5), (100.0)) t(s) ORDER BY s;
-- all one class, NaN, unknown method: errors; no rows: NULL
SELECT calibration_fit(s, l) FROM (VALUES (1.0, true), (2.0, true)) v(s, l);
SELECT calibration_fit(s, l, 'beta') FROM (VALUES (1.0, true), (2.0, false)) v(s, l);
SELECT calibrate('{"version": 1, "method": "platt", "rows": 3, "positives": 1, "a": -0.2, "b": 0.65}', 'NaN');
SELECT calibration_fit(s, l) IS NULL AS no_rows_null FROM (VALUES (1.0, true)) v(s, l) WHERE false;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT calibration_fit(s, l) FROM (VALUES (1.0, true), (2.0, true)) v(s, l)$q$),
  ($q$SELECT calibration_fit(s, l, 'beta') FROM (VALUES (1.0, true)) v(s, l)$q$),
  ($q$SELECT calibration_fit(s, l, NULL) FROM (VALUES (1.0, true)) v(s, l)$q$),
  ($q$SELECT calibration_fit(s, l, m) FROM (VALUES (1.0, true, 'platt'), (2.0, false, 'isotonic')) v(s, l, m)$q$),
  ($q$SELECT calibration_fit('Infinity', true)$q$),
  ($q$SELECT calibrate('{"version": 1, "method": "platt", "rows": 3, "positives": 1, "a": -0.2, "b": 0.65}', 'NaN')$q$),
  ($q$SELECT '{"version": 1, "method": "isotonic", "rows": 3, "positives": 1, "x": [2, 1], "y": [0, 1]}'::calibrator$q$),
  ($q$SELECT '{"version": 1, "method": "isotonic", "rows": 3, "positives": 1, "x": [1, 2], "y": [0, 1.5]}'::calibrator$q$),
  ($q$SELECT '{"version": 1, "method": "platt", "rows": 3, "positives": 1, "a": 1}'::calibrator$q$),
  ($q$SELECT '{"version": 1, "method": "platt", "rows": 3, "positives": 0, "a": 1, "b": 2}'::calibrator$q$),
  ($q$SELECT '{"version": 1, "method": "platt"'::calibrator$q$)) v(q);
SELECT '{"version": 1, "method": "isotonic", "rows": 3, "positives": 1, "x": [2, 1], "y": [0, 1]}'::calibrator;
SELECT '{"version": 1, "method": "sigmoid", "rows": 3, "positives": 1, "a": 1, "b": 0}'::calibrator;

-- 60,000 generated rows: a mis-calibrated score (true p = sigmoid(2 z - 1),
-- the score sigmoid(z)), some ties (rounded to 3 places), some NULLs
SELECT setseed(0.3);
CREATE TABLE targeting_cal AS
SELECT i, i % 10 AS g, s, (random() < 1 / (1 + exp(-(2 * z - 1)))) AS label,
       CASE WHEN i % 101 = 0 THEN NULL ELSE round((1 / (1 + exp(-z)))::numeric, 3)::float8 END AS score
FROM (SELECT i, random() AS s, sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z
      FROM generate_series(1, 60000) i) x;
ANALYZE targeting_cal;
CREATE TABLE targeting_cals AS
SELECT calibration_fit(score, label) AS iso, calibration_fit(score, label, 'platt') AS platt FROM targeting_cal;
-- isotonic: predictions non-decreasing in the score; the mean of the
-- calibrated training predictions equals the positive rate (PAV keeps
-- each block's mean); calibration lowers the Brier score
SELECT bool_and(ok) AS monotone FROM (
	SELECT coalesce(lag(p) OVER (ORDER BY score) <= p, true) AS ok
	FROM (SELECT DISTINCT score, calibrate(iso, score) AS p FROM targeting_cal, targeting_cals WHERE score IS NOT NULL) d) m;
SELECT abs(avg(calibrate(iso, score)) - avg(label::int)) < 1e-12 AS mean_preserved,
       brier_agg(calibrate(iso, score), label) < brier_agg(score, label) AS iso_brier_better,
       brier_agg(calibrate(platt, score), label) < brier_agg(score, label) AS platt_brier_better
FROM targeting_cal, targeting_cals WHERE score IS NOT NULL;
-- Platt: the gradient of the smoothed-target log-likelihood is ~0 at the fit
SELECT abs(sum(f * (t - p))) < 1e-5 AS grad_a_zero, abs(sum(t - p)) < 1e-5 AS grad_b_zero FROM (
	SELECT score AS f, 1 / (1 + exp((platt::text::json->>'a')::float8 * score + (platt::text::json->>'b')::float8)) AS p,
	       CASE WHEN label THEN (np + 1.0) / (np + 2) ELSE 1.0 / (nn + 2) END AS t
	FROM targeting_cal, targeting_cals,
	     (SELECT count(*) FILTER (WHERE label) AS np, count(*) FILTER (WHERE NOT label) AS nn FROM targeting_cal WHERE score IS NOT NULL) c
	WHERE score IS NOT NULL) x;
-- the same calibrators with parallel query forced and partitionwise
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT calibration_fit(score, label)::text = (SELECT iso::text FROM targeting_cals) AS iso_parallel_identical,
       calibration_fit(score, label, 'platt')::text = (SELECT platt::text FROM targeting_cals) AS platt_parallel_identical
FROM targeting_cal;
CREATE TABLE targeting_cal_part (LIKE targeting_cal) PARTITION BY LIST (g);
DO $$ BEGIN FOR i IN 0..9 LOOP
	EXECUTE format('CREATE TABLE targeting_cal_part_%s PARTITION OF targeting_cal_part FOR VALUES IN (%s)', i, i);
END LOOP; END $$;
INSERT INTO targeting_cal_part SELECT * FROM targeting_cal ORDER BY s;
ANALYZE targeting_cal_part;
SET enable_partitionwise_aggregate = on;
SELECT count(*) AS groups, bool_and(ok) AS partial_partitionwise_identical FROM (
	SELECT h, calibration_fit(score, label)::text =
	       (SELECT calibration_fit(score, label)::text FROM targeting_cal c WHERE c.i % 2 = p.h) AS ok
	FROM (SELECT *, i % 2 AS h FROM targeting_cal_part) p GROUP BY h) x;
RESET enable_partitionwise_aggregate;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- text and binary round trips
SELECT iso::text::calibrator::text = iso::text AS iso_text, platt::text::calibrator::text = platt::text AS platt_text,
       (platt::text::json->>'method') AS method, json_array_length(iso::text::json->'x') > 10 AS iso_points
FROM targeting_cals;
CREATE TABLE targeting_cals_copy (LIKE targeting_cals);
\copy targeting_cals TO 'results/targeting_cal.bin' (FORMAT binary)
\copy targeting_cals_copy FROM 'results/targeting_cal.bin' (FORMAT binary)
SELECT a.iso::text = b.iso::text AND a.platt::text = b.platt::text AS binary_round_trip FROM targeting_cals a, targeting_cals_copy b;
CREATE TABLE targeting_cal_recv (c calibrator);
TRUNCATE targeting_raw;
INSERT INTO targeting_raw SELECT substr(calibrator_send(iso), 1, 30) FROM targeting_cals;
\copy targeting_raw TO 'results/targeting_raw.bin' (FORMAT binary)
\copy targeting_cal_recv FROM 'results/targeting_raw.bin' (FORMAT binary)
TRUNCATE targeting_raw;
-- an isotonic point y = 2
INSERT INTO targeting_raw VALUES ('\x0101' || int8send(3) || int8send(1) || '\x00000001'::bytea || float8send(0.5) || float8send(2));
\copy targeting_raw TO 'results/targeting_raw.bin' (FORMAT binary)
\copy targeting_cal_recv FROM 'results/targeting_raw.bin' (FORMAT binary)
TRUNCATE targeting_raw;
-- method 3
INSERT INTO targeting_raw VALUES ('\x0103' || int8send(3) || int8send(1) || float8send(1) || float8send(2));
\copy targeting_raw TO 'results/targeting_raw.bin' (FORMAT binary)
\copy targeting_cal_recv FROM 'results/targeting_raw.bin' (FORMAT binary)
SELECT count(*) AS received FROM targeting_cal_recv;

-- calibration_table against a plain-SQL reliability table (calibration_curve's
-- rule: bin = number of inner edges i / n below the score; empty bins dropped)
CREATE FUNCTION pg_temp.reliability_ref(nbins int, quantile boolean) RETURNS TABLE (bin int, rows bigint, mean_predicted float8, fraction_positive float8)
LANGUAGE sql AS $$
	WITH e AS (
		SELECT unnest(CASE WHEN quantile
		                   THEN (SELECT percentile_cont(ARRAY(SELECT i * (1.0::float8 / nbins) FROM generate_series(1, nbins - 1) i))
		                         WITHIN GROUP (ORDER BY score) FROM targeting_cal)
		                   ELSE ARRAY(SELECT i * (1.0::float8 / nbins) FROM generate_series(1, nbins - 1) i) END) AS edge),
	b AS (SELECT score, label, (SELECT count(*) FROM e WHERE e.edge < score)::int + 1 AS bin FROM targeting_cal WHERE score IS NOT NULL)
	SELECT bin, count(*), avg(score), avg(label::int)::float8 FROM b GROUP BY bin
$$;
SELECT t.*, round(r.mean_predicted::numeric, 6) AS ref_mean, abs(t.mean_predicted - r.mean_predicted) < 1e-12 AND t.fraction_positive = r.fraction_positive AND t.rows = r.rows AS ok
FROM (SELECT lift_agg(score, label) AS l FROM targeting_cal) x, calibration_table(l) t
FULL JOIN pg_temp.reliability_ref(10, false) r USING (bin) ORDER BY bin;
SELECT count(*) AS bins, bool_and(t.rows = r.rows AND abs(t.mean_predicted - r.mean_predicted) < 1e-12 AND t.fraction_positive = r.fraction_positive) AS quantile_ok
FROM (SELECT lift_agg(score, label) AS l FROM targeting_cal) x, calibration_table(l, 5, 'quantile') t
FULL JOIN pg_temp.reliability_ref(5, true) r USING (bin);
-- after calibration, the isotonic map is reliable on its training rows
SELECT bin, rows, round(mean_predicted::numeric, 3) AS mean_predicted, round(fraction_positive::numeric, 3) AS fraction_positive
FROM (SELECT lift_agg(calibrate(iso, score), label) AS l FROM targeting_cal, targeting_cals) x, calibration_table(l, 5) ORDER BY bin;
SELECT * FROM calibration_table('{"version": 1, "scores": [2, 0.5], "rows": [1, 1], "positives": [1, 0]}');
SELECT * FROM calibration_table('{"version": 1, "scores": [0.5], "rows": [1], "positives": [1]}', 10, 'kmeans');
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT * FROM calibration_table('{"version": 1, "scores": [2, 0.5], "rows": [1, 1], "positives": [1, 0]}')$q$),
  ($q$SELECT * FROM calibration_table('{"version": 1, "scores": [0.5], "rows": [1], "positives": [1]}', 0)$q$),
  ($q$SELECT * FROM calibration_table('{"version": 1, "scores": [0.5], "rows": [1], "positives": [1]}', 10, 'kmeans')$q$)) v(q);

-- ---------------------------------------------------------------------------
-- uplift
-- ---------------------------------------------------------------------------
-- by hand (see test/unit/test_targeting.c): rows (score, treated,
-- converted) (3,t,t) (2,t,f) (2,f,f) (1,f,t) (1,t,t) (0,f,f).  Qini curve
-- (0,0) (1,1) (3,1) (5,0.5) (6,1): area 4.75; perfect (0,0) (2,2) (5,2)
-- (6,1): 9.5; random 3: (4.75 - 3) / (9.5 - 3).
CREATE TABLE targeting_up_small AS SELECT * FROM (VALUES (3.0, true, true), (2.0, true, false), (2.0, false, false),
	(1.0, false, true), (1.0, true, true), (0.0, false, false), (NULL, true, true)) v(s, t, y);
SELECT u, qini_coefficient(u), (4.75 - 3) / (9.5 - 3) AS by_hand, uplift_at_k(u, 0.5) AS at_half, uplift_at_k(u, 0.5, 'by_group') AS at_half_by_group,
       uplift_at_k(u, 0.1) AS no_control_in_top
FROM (SELECT uplift_agg(s, t, y) AS u FROM targeting_up_small) x;
SELECT b.* FROM (SELECT uplift_agg(s, t, y) AS u FROM targeting_up_small) x, uplift_table(u, 3) b ORDER BY bucket;
SELECT uplift_agg(s, t, y) IS NULL AS no_rows_null FROM targeting_up_small WHERE false;
SELECT uplift_at_k(uplift_agg(s, t, y), 0) FROM targeting_up_small;
SELECT uplift_at_k(uplift_agg(s, t, y), 0.3, 'top') FROM targeting_up_small;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT uplift_at_k(uplift_agg(s, t, y), 0) FROM targeting_up_small$q$),
  ($q$SELECT uplift_at_k(uplift_agg(s, t, y), 1.5) FROM targeting_up_small$q$),
  ($q$SELECT uplift_at_k(uplift_agg(s, t, y), 'NaN') FROM targeting_up_small$q$),
  ($q$SELECT uplift_at_k(uplift_agg(s, t, y), 0.3, 'top') FROM targeting_up_small$q$),
  ($q$SELECT uplift_table(uplift_agg(s, t, y), 0) FROM targeting_up_small$q$),
  ($q$SELECT uplift_agg('NaN', true, true)$q$),
  ($q$SELECT '{"version": 1, "scores": [1, 2], "treated": [1, 0], "treated_conversions": [1, 0], "control": [0, 1], "control_conversions": [0, 0]}'::uplift$q$),
  ($q$SELECT '{"version": 1, "scores": [2], "treated": [1], "treated_conversions": [2], "control": [0], "control_conversions": [0]}'::uplift$q$),
  ($q$SELECT '{"version": 1, "scores": [2]}'::uplift$q$)) v(q);
SELECT '{"version": 1, "scores": [2], "treated": [0], "treated_conversions": [0], "control": [0], "control_conversions": [0]}'::uplift;
-- only treated rows: the metrics are undefined (NULL; scikit-uplift would
-- compare against a control group that does not exist)
SELECT qini_coefficient(u) IS NULL AS qini_null, uplift_auc(u) IS NULL AS auc_null, uplift_at_k(u) IS NULL AS at_k_null
FROM (SELECT uplift_agg(s, true, y) AS u FROM targeting_up_small) x;

-- 40,000 generated rows: a campaign whose effect is 0.2 for half the rows
-- (x > 0) and 0 otherwise; the score is x plus noise, distinct
SELECT setseed(0.9);
CREATE TABLE targeting_up AS
SELECT i, i % 10 AS g, t, x + 0.5 * n AS score, random() < 0.1 + CASE WHEN t AND x > 0 THEN 0.2 ELSE 0 END AS y
FROM (SELECT i, random() < 0.5 AS t, random() - 0.5 AS x, random() AS n FROM generate_series(1, 40000) i) s;
ANALYZE targeting_up;
-- plain-SQL curves with window functions: area under the Qini / uplift
-- curve of a score expression (scikit-uplift's qini_curve, uplift_curve)
CREATE FUNCTION pg_temp.curve(score_sql text, qini boolean, OUT area float8, OUT last_x float8, OUT last_y float8) LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format($f$
	WITH g AS (SELECT %s AS s, count(*) FILTER (WHERE t) AS nt, count(*) FILTER (WHERE t AND y) AS yt,
	                  count(*) FILTER (WHERE NOT t) AS nc, count(*) FILTER (WHERE NOT t AND y) AS yc
	           FROM targeting_up GROUP BY 1),
	c AS (SELECT s, sum(nt) OVER w AS ct, sum(yt) OVER w AS cyt, sum(nc) OVER w AS cc, sum(yc) OVER w AS cyc
	      FROM g WINDOW w AS (ORDER BY s DESC)),
	p AS (SELECT (ct + cc)::float8 AS x,
	             CASE WHEN %L THEN cyt - cyc * CASE WHEN cc > 0 THEN ct::float8 / cc ELSE 0 END
	                  ELSE ((CASE WHEN ct > 0 THEN cyt::float8 / ct ELSE 0 END) - (CASE WHEN cc > 0 THEN cyc::float8 / cc ELSE 0 END)) * (ct + cc) END AS y
	      FROM c UNION ALL SELECT 0, 0)
	SELECT sum((x - px) * (y + py) / 2), max(x), (array_agg(y ORDER BY x DESC))[1]
	FROM (SELECT x, y, lag(x) OVER (ORDER BY x) AS px, lag(y) OVER (ORDER BY x) AS py FROM p) q WHERE px IS NOT NULL $f$, score_sql, qini)
	INTO area, last_x, last_y;
END $$;
CREATE TABLE targeting_up_ref AS
SELECT (m.area - m.last_x * m.last_y / 2) / (pq.area - m.last_x * m.last_y / 2) AS qini,
       (um.area - um.last_x * um.last_y / 2) / (pu.area - um.last_x * um.last_y / 2) AS auuc
FROM pg_temp.curve('score', true) m,
     pg_temp.curve('CASE WHEN y AND t THEN 1 WHEN y THEN -1 ELSE 0 END', true) pq,
     pg_temp.curve('score', false) um,
     pg_temp.curve(format('2 * (y = t)::int + CASE WHEN %L THEN y::int ELSE t::int END',
                          (SELECT count(*) FILTER (WHERE y AND NOT t) > count(*) FILTER (WHERE t AND NOT y) FROM targeting_up)), false) pu;
CREATE TABLE targeting_ups AS SELECT uplift_agg(score, t, y) AS u FROM targeting_up;
SELECT round(qini_coefficient(u)::numeric, 6) AS qini, abs(qini_coefficient(u) - qini) < 1e-9 AS qini_ok,
       round(uplift_auc(u)::numeric, 6) AS auuc, abs(uplift_auc(u) - auuc) < 1e-9 AS auuc_ok
FROM targeting_ups, targeting_up_ref;
-- uplift_at_k: the top int(n k) rows by score (scores are distinct here)
-- (numbered rows, not ORDER BY ... LIMIT: PostgreSQL 15.18 returns too few rows
-- when a Gather Merge under a LIMIT is rescanned for each k with parallel query forced)
SELECT k, round(uplift_at_k(u, k)::numeric, 6) AS overall, abs(uplift_at_k(u, k) - ref) < 1e-12 AS overall_ok,
       abs(uplift_at_k(u, k, 'by_group') - ref_g) < 1e-12 AS by_group_ok
FROM targeting_ups, (VALUES (0.1::float8), (0.3), (0.5), (1.0)) kk(k),
LATERAL (SELECT avg(y::int) FILTER (WHERE t AND rn <= floor(40000 * k)) - avg(y::int) FILTER (WHERE NOT t AND rn <= floor(40000 * k)) AS ref
         FROM (SELECT t, y, row_number() OVER (ORDER BY score DESC) AS rn FROM targeting_up) q) r,
LATERAL (SELECT avg(y::int) FILTER (WHERE t AND rn <= floor(n * k)) - avg(y::int) FILTER (WHERE NOT t AND rn <= floor(n * k)) AS ref_g
         FROM (SELECT t, y, row_number() OVER (PARTITION BY t ORDER BY score DESC) AS rn, count(*) OVER (PARTITION BY t) AS n FROM targeting_up) q) rg
ORDER BY k;
-- uplift_table against np.array_split buckets in SQL
SELECT b.bucket, b.treated, b.control, round(b.uplift::numeric, 4) AS uplift, round(b.cumulative_qini::numeric, 2) AS cumulative_qini,
       b.treated = r.nt AND b.control = r.nc AND abs(b.treated_rate - r.rt) < 1e-12 AND abs(b.control_rate - r.rc) < 1e-12
       AND abs(b.cumulative_qini - r.cq) < 1e-9 AS ok
FROM targeting_ups, uplift_table(u, 5) b
JOIN (SELECT bucket, nt, nc, rt, rc,
             sum(yt) OVER w - sum(yc) OVER w * (sum(nt) OVER w)::float8 / sum(nc) OVER w AS cq
      FROM (SELECT bucket, count(*) FILTER (WHERE t) AS nt, count(*) FILTER (WHERE NOT t) AS nc,
                   count(*) FILTER (WHERE t AND y) AS yt, count(*) FILTER (WHERE NOT t AND y) AS yc,
                   avg(y::int) FILTER (WHERE t)::float8 AS rt, avg(y::int) FILTER (WHERE NOT t)::float8 AS rc
            FROM (SELECT t, y, (row_number() OVER (ORDER BY score DESC) - 1) / 8000 + 1 AS bucket FROM targeting_up) s GROUP BY bucket) x
      WINDOW w AS (ORDER BY bucket)) r USING (bucket)
ORDER BY bucket;
-- parallel forced, partitionwise, rollup of stored per-group summaries
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT uplift_agg(score, t, y)::text = (SELECT u::text FROM targeting_ups) AS parallel_identical FROM targeting_up;
CREATE TABLE targeting_up_part (LIKE targeting_up) PARTITION BY LIST (g);
DO $$ BEGIN FOR i IN 0..9 LOOP
	EXECUTE format('CREATE TABLE targeting_up_part_%s PARTITION OF targeting_up_part FOR VALUES IN (%s)', i, i);
END LOOP; END $$;
INSERT INTO targeting_up_part SELECT * FROM targeting_up ORDER BY score;
ANALYZE targeting_up_part;
SET enable_partitionwise_aggregate = on;
SELECT uplift_agg(score, t, y)::text = (SELECT u::text FROM targeting_ups) AS partitionwise_identical FROM targeting_up_part;
SELECT count(*) AS groups, bool_and(ok) AS partial_partitionwise_identical FROM (
	SELECT h, uplift_agg(score, t, y)::text = (SELECT uplift_agg(score, t, y)::text FROM targeting_up c WHERE c.i % 3 = p.h) AS ok
	FROM (SELECT *, i % 3 AS h FROM targeting_up_part) p GROUP BY h) x;
RESET enable_partitionwise_aggregate;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
CREATE TABLE targeting_up_by_g AS SELECT g, uplift_agg(score, t, y) AS u FROM targeting_up GROUP BY g;
SELECT (SELECT rollup(u) FROM targeting_up_by_g)::text = (SELECT u::text FROM targeting_ups) AS rollup_equals_all,
       (SELECT rollup(u) FROM targeting_up_by_g WHERE false) IS NULL AS rollup_empty_null;
-- text and binary round trips; crafted binary
SELECT u::text::uplift::text = u::text AS text_round_trip FROM targeting_ups;
CREATE TABLE targeting_up_copy (LIKE targeting_up_by_g);
\copy targeting_up_by_g TO 'results/targeting_up.bin' (FORMAT binary)
\copy targeting_up_copy FROM 'results/targeting_up.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM targeting_up_by_g a FULL JOIN targeting_up_copy b USING (g) WHERE a.u::text IS DISTINCT FROM b.u::text;
CREATE TABLE targeting_up_recv (u uplift);
TRUNCATE targeting_raw;
INSERT INTO targeting_raw SELECT substr(uplift_send(u), 1, 30) FROM targeting_up_by_g WHERE g = 0;
\copy targeting_raw TO 'results/targeting_raw.bin' (FORMAT binary)
\copy targeting_up_recv FROM 'results/targeting_raw.bin' (FORMAT binary)
TRUNCATE targeting_raw;
-- conversions above rows
INSERT INTO targeting_raw VALUES ('\x0100000001' || float8send(1) || int8send(1) || int8send(2) || int8send(0) || int8send(0));
\copy targeting_raw TO 'results/targeting_raw.bin' (FORMAT binary)
\copy targeting_up_recv FROM 'results/targeting_raw.bin' (FORMAT binary)
SELECT count(*) AS received FROM targeting_up_recv;

DROP TABLE targeting_ks, targeting_bf, targeting_bf_best, targeting_bf_plan, targeting_cand, targeting_big,
	targeting_cand_part, targeting_plan_copy, targeting_raw, targeting_plan_recv, targeting_cal, targeting_cals,
	targeting_cal_part, targeting_cals_copy, targeting_cal_recv, targeting_up_small, targeting_up, targeting_up_ref,
	targeting_ups, targeting_up_part, targeting_up_by_g, targeting_up_copy, targeting_up_recv;
