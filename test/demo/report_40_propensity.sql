-- Section: propensity models and targeting evaluation (logistic_fit,
-- predict, model_coefficients, model_summary, auc_agg, log_loss_agg,
-- brier_agg, lift_agg, lift_table, logodds_pool_agg, any_of_agg).
\echo
\echo '== 13. Who will buy? A propensity model of "converted", fitted in the database =='
-- train on 80% of the accounts, hold out every fifth for evaluation
CREATE TEMP VIEW account_features AS
SELECT account_id, name, industry, converted, account_id % 5 = 0 AS holdout,
       ARRAY[ln(employees), least(web_visits_90d, 80), least(content_downloads, 6),
             demo_requested::int, uses_competitor::int,
             (industry = 'Manufacturing')::int, (industry = 'Logistics')::int,
             (industry = 'Education')::int]::float8[] AS x
FROM accounts;
CREATE TEMP TABLE propensity_model_demo AS
SELECT logistic_fit(converted, x, ARRAY['log_employees', 'web_visits', 'downloads', 'demo_requested',
                                        'uses_competitor', 'manufacturing', 'logistics', 'education']) AS m
FROM account_features WHERE NOT holdout;
-- the generator's true coefficients, for comparison
SELECT c.term, round(c.coefficient::numeric, 3) AS coefficient, round(c.std_error::numeric, 3) AS std_error,
       round(c.z::numeric, 2) AS z, round(c.p_value::numeric, 4) AS p_value, round(c.odds_ratio::numeric, 3) AS odds_ratio,
       t.truth
FROM propensity_model_demo, model_coefficients(m) WITH ORDINALITY c
JOIN (VALUES (1, -3.1), (2, 0.32), (3, 0.035), (4, 0.25), (5, 1.3), (6, -0.6), (7, 0.4), (8, 0.3), (9, -0.5)) t(ord, truth)
  ON t.ord = c.ordinality
ORDER BY c.ordinality;
SELECT rows_used, rows_skipped, positives, iterations, converged,
       round(log_likelihood::numeric, 2) AS log_likelihood, round(aic::numeric, 2) AS aic,
       round(pseudo_r2::numeric, 3) AS pseudo_r2
FROM propensity_model_demo, model_summary(m);

\echo
\echo '== 14. Top 20 targets: accounts that have not bought yet, by predicted propensity =='
SELECT f.account_id, f.name, f.industry, round(predict(m, f.x)::numeric, 3) AS propensity,
       a.web_visits_90d AS visits, a.demo_requested AS demo
FROM account_features f JOIN accounts a USING (account_id), propensity_model_demo
WHERE NOT f.converted
ORDER BY predict(m, f.x) DESC, f.account_id
LIMIT 20;

-- if sales calls the top 5 (independent outcomes): chance that at least one buys
SELECT round(any_of_agg(p)::numeric, 3) AS at_least_one_of_top5_buys, round(sum(p)::numeric, 2) AS expected_buyers
FROM (SELECT predict(m, x) AS p FROM account_features, propensity_model_demo
      WHERE NOT converted ORDER BY 1 DESC LIMIT 5) t;

\echo
\echo '== 15. How good is the targeting? Evaluated on the held-out accounts =='
CREATE TEMP TABLE holdout_scores AS
SELECT f.account_id, f.converted, predict(m, f.x) AS p
FROM account_features f, propensity_model_demo
WHERE f.holdout;
SELECT count(*) AS holdout_accounts, count(*) FILTER (WHERE converted) AS converted,
       round(auc_agg(p, converted)::numeric, 4) AS auc,
       round(log_loss_agg(p, converted)::numeric, 4) AS log_loss,
       round(brier_agg(p, converted)::numeric, 4) AS brier
FROM holdout_scores;
SELECT bucket AS decile, rows, positives, round(rate::numeric, 3) AS conversion_rate,
       round(lift::numeric, 2) AS lift, round(cumulative_gain::numeric, 3) AS cumulative_gain
FROM lift_table((SELECT lift_agg(p, converted) FROM holdout_scores));

\echo
\echo '== 16. Buying-committee view: members'' propensities pooled by log-odds (top 10) =='
-- each contact's propensity: the account's model score, nudged by role
WITH member AS (
	SELECT c.account_id, c.role,
	       propensity_from_logit(logit(predict(m, f.x))
	           + CASE c.role WHEN 'Decision Maker' THEN 0.4 WHEN 'Budget Holder' THEN 0.3
	                         WHEN 'Blocker' THEN -1.0 ELSE 0 END) AS p,
	       CASE WHEN c.role IN ('Decision Maker', 'Budget Holder', 'Executive Sponsor') THEN 2.0 ELSE 1.0 END AS w
	FROM contacts c JOIN account_features f USING (account_id), propensity_model_demo
	WHERE NOT f.converted)
SELECT account_id, count(*) AS members, count(*) FILTER (WHERE role = 'Blocker') AS blockers,
       round(logodds_pool_agg(p, w)::numeric, 3) AS pooled_propensity
FROM member GROUP BY account_id
ORDER BY logodds_pool_agg(p, w) DESC, account_id
LIMIT 10;
