-- chart: bar
-- title: Account funnel: accounts that reached each stage (section 1)
-- x: stage
-- y: accounts
SELECT stage::text AS label, reached AS value
FROM funnel_report((SELECT funnel_agg(s) FROM (SELECT account_id, max(stage) AS s FROM touchpoints GROUP BY account_id) t))
ORDER BY stage;
