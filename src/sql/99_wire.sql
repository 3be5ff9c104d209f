-- ---------------------------------------------------------------------------
-- Every summary type on the wire (issue 11): = and <> with a hash operator
-- class (DISTINCT, UNION, GROUP BY, a BI tool's distinct-value lists), and
-- explicit casts to json and jsonb (->>, to_jsonb(row) embeds the object).
-- One C implementation serves every type (src/summary.c): equal = the same
-- canonical form, which is the binary (send) form (field by field, no spare
-- capacity, independent of settings); the hash is that form's.  The json
-- casts give the JSON text form unchanged.  A new summary type adds its own block here (HACKING.md).
-- This part is last so that every type exists.
-- ---------------------------------------------------------------------------

-- funnel
CREATE FUNCTION funnel_eq(funnel, funnel) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_ne(funnel, funnel) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_hash(funnel) RETURNS integer
AS 'MODULE_PATHNAME', 'b2b_summary_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_hash_extended(funnel, bigint) RETURNS bigint
AS 'MODULE_PATHNAME', 'b2b_summary_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_to_json(funnel) RETURNS json
AS 'MODULE_PATHNAME', 'b2b_summary_to_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_to_jsonb(funnel) RETURNS jsonb
AS 'MODULE_PATHNAME', 'b2b_summary_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION funnel_eq(funnel, funnel) IS 'implementation of = for funnel: same canonical (binary) form';
COMMENT ON FUNCTION funnel_ne(funnel, funnel) IS 'implementation of <> for funnel';
COMMENT ON FUNCTION funnel_hash(funnel) IS 'hash of funnel (of its canonical binary form)';
COMMENT ON FUNCTION funnel_hash_extended(funnel, bigint) IS 'seeded 64-bit hash of funnel';
COMMENT ON FUNCTION funnel_to_json(funnel) IS 'funnel as json (its JSON text form)';
COMMENT ON FUNCTION funnel_to_jsonb(funnel) IS 'funnel as jsonb';
CREATE OPERATOR = (
	LEFTARG = funnel, RIGHTARG = funnel, PROCEDURE = funnel_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = funnel, RIGHTARG = funnel, PROCEDURE = funnel_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR = (funnel, funnel) IS 'equal: the same canonical (binary) form';
COMMENT ON OPERATOR <> (funnel, funnel) IS 'not equal';
CREATE OPERATOR CLASS funnel_hash_ops DEFAULT FOR TYPE funnel USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 funnel_hash(funnel),
	FUNCTION 2 funnel_hash_extended(funnel, bigint);
CREATE CAST (funnel AS json) WITH FUNCTION funnel_to_json(funnel);
CREATE CAST (funnel AS jsonb) WITH FUNCTION funnel_to_jsonb(funnel);
COMMENT ON CAST (funnel AS json) IS 'the JSON text form of funnel';
COMMENT ON CAST (funnel AS jsonb) IS 'the JSON text form of funnel, as jsonb';

-- propensity_model
CREATE FUNCTION propensity_model_eq(propensity_model, propensity_model) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_model_ne(propensity_model, propensity_model) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_model_hash(propensity_model) RETURNS integer
AS 'MODULE_PATHNAME', 'b2b_summary_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_model_hash_extended(propensity_model, bigint) RETURNS bigint
AS 'MODULE_PATHNAME', 'b2b_summary_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_model_to_json(propensity_model) RETURNS json
AS 'MODULE_PATHNAME', 'b2b_summary_to_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION propensity_model_to_jsonb(propensity_model) RETURNS jsonb
AS 'MODULE_PATHNAME', 'b2b_summary_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION propensity_model_eq(propensity_model, propensity_model) IS 'implementation of = for propensity_model: same canonical (binary) form';
COMMENT ON FUNCTION propensity_model_ne(propensity_model, propensity_model) IS 'implementation of <> for propensity_model';
COMMENT ON FUNCTION propensity_model_hash(propensity_model) IS 'hash of propensity_model (of its canonical binary form)';
COMMENT ON FUNCTION propensity_model_hash_extended(propensity_model, bigint) IS 'seeded 64-bit hash of propensity_model';
COMMENT ON FUNCTION propensity_model_to_json(propensity_model) IS 'propensity_model as json (its JSON text form)';
COMMENT ON FUNCTION propensity_model_to_jsonb(propensity_model) IS 'propensity_model as jsonb';
CREATE OPERATOR = (
	LEFTARG = propensity_model, RIGHTARG = propensity_model, PROCEDURE = propensity_model_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = propensity_model, RIGHTARG = propensity_model, PROCEDURE = propensity_model_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR = (propensity_model, propensity_model) IS 'equal: the same canonical (binary) form';
COMMENT ON OPERATOR <> (propensity_model, propensity_model) IS 'not equal';
CREATE OPERATOR CLASS propensity_model_hash_ops DEFAULT FOR TYPE propensity_model USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 propensity_model_hash(propensity_model),
	FUNCTION 2 propensity_model_hash_extended(propensity_model, bigint);
CREATE CAST (propensity_model AS json) WITH FUNCTION propensity_model_to_json(propensity_model);
CREATE CAST (propensity_model AS jsonb) WITH FUNCTION propensity_model_to_jsonb(propensity_model);
COMMENT ON CAST (propensity_model AS json) IS 'the JSON text form of propensity_model';
COMMENT ON CAST (propensity_model AS jsonb) IS 'the JSON text form of propensity_model, as jsonb';

-- lift
CREATE FUNCTION lift_eq(lift, lift) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lift_ne(lift, lift) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lift_hash(lift) RETURNS integer
AS 'MODULE_PATHNAME', 'b2b_summary_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lift_hash_extended(lift, bigint) RETURNS bigint
AS 'MODULE_PATHNAME', 'b2b_summary_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lift_to_json(lift) RETURNS json
AS 'MODULE_PATHNAME', 'b2b_summary_to_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lift_to_jsonb(lift) RETURNS jsonb
AS 'MODULE_PATHNAME', 'b2b_summary_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION lift_eq(lift, lift) IS 'implementation of = for lift: same canonical (binary) form';
COMMENT ON FUNCTION lift_ne(lift, lift) IS 'implementation of <> for lift';
COMMENT ON FUNCTION lift_hash(lift) IS 'hash of lift (of its canonical binary form)';
COMMENT ON FUNCTION lift_hash_extended(lift, bigint) IS 'seeded 64-bit hash of lift';
COMMENT ON FUNCTION lift_to_json(lift) IS 'lift as json (its JSON text form)';
COMMENT ON FUNCTION lift_to_jsonb(lift) IS 'lift as jsonb';
CREATE OPERATOR = (
	LEFTARG = lift, RIGHTARG = lift, PROCEDURE = lift_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = lift, RIGHTARG = lift, PROCEDURE = lift_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR = (lift, lift) IS 'equal: the same canonical (binary) form';
COMMENT ON OPERATOR <> (lift, lift) IS 'not equal';
CREATE OPERATOR CLASS lift_hash_ops DEFAULT FOR TYPE lift USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 lift_hash(lift),
	FUNCTION 2 lift_hash_extended(lift, bigint);
CREATE CAST (lift AS json) WITH FUNCTION lift_to_json(lift);
CREATE CAST (lift AS jsonb) WITH FUNCTION lift_to_jsonb(lift);
COMMENT ON CAST (lift AS json) IS 'the JSON text form of lift';
COMMENT ON CAST (lift AS jsonb) IS 'the JSON text form of lift, as jsonb';

-- rfm_thresholds
CREATE FUNCTION rfm_thresholds_eq(rfm_thresholds, rfm_thresholds) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_ne(rfm_thresholds, rfm_thresholds) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_hash(rfm_thresholds) RETURNS integer
AS 'MODULE_PATHNAME', 'b2b_summary_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_hash_extended(rfm_thresholds, bigint) RETURNS bigint
AS 'MODULE_PATHNAME', 'b2b_summary_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_to_json(rfm_thresholds) RETURNS json
AS 'MODULE_PATHNAME', 'b2b_summary_to_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_thresholds_to_jsonb(rfm_thresholds) RETURNS jsonb
AS 'MODULE_PATHNAME', 'b2b_summary_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_thresholds_eq(rfm_thresholds, rfm_thresholds) IS 'implementation of = for rfm_thresholds: same canonical (binary) form';
COMMENT ON FUNCTION rfm_thresholds_ne(rfm_thresholds, rfm_thresholds) IS 'implementation of <> for rfm_thresholds';
COMMENT ON FUNCTION rfm_thresholds_hash(rfm_thresholds) IS 'hash of rfm_thresholds (of its canonical binary form)';
COMMENT ON FUNCTION rfm_thresholds_hash_extended(rfm_thresholds, bigint) IS 'seeded 64-bit hash of rfm_thresholds';
COMMENT ON FUNCTION rfm_thresholds_to_json(rfm_thresholds) IS 'rfm_thresholds as json (its JSON text form)';
COMMENT ON FUNCTION rfm_thresholds_to_jsonb(rfm_thresholds) IS 'rfm_thresholds as jsonb';
CREATE OPERATOR = (
	LEFTARG = rfm_thresholds, RIGHTARG = rfm_thresholds, PROCEDURE = rfm_thresholds_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = rfm_thresholds, RIGHTARG = rfm_thresholds, PROCEDURE = rfm_thresholds_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR = (rfm_thresholds, rfm_thresholds) IS 'equal: the same canonical (binary) form';
COMMENT ON OPERATOR <> (rfm_thresholds, rfm_thresholds) IS 'not equal';
CREATE OPERATOR CLASS rfm_thresholds_hash_ops DEFAULT FOR TYPE rfm_thresholds USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 rfm_thresholds_hash(rfm_thresholds),
	FUNCTION 2 rfm_thresholds_hash_extended(rfm_thresholds, bigint);
CREATE CAST (rfm_thresholds AS json) WITH FUNCTION rfm_thresholds_to_json(rfm_thresholds);
CREATE CAST (rfm_thresholds AS jsonb) WITH FUNCTION rfm_thresholds_to_jsonb(rfm_thresholds);
COMMENT ON CAST (rfm_thresholds AS json) IS 'the JSON text form of rfm_thresholds';
COMMENT ON CAST (rfm_thresholds AS jsonb) IS 'the JSON text form of rfm_thresholds, as jsonb';

-- value_tiers
CREATE FUNCTION value_tiers_eq(value_tiers, value_tiers) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION value_tiers_ne(value_tiers, value_tiers) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION value_tiers_hash(value_tiers) RETURNS integer
AS 'MODULE_PATHNAME', 'b2b_summary_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION value_tiers_hash_extended(value_tiers, bigint) RETURNS bigint
AS 'MODULE_PATHNAME', 'b2b_summary_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION value_tiers_to_json(value_tiers) RETURNS json
AS 'MODULE_PATHNAME', 'b2b_summary_to_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION value_tiers_to_jsonb(value_tiers) RETURNS jsonb
AS 'MODULE_PATHNAME', 'b2b_summary_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION value_tiers_eq(value_tiers, value_tiers) IS 'implementation of = for value_tiers: same canonical (binary) form';
COMMENT ON FUNCTION value_tiers_ne(value_tiers, value_tiers) IS 'implementation of <> for value_tiers';
COMMENT ON FUNCTION value_tiers_hash(value_tiers) IS 'hash of value_tiers (of its canonical binary form)';
COMMENT ON FUNCTION value_tiers_hash_extended(value_tiers, bigint) IS 'seeded 64-bit hash of value_tiers';
COMMENT ON FUNCTION value_tiers_to_json(value_tiers) IS 'value_tiers as json (its JSON text form)';
COMMENT ON FUNCTION value_tiers_to_jsonb(value_tiers) IS 'value_tiers as jsonb';
CREATE OPERATOR = (
	LEFTARG = value_tiers, RIGHTARG = value_tiers, PROCEDURE = value_tiers_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = value_tiers, RIGHTARG = value_tiers, PROCEDURE = value_tiers_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR = (value_tiers, value_tiers) IS 'equal: the same canonical (binary) form';
COMMENT ON OPERATOR <> (value_tiers, value_tiers) IS 'not equal';
CREATE OPERATOR CLASS value_tiers_hash_ops DEFAULT FOR TYPE value_tiers USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 value_tiers_hash(value_tiers),
	FUNCTION 2 value_tiers_hash_extended(value_tiers, bigint);
CREATE CAST (value_tiers AS json) WITH FUNCTION value_tiers_to_json(value_tiers);
CREATE CAST (value_tiers AS jsonb) WITH FUNCTION value_tiers_to_jsonb(value_tiers);
COMMENT ON CAST (value_tiers AS json) IS 'the JSON text form of value_tiers';
COMMENT ON CAST (value_tiers AS jsonb) IS 'the JSON text form of value_tiers, as jsonb';

-- journey
CREATE FUNCTION journey_eq(journey, journey) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_ne(journey, journey) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_hash(journey) RETURNS integer
AS 'MODULE_PATHNAME', 'b2b_summary_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_hash_extended(journey, bigint) RETURNS bigint
AS 'MODULE_PATHNAME', 'b2b_summary_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_to_json(journey) RETURNS json
AS 'MODULE_PATHNAME', 'b2b_summary_to_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_to_jsonb(journey) RETURNS jsonb
AS 'MODULE_PATHNAME', 'b2b_summary_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION journey_eq(journey, journey) IS 'implementation of = for journey: same canonical (binary) form';
COMMENT ON FUNCTION journey_ne(journey, journey) IS 'implementation of <> for journey';
COMMENT ON FUNCTION journey_hash(journey) IS 'hash of journey (of its canonical binary form)';
COMMENT ON FUNCTION journey_hash_extended(journey, bigint) IS 'seeded 64-bit hash of journey';
COMMENT ON FUNCTION journey_to_json(journey) IS 'journey as json (its JSON text form)';
COMMENT ON FUNCTION journey_to_jsonb(journey) IS 'journey as jsonb';
CREATE OPERATOR = (
	LEFTARG = journey, RIGHTARG = journey, PROCEDURE = journey_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = journey, RIGHTARG = journey, PROCEDURE = journey_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR = (journey, journey) IS 'equal: the same canonical (binary) form';
COMMENT ON OPERATOR <> (journey, journey) IS 'not equal';
CREATE OPERATOR CLASS journey_hash_ops DEFAULT FOR TYPE journey USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 journey_hash(journey),
	FUNCTION 2 journey_hash_extended(journey, bigint);
CREATE CAST (journey AS json) WITH FUNCTION journey_to_json(journey);
CREATE CAST (journey AS jsonb) WITH FUNCTION journey_to_jsonb(journey);
COMMENT ON CAST (journey AS json) IS 'the JSON text form of journey';
COMMENT ON CAST (journey AS jsonb) IS 'the JSON text form of journey, as jsonb';

-- bgnbd_model
CREATE FUNCTION bgnbd_model_eq(bgnbd_model, bgnbd_model) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_ne(bgnbd_model, bgnbd_model) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_hash(bgnbd_model) RETURNS integer
AS 'MODULE_PATHNAME', 'b2b_summary_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_hash_extended(bgnbd_model, bigint) RETURNS bigint
AS 'MODULE_PATHNAME', 'b2b_summary_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_to_json(bgnbd_model) RETURNS json
AS 'MODULE_PATHNAME', 'b2b_summary_to_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_to_jsonb(bgnbd_model) RETURNS jsonb
AS 'MODULE_PATHNAME', 'b2b_summary_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_model_eq(bgnbd_model, bgnbd_model) IS 'implementation of = for bgnbd_model: same canonical (binary) form';
COMMENT ON FUNCTION bgnbd_model_ne(bgnbd_model, bgnbd_model) IS 'implementation of <> for bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_hash(bgnbd_model) IS 'hash of bgnbd_model (of its canonical binary form)';
COMMENT ON FUNCTION bgnbd_model_hash_extended(bgnbd_model, bigint) IS 'seeded 64-bit hash of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_to_json(bgnbd_model) IS 'bgnbd_model as json (its JSON text form)';
COMMENT ON FUNCTION bgnbd_model_to_jsonb(bgnbd_model) IS 'bgnbd_model as jsonb';
CREATE OPERATOR = (
	LEFTARG = bgnbd_model, RIGHTARG = bgnbd_model, PROCEDURE = bgnbd_model_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = bgnbd_model, RIGHTARG = bgnbd_model, PROCEDURE = bgnbd_model_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR = (bgnbd_model, bgnbd_model) IS 'equal: the same canonical (binary) form';
COMMENT ON OPERATOR <> (bgnbd_model, bgnbd_model) IS 'not equal';
CREATE OPERATOR CLASS bgnbd_model_hash_ops DEFAULT FOR TYPE bgnbd_model USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 bgnbd_model_hash(bgnbd_model),
	FUNCTION 2 bgnbd_model_hash_extended(bgnbd_model, bigint);
CREATE CAST (bgnbd_model AS json) WITH FUNCTION bgnbd_model_to_json(bgnbd_model);
CREATE CAST (bgnbd_model AS jsonb) WITH FUNCTION bgnbd_model_to_jsonb(bgnbd_model);
COMMENT ON CAST (bgnbd_model AS json) IS 'the JSON text form of bgnbd_model';
COMMENT ON CAST (bgnbd_model AS jsonb) IS 'the JSON text form of bgnbd_model, as jsonb';

-- gamma_gamma_model
CREATE FUNCTION gamma_gamma_model_eq(gamma_gamma_model, gamma_gamma_model) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_ne(gamma_gamma_model, gamma_gamma_model) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_hash(gamma_gamma_model) RETURNS integer
AS 'MODULE_PATHNAME', 'b2b_summary_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_hash_extended(gamma_gamma_model, bigint) RETURNS bigint
AS 'MODULE_PATHNAME', 'b2b_summary_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_to_json(gamma_gamma_model) RETURNS json
AS 'MODULE_PATHNAME', 'b2b_summary_to_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_to_jsonb(gamma_gamma_model) RETURNS jsonb
AS 'MODULE_PATHNAME', 'b2b_summary_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_model_eq(gamma_gamma_model, gamma_gamma_model) IS 'implementation of = for gamma_gamma_model: same canonical (binary) form';
COMMENT ON FUNCTION gamma_gamma_model_ne(gamma_gamma_model, gamma_gamma_model) IS 'implementation of <> for gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_hash(gamma_gamma_model) IS 'hash of gamma_gamma_model (of its canonical binary form)';
COMMENT ON FUNCTION gamma_gamma_model_hash_extended(gamma_gamma_model, bigint) IS 'seeded 64-bit hash of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_to_json(gamma_gamma_model) IS 'gamma_gamma_model as json (its JSON text form)';
COMMENT ON FUNCTION gamma_gamma_model_to_jsonb(gamma_gamma_model) IS 'gamma_gamma_model as jsonb';
CREATE OPERATOR = (
	LEFTARG = gamma_gamma_model, RIGHTARG = gamma_gamma_model, PROCEDURE = gamma_gamma_model_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = gamma_gamma_model, RIGHTARG = gamma_gamma_model, PROCEDURE = gamma_gamma_model_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR = (gamma_gamma_model, gamma_gamma_model) IS 'equal: the same canonical (binary) form';
COMMENT ON OPERATOR <> (gamma_gamma_model, gamma_gamma_model) IS 'not equal';
CREATE OPERATOR CLASS gamma_gamma_model_hash_ops DEFAULT FOR TYPE gamma_gamma_model USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 gamma_gamma_model_hash(gamma_gamma_model),
	FUNCTION 2 gamma_gamma_model_hash_extended(gamma_gamma_model, bigint);
CREATE CAST (gamma_gamma_model AS json) WITH FUNCTION gamma_gamma_model_to_json(gamma_gamma_model);
CREATE CAST (gamma_gamma_model AS jsonb) WITH FUNCTION gamma_gamma_model_to_jsonb(gamma_gamma_model);
COMMENT ON CAST (gamma_gamma_model AS json) IS 'the JSON text form of gamma_gamma_model';
COMMENT ON CAST (gamma_gamma_model AS jsonb) IS 'the JSON text form of gamma_gamma_model, as jsonb';

-- committee
CREATE FUNCTION committee_eq(committee, committee) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION committee_ne(committee, committee) RETURNS boolean
AS 'MODULE_PATHNAME', 'b2b_summary_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION committee_hash(committee) RETURNS integer
AS 'MODULE_PATHNAME', 'b2b_summary_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION committee_hash_extended(committee, bigint) RETURNS bigint
AS 'MODULE_PATHNAME', 'b2b_summary_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION committee_to_json(committee) RETURNS json
AS 'MODULE_PATHNAME', 'b2b_summary_to_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION committee_to_jsonb(committee) RETURNS jsonb
AS 'MODULE_PATHNAME', 'b2b_summary_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION committee_eq(committee, committee) IS 'implementation of = for committee: same canonical (binary) form';
COMMENT ON FUNCTION committee_ne(committee, committee) IS 'implementation of <> for committee';
COMMENT ON FUNCTION committee_hash(committee) IS 'hash of committee (of its canonical binary form)';
COMMENT ON FUNCTION committee_hash_extended(committee, bigint) IS 'seeded 64-bit hash of committee';
COMMENT ON FUNCTION committee_to_json(committee) IS 'committee as json (its JSON text form)';
COMMENT ON FUNCTION committee_to_jsonb(committee) IS 'committee as jsonb';
CREATE OPERATOR = (
	LEFTARG = committee, RIGHTARG = committee, PROCEDURE = committee_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = committee, RIGHTARG = committee, PROCEDURE = committee_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR = (committee, committee) IS 'equal: the same canonical (binary) form';
COMMENT ON OPERATOR <> (committee, committee) IS 'not equal';
CREATE OPERATOR CLASS committee_hash_ops DEFAULT FOR TYPE committee USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 committee_hash(committee),
	FUNCTION 2 committee_hash_extended(committee, bigint);
CREATE CAST (committee AS json) WITH FUNCTION committee_to_json(committee);
CREATE CAST (committee AS jsonb) WITH FUNCTION committee_to_jsonb(committee);
COMMENT ON CAST (committee AS json) IS 'the JSON text form of committee';
COMMENT ON CAST (committee AS jsonb) IS 'the JSON text form of committee, as jsonb';
