-- test/demo/gen_targeting.sql — an outbound campaign with a randomised
-- treated/control split, for the uplift section (report_90_targeting.sql).
-- Run after gen.sql.  Deterministic: the pseudo-random numbers are hashes
-- of the account id.
--
-- The generator knows the true effect of the campaign on each account's
-- chance to convert in the quarter after it:
--   +0.15 for accounts that requested a demo or visited the site 30+ times
--   -0.03 for the rest that use a competitor (the outreach annoys them)
--   +0.02 for all others
SET client_min_messages = warning;
DROP TABLE IF EXISTS campaign_outreach;
CREATE FUNCTION pg_temp.u(id integer, salt text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(md5(id::text || salt), 1, 8))::bit(32)::bigint / 4294967296.0 $$;
CREATE TABLE campaign_outreach AS
SELECT account_id, treated, true_effect,
       pg_temp.u(account_id, 'outcome') < base_p + CASE WHEN treated THEN true_effect ELSE 0 END AS converted
FROM (SELECT account_id, pg_temp.u(account_id, 'treated') < 0.5 AS treated,
             1 / (1 + exp(-(-2.2 + 0.02 * least(web_visits_90d, 80) + 0.4 * demo_requested::int))) AS base_p,
             CASE WHEN demo_requested OR web_visits_90d >= 30 THEN 0.15
                  WHEN uses_competitor THEN -0.03 ELSE 0.02 END AS true_effect
      FROM accounts) s;
ALTER TABLE campaign_outreach ADD PRIMARY KEY (account_id);
COMMENT ON TABLE campaign_outreach IS 'generated outbound campaign: randomised treated/control split, outcome, and the true effect the generator used';
