-- The demo tells one story: run after test/demo/gen*.sql and every report
-- section (test/checks/demo_story.sh).  Each row is one identity between
-- sections, or one planted effect the extension must recover; the check
-- fails when any "ok" is false.
SELECT 'buyers: converted = Closed Won = with orders = reached purchase = funnel' AS claim,
       (SELECT count(*) FROM accounts WHERE converted) = ALL (ARRAY[
           (SELECT count(*) FROM opportunities WHERE stagename = 'Closed Won'),
           (SELECT count(DISTINCT account_id) FROM orders),
           (SELECT count(DISTINCT account_id) FROM touchpoints WHERE stage >= 'purchase'),
           (SELECT count(*) FROM account_journeys WHERE furthest_stage(j) >= 'purchase'),
           (SELECT reached(funnel_agg(j), 'purchase') FROM account_journeys)]) AS ok
UNION ALL
SELECT 'buyers are the same accounts everywhere',
       NOT EXISTS (SELECT account_id FROM accounts WHERE converted
                   EXCEPT SELECT account_id FROM opportunities WHERE stagename = 'Closed Won')
   AND NOT EXISTS (SELECT account_id FROM opportunities WHERE stagename = 'Closed Won'
                   EXCEPT SELECT account_id FROM orders)
   AND NOT EXISTS (SELECT account_id FROM orders
                   EXCEPT SELECT account_id FROM accounts WHERE converted)
UNION ALL
SELECT 'a buyer converts on one day: won_at = Closed Won date = first order = purchase reached',
       NOT EXISTS (SELECT 1 FROM accounts a
                   JOIN opportunities o ON o.account_id = a.account_id AND o.stagename = 'Closed Won'
                   JOIN (SELECT account_id, min(ts) AS first_order FROM orders GROUP BY 1) f ON f.account_id = a.account_id
                   JOIN account_journeys j ON j.account_id = a.account_id
                   WHERE a.won_at IS DISTINCT FROM o.closed_at OR a.won_at IS DISTINCT FROM f.first_order
                      OR a.won_at IS DISTINCT FROM first_reached(j.j, 'purchase'))
UNION ALL
SELECT 'each account has one propensity (model = committee pooled)',
       NOT EXISTS (SELECT 1 FROM account_scores s JOIN account_committee k USING (account_id)
                   WHERE abs(s.propensity - account_propensity(k.c)) > 1e-9)
   AND (SELECT count(*) FROM account_scores) = (SELECT count(*) FROM accounts)
UNION ALL
SELECT 'the target list holds its propensities from account_scores',
       NOT EXISTS (SELECT 1 FROM target_list t JOIN account_scores s USING (account_id)
                   WHERE t.propensity <> s.propensity)
UNION ALL
SELECT 'the target list has no buyer and no stalled account',
       NOT EXISTS (SELECT 1 FROM target_list t JOIN accounts a USING (account_id) WHERE a.converted)
   AND NOT EXISTS (SELECT 1 FROM target_list t JOIN stalled_accounts USING (account_id))
   AND (SELECT count(*) FROM target_list) >= 20
UNION ALL
SELECT 'the budgeted plan chooses only open accounts of the target list, within its budget',
       NOT EXISTS (SELECT 1 FROM target_plan_demo, target_plan_rows(plan) r
                   WHERE r.id NOT IN (SELECT account_id FROM target_list))
   AND (SELECT spend <= 50000 AND chosen > 0 FROM target_plan_demo, target_plan_summary(plan))
UNION ALL
SELECT 'committee coverage: the model''s feature = coverage() of the stored committee',
       NOT EXISTS (SELECT 1 FROM account_scores s JOIN account_committee k USING (account_id)
                   WHERE s.coverage <> coverage(k.c, '{decision_maker,economic_buyer,champion,technical_evaluator}'))
UNION ALL
SELECT 'planted: every logistic coefficient within 2.5 standard errors of its true value',
       (SELECT bool_and(abs(c.coefficient - t.value) <= 2.5 * c.std_error)
        FROM propensity_model_demo, model_coefficients(m) c JOIN demo_truth t ON t.name = c.term)
   AND (SELECT count(*) FROM propensity_model_demo, model_coefficients(m) c JOIN demo_truth t ON t.name = c.term) = 10
UNION ALL
SELECT 'planted: coverage raises the chance of buying (fitted coefficient > 0.8, truth 1.6)',
       (SELECT c.coefficient > 0.8 FROM propensity_model_demo, model_coefficients(m) c WHERE c.term = 'coverage')
UNION ALL
SELECT 'planted: demos move contacts into evaluation more than email does',
       (SELECT count(*) FILTER (WHERE channel = 'demo') > 2 * count(*) FILTER (WHERE channel = 'email')
        FROM (SELECT DISTINCT ON (contact_id) contact_id, channel FROM touchpoints
              WHERE stage = 'evaluation' ORDER BY contact_id, ts, event_id) first_eval)
