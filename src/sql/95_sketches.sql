
-- ---------------------------------------------------------------------------
-- Scale-out: bounded twins of the aggregates whose exact forms keep every
-- row.  Their states are stored types (Citus aggregates them on workers).
-- ---------------------------------------------------------------------------

-- quantile_sketch: DDSketch log buckets (relative accuracy a: every value
-- a bucket stands for is within a * |x| of the values in it)
CREATE TYPE quantile_sketch;
CREATE FUNCTION quantile_sketch_in(cstring) RETURNS quantile_sketch
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quantile_sketch_out(quantile_sketch) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quantile_sketch_recv(internal) RETURNS quantile_sketch
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quantile_sketch_send(quantile_sketch) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE quantile_sketch (
	INPUT = quantile_sketch_in, OUTPUT = quantile_sketch_out,
	RECEIVE = quantile_sketch_recv, SEND = quantile_sketch_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE quantile_sketch IS 'mergeable quantile sketch (DDSketch log buckets with counts and sums, exact count, sum, min and max), the state of the *_sketch_agg aggregates; text: JSON';
COMMENT ON FUNCTION quantile_sketch_in(cstring) IS 'text input of quantile_sketch (JSON)';
COMMENT ON FUNCTION quantile_sketch_out(quantile_sketch) IS 'text output of quantile_sketch (JSON, empty buckets left out)';
COMMENT ON FUNCTION quantile_sketch_recv(internal) IS 'binary input of quantile_sketch';
COMMENT ON FUNCTION quantile_sketch_send(quantile_sketch) IS 'binary output of quantile_sketch';

CREATE FUNCTION quantile_sketch_combine(quantile_sketch, quantile_sketch) RETURNS quantile_sketch
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quantile_sketch_combine(quantile_sketch, quantile_sketch) IS 'combine function of the sketch aggregates: adds bucket counts';

CREATE FUNCTION value_tier_sketch_trans(quantile_sketch, float8) RETURNS quantile_sketch
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION value_tier_sketch_trans(quantile_sketch, float8, float8) RETURNS quantile_sketch
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION value_tier_sketch_final(quantile_sketch) RETURNS value_tiers
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION value_tier_sketch_trans(quantile_sketch, float8) IS 'transition function of value_tier_sketch_agg';
COMMENT ON FUNCTION value_tier_sketch_trans(quantile_sketch, float8, float8) IS 'transition function of value_tier_sketch_agg';
COMMENT ON FUNCTION value_tier_sketch_final(quantile_sketch) IS 'final function of value_tier_sketch_agg';
CREATE AGGREGATE value_tier_sketch_agg(customer_value float8) (
	SFUNC = value_tier_sketch_trans, STYPE = quantile_sketch,
	FINALFUNC = value_tier_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = quantile_sketch_combine, PARALLEL = SAFE
);
CREATE AGGREGATE value_tier_sketch_agg(customer_value float8, relative_accuracy float8) (
	SFUNC = value_tier_sketch_trans, STYPE = quantile_sketch,
	FINALFUNC = value_tier_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = quantile_sketch_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE value_tier_sketch_agg(float8) IS 'value_tier_agg from a bounded sketch at relative accuracy 0.01: each cut point within 1% of the exact one';
COMMENT ON AGGREGATE value_tier_sketch_agg(float8, float8) IS 'value_tier_agg from a bounded sketch: each cut point within relative_accuracy (0.0001 to 0.5) of the exact one; tier sizes by sketch bucket';

CREATE FUNCTION rfm_thresholds_sketch_trans(quantile_sketch, float8, float8, float8) RETURNS quantile_sketch
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_sketch_trans(quantile_sketch, float8, float8, float8, float8) RETURNS quantile_sketch
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_sketch_final(quantile_sketch) RETURNS rfm_thresholds
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_thresholds_sketch_trans(quantile_sketch, float8, float8, float8) IS 'transition function of rfm_thresholds_sketch_agg';
COMMENT ON FUNCTION rfm_thresholds_sketch_trans(quantile_sketch, float8, float8, float8, float8) IS 'transition function of rfm_thresholds_sketch_agg';
COMMENT ON FUNCTION rfm_thresholds_sketch_final(quantile_sketch) IS 'final function of rfm_thresholds_sketch_agg';
CREATE AGGREGATE rfm_thresholds_sketch_agg(recency_days float8, frequency float8, monetary float8) (
	SFUNC = rfm_thresholds_sketch_trans, STYPE = quantile_sketch,
	FINALFUNC = rfm_thresholds_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = quantile_sketch_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_thresholds_sketch_agg(recency_days float8, frequency float8, monetary float8, relative_accuracy float8) (
	SFUNC = rfm_thresholds_sketch_trans, STYPE = quantile_sketch,
	FINALFUNC = rfm_thresholds_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = quantile_sketch_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE rfm_thresholds_sketch_agg(float8, float8, float8) IS 'rfm_thresholds_agg from a bounded sketch at relative accuracy 0.01: each cut point within 1% of the larger order statistic it interpolates';
COMMENT ON AGGREGATE rfm_thresholds_sketch_agg(float8, float8, float8, float8) IS 'rfm_thresholds_agg from a bounded sketch: each cut point within relative_accuracy (0.0001 to 0.5) of max(|x_lo|, |x_hi|), the order statistics percentile_cont interpolates';

CREATE FUNCTION conversion_time_sketch_trans(quantile_sketch, journey, journey_stage, journey_stage) RETURNS quantile_sketch
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION conversion_time_sketch_trans(quantile_sketch, journey, journey_stage, journey_stage, float8) RETURNS quantile_sketch
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION conversion_time_sketch_final(quantile_sketch) RETURNS conversion_time
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION conversion_time_sketch_trans(quantile_sketch, journey, journey_stage, journey_stage) IS 'transition function of conversion_time_sketch_agg';
COMMENT ON FUNCTION conversion_time_sketch_trans(quantile_sketch, journey, journey_stage, journey_stage, float8) IS 'transition function of conversion_time_sketch_agg';
COMMENT ON FUNCTION conversion_time_sketch_final(quantile_sketch) IS 'final function of conversion_time_sketch_agg';
CREATE AGGREGATE conversion_time_sketch_agg(j journey, from_stage journey_stage, to_stage journey_stage) (
	SFUNC = conversion_time_sketch_trans, STYPE = quantile_sketch,
	FINALFUNC = conversion_time_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = quantile_sketch_combine, PARALLEL = SAFE
);
CREATE AGGREGATE conversion_time_sketch_agg(j journey, from_stage journey_stage, to_stage journey_stage, relative_accuracy float8) (
	SFUNC = conversion_time_sketch_trans, STYPE = quantile_sketch,
	FINALFUNC = conversion_time_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = quantile_sketch_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE conversion_time_sketch_agg(journey, journey_stage, journey_stage) IS 'conversion_time_agg with a bounded state: exact counts and mean, median within 1% (relative accuracy 0.01)';
COMMENT ON AGGREGATE conversion_time_sketch_agg(journey, journey_stage, journey_stage, float8) IS 'conversion_time_agg with a bounded state: exact counts and mean, median within relative_accuracy (0.0001 to 0.5)';

-- score_histogram: positives and negatives per score bucket round(score * R)
CREATE TYPE score_histogram;
CREATE FUNCTION score_histogram_in(cstring) RETURNS score_histogram
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION score_histogram_out(score_histogram) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION score_histogram_recv(internal) RETURNS score_histogram
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION score_histogram_send(score_histogram) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE score_histogram (
	INPUT = score_histogram_in, OUTPUT = score_histogram_out,
	RECEIVE = score_histogram_recv, SEND = score_histogram_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE score_histogram IS 'positives and negatives per score bucket round(score * resolution) of scores in [0, 1]: a bounded AUC and lift; text: JSON of the non-empty buckets';
COMMENT ON FUNCTION score_histogram_in(cstring) IS 'text input of score_histogram (JSON)';
COMMENT ON FUNCTION score_histogram_out(score_histogram) IS 'text output of score_histogram (JSON)';
COMMENT ON FUNCTION score_histogram_recv(internal) IS 'binary input of score_histogram';
COMMENT ON FUNCTION score_histogram_send(score_histogram) IS 'binary output of score_histogram';

CREATE FUNCTION score_histogram_trans(score_histogram, float8, boolean) RETURNS score_histogram
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION score_histogram_trans(score_histogram, float8, boolean, integer) RETURNS score_histogram
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION score_histogram_combine(score_histogram, score_histogram) RETURNS score_histogram
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION score_histogram_trans(score_histogram, float8, boolean) IS 'transition function of score_histogram_agg, auc_bucketed_agg and lift_bucketed_agg';
COMMENT ON FUNCTION score_histogram_trans(score_histogram, float8, boolean, integer) IS 'transition function of score_histogram_agg, auc_bucketed_agg and lift_bucketed_agg';
COMMENT ON FUNCTION score_histogram_combine(score_histogram, score_histogram) IS 'combine function of the score_histogram aggregates and rollup(score_histogram): adds counts';

CREATE FUNCTION histogram_auc(score_histogram) RETURNS float8
AS 'MODULE_PATHNAME', 'score_histogram_auc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION histogram_auc(score_histogram) IS 'AUC of the buckets (pairs in one bucket count half); within auc_error_bound of the exact AUC of the scores';
CREATE FUNCTION auc_error_bound(score_histogram) RETURNS float8
AS 'MODULE_PATHNAME', 'score_histogram_auc_bound' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION auc_error_bound(score_histogram) IS 'largest possible |histogram_auc(h) - exact AUC|: sum over buckets of positives * negatives / (2 P N); 0 when no bucket mixes classes';
CREATE FUNCTION histogram_lift(score_histogram) RETURNS lift
AS 'MODULE_PATHNAME', 'score_histogram_lift' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION histogram_lift(score_histogram) IS 'the lift of the buckets (score bucket / resolution) for lift_table';

CREATE AGGREGATE score_histogram_agg(score float8, label boolean) (
	SFUNC = score_histogram_trans, STYPE = score_histogram,
	COMBINEFUNC = score_histogram_combine, PARALLEL = SAFE
);
CREATE AGGREGATE score_histogram_agg(score float8, label boolean, resolution integer) (
	SFUNC = score_histogram_trans, STYPE = score_histogram,
	COMBINEFUNC = score_histogram_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE score_histogram_agg(float8, boolean) IS 'positives and negatives per score bucket at resolution 1000 (scores in [0, 1]; NULL score or label skipped)';
COMMENT ON AGGREGATE score_histogram_agg(float8, boolean, integer) IS 'positives and negatives per score bucket at the given resolution, 1 to 100000 (scores in [0, 1]; NULL score or label skipped)';
CREATE AGGREGATE rollup(score_histogram) (
	SFUNC = score_histogram_combine, STYPE = score_histogram,
	COMBINEFUNC = score_histogram_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(score_histogram) IS 'sum of stored score histograms of one resolution';

CREATE AGGREGATE auc_bucketed_agg(score float8, label boolean) (
	SFUNC = score_histogram_trans, STYPE = score_histogram,
	FINALFUNC = histogram_auc, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = score_histogram_combine, PARALLEL = SAFE
);
CREATE AGGREGATE auc_bucketed_agg(score float8, label boolean, resolution integer) (
	SFUNC = score_histogram_trans, STYPE = score_histogram,
	FINALFUNC = histogram_auc, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = score_histogram_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE auc_bucketed_agg(float8, boolean) IS 'auc_agg of scores in [0, 1] from 1001 score buckets: exact when the scores have at most 3 decimals, else within auc_error_bound(score_histogram_agg(...))';
COMMENT ON AGGREGATE auc_bucketed_agg(float8, boolean, integer) IS 'auc_agg of scores in [0, 1] from resolution + 1 score buckets: exact when every score is a multiple of 1/resolution, else within auc_error_bound';
CREATE AGGREGATE lift_bucketed_agg(score float8, label boolean) (
	SFUNC = score_histogram_trans, STYPE = score_histogram,
	FINALFUNC = histogram_lift, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = score_histogram_combine, PARALLEL = SAFE
);
CREATE AGGREGATE lift_bucketed_agg(score float8, label boolean, resolution integer) (
	SFUNC = score_histogram_trans, STYPE = score_histogram,
	FINALFUNC = histogram_lift, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = score_histogram_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE lift_bucketed_agg(float8, boolean) IS 'lift_agg of scores in [0, 1] from 1001 score buckets (scores rounded to 3 decimals)';
COMMENT ON AGGREGATE lift_bucketed_agg(float8, boolean, integer) IS 'lift_agg of scores in [0, 1] from resolution + 1 score buckets (scores rounded to multiples of 1/resolution)';
