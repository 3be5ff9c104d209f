-- k-means personas (SPEC §8): kmeans_fit, kmeans_step, kmeans_train and the accessors.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;
SET extra_float_digits = 0;

CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

-- ---------------------------------------------------------------------
-- scikit-learn's test_kmeans_results: X = [[0,0],[0.5,0],[0.5,1],[1,1]]
-- with sample weights 3, 1, 1, 3 (rows repeated), from [[0,0],[1,1]]:
-- centroids [[0.125,0],[0.875,1]], inertia 0.375, 2 iterations.
-- ---------------------------------------------------------------------
CREATE TABLE kmeans_sk (f float8[]);
INSERT INTO kmeans_sk
SELECT ARRAY[x, y] FROM (VALUES (0, 0, 3), (0.5, 0, 1), (0.5, 1, 1), (1, 1, 3)) v(x, y, w), generate_series(1, w);
SELECT kmeans_fit(f, ARRAY[[0, 0], [1, 1]]::float8[]) AS sklearn_case FROM kmeans_sk;
SELECT * FROM kmeans_summary((SELECT kmeans_fit(f, ARRAY[[0, 0], [1, 1]]::float8[]) FROM kmeans_sk));
SELECT * FROM kmeans_centroids((SELECT kmeans_fit(f, ARRAY[[0, 0], [1, 1]]::float8[]) FROM kmeans_sk));
-- the same by bounded passes: kmeans_train, and kmeans_step by hand
SELECT kmeans_train('kmeans_sk', 'f', ARRAY[[0, 0], [1, 1]]::float8[])::text
     = (SELECT kmeans_fit(f, ARRAY[[0, 0], [1, 1]]::float8[]) FROM kmeans_sk)::text AS train_equals_fit;
WITH m0 AS (SELECT kmeans_step(kmeans_model(ARRAY[[0, 0], [1, 1]]::float8[]), f) AS m FROM kmeans_sk),
     m1 AS (SELECT kmeans_step((SELECT m FROM m0), f) AS m FROM kmeans_sk),
     m2 AS (SELECT kmeans_step((SELECT m FROM m1), f) AS m FROM kmeans_sk)
SELECT 0 AS pass, (kmeans_summary(m)).* FROM m0
UNION ALL SELECT 1, (kmeans_summary(m)).* FROM m1
UNION ALL SELECT 2, (kmeans_summary(m)).* FROM m2
ORDER BY 1;
-- the seeded form on these rows (zscore): any seed finds the same two groups
SELECT seed, cluster_of(m, ARRAY[0, 0]) = cluster_of(m, ARRAY[0.5, 0]) AS left_together,
       cluster_of(m, ARRAY[1, 1]) = cluster_of(m, ARRAY[0.5, 1]) AS right_together,
       cluster_of(m, ARRAY[0, 0]) <> cluster_of(m, ARRAY[1, 1]) AS apart
FROM generate_series(0, 4) seed, LATERAL (SELECT kmeans_fit(f, 2, seed) AS m FROM kmeans_sk) x
ORDER BY seed;

-- ---------------------------------------------------------------------
-- Planted blobs: 4 well-separated groups of 150 rows in 3 features of
-- different units (hash-based noise, deterministic).
-- ---------------------------------------------------------------------
CREATE TABLE kmeans_blobs (id integer, blob integer, f float8[]);
INSERT INTO kmeans_blobs
SELECT i, b,
       ARRAY[c1 + 40 * ((hashint4(i * 3) & 65535) / 65535.0 - 0.5),
             c2 + 2 * ((hashint4(i * 3 + 1) & 65535) / 65535.0 - 0.5),
             c3 + 0.02 * ((hashint4(i * 3 + 2) & 65535) / 65535.0 - 0.5)]::float8[]
FROM generate_series(1, 600) i,
     LATERAL (SELECT (i % 4) + 1 AS b) bb,
     LATERAL (SELECT (ARRAY[100, 400, 100, 400])[b] AS c1, (ARRAY[5, 5, 20, 20])[b] AS c2,
                     (ARRAY[0.1, 0.3, 0.3, 0.1])[b] AS c3) cc;
