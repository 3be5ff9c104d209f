-- Section: journeys over time (journey_agg, time_in_stage, is_stalled,
-- conversion_time_agg, window_funnel).  One journey per account: the
-- touchpoints of all its contacts.  Observation end: 2026-11-01.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
-- a contact's journey is one person's path; an account's is the merge of
-- its contacts' touchpoints (used for the window funnel).
CREATE TEMP TABLE contact_journeys AS
SELECT contact_id, account_id, journey_agg(ts, stage) AS j FROM touchpoints GROUP BY contact_id, account_id;

\echo
\echo '== 4. How long do contacts stay in each stage? (median over the contacts that were there) =='
SELECT s.stage, count(*) AS contacts,
       justify_hours(date_trunc('hour', percentile_cont(0.5) WITHIN GROUP (ORDER BY time_in_stage(c.j, s.stage, '2026-11-01')))) AS median_time_in_stage,
       round(avg(x.stays), 2) AS avg_stays
FROM contact_journeys c, journey_stages() s,
     LATERAL (SELECT count(*) AS stays FROM journey_timeline(c.j) t WHERE t.stage = s.stage) x
WHERE x.stays > 0
GROUP BY s.stage ORDER BY s.stage;

\echo
\echo '== 5. How long from first touch to purchase? (conversion_time_agg, by industry) =='
SELECT industry, (c).journeys AS contacts, (c).converted AS bought,
       round((c).conversion::numeric, 3) AS conversion,
       date_trunc('hour', (c).median) AS median_awareness_to_purchase,
       date_trunc('hour', (c).mean) AS mean_awareness_to_purchase
FROM (SELECT a.industry, conversion_time_agg(j, 'awareness', 'purchase') AS c
      FROM contact_journeys JOIN accounts a USING (account_id) GROUP BY a.industry
      UNION ALL
      SELECT 'all industries', conversion_time_agg(j, 'awareness', 'purchase') FROM contact_journeys) x
ORDER BY industry = 'all industries', industry;

\echo
\echo '== 6. Stalled: accounts whose contacts sit in evaluation or decision with no stage change for more than 60 days =='
SELECT current_stage(j) AS stage, count(*) AS contacts,
       count(*) FILTER (WHERE is_stalled(j, '2026-11-01', '60 days')) AS stalled_over_60_days
FROM contact_journeys WHERE current_stage(j) IN ('evaluation', 'decision')
GROUP BY 1 ORDER BY 1;
SELECT a.name, a.industry, count(*) AS stalled_contacts,
       max(current_stage(c.j)) AS furthest_stalled_stage,
       min(t.entered)::date AS stalled_since, max('2026-11-01'::date - t.entered::date) AS max_days_in_stage
FROM contact_journeys c JOIN accounts a USING (account_id),
     LATERAL (SELECT entered FROM journey_timeline(c.j) WHERE left_at IS NULL) t
WHERE current_stage(c.j) IN ('evaluation', 'decision') AND is_stalled(c.j, '2026-11-01', '60 days')
GROUP BY a.account_id, a.name, a.industry
ORDER BY stalled_contacts DESC, max_days_in_stage DESC, a.name LIMIT 10;

\echo
\echo '== 7. 90-day window funnel per account (each step within 90 days of a first awareness) next to the plain funnel =='
WITH per_account AS (
	SELECT account_id, max(stage) AS furthest, window_funnel('90 days', ts, stage) AS in_90_days
	FROM touchpoints GROUP BY account_id
)
SELECT p.stage, p.reached AS reached_ever, round(p.conversion::numeric, 3) AS conversion_ever,
       w.reached AS reached_within_90_days, round(w.conversion::numeric, 3) AS conversion_within_90_days
FROM funnel_report((SELECT funnel_agg(furthest) FROM per_account)) p
JOIN funnel_report((SELECT funnel_agg(in_90_days) FROM per_account)) w USING (stage)
ORDER BY p.stage;