UNION ALL
SELECT 'the targeting evaluation has signal (holdout AUC > 0.65)',
       (SELECT auc_agg(propensity, converted) > 0.65 FROM account_scores WHERE holdout)
UNION ALL
SELECT 'attribution (sections 24-25): one path per account, its conversions are the buyers, its value the Closed Won amounts',
       (SELECT (attribution_summary(a)).paths FROM demo_attribution) = (SELECT count(*) FROM accounts)
   AND (SELECT (attribution_summary(a)).conversions FROM demo_attribution) = (SELECT count(*) FROM accounts WHERE converted)
   AND (SELECT abs((attribution_summary(a)).value - (SELECT sum(amount) FROM opportunities WHERE stagename = 'Closed Won')) < 0.01
        FROM demo_attribution)
   AND (SELECT round((attribution_summary(a)).conversion_probability::numeric, 6) FROM demo_attribution)
       = (SELECT round(avg(converted::int)::numeric, 6) FROM accounts)
UNION ALL
SELECT 'attribution: every model''s credit adds up to the buyers; Markov shares add up to 100%',
       (SELECT bool_and(abs(s - (SELECT count(*) FROM accounts WHERE converted)) < 1e-6)
        FROM (SELECT model, sum(credited_conversions) AS s FROM demo_attribution, attribution_report(a) GROUP BY model) m)
   AND (SELECT abs(sum(share) - 1) < 1e-9 FROM demo_attribution, attribution_report(a, 'markov'))
UNION ALL
SELECT 'planted (TRUTH.md, channels): the share of touches that move a contact on ranks trial > demo > sales call > webinar, event > web, email',
       (SELECT array_agg(channel ORDER BY rate DESC) FROM (
            SELECT t.channel, count(f.event_id)::float8 / count(*) AS rate
            FROM touchpoints t
            LEFT JOIN (SELECT DISTINCT ON (contact_id, stage) event_id FROM touchpoints
                       WHERE stage BETWEEN 'consideration' AND 'purchase' ORDER BY contact_id, stage, ts, event_id) f USING (event_id)
            WHERE t.stage <= 'purchase' AND t.channel <> 'support' GROUP BY t.channel) r) IN
       ('{trial,demo,"sales call",webinar,event,web,email}', '{trial,demo,"sales call",event,webinar,web,email}',
        '{trial,demo,"sales call",webinar,event,email,web}', '{trial,demo,"sales call",event,webinar,email,web}')
UNION ALL
SELECT 'recovered (section 25): Markov deals per touch rank trial > demo > sales call first and web, email last, as planted',
       (SELECT (array_agg(channel ORDER BY credited_conversions / touches DESC, channel))[1:3] = '{trial,demo,"sales call"}'
           AND (array_agg(channel ORDER BY credited_conversions / touches DESC, channel))[6:7] <@ '{web,email}'
        FROM demo_attribution, attribution_report(a, 'markov'))
UNION ALL
SELECT 'time to buy (sections 5 and 31): the same buyers, the same median; Kaplan-Meier over every account',
       (SELECT observations(s) FROM dyn_surv) = (SELECT count(*) FROM accounts)
   AND (SELECT count(*) FROM dyn_close WHERE won_at IS NOT NULL) = (SELECT count(*) FROM accounts WHERE converted)
   AND NOT EXISTS (SELECT 1 FROM dyn_close d JOIN accounts a USING (account_id) WHERE d.won_at IS DISTINCT FROM a.won_at)
   AND (SELECT days(percentile_cont(0.5) WITHIN GROUP (ORDER BY won_at - start)) FROM dyn_close WHERE won_at IS NOT NULL)
       = (SELECT days((conversion_time_agg(j, 'awareness', 'purchase')).median) FROM account_journeys)
   AND (SELECT 1 - survival_at(s, interval '10000 days') >= (SELECT avg(converted::int) FROM accounts) FROM dyn_surv)
UNION ALL
SELECT 'personas (sections 26-28): every account clustered or counted without pace',
       (SELECT count(*) FROM persona_of) = (SELECT count(*) FROM accounts)
   AND (SELECT count(*) FROM persona_name) = 4 AND (SELECT count(DISTINCT name) FROM persona_name) = 4
UNION ALL
SELECT 'recovered (section 28): each planted persona has at least 80% of its accounts in one type, the type named for it',
       (SELECT bool_and(share >= 0.8) AND count(*) = 4 FROM (
            SELECT DISTINCT ON (o.planted_persona) o.planted_persona, n.name,
                   count(*)::float8 / sum(count(*)) OVER (PARTITION BY o.planted_persona) AS share
            FROM persona_of o JOIN persona_name n ON n.cluster = o.persona
            GROUP BY o.planted_persona, n.name
            ORDER BY o.planted_persona, count(*) DESC) m
        WHERE (planted_persona, name) IN (('enterprise fleet', 'large enterprises'), ('mid-market growth', 'mid-market'),
                                          ('public sector', 'public sector'), ('small office', 'small companies')))
