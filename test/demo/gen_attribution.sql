-- test/demo/gen_attribution.sql — marketing touches with channels of real,
-- different effects, for the attribution section (report_91_attribution.sql).
-- Runs after gen.sql (uses its accounts); seeded, serial, deterministic.
--
-- Each account meets the seller through a sequence of touches; after each
-- touch it buys with a probability that depends on the channel of that
-- touch and on how far the account has come:
--   demo and sales_call move accounts forward (to evaluation / decision)
--   and raise the chance of a purchase most; webinar and event help;
--   email helps a little; web, social and display are noise (frequent,
--   no effect); one account in ten drops out after each touch.  The stage
--   of a touch marks the B2B milestones: lead creation (consideration)
--   after a webinar, event or email, opportunity (decision) after a demo or
--   a sales call, purchase on the sales call where the deal is signed.
SET max_parallel_workers_per_gather = 0;
SET client_min_messages = warning;
DROP TABLE IF EXISTS marketing_touches, marketing_deals;
CREATE TABLE marketing_touches (
	account_id  integer NOT NULL REFERENCES accounts,
	ts          timestamptz NOT NULL,
	channel     text NOT NULL,
	stage       journey_stage
);
CREATE TABLE marketing_deals (
	account_id   integer PRIMARY KEY REFERENCES accounts,
	converted_at timestamptz,            -- NULL: no purchase in the window
	value        float8
);
COMMENT ON TABLE marketing_touches IS 'demo: marketing and sales touches per account, channels with different effects';
COMMENT ON TABLE marketing_deals IS 'demo: the purchase (or none) of each account and its value';

DO $$
DECLARE
	channels text[] := ARRAY['web', 'social', 'display', 'email', 'webinar', 'event', 'demo', 'sales_call'];
	-- how often a channel is the next touch (noise channels are frequent)
	freq float8[] := ARRAY[0.22, 0.12, 0.12, 0.16, 0.10, 0.08, 0.10, 0.10];
	-- added chance of a purchase right after a touch of the channel
	lift float8[] := ARRAY[0.0, 0.0, 0.0, 0.01, 0.04, 0.04, 0.10, 0.12];
	a record;
	ts timestamptz;
	st int;
	k int;
	u float8;
	c int;
	acc float8;
	bought boolean;
BEGIN
	PERFORM setseed(0.91);
	FOR a IN SELECT account_id, employees FROM accounts ORDER BY account_id LOOP
		ts := '2025-05-01'::timestamptz + make_interval(secs => floor(random() * 200 * 86400)::int);
		st := 1;
		bought := false;
		FOR k IN 1 .. 15 LOOP
			u := random();
			acc := 0;
			c := 8;
			FOR i IN 1 .. 8 LOOP
				acc := acc + freq[i];
				IF u < acc THEN c := i; EXIT; END IF;
			END LOOP;
			IF channels[c] IN ('webinar', 'event', 'email') AND st < 2 AND random() < 0.5 THEN
				st := 2;
			ELSIF channels[c] = 'demo' AND st < 3 THEN
				st := 3 + (random() < 0.4)::int;
			ELSIF channels[c] = 'sales_call' AND st >= 2 AND st < 4 THEN
				st := 4;
			END IF;
			bought := random() < 0.005 + lift[c] * (0.5 + 0.25 * st);
			-- a deal signed on a sales call marks the purchase milestone
			INSERT INTO marketing_touches VALUES (a.account_id, ts, channels[c],
				CASE WHEN bought AND channels[c] = 'sales_call' THEN 'purchase'
					 WHEN random() < 0.8 THEN st::journey_stage END);
			IF bought THEN
				INSERT INTO marketing_deals VALUES (a.account_id, ts + interval '2 days',
					round((8000 + a.employees * 12 * (0.5 + random()))::numeric, 2)::float8);
				EXIT;
			END IF;
			-- some accounts just go away
			EXIT WHEN random() < 0.10;
			ts := ts + make_interval(secs => floor((1 + random() * 20) * 86400)::int);
			EXIT WHEN ts > '2026-11-01';
		END LOOP;
		IF NOT bought THEN
			INSERT INTO marketing_deals VALUES (a.account_id, NULL, NULL);
		END IF;
	END LOOP;
END $$;
ANALYZE marketing_touches;
ANALYZE marketing_deals;
