-- Section: the stage funnel (journey_stage, funnel_agg, funnel_report, rollup).
\echo
\echo '== 1. Where do our contacts stand? Funnel of furthest journey stage =='
WITH furthest AS (
	SELECT contact_id, max(stage) AS stage FROM touchpoints GROUP BY contact_id
)
SELECT stage, reached, stopped, round(share_of_top::numeric, 3) AS share_of_top,
       round(conversion::numeric, 3) AS conversion, round(drop_off::numeric, 3) AS drop_off
FROM funnel_report((SELECT funnel_agg(stage) FROM furthest));

\echo
\echo '== 2. Account funnel by industry (aggregate once, store, roll up) =='
CREATE TEMP TABLE funnel_by_industry AS
SELECT a.industry, funnel_agg(f.stage) AS funnel
FROM (SELECT account_id, max(stage) AS stage FROM touchpoints GROUP BY account_id) f
JOIN accounts a USING (account_id)
GROUP BY a.industry;
SELECT industry, entities(funnel) AS accounts,
       reached(funnel, 'evaluation') AS evaluating,
       reached(funnel, 'purchase') AS bought,
       round(conversion(funnel, 'awareness', 'purchase')::numeric, 3) AS win_rate,
       round(conversion(funnel, 'decision', 'purchase')::numeric, 3) AS close_rate
FROM funnel_by_industry
ORDER BY win_rate DESC;
SELECT 'all industries' AS rollup, entities(f) AS accounts, reached(f, 'purchase') AS bought,
       round(conversion(f, 'awareness', 'purchase')::numeric, 3) AS win_rate
FROM (SELECT rollup(funnel) AS f FROM funnel_by_industry) r;

\echo
\echo '== 3. CRM vocabularies mapped to journey stages =='
SELECT hubspot_lifecyclestage, stage_from_hubspot(hubspot_lifecyclestage) AS stage, count(*) AS contacts
FROM contacts GROUP BY 1, 2 ORDER BY 2 NULLS LAST, 1;
SELECT stagename, stage_from_salesforce(stagename) AS stage, stage_phase(stage_from_salesforce(stagename)) AS phase,
       count(*) AS opportunities
FROM opportunities GROUP BY 1 ORDER BY 2 NULLS LAST, 1;
