-- Section: which channels win deals (touch_path_agg, attribution_agg,
-- attribution_report, removal_effect, channel_transitions).  One path per
-- account: the touches of all its contacts, with their stages (the B2B
-- milestones of w_shaped and full_path); it converts when its opportunity
-- is Closed Won, with that amount as the value (touches after it, in
-- retention and advocacy, do not count).  The planted channel effects are
-- in test/demo/TRUTH.md.
SET extra_float_digits = 0;
SET client_min_messages = warning;
DROP TABLE IF EXISTS demo_attribution;
RESET client_min_messages;
CREATE TABLE demo_attribution AS
SELECT attribution_agg(p, o.closed_at, o.amount::float8) AS a
FROM (SELECT account_id, touch_path_agg(ts, channel, stage) AS p FROM touchpoints GROUP BY account_id) x
LEFT JOIN opportunities o ON o.account_id = x.account_id AND o.stagename = 'Closed Won';

\echo
\echo '== 24. Which channels win deals? Share of the Closed Won deals credited to each channel, by model =='
\echo 'One path per account: the touches of all its contacts up to its Closed Won day (buyers) or to today (the others).'
SELECT (attribution_summary(a)).paths AS accounts, (attribution_summary(a)).conversions AS buyers,
       round((attribution_summary(a)).value::numeric) AS won_deal_value,
       pct((attribution_summary(a)).conversion_probability) AS buyer_share_in_the_markov_model
FROM demo_attribution;
SELECT channel, max(touches) AS touches, max(conversions) AS buyers_touched,
       pct(sum(share) FILTER (WHERE model = 'first_touch')) AS first_touch,
       pct(sum(share) FILTER (WHERE model = 'last_touch')) AS last_touch,
       pct(sum(share) FILTER (WHERE model = 'linear')) AS linear,
       pct(sum(share) FILTER (WHERE model = 'time_decay')) AS time_decay,
       pct(sum(share) FILTER (WHERE model = 'position_based')) AS u_shaped,
       pct(sum(share) FILTER (WHERE model = 'w_shaped')) AS w_shaped,
       pct(sum(share) FILTER (WHERE model = 'full_path')) AS full_path,
       pct(sum(share) FILTER (WHERE model = 'shapley')) AS shapley,
       pct(sum(share) FILTER (WHERE model = 'markov')) AS markov
FROM demo_attribution, attribution_report(a)
GROUP BY channel
ORDER BY sum(share) FILTER (WHERE model = 'markov') DESC, channel;
\echo 'Models: first/last touch give each deal to one touch; linear splits it evenly over the touches; time decay favours'
\echo 'the touches near the close; U-shaped 40% first, 40% last, 20% between; W-shaped and full path also reward the touches'
\echo 'that open a stage (opportunity, deal); Shapley and Markov credit a channel by the deals lost without it.'
\echo 'What this means: the share of credit follows how often a channel is touched; the next section divides by that.'

\echo
\echo '== 25. Deals per touch: which channel''s touches are worth the most (Markov model) =='
SELECT channel, touches, pct(touches::float8 / sum(touches) OVER ()) AS share_of_touches,
       pct(share) AS share_of_credit,
       round((1000 * credited_conversions / nullif(touches, 0))::numeric, 1) AS deals_per_1000_touches,
       pct(removal_effect(a, channel), 0) AS deals_lost_if_switched_off,
       round(credited_value::numeric, -3) AS credited_deal_value
FROM demo_attribution, attribution_report(a, 'markov')
ORDER BY credited_conversions / nullif(touches, 0) DESC, channel;
\t on
SELECT format('deals lost if switched off (the Markov removal effect): an account path holds %s touches on average, of nearly'
              ' every channel, so removing any one channel breaks most won paths and these all sit between %s and %s; the'
              ' share of credit is the same effect normalised to add up to 100%%. Per touch the planted ranking shows'
              ' (test/demo/TRUTH.md): trials, demos and sales calls move deals, webinars and events less, web and email are'
              ' mostly noise.',
              round(sum(touches)::numeric / max((attribution_summary(a)).paths)),
              pct(min(removal_effect(a, channel)), 0), pct(max(removal_effect(a, channel)), 0))
FROM demo_attribution, attribution_report(a, 'markov');
SELECT format('What this means: %s and %s earn the most deals per touch (%s and %s of the credit from %s and %s of the touches); '
              '%s and %s take %s of the touches but earn only %s of the credit: move budget from those to the first two.',
              c[1], c[2], pct(cs[1], 0), pct(cs[2], 0), pct(ts[1], 0), pct(ts[2], 0),
              c[n], c[n - 1], pct(ts[n] + ts[n - 1], 0), pct(cs[n] + cs[n - 1], 0)) AS advice
FROM (SELECT array_agg(channel ORDER BY ratio DESC, channel) c, array_agg(credit ORDER BY ratio DESC, channel) cs,
             array_agg(touch ORDER BY ratio DESC, channel) ts, count(*)::int n
      FROM (SELECT channel, share AS credit, touches::float8 / sum(touches) OVER () AS touch,
                   share / (touches::float8 / sum(touches) OVER ()) AS ratio
            FROM demo_attribution, attribution_report(a, 'markov')) x) y;
\t off
\echo 'Most frequent moves from one channel to the next on the paths (channel_transitions, for a Sankey chart):'
SELECT from_channel, to_channel, moves, pct(probability) AS share_of_moves_from_it
FROM demo_attribution, channel_transitions(a)
ORDER BY moves DESC, from_channel, to_channel LIMIT 8;
