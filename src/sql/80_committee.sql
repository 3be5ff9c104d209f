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
