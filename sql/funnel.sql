-- funnel_agg, accessors, funnel_report, rollup, text and binary I/O.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

-- a small funnel by hand
SELECT funnel_agg(s::journey_stage)
FROM (VALUES ('awareness'), ('awareness'), ('consideration'), ('decision'),
             ('purchase'), ('advocacy'), (NULL)) v(s);
SELECT * FROM funnel_report((SELECT funnel_agg(s::journey_stage)
FROM (VALUES ('awareness'), ('awareness'), ('consideration'), ('decision'),
             ('purchase'), ('advocacy')) v(s)));

-- empty input: an all-zero funnel; ratios are NULL, not a division by zero
SELECT funnel_agg(s) FROM (SELECT NULL::journey_stage s WHERE false) v;
SELECT * FROM funnel_report((SELECT funnel_agg(s) FROM (SELECT NULL::journey_stage s WHERE false) v));
SELECT conversion(funnel_agg(s), 'awareness', 'purchase') FROM (SELECT NULL::journey_stage s WHERE false) v;

-- SQLSTATE of each bad input (the messages and hints are shown below).
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT 'nonsense'::funnel$q$),
  ($q$SELECT '{"awareness": 10}'::funnel$q$),
  ($q$SELECT conversion('{"awareness": 1, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}', 'purchase', 'awareness')$q$),
  ($q$SELECT funnel_combine('{"awareness": 0, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}'::funnel, '{"awareness": 0, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}'::funnel)$q$)) v(q);

-- text round trip and validation
SELECT '{"awareness": 10, "consideration": 6, "evaluation": 4, "decision": 3, "purchase": 2, "retention": 1, "advocacy": 0}'::funnel;
SELECT '{"advocacy":0,"retention":1,"purchase":2,"decision":3,"evaluation":4,"consideration":6,"awareness":10}'::funnel::text::funnel;
SELECT 'nonsense'::funnel;
SELECT '{"awareness": 10}'::funnel;
SELECT '{"awareness": 1, "consideration": 2, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}'::funnel;
SELECT '{"awareness": -1, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}'::funnel;
SELECT '{"awareness": 1, "awareness": 1, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}'::funnel;
SELECT '{"awareness": 1, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0, "extra": 0}'::funnel;
SELECT '{"Awareness": 1, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}'::funnel;
SELECT '{"awareness": 1.5, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}'::funnel;
SELECT '{"awareness": 1, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0} junk'::funnel;

-- accessors and errors
SELECT reached(f, 'evaluation'), stopped_at(f, 'awareness'), entities(f),
       conversion(f, 'awareness', 'purchase'), conversion(f, 'decision', 'decision'),
       conversion(f, 'advocacy', 'advocacy')
FROM (SELECT '{"awareness": 10, "consideration": 6, "evaluation": 4, "decision": 3, "purchase": 2, "retention": 1, "advocacy": 0}'::funnel f) v;
SELECT conversion('{"awareness": 10, "consideration": 6, "evaluation": 4, "decision": 3, "purchase": 2, "retention": 1, "advocacy": 0}'::funnel, 'purchase', 'awareness');
SELECT reached(NULL, 'awareness'), conversion(NULL, 'awareness', 'decision');

-- a funnel_agg transition function called by hand is refused
SELECT funnel_trans('{"awareness": 0, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}', 'awareness');

-- 120,000 generated entities: compare with the plain-SQL count(*) FILTER
CREATE TABLE funnel_t AS
SELECT i AS account_id, (i % 40) AS region,
       CASE WHEN i % 97 = 0 THEN NULL
            ELSE (1 + floor(7 * power(((i * 2654435761) % 1000003) / 1000003.0, 1.8)))::int::journey_stage
       END AS stage
FROM generate_series(1, 120000) i;
ANALYZE funnel_t;

CREATE VIEW funnel_ref AS
SELECT count(*) FILTER (WHERE stage >= 'awareness') AS awareness,
       count(*) FILTER (WHERE stage >= 'consideration') AS consideration,
       count(*) FILTER (WHERE stage >= 'evaluation') AS evaluation,
       count(*) FILTER (WHERE stage >= 'decision') AS decision,
       count(*) FILTER (WHERE stage >= 'purchase') AS purchase,
       count(*) FILTER (WHERE stage >= 'retention') AS retention,
       count(*) FILTER (WHERE stage >= 'advocacy') AS advocacy
