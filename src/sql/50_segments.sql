
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
