-- ---------------------------------------------------------------------------
-- journey: one entity's journey over time (doc/design.md §5)
-- ---------------------------------------------------------------------------

CREATE TYPE journey;
CREATE FUNCTION journey_in(cstring) RETURNS journey
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_out(journey) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_recv(internal) RETURNS journey
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_send(journey) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE journey (
	INPUT = journey_in, OUTPUT = journey_out,
	RECEIVE = journey_recv, SEND = journey_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE journey IS 'one entity''s journey over time: its stays in each journey stage (text: JSON)';
COMMENT ON FUNCTION journey_in(cstring) IS 'text input of journey';
COMMENT ON FUNCTION journey_out(journey) IS 'text output of journey';
COMMENT ON FUNCTION journey_recv(internal) IS 'binary input of journey';
COMMENT ON FUNCTION journey_send(journey) IS 'binary output of journey';

CREATE FUNCTION journey_trans(journey, timestamptz, journey_stage) RETURNS journey
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION journey_combine(journey, journey) RETURNS journey
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION journey_final(journey) RETURNS journey
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION journey_trans(journey, timestamptz, journey_stage) IS 'transition function of journey_agg';
COMMENT ON FUNCTION journey_combine(journey, journey) IS 'combine function of journey_agg and rollup(journey)';
COMMENT ON FUNCTION journey_final(journey) IS 'final function of journey_agg and rollup(journey): sort and coalesce into stays';

-- SSPACE = 8192: the state grows with the events, like an internal state,
-- so declare PostgreSQL's own estimate for those.  With ~1M groups hash
-- aggregation then works in cache-sized batches instead of thrashing one
-- huge table (test/bench/journey.sh: 4.3 s against 6.4 s at SSPACE 128).
CREATE AGGREGATE journey_agg(ts timestamptz, stage journey_stage) (
	SFUNC = journey_trans, STYPE = journey, SSPACE = 8192,
	COMBINEFUNC = journey_combine, FINALFUNC = journey_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE journey_agg(timestamptz, journey_stage) IS 'journey of one entity from its touchpoint events (rows in any order; NULL ts or stage skipped and counted)';

CREATE AGGREGATE rollup(journey) (
	SFUNC = journey_combine, STYPE = journey,
	COMBINEFUNC = journey_combine, FINALFUNC = journey_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(journey) IS 'merge stored journeys of one entity (e.g. one per month) into one';

CREATE FUNCTION current_stage(journey) RETURNS journey_stage
AS 'MODULE_PATHNAME', 'journey_current_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION current_stage(journey) IS 'stage of the latest event';
CREATE FUNCTION furthest_stage(journey) RETURNS journey_stage
AS 'MODULE_PATHNAME', 'journey_furthest_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION furthest_stage(journey) IS 'furthest stage ever reached';
CREATE FUNCTION first_reached(journey, journey_stage) RETURNS timestamptz
AS 'MODULE_PATHNAME', 'journey_first_reached' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION first_reached(journey, journey_stage) IS 'when the entity first stood at the stage or past it (NULL if never)';
CREATE FUNCTION last_reached(journey, journey_stage) RETURNS timestamptz
AS 'MODULE_PATHNAME', 'journey_last_reached' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION last_reached(journey, journey_stage) IS 'when the entity last moved to the stage or past it from an earlier stage (NULL if never)';
CREATE FUNCTION time_in_stage(journey, journey_stage) RETURNS interval
AS 'MODULE_PATHNAME', 'journey_time_in_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION time_in_stage(journey, journey_stage) IS 'total time spent in the stage; the last stay counts up to the last event';
CREATE FUNCTION time_in_stage(journey, journey_stage, as_of timestamptz) RETURNS interval
AS 'MODULE_PATHNAME', 'journey_time_in_stage_as_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION time_in_stage(journey, journey_stage, timestamptz) IS 'total time spent in the stage; the last (open) stay counts up to as_of';
CREATE FUNCTION time_to_stage(journey, from_stage journey_stage, to_stage journey_stage) RETURNS interval
AS 'MODULE_PATHNAME', 'journey_time_to_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION time_to_stage(journey, journey_stage, journey_stage) IS 'first_reached(to_stage) - first_reached(from_stage) (NULL when either was never reached)';
CREATE FUNCTION regressions(journey) RETURNS integer
AS 'MODULE_PATHNAME', 'journey_regressions' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION regressions(journey) IS 'number of moves back to an earlier stage';
CREATE FUNCTION stage_changes(journey) RETURNS integer
AS 'MODULE_PATHNAME', 'journey_stage_changes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stage_changes(journey) IS 'number of stage changes (stays - 1)';
CREATE FUNCTION event_count(journey) RETURNS bigint
AS 'MODULE_PATHNAME', 'journey_event_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION event_count(journey) IS 'events aggregated into the journey';
CREATE FUNCTION skipped_rows(journey) RETURNS bigint
AS 'MODULE_PATHNAME', 'journey_skipped_rows' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION skipped_rows(journey) IS 'input rows skipped because their ts or stage was NULL';
CREATE FUNCTION is_stalled(journey, as_of timestamptz, threshold interval) RETURNS boolean
AS 'MODULE_PATHNAME', 'journey_is_stalled' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION is_stalled(journey, timestamptz, interval) IS 'true when the current stay began more than threshold before as_of';

CREATE FUNCTION journey_timeline(j journey,
	OUT stage journey_stage, OUT entered timestamptz, OUT left_at timestamptz,
	OUT last_event timestamptz, OUT events bigint,
	OUT stay integer, OUT stage_ordinal integer, OUT days float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'journey_timeline' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION journey_timeline(journey) IS 'one row per stay: stage, entered, left_at (NULL for the current stay), last event, events, stay number (1 = first, to sort by), stage ordinal, and days from entered to left_at (NULL for the current stay)';

-- funnel_agg(journey): one journey per entity, counted at its furthest stage
CREATE FUNCTION journey_funnel_trans(funnel, journey) RETURNS funnel
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION journey_funnel_trans(funnel, journey) IS 'transition function of funnel_agg(journey)';
CREATE AGGREGATE funnel_agg(journey) (
	SFUNC = journey_funnel_trans, STYPE = funnel,
	INITCOND = '{"awareness": 0, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}',
	COMBINEFUNC = funnel_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE funnel_agg(journey) IS 'funnel of journeys by furthest stage (one journey per entity)';

-- conversion_time_agg(journey, from, to): exact mean and median time between stages
CREATE TYPE conversion_time AS (
	journeys bigint, converted bigint, conversion float8,
	mean interval, median interval,
	mean_days float8, median_days float8
);
COMMENT ON TYPE conversion_time IS 'result of conversion_time_agg: journeys that reached from_stage, how many reached to_stage, their share, mean and median time (as intervals, and as days in float8 for BI tools)';
CREATE FUNCTION conversion_time_trans(internal, journey, journey_stage, journey_stage) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION conversion_time_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION conversion_time_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION conversion_time_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION conversion_time_final(internal, journey, journey_stage, journey_stage) RETURNS conversion_time
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION conversion_time_trans(internal, journey, journey_stage, journey_stage) IS 'transition function of conversion_time_agg';
COMMENT ON FUNCTION conversion_time_combine(internal, internal) IS 'combine function of conversion_time_agg';
COMMENT ON FUNCTION conversion_time_serialize(internal) IS 'serialize function of conversion_time_agg';
COMMENT ON FUNCTION conversion_time_deserialize(bytea, internal) IS 'deserialize function of conversion_time_agg';
COMMENT ON FUNCTION conversion_time_final(internal, journey, journey_stage, journey_stage) IS 'final function of conversion_time_agg';
CREATE AGGREGATE conversion_time_agg(j journey, from_stage journey_stage, to_stage journey_stage) (
	SFUNC = conversion_time_trans, STYPE = internal,
	COMBINEFUNC = conversion_time_combine,
	SERIALFUNC = conversion_time_serialize, DESERIALFUNC = conversion_time_deserialize,
	FINALFUNC = conversion_time_final, FINALFUNC_EXTRA,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE conversion_time_agg(journey, journey_stage, journey_stage) IS 'exact mean and median time_to_stage across journeys (state: 8 bytes per converted journey)';

-- window_funnel(window, ts, stage [, mode]): ClickHouse's windowFunnel over the stages
CREATE FUNCTION window_funnel_trans(internal, interval, timestamptz, journey_stage) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_trans(internal, interval, timestamptz, journey_stage, text) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION window_funnel_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION window_funnel_final(internal) RETURNS journey_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION window_funnel_trans(internal, interval, timestamptz, journey_stage) IS 'transition function of window_funnel';
COMMENT ON FUNCTION window_funnel_trans(internal, interval, timestamptz, journey_stage, text) IS 'transition function of window_funnel with a mode';
COMMENT ON FUNCTION window_funnel_combine(internal, internal) IS 'combine function of window_funnel';
COMMENT ON FUNCTION window_funnel_serialize(internal) IS 'serialize function of window_funnel';
COMMENT ON FUNCTION window_funnel_deserialize(bytea, internal) IS 'deserialize function of window_funnel';
COMMENT ON FUNCTION window_funnel_final(internal) IS 'final function of window_funnel';
-- SSPACE = 8192 is what PostgreSQL assumes for an internal state anyway;
-- stated so it is not changed by accident (see journey_agg).
CREATE AGGREGATE window_funnel("window" interval, ts timestamptz, stage journey_stage) (
	SFUNC = window_funnel_trans, STYPE = internal, SSPACE = 8192,
	COMBINEFUNC = window_funnel_combine,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	FINALFUNC = window_funnel_final, FINALFUNC_MODIFY = SHAREABLE,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE window_funnel(interval, timestamptz, journey_stage) IS 'furthest stage reached in stage order, each step within the window of the chain''s first awareness event (ClickHouse windowFunnel)';
CREATE AGGREGATE window_funnel("window" interval, ts timestamptz, stage journey_stage, mode text) (
	SFUNC = window_funnel_trans, STYPE = internal, SSPACE = 8192,
	COMBINEFUNC = window_funnel_combine,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	FINALFUNC = window_funnel_final, FINALFUNC_MODIFY = SHAREABLE,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE window_funnel(interval, timestamptz, journey_stage, text) IS 'window_funnel with ClickHouse modes: strict_order, strict_deduplication, strict_increase, allow_reentry (with strict_order; comma-separated), or default';
