-- Section: which channels win deals (touch_path_agg, attribution_agg,
-- attribution_report, removal_effect, channel_transitions).  One path per
-- account: the touches of all its contacts, with their stages (the B2B
-- milestones of w_shaped and full_path); it converts when its opportunity
-- is Closed Won, with that amount as the value (touches after it, in
-- retention and advocacy, do not count).  The planted channel effects are
-- in test/demo/TRUTH.md.
SET extra_float_digits = 0;
CREATE TEMP TABLE demo_attribution AS
SELECT attribution_agg(p, o.closed_at, o.amount::float8) AS a
FROM (SELECT account_id, touch_path_agg(ts, channel, stage) AS p FROM touchpoints GROUP BY account_id) x
LEFT JOIN opportunities o ON o.account_id = x.account_id AND o.stagename = 'Closed Won';

\echo
\echo '== 24. Which channels win deals? Share of the conversions credited to each channel, by model =='
SELECT (attribution_summary(a)).paths AS accounts, (attribution_summary(a)).conversions AS deals,
       round((attribution_summary(a)).value::numeric) AS deal_value,
       round((attribution_summary(a)).conversion_probability::numeric, 3) AS markov_p_conversion
FROM demo_attribution;
SELECT channel, max(touches) AS touches, max(conversions) AS in_deals,
       round((100 * sum(share) FILTER (WHERE model = 'first_touch'))::numeric, 1) AS "first %",
       round((100 * sum(share) FILTER (WHERE model = 'last_touch'))::numeric, 1) AS "last %",
       round((100 * sum(share) FILTER (WHERE model = 'linear'))::numeric, 1) AS "linear %",
       round((100 * sum(share) FILTER (WHERE model = 'time_decay'))::numeric, 1) AS "decay %",
       round((100 * sum(share) FILTER (WHERE model = 'position_based'))::numeric, 1) AS "U %",
       round((100 * sum(share) FILTER (WHERE model = 'w_shaped'))::numeric, 1) AS "W %",
       round((100 * sum(share) FILTER (WHERE model = 'full_path'))::numeric, 1) AS "full %",
       round((100 * sum(share) FILTER (WHERE model = 'shapley'))::numeric, 1) AS "shapley %",
       round((100 * sum(share) FILTER (WHERE model = 'markov'))::numeric, 1) AS "markov %"
FROM demo_attribution, attribution_report(a)
GROUP BY channel
ORDER BY sum(share) FILTER (WHERE model = 'markov') DESC;

\echo
\echo '== 25. Markov removal effects: the share of deals lost if a channel were switched off =='
SELECT channel, touches,
       round(removal_effect(a, channel)::numeric, 3) AS removal_effect,
       round(((attribution_summary(a)).conversions * removal_effect(a, channel))::numeric) AS deals_at_stake,
       round(credited_value::numeric) AS markov_credited_value
FROM demo_attribution, attribution_report(a, 'markov')
ORDER BY removal_effect(a, channel) DESC;
\echo 'An account path holds the touches of all its contacts (about 100), so nearly every won path passes every channel'
\echo 'and the removal effects crowd towards 1: compare channels by credit per touch (the advice below), not by RE alone.'
\echo 'Most frequent moves (channel_transitions, for a Sankey chart):'
SELECT from_channel, to_channel, moves, round(probability::numeric, 3) AS probability
FROM demo_attribution, channel_transitions(a)
ORDER BY moves DESC LIMIT 8;
SELECT format('Advice: %s and %s earn the most deals per touch (Markov credit %s%% and %s%% from %s%% and %s%% of the touches); '
              '%s and %s take %s%% of the touches but earn only %s%% of the credit: move budget from those to the first two.',
              c[1], c[2], round(cs[1]), round(cs[2]), round(ts[1]), round(ts[2]),
              c[n], c[n - 1], round(ts[n] + ts[n - 1]), round(cs[n] + cs[n - 1])) AS advice
FROM (SELECT array_agg(channel ORDER BY ratio DESC) c, array_agg(credit ORDER BY ratio DESC) cs,
             array_agg(touch ORDER BY ratio DESC) ts, count(*)::int n
      FROM (SELECT channel, 100 * share AS credit, 100.0 * touches / sum(touches) OVER () AS touch,
                   share / (touches::float8 / sum(touches) OVER ()) AS ratio
            FROM demo_attribution, attribution_report(a, 'markov')) x) y;
