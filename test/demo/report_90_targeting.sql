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
\echo 'Does a propensity of 30% mean 3 in 10 buy? Held-out accounts in five bands of propensity, before and after calibration:'
SELECT 'model' AS score, bin AS band, rows AS accounts, pct(mean_predicted) AS mean_propensity, pct(fraction_positive) AS actual_buyers
FROM (SELECT lift_agg(propensity, converted) AS l FROM account_scores WHERE account_id % 10 = 5) e, calibration_table(l, 5)
UNION ALL
SELECT 'calibrated', bin, rows, pct(mean_predicted), pct(fraction_positive)
FROM (SELECT lift_agg(calibrate(platt, propensity), converted) AS l FROM account_scores, target_cal WHERE account_id % 10 = 5) e,
     calibration_table(l, 5)
ORDER BY 1 DESC, 2;
SELECT round(brier_agg(propensity, converted)::numeric, 3) AS error_model,
       round(brier_agg(calibrate(iso, propensity), converted)::numeric, 3) AS error_isotonic,
       round(brier_agg(calibrate(platt, propensity), converted)::numeric, 3) AS error_platt,
       pct(avg(propensity)) AS mean_model, pct(avg(calibrate(platt, propensity))) AS mean_platt,
       pct(avg(converted::int)) AS actual_buyers
FROM account_scores, target_cal WHERE account_id % 10 = 5;
\echo 'error: the Brier score, the mean squared error of the propensities against what happened (lower is better). Platt'
\echo 'calibration fits an S-curve, isotonic a step curve, from propensity to actual rate; both keep the ranking.'
\echo 'What this means: the model was trained on a representative sample, so it was nearly calibrated already; the plan'
\echo 'below uses the Platt-calibrated propensity, shown beside the account''s one propensity.'

\echo 'The plan: choose among the open accounts of section 19 within a budget of 50,000. Value of a deal: the account''s'
\echo 'opportunity amount (or the mean amount of its size band); cost of working it: 300, 600, 1,200 or 2,500 by size band.'
CREATE TEMP TABLE target_candidates AS
SELECT t.account_id, t.name, a.size_band, t.roles_to_engage, t.propensity, calibrate(platt, t.propensity) AS p,
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
SELECT candidates, chosen, spend, round(expected_conversions::numeric, 1) AS expected_deals,
       round(expected_value) AS expected_value, round(upper_bound) AS best_any_plan_could_reach,
       pct(expected_value / upper_bound, 1) AS share_of_best,
       CASE WHEN exact THEN 'yes' ELSE 'no: greedy, at least half of it' END AS best_whole_account_plan
FROM target_plan_demo, target_plan_summary(plan);
\echo 'expected value: the sum of calibrated propensity x deal value over the chosen accounts; best any plan could reach:'
\echo 'a bound that lets a plan take part of an account, so no real plan can beat it; best whole-account plan: yes = optimal.'
\echo 'The target list: work on these accounts, in this order, and engage the roles still missing. propensity: the account''s'
\echo 'one propensity (sections 13, 17); calibrated: the same after Platt calibration, which the expected value uses.'
SELECT r.rank, r.id AS account_id, c.name, c.size_band, pct(c.propensity) AS propensity, pct(r.p) AS calibrated,
       round(r.value::numeric) AS deal_value,
       r.cost, round(r.expected_value) AS expected_value, r.cumulative_cost,
       coalesce(nullif(array_to_string(c.roles_to_engage, ', '), ''), 'none: committee complete') AS roles_to_engage
FROM target_plan_demo, target_plan_rows(plan) r JOIN target_candidates c ON c.account_id = r.id
ORDER BY r.rank LIMIT 20;
\echo 'What this means: the large open deals come first because their expected value per unit of cost is highest;'
\echo 'engaging the missing roles is the first task on each.'

\echo
\echo '== 23. Did the outreach cause the conversions? Uplift on a campaign with a random treated/control split =='
\echo 'Separate campaign data (gen_targeting.sql), not the buyers of section 0: half the accounts at random got the outreach;'
\echo 'a campaign conversion is a purchase in the quarter after it. Models fitted on even account ids, judged on the odd ones.'
-- T-learner: one logistic model on treated accounts, one on control; the
-- predicted uplift is the difference.  Fitted on even ids, judged on odd.
CREATE TEMP TABLE uplift_models AS
SELECT logistic_fit(o.converted, f.x) FILTER (WHERE o.treated) AS mt,
       logistic_fit(o.converted, f.x) FILTER (WHERE NOT o.treated) AS mc
FROM campaign_outreach o JOIN target_features f USING (account_id) WHERE o.account_id % 2 = 0;
SET client_min_messages = warning;
DROP TABLE IF EXISTS uplift_eval;
RESET client_min_messages;
CREATE TABLE uplift_eval AS
SELECT o.*, predict(mt, f.x) - predict(mc, f.x) AS predicted_uplift
FROM campaign_outreach o JOIN target_features f USING (account_id), uplift_models WHERE o.account_id % 2 = 1;
SELECT (SELECT count(*) FROM uplift_eval) AS accounts,
       pct(uplift_at_k(u, 0.3)) AS measured_uplift_top_30pct,
       pct((SELECT avg(true_effect) FROM (SELECT true_effect FROM uplift_eval ORDER BY predicted_uplift DESC, account_id
              LIMIT (SELECT count(*) * 3 / 10 FROM uplift_eval)) t)) AS true_effect_top_30pct,
       pct((SELECT avg(true_effect) FROM uplift_eval)) AS true_effect_all,
       round(qini_coefficient(u)::numeric, 3) AS qini, round(uplift_auc(u)::numeric, 3) AS uplift_auc
FROM (SELECT uplift_agg(predicted_uplift, treated, converted) AS u FROM uplift_eval) x;
\echo 'measured uplift: conversion rate of the treated minus that of the control group (percentage points) among the 30% with'
\echo 'the highest predicted uplift; true effect: what the generator planted for them (gen_targeting.sql). qini and uplift AUC: area'
\echo 'between the uplift curve and random targeting (0 = no better than random; higher is better).'
SELECT bucket AS fifth, treated, control, pct(treated_rate) AS treated_converted, pct(control_rate) AS control_converted,
       pct(uplift) AS uplift, round(cumulative_qini::numeric, 1) AS extra_conversions_so_far
FROM (SELECT uplift_agg(predicted_uplift, treated, converted) AS u FROM uplift_eval) x, uplift_table(u, 5) ORDER BY bucket;
\echo 'fifth: the accounts in fifths by predicted uplift, highest first; extra conversions so far: what the outreach added,'
\echo 'counted down the list (the Qini curve).'
\echo 'What this means: send the outreach to the first two fifths only; further down it adds nothing or loses conversions.'