FROM funnel_t;

SELECT * FROM funnel_ref;
SELECT funnel_agg(stage) FROM funnel_t;
SELECT (SELECT funnel_agg(stage) FROM funnel_t)::text =
       (SELECT format('{"awareness": %s, "consideration": %s, "evaluation": %s, "decision": %s, "purchase": %s, "retention": %s, "advocacy": %s}',
                      awareness, consideration, evaluation, decision, purchase, retention, advocacy) FROM funnel_ref) AS agg_equals_reference;

-- per group, against the reference per group (hash and sort aggregation)
SELECT count(*) AS groups_differing FROM (
  SELECT region, funnel_agg(stage)::text AS f FROM funnel_t GROUP BY region) a
FULL JOIN (
  SELECT region, format('{"awareness": %s, "consideration": %s, "evaluation": %s, "decision": %s, "purchase": %s, "retention": %s, "advocacy": %s}',
    count(*) FILTER (WHERE stage >= 'awareness'), count(*) FILTER (WHERE stage >= 'consideration'),
    count(*) FILTER (WHERE stage >= 'evaluation'), count(*) FILTER (WHERE stage >= 'decision'),
    count(*) FILTER (WHERE stage >= 'purchase'), count(*) FILTER (WHERE stage >= 'retention'),
    count(*) FILTER (WHERE stage >= 'advocacy')) AS f
  FROM funnel_t GROUP BY region) b USING (region)
WHERE a.f IS DISTINCT FROM b.f;

-- conversion and report against plain SQL
SELECT abs(conversion(funnel_agg(stage), 'consideration', 'purchase')
           - (SELECT purchase::float8 / consideration FROM funnel_ref)) < 1e-15 AS conversion_ok
FROM funnel_t;
SELECT r.stage, r.reached, r.stopped,
       round(r.share_of_top::numeric, 6) AS share_of_top,
       round(r.conversion::numeric, 6) AS conversion,
       round(r.drop_off::numeric, 6) AS drop_off,
       r.stopped = (SELECT count(*) FROM funnel_t t WHERE t.stage = r.stage) AS stopped_ok
FROM funnel_report((SELECT funnel_agg(stage) FROM funnel_t)) r;

-- forced parallel plan gives the same funnel
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT funnel_agg(stage) FROM funnel_t;
SELECT (SELECT funnel_agg(stage) FROM funnel_t)::text =
       (SELECT format('{"awareness": %s, "consideration": %s, "evaluation": %s, "decision": %s, "purchase": %s, "retention": %s, "advocacy": %s}',
                      awareness, consideration, evaluation, decision, purchase, retention, advocacy) FROM funnel_ref) AS parallel_equals_reference;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- two-step: store per-region funnels, roll them up
CREATE TABLE funnel_by_region AS SELECT region, funnel_agg(stage) AS f FROM funnel_t GROUP BY region;
SELECT rollup(f)::text = (SELECT funnel_agg(stage)::text FROM funnel_t) AS rollup_equals_whole FROM funnel_by_region;
SELECT rollup(f) FROM funnel_by_region WHERE false;
SELECT rollup(f) FROM (VALUES (NULL::funnel)) v(f);

-- partitionwise aggregation over a partitioned table, then a rollup
CREATE TABLE funnel_part (account_id int, region int, stage journey_stage) PARTITION BY HASH (account_id);
CREATE TABLE funnel_part_0 PARTITION OF funnel_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE funnel_part_1 PARTITION OF funnel_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE funnel_part_2 PARTITION OF funnel_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO funnel_part SELECT * FROM funnel_t;
ANALYZE funnel_part;
SET enable_partitionwise_aggregate = on;
SELECT funnel_agg(stage)::text = (SELECT funnel_agg(stage)::text FROM funnel_t) AS partitionwise_equal FROM funnel_part;
SELECT count(*) AS groups_differing FROM (SELECT region, funnel_agg(stage)::text f FROM funnel_part GROUP BY region) a
  JOIN (SELECT region, funnel_agg(stage)::text f FROM funnel_t GROUP BY region) b USING (region) WHERE a.f <> b.f;