-- a row with a NULL, a NaN and an Infinity feature, and a NULL array: skipped and counted
INSERT INTO kmeans_blobs VALUES (601, NULL, ARRAY[1, NULL, 3]), (602, NULL, ARRAY[1, 'NaN'::float8, 3]),
  (603, NULL, ARRAY['Infinity'::float8, 2, 3]), (604, NULL, NULL);
CREATE TABLE kmeans_fitted AS
SELECT seed, kmeans_fit(f, 4, seed) AS m FROM kmeans_blobs, generate_series(0, 5) seed GROUP BY seed;
-- recovery: for every seed each planted blob is exactly one cluster
SELECT seed,
       (SELECT count(DISTINCT (blob, cluster_of(m, f))) FROM kmeans_blobs WHERE blob IS NOT NULL) AS blob_cluster_pairs,
       (SELECT count(DISTINCT cluster_of(m, f)) FROM kmeans_blobs WHERE blob IS NOT NULL) AS clusters,
       s.converged, s.rows, s.skipped
FROM kmeans_fitted, kmeans_summary(m) s ORDER BY seed;
-- deterministic for a seed (whatever the plan or the order of the rows)
SELECT (SELECT kmeans_fit(f, 4, 3) FROM (SELECT f FROM kmeans_blobs ORDER BY id DESC) r)::text
     = (SELECT m FROM kmeans_fitted WHERE seed = 3)::text AS same_for_reordered_rows;
-- centroids in the input's own units (rounded; the blobs' centres are 100/400, 5/20, 0.1/0.3)
SELECT c.cluster, c.members, c.share,
       round(c.centroid[1]::numeric, -1) AS c1, round(c.centroid[2]::numeric, 0) AS c2,
       round(c.centroid[3]::numeric, 2) AS c3
FROM kmeans_centroids((SELECT m FROM kmeans_fitted WHERE seed = 0)) c ORDER BY c1, c2;

-- The model against plain SQL on the same rows: each centroid is the mean
-- of the rows cluster_of assigns to it, members their count, the objective
-- the sum of squared distances (model space) and the silhouette MADlib's
-- simplified one with squared distances.
WITH m AS (SELECT m FROM kmeans_fitted WHERE seed = 0),
a AS (SELECT cluster_of(m, f) AS c, f FROM kmeans_blobs, m WHERE f IS NOT NULL AND blob IS NOT NULL),
plain AS (SELECT c, count(*) AS n, avg(f[1]) AS a1, avg(f[2]) AS a2, avg(f[3]) AS a3 FROM a GROUP BY c)
SELECT max(abs(p.a1 - k.centroid[1]) / 400) < 1e-12 AS c1_ok,
       max(abs(p.a2 - k.centroid[2]) / 20) < 1e-12 AS c2_ok,
       max(abs(p.a3 - k.centroid[3])) < 1e-12 AS c3_ok,
       bool_and(p.n = k.members) AS members_ok
FROM plain p JOIN kmeans_centroids((SELECT m FROM m)) k ON k.cluster = p.c;
WITH m AS (SELECT m FROM kmeans_fitted WHERE seed = 0),
d AS (SELECT id, array_agg(cluster_distance(m, f, c) ^ 2 ORDER BY cluster_distance(m, f, c)) AS sq
      FROM kmeans_blobs, m, generate_series(1, 4) c WHERE blob IS NOT NULL GROUP BY id)
SELECT abs(sum(sq[1]) - (kmeans_summary((SELECT m FROM m))).objective) / sum(sq[1]) < 1e-12 AS objective_ok,
       abs(avg((sq[2] - sq[1]) / greatest(sq[1], sq[2])) - (kmeans_summary((SELECT m FROM m))).simple_silhouette) < 1e-12 AS silhouette_ok
FROM d;
-- zscore: the stored mean and sd are the population moments of the used rows
WITH m AS (SELECT m FROM kmeans_fitted WHERE seed = 0)
SELECT p.feature, abs(p.overall_mean - s.mu) / greatest(abs(s.mu), 1) < 1e-12 AS mean_ok
FROM cluster_profile((SELECT m FROM m), ARRAY['spend', 'orders', 'share']) p
JOIN (SELECT 'spend' AS feature, avg(f[1]) AS mu FROM kmeans_blobs WHERE blob IS NOT NULL
      UNION ALL SELECT 'orders', avg(f[2]) FROM kmeans_blobs WHERE blob IS NOT NULL
      UNION ALL SELECT 'share', avg(f[3]) FROM kmeans_blobs WHERE blob IS NOT NULL) s USING (feature)
