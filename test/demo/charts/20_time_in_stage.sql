-- chart: bar
-- title: Median days an account spends in each stage it reached (section 4)
-- x: stage
-- y: days (median; the current stay counts up to today)
SELECT s.stage::text AS label,
       days(percentile_cont(0.5) WITHIN GROUP (ORDER BY time_in_stage(c.j, s.stage, '2026-11-01'))) AS value
FROM account_journeys c, journey_stages() s
WHERE first_reached(c.j, s.stage) IS NOT NULL
GROUP BY s.stage
ORDER BY s.stage;
