-- Section: customer value (customer_summary_agg, bgnbd_fit, p_alive,
-- expected_purchases, gamma_gamma_fit, expected_spend, clv).
\echo
\echo '== 15. Customer value: who is still buying, what will they order, what are they worth? =='
\echo 'Orders summarised per account in days up to 2026-11-01 (customer_summary_agg), then BG/NBD'
\echo '(repeat purchases and drop-out) and Gamma-Gamma (spend per order) fitted in the database.'
CREATE TEMP TABLE cv_summary AS
SELECT account_id, (customer_summary_agg(ts, amount, '2026-11-01 00:00+00')).*
FROM orders GROUP BY account_id;
CREATE TEMP TABLE cv_models AS
SELECT bgnbd_fit(frequency, recency, t) AS bg,
       gamma_gamma_fit(frequency, monetary_value) AS gg
FROM cv_summary;

SELECT count(*) AS buyers, sum(orders) AS orders,
       round(avg(frequency), 2) AS mean_repeat_order_days, round(avg(t), 1) AS mean_days_as_customer,
       count(*) FILTER (WHERE frequency = 0) AS ordered_on_one_day_only
FROM cv_summary;
\echo 'repeat order days: days with an order after the first one (a count, as lifetimes'' frequency); days as customer: since the first order.'

\echo 'Fitted parameters (time unit: days). BG/NBD: order rates vary across buyers as a gamma distribution with shape r and'
\echo 'rate alpha; after each order a buyer drops out with a chance that varies as a beta(a, b). Gamma-Gamma: spend per order'
\echo 'varies around each buyer''s own mean (shape p); those means vary with shape q and scale v (q > 1: a finite mean).'
SELECT 'BG/NBD' AS model, round(r::numeric, 4) AS r, round(alpha::numeric, 3) AS alpha,
       round(a::numeric, 4) AS a, round(b::numeric, 4) AS b,
       round(log_likelihood::numeric, 1) AS log_likelihood, customers, iterations, converged
FROM cv_models, bgnbd_params(bg);
SELECT 'Gamma-Gamma' AS model, round(p::numeric, 4) AS p, round(q::numeric, 4) AS q, round(v::numeric, 2) AS v,
       round(log_likelihood::numeric, 1) AS log_likelihood, customers, skipped, converged
FROM cv_models, gamma_gamma_params(gg);
SELECT CASE WHEN converged AND a < 50 AND b < 1000
            THEN 'the BG/NBD fit converged to an interior optimum'
            ELSE 'WARNING: the BG/NBD fit is degenerate on this small sample; read the predictions with care' END AS fit_check,
       round((r / alpha * 30)::numeric, 2) AS mean_orders_per_month_while_active,
       pct(a / (a + b)) AS mean_dropout_chance_per_order
FROM cv_models, bgnbd_params(bg);

\echo
\echo 'How many buyers are still active (P(alive): the chance a buyer has not dropped out), and orders expected next quarter:'
SELECT pct(avg(p_alive(bg, frequency, recency, t)::float8)) AS mean_chance_active,
       count(*) FILTER (WHERE p_alive(bg, frequency, recency, t) >= 0.5) AS likely_alive,
       count(*) FILTER (WHERE p_alive(bg, frequency, recency, t) < 0.5) AS likely_lost,
       round(sum(expected_purchases(bg, 90, frequency, recency, t))::numeric, 1) AS expected_orders_next_90d,
       (SELECT count(*) FROM orders WHERE ts >= '2026-08-03') AS orders_last_90d
FROM cv_summary, cv_models;

\echo
\echo 'Slipping away: top-value buyers (the first 80% of revenue) whose chance of still being active is between 5% and 60%'
\echo '(below 5% they have most likely left already: a win-back campaign, not an account-manager call).'
WITH ranked AS (
	SELECT s.*, sum(total) OVER (ORDER BY total DESC, account_id) / sum(total) OVER () AS cum_share
	FROM cv_summary s
)
SELECT a.name, a.industry, r.orders, round(r.total::numeric, 0) AS revenue,
       r.last_purchase::date AS last_order, r.t - r.recency AS days_silent,
       pct(p_alive(bg, frequency, recency, t)) AS chance_active
FROM ranked r JOIN accounts a USING (account_id), cv_models
WHERE r.cum_share - r.total / (SELECT sum(total) FROM cv_summary) < 0.8
  AND p_alive(bg, frequency, recency, t) BETWEEN 0.05 AND 0.6
ORDER BY p_alive(bg, frequency, recency, t), r.total DESC
LIMIT 10;

\echo
\echo 'The 20 buyers with the highest 12-month customer lifetime value (CLV: expected orders x expected spend, 1% monthly discount):'
SELECT a.name, a.industry, s.orders, round(s.total::numeric, 0) AS revenue_so_far,
       pct(p_alive(bg, frequency, recency, t)) AS chance_active,
       round(expected_purchases(bg, 365, frequency, recency, t)::numeric, 2) AS orders_next_year,
       round(expected_spend(gg, frequency, monetary_value)::numeric, 0) AS spend_per_order,
       round(clv(bg, gg, frequency, recency, t, monetary_value, 12, 0.01)::numeric, 0) AS clv_12m
FROM cv_summary s JOIN accounts a USING (account_id), cv_models
ORDER BY clv(bg, gg, frequency, recency, t, monetary_value, 12, 0.01) DESC, account_id
LIMIT 20;
\echo 'What this means: about one buyer in six has most likely stopped ordering; call the valuable ones slipping away'
\echo 'now, and give the top CLV buyers an account manager: they will order more next year than most buyers ever did.'