WHERE p.cluster = 1 ORDER BY p.feature;
WITH m AS (SELECT m FROM kmeans_fitted WHERE seed = 0), c AS (SELECT m, cluster_of(m, ARRAY[400, 20, 0.1]) AS c FROM m)
SELECT p.feature, round(p.centroid::numeric, 2) AS centroid, round(p.z_difference::numeric, 1) AS z
FROM c, cluster_profile(c.m, ARRAY['spend', 'orders', 'share']) p WHERE p.cluster = c.c ORDER BY p.feature;

-- ---------------------------------------------------------------------
-- kmeans_train equals kmeans_fit from the same start: seeded (the same
-- k-means++ start) and from given centroids; here, with parallel query
-- forced by the second run of the suite, and over a partitioned table.
-- ---------------------------------------------------------------------
CREATE FUNCTION pg_temp.km_close(a kmeans_model, b kmeans_model) RETURNS text LANGUAGE sql AS $$
SELECT CASE WHEN (SELECT bool_and(x.members = y.members AND
                   (SELECT max(abs(u - v) / greatest(abs(u), 1)) FROM unnest(x.centroid, y.centroid) z(u, v)) < 1e-12)
                  FROM kmeans_centroids(a) x JOIN kmeans_centroids(b) y USING (cluster))
             AND (kmeans_summary(a)).iterations = (kmeans_summary(b)).iterations
             AND (kmeans_summary(a)).converged = (kmeans_summary(b)).converged
             AND abs((kmeans_summary(a)).objective - (kmeans_summary(b)).objective) <= 1e-12 * (kmeans_summary(a)).objective
        THEN 'same' ELSE 'DIFFERENT: ' || a::text || ' / ' || b::text END $$;
SELECT pg_temp.km_close(kmeans_train('kmeans_blobs', 'f', 4, 3), (SELECT m FROM kmeans_fitted WHERE seed = 3)) AS seeded_zscore;
SELECT pg_temp.km_close(kmeans_train('kmeans_blobs', 'f', 4, 1, 'none'), (SELECT kmeans_fit(f, 4, 1, 'none') FROM kmeans_blobs)) AS seeded_none;
SELECT pg_temp.km_close(kmeans_train('kmeans_blobs', 'f', ARRAY[[0, 0, 0], [500, 30, 1], [250, 10, 0.2]]::float8[], 'zscore'),
  (SELECT kmeans_fit(f, ARRAY[[0, 0, 0], [500, 30, 1], [250, 10, 0.2]]::float8[], 'zscore') FROM kmeans_blobs)) AS from_centroids_zscore;
SELECT pg_temp.km_close(kmeans_train('kmeans_blobs', 'f', ARRAY[[0, 0, 0], [500, 30, 1], [250, 10, 0.2]]::float8[]),
  (SELECT kmeans_fit(f, ARRAY[[0, 0, 0], [500, 30, 1], [250, 10, 0.2]]::float8[]) FROM kmeans_blobs)) AS from_centroids_none;
-- a capped run: not converged, evaluated at its final centroids, equal too
SELECT pg_temp.km_close(kmeans_train('kmeans_blobs', 'f', ARRAY[[0, 0, 0], [500, 30, 1], [250, 10, 0.2]]::float8[], 'none', 1),
  (SELECT kmeans_fit(f, ARRAY[[0, 0, 0], [500, 30, 1], [250, 10, 0.2]]::float8[], 'none', 1) FROM kmeans_blobs)) AS capped,
  (kmeans_summary(kmeans_train('kmeans_blobs', 'f', ARRAY[[0, 0, 0], [500, 30, 1], [250, 10, 0.2]]::float8[], 'none', 1))).converged;
-- seeding on a sample: still finds the four blobs
SELECT (SELECT count(DISTINCT (blob, cluster_of(m, f))) FROM kmeans_blobs WHERE blob IS NOT NULL) AS blob_cluster_pairs,
       (kmeans_summary(m)).converged, (kmeans_summary(m)).rows
FROM (SELECT kmeans_train('kmeans_blobs', 'f', 4, 0, 'zscore', 300, 0.3) AS m) t;

