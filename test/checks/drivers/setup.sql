-- Data for test/checks/drivers.sh: a column of every b2btarget type (1.0's
-- and 1.1's), and
-- the inputs of every report function.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
DROP TABLE IF EXISTS drv_all, drv_write;
RESET client_min_messages;
CREATE TABLE drv_all AS
SELECT 1 AS id,
       'purchase'::journey_stage AS stage,
       'champion'::buying_role AS role,
       'champions'::segment AS seg,
       '5-4-3'::rfm AS cell,
       0.73::propensity AS p,
       ARRAY['awareness', 'decision']::journey_stage[] AS stages,
       (SELECT funnel_agg((i % 7 + 1)::journey_stage) FROM generate_series(1, 50) i) AS f,
       (SELECT journey_agg(timestamptz '2025-01-01 00:00:00+00' + i * interval '2 days', (i % 5 + 1)::journey_stage)
          FROM generate_series(0, 9) i) AS j,
       (SELECT committee_agg(((i % 11) + 1)::buying_role, (i % 7 + 1)::journey_stage, (i % 10) / 10.0, 1)
          FROM generate_series(1, 30) i) AS c,
       (SELECT logistic_fit((i * 7) % 5 < 2, ARRAY[(i % 10)::float8], ARRAY['x'])
          FROM generate_series(1, 200) i) AS m,
       (SELECT lift_agg((i % 10) / 10.0, i % 3 = 0) FROM generate_series(1, 100) i) AS l,
       (SELECT rfm_thresholds_agg(i, i % 7, i * 2) FROM generate_series(1, 100) i) AS rt,
       (SELECT value_tier_agg(i) FROM generate_series(1, 100) i) AS vt,
       '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}'::bgnbd_model AS bg,
       '{"p": 6.25, "q": 3.74, "v": 15.44}'::gamma_gamma_model AS gg,
       -- the stored types new in 1.1
       (SELECT logistic_step(NULL, i % 3 = 0, ARRAY[(i % 10)::float8]) FROM generate_series(1, 100) i) AS ls,
       (SELECT score_histogram_agg((i % 10) / 10.0, i % 3 = 0) FROM generate_series(1, 100) i) AS sh,
       '{"version": 1, "kind": "values", "relative_accuracy": 0.01, "dims": [{"count": 4, "zeros": 1, "sum": 7.5, "min": 0, "max": 5, "positive": {"offset": 0, "counts": [1, 0, 2], "sums": [1, 0, 6.5]}, "negative": {"offset": 0, "counts": [], "sums": []}}]}'::quantile_sketch AS qs,
       (SELECT repeat_histories_agg(i % 4, (i % 4) * 2, 10) FROM generate_series(1, 50) i) AS rh,
       (SELECT touch_path_agg(timestamptz '2025-01-01 00:00:00+00' + i * interval '1 day', (ARRAY['web', 'email', 'demo'])[i % 3 + 1])
          FROM generate_series(1, 6) i) AS tp,
       (SELECT attribution_agg(tp, timestamptz '2025-02-01 00:00:00+00')
          FROM (SELECT touch_path_agg(timestamptz '2025-01-01 00:00:00+00' + i * interval '1 day', (ARRAY['web', 'email', 'demo'])[i % 3 + 1]) AS tp
                FROM generate_series(1, 12) i GROUP BY i % 4) s) AS att,
       (SELECT calibration_fit((i % 10) / 10.0, i % 3 = 0) FROM generate_series(1, 100) i) AS cal,
       (SELECT uplift_agg((i % 10) / 10.0, i % 2 = 0, i % 3 = 0) FROM generate_series(1, 100) i) AS up,
       (SELECT target_plan_agg(i, (i % 10) / 10.0, 100, 10 + i % 5, 100) FROM generate_series(1, 30) i) AS tpl,
       (SELECT kmeans_fit(ARRAY[(i % 10)::float8, (i % 7)::float8], 2) FROM generate_series(1, 100) i) AS km,
       (SELECT survival_agg(i * interval '1 day', i % 3 = 0) FROM generate_series(1, 30) i) AS sv,
       (SELECT cumulative_incidence_agg(i * interval '1 day', (ARRAY['won', 'lost'])[i % 2 + 1]) FROM generate_series(1, 30) i) AS ci,
       (SELECT stage_transitions_agg(j)
          FROM (SELECT journey_agg(timestamptz '2025-01-01 00:00:00+00' + i * interval '2 days', (i % 5 + 1)::journey_stage) AS j
                FROM generate_series(0, 9) i GROUP BY i % 3) s) AS st;
CREATE TABLE drv_write (LIKE drv_all);
