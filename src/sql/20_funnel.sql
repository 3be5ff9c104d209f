-- ---------------------------------------------------------------------------
-- funnel (README, "Funnels")
-- ---------------------------------------------------------------------------

CREATE TYPE funnel;
CREATE FUNCTION funnel_in(cstring) RETURNS funnel
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_out(funnel) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_recv(internal) RETURNS funnel
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_send(funnel) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE funnel (
	INPUT = funnel_in, OUTPUT = funnel_out,
	RECEIVE = funnel_recv, SEND = funnel_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE funnel IS 'stage funnel: how many entities reached each journey stage (text: JSON of reached counts)';
COMMENT ON FUNCTION funnel_in(cstring) IS 'text input of funnel';
COMMENT ON FUNCTION funnel_out(funnel) IS 'text output of funnel';
COMMENT ON FUNCTION funnel_recv(internal) IS 'binary input of funnel';
COMMENT ON FUNCTION funnel_send(funnel) IS 'binary output of funnel';

CREATE FUNCTION funnel_trans(funnel, journey_stage) RETURNS funnel
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_inv(funnel, journey_stage) RETURNS funnel
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_combine(funnel, funnel) RETURNS funnel
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION funnel_trans(funnel, journey_stage) IS 'transition function of funnel_agg';
COMMENT ON FUNCTION funnel_inv(funnel, journey_stage) IS 'inverse transition function of funnel_agg (moving windows)';
COMMENT ON FUNCTION funnel_combine(funnel, funnel) IS 'combine function of funnel_agg and rollup(funnel)';

CREATE AGGREGATE funnel_agg(journey_stage) (
	SFUNC = funnel_trans, STYPE = funnel,
	INITCOND = '{"awareness": 0, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}',
	COMBINEFUNC = funnel_combine,
	MSFUNC = funnel_trans, MINVFUNC = funnel_inv, MSTYPE = funnel,
	MINITCOND = '{"awareness": 0, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}',
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE funnel_agg(journey_stage) IS 'funnel of entities by furthest stage (one input row per entity)';

CREATE AGGREGATE rollup(funnel) (
	SFUNC = funnel_combine, STYPE = funnel,
	INITCOND = '{"awareness": 0, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}',
	COMBINEFUNC = funnel_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(funnel) IS 'merge stored funnels';

CREATE FUNCTION reached(funnel, journey_stage) RETURNS bigint
AS 'MODULE_PATHNAME', 'funnel_reached' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION reached(funnel, journey_stage) IS 'entities at or past the stage';
CREATE FUNCTION stopped_at(funnel, journey_stage) RETURNS bigint
AS 'MODULE_PATHNAME', 'funnel_stopped' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stopped_at(funnel, journey_stage) IS 'entities whose furthest stage is exactly this one';
CREATE FUNCTION entities(funnel) RETURNS bigint
AS 'MODULE_PATHNAME', 'funnel_total' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION entities(funnel) IS 'entities counted in the funnel';
CREATE FUNCTION conversion(funnel, from_stage journey_stage, to_stage journey_stage) RETURNS float8
AS 'MODULE_PATHNAME', 'funnel_conversion' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION conversion(funnel, journey_stage, journey_stage) IS 'share of entities reaching from_stage that also reached to_stage (NULL when none reached from_stage)';

CREATE FUNCTION funnel_report(f funnel,
	OUT stage journey_stage, OUT reached bigint, OUT stopped bigint,
	OUT share_of_top float8, OUT conversion float8, OUT drop_off float8)
RETURNS SETOF record
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 7
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT s.stage, r.n, @extschema@.stopped_at(f, s.stage),
	       r.n::float8 / NULLIF(@extschema@.entities(f), 0),
	       CASE WHEN s.ordinal > 1
	            THEN r.n::float8 / NULLIF(@extschema@.reached(f, s.stage OPERATOR(@extschema@.-) 1), 0) END,
	       CASE WHEN s.ordinal > 1
	            THEN 1 - r.n::float8 / NULLIF(@extschema@.reached(f, s.stage OPERATOR(@extschema@.-) 1), 0) END
	FROM @extschema@.journey_stages() AS s,
	     LATERAL (SELECT @extschema@.reached(f, s.stage) AS n) AS r
	ORDER BY s.ordinal
$$;
COMMENT ON FUNCTION funnel_report(funnel) IS 'one row per stage: reached, stopped there, share of the top, conversion from the previous stage, drop-off';

