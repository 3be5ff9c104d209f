-- ---------------------------------------------------------------------------
-- propensity (README, "Propensity"): the scalar type.  Models and evaluation come later in
-- the file order (src/sql/4x_*.sql).
-- ---------------------------------------------------------------------------

CREATE TYPE propensity;
CREATE FUNCTION propensity_in(cstring) RETURNS propensity
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_out(propensity) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_recv(internal) RETURNS propensity
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_send(propensity) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE propensity (
	INPUT = propensity_in, OUTPUT = propensity_out,
	RECEIVE = propensity_recv, SEND = propensity_send,
	INTERNALLENGTH = 8, PASSEDBYVALUE, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE propensity IS 'probability of conversion in [0, 1]; input 0.73 or 73%';
COMMENT ON FUNCTION propensity_in(cstring) IS 'text input of propensity';
COMMENT ON FUNCTION propensity_out(propensity) IS 'text output of propensity (shortest text that reads back exactly)';
COMMENT ON FUNCTION propensity_recv(internal) IS 'binary input of propensity';
COMMENT ON FUNCTION propensity_send(propensity) IS 'binary output of propensity';

-- A propensity is a float8 that is never NaN, so float8's own comparison and
-- hash functions order and hash it exactly.
CREATE FUNCTION propensity_eq(propensity, propensity) RETURNS boolean
AS 'float8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION propensity_ne(propensity, propensity) RETURNS boolean
AS 'float8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION propensity_lt(propensity, propensity) RETURNS boolean
AS 'float8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION propensity_le(propensity, propensity) RETURNS boolean
AS 'float8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION propensity_gt(propensity, propensity) RETURNS boolean
AS 'float8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION propensity_ge(propensity, propensity) RETURNS boolean
AS 'float8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION propensity_cmp(propensity, propensity) RETURNS integer
AS 'btfloat8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION propensity_hash(propensity) RETURNS integer
AS 'hashfloat8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_hash_extended(propensity, bigint) RETURNS bigint
AS 'hashfloat8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION propensity_eq(propensity, propensity) IS 'implementation of = for propensity';
COMMENT ON FUNCTION propensity_ne(propensity, propensity) IS 'implementation of <> for propensity';
COMMENT ON FUNCTION propensity_lt(propensity, propensity) IS 'implementation of < for propensity';
COMMENT ON FUNCTION propensity_le(propensity, propensity) IS 'implementation of <= for propensity';
COMMENT ON FUNCTION propensity_gt(propensity, propensity) IS 'implementation of > for propensity';
COMMENT ON FUNCTION propensity_ge(propensity, propensity) IS 'implementation of >= for propensity';
COMMENT ON FUNCTION propensity_cmp(propensity, propensity) IS 'btree comparison of propensity';
COMMENT ON FUNCTION propensity_hash(propensity) IS 'hash of propensity';
COMMENT ON FUNCTION propensity_hash_extended(propensity, bigint) IS 'seeded 64-bit hash of propensity';

CREATE OPERATOR = (
	LEFTARG = propensity, RIGHTARG = propensity, PROCEDURE = propensity_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR <> (
	LEFTARG = propensity, RIGHTARG = propensity, PROCEDURE = propensity_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
	LEFTARG = propensity, RIGHTARG = propensity, PROCEDURE = propensity_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
	LEFTARG = propensity, RIGHTARG = propensity, PROCEDURE = propensity_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
	LEFTARG = propensity, RIGHTARG = propensity, PROCEDURE = propensity_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
	LEFTARG = propensity, RIGHTARG = propensity, PROCEDURE = propensity_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS propensity_ops DEFAULT FOR TYPE propensity USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 propensity_cmp(propensity, propensity);
CREATE OPERATOR CLASS propensity_hash_ops DEFAULT FOR TYPE propensity USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 propensity_hash(propensity),
	FUNCTION 2 propensity_hash_extended(propensity, bigint);

-- Casts.  propensity -> float8 is binary (same representation) and implicit,
-- so arithmetic and comparisons with plain numbers just work; into
-- propensity the value is checked, on assignment.
CREATE FUNCTION propensity(float8) RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_from_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity(numeric) RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_from_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_numeric(propensity) RETURNS numeric
AS 'MODULE_PATHNAME', 'propensity_to_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION propensity(float8) IS 'propensity from a probability (ERROR outside [0, 1] and on NaN)';
COMMENT ON FUNCTION propensity(numeric) IS 'propensity from a probability (ERROR outside [0, 1] and on NaN)';
COMMENT ON FUNCTION propensity_numeric(propensity) IS 'propensity as numeric';
CREATE CAST (propensity AS float8) WITHOUT FUNCTION AS IMPLICIT;
CREATE CAST (float8 AS propensity) WITH FUNCTION propensity(float8) AS ASSIGNMENT;
CREATE CAST (numeric AS propensity) WITH FUNCTION propensity(numeric) AS ASSIGNMENT;
CREATE CAST (propensity AS numeric) WITH FUNCTION propensity_numeric(propensity) AS ASSIGNMENT;

CREATE FUNCTION logit(propensity) RETURNS float8
AS 'MODULE_PATHNAME', 'propensity_logit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_from_logit(float8) RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_from_logit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odds(propensity) RETURNS float8
AS 'MODULE_PATHNAME', 'propensity_odds' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION any_of(propensity, propensity) RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_any_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION all_of(propensity, propensity) RETURNS propensity
AS 'MODULE_PATHNAME', 'propensity_all_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION logit(propensity) IS 'log-odds log(p / (1 - p)); -Infinity at 0, Infinity at 1';
COMMENT ON FUNCTION propensity_from_logit(float8) IS 'propensity 1 / (1 + exp(-x)) of a log-odds';
COMMENT ON FUNCTION odds(propensity) IS 'odds p / (1 - p); Infinity at 1';
COMMENT ON FUNCTION any_of(propensity, propensity) IS 'probability that at least one of two independent events happens: 1 - (1 - p)(1 - q)';
COMMENT ON FUNCTION all_of(propensity, propensity) IS 'probability that two independent events both happen: p * q';

CREATE FUNCTION propensity_larger(propensity, propensity) RETURNS propensity
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_smaller(propensity, propensity) RETURNS propensity
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION propensity_larger(propensity, propensity) IS 'the larger of two propensities';
COMMENT ON FUNCTION propensity_smaller(propensity, propensity) IS 'the smaller of two propensities';
CREATE AGGREGATE max(propensity) (
	SFUNC = propensity_larger, STYPE = propensity,
	COMBINEFUNC = propensity_larger, SORTOP = >, PARALLEL = SAFE
);
CREATE AGGREGATE min(propensity) (
	SFUNC = propensity_smaller, STYPE = propensity,
	COMBINEFUNC = propensity_smaller, SORTOP = <, PARALLEL = SAFE
);
COMMENT ON AGGREGATE max(propensity) IS 'highest propensity';
COMMENT ON AGGREGATE min(propensity) IS 'lowest propensity';

