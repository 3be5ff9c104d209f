-- ---------------------------------------------------------------------------
-- Bulls-eye targeting (SPEC §9): expected value, the budgeted target plan,
-- calibration, uplift.
-- ---------------------------------------------------------------------------

CREATE FUNCTION expected_value(p float8, value float8, cost float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'expected_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_value(float8, float8, float8) IS 'expected value of going after a candidate: p * value - cost';

-- target_plan: the chosen candidates of a budgeted plan
CREATE TYPE target_plan;
CREATE FUNCTION target_plan_in(cstring) RETURNS target_plan
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION target_plan_out(target_plan) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION target_plan_recv(internal) RETURNS target_plan
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION target_plan_send(target_plan) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE target_plan (
	INPUT = target_plan_in, OUTPUT = target_plan_out, RECEIVE = target_plan_recv, SEND = target_plan_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE target_plan IS 'a budgeted target list: the chosen candidates (id, p, value, cost), the budget, the LP upper bound and whether the plan is optimal (text: JSON)';
COMMENT ON FUNCTION target_plan_in(cstring) IS 'text input of target_plan';
COMMENT ON FUNCTION target_plan_out(target_plan) IS 'text output of target_plan';
COMMENT ON FUNCTION target_plan_recv(internal) IS 'binary input of target_plan';
COMMENT ON FUNCTION target_plan_send(target_plan) IS 'binary output of target_plan';

CREATE FUNCTION target_plan_trans(internal, bigint, float8, float8, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION target_plan_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION target_plan_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION target_plan_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION target_plan_final(internal) RETURNS target_plan
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION target_plan_trans(internal, bigint, float8, float8, float8, float8) IS 'transition function of target_plan_agg';
COMMENT ON FUNCTION target_plan_combine(internal, internal) IS 'combine function of target_plan_agg';
COMMENT ON FUNCTION target_plan_serialize(internal) IS 'serialize function of target_plan_agg';
COMMENT ON FUNCTION target_plan_deserialize(bytea, internal) IS 'deserialize function of target_plan_agg';
COMMENT ON FUNCTION target_plan_final(internal) IS 'final function of target_plan_agg: solve the knapsack';
CREATE AGGREGATE target_plan_agg(id bigint, p float8, value float8, cost float8, budget float8) (
	SFUNC = target_plan_trans, STYPE = internal, FINALFUNC = target_plan_final,
	COMBINEFUNC = target_plan_combine, SERIALFUNC = target_plan_serialize,
	DESERIALFUNC = target_plan_deserialize, FINALFUNC_MODIFY = SHAREABLE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE target_plan_agg(bigint, float8, float8, float8, float8) IS 'the candidates maximising total expected value p * value - cost with total cost <= budget (0/1 knapsack: exact by dynamic programming when costs are whole in units of 1 to 0.0001 and candidates x budget units <= 2^28, else the better of greedy by value per cost and the best single candidate); rows with a NULL id, p, value or cost are skipped';

CREATE FUNCTION target_plan_rows(plan target_plan,
	OUT id bigint, OUT rank integer, OUT p propensity, OUT value float8, OUT cost float8,
	OUT expected_value float8, OUT cumulative_cost float8, OUT cumulative_value float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'target_plan_rows' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION target_plan_rows(target_plan) IS 'the chosen candidates, best expected value per cost first, with running cost and expected value';

CREATE FUNCTION target_plan_summary(plan target_plan,
	OUT candidates bigint, OUT chosen bigint, OUT spend float8, OUT expected_conversions float8,
	OUT expected_value float8, OUT upper_bound float8, OUT exact boolean, OUT budget float8)
AS 'MODULE_PATHNAME', 'target_plan_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION target_plan_summary(target_plan) IS 'candidates seen, chosen, spend, expected conversions (sum of p), expected value, the LP upper bound on any plan''s expected value, whether the plan is optimal, and the budget';

-- Scores per class: the state of calibration_fit and uplift_agg
CREATE FUNCTION targeting_class_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'class_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION targeting_class_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'class_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION targeting_class_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'class_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION targeting_class_combine(internal, internal) IS 'combine function of calibration_fit and uplift_agg';
COMMENT ON FUNCTION targeting_class_serialize(internal) IS 'serialize function of calibration_fit and uplift_agg';
COMMENT ON FUNCTION targeting_class_deserialize(bytea, internal) IS 'deserialize function of calibration_fit and uplift_agg';

-- calibrator
CREATE TYPE calibrator;
CREATE FUNCTION calibrator_in(cstring) RETURNS calibrator
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION calibrator_out(calibrator) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION calibrator_recv(internal) RETURNS calibrator
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION calibrator_send(calibrator) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE calibrator (
	INPUT = calibrator_in, OUTPUT = calibrator_out, RECEIVE = calibrator_recv, SEND = calibrator_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE calibrator IS 'a map from scores to calibrated probabilities: isotonic (points, linear between them, clipped outside) or Platt (1 / (1 + exp(a s + b))) (text: JSON)';
COMMENT ON FUNCTION calibrator_in(cstring) IS 'text input of calibrator';
COMMENT ON FUNCTION calibrator_out(calibrator) IS 'text output of calibrator';
COMMENT ON FUNCTION calibrator_recv(internal) IS 'binary input of calibrator';
COMMENT ON FUNCTION calibrator_send(calibrator) IS 'binary output of calibrator';

CREATE FUNCTION calibration_trans(internal, float8, boolean) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION calibration_trans(internal, float8, boolean, text) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION calibration_final(internal) RETURNS calibrator
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION calibration_trans(internal, float8, boolean) IS 'transition function of calibration_fit';
COMMENT ON FUNCTION calibration_trans(internal, float8, boolean, text) IS 'transition function of calibration_fit with a method';
COMMENT ON FUNCTION calibration_final(internal) IS 'final function of calibration_fit';
CREATE AGGREGATE calibration_fit(score float8, label boolean) (
	SFUNC = calibration_trans, STYPE = internal, FINALFUNC = calibration_final,
	COMBINEFUNC = targeting_class_combine, SERIALFUNC = targeting_class_serialize,
	DESERIALFUNC = targeting_class_deserialize, FINALFUNC_MODIFY = SHAREABLE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE calibration_fit(float8, boolean) IS 'isotonic calibrator of a score against outcomes (pool-adjacent-violators, ties pooled, as scikit-learn''s IsotonicRegression(out_of_bounds=''clip'')); NULL scores or labels skipped';
CREATE AGGREGATE calibration_fit(score float8, label boolean, method text) (
	SFUNC = calibration_trans, STYPE = internal, FINALFUNC = calibration_final,
	COMBINEFUNC = targeting_class_combine, SERIALFUNC = targeting_class_serialize,
	DESERIALFUNC = targeting_class_deserialize, FINALFUNC_MODIFY = SHAREABLE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE calibration_fit(float8, boolean, text) IS 'calibrator of a score against outcomes: method ''isotonic'' or ''platt'' (sigmoid with Platt''s smoothed targets, as scikit-learn''s _sigmoid_calibration); NULL scores or labels skipped';

CREATE FUNCTION calibrate(c calibrator, score float8) RETURNS propensity
AS 'MODULE_PATHNAME', 'calibrate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION calibrate(calibrator, float8) IS 'the calibrated probability of a score';

CREATE FUNCTION calibration_table(l lift, bins integer DEFAULT 10, strategy text DEFAULT 'uniform',
	OUT bin integer, OUT rows bigint, OUT mean_predicted float8, OUT fraction_positive float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'calibration_table' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION calibration_table(lift, integer, text) IS 'reliability diagram of probabilities in [0, 1] (scikit-learn''s calibration_curve): per non-empty bin, rows, mean predicted probability and fraction positive; strategy ''uniform'' (equal widths) or ''quantile'' (equal counts)';

-- uplift
CREATE TYPE uplift;
CREATE FUNCTION uplift_in(cstring) RETURNS uplift
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uplift_out(uplift) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uplift_recv(internal) RETURNS uplift
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION uplift_send(uplift) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE uplift (
	INPUT = uplift_in, OUTPUT = uplift_out, RECEIVE = uplift_recv, SEND = uplift_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE uplift IS 'treated and control rows and conversions per distinct score, for Qini and uplift curves (text: JSON)';
COMMENT ON FUNCTION uplift_in(cstring) IS 'text input of uplift';
COMMENT ON FUNCTION uplift_out(uplift) IS 'text output of uplift';
COMMENT ON FUNCTION uplift_recv(internal) IS 'binary input of uplift';
COMMENT ON FUNCTION uplift_send(uplift) IS 'binary output of uplift';

CREATE FUNCTION uplift_trans(internal, float8, boolean, boolean) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION uplift_final(internal) RETURNS uplift
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION uplift_trans(internal, float8, boolean, boolean) IS 'transition function of uplift_agg';
COMMENT ON FUNCTION uplift_final(internal) IS 'final function of uplift_agg';
CREATE AGGREGATE uplift_agg(score float8, treated boolean, converted boolean) (
	SFUNC = uplift_trans, STYPE = internal, FINALFUNC = uplift_final,
	COMBINEFUNC = targeting_class_combine, SERIALFUNC = targeting_class_serialize,
	DESERIALFUNC = targeting_class_deserialize, FINALFUNC_MODIFY = SHAREABLE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE uplift_agg(float8, boolean, boolean) IS 'uplift summary of a predicted uplift score against treatment and conversion (rows with a NULL skipped)';

CREATE FUNCTION uplift_merge(uplift, uplift) RETURNS uplift
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION uplift_merge(uplift, uplift) IS 'transition and combine function of rollup(uplift)';
CREATE AGGREGATE rollup(uplift) (
	SFUNC = uplift_merge, STYPE = uplift, COMBINEFUNC = uplift_merge, PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(uplift) IS 'merge stored uplift summaries';

CREATE FUNCTION qini_coefficient(u uplift) RETURNS float8
AS 'MODULE_PATHNAME', 'qini_coefficient' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION qini_coefficient(uplift) IS 'area under the Qini curve normalised as scikit-uplift''s qini_auc_score: (model - random) / (perfect - random), the perfect curve allowing negative effects; NULL when undefined';
CREATE FUNCTION uplift_auc(u uplift) RETURNS float8
AS 'MODULE_PATHNAME', 'uplift_auc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION uplift_auc(uplift) IS 'area under the uplift curve normalised as scikit-uplift''s uplift_auc_score: (model - random) / (perfect - random); NULL when undefined';
CREATE FUNCTION uplift_at_k(u uplift, k float8 DEFAULT 0.3, strategy text DEFAULT 'overall') RETURNS float8
AS 'MODULE_PATHNAME', 'uplift_at_k' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION uplift_at_k(uplift, float8, text) IS 'treated minus control conversion rate in the top share k of rows by score (scikit-uplift''s uplift_at_k; strategy ''overall'' or ''by_group''); a tie group cut by the boundary counts in proportion; NULL when a group has no rows there';
CREATE FUNCTION uplift_table(u uplift, buckets integer DEFAULT 10,
	OUT bucket integer, OUT treated bigint, OUT control bigint, OUT treated_rate float8,
	OUT control_rate float8, OUT uplift float8, OUT cumulative_qini float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'uplift_table' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION uplift_table(uplift, integer) IS 'per score bucket (highest first, split as numpy''s array_split, a tie group whole in the bucket of its first row): treated and control rows, their conversion rates, the uplift, and the Qini curve at the bucket''s end';
