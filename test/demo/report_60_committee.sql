-- Section: buying committees (buying_role, committee_agg, coverage,
-- missing_roles, consensus_stage, account_propensity, committee_report, rollup).
--
-- Member propensity: every member carries its account's one propensity (from
-- the model of section 13, table account_scores), so the committee's pooled
-- propensity is that same number; members are weighted by seniority in the
-- decision: decision maker and economic buyer 3, executive sponsor 2.5,
-- champion and blocker 2, technical evaluator 1.5, influencer, procurement and
-- legal 1, end user and other 0.5.
-- small tables, big plan estimates: JIT compiling would take longer than the queries
SET jit = off;
SET client_min_messages = warning;
DROP TABLE IF EXISTS account_committee, target_list;
CREATE TEMP TABLE committee_members AS
WITH journey AS (
	SELECT contact_id, max(stage) AS furthest, count(*) AS events
	FROM touchpoints GROUP BY contact_id
)
SELECT c.account_id, c.contact_id, c.role::buying_role AS role, j.furthest AS stage,
       s.propensity AS p,
       CASE c.role::buying_role
            WHEN 'decision_maker' THEN 3 WHEN 'economic_buyer' THEN 3
            WHEN 'executive_sponsor' THEN 2.5 WHEN 'champion' THEN 2 WHEN 'blocker' THEN 2
            WHEN 'technical_evaluator' THEN 1.5 WHEN 'end_user' THEN 0.5 WHEN 'other' THEN 0.5
            ELSE 1 END::float8 AS weight
FROM contacts c LEFT JOIN journey j USING (contact_id) JOIN account_scores s USING (account_id);

-- aggregate once, store: one committee per account
CREATE TABLE account_committee AS
SELECT account_id, committee_agg(role, stage, p, weight) AS c
FROM committee_members GROUP BY account_id;

\echo
\echo '== 16. CRM role text read as buying roles =='
SELECT role AS crm_role, role::buying_role AS buying_role, count(*) AS contacts
FROM contacts GROUP BY 1 ORDER BY 2, 1;
\echo 'What this means: the CRM''s free-text roles read as eleven buying roles; "Budget Holder" is the economic buyer.'

\echo
\echo '== 17. The account view: committee coverage of the four required roles (first 12 accounts) =='
SELECT a.account_id, a.name, member_count(k.c) AS members,
       pct(coverage(k.c, '{decision_maker,economic_buyer,champion,technical_evaluator}'), 0) AS coverage,
       coalesce(nullif(array_to_string(missing_roles(k.c, '{decision_maker,economic_buyer,champion,technical_evaluator}'), ', '), ''),
                'none') AS missing,
       consensus_stage(k.c) AS consensus, leading_stage(k.c) AS leading,
       round(alignment(k.c)::numeric, 2) AS alignment,
       pct(account_propensity(k.c)) AS propensity
FROM account_committee k JOIN accounts a USING (account_id)
ORDER BY a.account_id LIMIT 12;
\echo 'coverage: the share of the four required roles among the contacts; consensus: the furthest stage that at least half'
\echo 'of the committee (by seniority weight) has reached; leading: the furthest any contact has; alignment: 1 when every contact'
\echo 'stands in one stage, towards 0 as they spread. propensity: the account''s one propensity (section 13).'

\echo
\echo '== 18. Do complete committees buy more, and faster? Accounts by coverage of the required roles =='
WITH b AS (
	SELECT k.account_id, coverage(k.c, '{decision_maker,economic_buyer,champion,technical_evaluator}') AS cov,
	       a.converted, a.persona, a.won_at - j.first_touch AS to_buy
	FROM account_committee k JOIN accounts a USING (account_id)
	JOIN (SELECT account_id, min(ts) AS first_touch FROM touchpoints GROUP BY account_id) j USING (account_id)),
persona_median AS (
	SELECT persona, percentile_cont(0.5) WITHIN GROUP (ORDER BY to_buy) AS m FROM b WHERE converted GROUP BY persona)
SELECT pct(cov, 0) AS coverage, count(*) AS accounts, pct(avg(s.propensity)) AS mean_propensity,
       pct(avg(b.converted::int)) AS buyers_share,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM b.to_buy) / extract(epoch FROM pm.m))::numeric, 2)
           AS time_to_buy_vs_persona_median
FROM b JOIN account_scores s USING (account_id) LEFT JOIN persona_median pm USING (persona)
GROUP BY cov ORDER BY cov;
\echo 'time to buy: a buyer''s days from first touch to Closed Won over the median of its persona (1 = typical; lower = faster).'
\echo 'What this means: every missing required role costs deals and time; engaging it is the cheapest lever.'

\echo
\echo '== 19. The open accounts: not bought, not stalled, and the roles their committees still lack =='
DROP TABLE IF EXISTS target_list;
CREATE TABLE target_list AS
SELECT row_number() OVER (ORDER BY s.propensity DESC, a.account_id) AS rank,
       a.account_id, a.name, a.industry, k.stage AS account_stage, s.propensity,
       coverage(c, '{decision_maker,economic_buyer,champion,technical_evaluator}') AS coverage,
       missing_roles(c, '{decision_maker,economic_buyer,champion,technical_evaluator}') AS roles_to_engage,
       role_count(c, 'blocker') AS blockers
FROM account_committee JOIN accounts a USING (account_id) JOIN account_scores s USING (account_id)
JOIN (SELECT account_id, max(stage) AS stage FROM touchpoints GROUP BY account_id) k USING (account_id)
WHERE NOT a.converted AND account_id NOT IN (SELECT account_id FROM stalled_accounts);
SELECT coalesce(nullif(array_to_string(roles_to_engage, ', '), ''), 'none: committee complete') AS roles_to_engage, count(*) AS open_accounts,
       pct(avg(propensity)) AS mean_propensity
FROM target_list GROUP BY roles_to_engage ORDER BY count(*) DESC, 1 LIMIT 8;
\t on
SELECT format('The eight commonest gaps of the %s open accounts; they are the candidates of the budgeted target list (section 22).',
              count(*)) FROM target_list;
\t off

\echo
\echo '== 20. One committee in detail: the largest (committee_report) =='
SELECT a.account_id, a.name, a.industry, member_count(k.c) AS members
FROM account_committee k JOIN accounts a USING (account_id)
ORDER BY member_count(k.c) DESC, account_id LIMIT 1;
SELECT role, members, coalesce(furthest_stage::text, 'no member') AS furthest_stage
FROM committee_report((SELECT c FROM account_committee
                       ORDER BY member_count(c) DESC, account_id LIMIT 1))
ORDER BY role;
\echo 'What this means: twenty contacts but no decision maker: however far the others get, this deal needs one found.'

\echo
\echo '== 21. Committees rolled up by industry (rollup of the stored account committees) =='
SELECT a.industry, member_count(rollup(k.c)) AS contacts,
       consensus_stage(rollup(k.c)) AS consensus_stage,
       round(alignment(rollup(k.c))::numeric, 2) AS alignment,
       pct(avg(coverage(k.c, '{decision_maker,economic_buyer,champion,technical_evaluator}')), 0) AS mean_coverage,
       role_count(rollup(k.c), 'blocker') AS blockers
FROM account_committee k JOIN accounts a USING (account_id)
GROUP BY a.industry ORDER BY a.industry;
\echo 'contacts, consensus stage, alignment and blockers: of all the industry''s contacts together (the rollup of the stored'
\echo 'committees); mean coverage: the average of its accounts'' coverage (section 17).'
\echo 'What this means: across an industry, contacts spread over every stage (low alignment); judge committees per account.'
