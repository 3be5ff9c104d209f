-- chart: bar
-- title: Deals credited per 1,000 touches of each channel, Markov model (section 25)
-- x: channel
-- y: Closed Won deals credited per 1,000 touches (email and web are mostly noise)
SELECT channel AS label, round((1000 * credited_conversions / nullif(touches, 0))::numeric, 2) AS value
FROM attribution_report((
	SELECT attribution_agg(p, o.closed_at, o.amount::float8)
	FROM (SELECT account_id, touch_path_agg(ts, channel, stage) AS p FROM touchpoints GROUP BY account_id) x
	LEFT JOIN opportunities o ON o.account_id = x.account_id AND o.stagename = 'Closed Won'), 'markov')
ORDER BY 2 DESC, channel;
