-- any_of_agg and logodds_pool_agg: small cases, NULLs, errors, plain-SQL
-- references on generated data, forced parallel plans.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

-- any_of_agg: 1 - (1 - 0.5)(1 - 0.2)(1 - 0.1) = 0.64; NULLs skipped
SELECT round(any_of_agg(propensity_from_text(p))::numeric, 15) AS any_of FROM (VALUES ('0.5'), ('0.2'), (NULL), ('10%')) v(p);
SELECT any_of_agg(p::propensity) FROM (VALUES ('0'), ('0')) v(p);
SELECT any_of_agg(p::propensity) FROM (VALUES ('1'), ('0.3')) v(p);
-- no rows, only NULLs: NULL
SELECT any_of_agg(p) IS NULL AS empty_is_null FROM (SELECT NULL::propensity p WHERE false) v;
SELECT any_of_agg(p) IS NULL AS nulls_is_null FROM (VALUES (NULL::propensity)) v(p);

-- logodds_pool_agg: equal weights, two propensities with logits ±log 3
SELECT logodds_pool_agg(p::propensity, 1) FROM (VALUES ('0.75'), ('0.25')) v(p);
-- weights: 3·logit(0.9) + 1·logit(0.5), over 4
SELECT logodds_pool_agg(p::propensity, w),
       propensity_from_logit(3 * logit('0.9') / 4) AS by_hand
FROM (VALUES ('0.9', 3), ('0.5', 1)) v(p, w);
-- 0 and 1 are clamped to 1e-12 and 1 - 1e-12 before the logit
SELECT logodds_pool_agg(p::propensity, 1) FROM (VALUES ('0'), ('1')) v(p);
SELECT logodds_pool_agg(p::propensity, 1) = propensity_from_logit(logit('1e-12')) AS zero_clamped
FROM (VALUES ('0')) v(p);
SELECT logodds_pool_agg(p::propensity, 1) FROM (VALUES ('1')) v(p);
-- rows with a NULL p or NULL weight are skipped; zero total weight: NULL
SELECT logodds_pool_agg(p::propensity, w) FROM (VALUES ('0.8', 1), (NULL, 5), ('0.1', NULL)) v(p, w);
SELECT logodds_pool_agg(p::propensity, w) IS NULL AS zero_weight_is_null FROM (VALUES ('0.8', 0), ('0.3', 0)) v(p, w);
SELECT logodds_pool_agg(p, w) IS NULL AS empty_is_null FROM (SELECT NULL::propensity p, NULL::float8 w WHERE false) v;

-- bad weights
SELECT logodds_pool_agg(p::propensity, w) FROM (VALUES ('0.8', -1)) v(p, w);
SELECT logodds_pool_agg(p::propensity, w) FROM (VALUES ('0.8', 'NaN'::float8)) v(p, w);
SELECT logodds_pool_agg(p::propensity, w) FROM (VALUES ('0.8', 'Infinity'::float8)) v(p, w);
SELECT logodds_pool_agg(p::propensity, w) FROM (VALUES ('0.8', 1e308), ('0.5', 1e308)) v(p, w);
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT logodds_pool_agg('0.8', -1)$q$),
  ($q$SELECT logodds_pool_agg('0.8', 'NaN')$q$),
  ($q$SELECT logodds_pool_agg('0.8', '-Infinity')$q$),
  ($q$SELECT logodds_pool_agg(p, 1e308) FROM (VALUES ('0.8'::propensity), ('0.5')) v(p)$q$),
  ($q$SELECT logodds_pool_trans('{0,0}', '0.5', 1)$q$),
  ($q$SELECT logodds_pool_final('{1}')$q$),
  ($q$SELECT logodds_pool_final('{-1,0}')$q$)) v(q);
-- transition function by hand, and a state of the wrong shape
SELECT logodds_pool_trans('{0,0}', '0.5', 1);
SELECT logodds_pool_final('{1,2,3}');
SELECT logodds_pool_final('{2,0.5}') AS state_round_trip;

