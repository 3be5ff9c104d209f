-- Tables using every b2btarget type, for test/checks/dump_restore.sh.
CREATE EXTENSION b2btarget;
CREATE TABLE dump_stage AS
SELECT i AS id, ((i % 7) + 1)::journey_stage AS stage FROM generate_series(1, 1000) i;
CREATE TABLE dump_propensity AS
SELECT i AS id, (i / 1000.0)::float8::propensity AS p, propensity_from_logit(i / 37.0 - 10) AS q
FROM generate_series(0, 1000) i;
CREATE TABLE dump_funnel AS
SELECT id % 10 AS id, funnel_agg(stage) AS f FROM dump_stage GROUP BY id % 10;
CREATE TABLE dump_kmeans AS
SELECT k AS id, kmeans_fit(ARRAY[i % 7, (i * 13) % 11, i / 100.0]::float8[], k) AS m
FROM generate_series(1, 300) i, generate_series(1, 4) k GROUP BY k
UNION ALL SELECT 5, kmeans_model(ARRAY[[0, 1], [2, 3]]::float8[], 'zscore');
