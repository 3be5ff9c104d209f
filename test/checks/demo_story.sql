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
       (SELECT auc_agg(propensity, converted) > 0.65 FROM account_scores WHERE holdout);
