-- Section: journey dynamics (stage_transitions_agg, reach_probability,
-- expected_time_to, survival_agg, cumulative_incidence_agg).  The stage
-- model moves over contact journeys (one person's path, as in section 4);
-- the time to close is per account (its first touch to its first purchase).
-- Observation end: 2026-11-01; idle for 120 days before purchase = lost.
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
\echo '== 29. Of the contacts in each stage today, how many will buy, and how soon? (absorbing Markov chain over stage moves; lost = idle 120 days) =='
SELECT s.stage AS from_stage,
       (SELECT count(*) FROM dyn_contacts WHERE current_stage(j) = s.stage
          AND '2026-11-01' - (SELECT last_event FROM journey_timeline(j) WHERE left_at IS NULL) <= interval '120 days') AS open_contacts_now,
       round(reach_probability(t, s.stage)::numeric, 3) AS p_buy,
       round(expected_moves_to(t, s.stage)::numeric, 1) AS moves_to_buy,
       justify_hours(date_trunc('day', expected_time_to(t, s.stage))) AS expected_time_to_buy
FROM dyn_chain, journey_stages() s
WHERE s.stage < 'purchase'
ORDER BY s.stage;

\echo
\echo '== 30. Where are deals lost? (moves out of each stage: next stage, lost, or still open) =='
SELECT m.from_stage,
       sum(m.moves) FILTER (WHERE m.to_stage > m.from_stage) AS forward,
       sum(m.moves) FILTER (WHERE m.to_stage < m.from_stage) AS backward,
       sum(m.moves) FILTER (WHERE m.destination = 'lost') AS lost,
       sum(m.moves) FILTER (WHERE m.destination = 'open') AS open,
       round(sum(m.probability) FILTER (WHERE m.destination = 'lost')::numeric, 3) AS p_lost_here,
       justify_hours(date_trunc('day', sum(m.mean_dwell * m.moves) FILTER (WHERE m.destination <> 'open')
                                        / nullif(sum(m.moves) FILTER (WHERE m.destination <> 'open'), 0))) AS mean_stay
FROM dyn_chain, transition_matrix(t) m
WHERE m.from_stage < 'purchase'
GROUP BY m.from_stage ORDER BY m.from_stage;

-- time to close: from the account's first touch to its first purchase; an
-- account that has not bought is censored at 2026-11-01 (still open)
CREATE TEMP TABLE dyn_close AS
SELECT account_id, (SELECT min(entered) FROM journey_timeline(j)) AS start,
       first_reached(j, 'purchase') AS won_at
FROM dyn_accounts;
CREATE TEMP TABLE dyn_surv AS
SELECT survival_agg(coalesce(won_at, '2026-11-01') - start, won_at IS NOT NULL) AS s FROM dyn_close;

\echo
\echo '== 31. How long does a deal take to close? Kaplan-Meier over all accounts, open ones censored =='
SELECT d AS days_since_first_touch,
       round((1 - survival_at(s, d * interval '1 day'))::numeric, 3) AS share_closed,
       round((1 - coalesce(t.upper, 1))::numeric, 3) AS ci_low, round((1 - coalesce(t.lower, 1))::numeric, 3) AS ci_high,
       (SELECT count(*) FROM dyn_close WHERE won_at - start <= d * interval '1 day') AS closed_by_then,
       (SELECT count(*) FROM dyn_close WHERE coalesce(won_at, '2026-11-01') - start > d * interval '1 day') AS still_at_risk
FROM dyn_surv CROSS JOIN unnest('{30,60,90,120,180,270,365,450}'::int[]) d
LEFT JOIN LATERAL (SELECT lower, upper FROM survival_table(s) WHERE "time" <= d * interval '1 day' ORDER BY "time" DESC LIMIT 1) t ON true
ORDER BY d;
\echo 'next to the median an analyst gets from the converted deals alone:'
SELECT observations(s) AS accounts, c.converted,
       justify_hours(date_trunc('day', c.median)) AS converted_only_median,
       round((1 - survival_at(s, c.median))::numeric, 3) AS share_closed_by_then,
       coalesce(justify_hours(date_trunc('day', median_survival(s)))::text, 'not reached') AS km_median
FROM dyn_surv, (SELECT count(*) AS converted, percentile_cont(0.5) WITHIN GROUP (ORDER BY won_at - start) AS median
                FROM dyn_close WHERE won_at IS NOT NULL) c;
\echo 'The converted-only median ignores the deals still open, so it is biased short: by that time only the'
\echo 'share above has closed.  The Kaplan-Meier median is not reached while fewer than half have closed.'

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
\echo '== 32. Won versus lost as competing risks, per contact journey (Aalen-Johansen cumulative incidence) =='
SELECT d AS days_since_first_touch,
       round(max(incidence) FILTER (WHERE outcome = 'won')::numeric, 3) AS won,
       round(max(incidence) FILTER (WHERE outcome = 'lost')::numeric, 3) AS lost,
       round((1 - sum(incidence))::numeric, 3) AS still_open
FROM (SELECT cumulative_incidence_agg(date_trunc('day', duration), outcome) AS c FROM dyn_contact_close) x,
     unnest('{90,180,270,365,450}'::int[]) d,
     LATERAL (SELECT DISTINCT ON (outcome) outcome, incidence FROM cumulative_incidence_table(c)
              WHERE "time" <= d * interval '1 day' ORDER BY outcome, "time" DESC) i
GROUP BY d ORDER BY d;