-- generated data: 60,000 rows in 30 groups against plain SQL
SELECT setseed(0.5);
CREATE TABLE pagg_t AS
SELECT i % 30 AS g,
       CASE WHEN i % 53 = 0 THEN NULL ELSE (random() ^ 3)::float8::propensity END AS p,
       CASE WHEN i % 71 = 0 THEN NULL WHEN i % 11 = 0 THEN 0 ELSE random() * 5 END AS w,
       CASE WHEN i % 61 = 0 THEN NULL ELSE (random() / 2000)::float8::propensity END AS q
FROM generate_series(1, 60000) i;
INSERT INTO pagg_t VALUES (1, '0', 1, '0'), (2, '1', 2, '0.5'), (3, '0', 0, '1');
ANALYZE pagg_t;

CREATE VIEW pagg_ref AS
SELECT g,
       1 - exp(sum(ln(1 - q::float8)) FILTER (WHERE q < 1)) * (CASE WHEN bool_or(q = 1) THEN 0 ELSE 1 END) AS any_of,
       1 / (1 + exp(-(sum(w * ln(least(greatest(p::float8, 1e-12), 1 - 1e-12) / (1 - least(greatest(p::float8, 1e-12), 1 - 1e-12))))
                      FILTER (WHERE w IS NOT NULL AND p IS NOT NULL)
                      / NULLIF(sum(w) FILTER (WHERE w IS NOT NULL AND p IS NOT NULL), 0)))) AS pooled
FROM pagg_t GROUP BY g;

SELECT count(*) AS groups,
       count(*) FILTER (WHERE abs(a.any_of - r.any_of) < 1e-12) AS any_of_equal,
       count(*) FILTER (WHERE abs(a.pooled - r.pooled) < 1e-12) AS pooled_equal
FROM (SELECT g, any_of_agg(q)::float8 AS any_of, logodds_pool_agg(p, w)::float8 AS pooled FROM pagg_t GROUP BY g) a
JOIN pagg_ref r USING (g);
-- the whole table
SELECT abs(logodds_pool_agg(p, w)::float8
           - (SELECT 1 / (1 + exp(-(sum(w * ln(least(greatest(p::float8, 1e-12), 1 - 1e-12) / (1 - least(greatest(p::float8, 1e-12), 1 - 1e-12))))
                                    / sum(w)))) FROM pagg_t WHERE w IS NOT NULL AND p IS NOT NULL AND g NOT IN (2, 3))) < 1e-12 AS pooled_all_ok,
       round(logodds_pool_agg(p, w)::numeric, 10) AS pooled_all,
       abs(any_of_agg(q) - (SELECT 1 - exp(sum(ln(1 - q::float8))) FROM pagg_t WHERE g NOT IN (2, 3))) < 1e-12 AS any_of_all_ok,
       round(any_of_agg(q)::numeric, 10) AS any_of_all
FROM pagg_t WHERE g NOT IN (2, 3);

-- forced parallel plan and hash aggregation give the same values
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT any_of_agg(q), logodds_pool_agg(p, w) FROM pagg_t;
SELECT round(any_of_agg(q)::numeric, 12) AS any_of, round(logodds_pool_agg(p, w)::numeric, 10) AS pooled FROM pagg_t WHERE g NOT IN (2, 3);
SELECT count(*) FILTER (WHERE abs(a.pooled - r.pooled) < 1e-12 AND abs(a.any_of - r.any_of) < 1e-12) AS parallel_groups_equal
FROM (SELECT g, any_of_agg(q)::float8 AS any_of, logodds_pool_agg(p, w)::float8 AS pooled FROM pagg_t GROUP BY g) a
JOIN pagg_ref r USING (g);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SET enable_hashagg = off;
SELECT count(*) FILTER (WHERE abs(a.pooled - r.pooled) < 1e-12) AS sorted_groups_equal
FROM (SELECT g, logodds_pool_agg(p, w)::float8 AS pooled FROM pagg_t GROUP BY g) a
JOIN pagg_ref r USING (g);
RESET enable_hashagg;

-- moving window (the state is rebuilt per frame: no inverse function)
SELECT g, round(logodds_pool_agg(p, 1) OVER (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)::numeric, 6) AS pooled
FROM (VALUES (1, '0.2'::propensity), (2, '0.8'), (3, '0.5')) v(g, p) ORDER BY g;

DROP VIEW pagg_ref;
DROP TABLE pagg_t;
