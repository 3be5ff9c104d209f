-- test/demo/gen.sql — a deterministic, realistic B2B data set.
--
-- About 2,000 accounts (industry, size band, region, firmographics), 5–20
-- contacts each with a buying role (as free CRM text, aliases included),
-- touchpoint events moving contacts through the seven journey stages over
-- 18 months (with stalls and moves backwards), orders with amounts for the
-- accounts that bought, NPS answers and CRM opportunities.
--
-- Seeded: the same data on every run (the generator runs in one backend,
-- serially).  Observation window: 2025-05-01 .. 2026-11-01.
--
--   psql -v accounts=2000 -f test/demo/gen.sql
\if :{?accounts}
\else
\set accounts 2000
\endif

SET max_parallel_workers_per_gather = 0;
SET client_min_messages = warning;
DROP TABLE IF EXISTS accounts, contacts, touchpoints, orders, nps_responses, opportunities CASCADE;

CREATE TABLE accounts (
	account_id      integer PRIMARY KEY,
	name            text NOT NULL,
	industry        text NOT NULL,
	size_band       text NOT NULL,      -- '1-49', '50-249', '250-999', '1000+'
	employees       integer NOT NULL,
	region          text NOT NULL,
	created_at      timestamptz NOT NULL,
	web_visits_90d  integer NOT NULL,   -- site visits in the last 90 days
	content_downloads integer NOT NULL,
	demo_requested  boolean NOT NULL,
	uses_competitor boolean NOT NULL,
	converted       boolean NOT NULL    -- bought within the window
);
CREATE TABLE contacts (
	contact_id      integer PRIMARY KEY,
	account_id      integer NOT NULL REFERENCES accounts,
	full_name       text NOT NULL,
	title           text NOT NULL,
	role            text NOT NULL,      -- CRM text: 'Decision Maker', 'Budget Holder', …
	hubspot_lifecyclestage text         -- HubSpot's internal value, as exported
);
CREATE TABLE touchpoints (
	event_id        bigint PRIMARY KEY,
	contact_id      integer NOT NULL,
	account_id      integer NOT NULL REFERENCES accounts,
	ts              timestamptz NOT NULL,
	stage           journey_stage NOT NULL,
	channel         text NOT NULL
);
CREATE TABLE orders (
	order_id        integer PRIMARY KEY,
	account_id      integer NOT NULL REFERENCES accounts,
	ts              timestamptz NOT NULL,
	amount          numeric(12, 2) NOT NULL
);
CREATE TABLE nps_responses (
	account_id      integer NOT NULL REFERENCES accounts,
	contact_id      integer NOT NULL,
	ts              timestamptz NOT NULL,
	score           integer NOT NULL
);
CREATE TABLE opportunities (
	opportunity_id  integer PRIMARY KEY,
	account_id      integer NOT NULL REFERENCES accounts,
	stagename       text NOT NULL,      -- Salesforce picklist value
	amount          numeric(12, 2) NOT NULL,
	created_at      timestamptz NOT NULL
);

CREATE FUNCTION pg_temp.rexp(mean float8) RETURNS float8 LANGUAGE sql AS
$$ SELECT -mean * ln(1.0 - random()) $$;
CREATE FUNCTION pg_temp.rnorm() RETURNS float8 LANGUAGE sql AS
$$ SELECT sqrt(-2 * ln(1.0 - random())) * cos(2 * pi() * random()) $$;
CREATE FUNCTION pg_temp.pick(items text[], weights float8[]) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	u float8 := random() * (SELECT sum(w) FROM unnest(weights) w);
	i int;
BEGIN
	FOR i IN 1 .. array_length(items, 1) LOOP
		u := u - weights[i];
		IF u <= 0 THEN RETURN items[i]; END IF;
	END LOOP;
	RETURN items[array_length(items, 1)];
END $$;

SELECT set_config('b2b.accounts', :'accounts', false) \gset

