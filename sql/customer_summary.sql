-- customer_summary_agg: lifetimes' transaction summary in days, against a
-- plain-SQL reference, in parallel and partitionwise plans; NULLs; errors.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- by hand: two orders on Jan 1 are one purchase day; Jan 20 is after the end
-- (frequency 2, recency 4, t 9, monetary (7 + 9) / 2 = 8, total 31, 4 orders)
SELECT (customer_summary_agg(ts, amount, '2024-01-10')).*
FROM (VALUES ('2024-01-05 08:00'::timestamptz, 9::numeric), ('2024-01-01 12:00', 5),
             ('2024-01-20', 100), ('2024-01-03', 7), ('2024-01-01 10:00', 10)) v(ts, amount);
-- an order later on the end day itself is inside the window (days are compared)
SELECT (customer_summary_agg(ts, amount, '2024-01-10 09:00')).*
FROM (VALUES ('2024-01-01'::timestamptz, 10::numeric), ('2024-01-10 18:00', 20)) v(ts, amount);
-- one purchase day: frequency 0, monetary 0 (as lifetimes)
SELECT (customer_summary_agg(ts, amount, '2024-02-01')).*
FROM (VALUES ('2024-01-01 09:00'::timestamptz, 10::numeric), ('2024-01-01 17:00', 20)) v(ts, amount);
-- days follow the session time zone (ts::date): 23:30 UTC is the next day in Berlin
SELECT frequency, recency, t FROM (SELECT (customer_summary_agg(ts, 1, '2024-01-10 12:00')).*
FROM (VALUES ('2024-01-01 10:00'::timestamptz), ('2024-01-01 23:30')) v(ts)) s;
SET TimeZone = 'Europe/Berlin';
SELECT frequency, recency, t FROM (SELECT (customer_summary_agg(ts, 1, '2024-01-10 12:00')).*
FROM (VALUES ('2024-01-01 10:00+00'::timestamptz), ('2024-01-01 23:30+00')) v(ts)) s;
SET TimeZone = 'UTC';
-- NULL order time or amount: the order is left out; no order before the end: NULL
SELECT (customer_summary_agg(ts, amount, '2024-02-01')).*
FROM (VALUES ('2024-01-01'::timestamptz, 10::numeric), (NULL, 20), ('2024-01-05', NULL), ('2024-01-07', 4)) v(ts, amount);
SELECT customer_summary_agg(ts, amount, '2023-12-31') IS NULL AS before_first_order
FROM (VALUES ('2024-01-01'::timestamptz, 10::numeric)) v(ts, amount);
SELECT customer_summary_agg(ts, amount, '2024-01-01') IS NULL AS no_rows
FROM (VALUES ('2024-01-01'::timestamptz, 10::numeric)) v(ts, amount) WHERE false;

-- errors
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT customer_summary_agg(now(), 1, NULL)$q$),
  ($q$SELECT customer_summary_agg(ts, 1, e) FROM (VALUES ('2024-01-01'::timestamptz, '2024-02-01'::timestamptz), ('2024-01-02', '2024-02-02')) v(ts, e)$q$),
  ($q$SELECT customer_summary_agg('2024-01-01', 'NaN', '2024-02-01')$q$),
  ($q$SELECT customer_summary_agg('2024-01-01', 'Infinity', '2024-02-01')$q$),
  ($q$SELECT customer_summary_agg('infinity', 1, '2024-02-01')$q$),
  ($q$SELECT customer_summary_agg('2024-01-01', 1, '-infinity')$q$),
  ($q$SELECT customer_summary_agg('2024-01-01', 1e400, '2024-02-01')$q$)) v(q);
\set VERBOSITY default
SELECT customer_summary_agg(now(), 1, NULL);
SELECT customer_summary_agg(ts, 1, e) FROM (VALUES ('2024-01-01'::timestamptz, '2024-02-01'::timestamptz), ('2024-01-02', '2024-02-02')) v(ts, e);
SELECT customer_summary_agg('2024-01-01', 'NaN', '2024-02-01');
SELECT customer_summary_agg('infinity', 1, '2024-02-01');
\set VERBOSITY terse

-- 200,000 generated orders of 20,000 customers over 500 days, some after the
-- end of observation, some with NULL time or amount
SET TimeZone = 'America/New_York';
CREATE TABLE customer_summary_orders AS
SELECT i AS order_id, 1 + ((i::bigint * 7919) % 1000003) % 20000 AS customer_id,
       CASE WHEN i % 1511 = 0 THEN NULL
            ELSE '2025-01-01 00:00+00'::timestamptz + make_interval(days => ((i::bigint * 2654435761) % 1000003 % 500)::int, secs => (i::bigint * 40503) % 999983 % 86400) END AS ts,
       CASE WHEN i % 1013 = 0 THEN NULL ELSE ((i * 97) % 10000) / 100.0 + 1 END::numeric(12, 2) AS amount
