-- ---------------------------------------------------------------------------
-- touchpoint attribution (SPEC §7): touch_path, attribution, the models
-- ---------------------------------------------------------------------------

CREATE TYPE touch_path;
CREATE FUNCTION touch_path_in(cstring) RETURNS touch_path
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION touch_path_out(touch_path) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION touch_path_recv(internal) RETURNS touch_path
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION touch_path_send(touch_path) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE touch_path (
	INPUT = touch_path_in, OUTPUT = touch_path_out,
	RECEIVE = touch_path_recv, SEND = touch_path_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE touch_path IS 'one entity''s touches in time order (ts, then channel name): channel and optional journey stage of each (text: JSON)';
COMMENT ON FUNCTION touch_path_in(cstring) IS 'text input of touch_path';
COMMENT ON FUNCTION touch_path_out(touch_path) IS 'text output of touch_path';
COMMENT ON FUNCTION touch_path_recv(internal) IS 'binary input of touch_path';
COMMENT ON FUNCTION touch_path_send(touch_path) IS 'binary output of touch_path';

CREATE FUNCTION touch_path_trans(touch_path, timestamptz, text) RETURNS touch_path
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION touch_path_trans(touch_path, timestamptz, text, journey_stage) RETURNS touch_path
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION touch_path_combine(touch_path, touch_path) RETURNS touch_path
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION touch_path_final(touch_path) RETURNS touch_path
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION touch_path_trans(touch_path, timestamptz, text) IS 'transition function of touch_path_agg';
COMMENT ON FUNCTION touch_path_trans(touch_path, timestamptz, text, journey_stage) IS 'transition function of touch_path_agg with stages';
COMMENT ON FUNCTION touch_path_combine(touch_path, touch_path) IS 'combine function of touch_path_agg and rollup(touch_path)';
COMMENT ON FUNCTION touch_path_final(touch_path) IS 'final function of touch_path_agg and rollup(touch_path): sort the names and touches';

-- SSPACE = 8192: the state grows with the touches (see journey_agg).
CREATE AGGREGATE touch_path_agg(ts timestamptz, channel text) (
	SFUNC = touch_path_trans, STYPE = touch_path, SSPACE = 8192,
	COMBINEFUNC = touch_path_combine, FINALFUNC = touch_path_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE touch_path_agg(timestamptz, text) IS 'touch path of one entity (rows in any order; equal timestamps ordered by channel name; NULL ts or NULL/empty channel skipped and counted)';
CREATE AGGREGATE touch_path_agg(ts timestamptz, channel text, stage journey_stage) (
	SFUNC = touch_path_trans, STYPE = touch_path, SSPACE = 8192,
	COMBINEFUNC = touch_path_combine, FINALFUNC = touch_path_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE touch_path_agg(timestamptz, text, journey_stage) IS 'touch path of one entity with the journey stage of each touch (marks the w_shaped and full_path milestones; a NULL stage is none)';
CREATE AGGREGATE rollup(touch_path) (
	SFUNC = touch_path_combine, STYPE = touch_path,
	COMBINEFUNC = touch_path_combine, FINALFUNC = touch_path_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(touch_path) IS 'merge stored touch paths of one entity (e.g. one per month or per shard) into one';

CREATE FUNCTION touch_count(touch_path) RETURNS integer
AS 'MODULE_PATHNAME', 'touch_path_touch_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION touch_count(touch_path) IS 'touches in the path';
CREATE FUNCTION skipped_rows(touch_path) RETURNS bigint
AS 'MODULE_PATHNAME', 'touch_path_skipped_rows' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION skipped_rows(touch_path) IS 'input rows skipped because their ts or channel was NULL or the channel empty';
CREATE FUNCTION path_string(touch_path) RETURNS text
AS 'MODULE_PATHNAME', 'touch_path_string' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION path_string(touch_path) IS 'the channels in path order, ''web > email > demo'' (ChannelAttribution''s path form; repeats kept)';

CREATE TYPE attribution;
CREATE FUNCTION attribution_in(cstring) RETURNS attribution
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_out(attribution) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_recv(internal) RETURNS attribution
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_send(attribution) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE attribution (
	INPUT = attribution_in, OUTPUT = attribution_out,
	RECEIVE = attribution_recv, SEND = attribution_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE attribution IS 'touchpoint attribution summary across entities: per channel touches, conversions and model credits, and the Markov moves (bounded by the channels; text: JSON)';
COMMENT ON FUNCTION attribution_in(cstring) IS 'text input of attribution';
COMMENT ON FUNCTION attribution_out(attribution) IS 'text output of attribution';
COMMENT ON FUNCTION attribution_recv(internal) IS 'binary input of attribution';
COMMENT ON FUNCTION attribution_send(attribution) IS 'binary output of attribution';

CREATE FUNCTION attribution_trans(attribution, touch_path, timestamptz) RETURNS attribution
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION attribution_trans(attribution, touch_path, timestamptz, float8) RETURNS attribution
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION attribution_trans(attribution, touch_path, timestamptz, float8, interval) RETURNS attribution
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION attribution_combine(attribution, attribution) RETURNS attribution
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION attribution_trans(attribution, touch_path, timestamptz) IS 'transition function of attribution_agg';
COMMENT ON FUNCTION attribution_trans(attribution, touch_path, timestamptz, float8) IS 'transition function of attribution_agg with values';
COMMENT ON FUNCTION attribution_trans(attribution, touch_path, timestamptz, float8, interval) IS 'transition function of attribution_agg with values and time_decay''s half-life';
COMMENT ON FUNCTION attribution_combine(attribution, attribution) IS 'combine function of attribution_agg and rollup(attribution)';

CREATE AGGREGATE attribution_agg(path touch_path, converted_at timestamptz) (
	SFUNC = attribution_trans, STYPE = attribution,
	COMBINEFUNC = attribution_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE attribution_agg(touch_path, timestamptz) IS 'attribution across entities: one path per entity, converted_at NULL when it did not convert (touches after it do not count); time_decay half-life 7 days';
CREATE AGGREGATE attribution_agg(path touch_path, converted_at timestamptz, value float8) (
	SFUNC = attribution_trans, STYPE = attribution,
	COMBINEFUNC = attribution_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE attribution_agg(touch_path, timestamptz, float8) IS 'attribution across entities with the value of each conversion (NULL is 0); time_decay half-life 7 days';
CREATE AGGREGATE attribution_agg(path touch_path, converted_at timestamptz, value float8, half_life interval) (
	SFUNC = attribution_trans, STYPE = attribution,
	COMBINEFUNC = attribution_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE attribution_agg(touch_path, timestamptz, float8, interval) IS 'attribution across entities with values and time_decay''s half-life (one constant for the aggregate)';
CREATE AGGREGATE rollup(attribution) (
	SFUNC = attribution_combine, STYPE = attribution,
	COMBINEFUNC = attribution_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(attribution) IS 'merge stored attributions (e.g. per month, region or shard) into one';

CREATE FUNCTION attribution_report(a attribution, model_name text DEFAULT NULL, half_life interval DEFAULT NULL,
	OUT model text, OUT channel text, OUT touches bigint, OUT conversions bigint,
	OUT credited_conversions float8, OUT credited_value float8, OUT share float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION attribution_report(attribution, text, interval) IS 'credit of each channel by model (first_touch, last_touch, linear, time_decay, position_based, w_shaped, full_path, markov, shapley; all when model is NULL); half_life, if given, must be the one aggregated with';
CREATE FUNCTION removal_effect(attribution, channel text) RETURNS float8
AS 'MODULE_PATHNAME', 'attribution_removal_effect' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION removal_effect(attribution, text) IS 'Markov removal effect 1 - P(conversion without the channel) / P(conversion), solved exactly (NULL for an unknown channel)';
CREATE FUNCTION channel_transitions(a attribution,
	OUT from_channel text, OUT to_channel text, OUT moves bigint, OUT probability float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'attribution_channel_transitions' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION channel_transitions(attribution) IS 'Markov moves between (start), the channels, (conversion) and (null), repeats collapsed: counts and probabilities (a Sankey chart)';
CREATE FUNCTION attribution_summary(a attribution,
	OUT paths bigint, OUT conversions bigint, OUT unattributed_conversions bigint,
	OUT value float8, OUT unattributed_value float8, OUT skipped_touches bigint,
	OUT channels integer, OUT half_life interval, OUT conversion_probability float8)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION attribution_summary(attribution) IS 'totals: paths, conversions with a touch before them, conversions without (not credited), values, skipped touch rows, channels, half-life, Markov P(conversion)';