RESET enable_partitionwise_aggregate;
SELECT rollup(f)::text = (SELECT funnel_agg(stage)::text FROM funnel_t) AS partition_rollup_equal
FROM (SELECT tableoid, funnel_agg(stage) f FROM funnel_part GROUP BY tableoid) p;

-- moving window funnel (inverse transition) equals recomputation
SELECT count(*) AS window_mismatches FROM (
  SELECT account_id,
         funnel_agg(stage) OVER (ORDER BY account_id ROWS BETWEEN 50 PRECEDING AND CURRENT ROW)::text AS w,
         (SELECT funnel_agg(t2.stage) FROM funnel_t t2 WHERE t2.account_id BETWEEN t.account_id - 50 AND t.account_id)::text AS r
  FROM funnel_t t WHERE account_id <= 400) x
WHERE w <> r;

-- text and binary COPY round trip of stored funnels
CREATE TABLE funnel_copy (LIKE funnel_by_region);
\copy funnel_by_region TO 'results/funnel.bin' (FORMAT binary)
\copy funnel_copy FROM 'results/funnel.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM funnel_by_region a FULL JOIN funnel_copy b USING (region) WHERE a.f::text IS DISTINCT FROM b.f::text;
TRUNCATE funnel_copy;
\copy funnel_by_region TO 'results/funnel.txt'
\copy funnel_copy FROM 'results/funnel.txt'
SELECT count(*) AS text_mismatches FROM funnel_by_region a FULL JOIN funnel_copy b USING (region) WHERE a.f::text IS DISTINCT FROM b.f::text;

-- crafted binary funnels: wrong version, truncated, negative count
CREATE TABLE funnel_raw (b bytea);
CREATE TABLE funnel_recv (f funnel);
INSERT INTO funnel_raw VALUES ('\x0207' || decode(repeat('0000000000000001', 7), 'hex'));
\copy funnel_raw TO 'results/funnel_raw.bin' (FORMAT binary)
\copy funnel_recv FROM 'results/funnel_raw.bin' (FORMAT binary)
TRUNCATE funnel_raw;
INSERT INTO funnel_raw VALUES ('\x0107' || decode(repeat('0000000000000001', 6), 'hex'));
\copy funnel_raw TO 'results/funnel_raw.bin' (FORMAT binary)
\copy funnel_recv FROM 'results/funnel_raw.bin' (FORMAT binary)
TRUNCATE funnel_raw;
INSERT INTO funnel_raw VALUES ('\x0107' || decode(repeat('ffffffffffffffff', 7), 'hex'));
\copy funnel_raw TO 'results/funnel_raw.bin' (FORMAT binary)
\copy funnel_recv FROM 'results/funnel_raw.bin' (FORMAT binary)
TRUNCATE funnel_raw;
INSERT INTO funnel_raw VALUES ('\x0106' || decode(repeat('0000000000000001', 7), 'hex'));
\copy funnel_raw TO 'results/funnel_raw.bin' (FORMAT binary)
\copy funnel_recv FROM 'results/funnel_raw.bin' (FORMAT binary)
TRUNCATE funnel_raw;
INSERT INTO funnel_raw VALUES ('\x0107' || decode(repeat('7fffffffffffffff', 7), 'hex'));
\copy funnel_raw TO 'results/funnel_raw.bin' (FORMAT binary)
\copy funnel_recv FROM 'results/funnel_raw.bin' (FORMAT binary)
TRUNCATE funnel_raw;
INSERT INTO funnel_raw VALUES ('\x0107' || decode(repeat('0000000000000002', 7), 'hex'));
\copy funnel_raw TO 'results/funnel_raw.bin' (FORMAT binary)
\copy funnel_recv FROM 'results/funnel_raw.bin' (FORMAT binary)
SELECT f FROM funnel_recv;

DROP TABLE funnel_t CASCADE;
DROP TABLE funnel_by_region, funnel_part, funnel_copy, funnel_raw, funnel_recv;
