-- Section: the report's vocabulary, defined once and used in every section.
\echo
\echo '== 0. What the words mean in this report =='
\echo 'Account: a company we sell to. Contact: a person at an account; an account''s contacts are its buying committee.'
\echo 'Stage of an account: the furthest journey stage any of its contacts has reached (awareness ... advocacy).'
\echo 'Buyer: an account whose opportunity is Closed Won; it converts on that day, its lead contact reaches purchase'
\echo 'and it places its first order. "Bought", "converted", "customer" and "won" all mean this.'
\echo 'Window: 2025-05-01 to 2026-11-01; "today" is 2026-11-01. Shares are percentages of the group named.'
\echo 'A few sections follow one contact''s journey (a person, not the account); they say so in their first line.'
SELECT count(*) AS accounts,
       count(*) FILTER (WHERE converted) AS buyers,
       pct(avg(converted::int)) AS buyers_share,
       (SELECT count(*) FROM opportunities WHERE stagename = 'Closed Won') AS closed_won,
       (SELECT count(DISTINCT account_id) FROM orders) AS accounts_with_orders,
       (SELECT count(DISTINCT account_id) FROM touchpoints WHERE stage >= 'purchase') AS accounts_reaching_purchase
FROM accounts;
\echo 'The four counts of buyers agree by construction of the definitions above.'
