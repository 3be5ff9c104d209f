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
\echo '== 8. RFM cut points of today''s customers (stored, to score new customers the same way later) =='
CREATE TEMP TABLE seg_thresholds AS
SELECT rfm_thresholds_agg(recency_days, frequency, monetary) AS t FROM seg_customers;
SELECT dimension, customers, round(p20::numeric, 1) AS p20, round(p40::numeric, 1) AS p40,
       round(p60::numeric, 1) AS p60, round(p80::numeric, 1) AS p80
FROM rfm_cut_points((SELECT t FROM seg_thresholds));

\echo
\echo '== 9. Buyers per RFM segment: revenue share and the recommended action =='
CREATE TEMP TABLE seg_scored AS
SELECT c.*, rfm_score(s.t, c.recency_days, c.frequency, c.monetary) AS cell
FROM seg_customers c, seg_thresholds s;
SELECT segment(cell) AS segment, count(*) AS accounts,
       pct(count(*) / sum(count(*)) OVER ()) AS share_of_buyers,
       pct(sum(monetary) / sum(sum(monetary)) OVER ()) AS share_of_revenue,
       round(avg(recency_days)::numeric) AS mean_days_since_last_order, round(avg(frequency)::numeric, 1) AS mean_orders,
       segment_action(segment(cell)) AS action
FROM seg_scored GROUP BY 1 ORDER BY 1;
\echo 'RFM scores each buyer 1-5 on recency, frequency and spend against the cut points above; segments name the R x F cells.'

\echo
\echo '== 10. The most valuable cells: champions and loyal customers by R-F-M =='
SELECT cell, segment(cell) AS segment, count(*) AS accounts, round(sum(monetary)::numeric) AS revenue
FROM seg_scored WHERE segment(cell) <= 'loyal_customers'
GROUP BY cell ORDER BY revenue DESC LIMIT 6;

\echo
\echo '== 11. A/B/C value tiers: the few accounts that bring most of the revenue =='
SELECT tier, round(min_value::numeric) AS min_revenue, customers AS accounts,
       pct(share_of_customers) AS share_of_buyers,
       round(value::numeric) AS revenue, pct(share_of_value) AS share_of_revenue
FROM value_tier_report((SELECT value_tier_agg(monetary) FROM seg_customers));
SELECT value_tier(v.t, c.monetary) AS tier, segment(c.cell) AS segment, count(*) AS accounts
FROM seg_scored c, (SELECT value_tier_agg(monetary) AS t FROM seg_customers) v
WHERE value_tier(v.t, c.monetary) = 'A'
GROUP BY 1, 2 ORDER BY 2;
\echo 'What this means: tier A is the short list of buyers to protect; the at_risk and cant_lose_them among them need a call now.'

\echo
\echo '== 12. Net Promoter Score of buyers'' contacts by industry (promoters 9-10 minus detractors 0-6, from -100 to 100) =='
SELECT coalesce(a.industry, 'all industries') AS industry, count(*) AS answers,
       count(*) FILTER (WHERE nps_category(n.score) = 'promoter') AS promoters,
       count(*) FILTER (WHERE nps_category(n.score) = 'detractor') AS detractors,
       round(nps_agg(n.score)::numeric, 1) AS nps
FROM nps_responses n JOIN accounts a USING (account_id)
GROUP BY ROLLUP (a.industry)
ORDER BY a.industry IS NULL, nps DESC;
