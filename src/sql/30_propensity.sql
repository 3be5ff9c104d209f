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
