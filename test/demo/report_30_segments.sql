-- Section: customer segments (rfm_thresholds_agg, rfm_score, segment, value tiers, NPS).
-- Recency, frequency and monetary value per buying account, from the orders,
-- with plain SQL; observation end 2026-11-01.
CREATE TEMP TABLE seg_customers AS
SELECT account_id,
       extract(epoch FROM timestamptz '2026-11-01 00:00:00+00' - max(ts)) / 86400 AS recency_days,
       count(*)::float8 AS frequency,
       sum(amount)::float8 AS monetary
FROM orders GROUP BY account_id;

\echo
\echo '== 8. RFM cut points of today''s buyers (stored, to score new buyers the same way later) =='
CREATE TEMP TABLE seg_thresholds AS
SELECT rfm_thresholds_agg(recency_days, frequency, monetary) AS t FROM seg_customers;
SELECT CASE dimension WHEN 'recency_days' THEN 'days since last order' WHEN 'frequency' THEN 'orders'
                      WHEN 'monetary' THEN 'revenue' ELSE dimension END AS measure,
       customers AS buyers, round(p20::numeric) AS "20% below", round(p40::numeric) AS "40% below",
       round(p60::numeric) AS "60% below", round(p80::numeric) AS "80% below"
FROM rfm_cut_points((SELECT t FROM seg_thresholds)) ORDER BY dimension DESC;
\echo 'Each buyer scores 1 to 5 on each measure by the band it falls in (recency: fewer days since the last order = higher).'

\echo
\echo '== 9. Buyers per RFM segment: revenue share and the recommended action =='
CREATE TEMP TABLE seg_scored AS
SELECT c.*, rfm_score(s.t, c.recency_days, c.frequency, c.monetary) AS cell
FROM seg_customers c, seg_thresholds s;
SELECT replace(replace(segment(cell)::text, '_', ' '), 'cant', 'can''t') AS segment, count(*) AS accounts,
       pct(count(*) / sum(count(*)) OVER ()) AS share_of_buyers,
       pct(sum(monetary) / sum(sum(monetary)) OVER ()) AS share_of_revenue,
       round(avg(recency_days)::numeric) AS mean_days_since_last_order, round(avg(frequency)::numeric, 1) AS mean_orders,
       segment_action(segment(cell)) AS action
FROM seg_scored GROUP BY segment(cell) ORDER BY segment(cell);
\echo 'RFM: recency, frequency, monetary value. A segment names a group of recency x orders scores.'
\echo 'What this means: at risk and hibernating buyers are over a third of the buyers; at risk ones still bring a fifth of the revenue.'

\echo
\echo '== 10. The most valuable cells: champions and loyal customers by their recency, orders and revenue scores =='
SELECT cell AS "recency-orders-revenue scores", replace(segment(cell)::text, '_', ' ') AS segment, count(*) AS accounts,
       round(sum(monetary)::numeric) AS revenue
FROM seg_scored WHERE segment(cell) <= 'loyal_customers'
GROUP BY cell ORDER BY revenue DESC, cell LIMIT 6;
\echo 'What this means: a few dozen buyers with top scores on orders and revenue carry most of the best segments'' revenue.'

\echo
\echo '== 11. A/B/C value tiers: the few accounts that bring most of the revenue =='
SELECT tier, round(min_value::numeric) AS min_revenue, customers AS accounts,
       pct(share_of_customers) AS share_of_buyers,
       round(value::numeric) AS revenue, pct(share_of_value) AS share_of_revenue
FROM value_tier_report((SELECT value_tier_agg(monetary) FROM seg_customers));
\echo 'tier A: the buyers that bring the first 80% of the revenue, B the next 15%, C the last 5%. Tier A by RFM segment:'
SELECT value_tier(v.t, c.monetary) AS tier, replace(replace(segment(c.cell)::text, '_', ' '), 'cant', 'can''t') AS segment, count(*) AS accounts
FROM seg_scored c, (SELECT value_tier_agg(monetary) AS t FROM seg_customers) v
WHERE value_tier(v.t, c.monetary) = 'A'
GROUP BY value_tier(v.t, c.monetary), segment(c.cell) ORDER BY segment(c.cell);
\echo 'What this means: tier A is the short list of buyers to protect; the at risk and can''t lose them among them need a call now.'

\echo
\echo '== 12. Net Promoter Score of buyers'' contacts by industry (promoters 9-10 minus detractors 0-6, from -100 to 100) =='
SELECT coalesce(a.industry, 'all industries') AS industry, count(*) AS answers,
       count(*) FILTER (WHERE nps_category(n.score) = 'promoter') AS promoters,
       count(*) FILTER (WHERE nps_category(n.score) = 'detractor') AS detractors,
       round(nps_agg(n.score)::numeric, 1) AS nps
FROM nps_responses n JOIN accounts a USING (account_id)
GROUP BY ROLLUP (a.industry)
ORDER BY a.industry IS NULL, nps DESC, a.industry;
\echo 'What this means: every industry has more promoters than detractors; ask the promoters for references and case studies.'
