-- ---------------------------------------------------------------------------
-- Personas: k-means segmentation (SPEC §8)
-- ---------------------------------------------------------------------------

CREATE TYPE kmeans_model;
CREATE FUNCTION kmeans_model_in(cstring) RETURNS kmeans_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kmeans_model_out(kmeans_model) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kmeans_model_recv(internal) RETURNS kmeans_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kmeans_model_send(kmeans_model) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE kmeans_model (
	INPUT = kmeans_model_in, OUTPUT = kmeans_model_out,
	RECEIVE = kmeans_model_recv, SEND = kmeans_model_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE kmeans_model IS 'k-means clustering model: scale (population mean and sd), centroids, members and fit statistics; also the state of a kmeans_step pass (text: JSON)';
COMMENT ON FUNCTION kmeans_model_in(cstring) IS 'text input of kmeans_model (JSON)';
COMMENT ON FUNCTION kmeans_model_out(kmeans_model) IS 'text output of kmeans_model (JSON, round-trips exactly)';
COMMENT ON FUNCTION kmeans_model_recv(internal) IS 'binary input of kmeans_model (validated)';
COMMENT ON FUNCTION kmeans_model_send(kmeans_model) IS 'binary output of kmeans_model (version byte first)';

-- kmeans_fit: every row in memory (internal state), k-means++ then Lloyd.
CREATE FUNCTION kmeans_fit_trans(internal, float8[], integer) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_fit_trans(internal, float8[], integer) IS 'transition function of kmeans_fit(float8[], integer): keeps the row';
CREATE FUNCTION kmeans_fit_trans(internal, float8[], integer, integer) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_fit_trans(internal, float8[], integer, integer) IS 'transition function of kmeans_fit(float8[], integer, integer): keeps the row';
CREATE FUNCTION kmeans_fit_trans(internal, float8[], integer, integer, text) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_fit_trans(internal, float8[], integer, integer, text) IS 'transition function of kmeans_fit(float8[], integer, integer, text): keeps the row';
CREATE FUNCTION kmeans_fit_trans(internal, float8[], integer, integer, text, integer) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_fit_trans(internal, float8[], integer, integer, text, integer) IS 'transition function of kmeans_fit(float8[], integer, integer, text, integer): keeps the row';
CREATE FUNCTION kmeans_fit_trans(internal, float8[], float8[]) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_fit_trans(internal, float8[], float8[]) IS 'transition function of kmeans_fit(float8[], float8[]): keeps the row';
CREATE FUNCTION kmeans_fit_trans(internal, float8[], float8[], text) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_fit_trans(internal, float8[], float8[], text) IS 'transition function of kmeans_fit(float8[], float8[], text): keeps the row';
CREATE FUNCTION kmeans_fit_trans(internal, float8[], float8[], text, integer) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_fit_trans(internal, float8[], float8[], text, integer) IS 'transition function of kmeans_fit(float8[], float8[], text, integer): keeps the row';
CREATE FUNCTION kmeans_fit_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_fit_combine(internal, internal) IS 'combine function of kmeans_fit: joins the rows of two partial states';
CREATE FUNCTION kmeans_fit_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_fit_serialize(internal) IS 'serialize function of kmeans_fit (parallel workers)';
CREATE FUNCTION kmeans_fit_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_fit_deserialize(bytea, internal) IS 'deserialize function of kmeans_fit (validates every length and value)';
CREATE FUNCTION kmeans_fit_final(internal) RETURNS kmeans_model
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_fit_final(internal) IS 'final function of kmeans_fit: scaling, seeding and Lloyd passes';
CREATE AGGREGATE kmeans_fit(features float8[], k integer) (
	SFUNC = kmeans_fit_trans, STYPE = internal, FINALFUNC = kmeans_fit_final,
	COMBINEFUNC = kmeans_fit_combine, SERIALFUNC = kmeans_fit_serialize,
	DESERIALFUNC = kmeans_fit_deserialize, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans_fit(float8[], integer) IS 'k-means of the rows: greedy k-means++ seeding (seed 0), Lloyd to convergence (at most 300 passes), features standardised (zscore)';
CREATE AGGREGATE kmeans_fit(features float8[], k integer, seed integer) (
	SFUNC = kmeans_fit_trans, STYPE = internal, FINALFUNC = kmeans_fit_final,
	COMBINEFUNC = kmeans_fit_combine, SERIALFUNC = kmeans_fit_serialize,
	DESERIALFUNC = kmeans_fit_deserialize, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans_fit(float8[], integer, integer) IS 'k-means of the rows: greedy k-means++ seeding deterministic for the seed, Lloyd to convergence (at most 300 passes), zscore';
CREATE AGGREGATE kmeans_fit(features float8[], k integer, seed integer, scale text) (
	SFUNC = kmeans_fit_trans, STYPE = internal, FINALFUNC = kmeans_fit_final,
	COMBINEFUNC = kmeans_fit_combine, SERIALFUNC = kmeans_fit_serialize,
	DESERIALFUNC = kmeans_fit_deserialize, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans_fit(float8[], integer, integer, text) IS 'k-means of the rows: k-means++ for the seed, Lloyd to convergence (at most 300 passes), scale zscore or none';
CREATE AGGREGATE kmeans_fit(features float8[], k integer, seed integer, scale text, max_iterations integer) (
	SFUNC = kmeans_fit_trans, STYPE = internal, FINALFUNC = kmeans_fit_final,
	COMBINEFUNC = kmeans_fit_combine, SERIALFUNC = kmeans_fit_serialize,
	DESERIALFUNC = kmeans_fit_deserialize, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans_fit(float8[], integer, integer, text, integer) IS 'k-means of the rows: k-means++ for the seed, at most max_iterations Lloyd passes (0: seeding only), scale zscore or none';
CREATE AGGREGATE kmeans_fit(features float8[], initial_centroids float8[]) (
	SFUNC = kmeans_fit_trans, STYPE = internal, FINALFUNC = kmeans_fit_final,
	COMBINEFUNC = kmeans_fit_combine, SERIALFUNC = kmeans_fit_serialize,
	DESERIALFUNC = kmeans_fit_deserialize, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans_fit(float8[], float8[]) IS 'k-means of the rows from the given k x d centroids (input units, scale none), Lloyd to convergence (at most 300 passes)';
CREATE AGGREGATE kmeans_fit(features float8[], initial_centroids float8[], scale text) (
	SFUNC = kmeans_fit_trans, STYPE = internal, FINALFUNC = kmeans_fit_final,
	COMBINEFUNC = kmeans_fit_combine, SERIALFUNC = kmeans_fit_serialize,
	DESERIALFUNC = kmeans_fit_deserialize, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans_fit(float8[], float8[], text) IS 'k-means of the rows from the given k x d centroids (input units), Lloyd to convergence (at most 300 passes), scale zscore or none';
CREATE AGGREGATE kmeans_fit(features float8[], initial_centroids float8[], scale text, max_iterations integer) (
	SFUNC = kmeans_fit_trans, STYPE = internal, FINALFUNC = kmeans_fit_final,
	COMBINEFUNC = kmeans_fit_combine, SERIALFUNC = kmeans_fit_serialize,
	DESERIALFUNC = kmeans_fit_deserialize, FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans_fit(float8[], float8[], text, integer) IS 'k-means of the rows from the given k x d centroids (input units), at most max_iterations Lloyd passes, scale zscore or none';

-- kmeans_step: one bounded Lloyd pass; the state is a kmeans_model.
CREATE FUNCTION kmeans_step_trans(kmeans_model, kmeans_model, float8[]) RETURNS kmeans_model
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_step_trans(kmeans_model, kmeans_model, float8[]) IS 'transition function of kmeans_step: adds the row to its nearest centroid''s sums (in place)';
CREATE FUNCTION kmeans_step_trans(kmeans_model, kmeans_model, float8[], boolean) RETURNS kmeans_model
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_step_trans(kmeans_model, kmeans_model, float8[], boolean) IS 'transition function of kmeans_step with update: adds the row to its nearest centroid''s sums (in place)';
CREATE FUNCTION kmeans_step_combine(kmeans_model, kmeans_model) RETURNS kmeans_model
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_step_combine(kmeans_model, kmeans_model) IS 'combine function of kmeans_step: adds the sums and counts of two partial passes of one model';
CREATE FUNCTION kmeans_step_final(kmeans_model) RETURNS kmeans_model
AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_step_final(kmeans_model) IS 'final function of kmeans_step: the model with the new centroids';
CREATE AGGREGATE kmeans_step(model kmeans_model, features float8[]) (
	SFUNC = kmeans_step_trans, STYPE = kmeans_model, FINALFUNC = kmeans_step_final,
	COMBINEFUNC = kmeans_step_combine, FINALFUNC_MODIFY = READ_ONLY, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans_step(kmeans_model, float8[]) IS 'one Lloyd pass of the model over the rows (bounded: k x d sums and k counts), or the scale pass of a pending model';
CREATE AGGREGATE kmeans_step(model kmeans_model, features float8[], update boolean) (
	SFUNC = kmeans_step_trans, STYPE = kmeans_model, FINALFUNC = kmeans_step_final,
	COMBINEFUNC = kmeans_step_combine, FINALFUNC_MODIFY = READ_ONLY, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans_step(kmeans_model, float8[], boolean) IS 'one Lloyd pass; update false: an evaluation pass that keeps the centroids and recomputes members, objective and silhouette';

CREATE FUNCTION kmeans_model(initial_centroids float8[]) RETURNS kmeans_model
AS 'MODULE_PATHNAME', 'kmeans_model_start' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_model(float8[]) IS 'a pending model from k x d centroids in input units (scale none): its first kmeans_step pass learns the mean and sd';
CREATE FUNCTION kmeans_model(initial_centroids float8[], scale text) RETURNS kmeans_model
AS 'MODULE_PATHNAME', 'kmeans_model_start' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_model(float8[], text) IS 'a pending model from k x d centroids in input units and a scale (zscore or none): its first kmeans_step pass learns the mean and sd';

-- Accessors.
CREATE FUNCTION cluster_of(model kmeans_model, features float8[]) RETURNS integer
AS 'MODULE_PATHNAME', 'kmeans_cluster_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cluster_of(kmeans_model, float8[]) IS 'nearest centroid of the row, 1 to k (ties: the lowest); NULL for a NULL or non-finite feature';
CREATE FUNCTION cluster_distance(model kmeans_model, features float8[], cluster integer) RETURNS float8
AS 'MODULE_PATHNAME', 'kmeans_cluster_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cluster_distance(kmeans_model, float8[], integer) IS 'Euclidean distance of the row to a centroid, in the model''s (scaled) space';
CREATE FUNCTION kmeans_centroids(model kmeans_model, OUT cluster integer, OUT members bigint,
	OUT share float8, OUT centroid float8[]) RETURNS SETOF record
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION kmeans_centroids(kmeans_model) IS 'one row per cluster: members, share of the rows and centroid in the input''s own units';
CREATE FUNCTION kmeans_summary(model kmeans_model, OUT k integer, OUT rows bigint, OUT skipped bigint,
	OUT iterations integer, OUT converged boolean, OUT objective float8, OUT simple_silhouette float8) RETURNS record
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_summary(kmeans_model) IS 'k, rows used and skipped, Lloyd passes, convergence, objective (sum of squared distances) and MADlib''s simplified silhouette';
CREATE FUNCTION cluster_profile(model kmeans_model, OUT cluster integer, OUT feature text,
	OUT centroid float8, OUT overall_mean float8, OUT z_difference float8) RETURNS SETOF record
AS 'MODULE_PATHNAME', 'kmeans_cluster_profile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION cluster_profile(kmeans_model) IS 'per cluster and feature (x1, x2, ...): centroid, overall mean and (centroid - mean) / sd';
CREATE FUNCTION cluster_profile(model kmeans_model, feature_names text[], OUT cluster integer, OUT feature text,
	OUT centroid float8, OUT overall_mean float8, OUT z_difference float8) RETURNS SETOF record
AS 'MODULE_PATHNAME', 'kmeans_cluster_profile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION cluster_profile(kmeans_model, text[]) IS 'per cluster and named feature: centroid, overall mean and (centroid - mean) / sd';

-- kmeans_train: the driver of bounded passes.  It runs with the caller's
-- rights; identifiers reach the queries only through format('%I'), and the
-- search_path is pinned so nothing the caller put on it is used.
CREATE FUNCTION _kmeans_source(source regclass, features name) RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	rel text;
	typ oid;
BEGIN
	SELECT format('%I.%I', n.nspname, c.relname) INTO rel
	FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE c.oid = source;
	IF rel IS NULL THEN
		RAISE EXCEPTION 'relation with OID % does not exist', source::oid USING ERRCODE = '42P01';
	END IF;
	SELECT a.atttypid INTO typ FROM pg_catalog.pg_attribute a
	WHERE a.attrelid = source AND a.attname = features AND a.attnum > 0 AND NOT a.attisdropped;
	IF typ IS NULL THEN
		RAISE EXCEPTION 'column "%" of relation % does not exist', features, source
			USING ERRCODE = '42703', HINT = 'kmeans_train reads one float8[] column of features.';
	END IF;
	IF typ <> 'pg_catalog.float8[]'::pg_catalog.regtype THEN
		RAISE EXCEPTION 'column "%" of relation % is %, not float8[]', features, source, typ::pg_catalog.regtype
			USING ERRCODE = '42804', HINT = 'Make a float8[] column (or a view with ARRAY[x1, x2, ...]::float8[]).';
	END IF;
	RETURN rel;
END
$fn$;
COMMENT ON FUNCTION _kmeans_source(regclass, name) IS 'kmeans_train helper: quoted name of the source, after checking its features column is float8[]';

CREATE FUNCTION _kmeans_passes(rel text, features name, model kmeans_model, max_iterations integer) RETURNS kmeans_model
LANGUAGE plpgsql VOLATILE STRICT PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	m @extschema@.kmeans_model := model;
	i integer;
BEGIN
	IF max_iterations < 0 OR max_iterations > 10000 THEN
		RAISE EXCEPTION 'k-means max_iterations = % is out of range', max_iterations
			USING ERRCODE = '22023', HINT = 'Give 0 (seeding only) to 10000; the default is 300.';
	END IF;
	FOR i IN 1 .. max_iterations LOOP
		EXECUTE format('SELECT @extschema@.kmeans_step($1, %I) FROM %s', features, rel) INTO m USING m;
		IF (@extschema@.kmeans_summary(m)).converged THEN
			RETURN m;
		END IF;
	END LOOP;
	-- not converged: members and objective of the final centroids
	EXECUTE format('SELECT @extschema@.kmeans_step($1, %I, false) FROM %s', features, rel) INTO m USING m;
	RETURN m;
END
$fn$;
COMMENT ON FUNCTION _kmeans_passes(text, name, kmeans_model, integer) IS 'kmeans_train helper: kmeans_step passes until no centroid changes';

CREATE FUNCTION kmeans_train(source regclass, features name, k integer, seed integer DEFAULT 0,
	scale text DEFAULT 'zscore', max_iterations integer DEFAULT 300, sample_fraction float8 DEFAULT 1)
RETURNS kmeans_model
LANGUAGE plpgsql VOLATILE STRICT PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	rel text := @extschema@._kmeans_source(source, features);
	m @extschema@.kmeans_model;
	seeds float8[];
BEGIN
	IF NOT (sample_fraction > 0 AND sample_fraction <= 1) THEN
		RAISE EXCEPTION 'kmeans_train sample_fraction = % is out of range', sample_fraction
			USING ERRCODE = '22023', HINT = 'Give a fraction of the rows in (0, 1]; 1 seeds on every row.';
	END IF;
	IF sample_fraction = 1 THEN
		-- seeding only (0 passes): the same start kmeans_fit takes
		EXECUTE format('SELECT @extschema@.kmeans_fit(%I, $1, $2, $3, 0) FROM %s', features, rel)
			INTO m USING k, seed, scale;
	ELSE
		EXECUTE format('SELECT @extschema@.kmeans_fit(%I, $1, $2, $3, 0) FROM %s TABLESAMPLE BERNOULLI ($4) REPEATABLE ($2)',
					   features, rel)
			INTO m USING k, seed, scale, 100 * sample_fraction;
		-- the seeds in input units; the scale of the whole table
		SELECT array_agg(c.centroid ORDER BY c.cluster) INTO seeds FROM @extschema@.kmeans_centroids(m) c;
		m := @extschema@.kmeans_model(seeds, scale);
		EXECUTE format('SELECT @extschema@.kmeans_step($1, %I) FROM %s', features, rel) INTO m USING m;
	END IF;
	RETURN @extschema@._kmeans_passes(rel, features, m, max_iterations);
END
$fn$;
COMMENT ON FUNCTION kmeans_train(regclass, name, integer, integer, text, integer, float8) IS 'k-means of a table''s float8[] column by bounded kmeans_step passes: k-means++ seeding (on a sample when sample_fraction < 1), then passes until no centroid changes';

CREATE FUNCTION kmeans_train(source regclass, features name, initial_centroids float8[],
	scale text DEFAULT 'none', max_iterations integer DEFAULT 300)
RETURNS kmeans_model
LANGUAGE plpgsql VOLATILE STRICT PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	rel text := @extschema@._kmeans_source(source, features);
	m @extschema@.kmeans_model := @extschema@.kmeans_model(initial_centroids, scale);
BEGIN
	-- the scale pass (mean and sd), then Lloyd passes
	EXECUTE format('SELECT @extschema@.kmeans_step($1, %I) FROM %s', features, rel) INTO m USING m;
	RETURN @extschema@._kmeans_passes(rel, features, m, max_iterations);
END
$fn$;
COMMENT ON FUNCTION kmeans_train(regclass, name, float8[], text, integer) IS 'k-means of a table''s float8[] column by bounded kmeans_step passes from the given k x d centroids (input units)';
