-- Section: bulls-eye targeting (expected_value, target_plan_agg,
-- calibration_fit, calibrate, calibration_table, uplift_agg and metrics).
\echo
\echo '== 22. Whom to spend on: a calibrated, budgeted target list =='
-- The one propensity of every account (section 13, account_scores) is
-- calibrated on half of the held-out accounts (id % 10 = 0) and judged on
-- the other half (id % 10 = 5); the plan chooses among the open accounts of
-- section 19 (not bought, not stalled), under a budget.
CREATE TEMP VIEW target_features AS
SELECT account_id, converted, account_id % 10 AS split,
       ARRAY[ln(employees), least(web_visits_90d, 80), least(content_downloads, 6),
             demo_requested::int, uses_competitor::int]::float8[] AS x
FROM accounts;
CREATE TEMP TABLE target_cal AS
SELECT calibration_fit(propensity, converted) AS iso, calibration_fit(propensity, converted, 'platt') AS platt
FROM account_scores WHERE account_id % 10 = 0;
\echo 'Reliability on the evaluation accounts: the model''s propensity, then calibrated (Platt)'
SELECT 'model' AS score, bin, rows, pct(mean_predicted) AS mean_predicted, pct(fraction_positive) AS actual_buyers
FROM (SELECT lift_agg(propensity, converted) AS l FROM account_scores WHERE account_id % 10 = 5) e, calibration_table(l, 5)
UNION ALL
SELECT 'calibrated', bin, rows, pct(mean_predicted), pct(fraction_positive)
FROM (SELECT lift_agg(calibrate(platt, propensity), converted) AS l FROM account_scores, target_cal WHERE account_id % 10 = 5) e,
     calibration_table(l, 5)
ORDER BY 1 DESC, 2;
SELECT round(brier_agg(propensity, converted)::numeric, 4) AS brier_model,
       round(brier_agg(calibrate(iso, propensity), converted)::numeric, 4) AS brier_isotonic,
       round(brier_agg(calibrate(platt, propensity), converted)::numeric, 4) AS brier_platt,
       pct(avg(propensity)) AS mean_model, pct(avg(calibrate(platt, propensity))) AS mean_platt,
       pct(avg(converted::int)) AS actual_rate
FROM account_scores, target_cal WHERE account_id % 10 = 5;
\echo 'Brier: mean squared error of the probabilities (lower is better). Calibration keeps the ranking and corrects the level; this model was trained on a representative sample, so it was nearly calibrated already.'

\echo 'The plan: the open accounts of section 19, budget 50,000; value = the account''s opportunity amount (or the mean of its size band); cost by size band'
CREATE TEMP TABLE target_candidates AS
SELECT t.account_id, t.name, a.size_band, t.roles_to_engage, calibrate(platt, t.propensity) AS p,
       coalesce(o.amount, b.mean_amount)::float8 AS value,
       CASE a.size_band WHEN '1-49' THEN 300 WHEN '50-249' THEN 600 WHEN '250-999' THEN 1200 ELSE 2500 END::float8 AS cost
FROM target_list t JOIN accounts a USING (account_id) CROSS JOIN target_cal
LEFT JOIN opportunities o USING (account_id)
JOIN (SELECT a.size_band, avg(o.amount) AS mean_amount FROM opportunities o JOIN accounts a USING (account_id)
      GROUP BY a.size_band) b ON b.size_band = a.size_band;
SET client_min_messages = warning;
DROP TABLE IF EXISTS target_plan_demo;
CREATE TABLE target_plan_demo AS
SELECT target_plan_agg(account_id, p, value, cost, 50000) AS plan FROM target_candidates;
SELECT candidates, chosen, spend, round(expected_conversions::numeric, 2) AS expected_conversions,
       round(expected_value) AS expected_value, round(upper_bound) AS upper_bound,
       pct(expected_value / upper_bound, 2) AS share_of_best_possible, exact
FROM target_plan_demo, target_plan_summary(plan);
\echo 'The target list: work on these accounts, in this order, and engage the roles still missing.'
SELECT r.rank, r.id AS account_id, c.name, c.size_band, pct(r.p) AS calibrated_propensity, round(r.value::numeric) AS deal_value,
       r.cost, round(r.expected_value) AS expected_value, r.cumulative_cost, c.roles_to_engage
FROM target_plan_demo, target_plan_rows(plan) r JOIN target_candidates c ON c.account_id = r.id
ORDER BY r.rank LIMIT 20;

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