CREATE TABLE kmeans_part (id integer, f float8[]) PARTITION BY RANGE (id);
CREATE TABLE kmeans_part_1 PARTITION OF kmeans_part FOR VALUES FROM (MINVALUE) TO (200);
CREATE TABLE kmeans_part_2 PARTITION OF kmeans_part FOR VALUES FROM (200) TO (450);
CREATE TABLE kmeans_part_3 PARTITION OF kmeans_part FOR VALUES FROM (450) TO (MAXVALUE);
INSERT INTO kmeans_part SELECT id, f FROM kmeans_blobs;
ANALYZE kmeans_part;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT kmeans_step(kmeans_model(ARRAY[[0, 0, 0]]::float8[]), f) FROM kmeans_part;
RESET max_parallel_workers_per_gather;
SELECT pg_temp.km_close(kmeans_train('kmeans_part', 'f', 4, 3), (SELECT m FROM kmeans_fitted WHERE seed = 3)) AS partitioned_seeded;
SELECT pg_temp.km_close(kmeans_train('kmeans_part', 'f', ARRAY[[0, 0, 0], [500, 30, 1], [250, 10, 0.2]]::float8[], 'zscore'),
  (SELECT kmeans_fit(f, ARRAY[[0, 0, 0], [500, 30, 1], [250, 10, 0.2]]::float8[], 'zscore') FROM kmeans_part)) AS partitioned_from_centroids;
-- partial passes combined in any grouping give the same pass
WITH m AS (SELECT kmeans_fit(f, ARRAY[[0, 0, 0], [500, 30, 1], [250, 10, 0.2]]::float8[], 'none', 0) AS m FROM kmeans_blobs)
SELECT (SELECT kmeans_step((SELECT m FROM m), f) FROM kmeans_part)::text
     = (SELECT kmeans_step((SELECT m FROM m), f) FROM kmeans_blobs)::text AS partitioned_pass_same;
RESET enable_partitionwise_aggregate;

-- ---------------------------------------------------------------------
-- Choosing k: the elbow and the silhouette for k = 2..8 in one query.
-- ---------------------------------------------------------------------
SELECT t.k, s.iterations > 0 AS ran, round(s.objective::numeric, 1) AS objective,
       round(s.simple_silhouette::numeric, 3) AS simple_silhouette
FROM (SELECT k, kmeans_fit(f, k) AS m FROM kmeans_blobs, generate_series(2, 8) k GROUP BY k) t,
     LATERAL kmeans_summary(m) s
ORDER BY t.k;

-- ---------------------------------------------------------------------
-- Zero variance under zscore; k = 1; k = rows; fewer distinct rows than k.
-- ---------------------------------------------------------------------
SELECT (kmeans_summary(m)).objective, p.feature, p.centroid, p.overall_mean, p.z_difference
FROM (SELECT kmeans_fit(ARRAY[x, 7]::float8[], 2) AS m FROM generate_series(1, 10) x) t,
     cluster_profile(m) p ORDER BY p.cluster, p.feature;
SELECT (kmeans_summary(kmeans_fit(ARRAY[x]::float8[], 1))).* FROM generate_series(1, 4) x;
SELECT (kmeans_summary(kmeans_fit(ARRAY[x]::float8[], 4))).* FROM generate_series(1, 4) x;
-- two distinct values for k = 3: one cluster stays empty (documented), converged
SELECT members, centroid FROM kmeans_centroids((SELECT kmeans_fit(ARRAY[x % 2]::float8[], 3, 0, 'none') FROM generate_series(1, 6) x))
ORDER BY cluster;
SELECT (kmeans_summary(kmeans_fit(ARRAY[x % 2]::float8[], 3, 0, 'none'))).* FROM generate_series(1, 6) x;

