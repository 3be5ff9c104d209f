-- Section: the stage funnel (journey_stage, funnel_agg, funnel_report, rollup).
\echo
\echo '== 1. Where do our accounts stand? Funnel of the accounts'' stages =='
SELECT stage, reached AS accounts_reached, stopped AS stopped_there, pct(share_of_top) AS share_of_all,
       pct(conversion) AS from_previous_stage, pct(drop_off) AS lost_at_this_step
FROM funnel_report((SELECT funnel_agg(s) FROM (SELECT account_id, max(stage) AS s FROM touchpoints GROUP BY account_id) t))
ORDER BY stage;
\echo 'What this means: the biggest drop is where the fewest accounts go on to the next stage; that is where sales effort pays.'

\echo
\echo '== 2. The account funnel by industry (one stored funnel per industry, added up for the total) =='
CREATE TEMP TABLE funnel_by_industry AS
SELECT a.industry, funnel_agg(f.stage) AS funnel
FROM (SELECT account_id, max(stage) AS stage FROM touchpoints GROUP BY account_id) f
JOIN accounts a USING (account_id)
GROUP BY a.industry;
SELECT industry, accounts, evaluating, buyers, win_rate, close_rate
FROM (SELECT industry, entities(funnel) AS accounts,
             reached(funnel, 'evaluation') AS evaluating,
             reached(funnel, 'purchase') AS buyers,
             pct(conversion(funnel, 'awareness', 'purchase')) AS win_rate,
             pct(conversion(funnel, 'decision', 'purchase')) AS close_rate,
             conversion(funnel, 'awareness', 'purchase') AS o, 0 AS last
      FROM funnel_by_industry
      UNION ALL
      SELECT 'all industries (rollup)', entities(f), reached(f, 'evaluation'), reached(f, 'purchase'),
             pct(conversion(f, 'awareness', 'purchase')), pct(conversion(f, 'decision', 'purchase')), 0, 1
      FROM (SELECT rollup(funnel) AS f FROM funnel_by_industry) r) x
ORDER BY last, o DESC, industry;
\echo 'evaluating: accounts that reached evaluation; win rate = buyers / accounts; close rate = buyers / accounts that reached'
\echo 'decision. The total row adds up the stored funnels of the industries (rollup) and equals section 1.'
\echo 'What this means: industries differ more in how many deals close than in how many start; look at the close rate.'

\echo
\echo '== 3. CRM vocabularies mapped to journey stages =='
SELECT hubspot_lifecyclestage, stage_from_hubspot(hubspot_lifecyclestage) AS stage, count(*) AS contacts
FROM contacts GROUP BY 1, 2 ORDER BY 2 NULLS LAST, 1;
SELECT stagename, stage_from_salesforce(stagename) AS stage, stage_phase(stage_from_salesforce(stagename)) AS phase,
       count(*) AS opportunities
FROM opportunities GROUP BY 1 ORDER BY 2 NULLS LAST, 1;
\echo 'Closed Lost maps to no stage (the deal left the journey); every Closed Won opportunity is a buyer.'
\echo 'What this means: HubSpot and Salesforce values read as the same seven stages, so both CRMs feed one funnel; a'
\echo 'contact''s CRM value can lag its touches (the report''s stages come from the touches).'
