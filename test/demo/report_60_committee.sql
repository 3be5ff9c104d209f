-- Section: buying committees (buying_role, committee_agg, coverage,
-- missing_roles, consensus_stage, account_propensity, committee_report, rollup).
--
-- Member propensity: this demo has no fitted model, so each contact's p is a
-- documented heuristic of its furthest journey stage and its engagement:
--     p = propensity_from_logit(-5 + 0.9 · stage_ordinal(furthest stage)
--                               + 0.35 · ln(1 + touchpoint events))
-- and a blocker's p is pulled down by 2 on the log-odds scale.  Members are
-- weighted by seniority in the decision: decision maker and economic buyer 3,
-- executive sponsor 2.5, champion and blocker 2, technical evaluator 1.5,
-- influencer, procurement and legal 1, end user and other 0.5.
CREATE TEMP TABLE committee_members AS
WITH journey AS (
	SELECT contact_id, max(stage) AS furthest, count(*) AS events
	FROM touchpoints GROUP BY contact_id
)
SELECT c.account_id, c.contact_id, c.role::buying_role AS role, j.furthest AS stage,
       propensity_from_logit(-5 + 0.9 * stage_ordinal(j.furthest) + 0.35 * ln(1 + j.events)
                             - CASE WHEN c.role::buying_role = 'blocker' THEN 2 ELSE 0 END) AS p,
       CASE c.role::buying_role
            WHEN 'decision_maker' THEN 3 WHEN 'economic_buyer' THEN 3
            WHEN 'executive_sponsor' THEN 2.5 WHEN 'champion' THEN 2 WHEN 'blocker' THEN 2
            WHEN 'technical_evaluator' THEN 1.5 WHEN 'end_user' THEN 0.5 WHEN 'other' THEN 0.5
            ELSE 1 END::float8 AS weight
FROM contacts c LEFT JOIN journey j USING (contact_id);

-- aggregate once, store: one committee per account
CREATE TEMP TABLE account_committee AS
SELECT account_id, committee_agg(role, stage, p, weight) AS c
FROM committee_members GROUP BY account_id;

\echo
\echo '== 18. CRM role text read as buying roles =='
SELECT role AS crm_role, role::buying_role AS buying_role, count(*) AS contacts
FROM contacts GROUP BY 1 ORDER BY 2, 1;

\echo
\echo '== 19. The account view: committee coverage of the four required roles (first 12 accounts) =='
SELECT a.account_id, a.name, member_count(k.c) AS members,
       coverage(k.c, '{decision_maker,economic_buyer,champion,technical_evaluator}') AS coverage,
       missing_roles(k.c, '{decision_maker,economic_buyer,champion,technical_evaluator}') AS missing,
       consensus_stage(k.c) AS consensus, leading_stage(k.c) AS leading,
       round(alignment(k.c)::numeric, 2) AS alignment,
       round(account_propensity(k.c)::numeric, 3) AS account_p
FROM account_committee k JOIN accounts a USING (account_id)
ORDER BY a.account_id LIMIT 12;

\echo
\echo '== 20. How complete are the committees? Accounts by coverage of the required roles =='
SELECT coverage(c, '{decision_maker,economic_buyer,champion,technical_evaluator}') AS coverage,
       count(*) AS accounts,
       round(avg(account_propensity(c))::numeric, 3) AS mean_account_p,
       round(avg(a.converted::int)::numeric, 3) AS converted_share
FROM account_committee JOIN accounts a USING (account_id)
GROUP BY 1 ORDER BY 1;

\echo
\echo '== 21. The 20 best-placed accounts to target now =='
\echo '   (every required role engaged, consensus in evaluation or decision, nobody has bought yet)'
SELECT a.account_id, a.name, a.industry, member_count(c) AS members,
       consensus_stage(c) AS consensus, leading_stage(c) AS leading,
       round(alignment(c)::numeric, 2) AS alignment,
       round(account_propensity(c)::numeric, 3) AS account_p,
       role_count(c, 'blocker') AS blockers
FROM account_committee JOIN accounts a USING (account_id)
WHERE coverage(c, '{decision_maker,economic_buyer,champion,technical_evaluator}') = 1
  AND consensus_stage(c) BETWEEN 'evaluation' AND 'decision'
  AND leading_stage(c) < 'purchase'
ORDER BY account_propensity(c) DESC, a.account_id
LIMIT 20;

\echo
\echo '== 22. Stalled: the committee is evaluating or deciding but a required role is missing =='
SELECT missing, count(*) AS accounts, round(avg(account_propensity(c))::numeric, 3) AS mean_account_p
FROM account_committee,
     LATERAL unnest(missing_roles(c, '{decision_maker,economic_buyer,champion,technical_evaluator}')) AS missing
WHERE consensus_stage(c) >= 'evaluation' AND leading_stage(c) < 'purchase'
GROUP BY missing ORDER BY accounts DESC;
SELECT a.account_id, a.name, consensus_stage(c) AS consensus,
       missing_roles(c, '{decision_maker,economic_buyer,champion,technical_evaluator}') AS missing,
       round(account_propensity(c)::numeric, 3) AS account_p
FROM account_committee JOIN accounts a USING (account_id)
WHERE consensus_stage(c) >= 'evaluation' AND leading_stage(c) < 'purchase'
  AND coverage(c, '{decision_maker,economic_buyer,champion,technical_evaluator}') < 1
ORDER BY account_propensity(c) DESC, a.account_id LIMIT 10;

\echo
\echo '== 23. One committee in detail (committee_report) =='
SELECT role, members, furthest_stage, round(mean_propensity::numeric, 3) AS mean_propensity
FROM committee_report((SELECT c FROM account_committee
                       ORDER BY member_count(c) DESC, account_id LIMIT 1));

\echo
\echo '== 24. Committees rolled up by industry (rollup of the stored account committees) =='
SELECT a.industry, member_count(rollup(k.c)) AS members,
       consensus_stage(rollup(k.c)) AS consensus,
       round(alignment(rollup(k.c))::numeric, 3) AS alignment,
       round(account_propensity(rollup(k.c))::numeric, 3) AS pooled_p,
       role_count(rollup(k.c), 'blocker') AS blockers
FROM account_committee k JOIN accounts a USING (account_id)
GROUP BY a.industry ORDER BY pooled_p DESC;