-- ---------------------------------------------------------------------
-- Text and binary forms.
-- ---------------------------------------------------------------------
SELECT count(*) AS text_mismatches FROM kmeans_fitted WHERE m::text::kmeans_model::text <> m::text;
SELECT kmeans_model_send(kmeans_fit(f, ARRAY[[0, 0], [1, 1]]::float8[])) AS wire FROM kmeans_sk;
CREATE TABLE kmeans_copy (m kmeans_model);
\copy (SELECT m FROM kmeans_fitted) TO 'results/kmeans.bin' (FORMAT binary)
\copy kmeans_copy FROM 'results/kmeans.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM kmeans_copy c WHERE NOT EXISTS (SELECT 1 FROM kmeans_fitted f WHERE f.m::text = c.m::text);
SELECT count(*) AS binary_rows FROM kmeans_copy;
-- a pass state (kmeans_step's partial state) travels as text too, as Citus
-- ships partial states; it is not a model
SELECT '{"version": 1, "state": "pass", "k": 1, "dimensions": 1, "scale": "none", "rows": 2, "skipped": 1, "iterations": 0, "converged": false, "objective": "NaN", "simple_silhouette": "NaN", "mean": [1], "sd": [1], "centroids": [[0]], "members": [0], "accumulators": [3, 0, 2, 5, 0, 0, 0, 4, 0, 2]}'::kmeans_model AS pass_state;
SELECT kmeans_summary('{"version": 1, "state": "pass", "k": 1, "dimensions": 1, "scale": "none", "rows": 2, "skipped": 1, "iterations": 0, "converged": false, "objective": "NaN", "simple_silhouette": "NaN", "mean": [1], "sd": [1], "centroids": [[0]], "members": [0], "accumulators": [3, 0, 2, 5, 0, 0, 0, 4, 0, 2]}');
-- crafted binary input: truncated, wrong version, unknown flags, trailing bytes, bad member count
CREATE TABLE kmeans_raw (b bytea);
CREATE TABLE kmeans_recv (m kmeans_model);
CREATE TABLE kmeans_wire AS SELECT kmeans_model_send(kmeans_fit(f, ARRAY[[0, 0], [1, 1]]::float8[])) AS w FROM kmeans_sk;
INSERT INTO kmeans_raw SELECT substring(w FROM 1 FOR length(w) - 3) FROM kmeans_wire;
\copy kmeans_raw TO 'results/kmeans_raw.bin' (FORMAT binary)
\copy kmeans_recv FROM 'results/kmeans_raw.bin' (FORMAT binary)
TRUNCATE kmeans_raw;
INSERT INTO kmeans_raw SELECT substring(w FROM 1 FOR 20) FROM kmeans_wire;
\copy kmeans_raw TO 'results/kmeans_raw.bin' (FORMAT binary)
\copy kmeans_recv FROM 'results/kmeans_raw.bin' (FORMAT binary)
TRUNCATE kmeans_raw;
INSERT INTO kmeans_raw SELECT overlay(w PLACING '\x02'::bytea FROM 1 FOR 1) FROM kmeans_wire;
\copy kmeans_raw TO 'results/kmeans_raw.bin' (FORMAT binary)
\copy kmeans_recv FROM 'results/kmeans_raw.bin' (FORMAT binary)
TRUNCATE kmeans_raw;
INSERT INTO kmeans_raw SELECT overlay(w PLACING '\x80'::bytea FROM 2 FOR 1) FROM kmeans_wire;
\copy kmeans_raw TO 'results/kmeans_raw.bin' (FORMAT binary)
\copy kmeans_recv FROM 'results/kmeans_raw.bin' (FORMAT binary)
TRUNCATE kmeans_raw;
INSERT INTO kmeans_raw SELECT w || '\x00'::bytea FROM kmeans_wire;
\copy kmeans_raw TO 'results/kmeans_raw.bin' (FORMAT binary)
\copy kmeans_recv FROM 'results/kmeans_raw.bin' (FORMAT binary)
TRUNCATE kmeans_raw;
-- members [4, 4] -> [4, 5] (do not add up to rows)
INSERT INTO kmeans_raw SELECT overlay(w PLACING float8send(5) FROM length(w) - 7 FOR 8) FROM kmeans_wire;
\copy kmeans_raw TO 'results/kmeans_raw.bin' (FORMAT binary)
\copy kmeans_recv FROM 'results/kmeans_raw.bin' (FORMAT binary)
TRUNCATE kmeans_raw;
-- a NaN centroid
INSERT INTO kmeans_raw SELECT overlay(w PLACING float8send('NaN') FROM length(w) - 23 FOR 8) FROM kmeans_wire;
\copy kmeans_raw TO 'results/kmeans_raw.bin' (FORMAT binary)
\copy kmeans_recv FROM 'results/kmeans_raw.bin' (FORMAT binary)
SELECT count(*) AS accepted_bad_binary FROM kmeans_recv;

-- ---------------------------------------------------------------------
-- Bad input: messages and hints, then SQLSTATEs.
-- ---------------------------------------------------------------------
\set VERBOSITY default
SELECT kmeans_fit(f, 0) FROM kmeans_sk;
SELECT kmeans_fit(f, 9) FROM kmeans_sk;
SELECT kmeans_fit(f, 2, 0, 'minmax') FROM kmeans_sk;
SELECT kmeans_fit(f, 2, 0, 'zscore', -1) FROM kmeans_sk;
SELECT kmeans_fit(x, 2) FROM (VALUES ('{}'::float8[])) v(x);
SELECT kmeans_fit(x, 1) FROM (VALUES (ARRAY[1, 2]::float8[]), (ARRAY[1, 2, 3])) v(x);
SELECT kmeans_fit(x, 1) FROM (VALUES (ARRAY[[1, 2]]::float8[])) v(x);
SELECT kmeans_fit(x, 2) FROM (VALUES (NULL::float8[]), (ARRAY['NaN']::float8[])) v(x);
SELECT kmeans_fit(f, ARRAY[0, 1]::float8[]) FROM kmeans_sk;
SELECT kmeans_fit(f, ARRAY[[0, 0, 0], [1, 1, 1]]::float8[]) FROM kmeans_sk;
SELECT kmeans_fit(f, ARRAY[[0, 'NaN'], [1, 1]]::float8[]) FROM kmeans_sk;
SELECT kmeans_fit(f, NULL::integer) FROM kmeans_sk;
SELECT cluster_of(kmeans_fit(f, 2), ARRAY[1, 2, 3]) FROM kmeans_sk;
SELECT cluster_distance(kmeans_fit(f, 2), ARRAY[1, 2], 3) FROM kmeans_sk;
SELECT cluster_profile(kmeans_fit(f, 2), ARRAY['a']) FROM kmeans_sk;
SELECT kmeans_summary(kmeans_model(ARRAY[[0, 0]]::float8[]));
SELECT kmeans_model(ARRAY[[0, 0]]::float8[], 'minmax');
SELECT kmeans_step_trans(NULL, kmeans_model(ARRAY[[0, 0]]::float8[]), ARRAY[1, 2]);
SELECT '{"version": 1, "k": 1}'::kmeans_model;
SELECT '{"version": 1, "state": "model", "k": 1, "dimensions": 1, "scale": "none", "rows": 2, "skipped": 0, "iterations": 1, "converged": true, "objective": 0, "simple_silhouette": "NaN", "mean": [0], "sd": [0], "centroids": [[0]], "members": [1]}'::kmeans_model;
SELECT 'not json'::kmeans_model;
CREATE TABLE kmeans_wrongtype (id integer, f float4[], t text);
INSERT INTO kmeans_wrongtype VALUES (1, '{1,2}', 'x');
SELECT kmeans_train('kmeans_wrongtype', 'f', 2);
SELECT kmeans_train('kmeans_wrongtype', 'nope', 2);
SELECT kmeans_train('kmeans_sk', 'f', 2, 0, 'zscore', 300, 0);
SELECT kmeans_train('kmeans_sk', 'f', 2, 0, 'zscore', -1);
SELECT kmeans_train('kmeans_sk', 'f', 0);
\set VERBOSITY terse
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT kmeans_fit(f, 0) FROM kmeans_sk$q$),
  ($q$SELECT kmeans_fit(f, 1001) FROM kmeans_sk$q$),
  ($q$SELECT kmeans_fit(f, 9) FROM kmeans_sk$q$),
  ($q$SELECT kmeans_fit(f, 2, 0, 'minmax') FROM kmeans_sk$q$),
  ($q$SELECT kmeans_fit(x, 2) FROM (VALUES ('{}'::float8[])) v(x)$q$),
  ($q$SELECT kmeans_fit(x, 1) FROM (VALUES (ARRAY[1, 2]::float8[]), (ARRAY[1, 2, 3])) v(x)$q$),
  ($q$SELECT kmeans_fit(x, 2) FROM (VALUES (NULL::float8[])) v(x)$q$),
  ($q$SELECT kmeans_fit(f, ARRAY[0, 1]::float8[]) FROM kmeans_sk$q$),
  ($q$SELECT kmeans_fit(f, ARRAY[[0, 0, 0], [1, 1, 1]]::float8[]) FROM kmeans_sk$q$),
  ($q$SELECT kmeans_fit(f, NULL::integer) FROM kmeans_sk$q$),
  ($q$SELECT cluster_of(kmeans_fit(f, 2), ARRAY[1, 2, 3]) FROM kmeans_sk$q$),
  ($q$SELECT cluster_distance(kmeans_fit(f, 2), ARRAY[1, 2], 0) FROM kmeans_sk$q$),
  ($q$SELECT kmeans_summary(kmeans_model(ARRAY[[0, 0]]::float8[]))$q$),
  ($q$SELECT kmeans_step_trans(NULL, kmeans_model(ARRAY[[0, 0]]::float8[]), ARRAY[1, 2])$q$),
  ($q$SELECT 'not json'::kmeans_model$q$),
  ($q$SELECT '{"version": 1, "k": 1}'::kmeans_model$q$),
  ($q$SELECT kmeans_train('kmeans_wrongtype', 'f', 2)$q$),
  ($q$SELECT kmeans_train('kmeans_wrongtype', 'nope', 2)$q$),
  ($q$SELECT kmeans_train('kmeans_sk', 'f', 2, 0, 'zscore', 300, 1.5)$q$),
  ($q$SELECT kmeans_train('kmeans_sk', 'f', 0)$q$)) v(q);