FROM generate_series(1, 200000) i;
ANALYZE customer_summary_orders;

CREATE VIEW customer_summary_ref AS
WITH d AS (
	SELECT customer_id, ts::date AS day, sum(amount) AS amount, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts
	FROM customer_summary_orders
	WHERE ts IS NOT NULL AND amount IS NOT NULL AND ts::date <= '2026-03-01 00:00-05'::timestamptz::date
	GROUP BY customer_id, ts::date
), f AS (SELECT customer_id, min(day) AS first_day FROM d GROUP BY customer_id)
SELECT customer_id, (count(*) - 1)::int AS frequency, max(day) - min(day) AS recency,
       '2026-03-01 00:00-05'::timestamptz::date - min(day) AS t,
       coalesce(sum(d.amount) FILTER (WHERE day > first_day) / nullif(count(*) - 1, 0), 0) AS monetary_value,
       min(first_ts) AS first_purchase, max(last_ts) AS last_purchase, sum(d.amount) AS total, sum(n) AS orders
FROM d JOIN f USING (customer_id)
GROUP BY customer_id, first_day;

CREATE TABLE customer_summary_agg_out AS
SELECT customer_id, (customer_summary_agg(ts, amount, '2026-03-01 00:00-05')).*
FROM customer_summary_orders GROUP BY customer_id;
SELECT count(*) AS customers, sum(orders) AS orders, sum(frequency) AS repeat_days, max(frequency) AS max_frequency,
       round(avg(recency), 4) AS avg_recency, round(avg(t), 4) AS avg_t,
       count(*) FILTER (WHERE frequency = 0) AS one_day_customers
FROM customer_summary_agg_out WHERE frequency IS NOT NULL;
CREATE FUNCTION pg_temp.differences(tab regclass) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
	EXECUTE format($f$
	SELECT count(*) FROM customer_summary_ref r FULL JOIN (SELECT * FROM %s WHERE frequency IS NOT NULL) a USING (customer_id)
	WHERE a.frequency IS DISTINCT FROM r.frequency OR a.recency IS DISTINCT FROM r.recency OR a.t IS DISTINCT FROM r.t
	   OR a.first_purchase IS DISTINCT FROM r.first_purchase OR a.last_purchase IS DISTINCT FROM r.last_purchase
	   OR a.orders IS DISTINCT FROM r.orders
	   OR NOT abs(a.monetary_value - r.monetary_value::float8) <= 1e-9 * greatest(1, abs(r.monetary_value::float8))
	   OR NOT abs(a.total - r.total::float8) <= 1e-9 * abs(r.total::float8)$f$, tab) INTO n;
	RETURN n;
END $$;
SELECT pg_temp.differences('customer_summary_agg_out') AS differences_from_reference;
-- customers whose only orders fall after the end get NULL
SELECT count(*) AS null_summaries FROM customer_summary_agg_out WHERE frequency IS NULL;
SELECT count(*) AS reference_absent FROM (SELECT DISTINCT customer_id FROM customer_summary_orders) c
WHERE customer_id NOT IN (SELECT customer_id FROM customer_summary_ref);

-- forced parallel plans: per customer (partial aggregates combined) and one
-- big group (serialize, deserialize, combine of large states)
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT customer_id, customer_summary_agg(ts, amount, '2026-03-01 00:00-05') FROM customer_summary_orders GROUP BY customer_id;
CREATE TABLE customer_summary_par AS
SELECT customer_id, (customer_summary_agg(ts, amount, '2026-03-01 00:00-05')).*
FROM customer_summary_orders GROUP BY customer_id;
RESET enable_hashagg;
SELECT pg_temp.differences('customer_summary_par') AS parallel_differences;
EXPLAIN (COSTS OFF) SELECT customer_summary_agg(ts, amount, '2026-03-01 00:00-05') FROM customer_summary_orders;
SELECT s.frequency, s.recency, s.t, s.orders, s.first_purchase, s.last_purchase,
       s.orders = (SELECT count(*) FROM customer_summary_orders WHERE ts::date <= '2026-03-01' AND amount IS NOT NULL) AS orders_ok,
       s.frequency + 1 = (SELECT count(DISTINCT ts::date) FROM customer_summary_orders WHERE ts::date <= '2026-03-01' AND amount IS NOT NULL) AS days_ok,
       abs(s.total / (SELECT sum(amount) FROM customer_summary_orders WHERE ts::date <= '2026-03-01' AND ts IS NOT NULL)::float8 - 1) < 1e-12 AS total_ok
