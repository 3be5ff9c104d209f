-- Section: journey dynamics (stage_transitions_agg, reach_probability,
-- expected_time_to, survival_agg, cumulative_incidence_agg).  The stage
-- model moves over contact journeys (one person's path, as in section 4);
-- the time to close is per account (its first touch to its first purchase).
-- Observation end: 2026-11-01; idle for 120 days before purchase = lost.
-- small tables, big plan estimates: JIT compiling would take longer than the queries
SET jit = off;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
CREATE TEMP TABLE dyn_accounts AS
SELECT account_id, journey_agg(ts, stage) AS j FROM touchpoints GROUP BY account_id;
CREATE TEMP TABLE dyn_contacts AS
SELECT contact_id, journey_agg(ts, stage) AS j FROM touchpoints GROUP BY contact_id;
CREATE TEMP TABLE dyn_chain AS
SELECT stage_transitions_agg(j, '120 days', '2026-11-01') AS t FROM dyn_contacts;

\echo
\echo '== 29. Of the contacts in each stage today, how many will reach purchase, and how soon? =='
\echo 'Per contact (one person''s journey, not the account): a chain of the moves seen between stages; a contact idle for'
\echo '120 days before purchase counts as lost. reach purchase: the share of contacts in that stage that get there.'
SELECT s.stage AS from_stage,
       (SELECT count(*) FROM dyn_contacts WHERE current_stage(j) = s.stage
          AND '2026-11-01' - (SELECT last_event FROM journey_timeline(j) WHERE left_at IS NULL) <= interval '120 days') AS open_contacts_now,
       pct(reach_probability(t, s.stage)) AS reach_purchase,
       round(expected_moves_to(t, s.stage)::numeric, 1) AS stage_moves_to_purchase,
       days(expected_time_to(t, s.stage)) AS days_to_purchase
FROM dyn_chain, journey_stages() s
WHERE s.stage < 'purchase'
ORDER BY s.stage;
\echo 'days and moves to purchase: the expected number for the contacts that get there (a move back counts as a move).'
\echo 'What this means: a contact in decision is worth about twice one in awareness; work the late stages first.'

\echo
\echo '== 30. Where are contacts lost? Moves out of each stage: forward, back, lost (idle 120 days) or still open =='
SELECT m.from_stage,
       sum(m.moves) FILTER (WHERE m.to_stage > m.from_stage) AS forward,
       sum(m.moves) FILTER (WHERE m.to_stage < m.from_stage) AS backward,
       sum(m.moves) FILTER (WHERE m.destination = 'lost') AS lost,
       sum(m.moves) FILTER (WHERE m.destination = 'open') AS open,
       pct(sum(m.probability) FILTER (WHERE m.destination = 'lost')) AS lost_here,
       days(sum(m.mean_dwell * m.moves) FILTER (WHERE m.destination <> 'open')
            / nullif(sum(m.moves) FILTER (WHERE m.destination <> 'open'), 0)) AS mean_days_in_stage
FROM dyn_chain, transition_matrix(t) m
WHERE m.from_stage < 'purchase'
GROUP BY m.from_stage ORDER BY m.from_stage;
\echo 'lost here: the share of the moves out of the stage that end the journey (an idle contact); open: still in it today.'
\echo 'What this means: the later the stage, the more of its contacts are lost there; a deal in decision needs a next step.'

-- time to close: from the account's first touch to its first purchase; an
-- account that has not bought is censored at 2026-11-01 (still open)
SET client_min_messages = warning;
DROP TABLE IF EXISTS dyn_close, dyn_surv;
RESET client_min_messages;
CREATE TABLE dyn_close AS
SELECT account_id, (SELECT min(entered) FROM journey_timeline(j)) AS start,
       first_reached(j, 'purchase') AS won_at
FROM dyn_accounts;
CREATE TABLE dyn_surv AS
SELECT survival_agg(coalesce(won_at, '2026-11-01') - start, won_at IS NOT NULL) AS s FROM dyn_close;

\echo
\echo '== 31. How long does an account take to buy? Share of all accounts won within so many days of their first touch =='
\echo 'Kaplan-Meier: every account counts, those that have not bought yet up to today only (censored), so the open deals'
\echo 'are not ignored; 95% confidence interval beside it.'
SELECT d AS days_since_first_touch,
       pct(1 - survival_at(s, d * interval '1 day')) AS share_won,
       pct(1 - coalesce(t.upper, 1)) AS low_95, pct(1 - coalesce(t.lower, 1)) AS high_95,
       (SELECT count(*) FROM dyn_close WHERE won_at - start <= d * interval '1 day') AS won_by_then,
       (SELECT count(*) FROM dyn_close WHERE coalesce(won_at, '2026-11-01') - start > d * interval '1 day') AS still_open
FROM dyn_surv CROSS JOIN unnest('{30,60,90,120,180,270,365,450}'::int[]) d
LEFT JOIN LATERAL (SELECT lower, upper FROM survival_table(s) WHERE "time" <= d * interval '1 day' ORDER BY "time" DESC LIMIT 1) t ON true
ORDER BY d;
\echo 'next to the median an analyst gets from the buyers alone (section 5):'
SELECT observations(s) AS accounts, c.converted AS buyers,
       days(c.median) AS buyers_only_median_days,
       pct(1 - survival_at(s, c.median)) AS share_of_all_won_by_then,
       coalesce(days(median_survival(s))::text, 'not reached') AS median_days_all_accounts
FROM dyn_surv, (SELECT count(*) AS converted, percentile_cont(0.5) WITHIN GROUP (ORDER BY won_at - start) AS median
                FROM dyn_close WHERE won_at IS NOT NULL) c;
\echo 'What this means: the buyers-only median ignores the deals still open, so it is too short: by then only the share'
\echo 'above has bought. The median over all accounts is not reached while fewer than half have bought; plan on long cycles.'

-- competing risks per contact journey: won at the first purchase, lost
-- (idle 120 days before purchase) at the last touch, else open (censored)
CREATE TEMP TABLE dyn_contact_close AS
SELECT start,
       CASE WHEN won_at IS NOT NULL THEN won_at - start
            WHEN '2026-11-01' - last_at > interval '120 days' THEN last_at - start
            ELSE '2026-11-01' - start END AS duration,
       CASE WHEN won_at IS NOT NULL THEN 'won' WHEN '2026-11-01' - last_at > interval '120 days' THEN 'lost' END AS outcome
FROM (SELECT (SELECT min(entered) FROM journey_timeline(j)) AS start, first_reached(j, 'purchase') AS won_at,
             (SELECT last_event FROM journey_timeline(j) WHERE left_at IS NULL) AS last_at
      FROM dyn_contacts) x;

\echo
\echo '== 32. Contacts won versus lost over time (competing risks, per contact journey) =='
\echo 'Per contact: won when the person reaches purchase, lost when idle 120 days before it, else still open (Aalen-Johansen).'
SELECT d AS days_since_first_touch,
       pct(max(incidence) FILTER (WHERE outcome = 'won')) AS won,
       pct(max(incidence) FILTER (WHERE outcome = 'lost')) AS lost,
       pct(1 - sum(incidence)) AS still_open
FROM (SELECT cumulative_incidence_agg(date_trunc('day', duration), outcome) AS c FROM dyn_contact_close) x,
     unnest('{90,180,270,365,450}'::int[]) d,
     LATERAL (SELECT DISTINCT ON (outcome) outcome, incidence FROM cumulative_incidence_table(c)
              WHERE "time" <= d * interval '1 day' ORDER BY outcome, "time" DESC) i
GROUP BY d ORDER BY d;
\echo 'What this means: most contacts who will ever be lost are lost within six months; a contact still open after a year'
\echo 'seldom buys later. (Contacts, not accounts: an account buys when its lead contact does, so account shares are higher.)'