UNION ALL
SELECT 'recovered (section 23): measured uplift in the top 30% within 10 points of the planted effect there; the model finds the responsive',
       (SELECT abs(uplift_at_k(u, 0.3) - (SELECT avg(true_effect) FROM (SELECT true_effect FROM uplift_eval
                   ORDER BY predicted_uplift DESC, account_id LIMIT (SELECT count(*) * 3 / 10 FROM uplift_eval)) t)) <= 0.10
        FROM (SELECT uplift_agg(predicted_uplift, treated, converted) AS u FROM uplift_eval) x)
   AND (SELECT avg(true_effect) FROM (SELECT true_effect FROM uplift_eval ORDER BY predicted_uplift DESC, account_id
        LIMIT (SELECT count(*) * 3 / 10 FROM uplift_eval)) t) > 2 * (SELECT avg(true_effect) FROM uplift_eval)
   AND (SELECT count(*) FROM uplift_eval) = (SELECT count(*) FROM accounts) / 2
UNION ALL
SELECT 'recovered (section 13): the coverage coefficient within 2.5 standard errors of the planted 1.6',
       (SELECT abs(c.coefficient - 1.6) <= 2.5 * c.std_error FROM propensity_model_demo, model_coefficients(m) c WHERE c.term = 'coverage')
UNION ALL
SELECT 'recovered (section 18): complete committees buy faster, median time to buy vs persona 0.6-0.95 of a half committee''s (planted 0.73)',
       (SELECT r BETWEEN 0.6 AND 0.95 FROM (
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY b.to_buy / pm.m) FILTER (WHERE s.coverage = 1)
                 / percentile_cont(0.5) WITHIN GROUP (ORDER BY b.to_buy / pm.m) FILTER (WHERE s.coverage = 0.5) AS r
            FROM (SELECT a.account_id, a.persona, extract(epoch FROM a.won_at - j.first_touch) AS to_buy
                  FROM accounts a JOIN (SELECT account_id, min(ts) AS first_touch FROM touchpoints GROUP BY account_id) j USING (account_id)
                  WHERE a.converted) b
            JOIN (SELECT persona, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.won_at - j.first_touch)) AS m
                  FROM accounts a JOIN (SELECT account_id, min(ts) AS first_touch FROM touchpoints GROUP BY account_id) j USING (account_id)
                  WHERE a.converted GROUP BY persona) pm USING (persona)
            JOIN account_scores s USING (account_id)) q)
UNION ALL
SELECT 'recovered (section 15): BG/NBD order rate within 20% of the planted 0.92 a month, drop-out within 3 points of the planted 6.7%',
       (SELECT abs(r / alpha * 30 / 0.9155 - 1) <= 0.2 AND abs(a / (a + b) - 0.0674) <= 0.03
        FROM (SELECT bgnbd_fit(frequency, recency, t) AS bg
              FROM (SELECT (customer_summary_agg(ts, amount, '2026-11-01 00:00+00')).* FROM orders GROUP BY account_id) s) m,
             bgnbd_params(bg))
UNION ALL
SELECT 'the industry funnels add up to the account funnel: the same buyers by industry (sections 1, 2, 5)',
       (SELECT sum(n) FROM (SELECT (conversion_time_agg(j, 'awareness', 'purchase')).converted AS n
                            FROM account_journeys JOIN accounts USING (account_id) GROUP BY industry) x)
       = (SELECT count(*) FROM accounts WHERE converted)
UNION ALL
SELECT 'the plan''s expected deals are the sum of the chosen accounts'' calibrated propensities (sections 22, 33)',
       (SELECT abs(expected_conversions - (SELECT sum(r.p) FROM target_plan_rows(plan) r)) < 1e-9
        FROM target_plan_demo, target_plan_summary(plan))

UNION ALL
SELECT 'contacts open today (section 29) are the stage chain''s open moves (section 30), stage by stage',
       NOT EXISTS (
           WITH c AS (SELECT contact_id, journey_agg(ts, stage) AS j FROM touchpoints GROUP BY contact_id),
           chain AS (SELECT stage_transitions_agg(j, '120 days', '2026-11-01') AS t FROM c),
           open_now AS (SELECT current_stage(j) AS stage, count(*) AS n FROM c
                        WHERE '2026-11-01' - (SELECT last_event FROM journey_timeline(j) WHERE left_at IS NULL) <= interval '120 days'
                        GROUP BY 1),
           open_moves AS (SELECT m.from_stage AS stage, sum(m.moves) AS n FROM chain, transition_matrix(t) m
                          WHERE m.destination = 'open' GROUP BY 1)
           SELECT 1 FROM open_now FULL JOIN open_moves USING (stage)
           WHERE stage < 'purchase' AND open_now.n IS DISTINCT FROM open_moves.n)
UNION ALL
SELECT 'the account types'' buyers add up to the buyers (section 27)',
       (SELECT count(*) FROM persona_of WHERE converted) = (SELECT count(*) FROM accounts WHERE converted);
