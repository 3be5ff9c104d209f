-- Section: the five findings that matter, computed from the tables the
-- sections above stored (and the touchpoints), so they always agree with them.
\echo
\echo '== 33. The five findings that matter =='
\t on
WITH funnel AS (
	SELECT stage, drop_off FROM funnel_report((SELECT funnel_agg(j) FROM account_journeys))
	WHERE stage > 'awareness' AND stage <= 'purchase' ORDER BY drop_off DESC LIMIT 1),
cov AS (
	SELECT avg(converted::int) FILTER (WHERE coverage = 1) AS full_rate,
	       avg(converted::int) FILTER (WHERE coverage <= 0.5) AS half_rate,
	       (SELECT c.coefficient FROM propensity_model_demo, model_coefficients(m) c WHERE c.term = 'coverage') AS coef
	FROM account_scores),
chan AS (
	SELECT channel, 1000 * credited_conversions / nullif(touches, 0) AS per_k
	FROM demo_attribution, attribution_report(a, 'markov')),
plan AS (SELECT * FROM target_plan_demo, target_plan_summary(plan))
SELECT finding FROM (
	SELECT 1 AS n, format('1. %s of %s accounts are buyers (%s); the biggest loss is the step into %s (%s of the accounts in the stage before stop there).',
	       (SELECT count(*) FROM accounts WHERE converted), (SELECT count(*) FROM accounts),
	       pct((SELECT avg(converted::int) FROM accounts)), f.stage, pct(f.drop_off)) AS finding FROM funnel f
	UNION ALL
	SELECT 2, format('2. Complete buying committees buy: %s of accounts with all four required roles bought, %s of those with half or fewer (model coefficient %s against the planted %s, section 13).',
	       pct(full_rate), pct(half_rate), round(coef::numeric, 2), (SELECT value FROM demo_truth WHERE name = 'coverage')) FROM cov
	UNION ALL
	SELECT 3, format('3. Per touch, %s and %s win the most deals (%s and %s deals per 1,000 touches, section 25); email wins %s: move budget from email to them.',
	       (SELECT channel FROM chan ORDER BY per_k DESC, channel LIMIT 1),
	       (SELECT channel FROM chan ORDER BY per_k DESC, channel OFFSET 1 LIMIT 1),
	       (SELECT round(per_k::numeric, 1) FROM chan ORDER BY per_k DESC, channel LIMIT 1),
	       (SELECT round(per_k::numeric, 1) FROM chan ORDER BY per_k DESC, channel OFFSET 1 LIMIT 1),
	       (SELECT round(per_k::numeric, 1) FROM chan WHERE channel = 'email'))
	UNION ALL
	SELECT 4, format('4. %s accounts that have not bought have been stuck in one stage for over 90 days (section 6); %s open accounts are worth working on (section 19).',
	       (SELECT count(*) FROM stalled_accounts), (SELECT count(*) FROM target_list))
	UNION ALL
	SELECT 5, format('5. With a budget of 50,000 the plan works %s accounts (spend %s) for %s expected deals and %s of expected value, %s of the best any plan could reach (section 22).',
	       chosen, to_char(spend, 'FM999,999,990'), round(expected_conversions::numeric, 1),
	       to_char(round(expected_value), 'FM999,999,990'), pct(expected_value / upper_bound, 1)) FROM plan
) f ORDER BY n;
\t off