DO $gen$
DECLARE
	n_accounts int := current_setting('b2b.accounts')::int;
	t0 timestamptz := '2025-05-01 00:00:00+00';
	t_end timestamptz := '2026-11-01 00:00:00+00';
	industries text[] := ARRAY['Manufacturing', 'Software', 'Healthcare', 'Retail', 'Logistics', 'Financial Services', 'Education', 'Construction'];
	ind_w float8[] := ARRAY[18, 16, 12, 14, 10, 10, 8, 12];
	regions text[] := ARRAY['North America', 'Europe', 'UK & Ireland', 'DACH', 'Nordics', 'APAC', 'LATAM'];
	reg_w float8[] := ARRAY[35, 20, 10, 12, 6, 12, 5];
	roles text[] := ARRAY['Decision Maker', 'Budget Holder', 'Executive Sponsor', 'Champion', 'Technical Evaluator', 'Influencer', 'End User', 'Procurement', 'Legal & Compliance', 'Blocker', 'Other'];
	role_w float8[] := ARRAY[8, 8, 5, 12, 15, 15, 21, 6, 3, 4, 3];
	titles text[] := ARRAY['CEO', 'CFO', 'VP Operations', 'Operations Manager', 'IT Director', 'Head of Procurement', 'Engineer', 'Analyst', 'General Counsel', 'Plant Manager', 'Office Manager'];
	channels text[] := ARRAY['web', 'email', 'webinar', 'event', 'sales call', 'demo', 'trial', 'support'];
	firsts text[] := ARRAY['Anna', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jon', 'Kemal', 'Lena', 'Marco', 'Nadia', 'Oskar', 'Priya'];
	lasts text[] := ARRAY['Schmidt', 'Okafor', 'Garcia', 'Nguyen', 'Rossi', 'Kowalski', 'Larsen', 'Tanaka', 'Dubois', 'Silva', 'Murphy', 'Cohen'];
	name_a text[] := ARRAY['North', 'Blue', 'Iron', 'Bright', 'Summit', 'Pioneer', 'Vertex', 'Harbor', 'Atlas', 'Cedar', 'Nova', 'Granite'];
	name_b text[] := ARRAY['Systems', 'Works', 'Logistics', 'Health', 'Labs', 'Industries', 'Supply', 'Group', 'Partners', 'Foods', 'Metals', 'Digital'];
	a int; c int; k int;
	next_contact int := 0; next_event bigint := 0; next_order int := 0; next_opp int := 0;
	emp int; band text; ind text; visits int; downloads int; demo boolean; competitor boolean;
	lin float8; p_buy float8; conv boolean; buy_at timestamptz;
	n_contacts int; role text; st int; ts timestamptz; cap int; furthest int;
	gap float8; lam float8; p_drop float8; amt float8; ots timestamptz; base_amt float8;
	size_bands text[] := ARRAY['1-49', '50-249', '250-999', '1000+'];
	hs text;
BEGIN
	PERFORM setseed(0.20251122);
	FOR a IN 1 .. n_accounts LOOP
		emp := greatest(5, round(exp(3.2 + 1.6 * pg_temp.rnorm())))::int;
		band := CASE WHEN emp < 50 THEN '1-49' WHEN emp < 250 THEN '50-249' WHEN emp < 1000 THEN '250-999' ELSE '1000+' END;
		ind := pg_temp.pick(industries, ind_w);
		visits := floor(pg_temp.rexp(12 + 0.004 * least(emp, 5000)))::int;
		downloads := floor(pg_temp.rexp(1.5))::int;
		demo := random() < 0.25;
		competitor := random() < 0.4;
		-- the true purchase propensity: what a model should recover
		lin := -3.1 + 0.32 * ln(emp) + 0.035 * least(visits, 80) + 0.25 * least(downloads, 6)
			+ 1.3 * demo::int - 0.6 * competitor::int
			+ CASE ind WHEN 'Manufacturing' THEN 0.4 WHEN 'Logistics' THEN 0.3 WHEN 'Education' THEN -0.5 ELSE 0 END;
		p_buy := 1 / (1 + exp(-lin));
		conv := random() < p_buy;
		INSERT INTO accounts VALUES (a,
			name_a[1 + floor(random() * 12)::int] || ' ' || name_b[1 + floor(random() * 12)::int] || ' #' || a,
			ind, band, emp, pg_temp.pick(regions, reg_w),
			t0 - make_interval(days => floor(random() * 900)::int),
			visits, downloads, demo, competitor, conv);

		-- when the account buys (if it does): the furthest contact reaches purchase
		buy_at := CASE WHEN conv THEN t0 + make_interval(days => 60 + floor(random() * 400)::int) END;
		n_contacts := 5 + floor(random() * 16)::int;
		FOR c IN 1 .. n_contacts LOOP
			next_contact := next_contact + 1;
			role := pg_temp.pick(roles, role_w);
			-- journey: a random walk over the stages, in time
			ts := t0 + make_interval(days => floor(random() * 420)::int, secs => floor(random() * 86400)::int);
			st := 1;
			furthest := 1;
			cap := CASE WHEN conv THEN 7 ELSE (CASE WHEN random() < 0.5 THEN 3 ELSE 4 END) END;
			k := 0;
			WHILE ts < t_end AND k < 30 LOOP
				next_event := next_event + 1;
				INSERT INTO touchpoints VALUES (next_event, next_contact, a, ts, st::journey_stage,
					channels[1 + floor(random() * 8)::int]);
				k := k + 1;
				-- next event: usually weeks later, sometimes a long stall
				gap := CASE WHEN random() < 0.12 THEN 60 + random() * 160 ELSE pg_temp.rexp(18) + 1 END;
				ts := ts + make_interval(secs => floor(gap * 86400)::int);
				IF random() < 0.08 AND st > 1 THEN
					st := st - 1;                       -- a move backwards
				ELSIF random() < 0.30 + 0.4 * p_buy THEN
					IF st + 1 <= cap AND (st + 1 < 5 OR (buy_at IS NOT NULL AND ts >= buy_at)) THEN
						st := st + 1;
					END IF;
				END IF;
				IF st = 7 AND random() < 0.5 THEN
					EXIT;
				END IF;
				furthest := greatest(furthest, st);
			END LOOP;
			hs := CASE furthest WHEN 1 THEN 'subscriber' WHEN 2 THEN (CASE WHEN random() < 0.5 THEN 'lead' ELSE 'marketingqualifiedlead' END)
				WHEN 3 THEN 'salesqualifiedlead' WHEN 4 THEN 'opportunity' WHEN 7 THEN 'evangelist' ELSE 'customer' END;
			INSERT INTO contacts VALUES (next_contact, a,
				firsts[1 + floor(random() * 16)::int] || ' ' || lasts[1 + floor(random() * 12)::int],
				titles[1 + floor(random() * 11)::int], role,
				CASE WHEN random() < 0.03 THEN 'other' ELSE hs END);
			IF conv AND furthest >= 5 AND random() < 0.25 THEN
				INSERT INTO nps_responses VALUES (a, next_contact,
					least(t_end - interval '1 day', buy_at + make_interval(days => 30 + floor(random() * 200)::int)),
					greatest(0, least(10, round(7.2 + 2.5 * pg_temp.rnorm() + 2 * (p_buy - 0.3))))::int);
			END IF;
		END LOOP;

		-- an open or closed CRM opportunity for engaged accounts
		IF conv OR random() < 0.45 THEN
			next_opp := next_opp + 1;
			INSERT INTO opportunities VALUES (next_opp, a,
				CASE WHEN conv THEN 'Closed Won'
					 ELSE (ARRAY['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers',
								 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Lost'])[1 + floor(random() * 9)::int] END,
				round((2000 + emp * (20 + 60 * random()))::numeric, 2),
				t0 + make_interval(days => floor(random() * 500)::int));
		END IF;

		-- orders: repeat purchases (Poisson while alive, dropout after each order)
		IF conv THEN
			lam := (0.4 + 2.6 * random() * random()) / 30.0;      -- orders per day
			p_drop := 0.02 + 0.25 * random() * random();
			base_amt := (300 + 4 * least(emp, 20000)) * exp(0.5 * pg_temp.rnorm());
			ots := buy_at;
			LOOP
				EXIT WHEN ots >= t_end;
				next_order := next_order + 1;
				amt := base_amt * exp(0.35 * pg_temp.rnorm());
				INSERT INTO orders VALUES (next_order, a, ots, round(amt::numeric, 2));
				EXIT WHEN random() < p_drop;
				ots := ots + make_interval(secs => floor(pg_temp.rexp(1.0 / lam) * 86400)::int + 3600);
			END LOOP;
		END IF;
	END LOOP;
END
$gen$;

-- contacts are written after their journeys (their CRM stage depends on it)
ALTER TABLE touchpoints ADD FOREIGN KEY (contact_id) REFERENCES contacts;
ALTER TABLE nps_responses ADD FOREIGN KEY (contact_id) REFERENCES contacts;
CREATE INDEX ON touchpoints (contact_id, ts);
CREATE INDEX ON touchpoints (account_id);
CREATE INDEX ON contacts (account_id);
CREATE INDEX ON orders (account_id, ts);
ANALYZE;
RESET client_min_messages;
RESET max_parallel_workers_per_gather;
