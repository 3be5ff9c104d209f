-- A hostile search_path cannot change what the extension's SQL functions do.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

CREATE SCHEMA security_evil;
-- exact-match impostors of operators and functions the SQL bodies use
CREATE FUNCTION security_evil.div(float8, float8) RETURNS float8
LANGUAGE sql AS 'SELECT 42::float8';
CREATE OPERATOR security_evil./ (LEFTARG = float8, RIGHTARG = float8, PROCEDURE = security_evil.div);
CREATE FUNCTION security_evil.generate_series(integer, integer) RETURNS SETOF integer
LANGUAGE sql AS 'SELECT 1';
SET search_path = security_evil, public, pg_catalog;
SELECT 1::float8 / 2::float8 AS hijacked_here;
SELECT * FROM public.journey_stages();
SELECT stage, reached, share_of_top, conversion FROM public.funnel_report(
  '{"awareness": 4, "consideration": 2, "evaluation": 1, "decision": 1, "purchase": 0, "retention": 0, "advocacy": 0}');
SELECT role, ordinal FROM public.buying_roles() ORDER BY ordinal LIMIT 2;
SELECT count(*) AS aliases FROM public.buying_role_aliases();
RESET search_path;
DROP SCHEMA security_evil CASCADE;

-- Every SQL-language function of the extension pins its search_path.
SELECT p.oid::regprocedure AS sql_function_without_search_path
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
  AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'b2btarget'
WHERE p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'sql')
  AND NOT coalesce(p.proconfig::text[] @> ARRAY['search_path=pg_catalog, pg_temp'], false)
ORDER BY 1;
-- LEAKPROOF only where core marks the same internal function so (core's
-- hashchar, hashint2, hashfloat8 are not), and on no C function.
SELECT p.oid::regprocedure AS leakproof_unlike_core, p.prosrc
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
  AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'b2btarget'
WHERE p.proleakproof
  AND NOT EXISTS (SELECT 1 FROM pg_proc c
                  WHERE c.pronamespace = 'pg_catalog'::regnamespace AND c.prolang = p.prolang
                    AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'internal')
                    AND c.prosrc = p.prosrc AND c.proleakproof)
ORDER BY 1;
SELECT count(*) AS leakproof_hashes
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
  AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'b2btarget'
WHERE p.proleakproof AND p.prosrc LIKE 'hash%';
