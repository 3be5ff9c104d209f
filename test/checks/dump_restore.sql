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
CREATE TABLE dump_histories AS
SELECT i % 3 AS id, repeat_histories_agg(i % 4, CASE WHEN i % 4 = 0 THEN 0 ELSE 1 + i % 30 END, 40 + i % 9) AS h,
       spend_histories_agg(i % 4, 10 + (i % 17) / 4.0) AS s
FROM generate_series(1, 3000) i GROUP BY i % 3;
