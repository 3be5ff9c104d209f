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