-- the value of a NULL / non-finite row for the accessors is NULL
SELECT cluster_of(m, ARRAY[NULL, 1]) IS NULL AS null_feature, cluster_of(m, ARRAY['NaN'::float8, 1]) IS NULL AS nan_feature,
       cluster_distance(m, ARRAY['Infinity'::float8, 1], 1) IS NULL AS inf_feature
FROM (SELECT kmeans_fit(f, 2) AS m FROM kmeans_sk) t;

-- ---------------------------------------------------------------------
-- kmeans_train runs with the caller's rights: a table the caller may not
-- read is the ordinary permission ERROR; and a hostile search_path does
-- not change what it runs.
-- ---------------------------------------------------------------------
CREATE ROLE kmeans_reader;
SET ROLE kmeans_reader;
SELECT kmeans_train('kmeans_sk', 'f', 2);
SELECT pg_temp.sqlstate_of($q$SELECT kmeans_train('kmeans_sk', 'f', 2)$q$) AS permission_sqlstate;
RESET ROLE;
CREATE SCHEMA kmeans_evil;
CREATE FUNCTION kmeans_evil.format(text, name, text) RETURNS text LANGUAGE sql AS $$SELECT 'SELECT NULL::kmeans_model'$$;
CREATE FUNCTION kmeans_evil.format(text, name, name) RETURNS text LANGUAGE sql AS $$SELECT 'evil'$$;
CREATE FUNCTION kmeans_evil.kmeans_step(kmeans_model, float8[]) RETURNS kmeans_model LANGUAGE sql AS 'SELECT $1';
CREATE FUNCTION kmeans_evil.array_agg(float8[]) RETURNS float8[] LANGUAGE sql AS 'SELECT NULL::float8[]';
CREATE FUNCTION kmeans_evil.int4le(integer, integer) RETURNS boolean LANGUAGE sql AS 'SELECT false';
CREATE OPERATOR kmeans_evil.<= (LEFTARG = integer, RIGHTARG = integer, PROCEDURE = kmeans_evil.int4le);
CREATE TABLE kmeans_evil.kmeans_sk (f float8[]);
SET search_path = kmeans_evil, public, pg_catalog;
SELECT public.kmeans_train('public.kmeans_sk', 'f', ARRAY[[0, 0], [1, 1]]::float8[])::text
     = (SELECT public.kmeans_fit(f, ARRAY[[0, 0], [1, 1]]::float8[]) FROM public.kmeans_sk)::text AS not_hijacked;
SELECT (public.kmeans_summary(public.kmeans_train('public.kmeans_sk', 'f', 2, 0, 'zscore', 300, 0.99))).rows AS sampled_rows_used;
RESET search_path;
DROP SCHEMA kmeans_evil CASCADE;
DROP ROLE kmeans_reader;

DROP TABLE kmeans_sk, kmeans_blobs, kmeans_fitted, kmeans_part, kmeans_copy, kmeans_raw, kmeans_recv, kmeans_wire, kmeans_wrongtype;