FROM (SELECT (customer_summary_agg(ts, amount, '2026-03-01 00:00-05')).* FROM customer_summary_orders) s;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- partitionwise (partial) aggregation: orders partitioned by order, grouped by customer
CREATE TABLE customer_summary_part (order_id int, customer_id int, ts timestamptz, amount numeric(12, 2)) PARTITION BY HASH (order_id);
CREATE TABLE customer_summary_part_0 PARTITION OF customer_summary_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE customer_summary_part_1 PARTITION OF customer_summary_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE customer_summary_part_2 PARTITION OF customer_summary_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO customer_summary_part SELECT * FROM customer_summary_orders ORDER BY order_id DESC;
ANALYZE customer_summary_part;
SET enable_partitionwise_aggregate = on;
CREATE TABLE customer_summary_pw AS
SELECT customer_id, (customer_summary_agg(ts, amount, '2026-03-01 00:00-05')).*
FROM customer_summary_part GROUP BY customer_id;
RESET enable_partitionwise_aggregate;
SELECT pg_temp.differences('customer_summary_pw') AS partitionwise_differences;

-- straight into the models (days): summaries feed bgnbd_fit and gamma_gamma_fit;
-- these generated customers never drop out and their amounts do not differ
-- between customers, so neither model is identified (BG/NBD's a runs to 0,
-- Gamma-Gamma's q and v run off together): both fits say they did not converge
SELECT customers, skipped, converged, r > 0 AND alpha > 0 AND a > 0 AND b > 0 AS positive
FROM bgnbd_params((SELECT bgnbd_fit(frequency, recency, t) FROM customer_summary_agg_out));
SELECT customers, skipped, converged
FROM gamma_gamma_params((SELECT gamma_gamma_fit(frequency, monetary_value) FROM customer_summary_agg_out));

-- the time zone days are counted in (issue 11): orders at 23:30 UTC fall on
-- the next day in Tokyo; with the zone named, the session TimeZone no longer
-- matters (a JVM in Tokyo and psql in UTC get the same summary)
CREATE TABLE customer_summary_tz (ts timestamptz, amount numeric);
INSERT INTO customer_summary_tz VALUES
  ('2025-01-01 23:30:00+00', 10), ('2025-01-02 00:30:00+00', 20), ('2025-01-05 23:30:00+00', 30);
SET TimeZone = 'UTC';
SELECT 'session UTC' AS counted, (customer_summary_agg(ts, amount, '2025-01-10 12:00:00+00')).* FROM customer_summary_tz
UNION ALL
SELECT 'Asia/Tokyo', (customer_summary_agg(ts, amount, '2025-01-10 12:00:00+00', 'Asia/Tokyo')).* FROM customer_summary_tz
ORDER BY 1;
-- the reference: distinct local dates in the zone, by plain SQL
SELECT count(DISTINCT (ts AT TIME ZONE 'Asia/Tokyo')::date) - 1 AS frequency,
       max((ts AT TIME ZONE 'Asia/Tokyo')::date) - min((ts AT TIME ZONE 'Asia/Tokyo')::date) AS recency
FROM customer_summary_tz;
CREATE TEMP TABLE customer_summary_tz_utc AS
SELECT (s).frequency, (s).recency, (s).t, (s).monetary_value
FROM (SELECT customer_summary_agg(ts, amount, '2025-01-10 12:00:00+00', 'UTC') s FROM customer_summary_tz) x;
SET TimeZone = 'Asia/Tokyo';
SELECT 'session Asia/Tokyo' AS counted, (s).frequency, (s).recency, (s).t, (s).monetary_value
FROM (SELECT customer_summary_agg(ts, amount, '2025-01-10 12:00:00+00') s FROM customer_summary_tz) x
UNION ALL
SELECT 'UTC named, session Asia/Tokyo', (s).frequency, (s).recency, (s).t, (s).monetary_value
FROM (SELECT customer_summary_agg(ts, amount, '2025-01-10 12:00:00+00', 'UTC') s FROM customer_summary_tz) x
UNION ALL
SELECT 'UTC named, session UTC', * FROM customer_summary_tz_utc
ORDER BY 1;
DROP TABLE customer_summary_tz_utc;
SET TimeZone = 'UTC';
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT customer_summary_agg(ts, amount, now(), 'Mars/Olympus') FROM customer_summary_tz$q$),
  ($q$SELECT customer_summary_agg(ts, amount, now(), NULL) FROM customer_summary_tz$q$),
  ($q$SELECT customer_summary_agg(ts, amount, now(), CASE WHEN amount > 15 THEN 'UTC' ELSE 'Asia/Tokyo' END) FROM customer_summary_tz$q$)) v(q);
SELECT customer_summary_agg(ts, amount, now(), 'Mars/Olympus') FROM customer_summary_tz;
SELECT customer_summary_agg(ts, amount, now(), NULL) FROM customer_summary_tz;
SELECT customer_summary_agg(ts, amount, now(), CASE WHEN amount > 15 THEN 'UTC' ELSE 'Asia/Tokyo' END) FROM customer_summary_tz;
DROP TABLE customer_summary_tz;

RESET TimeZone;
DROP VIEW customer_summary_ref;
DROP TABLE customer_summary_orders, customer_summary_agg_out, customer_summary_par, customer_summary_part, customer_summary_pw;
