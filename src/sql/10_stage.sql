-- ---------------------------------------------------------------------------
-- journey_stage (README, "Journey stages")
-- ---------------------------------------------------------------------------

CREATE TYPE journey_stage;

CREATE FUNCTION journey_stage_in(cstring) RETURNS journey_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_stage_out(journey_stage) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_stage_recv(internal) RETURNS journey_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_stage_send(journey_stage) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE journey_stage (
	INPUT = journey_stage_in,
	OUTPUT = journey_stage_out,
	RECEIVE = journey_stage_recv,
	SEND = journey_stage_send,
	INTERNALLENGTH = 1,
	PASSEDBYVALUE,
	ALIGNMENT = char,
	STORAGE = plain
);
COMMENT ON TYPE journey_stage IS 'B2B buying-journey stage: awareness < consideration < evaluation < decision < purchase < retention < advocacy';

-- Comparison: a journey_stage is one unsigned byte, so the built-in "char"
-- functions compare and hash it exactly.
CREATE FUNCTION journey_stage_eq(journey_stage, journey_stage) RETURNS boolean
AS 'chareq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_ne(journey_stage, journey_stage) RETURNS boolean
AS 'charne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_lt(journey_stage, journey_stage) RETURNS boolean
AS 'charlt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_le(journey_stage, journey_stage) RETURNS boolean
AS 'charle' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_gt(journey_stage, journey_stage) RETURNS boolean
AS 'chargt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_ge(journey_stage, journey_stage) RETURNS boolean
AS 'charge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_cmp(journey_stage, journey_stage) RETURNS integer
AS 'btcharcmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_hash(journey_stage) RETURNS integer
AS 'hashchar' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_stage_hash_extended(journey_stage, bigint) RETURNS bigint
AS 'hashcharextended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION journey_stage_eq(journey_stage, journey_stage) IS 'implementation of = for journey_stage';
COMMENT ON FUNCTION journey_stage_ne(journey_stage, journey_stage) IS 'implementation of <> for journey_stage';
COMMENT ON FUNCTION journey_stage_lt(journey_stage, journey_stage) IS 'implementation of < for journey_stage';
COMMENT ON FUNCTION journey_stage_le(journey_stage, journey_stage) IS 'implementation of <= for journey_stage';
COMMENT ON FUNCTION journey_stage_gt(journey_stage, journey_stage) IS 'implementation of > for journey_stage';
COMMENT ON FUNCTION journey_stage_ge(journey_stage, journey_stage) IS 'implementation of >= for journey_stage';
COMMENT ON FUNCTION journey_stage_cmp(journey_stage, journey_stage) IS 'btree comparison of journey_stage';
COMMENT ON FUNCTION journey_stage_hash(journey_stage) IS 'hash of journey_stage';
COMMENT ON FUNCTION journey_stage_hash_extended(journey_stage, bigint) IS 'seeded 64-bit hash of journey_stage';
COMMENT ON FUNCTION journey_stage_in(cstring) IS 'text input of journey_stage';
COMMENT ON FUNCTION journey_stage_out(journey_stage) IS 'text output of journey_stage';
COMMENT ON FUNCTION journey_stage_recv(internal) IS 'binary input of journey_stage';
COMMENT ON FUNCTION journey_stage_send(journey_stage) IS 'binary output of journey_stage';

