-- chart: line
-- title: Cumulative gains on held-out accounts: share of buyers found when calling the top x% by propensity
-- x: share of accounts called (top deciles first)
-- y: share of buyers found
-- diagonal: random targeting
WITH f AS (
	SELECT converted, account_id % 5 = 0 AS holdout,
	       ARRAY[ln(employees), least(web_visits_90d, 80), least(content_downloads, 6),
	             demo_requested::int, uses_competitor::int,
	             (industry = 'Manufacturing')::int, (industry = 'Logistics')::int,
	             (industry = 'Education')::int]::float8[] AS x
	FROM accounts),
m AS (SELECT logistic_fit(converted, x) AS m FROM f WHERE NOT holdout),
l AS (SELECT lift_agg(predict(m, x), converted) AS l FROM f, m WHERE holdout)
SELECT 0::float8 AS x, 0::float8 AS y
UNION ALL
SELECT bucket / 10.0, cumulative_gain FROM l, lift_table(l, 10)
ORDER BY 1;
