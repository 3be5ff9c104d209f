-- chart: line
-- title: Cumulative gains on held-out accounts: share of buyers found when calling the top x% by propensity (section 14)
-- x: share of accounts called (highest propensity first)
-- y: share of buyers found
-- diagonal: random targeting
SELECT 0::float8 AS x, 0::float8 AS y
UNION ALL
SELECT bucket / 10.0, cumulative_gain
FROM lift_table((SELECT lift_agg(propensity, converted) FROM account_scores WHERE holdout), 10)
ORDER BY 1;