CREATE OPERATOR = (
	LEFTARG = journey_stage, RIGHTARG = journey_stage, PROCEDURE = journey_stage_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel,
	HASHES, MERGES
);
CREATE OPERATOR <> (
	LEFTARG = journey_stage, RIGHTARG = journey_stage, PROCEDURE = journey_stage_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
	LEFTARG = journey_stage, RIGHTARG = journey_stage, PROCEDURE = journey_stage_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
	LEFTARG = journey_stage, RIGHTARG = journey_stage, PROCEDURE = journey_stage_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
	LEFTARG = journey_stage, RIGHTARG = journey_stage, PROCEDURE = journey_stage_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
	LEFTARG = journey_stage, RIGHTARG = journey_stage, PROCEDURE = journey_stage_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS journey_stage_ops DEFAULT FOR TYPE journey_stage USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 journey_stage_cmp(journey_stage, journey_stage);
CREATE OPERATOR CLASS journey_stage_hash_ops DEFAULT FOR TYPE journey_stage USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 journey_stage_hash(journey_stage),
	FUNCTION 2 journey_stage_hash_extended(journey_stage, bigint);

-- Casts
CREATE FUNCTION journey_stage(integer) RETURNS journey_stage
AS 'MODULE_PATHNAME', 'journey_stage_from_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_ordinal(journey_stage) RETURNS integer
AS 'MODULE_PATHNAME', 'journey_stage_to_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION journey_stage(integer) IS 'journey stage with the given ordinal (1 = awareness … 7 = advocacy)';
COMMENT ON FUNCTION stage_ordinal(journey_stage) IS 'ordinal of a journey stage, 1 (awareness) to 7 (advocacy)';
CREATE CAST (integer AS journey_stage) WITH FUNCTION journey_stage(integer);
CREATE CAST (journey_stage AS integer) WITH FUNCTION stage_ordinal(journey_stage);
CREATE CAST (text AS journey_stage) WITH INOUT;
CREATE CAST (journey_stage AS text) WITH INOUT;

-- Arithmetic
CREATE FUNCTION journey_stage_pl_int4(journey_stage, integer) RETURNS journey_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_stage_mi_int4(journey_stage, integer) RETURNS journey_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_stage_mi(journey_stage, journey_stage) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION journey_stage_pl_int4(journey_stage, integer) IS 'stage n steps later (ERROR past advocacy)';
COMMENT ON FUNCTION journey_stage_mi_int4(journey_stage, integer) IS 'stage n steps earlier (ERROR before awareness)';
COMMENT ON FUNCTION journey_stage_mi(journey_stage, journey_stage) IS 'number of stages between two stages';
CREATE OPERATOR + (LEFTARG = journey_stage, RIGHTARG = integer, PROCEDURE = journey_stage_pl_int4);
CREATE OPERATOR - (LEFTARG = journey_stage, RIGHTARG = integer, PROCEDURE = journey_stage_mi_int4);
CREATE OPERATOR - (LEFTARG = journey_stage, RIGHTARG = journey_stage, PROCEDURE = journey_stage_mi);

CREATE FUNCTION next_stage(journey_stage) RETURNS journey_stage
AS 'MODULE_PATHNAME', 'journey_stage_next' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION previous_stage(journey_stage) RETURNS journey_stage
AS 'MODULE_PATHNAME', 'journey_stage_previous' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_phase(journey_stage) RETURNS text
AS 'MODULE_PATHNAME', 'journey_stage_phase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION next_stage(journey_stage) IS 'the following stage, NULL after advocacy';
COMMENT ON FUNCTION previous_stage(journey_stage) IS 'the preceding stage, NULL before awareness';
COMMENT ON FUNCTION stage_phase(journey_stage) IS 'pre-purchase, purchase or post-purchase';

CREATE FUNCTION journey_stages(OUT stage journey_stage, OUT ordinal integer, OUT phase text)
RETURNS SETOF record
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 7
SET search_path = pg_catalog, pg_temp
AS $$ SELECT @extschema@.journey_stage(i), i, @extschema@.stage_phase(@extschema@.journey_stage(i))
      FROM pg_catalog.generate_series(1, 7) AS i $$;
COMMENT ON FUNCTION journey_stages() IS 'every journey stage with its ordinal and phase, in order';

CREATE FUNCTION stage_from_hubspot(lifecyclestage text, strict boolean DEFAULT false)
RETURNS journey_stage
AS 'MODULE_PATHNAME', 'journey_stage_from_hubspot' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stage_from_hubspot(text, boolean) IS 'journey stage of a HubSpot lifecycle stage; NULL for "other" and (unless strict) unknown values';
CREATE FUNCTION stage_from_salesforce(stagename text, strict boolean DEFAULT false)
RETURNS journey_stage
AS 'MODULE_PATHNAME', 'journey_stage_from_salesforce' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stage_from_salesforce(text, boolean) IS 'journey stage of a Salesforce opportunity stage; NULL for Closed Lost and (unless strict) unknown values';

-- min / max (the only aggregates named like built-ins: doc/design.md §1)
CREATE FUNCTION journey_stage_larger(journey_stage, journey_stage) RETURNS journey_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_stage_smaller(journey_stage, journey_stage) RETURNS journey_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION journey_stage_larger(journey_stage, journey_stage) IS 'the later of two stages';
COMMENT ON FUNCTION journey_stage_smaller(journey_stage, journey_stage) IS 'the earlier of two stages';
CREATE AGGREGATE max(journey_stage) (
	SFUNC = journey_stage_larger, STYPE = journey_stage,
	COMBINEFUNC = journey_stage_larger, SORTOP = >, PARALLEL = SAFE
);
CREATE AGGREGATE min(journey_stage) (
	SFUNC = journey_stage_smaller, STYPE = journey_stage,
	COMBINEFUNC = journey_stage_smaller, SORTOP = <, PARALLEL = SAFE
);
COMMENT ON AGGREGATE max(journey_stage) IS 'furthest stage';
COMMENT ON AGGREGATE min(journey_stage) IS 'earliest stage';

