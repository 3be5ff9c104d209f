-- b2btarget 1.0 install script, assembled by the Makefile from src/sql/*.sql.
\echo Use "CREATE EXTENSION b2btarget" to load this file. \quit

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
	OUT share_of_top float8, OUT conversion float8, OUT drop_off float8,
	OUT stage_ordinal integer)
RETURNS SETOF record
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 7
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT s.stage, r.n, @extschema@.stopped_at(f, s.stage),
	       r.n::float8 / NULLIF(@extschema@.entities(f), 0),
	       CASE WHEN s.ordinal > 1
	            THEN r.n::float8 / NULLIF(@extschema@.reached(f, s.stage OPERATOR(@extschema@.-) 1), 0) END,
	       CASE WHEN s.ordinal > 1
	            THEN 1 - r.n::float8 / NULLIF(@extschema@.reached(f, s.stage OPERATOR(@extschema@.-) 1), 0) END,
	       s.ordinal
	FROM @extschema@.journey_stages() AS s,
	     LATERAL (SELECT @extschema@.reached(f, s.stage) AS n) AS r
	ORDER BY s.ordinal
$$;
COMMENT ON FUNCTION funnel_report(funnel) IS 'one row per stage: reached, stopped there, share of the top, conversion from the previous stage, drop-off, and the stage ordinal (1-7) to sort by';

-- ---------------------------------------------------------------------------
-- propensity (README, "Propensity"): the scalar type.  Models and evaluation come later in
-- the file order (src/sql/4x_*.sql).
-- ---------------------------------------------------------------------------

-- A domain over float8 (issue 11): drivers and BI tools see a float8 in
-- result metadata and on the wire (8 bytes, OID 701), so psycopg, pgjdbc and
-- node-postgres read a number with the codecs they already have.  The CHECK
-- calls a C function so that a value outside [0, 1] or NaN gets the same
-- 22003 ERROR, message and HINT as every other b2btarget input instead of a
-- bare 23514 check_violation.  Operators, btree and hash classes, min/max
-- and the casts to and from numeric are float8's own.
--
-- Parameters that take a probability are declared float8, never propensity,
-- and checked in C (PG_GETARG_PROPENSITY): on PostgreSQL 15 a coercion to a
-- domain is parallel-restricted, so committee_agg(role, stage, p) over a
-- float8 column would otherwise lose its parallel plan.  A propensity
-- argument passes to them unchanged (a domain is binary-coercible to its base
-- type).  Results are declared propensity.
CREATE FUNCTION propensity_check(float8) RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION propensity_check(float8) IS 'domain check of propensity: true in [0, 1]; ERROR 22003 outside it and on NaN';
CREATE DOMAIN propensity AS float8
	CONSTRAINT propensity_range CHECK (@extschema@.propensity_check(VALUE));
COMMENT ON DOMAIN propensity IS 'probability of conversion in [0, 1] (a float8 domain: drivers see float8); propensity_from_text() also reads 73%';

-- propensity(x): the function-call spelling of x::propensity (a domain has
-- no function-style cast of its own).
CREATE FUNCTION propensity(float8) RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_from_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION propensity(float8) IS 'propensity of a probability (ERROR 22003 outside [0, 1] and on NaN); the same as ::propensity';
CREATE FUNCTION propensity_from_text(text) RETURNS propensity
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION propensity_from_text(text) IS 'propensity from text: a decimal (0.73) or a percentage (73%); ERROR outside [0, 1] and on NaN';

CREATE FUNCTION logit(p float8) RETURNS float8
AS 'MODULE_PATHNAME', 'propensity_logit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_from_logit(float8) RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_from_logit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odds(p float8) RETURNS float8
AS 'MODULE_PATHNAME', 'propensity_odds' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION any_of(p float8, q float8) RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_any_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION all_of(p float8, q float8) RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_all_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION logit(p float8) IS 'log-odds log(p / (1 - p)); -Infinity at 0, Infinity at 1';
COMMENT ON FUNCTION propensity_from_logit(float8) IS 'propensity 1 / (1 + exp(-x)) of a log-odds';
COMMENT ON FUNCTION odds(p float8) IS 'odds p / (1 - p); Infinity at 1';
COMMENT ON FUNCTION any_of(p float8, q float8) IS 'probability that at least one of two independent events happens: 1 - (1 - p)(1 - q)';
COMMENT ON FUNCTION all_of(p float8, q float8) IS 'probability that two independent events both happen: p * q';
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
COMMENT ON FUNCTION predict_support(internal) IS 'planner support of predict: inlines a constant model into its linear expression';
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

-- ---------------------------------------------------------------------------
-- Segments (doc/design.md §8): rfm, rfm_thresholds, segment, value tiers, NPS
-- ---------------------------------------------------------------------------

-- rfm: three scores 1..5, stored as the int2 R*100 + F*10 + M, so the
-- built-in int2 functions compare (R, then F, then M) and hash it exactly.
CREATE TYPE rfm;
CREATE FUNCTION rfm_in(cstring) RETURNS rfm
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_out(rfm) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_recv(internal) RETURNS rfm
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_send(rfm) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE rfm (
	INPUT = rfm_in, OUTPUT = rfm_out, RECEIVE = rfm_recv, SEND = rfm_send,
	INTERNALLENGTH = 2, PASSEDBYVALUE, ALIGNMENT = int2, STORAGE = plain
);
COMMENT ON TYPE rfm IS 'RFM cell: recency, frequency and monetary scores 1-5 (5 is best), text ''5-4-3''; ordered by R, then F, then M';
COMMENT ON FUNCTION rfm_in(cstring) IS 'text input of rfm (''5-4-3'' or ''543'')';
COMMENT ON FUNCTION rfm_out(rfm) IS 'text output of rfm';
COMMENT ON FUNCTION rfm_recv(internal) IS 'binary input of rfm';
COMMENT ON FUNCTION rfm_send(rfm) IS 'binary output of rfm';

CREATE FUNCTION rfm_eq(rfm, rfm) RETURNS boolean
AS 'int2eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_ne(rfm, rfm) RETURNS boolean
AS 'int2ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_lt(rfm, rfm) RETURNS boolean
AS 'int2lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_le(rfm, rfm) RETURNS boolean
AS 'int2le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_gt(rfm, rfm) RETURNS boolean
AS 'int2gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_ge(rfm, rfm) RETURNS boolean
AS 'int2ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_cmp(rfm, rfm) RETURNS integer
AS 'btint2cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION rfm_hash(rfm) RETURNS integer
AS 'hashint2' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_hash_extended(rfm, bigint) RETURNS bigint
AS 'hashint2extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_eq(rfm, rfm) IS 'implementation of = for rfm';
COMMENT ON FUNCTION rfm_ne(rfm, rfm) IS 'implementation of <> for rfm';
COMMENT ON FUNCTION rfm_lt(rfm, rfm) IS 'implementation of < for rfm';
COMMENT ON FUNCTION rfm_le(rfm, rfm) IS 'implementation of <= for rfm';
COMMENT ON FUNCTION rfm_gt(rfm, rfm) IS 'implementation of > for rfm';
COMMENT ON FUNCTION rfm_ge(rfm, rfm) IS 'implementation of >= for rfm';
COMMENT ON FUNCTION rfm_cmp(rfm, rfm) IS 'btree comparison of rfm (R, then F, then M)';
COMMENT ON FUNCTION rfm_hash(rfm) IS 'hash of rfm';
COMMENT ON FUNCTION rfm_hash_extended(rfm, bigint) IS 'seeded 64-bit hash of rfm';

CREATE OPERATOR = (
	LEFTARG = rfm, RIGHTARG = rfm, PROCEDURE = rfm_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel,
	HASHES, MERGES
);
CREATE OPERATOR <> (
	LEFTARG = rfm, RIGHTARG = rfm, PROCEDURE = rfm_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
	LEFTARG = rfm, RIGHTARG = rfm, PROCEDURE = rfm_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
	LEFTARG = rfm, RIGHTARG = rfm, PROCEDURE = rfm_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
	LEFTARG = rfm, RIGHTARG = rfm, PROCEDURE = rfm_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
	LEFTARG = rfm, RIGHTARG = rfm, PROCEDURE = rfm_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS rfm_ops DEFAULT FOR TYPE rfm USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 rfm_cmp(rfm, rfm);
CREATE OPERATOR CLASS rfm_hash_ops DEFAULT FOR TYPE rfm USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 rfm_hash(rfm),
	FUNCTION 2 rfm_hash_extended(rfm, bigint);

CREATE FUNCTION rfm(r integer, f integer, m integer) RETURNS rfm
AS 'MODULE_PATHNAME', 'rfm_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm(integer, integer, integer) IS 'rfm cell of three scores 1-5 (ERROR 22003 outside)';
CREATE FUNCTION r_score(rfm) RETURNS integer
AS 'MODULE_PATHNAME', 'rfm_r_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION f_score(rfm) RETURNS integer
AS 'MODULE_PATHNAME', 'rfm_f_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION m_score(rfm) RETURNS integer
AS 'MODULE_PATHNAME', 'rfm_m_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION r_score(rfm) IS 'recency score 1-5 (5 = most recent)';
COMMENT ON FUNCTION f_score(rfm) IS 'frequency score 1-5 (5 = most frequent)';
COMMENT ON FUNCTION m_score(rfm) IS 'monetary score 1-5 (5 = highest spend)';
CREATE CAST (text AS rfm) WITH INOUT;
CREATE CAST (rfm AS text) WITH INOUT;

-- rfm_thresholds: the quintile cut points of a population
CREATE TYPE rfm_thresholds;
CREATE FUNCTION rfm_thresholds_in(cstring) RETURNS rfm_thresholds
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_out(rfm_thresholds) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_recv(internal) RETURNS rfm_thresholds
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_send(rfm_thresholds) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE rfm_thresholds (
	INPUT = rfm_thresholds_in, OUTPUT = rfm_thresholds_out,
	RECEIVE = rfm_thresholds_recv, SEND = rfm_thresholds_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE rfm_thresholds IS 'RFM quintile cut points (20/40/60/80th percentiles of recency_days, frequency, monetary); text: JSON';
COMMENT ON FUNCTION rfm_thresholds_in(cstring) IS 'text input of rfm_thresholds (JSON)';
COMMENT ON FUNCTION rfm_thresholds_out(rfm_thresholds) IS 'text output of rfm_thresholds (JSON)';
COMMENT ON FUNCTION rfm_thresholds_recv(internal) IS 'binary input of rfm_thresholds';
COMMENT ON FUNCTION rfm_thresholds_send(rfm_thresholds) IS 'binary output of rfm_thresholds';

CREATE FUNCTION rfm_thresholds_trans(internal, float8, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_final(internal) RETURNS rfm_thresholds
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_thresholds_trans(internal, float8, float8, float8) IS 'transition function of rfm_thresholds_agg';
COMMENT ON FUNCTION rfm_thresholds_combine(internal, internal) IS 'combine function of rfm_thresholds_agg';
COMMENT ON FUNCTION rfm_thresholds_serialize(internal) IS 'serialize function of rfm_thresholds_agg';
COMMENT ON FUNCTION rfm_thresholds_deserialize(bytea, internal) IS 'deserialize function of rfm_thresholds_agg';
COMMENT ON FUNCTION rfm_thresholds_final(internal) IS 'final function of rfm_thresholds_agg';

CREATE AGGREGATE rfm_thresholds_agg(recency_days float8, frequency float8, monetary float8) (
	SFUNC = rfm_thresholds_trans, STYPE = internal,
	FINALFUNC = rfm_thresholds_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = rfm_thresholds_combine,
	SERIALFUNC = rfm_thresholds_serialize, DESERIALFUNC = rfm_thresholds_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rfm_thresholds_agg(float8, float8, float8) IS 'RFM quintile cut points of a population (as percentile_cont); NULLs skipped per dimension; ERROR on NaN/Infinity';

CREATE FUNCTION rfm_score(thresholds rfm_thresholds, recency_days float8, frequency float8, monetary float8)
RETURNS rfm
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score(rfm_thresholds, float8, float8, float8) IS 'rfm cell of a customer: each score is 1 + the cut points strictly below the value (recency inverted)';

CREATE FUNCTION rfm_cut_point(thresholds rfm_thresholds, dimension text, percentile integer) RETURNS float8
AS 'MODULE_PATHNAME', 'rfm_thresholds_cut_point' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_cut_point(rfm_thresholds, text, integer) IS 'stored cut point of a dimension (recency_days, frequency, monetary) at percentile 20, 40, 60 or 80';
CREATE FUNCTION rfm_customers(thresholds rfm_thresholds, dimension text) RETURNS bigint
AS 'MODULE_PATHNAME', 'rfm_thresholds_customers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_customers(rfm_thresholds, text) IS 'number of values the cut points of a dimension were computed from';

CREATE FUNCTION rfm_cut_points(thresholds rfm_thresholds,
	OUT dimension text, OUT customers bigint,
	OUT p20 float8, OUT p40 float8, OUT p60 float8, OUT p80 float8)
RETURNS SETOF record
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 3
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT d.dim, @extschema@.rfm_customers(thresholds, d.dim),
	       @extschema@.rfm_cut_point(thresholds, d.dim, 20),
	       @extschema@.rfm_cut_point(thresholds, d.dim, 40),
	       @extschema@.rfm_cut_point(thresholds, d.dim, 60),
	       @extschema@.rfm_cut_point(thresholds, d.dim, 80)
	FROM (VALUES (1, 'recency_days'), (2, 'frequency'), (3, 'monetary')) AS d(i, dim)
	ORDER BY d.i
$$;
COMMENT ON FUNCTION rfm_cut_points(rfm_thresholds) IS 'one row per dimension: values counted and the four cut points';

-- segment: the ten named segments, one byte holding the rank 1..10 in
-- business-value order (champions first); "char" functions compare it.
CREATE TYPE segment;
CREATE FUNCTION segment_in(cstring) RETURNS segment
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION segment_out(segment) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION segment_recv(internal) RETURNS segment
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION segment_send(segment) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE segment (
	INPUT = segment_in, OUTPUT = segment_out, RECEIVE = segment_recv, SEND = segment_send,
	INTERNALLENGTH = 1, PASSEDBYVALUE, ALIGNMENT = char, STORAGE = plain
);
COMMENT ON TYPE segment IS 'RFM customer segment, ordered by value to the business: champions < loyal_customers < … < hibernating';
COMMENT ON FUNCTION segment_in(cstring) IS 'text input of segment';
COMMENT ON FUNCTION segment_out(segment) IS 'text output of segment';
COMMENT ON FUNCTION segment_recv(internal) IS 'binary input of segment';
COMMENT ON FUNCTION segment_send(segment) IS 'binary output of segment';

CREATE FUNCTION segment_eq(segment, segment) RETURNS boolean
AS 'chareq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION segment_ne(segment, segment) RETURNS boolean
AS 'charne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION segment_lt(segment, segment) RETURNS boolean
AS 'charlt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION segment_le(segment, segment) RETURNS boolean
AS 'charle' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION segment_gt(segment, segment) RETURNS boolean
AS 'chargt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION segment_ge(segment, segment) RETURNS boolean
AS 'charge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION segment_cmp(segment, segment) RETURNS integer
AS 'btcharcmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION segment_hash(segment) RETURNS integer
AS 'hashchar' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION segment_hash_extended(segment, bigint) RETURNS bigint
AS 'hashcharextended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION segment_eq(segment, segment) IS 'implementation of = for segment';
COMMENT ON FUNCTION segment_ne(segment, segment) IS 'implementation of <> for segment';
COMMENT ON FUNCTION segment_lt(segment, segment) IS 'implementation of < for segment';
COMMENT ON FUNCTION segment_le(segment, segment) IS 'implementation of <= for segment';
COMMENT ON FUNCTION segment_gt(segment, segment) IS 'implementation of > for segment';
COMMENT ON FUNCTION segment_ge(segment, segment) IS 'implementation of >= for segment';
COMMENT ON FUNCTION segment_cmp(segment, segment) IS 'btree comparison of segment (business-value order)';
COMMENT ON FUNCTION segment_hash(segment) IS 'hash of segment';
COMMENT ON FUNCTION segment_hash_extended(segment, bigint) IS 'seeded 64-bit hash of segment';

CREATE OPERATOR = (
	LEFTARG = segment, RIGHTARG = segment, PROCEDURE = segment_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel,
	HASHES, MERGES
);
CREATE OPERATOR <> (
	LEFTARG = segment, RIGHTARG = segment, PROCEDURE = segment_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
	LEFTARG = segment, RIGHTARG = segment, PROCEDURE = segment_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
	LEFTARG = segment, RIGHTARG = segment, PROCEDURE = segment_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
	LEFTARG = segment, RIGHTARG = segment, PROCEDURE = segment_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
	LEFTARG = segment, RIGHTARG = segment, PROCEDURE = segment_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS segment_ops DEFAULT FOR TYPE segment USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 segment_cmp(segment, segment);
CREATE OPERATOR CLASS segment_hash_ops DEFAULT FOR TYPE segment USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 segment_hash(segment),
	FUNCTION 2 segment_hash_extended(segment, bigint);

CREATE FUNCTION segment(rfm) RETURNS segment
AS 'MODULE_PATHNAME', 'segment_from_rfm' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION segment(rfm) IS 'named segment of an rfm cell (from its R and F scores)';
CREATE CAST (rfm AS segment) WITH FUNCTION segment(rfm);
CREATE FUNCTION segment(integer) RETURNS segment
AS 'MODULE_PATHNAME', 'segment_from_rank' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION segment(integer) IS 'segment of the given rank (1 = champions … 10 = hibernating)';
CREATE FUNCTION segment_rank(segment) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION segment_rank(segment) IS 'rank of a segment in business-value order, 1 (champions) to 10 (hibernating)';
CREATE CAST (integer AS segment) WITH FUNCTION segment(integer);
CREATE CAST (segment AS integer) WITH FUNCTION segment_rank(segment);
CREATE CAST (text AS segment) WITH INOUT;
CREATE CAST (segment AS text) WITH INOUT;
CREATE FUNCTION segment_action(segment) RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION segment_action(segment) IS 'one-line recommended treatment of the segment';

CREATE FUNCTION segment_r_min(segment) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION segment_r_max(segment) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION segment_f_min(segment) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION segment_f_max(segment) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION segment_r_min(segment) IS 'lowest R score of the segment''s rule';
COMMENT ON FUNCTION segment_r_max(segment) IS 'highest R score of the segment''s rule';
COMMENT ON FUNCTION segment_f_min(segment) IS 'lowest F score of the segment''s rule';
COMMENT ON FUNCTION segment_f_max(segment) IS 'highest F score of the segment''s rule';

CREATE FUNCTION segments(OUT segment segment, OUT rank integer,
	OUT r_min integer, OUT r_max integer, OUT f_min integer, OUT f_max integer,
	OUT action text)
RETURNS SETOF record
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 10
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT s, i, @extschema@.segment_r_min(s), @extschema@.segment_r_max(s),
	       @extschema@.segment_f_min(s), @extschema@.segment_f_max(s),
	       @extschema@.segment_action(s)
	FROM pg_catalog.generate_series(1, 10) AS i,
	     LATERAL (SELECT @extschema@.segment(i) AS s) AS x
	ORDER BY i
$$;
COMMENT ON FUNCTION segments() IS 'every segment in business-value order with its R and F score ranges and recommended action';

-- value tiers: A/B/C by cumulative share of value
CREATE TYPE value_tiers;
CREATE FUNCTION value_tiers_in(cstring) RETURNS value_tiers
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION value_tiers_out(value_tiers) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION value_tiers_recv(internal) RETURNS value_tiers
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION value_tiers_send(value_tiers) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE value_tiers (
	INPUT = value_tiers_in, OUTPUT = value_tiers_out,
	RECEIVE = value_tiers_recv, SEND = value_tiers_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE value_tiers IS 'A/B/C value tiers (A: first 80% of value, B: next 15%, C: rest): cut points and per-tier customers and value; text: JSON';
COMMENT ON FUNCTION value_tiers_in(cstring) IS 'text input of value_tiers (JSON)';
COMMENT ON FUNCTION value_tiers_out(value_tiers) IS 'text output of value_tiers (JSON)';
COMMENT ON FUNCTION value_tiers_recv(internal) IS 'binary input of value_tiers';
COMMENT ON FUNCTION value_tiers_send(value_tiers) IS 'binary output of value_tiers';

CREATE FUNCTION value_tier_trans(internal, float8) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION value_tier_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION value_tier_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION value_tier_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION value_tier_final(internal) RETURNS value_tiers
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION value_tier_trans(internal, float8) IS 'transition function of value_tier_agg';
COMMENT ON FUNCTION value_tier_combine(internal, internal) IS 'combine function of value_tier_agg';
COMMENT ON FUNCTION value_tier_serialize(internal) IS 'serialize function of value_tier_agg';
COMMENT ON FUNCTION value_tier_deserialize(bytea, internal) IS 'deserialize function of value_tier_agg';
COMMENT ON FUNCTION value_tier_final(internal) IS 'final function of value_tier_agg';

CREATE AGGREGATE value_tier_agg(customer_value float8) (
	SFUNC = value_tier_trans, STYPE = internal,
	FINALFUNC = value_tier_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = value_tier_combine,
	SERIALFUNC = value_tier_serialize, DESERIALFUNC = value_tier_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE value_tier_agg(float8) IS 'A/B/C value tiers of customers by cumulative share of value (one row per customer); NULL without value; ERROR on negative, NaN, Infinity';

CREATE FUNCTION value_tier(tiers value_tiers, customer_value float8) RETURNS text
AS 'MODULE_PATHNAME', 'value_tier_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION value_tier(value_tiers, float8) IS 'A, B or C: the tier of a customer of this value (ERROR 22023 when negative)';
CREATE FUNCTION tier_min_value(tiers value_tiers, tier text) RETURNS float8
AS 'MODULE_PATHNAME', 'value_tiers_cut' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tier_min_value(value_tiers, text) IS 'smallest customer value in the tier (its cut point; 0 for C)';
CREATE FUNCTION tier_customers(tiers value_tiers, tier text) RETURNS bigint
AS 'MODULE_PATHNAME', 'value_tiers_customers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tier_customers(value_tiers, text) IS 'customers of the aggregated population in the tier';
CREATE FUNCTION tier_value(tiers value_tiers, tier text) RETURNS float8
AS 'MODULE_PATHNAME', 'value_tiers_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tier_value(value_tiers, text) IS 'total value of the tier''s customers in the aggregated population';

CREATE FUNCTION value_tier_report(tiers value_tiers,
	OUT tier text, OUT min_value float8, OUT customers bigint,
	OUT share_of_customers float8, OUT value float8, OUT share_of_value float8,
	OUT tier_ordinal integer)
RETURNS SETOF record
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 3
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT t, @extschema@.tier_min_value(tiers, t),
	       @extschema@.tier_customers(tiers, t),
	       @extschema@.tier_customers(tiers, t)::float8
	         / (@extschema@.tier_customers(tiers, 'A') + @extschema@.tier_customers(tiers, 'B')
	            + @extschema@.tier_customers(tiers, 'C')),
	       @extschema@.tier_value(tiers, t),
	       @extschema@.tier_value(tiers, t)
	         / (@extschema@.tier_value(tiers, 'A') + @extschema@.tier_value(tiers, 'B')
	            + @extschema@.tier_value(tiers, 'C')),
	       o
	FROM (VALUES ('A', 1), ('B', 2), ('C', 3)) AS v(t, o)
	ORDER BY o
$$;
COMMENT ON FUNCTION value_tier_report(value_tiers) IS 'one row per tier: smallest value, customers, their share, value, its share, and the tier ordinal (1 = A) to sort by';

-- Net Promoter Score
CREATE FUNCTION nps_category(score integer) RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_category(integer) IS 'promoter (9-10), passive (7-8) or detractor (0-6); ERROR 22003 outside 0-10';

CREATE FUNCTION nps_trans(bigint[], integer) RETURNS bigint[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_inv(bigint[], integer) RETURNS bigint[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_combine(bigint[], bigint[]) RETURNS bigint[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_final(bigint[]) RETURNS float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_trans(bigint[], integer) IS 'transition function of nps_agg (state: {promoters, passives, detractors})';
COMMENT ON FUNCTION nps_inv(bigint[], integer) IS 'inverse transition function of nps_agg (moving windows)';
COMMENT ON FUNCTION nps_combine(bigint[], bigint[]) IS 'combine function of nps_agg';
COMMENT ON FUNCTION nps_final(bigint[]) IS 'final function of nps_agg: 100 * (promoters - detractors) / answers';

CREATE AGGREGATE nps_agg(score integer) (
	SFUNC = nps_trans, STYPE = bigint[], INITCOND = '{0,0,0}',
	FINALFUNC = nps_final,
	COMBINEFUNC = nps_combine,
	MSFUNC = nps_trans, MINVFUNC = nps_inv, MSTYPE = bigint[], MINITCOND = '{0,0,0}',
	MFINALFUNC = nps_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps_agg(integer) IS 'Net Promoter Score, -100 to 100: % promoters (9-10) minus % detractors (0-6); NULL without answers';
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
-- ---------------------------------------------------------------------------
-- repeat purchase: customer_summary_agg, BG/NBD, Gamma-Gamma, CLV (doc/design.md §7)
-- ---------------------------------------------------------------------------

-- customer_summary_agg(ts, amount, observation_end): lifetimes' summary in days
CREATE TYPE customer_summary AS (
	frequency integer,
	recency integer,
	t integer,
	monetary_value float8,
	first_purchase timestamptz,
	last_purchase timestamptz,
	total float8,
	orders bigint
);
COMMENT ON TYPE customer_summary IS 'one customer''s orders as lifetimes summarises them, in days: frequency (repeat purchase days), recency, t (age), monetary_value (mean repeat-day total), first/last purchase, total, orders';

CREATE FUNCTION customer_summary_trans(internal, timestamptz, numeric, timestamptz) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION customer_summary_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION customer_summary_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_final(internal) RETURNS customer_summary
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION customer_summary_trans(internal, timestamptz, numeric, timestamptz, text) RETURNS internal
AS 'MODULE_PATHNAME', 'customer_summary_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_trans(internal, timestamptz, numeric, timestamptz) IS 'transition function of customer_summary_agg';
COMMENT ON FUNCTION customer_summary_trans(internal, timestamptz, numeric, timestamptz, text) IS 'transition function of customer_summary_agg with a time zone';
COMMENT ON FUNCTION customer_summary_combine(internal, internal) IS 'combine function of customer_summary_agg';
COMMENT ON FUNCTION customer_summary_serialize(internal) IS 'serialize function of customer_summary_agg';
COMMENT ON FUNCTION customer_summary_deserialize(bytea, internal) IS 'deserialize function of customer_summary_agg';
COMMENT ON FUNCTION customer_summary_final(internal) IS 'final function of customer_summary_agg';

CREATE AGGREGATE customer_summary_agg(ts timestamptz, amount numeric, observation_end timestamptz) (
	SFUNC = customer_summary_trans, STYPE = internal,
	FINALFUNC = customer_summary_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = customer_summary_combine,
	SERIALFUNC = customer_summary_serialize, DESERIALFUNC = customer_summary_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE customer_summary_agg(timestamptz, numeric, timestamptz) IS 'one customer''s orders summarised as lifetimes'' summary_data_from_transaction_data (days in the session time zone; orders after observation_end''s day left out; NULL when none)';
-- The same with the zone days are counted in named (e.g. 'UTC'), so the
-- result does not depend on the client's TimeZone setting.
CREATE AGGREGATE customer_summary_agg(ts timestamptz, amount numeric, observation_end timestamptz, time_zone text) (
	SFUNC = customer_summary_trans, STYPE = internal,
	FINALFUNC = customer_summary_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = customer_summary_combine,
	SERIALFUNC = customer_summary_serialize, DESERIALFUNC = customer_summary_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE customer_summary_agg(timestamptz, numeric, timestamptz, text) IS 'customer_summary_agg with days counted in the named time zone (a pg_timezone_names name such as UTC), whatever the session TimeZone';

-- the model types
CREATE TYPE bgnbd_model;
CREATE FUNCTION bgnbd_model_in(cstring) RETURNS bgnbd_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_out(bgnbd_model) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_recv(internal) RETURNS bgnbd_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_send(bgnbd_model) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE bgnbd_model (
	INPUT = bgnbd_model_in, OUTPUT = bgnbd_model_out,
	RECEIVE = bgnbd_model_recv, SEND = bgnbd_model_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE bgnbd_model IS 'fitted BG/NBD repeat-purchase model (text: JSON with r, alpha, a, b and fit diagnostics)';
COMMENT ON FUNCTION bgnbd_model_in(cstring) IS 'text input of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_out(bgnbd_model) IS 'text output of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_recv(internal) IS 'binary input of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_send(bgnbd_model) IS 'binary output of bgnbd_model';

CREATE TYPE gamma_gamma_model;
CREATE FUNCTION gamma_gamma_model_in(cstring) RETURNS gamma_gamma_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_out(gamma_gamma_model) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_recv(internal) RETURNS gamma_gamma_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_send(gamma_gamma_model) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE gamma_gamma_model (
	INPUT = gamma_gamma_model_in, OUTPUT = gamma_gamma_model_out,
	RECEIVE = gamma_gamma_model_recv, SEND = gamma_gamma_model_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE gamma_gamma_model IS 'fitted Gamma-Gamma spend model (text: JSON with p, q, v and fit diagnostics)';
COMMENT ON FUNCTION gamma_gamma_model_in(cstring) IS 'text input of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_out(gamma_gamma_model) IS 'text output of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_recv(internal) IS 'binary input of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_send(gamma_gamma_model) IS 'binary output of gamma_gamma_model';

-- the fits: distinct histories with counts, maximum likelihood in the final function
CREATE FUNCTION bgnbd_fit_trans(internal, float8, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_trans(internal, float8, float8, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'bgnbd_fit_trans_l2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_trans(internal, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_trans(internal, float8, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'gamma_gamma_fit_trans_l2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION repeat_fit_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION repeat_fit_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION repeat_fit_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_final(internal) RETURNS bgnbd_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_final(internal) RETURNS gamma_gamma_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_fit_trans(internal, float8, float8, float8) IS 'transition function of bgnbd_fit';
COMMENT ON FUNCTION bgnbd_fit_trans(internal, float8, float8, float8, float8) IS 'transition function of bgnbd_fit with an l2 penalty';
COMMENT ON FUNCTION gamma_gamma_fit_trans(internal, float8, float8) IS 'transition function of gamma_gamma_fit';
COMMENT ON FUNCTION gamma_gamma_fit_trans(internal, float8, float8, float8) IS 'transition function of gamma_gamma_fit with an l2 penalty';
COMMENT ON FUNCTION repeat_fit_combine(internal, internal) IS 'combine function of bgnbd_fit and gamma_gamma_fit';
COMMENT ON FUNCTION repeat_fit_serialize(internal) IS 'serialize function of bgnbd_fit and gamma_gamma_fit';
COMMENT ON FUNCTION repeat_fit_deserialize(bytea, internal) IS 'deserialize function of bgnbd_fit and gamma_gamma_fit';
COMMENT ON FUNCTION bgnbd_fit_final(internal) IS 'final function of bgnbd_fit: maximum-likelihood fit';
COMMENT ON FUNCTION gamma_gamma_fit_final(internal) IS 'final function of gamma_gamma_fit: maximum-likelihood fit';

CREATE AGGREGATE bgnbd_fit(frequency float8, recency float8, t float8) (
	SFUNC = bgnbd_fit_trans, STYPE = internal,
	FINALFUNC = bgnbd_fit_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = repeat_fit_combine,
	SERIALFUNC = repeat_fit_serialize, DESERIALFUNC = repeat_fit_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgnbd_fit(float8, float8, float8) IS 'maximum-likelihood BG/NBD fit, one row per customer (frequency, recency, T in one time unit)';
CREATE AGGREGATE bgnbd_fit(frequency float8, recency float8, t float8, l2 float8) (
	SFUNC = bgnbd_fit_trans, STYPE = internal,
	FINALFUNC = bgnbd_fit_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = repeat_fit_combine,
	SERIALFUNC = repeat_fit_serialize, DESERIALFUNC = repeat_fit_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgnbd_fit(float8, float8, float8, float8) IS 'BG/NBD fit with an l2 penalty on the parameters (lifetimes'' penalizer_coef)';

CREATE AGGREGATE gamma_gamma_fit(frequency float8, monetary float8) (
	SFUNC = gamma_gamma_fit_trans, STYPE = internal,
	FINALFUNC = gamma_gamma_fit_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = repeat_fit_combine,
	SERIALFUNC = repeat_fit_serialize, DESERIALFUNC = repeat_fit_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE gamma_gamma_fit(float8, float8) IS 'maximum-likelihood Gamma-Gamma spend fit (customers with frequency > 0; the others are skipped)';
CREATE AGGREGATE gamma_gamma_fit(frequency float8, monetary float8, l2 float8) (
	SFUNC = gamma_gamma_fit_trans, STYPE = internal,
	FINALFUNC = gamma_gamma_fit_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = repeat_fit_combine,
	SERIALFUNC = repeat_fit_serialize, DESERIALFUNC = repeat_fit_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE gamma_gamma_fit(float8, float8, float8) IS 'Gamma-Gamma fit with an l2 penalty on the parameters (lifetimes'' penalizer_coef)';

-- accessors and predictions
CREATE FUNCTION bgnbd_params(model bgnbd_model,
	OUT r float8, OUT alpha float8, OUT a float8, OUT b float8,
	OUT log_likelihood float8, OUT customers bigint, OUT skipped bigint,
	OUT iterations integer, OUT converged boolean, OUT l2 float8)
AS 'MODULE_PATHNAME', 'bgnbd_model_params' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_params(bgnbd_model) IS 'parameters and fit diagnostics of a BG/NBD model';

CREATE FUNCTION gamma_gamma_params(model gamma_gamma_model,
	OUT p float8, OUT q float8, OUT v float8,
	OUT log_likelihood float8, OUT customers bigint, OUT skipped bigint,
	OUT iterations integer, OUT converged boolean, OUT l2 float8)
AS 'MODULE_PATHNAME', 'gamma_gamma_model_params' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_params(gamma_gamma_model) IS 'parameters and fit diagnostics of a Gamma-Gamma model';

CREATE FUNCTION p_alive(model bgnbd_model, frequency float8, recency float8, t float8) RETURNS propensity
AS 'MODULE_PATHNAME', 'bgnbd_p_alive_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION p_alive(bgnbd_model, float8, float8, float8) IS 'probability that the customer is still active (1 with no repeat purchase)';

CREATE FUNCTION expected_purchases(model bgnbd_model, horizon float8, frequency float8, recency float8, t float8) RETURNS float8
AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases(bgnbd_model, float8, float8, float8, float8) IS 'expected repeat purchases of this customer in the next horizon (BG/NBD eq. 10)';

CREATE FUNCTION expected_purchases_new(model bgnbd_model, horizon float8) RETURNS float8
AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases_new(bgnbd_model, float8) IS 'expected repeat purchases of a newly acquired customer within horizon (BG/NBD eq. 9)';

CREATE FUNCTION prob_purchases(model bgnbd_model, n integer, horizon float8) RETURNS float8
AS 'MODULE_PATHNAME', 'bgnbd_prob_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION prob_purchases(bgnbd_model, integer, float8) IS 'probability that a newly acquired customer makes exactly n repeat purchases within horizon (BG/NBD eq. 8)';

CREATE FUNCTION expected_spend(model gamma_gamma_model, frequency float8, monetary float8) RETURNS float8
AS 'MODULE_PATHNAME', 'gamma_gamma_expected_spend' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_spend(gamma_gamma_model, float8, float8) IS 'expected spend per purchase given the customer''s repeat purchases and their mean spend';

CREATE FUNCTION clv(transactions bgnbd_model, spend gamma_gamma_model,
	frequency float8, recency float8, t float8, monetary float8,
	months integer, monthly_discount float8, time_unit text DEFAULT 'days') RETURNS float8
AS 'MODULE_PATHNAME', 'bgnbd_clv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION clv(bgnbd_model, gamma_gamma_model, float8, float8, float8, float8, integer, float8, text) IS 'customer lifetime value over the next months, discounted monthly (lifetimes'' customer_lifetime_value)';
-- ---------------------------------------------------------------------------
-- buying_role and the buying committee (README, "Buying committee")
-- ---------------------------------------------------------------------------

CREATE TYPE buying_role;

CREATE FUNCTION buying_role_in(cstring) RETURNS buying_role
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION buying_role_out(buying_role) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION buying_role_recv(internal) RETURNS buying_role
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION buying_role_send(buying_role) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE buying_role (
	INPUT = buying_role_in,
	OUTPUT = buying_role_out,
	RECEIVE = buying_role_recv,
	SEND = buying_role_send,
	INTERNALLENGTH = 1,
	PASSEDBYVALUE,
	ALIGNMENT = char,
	STORAGE = plain
);
COMMENT ON TYPE buying_role IS 'role of a contact in a B2B buying committee: decision_maker, economic_buyer, executive_sponsor, champion, technical_evaluator, influencer, end_user, procurement, legal, blocker, other (input also takes HubSpot and Salesforce role names)';
COMMENT ON FUNCTION buying_role_in(cstring) IS 'text input of buying_role (names and CRM aliases, case-insensitive)';
COMMENT ON FUNCTION buying_role_out(buying_role) IS 'text output of buying_role';
COMMENT ON FUNCTION buying_role_recv(internal) IS 'binary input of buying_role';
COMMENT ON FUNCTION buying_role_send(buying_role) IS 'binary output of buying_role';

-- Comparison: a buying_role is one unsigned byte (the ordinal), so the
-- built-in "char" functions compare and hash it exactly.
CREATE FUNCTION buying_role_eq(buying_role, buying_role) RETURNS boolean
AS 'chareq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION buying_role_ne(buying_role, buying_role) RETURNS boolean
AS 'charne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION buying_role_lt(buying_role, buying_role) RETURNS boolean
AS 'charlt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION buying_role_le(buying_role, buying_role) RETURNS boolean
AS 'charle' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION buying_role_gt(buying_role, buying_role) RETURNS boolean
AS 'chargt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION buying_role_ge(buying_role, buying_role) RETURNS boolean
AS 'charge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION buying_role_cmp(buying_role, buying_role) RETURNS integer
AS 'btcharcmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION buying_role_hash(buying_role) RETURNS integer
AS 'hashchar' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION buying_role_hash_extended(buying_role, bigint) RETURNS bigint
AS 'hashcharextended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION buying_role_eq(buying_role, buying_role) IS 'implementation of = for buying_role';
COMMENT ON FUNCTION buying_role_ne(buying_role, buying_role) IS 'implementation of <> for buying_role';
COMMENT ON FUNCTION buying_role_lt(buying_role, buying_role) IS 'implementation of < for buying_role';
COMMENT ON FUNCTION buying_role_le(buying_role, buying_role) IS 'implementation of <= for buying_role';
COMMENT ON FUNCTION buying_role_gt(buying_role, buying_role) IS 'implementation of > for buying_role';
COMMENT ON FUNCTION buying_role_ge(buying_role, buying_role) IS 'implementation of >= for buying_role';
COMMENT ON FUNCTION buying_role_cmp(buying_role, buying_role) IS 'btree comparison of buying_role';
COMMENT ON FUNCTION buying_role_hash(buying_role) IS 'hash of buying_role';
COMMENT ON FUNCTION buying_role_hash_extended(buying_role, bigint) IS 'seeded 64-bit hash of buying_role';

CREATE OPERATOR = (
	LEFTARG = buying_role, RIGHTARG = buying_role, PROCEDURE = buying_role_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel,
	HASHES, MERGES
);
CREATE OPERATOR <> (
	LEFTARG = buying_role, RIGHTARG = buying_role, PROCEDURE = buying_role_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
	LEFTARG = buying_role, RIGHTARG = buying_role, PROCEDURE = buying_role_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
	LEFTARG = buying_role, RIGHTARG = buying_role, PROCEDURE = buying_role_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
	LEFTARG = buying_role, RIGHTARG = buying_role, PROCEDURE = buying_role_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
	LEFTARG = buying_role, RIGHTARG = buying_role, PROCEDURE = buying_role_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS buying_role_ops DEFAULT FOR TYPE buying_role USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 buying_role_cmp(buying_role, buying_role);
CREATE OPERATOR CLASS buying_role_hash_ops DEFAULT FOR TYPE buying_role USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 buying_role_hash(buying_role),
	FUNCTION 2 buying_role_hash_extended(buying_role, bigint);

CREATE FUNCTION buying_role(integer) RETURNS buying_role
AS 'MODULE_PATHNAME', 'buying_role_from_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION role_ordinal(buying_role) RETURNS integer
AS 'MODULE_PATHNAME', 'buying_role_to_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION buying_role(integer) IS 'buying role with the given ordinal (1 = decision_maker … 11 = other)';
COMMENT ON FUNCTION role_ordinal(buying_role) IS 'ordinal of a buying role, 1 (decision_maker) to 11 (other)';
CREATE CAST (integer AS buying_role) WITH FUNCTION buying_role(integer);
CREATE CAST (buying_role AS integer) WITH FUNCTION role_ordinal(buying_role);
CREATE CAST (text AS buying_role) WITH INOUT;
CREATE CAST (buying_role AS text) WITH INOUT;

CREATE FUNCTION buying_roles(OUT role buying_role, OUT ordinal integer)
RETURNS SETOF record
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 11
SET search_path = pg_catalog, pg_temp
AS $$ SELECT @extschema@.buying_role(i), i FROM pg_catalog.generate_series(1, 11) AS i $$;
COMMENT ON FUNCTION buying_roles() IS 'every buying role with its ordinal, in order';

CREATE FUNCTION buying_role_alias_list() RETURNS text[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION buying_role_alias_list() IS 'every spelling buying_role input accepts, folded (used by buying_role_aliases)';
CREATE FUNCTION buying_role_aliases(OUT alias text, OUT role buying_role)
RETURNS SETOF record
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 40
SET search_path = pg_catalog, pg_temp
AS $$ SELECT a, a::@extschema@.buying_role FROM pg_catalog.unnest(@extschema@.buying_role_alias_list()) AS a $$;
COMMENT ON FUNCTION buying_role_aliases() IS 'every accepted role spelling (lower case, separators and "and" removed before matching) and the role it maps to';

-- ---------------------------------------------------------------------------
-- committee
-- ---------------------------------------------------------------------------

CREATE TYPE committee;
CREATE FUNCTION committee_in(cstring) RETURNS committee
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION committee_out(committee) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION committee_recv(internal) RETURNS committee
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION committee_send(committee) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE committee (
	INPUT = committee_in, OUTPUT = committee_out,
	RECEIVE = committee_recv, SEND = committee_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE committee IS 'buying committee summary: members, roles, journey stages and propensities as counts and sums (300 bytes whatever the size; text: JSON)';
COMMENT ON FUNCTION committee_in(cstring) IS 'text input of committee (JSON)';
COMMENT ON FUNCTION committee_out(committee) IS 'text output of committee (JSON)';
COMMENT ON FUNCTION committee_recv(internal) IS 'binary input of committee';
COMMENT ON FUNCTION committee_send(committee) IS 'binary output of committee';

CREATE FUNCTION committee_trans(committee, buying_role, journey_stage, float8) RETURNS committee
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION committee_trans(committee, buying_role, journey_stage, float8, float8) RETURNS committee
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- COST 100: a combine validates the incoming state (every count and sum),
-- which is what the planner should weigh when partial aggregation would not
-- reduce the groups (a million accounts of ten members split over workers).
CREATE FUNCTION committee_combine(committee, committee) RETURNS committee
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION committee_trans(committee, buying_role, journey_stage, float8) IS 'transition function of committee_agg (weight 1)';
COMMENT ON FUNCTION committee_trans(committee, buying_role, journey_stage, float8, float8) IS 'transition function of committee_agg';
COMMENT ON FUNCTION committee_combine(committee, committee) IS 'combine function of committee_agg and rollup(committee)';

CREATE AGGREGATE committee_agg(role buying_role, stage journey_stage, p float8) (
	SFUNC = committee_trans, STYPE = committee, SSPACE = 304,
	INITCOND = '{"version": 1, "members": 0, "roles": {}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}',
	COMBINEFUNC = committee_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE committee_agg(buying_role, journey_stage, float8) IS 'buying committee of the members (one row per member; NULL role = other, NULL stage and NULL p are left out of the stage and propensity accessors)';
CREATE AGGREGATE committee_agg(role buying_role, stage journey_stage, p float8, weight float8) (
	SFUNC = committee_trans, STYPE = committee, SSPACE = 304,
	INITCOND = '{"version": 1, "members": 0, "roles": {}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}',
	COMBINEFUNC = committee_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE committee_agg(buying_role, journey_stage, float8, float8) IS 'buying committee of the members, each weighted (weight finite and >= 0) in consensus_stage, alignment and account_propensity';

CREATE AGGREGATE rollup(committee) (
	SFUNC = committee_combine, STYPE = committee, SSPACE = 304,
	INITCOND = '{"version": 1, "members": 0, "roles": {}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}',
	COMBINEFUNC = committee_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(committee) IS 'merge stored committees (contacts → opportunity → account → parent company)';

CREATE FUNCTION member_count(committee) RETURNS bigint
AS 'MODULE_PATHNAME', 'committee_member_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION member_count(committee) IS 'members of the committee';
CREATE FUNCTION role_count(committee, buying_role) RETURNS bigint
AS 'MODULE_PATHNAME', 'committee_role_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION role_count(committee, buying_role) IS 'members with the role (a NULL role was counted as other)';
CREATE FUNCTION roles(committee) RETURNS buying_role[]
AS 'MODULE_PATHNAME', 'committee_roles' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION roles(committee) IS 'the roles with at least one member, in role order';
CREATE FUNCTION stage_counts(committee) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'committee_stage_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stage_counts(committee) IS 'members in each of the 7 stages, awareness first (members with a NULL stage are not counted)';
CREATE FUNCTION coverage(committee, required buying_role[]) RETURNS float8
AS 'MODULE_PATHNAME', 'committee_coverage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION coverage(committee, buying_role[]) IS 'share of the distinct required roles that have at least one member (1 for an empty list)';
CREATE FUNCTION missing_roles(committee, required buying_role[]) RETURNS buying_role[]
AS 'MODULE_PATHNAME', 'committee_missing_roles' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION missing_roles(committee, buying_role[]) IS 'the required roles without a member, in role order';
CREATE FUNCTION leading_stage(committee) RETURNS journey_stage
AS 'MODULE_PATHNAME', 'committee_leading_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION leading_stage(committee) IS 'furthest stage of any member (NULL when no member has a stage)';
CREATE FUNCTION lagging_stage(committee) RETURNS journey_stage
AS 'MODULE_PATHNAME', 'committee_lagging_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION lagging_stage(committee) IS 'earliest stage of any member (NULL when no member has a stage)';
CREATE FUNCTION consensus_stage(committee) RETURNS journey_stage
AS 'MODULE_PATHNAME', 'committee_consensus_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION consensus_stage(committee) IS 'weighted median stage: the lowest stage at which the cumulative weight reaches half (NULL when no staged weight)';
CREATE FUNCTION stage_of(committee, buying_role) RETURNS journey_stage
AS 'MODULE_PATHNAME', 'committee_stage_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stage_of(committee, buying_role) IS 'furthest stage among the members with the role (NULL when none has a stage)';
CREATE FUNCTION alignment(committee) RETURNS float8
AS 'MODULE_PATHNAME', 'committee_alignment' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION alignment(committee) IS '1 - H/ln 7, H the entropy of the weighted stage distribution: 1 when all stand in one stage, 0 when spread evenly over all 7 (NULL when no staged weight)';
CREATE FUNCTION account_propensity(committee) RETURNS propensity
AS 'MODULE_PATHNAME', 'committee_account_propensity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION account_propensity(committee) IS 'log-odds pool of the members'' p by weight (p clamped to [1e-12, 1-1e-12]); NULL when the weights sum to 0';
CREATE FUNCTION any_propensity(committee) RETURNS propensity
AS 'MODULE_PATHNAME', 'committee_any_propensity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION any_propensity(committee) IS '1 - product of (1 - p) over the members with a p (NULL when none has one)';
CREATE FUNCTION mean_propensity(committee, buying_role) RETURNS float8
AS 'MODULE_PATHNAME', 'committee_mean_propensity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_propensity(committee, buying_role) IS 'mean p of the members with the role (NULL when none has a p)';

CREATE FUNCTION committee_report(c committee,
	OUT role buying_role, OUT members bigint, OUT furthest_stage journey_stage,
	OUT mean_propensity float8, OUT role_ordinal integer, OUT furthest_stage_ordinal integer)
RETURNS SETOF record
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 11
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT r.role, @extschema@.role_count(c, r.role), @extschema@.stage_of(c, r.role),
	       @extschema@.mean_propensity(c, r.role), r.ordinal,
	       @extschema@.stage_ordinal(@extschema@.stage_of(c, r.role))
	FROM @extschema@.buying_roles() AS r
	ORDER BY r.ordinal
$$;
COMMENT ON FUNCTION committee_report(committee) IS 'one row per buying role: members, furthest stage, mean propensity, and the role and stage ordinals to sort by';
-- ---------------------------------------------------------------------------
-- Every summary type on the wire (issue 11): = and <> with a hash operator
-- class (DISTINCT, UNION, GROUP BY, a BI tool's distinct-value lists), and
-- explicit casts to json and jsonb (->>, to_jsonb(row) embeds the object).
-- One C implementation serves every type (src/summary.c): equal = the same
-- canonical form, which is the binary (send) form (field by field, no spare
-- capacity, independent of settings); the hash is that form's.  The json
-- casts give the JSON text form unchanged.
-- This part is last so that every type exists.
-- ---------------------------------------------------------------------------

-- Every summary type: each varlena base type of this extension that has no
-- = operator yet (all of them are JSON-text summary types), so a new type
-- needs nothing here, and an upgrade script that ends with this part gives
-- the types it adds the same objects a fresh install gives them.  The loop
-- creates, per type t: t_eq, t_ne, t_hash, t_hash_extended, t_to_json,
-- t_to_jsonb, the operators = and <>, the default hash operator class
-- t_hash_ops and the explicit casts t AS json and t AS jsonb, each with a
-- COMMENT.
DO $wire$
DECLARE
	t text;
BEGIN
	FOR t IN
		SELECT ty.typname
		FROM pg_catalog.pg_type ty
		JOIN pg_catalog.pg_depend d
		  ON d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objid = ty.oid AND d.deptype = 'e'
		JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'b2btarget'
		WHERE ty.typtype = 'b' AND ty.typlen = -1
		  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_operator o
		                  WHERE o.oprname = '=' AND o.oprleft = ty.oid AND o.oprright = ty.oid)
		ORDER BY ty.typname
	LOOP
		EXECUTE format($sql$
CREATE FUNCTION @extschema@.%1$I(@extschema@.%2$I, @extschema@.%2$I) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.%3$I(@extschema@.%2$I, @extschema@.%2$I) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.%4$I(@extschema@.%2$I) RETURNS integer
AS 'MODULE_PATHNAME', 'b2b_summary_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.%5$I(@extschema@.%2$I, bigint) RETURNS bigint
AS 'MODULE_PATHNAME', 'b2b_summary_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.%6$I(@extschema@.%2$I) RETURNS json
AS 'MODULE_PATHNAME', 'b2b_summary_to_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.%7$I(@extschema@.%2$I) RETURNS jsonb
AS 'MODULE_PATHNAME', 'b2b_summary_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.%1$I(@extschema@.%2$I, @extschema@.%2$I) IS 'implementation of = for %2$s: the same canonical (binary) form';
COMMENT ON FUNCTION @extschema@.%3$I(@extschema@.%2$I, @extschema@.%2$I) IS 'implementation of <> for %2$s';
COMMENT ON FUNCTION @extschema@.%4$I(@extschema@.%2$I) IS 'hash of %2$s (of its canonical binary form)';
COMMENT ON FUNCTION @extschema@.%5$I(@extschema@.%2$I, bigint) IS 'seeded 64-bit hash of %2$s';
COMMENT ON FUNCTION @extschema@.%6$I(@extschema@.%2$I) IS '%2$s as json (its JSON text form)';
COMMENT ON FUNCTION @extschema@.%7$I(@extschema@.%2$I) IS '%2$s as jsonb';
CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.%2$I, RIGHTARG = @extschema@.%2$I, PROCEDURE = @extschema@.%1$I,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.%2$I, RIGHTARG = @extschema@.%2$I, PROCEDURE = @extschema@.%3$I,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.%2$I, @extschema@.%2$I) IS 'equal: the same canonical (binary) form';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.%2$I, @extschema@.%2$I) IS 'not equal';
CREATE OPERATOR CLASS @extschema@.%8$I DEFAULT FOR TYPE @extschema@.%2$I USING hash AS
	OPERATOR 1 @extschema@.=,
	FUNCTION 1 @extschema@.%4$I(@extschema@.%2$I),
	FUNCTION 2 @extschema@.%5$I(@extschema@.%2$I, bigint);
CREATE CAST (@extschema@.%2$I AS json) WITH FUNCTION @extschema@.%6$I(@extschema@.%2$I);
CREATE CAST (@extschema@.%2$I AS jsonb) WITH FUNCTION @extschema@.%7$I(@extschema@.%2$I);
COMMENT ON CAST (@extschema@.%2$I AS json) IS 'the JSON text form of %2$s';
COMMENT ON CAST (@extschema@.%2$I AS jsonb) IS 'the JSON text form of %2$s, as jsonb';
$sql$, t || '_eq', t, t || '_ne', t || '_hash', t || '_hash_extended',
		   t || '_to_json', t || '_to_jsonb', t || '_hash_ops');
	END LOOP;
END
$wire$;
