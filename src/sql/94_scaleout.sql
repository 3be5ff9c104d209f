
-- ---------------------------------------------------------------------------
-- Scale-out: logistic regression in bounded passes (logistic_step,
-- logistic_train).  The state of a pass is a stored type, so Citus
-- aggregates it on its workers.
-- ---------------------------------------------------------------------------

CREATE TYPE logistic_step_state;
CREATE FUNCTION logistic_step_state_in(cstring) RETURNS logistic_step_state
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logistic_step_state_out(logistic_step_state) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logistic_step_state_recv(internal) RETURNS logistic_step_state
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logistic_step_state_send(logistic_step_state) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE logistic_step_state (
	INPUT = logistic_step_state_in, OUTPUT = logistic_step_state_out,
	RECEIVE = logistic_step_state_recv, SEND = logistic_step_state_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE logistic_step_state IS 'one Newton/IRLS pass of logistic regression at a model: rows used/skipped, positives, log-likelihood, gradient and Hessian (upper triangle); text: JSON';
COMMENT ON FUNCTION logistic_step_state_in(cstring) IS 'text input of logistic_step_state (JSON)';
COMMENT ON FUNCTION logistic_step_state_out(logistic_step_state) IS 'text output of logistic_step_state (JSON)';
COMMENT ON FUNCTION logistic_step_state_recv(internal) IS 'binary input of logistic_step_state';
COMMENT ON FUNCTION logistic_step_state_send(logistic_step_state) IS 'binary output of logistic_step_state';

CREATE FUNCTION logistic_step_trans(logistic_step_state, propensity_model, boolean, float8[])
RETURNS logistic_step_state
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION logistic_step_combine(logistic_step_state, logistic_step_state)
RETURNS logistic_step_state
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION logistic_step_trans(logistic_step_state, propensity_model, boolean, float8[]) IS 'transition function of logistic_step';
COMMENT ON FUNCTION logistic_step_combine(logistic_step_state, logistic_step_state) IS 'combine function of logistic_step and rollup(logistic_step_state): adds the sums of one pass';

CREATE AGGREGATE logistic_step(model propensity_model, converted boolean, features float8[]) (
	SFUNC = logistic_step_trans, STYPE = logistic_step_state,
	COMBINEFUNC = logistic_step_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_step(propensity_model, boolean, float8[]) IS 'one Newton/IRLS pass of logistic regression at the given model (NULL: all coefficients zero); rows with a NULL label or a NULL or non-finite feature are skipped and counted';

CREATE AGGREGATE rollup(logistic_step_state) (
	SFUNC = logistic_step_combine, STYPE = logistic_step_state,
	COMBINEFUNC = logistic_step_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(logistic_step_state) IS 'sum of stored logistic_step states of one pass (same model)';

CREATE FUNCTION logistic_train(source regclass, label name, features name,
	feature_names text[] DEFAULT NULL, l2 float8 DEFAULT 0,
	max_iterations integer DEFAULT 100, tolerance float8 DEFAULT 1e-12)
RETURNS propensity_model
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION logistic_train(regclass, name, name, text[], float8, integer, float8) IS 'logistic regression of source.label on source.features by Newton/IRLS, one logistic_step query per pass (memory independent of rows; distributed on Citus); the same model as logistic_fit; runs with the caller''s rights';
