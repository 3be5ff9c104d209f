-- Net Promoter Score: nps_category and nps_agg.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

SELECT s, nps_category(s) FROM generate_series(0, 10) s;
SELECT nps_category(NULL);

-- SQLSTATE of each bad input (the messages and hints are shown below).
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT nps_category(11)$q$),
  ($q$SELECT nps_category(-1)$q$),
  ($q$SELECT nps_agg(s) FROM (VALUES (5), (12)) v(s)$q$),
  ($q$SELECT nps_trans('{0,0,0}', 9)$q$),
  ($q$SELECT nps_combine('{0,0,0}', '{0,0,0}')$q$)) v(q);
SELECT nps_category(11);
SELECT nps_category(-1);
SELECT nps_agg(s) FROM (VALUES (5), (12)) v(s);
SELECT nps_trans('{0,0,0}', 9);

-- by hand: 3 promoters, 2 passives, 5 detractors, a NULL: (3 - 5) / 10 = -20
SELECT nps_agg(s) FROM (VALUES (10), (9), (9), (8), (7), (6), (0), (3), (5), (6), (NULL)) v(s);
SELECT nps_agg(s) AS all_promoters FROM (VALUES (9), (10)) v(s);
SELECT nps_agg(s) AS all_detractors FROM (VALUES (0), (6)) v(s);
SELECT nps_agg(s) AS no_answers FROM (SELECT NULL::int AS s) v;
SELECT nps_agg(s) AS no_rows FROM (SELECT 1 AS s WHERE false) v;

-- 150,000 generated answers: against the plain-SQL formula, overall and per group
CREATE TABLE nps_t AS
SELECT i AS response_id, i % 23 AS account_group,
       CASE WHEN i % 211 = 0 THEN NULL ELSE least(10, ((i * 2654435761) % 1000003) % 13)::int END AS score
FROM generate_series(1, 150000::bigint) i;
ANALYZE nps_t;
CREATE VIEW nps_ref AS
SELECT account_group,
       100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))::float8 / count(score) AS nps
FROM nps_t GROUP BY account_group;
SELECT round(nps_agg(score)::numeric, 10) AS nps,
       round((100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))::float8 / count(score))::numeric, 10) AS reference
FROM nps_t;
SELECT count(*) AS groups_differing FROM (SELECT account_group, nps_agg(score) AS nps FROM nps_t GROUP BY 1) a
FULL JOIN nps_ref b USING (account_group) WHERE abs(a.nps - b.nps) > 1e-12 OR a.nps IS NULL OR b.nps IS NULL;
SELECT count(*) AS categories_differing FROM nps_t
WHERE nps_category(score) <> CASE WHEN score >= 9 THEN 'promoter' WHEN score >= 7 THEN 'passive' ELSE 'detractor' END;

-- forced parallel plan
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT nps_agg(score) FROM nps_t;
SELECT abs(nps_agg(score) - (SELECT 100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))::float8 / count(score) FROM nps_t)) < 1e-12 AS parallel_equal
FROM nps_t;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- partitionwise aggregation
CREATE TABLE nps_part (LIKE nps_t) PARTITION BY HASH (response_id);
CREATE TABLE nps_part_0 PARTITION OF nps_part FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE nps_part_1 PARTITION OF nps_part FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO nps_part SELECT * FROM nps_t;
ANALYZE nps_part;
SET enable_partitionwise_aggregate = on;
SELECT nps_agg(score) = (SELECT nps_agg(score) FROM nps_t) AS partitionwise_equal FROM nps_part;
RESET enable_partitionwise_aggregate;

-- moving window (inverse transition) equals recomputation
SELECT count(*) AS window_mismatches FROM (
  SELECT response_id,
         nps_agg(score) OVER (ORDER BY response_id ROWS BETWEEN 30 PRECEDING AND CURRENT ROW) AS w,
         (SELECT nps_agg(t2.score) FROM nps_t t2 WHERE t2.response_id BETWEEN t.response_id - 30 AND t.response_id) AS r
  FROM nps_t t WHERE response_id <= 600) x
WHERE w IS DISTINCT FROM r;

-- a corrupt state given to the combine step (as from another node) is refused
CREATE TEMP TABLE nps_states (st bigint[]);
INSERT INTO nps_states VALUES ('{1,2}');
CREATE AGGREGATE pg_temp.nps_rollup(bigint[]) (SFUNC = nps_combine, STYPE = bigint[], INITCOND = '{0,0,0}', FINALFUNC = nps_final);
SELECT pg_temp.nps_rollup(st) FROM nps_states;
TRUNCATE nps_states;
INSERT INTO nps_states VALUES ('{1,-2,3}');
SELECT pg_temp.nps_rollup(st) FROM nps_states;
TRUNCATE nps_states;
INSERT INTO nps_states VALUES ('{3,2,5}'), ('{1,0,0}');
SELECT pg_temp.nps_rollup(st) AS rolled_up FROM nps_states;

DROP TABLE nps_t CASCADE;
DROP TABLE nps_part;
