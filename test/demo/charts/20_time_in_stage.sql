-- chart: bar
-- title: Median days a contact spends in each stage it entered
-- x: stage
-- y: days (median)
WITH j AS (SELECT journey_agg(ts, stage) AS j FROM touchpoints GROUP BY contact_id)
SELECT s.stage::text AS label,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM time_in_stage(j.j, s.stage)) / 86400))::numeric, 1) AS value
FROM j CROSS JOIN journey_stages() s
WHERE first_reached(j.j, s.stage) IS NOT NULL
GROUP BY s.stage
ORDER BY s.stage;
