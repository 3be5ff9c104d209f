
-- ---------------------------------------------------------------------------
-- Scoring at scale (issue 19 item 6): predict with a model that is not a
-- constant (read from a joined table, a scalar subquery, a parameter) and
-- ARRAY[...] features is rewritten by predict's planner support into
-- predict_features, which takes the features as separate arguments, so no
-- array is built per row.
-- ---------------------------------------------------------------------------

CREATE FUNCTION predict_features(model propensity_model, VARIADIC features "any") RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_model_predict_features' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION predict_features(propensity_model, "any") IS 'predict(model, ARRAY[x1, ..., xk]) with the float8 features as separate arguments: what predict() with a model that is not a constant is rewritten into (same checks, same value, no array per row)';
