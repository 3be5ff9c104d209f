-- chart: step
-- title: Time to close: share of accounts won within t days of their first touch (section 31)
-- x: days since the account's first touch
-- y: share won
-- Kaplan-Meier over every account, open ones censored at 2026-11-01, next to
-- the curve a converted-only analysis draws (buyers only), which is biased fast.
WITH j AS (SELECT account_id, min(ts) AS start FROM touchpoints GROUP BY account_id),
d AS (SELECT j.start, a.won_at FROM j JOIN accounts a USING (account_id)),
s AS (SELECT survival_agg(coalesce(won_at, '2026-11-01') - start, won_at IS NOT NULL) AS s FROM d)
SELECT 0::float8 AS x, 0::float8 AS y, 'all accounts, open ones censored (Kaplan-Meier)' AS series
UNION ALL
SELECT extract(epoch FROM t."time") / 86400, 1 - t.survival, 'all accounts, open ones censored (Kaplan-Meier)'
FROM s, survival_table(s) t WHERE t.events > 0
UNION ALL
SELECT 0, 0, 'buyers only (ignores open deals)'
UNION ALL
SELECT extract(epoch FROM won_at - start) / 86400,
       (row_number() OVER (ORDER BY won_at - start))::float8 / count(*) OVER (),
       'buyers only (ignores open deals)'
FROM d WHERE won_at IS NOT NULL
ORDER BY 3, 1;
