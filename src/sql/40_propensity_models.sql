-- ---------------------------------------------------------------------------
-- propensity (doc/design.md §6): combining aggregates, logistic models, targeting
-- evaluation.
-- ---------------------------------------------------------------------------

-- any_of_agg: 1 - prod(1 - p), folded with any_of (NULLs skipped; NULL
-- over no rows).
-- The transition function is not strict: a strict one over a float8 input
-- could not start from the first input as a propensity state.
CREATE FUNCTION any_of_agg_trans(propensity, float8) RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_any_of_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION any_of_agg_trans(propensity, float8) IS 'transition function of any_of_agg (NULL inputs skipped)';
CREATE AGGREGATE any_of_agg(p float8) (
	SFUNC = any_of_agg_trans, STYPE = propensity, COMBINEFUNC = any_of, PARALLEL = SAFE
);
COMMENT ON AGGREGATE any_of_agg(p float8) IS 'probability that at least one of independent events happens: 1 - prod(1 - p)';

-- logodds_pool_agg: state {sum of weights, sum of weight * logit(clamped p)}.
CREATE FUNCTION logodds_pool_trans(float8[], float8, float8) RETURNS float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logodds_pool_final(float8[]) RETURNS propensity
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sum2_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION logodds_pool_trans(float8[], float8, float8) IS 'transition function of logodds_pool_agg';
COMMENT ON FUNCTION logodds_pool_final(float8[]) IS 'final function of logodds_pool_agg';
COMMENT ON FUNCTION sum2_combine(float8[], float8[]) IS 'combine function of the {weight, sum} aggregates (logodds_pool_agg, log_loss_agg, brier_agg)';
CREATE AGGREGATE logodds_pool_agg(p float8, weight float8) (
	SFUNC = logodds_pool_trans, STYPE = float8[], INITCOND = '{0,0}',
	FINALFUNC = logodds_pool_final, COMBINEFUNC = sum2_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logodds_pool_agg(float8, float8) IS 'weighted mean of log-odds mapped back to a propensity; p clamped to [1e-12, 1 - 1e-12]; weights finite and >= 0; NULL when the weights sum to 0';

-- log_loss_agg, brier_agg: state {rows, sum}.
CREATE FUNCTION log_loss_trans(float8[], float8, boolean) RETURNS float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brier_trans(float8[], float8, boolean) RETURNS float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mean2_final(float8[]) RETURNS float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION log_loss_trans(float8[], float8, boolean) IS 'transition function of log_loss_agg';
COMMENT ON FUNCTION brier_trans(float8[], float8, boolean) IS 'transition function of brier_agg';
COMMENT ON FUNCTION mean2_final(float8[]) IS 'final function of log_loss_agg and brier_agg: sum / rows';
CREATE AGGREGATE log_loss_agg(p float8, label boolean) (
	SFUNC = log_loss_trans, STYPE = float8[], INITCOND = '{0,0}',
	FINALFUNC = mean2_final, COMBINEFUNC = sum2_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE log_loss_agg(float8, boolean) IS 'mean log loss (cross-entropy) of predicted probabilities, p clamped to [1e-15, 1 - 1e-15] as scikit-learn does';
CREATE AGGREGATE brier_agg(p float8, label boolean) (
	SFUNC = brier_trans, STYPE = float8[], INITCOND = '{0,0}',
	FINALFUNC = mean2_final, COMBINEFUNC = sum2_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE brier_agg(float8, boolean) IS 'Brier score: mean squared difference of predicted probability and outcome';

-- ---------------------------------------------------------------------------
-- propensity_model and logistic_fit
-- ---------------------------------------------------------------------------

CREATE TYPE propensity_model;
CREATE FUNCTION propensity_model_in(cstring) RETURNS propensity_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_model_out(propensity_model) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_model_recv(internal) RETURNS propensity_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_model_send(propensity_model) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE propensity_model (
	INPUT = propensity_model_in, OUTPUT = propensity_model_out,
	RECEIVE = propensity_model_recv, SEND = propensity_model_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE propensity_model IS 'fitted logistic regression model (text: JSON of terms, coefficients, standard errors and fit statistics)';
COMMENT ON FUNCTION propensity_model_in(cstring) IS 'text input of propensity_model';
COMMENT ON FUNCTION propensity_model_out(propensity_model) IS 'text output of propensity_model';
COMMENT ON FUNCTION propensity_model_recv(internal) IS 'binary input of propensity_model';
COMMENT ON FUNCTION propensity_model_send(propensity_model) IS 'binary output of propensity_model';

CREATE FUNCTION logistic_fit_trans(internal, boolean, float8[]) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION logistic_fit_trans(internal, boolean, float8[], text[]) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION logistic_fit_trans(internal, boolean, float8[], float8) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION logistic_fit_trans(internal, boolean, float8[], text[], float8) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION logistic_fit_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION logistic_fit_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logistic_fit_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION logistic_fit_final(internal) RETURNS propensity_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_fit_trans(internal, boolean, float8[]) IS 'transition function of logistic_fit';
COMMENT ON FUNCTION logistic_fit_trans(internal, boolean, float8[], text[]) IS 'transition function of logistic_fit';
COMMENT ON FUNCTION logistic_fit_trans(internal, boolean, float8[], float8) IS 'transition function of logistic_fit';
COMMENT ON FUNCTION logistic_fit_trans(internal, boolean, float8[], text[], float8) IS 'transition function of logistic_fit';
COMMENT ON FUNCTION logistic_fit_combine(internal, internal) IS 'combine function of logistic_fit';
COMMENT ON FUNCTION logistic_fit_serialize(internal) IS 'serialize function of logistic_fit';
COMMENT ON FUNCTION logistic_fit_deserialize(bytea, internal) IS 'deserialize function of logistic_fit';
COMMENT ON FUNCTION logistic_fit_final(internal) IS 'final function of logistic_fit: Newton/IRLS fit';

CREATE AGGREGATE logistic_fit(converted boolean, features float8[]) (
	SFUNC = logistic_fit_trans, STYPE = internal, FINALFUNC = logistic_fit_final,
	COMBINEFUNC = logistic_fit_combine, SERIALFUNC = logistic_fit_serialize,
	DESERIALFUNC = logistic_fit_deserialize, FINALFUNC_MODIFY = READ_ONLY, PARALLEL = SAFE
);
CREATE AGGREGATE logistic_fit(converted boolean, features float8[], feature_names text[]) (
	SFUNC = logistic_fit_trans, STYPE = internal, FINALFUNC = logistic_fit_final,
	COMBINEFUNC = logistic_fit_combine, SERIALFUNC = logistic_fit_serialize,
	DESERIALFUNC = logistic_fit_deserialize, FINALFUNC_MODIFY = READ_ONLY, PARALLEL = SAFE
);
CREATE AGGREGATE logistic_fit(converted boolean, features float8[], l2 float8) (
	SFUNC = logistic_fit_trans, STYPE = internal, FINALFUNC = logistic_fit_final,
	COMBINEFUNC = logistic_fit_combine, SERIALFUNC = logistic_fit_serialize,
	DESERIALFUNC = logistic_fit_deserialize, FINALFUNC_MODIFY = READ_ONLY, PARALLEL = SAFE
);
CREATE AGGREGATE logistic_fit(converted boolean, features float8[], feature_names text[], l2 float8) (
	SFUNC = logistic_fit_trans, STYPE = internal, FINALFUNC = logistic_fit_final,
	COMBINEFUNC = logistic_fit_combine, SERIALFUNC = logistic_fit_serialize,
	DESERIALFUNC = logistic_fit_deserialize, FINALFUNC_MODIFY = READ_ONLY, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(boolean, float8[]) IS 'logistic regression with intercept by Newton/IRLS (features named x1, x2, ...)';
COMMENT ON AGGREGATE logistic_fit(boolean, float8[], text[]) IS 'logistic regression with intercept by Newton/IRLS, with feature names';
COMMENT ON AGGREGATE logistic_fit(boolean, float8[], float8) IS 'ridge (L2) logistic regression with unpenalised intercept by Newton/IRLS';
COMMENT ON AGGREGATE logistic_fit(boolean, float8[], text[], float8) IS 'ridge (L2) logistic regression with unpenalised intercept by Newton/IRLS, with feature names';

CREATE FUNCTION predict_from_logit(float8) RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_predict_from_logit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION predict_from_logit(float8) IS 'propensity of a linear predictor: what predict() with a constant model and ARRAY[...] features is inlined into';
CREATE FUNCTION predict_support(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'propensity_model_predict_support' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION predict_support(internal) IS 'planner support of predict: inlines a constant model into its linear expression; with any other model and ARRAY[...] features, calls predict_features (no array per row)';
CREATE FUNCTION predict(model propensity_model, features float8[]) RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_model_predict' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SUPPORT predict_support;
COMMENT ON FUNCTION predict(propensity_model, float8[]) IS 'predicted propensity of one row of features (NULL when a feature is NULL)';

CREATE FUNCTION model_coefficients(model propensity_model,
	OUT term text, OUT coefficient float8, OUT std_error float8,
	OUT z float8, OUT p_value float8, OUT odds_ratio float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'propensity_model_coefficients' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION model_coefficients(propensity_model) IS 'one row per term: coefficient, standard error, Wald z, two-sided p-value, odds ratio';

CREATE FUNCTION model_summary(model propensity_model,
	OUT rows_used bigint, OUT rows_skipped bigint, OUT positives bigint,
	OUT features integer, OUT iterations integer, OUT converged boolean,
	OUT log_likelihood float8, OUT aic float8, OUT pseudo_r2 float8, OUT l2 float8)
AS 'MODULE_PATHNAME', 'propensity_model_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION model_summary(propensity_model) IS 'fit statistics: rows used and skipped, positives, features, iterations, convergence, log-likelihood, AIC, McFadden pseudo R², l2';

-- ---------------------------------------------------------------------------
-- Targeting evaluation: auc_agg, lift_agg, the lift type
-- ---------------------------------------------------------------------------

CREATE FUNCTION eval_trans(internal, float8, boolean) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION eval_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION eval_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION eval_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION auc_final(internal) RETURNS float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION eval_trans(internal, float8, boolean) IS 'transition function of auc_agg and lift_agg';
COMMENT ON FUNCTION eval_combine(internal, internal) IS 'combine function of auc_agg and lift_agg';
COMMENT ON FUNCTION eval_serialize(internal) IS 'serialize function of auc_agg and lift_agg';
COMMENT ON FUNCTION eval_deserialize(bytea, internal) IS 'deserialize function of auc_agg and lift_agg';
COMMENT ON FUNCTION auc_final(internal) IS 'final function of auc_agg';

CREATE AGGREGATE auc_agg(score float8, label boolean) (
	SFUNC = eval_trans, STYPE = internal, FINALFUNC = auc_final,
	COMBINEFUNC = eval_combine, SERIALFUNC = eval_serialize, DESERIALFUNC = eval_deserialize,
	FINALFUNC_MODIFY = SHAREABLE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE auc_agg(float8, boolean) IS 'exact area under the ROC curve (ties count half; NULL unless both labels occur)';

CREATE TYPE lift;
CREATE FUNCTION lift_in(cstring) RETURNS lift
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lift_out(lift) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lift_recv(internal) RETURNS lift
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lift_send(lift) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE lift (
	INPUT = lift_in, OUTPUT = lift_out, RECEIVE = lift_recv, SEND = lift_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE lift IS 'rows and positives per distinct score, for lift tables and AUC (text: JSON)';
COMMENT ON FUNCTION lift_in(cstring) IS 'text input of lift';
COMMENT ON FUNCTION lift_out(lift) IS 'text output of lift';
COMMENT ON FUNCTION lift_recv(internal) IS 'binary input of lift';
COMMENT ON FUNCTION lift_send(lift) IS 'binary output of lift';

CREATE FUNCTION lift_final(internal) RETURNS lift
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION lift_final(internal) IS 'final function of lift_agg';
CREATE AGGREGATE lift_agg(score float8, label boolean) (
	SFUNC = eval_trans, STYPE = internal, FINALFUNC = lift_final,
	COMBINEFUNC = eval_combine, SERIALFUNC = eval_serialize, DESERIALFUNC = eval_deserialize,
	FINALFUNC_MODIFY = SHAREABLE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE lift_agg(float8, boolean) IS 'lift summary of a score against outcomes (NULL scores or labels skipped)';

CREATE FUNCTION lift_merge(lift, lift) RETURNS lift
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION lift_merge(lift, lift) IS 'transition and combine function of rollup(lift)';
CREATE AGGREGATE rollup(lift) (
	SFUNC = lift_merge, STYPE = lift, COMBINEFUNC = lift_merge, PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(lift) IS 'merge stored lift summaries';

CREATE FUNCTION auc(lift) RETURNS float8
AS 'MODULE_PATHNAME', 'lift_auc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION auc(lift) IS 'area under the ROC curve of a lift summary (ties count half)';

CREATE FUNCTION lift_table(l lift, buckets integer DEFAULT 10,
	OUT bucket integer, OUT rows bigint, OUT positives bigint, OUT rate float8,
	OUT lift float8, OUT cumulative_gain float8, OUT min_score float8, OUT max_score float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'lift_table' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION lift_table(lift, integer) IS 'one row per score bucket (highest scores first): rows, positives, positive rate, lift over the overall rate, cumulative share of positives, score range; a tie group goes whole into the bucket of its first row';
