-- Section: bulls-eye targeting (expected_value, target_plan_agg,
-- calibration_fit, calibrate, calibration_table, uplift_agg and metrics).
\echo
\echo '== 22. Whom to spend on: a calibrated, budgeted target list =='
-- The sales team trained its propensity model on a class-balanced sample
-- (every buyer and as many non-buyers), so its scores overstate the chance
-- to buy.  Model: accounts with id % 5 <> 0; calibrator: id % 10 = 0;
-- evaluation: id % 10 = 5.  With 200 calibration accounts the two-parameter
-- Platt map beats isotonic regression (which overfits: Brier below), so
-- the plan uses Platt.
CREATE TEMP VIEW target_features AS
SELECT account_id, converted, account_id % 10 AS split,
       ARRAY[ln(employees), least(web_visits_90d, 80), least(content_downloads, 6),
             demo_requested::int, uses_competitor::int]::float8[] AS x
FROM accounts;
CREATE TEMP TABLE target_model AS
SELECT logistic_fit(converted, x) AS m FROM (
	SELECT *, row_number() OVER (PARTITION BY converted ORDER BY md5(account_id::text)) AS rn,
	       count(*) FILTER (WHERE converted) OVER () AS buyers
	FROM target_features WHERE split NOT IN (0, 5)) s
WHERE converted OR rn <= buyers;
CREATE TEMP TABLE target_cal AS
SELECT calibration_fit(predict(m, x), converted) AS iso, calibration_fit(predict(m, x), converted, 'platt') AS platt
FROM target_features, target_model WHERE split = 0;
\echo 'Reliability on the evaluation accounts: raw model score, then calibrated (Platt)'
SELECT 'raw' AS score, bin, rows, round(mean_predicted::numeric, 3) AS mean_predicted, round(fraction_positive::numeric, 3) AS fraction_positive
FROM (SELECT lift_agg(predict(m, x), converted) AS l FROM target_features, target_model WHERE split = 5) e, calibration_table(l, 5)
UNION ALL
SELECT 'calibrated', bin, rows, round(mean_predicted::numeric, 3), round(fraction_positive::numeric, 3)
FROM (SELECT lift_agg(calibrate(platt, predict(m, x)), converted) AS l FROM target_features, target_model, target_cal WHERE split = 5) e,
     calibration_table(l, 5)
ORDER BY 1 DESC, 2;
SELECT round(brier_agg(predict(m, x), converted)::numeric, 4) AS brier_raw,
       round(brier_agg(calibrate(iso, predict(m, x)), converted)::numeric, 4) AS brier_isotonic,
       round(brier_agg(calibrate(platt, predict(m, x)), converted)::numeric, 4) AS brier_platt,
       round(avg(predict(m, x))::numeric, 3) AS mean_raw, round(avg(calibrate(platt, predict(m, x)))::numeric, 3) AS mean_platt,
       round(avg(converted::int)::numeric, 3) AS actual_rate
FROM target_features, target_model, target_cal WHERE split = 5;

\echo 'The plan: accounts that have not bought, budget 50,000; value = deal size per employee of won deals; cost by size band'
CREATE TEMP TABLE target_candidates AS
SELECT a.account_id, a.name, a.size_band, calibrate(platt, predict(m, f.x)) AS p,
       round((2000 + a.employees * w.per_employee)::numeric, 0)::float8 AS value,
       CASE a.size_band WHEN '1-49' THEN 300 WHEN '50-249' THEN 600 WHEN '250-999' THEN 1200 ELSE 2500 END::float8 AS cost
FROM accounts a JOIN target_features f USING (account_id), target_model, target_cal,
     (SELECT avg((o.amount - 2000) / a.employees)::float8 AS per_employee
      FROM opportunities o JOIN accounts a USING (account_id) WHERE o.stagename = 'Closed Won') w
WHERE NOT a.converted;
CREATE TEMP TABLE target_plan_demo AS
SELECT target_plan_agg(account_id, p, value, cost, 50000) AS plan FROM target_candidates;
SELECT candidates, chosen, spend, round(expected_conversions::numeric, 2) AS expected_conversions,
       round(expected_value) AS expected_value, round(upper_bound) AS upper_bound,
       round((expected_value / upper_bound)::numeric, 4) AS share_of_bound, exact
FROM target_plan_demo, target_plan_summary(plan);
SELECT r.rank, r.id AS account_id, c.name, c.size_band, round(r.p::numeric, 3) AS p, r.value, r.cost,
       round(r.expected_value) AS expected_value, r.cumulative_cost
FROM target_plan_demo, target_plan_rows(plan) r JOIN target_candidates c ON c.account_id = r.id
ORDER BY r.rank LIMIT 15;

\echo
\echo '== 23. Did the outreach cause the conversions? Uplift on the generated campaign =='
-- T-learner: one logistic model on treated accounts, one on control; the
-- predicted uplift is the difference.  Fitted on even ids, judged on odd.
CREATE TEMP TABLE uplift_models AS
SELECT logistic_fit(o.converted, f.x) FILTER (WHERE o.treated) AS mt,
       logistic_fit(o.converted, f.x) FILTER (WHERE NOT o.treated) AS mc
FROM campaign_outreach o JOIN target_features f USING (account_id) WHERE o.account_id % 2 = 0;
CREATE TEMP TABLE uplift_eval AS
SELECT o.*, predict(mt, f.x) - predict(mc, f.x) AS predicted_uplift
FROM campaign_outreach o JOIN target_features f USING (account_id), uplift_models WHERE o.account_id % 2 = 1;
SELECT (SELECT count(*) FROM uplift_eval) AS accounts, round(qini_coefficient(u)::numeric, 3) AS qini,
       round(uplift_auc(u)::numeric, 3) AS uplift_auc, round(uplift_at_k(u, 0.3)::numeric, 3) AS uplift_at_30pct,
       round((SELECT avg(true_effect) FROM (SELECT true_effect FROM uplift_eval ORDER BY predicted_uplift DESC
              LIMIT (SELECT count(*) * 3 / 10 FROM uplift_eval)) t)::numeric, 3) AS true_effect_top_30pct,
       round((SELECT avg(true_effect) FROM uplift_eval)::numeric, 3) AS true_effect_all
FROM (SELECT uplift_agg(predicted_uplift, treated, converted) AS u FROM uplift_eval) x;
SELECT bucket, treated, control, round(treated_rate::numeric, 3) AS treated_rate, round(control_rate::numeric, 3) AS control_rate,
       round(uplift::numeric, 3) AS uplift, round(cumulative_qini::numeric, 1) AS cumulative_qini
FROM (SELECT uplift_agg(predicted_uplift, treated, converted) AS u FROM uplift_eval) x, uplift_table(u, 5) ORDER BY bucket;
