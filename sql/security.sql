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
RESET search_path;
DROP SCHEMA security_evil CASCADE;
