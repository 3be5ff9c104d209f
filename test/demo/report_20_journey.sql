-- Section: journeys over time (journey_agg, time_in_stage, is_stalled,
-- conversion_time_agg, window_funnel).  One journey per account: its stage
-- over time is the furthest stage any of its contacts has reached so far
-- (view account_stage_events).  Today: 2026-11-01.
-- small tables, big plan estimates: JIT compiling would take longer than the queries
SET jit = off;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET client_min_messages = warning;
DROP TABLE IF EXISTS account_journeys, stalled_accounts;
CREATE TABLE account_journeys AS
SELECT account_id, journey_agg(ts, stage) AS j FROM account_stage_events GROUP BY account_id;

\echo
\echo '== 4. How long does an account spend in each stage? (median days, accounts that were there) =='
SELECT s.stage, count(*) AS accounts,
       days(percentile_cont(0.5) WITHIN GROUP (ORDER BY time_in_stage(c.j, s.stage, '2026-11-01'))) AS median_days,
       days(avg(time_in_stage(c.j, s.stage, '2026-11-01'))) AS mean_days
FROM account_journeys c, journey_stages() s
WHERE first_reached(c.j, s.stage) IS NOT NULL
GROUP BY s.stage ORDER BY s.stage;
\echo 'The stay in the current stage counts up to today, so purchase, retention and advocacy keep growing.'
\echo 'What this means: evaluation and decision take the longest before the purchase; that is where deals wait for people.'

\echo
\echo '== 5. How long from an account''s first touch to its purchase? (buyers only, by industry) =='
SELECT industry, (c).journeys AS accounts, (c).converted AS buyers,
       pct((c).conversion) AS win_rate,
       days((c).median) AS median_days_to_buy,
       days((c).mean) AS mean_days_to_buy
FROM (SELECT a.industry, conversion_time_agg(j, 'awareness', 'purchase') AS c
      FROM account_journeys JOIN accounts a USING (account_id) GROUP BY a.industry
      UNION ALL
      SELECT 'all industries', conversion_time_agg(j, 'awareness', 'purchase') FROM account_journeys) x
ORDER BY industry = 'all industries', (c).median;
\echo 'These medians count only accounts that have bought; deals still open are not in them (see section 31).'
\echo 'What this means: a typical deal takes about four months from first touch; industries with slow buyers take twice as long.'

\echo
\echo '== 6. Stalled: accounts that have not bought and whose stage has not moved for more than 90 days =='
CREATE TABLE stalled_accounts AS
SELECT c.account_id, current_stage(c.j) AS stage,
       ('2026-11-01'::date - t.entered::date) AS days_in_stage
FROM account_journeys c JOIN accounts a USING (account_id),
     LATERAL (SELECT entered FROM journey_timeline(c.j) WHERE left_at IS NULL) t
WHERE NOT a.converted AND is_stalled(c.j, '2026-11-01', '90 days');
SELECT stage, count(*) AS stalled_accounts, round(avg(days_in_stage)) AS mean_days_in_stage
FROM stalled_accounts GROUP BY stage ORDER BY stage;
SELECT a.account_id, a.name, a.industry, s.stage, s.days_in_stage,
       o.stagename AS opportunity
FROM stalled_accounts s JOIN accounts a USING (account_id)
LEFT JOIN opportunities o USING (account_id)
WHERE s.stage IN ('evaluation', 'decision')
ORDER BY s.stage DESC, s.days_in_stage DESC, a.account_id LIMIT 10;
\echo 'opportunity: the CRM state of its deal (Closed Lost: the seller closed it; its contacts have not moved on since).'
\echo 'What this means: a stalled deal needs a new reason to move (a trial, a call with the decision maker) or should be let go.'

\echo
\echo '== 7. 90-day window funnel per account (each step within 90 days of its first touch) next to the plain funnel =='
WITH per_account AS (
	SELECT account_id, max(stage) AS furthest, window_funnel('90 days', ts, stage) AS in_90_days
	FROM account_stage_events GROUP BY account_id
)
SELECT p.stage, p.reached AS accounts_ever, pct(p.conversion) AS from_previous_ever,
       w.reached AS accounts_within_90_days, pct(w.conversion) AS from_previous_within_90_days
FROM funnel_report((SELECT funnel_agg(furthest) FROM per_account)) p
JOIN funnel_report((SELECT funnel_agg(in_90_days) FROM per_account)) w USING (stage)
ORDER BY p.stage;
\echo 'The window starts at the account''s first touch, as the durations of section 5 do.'
\echo 'What this means: a 90-day window sees only the fast deals (about half the buyers); judge campaigns over the whole cycle.'
