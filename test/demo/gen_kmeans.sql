-- test/demo/gen_kmeans.sql — planted buyer personas for the k-means report
-- (test/demo/report_92_kmeans.sql).  Runs after gen.sql; deterministic
-- (hash-based noise, no random()).
--
-- Each account gets one of four personas from its own firmographics in
-- gen.sql (size and whether it asked for a demo), and the persona's
-- behaviour the CRM export of gen.sql does not carry: the share of its
-- touches that are demos or trials, the median days its contacts spend in
-- a journey stage, and the share of the eleven buying roles its committee
-- covers.  Spend, orders and contacts stay the real ones of gen.sql.
--
--   fleet buyers          50+ employees, no demo: short cycle, few demos
--   enterprise evaluators 50+ employees, demo: long cycle, many demos, full committee
--   small offices         < 50 employees, no demo: short cycle, thin committee
--   trialists             < 50 employees, demo: most touches are trials
SET client_min_messages = warning;
DROP TABLE IF EXISTS persona_activity;
CREATE TABLE persona_activity (
	account_id           integer PRIMARY KEY REFERENCES accounts,
	planted_persona      text NOT NULL,
	demo_trial_share     float8 NOT NULL,   -- of the account's touches
	median_days_in_stage float8 NOT NULL,
	committee_coverage   float8 NOT NULL    -- share of the 11 buying roles present
);
CREATE FUNCTION pg_temp.u(i integer, salt integer) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint4(i * 7919 + salt) & 1048575) / 1048575.0 $$;
INSERT INTO persona_activity
SELECT a.account_id, p.name,
       least(0.95, greatest(0, p.demo + 0.10 * (pg_temp.u(a.account_id, 1) - 0.5))),
       greatest(1, p.days * exp(0.30 * (pg_temp.u(a.account_id, 2) - 0.5))),
       least(1, greatest(0, p.cov + 0.12 * (pg_temp.u(a.account_id, 3) - 0.5)))
FROM accounts a
CROSS JOIN LATERAL (SELECT * FROM (VALUES
	('fleet buyers', 0.05, 6, 0.55),
	('enterprise evaluators', 0.45, 40, 0.85),
	('small offices', 0.06, 16, 0.18),
	('trialists', 0.70, 24, 0.30)) v(name, demo, days, cov)
	WHERE v.name = CASE WHEN a.employees >= 50 THEN (CASE WHEN a.demo_requested THEN 'enterprise evaluators' ELSE 'fleet buyers' END)
	                    ELSE (CASE WHEN a.demo_requested THEN 'trialists' ELSE 'small offices' END) END) p;
ANALYZE persona_activity;
RESET client_min_messages;
