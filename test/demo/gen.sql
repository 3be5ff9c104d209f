-- test/demo/gen.sql — a deterministic B2B data set with real causes.
--
-- About 2,000 accounts of four planted personas (account types), each with
-- firmographics (industry, size band, region), a buying committee of 3–20
-- contacts with CRM roles, journeys through the seven stages made of
-- touchpoints on eight channels, CRM opportunities (won, lost, open), repeat
-- orders with churn, and NPS answers.  What causes what is planted and
-- written down in test/demo/TRUTH.md and in the table demo_truth, so the
-- report can show that the extension recovers it:
--
-- * whether an account buys: a logistic model of its firmographics, its
--   engagement, its persona and its committee coverage (the share of the four
--   required roles — decision maker, economic buyer, champion, technical
--   evaluator — among its contacts);
-- * how fast: each stage's dwell time depends on the persona, and a complete
--   committee moves faster;
-- * which channels move contacts on: the touch that takes a contact into a
--   stage is drawn from channels weighted by their true effect at that stage;
--   the other touches are mostly web and email noise;
-- * opportunity amounts depend on size and persona; orders repeat while the
--   customer is alive (Poisson orders, dropout after each order).
--
-- One vocabulary (the report's definitions):
-- * an account is a company; its contacts are its buying committee;
-- * an account's stage is the furthest stage of any of its contacts;
-- * an account converts (becomes a buyer) when its opportunity is Closed Won:
--   at that moment its lead contact reaches purchase and its first order is
--   placed, so converted = Closed Won = has orders = reached purchase, always.
--
-- Seeded: the same data on every run (one backend, serially).  Observation
-- window: 2025-05-01 .. 2026-11-01.
--
--   psql -v accounts=2000 -f test/demo/gen.sql
\if :{?accounts}
\else
\set accounts 2000
\endif

SET max_parallel_workers_per_gather = 0;
SET client_min_messages = warning;
DROP TABLE IF EXISTS accounts, contacts, touchpoints, orders, nps_responses, opportunities, demo_truth CASCADE;

CREATE TABLE accounts (
	account_id      integer PRIMARY KEY,
	name            text NOT NULL,
	industry        text NOT NULL,
	size_band       text NOT NULL,      -- '1-49', '50-249', '250-999', '1000+'
	employees       integer NOT NULL,
	region          text NOT NULL,
	persona         text NOT NULL,      -- the planted account type (the CRM account type; k-means does not see it)
	created_at      timestamptz NOT NULL,
	web_visits_90d  integer NOT NULL,   -- site visits in the last 90 days
	content_downloads integer NOT NULL,
	demo_requested  boolean NOT NULL,
	uses_competitor boolean NOT NULL,
	converted       boolean NOT NULL,   -- Closed Won within the window
	won_at          timestamptz         -- when (NULL unless converted)
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
	created_at      timestamptz NOT NULL,
	closed_at       timestamptz         -- NULL while open
);
-- The planted effects, for the report to compare with what it recovers.
CREATE TABLE demo_truth (
	name            text PRIMARY KEY,
	value           float8 NOT NULL,
	meaning         text NOT NULL
);

CREATE FUNCTION pg_temp.rexp(mean float8) RETURNS float8 LANGUAGE sql AS
$$ SELECT -mean * ln(1.0 - random()) $$;
CREATE FUNCTION pg_temp.rnorm() RETURNS float8 LANGUAGE sql AS
$$ SELECT sqrt(-2 * ln(1.0 - random())) * cos(2 * pi() * random()) $$;
CREATE FUNCTION pg_temp.row_of(m float8[], r int) RETURNS float8[] LANGUAGE sql AS
$$ SELECT array_agg(m[r][j] ORDER BY j) FROM generate_series(1, array_length(m, 2)) j $$;
CREATE FUNCTION pg_temp.pick(items text[], weights float8[]) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	u float8 := 0;
	i int;
	n int := array_length(items, 1);
BEGIN
	FOR i IN 1 .. n LOOP
		u := u + weights[i];
	END LOOP;
	u := u * random();
	FOR i IN 1 .. n LOOP
		u := u - weights[i];
		IF u <= 0 THEN RETURN items[i]; END IF;
	END LOOP;
	RETURN items[array_length(items, 1)];
END $$;

INSERT INTO demo_truth VALUES
	('intercept', -4.4, 'log-odds of buying: intercept'),
	('log_employees', 0.30, 'log-odds per unit of ln(employees)'),
	('web_visits', 0.03, 'log-odds per web visit in the last 90 days (capped at 80)'),
	('downloads', 0.25, 'log-odds per content download (capped at 6)'),
	('demo_requested', 1.2, 'log-odds when a demo was requested'),
	('uses_competitor', -0.6, 'log-odds when the account uses a competitor'),
	('coverage', 1.6, 'log-odds per unit of committee coverage (0 to 1: share of the four required roles present)'),
	('persona_small_office', 0.3, 'log-odds of the small-office persona (against enterprise fleet)'),
	('persona_mid_market', 0.4, 'log-odds of the mid-market persona'),
	('persona_public_sector', -0.8, 'log-odds of the public-sector persona'),
	('speedup_full_committee', 0.6, 'dwell time of a stage is multiplied by (1.4 - 0.6 * coverage): a full committee moves 1.5 times as fast as an empty one'),
	('campaign_effect', 0, 'no campaign in the base data set (see gen_targeting.sql)');

SELECT set_config('b2b.accounts', :'accounts', false) \gset

DO $gen$
DECLARE
	n_accounts int := current_setting('b2b.accounts')::int;
	t0 timestamptz := '2025-05-01 00:00:00+00';
	t_end timestamptz := '2026-11-01 00:00:00+00';
	industries text[] := ARRAY['Manufacturing', 'Software', 'Healthcare', 'Retail', 'Logistics', 'Financial Services', 'Education', 'Construction'];
	regions text[] := ARRAY['North America', 'Europe', 'UK & Ireland', 'DACH', 'Nordics', 'APAC', 'LATAM'];
	reg_w float8[] := ARRAY[35, 20, 10, 12, 6, 12, 5];
	-- the four personas: share, industries, size, committee size, speed, deal size, ordering
	personas text[] := ARRAY['enterprise fleet', 'mid-market growth', 'small office', 'public sector'];
	pers_w float8[] := ARRAY[20, 35, 30, 15];
	required text[] := ARRAY['Decision Maker', 'Budget Holder', 'Champion', 'Technical Evaluator'];
	others text[] := ARRAY['Executive Sponsor', 'Influencer', 'End User', 'Procurement', 'Legal & Compliance', 'Blocker', 'Other', 'Technical Evaluator', 'Champion'];
	others_w float8[] := ARRAY[6, 18, 26, 8, 4, 5, 4, 8, 4];
	titles text[] := ARRAY['CEO', 'CFO', 'VP Operations', 'Operations Manager', 'IT Director', 'Head of Procurement', 'Engineer', 'Analyst', 'General Counsel', 'Plant Manager', 'Office Manager'];
	channels text[] := ARRAY['web', 'email', 'webinar', 'event', 'sales call', 'demo', 'trial', 'support'];
	-- channel weights of the touch that moves a contact INTO stage k (k = 2..7):
	-- the true effects; and of every other touch (noise)
	move_w float8[] := ARRAY[
		[2, 1, 4, 2, 0.5, 0.2, 0, 0],      -- into consideration: webinars, events, web
		[1, 0.5, 2, 0.5, 2, 4, 0.5, 0],    -- into evaluation: demos, webinars, sales calls
		[0.5, 0.5, 0.5, 0.5, 3, 3, 4, 0],  -- into decision: trials, demos, sales calls
		[0.2, 0.5, 0, 0, 5, 1, 2, 0],      -- into purchase: sales calls, trials
		[0.5, 2, 0, 0, 0.5, 0, 0, 4],      -- into retention: support, email
		[0.5, 0.5, 1, 3, 0, 0, 0, 2]];     -- into advocacy: events, support
	noise_pre float8[] := ARRAY[6, 6, 1, 0.5, 0.5, 0.2, 0, 0];
	noise_post float8[] := ARRAY[3, 4, 0.5, 0.5, 0.5, 0, 0, 3];
	dwell_mean float8[] := ARRAY[30, 35, 45, 40];   -- days in awareness .. decision, before the persona factor
	firsts text[] := ARRAY['Anna', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jon', 'Kemal', 'Lena', 'Marco', 'Nadia', 'Oskar', 'Priya'];
	lasts text[] := ARRAY['Schmidt', 'Okafor', 'Garcia', 'Nguyen', 'Rossi', 'Kowalski', 'Larsen', 'Tanaka', 'Dubois', 'Silva', 'Murphy', 'Cohen'];
	name_a text[] := ARRAY['North', 'Blue', 'Iron', 'Bright', 'Summit', 'Pioneer', 'Vertex', 'Harbor', 'Atlas', 'Cedar', 'Nova', 'Granite'];
	name_b text[] := ARRAY['Systems', 'Works', 'Logistics', 'Health', 'Labs', 'Industries', 'Supply', 'Group', 'Partners', 'Foods', 'Metals', 'Digital'];
	-- move_w's rows as one-dimensional arrays, by stage entered
	mw2 float8[]; mw3 float8[]; mw4 float8[]; mw5 float8[]; mw6 float8[]; mw7 float8[];
	a int; c int; k int; s int; i int;
	next_contact int := 0; next_event bigint := 0; next_order int := 0; next_opp int := 0;
	persona text; emp int; band text; ind text; visits int; downloads int; demo boolean; competitor boolean;
	n_contacts int; roles text[]; coverage float8; speed float8; lin float8; p_buy float8; buys boolean;
	t_start timestamptz; enter timestamptz[]; lead_enter timestamptz[]; furthest int; cap int;
	won timestamptz; conv boolean; ts timestamptz; stay_end timestamptz; n_touch int;
	amt float8; lam float8; p_drop float8; base_amt float8; ots timestamptz; hs text;
	deal_amt float8; opp_created timestamptz;
	-- one account's touchpoints, inserted together (the same rows, fewer statements)
	tp_id bigint[]; tp_contact int[]; tp_ts timestamptz[]; tp_stage int[]; tp_channel text[]; st int;
BEGIN
	mw2 := pg_temp.row_of(move_w, 1); mw3 := pg_temp.row_of(move_w, 2); mw4 := pg_temp.row_of(move_w, 3);
	mw5 := pg_temp.row_of(move_w, 4); mw6 := pg_temp.row_of(move_w, 5); mw7 := pg_temp.row_of(move_w, 6);
	PERFORM setseed(0.20261201);
	FOR a IN 1 .. n_accounts LOOP
		persona := pg_temp.pick(personas, pers_w);
		CASE persona
		WHEN 'enterprise fleet' THEN
			emp := greatest(1000, round(exp(7.6 + 0.6 * pg_temp.rnorm())))::int;
			ind := pg_temp.pick(industries, ARRAY[30, 5, 10, 10, 30, 5, 0, 10]);
			n_contacts := 12 + floor(random() * 9)::int;
			speed := 1.5;
		WHEN 'mid-market growth' THEN
			emp := least(999, greatest(250, round(exp(6.1 + 0.4 * pg_temp.rnorm()))))::int;
			ind := pg_temp.pick(industries, ARRAY[15, 30, 15, 15, 10, 15, 0, 0]);
			n_contacts := 7 + floor(random() * 6)::int;
			speed := 0.9;
		WHEN 'small office' THEN
			emp := least(49, greatest(3, round(exp(2.8 + 0.6 * pg_temp.rnorm()))))::int;
			ind := pg_temp.pick(industries, ARRAY[5, 20, 15, 30, 5, 10, 0, 15]);
			n_contacts := 3 + floor(random() * 4)::int;
			speed := 0.5;
		ELSE
			emp := greatest(50, round(exp(6.0 + 0.8 * pg_temp.rnorm())))::int;
			ind := pg_temp.pick(industries, ARRAY[0, 0, 40, 0, 0, 0, 60, 0]);
			n_contacts := 8 + floor(random() * 7)::int;
			speed := 1.8;
		END CASE;
		band := CASE WHEN emp < 50 THEN '1-49' WHEN emp < 250 THEN '50-249' WHEN emp < 1000 THEN '250-999' ELSE '1000+' END;
		visits := floor(pg_temp.rexp(10 + 0.003 * least(emp, 5000)))::int;
		downloads := floor(pg_temp.rexp(1.5))::int;
		demo := random() < 0.25;
		competitor := random() < 0.4;

		-- the committee: each required role present with a persona-dependent
		-- chance, the rest of the contacts from the other roles
		roles := ARRAY[]::text[];
		FOR i IN 1 .. 4 LOOP
			IF random() < (CASE persona WHEN 'small office' THEN 0.55 WHEN 'public sector' THEN 0.6 ELSE 0.75 END) THEN
				roles := roles || required[i];
			END IF;
		END LOOP;
		coverage := cardinality(roles) / 4.0;
		WHILE cardinality(roles) < n_contacts LOOP
			roles := roles || pg_temp.pick(others, others_w);
		END LOOP;
		-- required roles drawn among "others" count for coverage too
		coverage := (SELECT count(DISTINCT r) FROM unnest(roles) r WHERE r = ANY (required)) / 4.0;

		-- whether it would buy: the planted logistic model
		lin := -4.4 + 0.30 * ln(emp) + 0.03 * least(visits, 80) + 0.25 * least(downloads, 6)
			+ 1.2 * demo::int - 0.6 * competitor::int + 1.6 * coverage
			+ CASE persona WHEN 'small office' THEN 0.3 WHEN 'mid-market growth' THEN 0.4 WHEN 'public sector' THEN -0.8 ELSE 0 END;
		p_buy := 1 / (1 + exp(-lin));
		buys := random() < p_buy;

		-- the lead contact's journey sets the account's pace: stage k entered at
		-- lead_enter[k]; a buyer reaches purchase at won = lead_enter[5]
		t_start := t0 + make_interval(days => floor(random() * 470)::int, secs => floor(random() * 86400)::int);
		lead_enter := ARRAY[t_start];
		FOR s IN 2 .. 5 LOOP
			lead_enter := lead_enter || (lead_enter[s - 1] + make_interval(secs => floor(
				86400 * (2 + pg_temp.rexp(dwell_mean[s - 1] * speed * (1.4 - 0.6 * coverage))))::int));
		END LOOP;
		IF buys THEN
			cap := 7;
		ELSE
			-- how far a deal that is not won gets: further when it was closer to winning
			cap := CASE WHEN random() < 0.25 + 0.5 * p_buy THEN 4 WHEN random() < 0.6 THEN 3 ELSE 2 END;
		END IF;
		won := CASE WHEN buys THEN lead_enter[5] END;
		conv := won IS NOT NULL AND won < t_end;
		INSERT INTO accounts VALUES (a,
			name_a[1 + floor(random() * 12)::int] || ' ' || name_b[1 + floor(random() * 12)::int] || ' #' || a,
			ind, band, emp, pg_temp.pick(regions, reg_w), persona,
			t0 - make_interval(days => floor(random() * 900)::int),
			visits, downloads, demo, competitor, conv, CASE WHEN conv THEN won END);

		tp_id := '{}'; tp_contact := '{}'; tp_ts := '{}'; tp_stage := '{}'; tp_channel := '{}';
		FOR c IN 1 .. n_contacts LOOP
			next_contact := next_contact + 1;
			-- contact 1 is the lead; the others join a little later and get at
			-- most as far, never to purchase before the account has won
			IF c = 1 THEN
				enter := lead_enter;
				furthest := CASE WHEN conv THEN 5 + (random() < 0.6)::int + (random() < 0.3)::int ELSE least(cap, 4) END;
			ELSE
				enter := ARRAY[lead_enter[1] + make_interval(days => floor(random() * 45)::int, secs => floor(random() * 86400)::int)];
				FOR s IN 2 .. 4 LOOP
					enter := enter || greatest(lead_enter[s], enter[s - 1]) + make_interval(secs => floor(86400 * pg_temp.rexp(10 * speed))::int);
				END LOOP;
				enter := enter || (greatest(won, enter[4]) + make_interval(secs => floor(86400 * pg_temp.rexp(7))::int));
				furthest := CASE WHEN conv THEN 2 + floor(random() * 5)::int
					ELSE 1 + floor(random() * least(cap, 4))::int END;
			END IF;
			IF furthest >= 6 THEN
				enter := enter || (enter[5] + make_interval(secs => floor(86400 * (20 + pg_temp.rexp(60)))::int));
			END IF;
			IF furthest >= 7 THEN
				enter := enter || (enter[6] + make_interval(secs => floor(86400 * (30 + pg_temp.rexp(90)))::int));
			END IF;
			-- touches: the one that enters each stage carries a channel drawn by
			-- its true effect there; the others within the stay are noise; a stay
			-- ends at the next stage's entry (or the end of the window)
			FOR s IN 1 .. furthest LOOP
				EXIT WHEN enter[s] >= t_end;
				next_event := next_event + 1;
				tp_id := tp_id || next_event; tp_contact := tp_contact || next_contact;
				tp_ts := tp_ts || enter[s]; tp_stage := tp_stage || s;
				tp_channel := tp_channel || CASE WHEN s = 1 THEN pg_temp.pick(channels, noise_pre)
						 ELSE pg_temp.pick(channels, CASE s WHEN 2 THEN mw2 WHEN 3 THEN mw3 WHEN 4 THEN mw4
							WHEN 5 THEN mw5 WHEN 6 THEN mw6 ELSE mw7 END) END;
				stay_end := CASE WHEN s < furthest THEN least(enter[s + 1], t_end)
					ELSE least(t_end, enter[s] + make_interval(days => CASE WHEN s >= 5 THEN 240 ELSE 90 END)) END;
				n_touch := floor(extract(epoch FROM stay_end - enter[s]) / 86400 / (14 * (0.6 + random())))::int;
				FOR i IN 1 .. least(n_touch, 12) LOOP
					ts := enter[s] + (stay_end - enter[s]) * random();
					next_event := next_event + 1;
					-- now and then a contact slips back a stage for one touch
					st := CASE WHEN s > 1 AND s < 5 AND random() < 0.04 THEN s - 1 ELSE s END;
					tp_id := tp_id || next_event; tp_contact := tp_contact || next_contact;
					tp_ts := tp_ts || ts; tp_stage := tp_stage || st;
					tp_channel := tp_channel || pg_temp.pick(channels, CASE WHEN s >= 5 THEN noise_post ELSE noise_pre END);
				END LOOP;
			END LOOP;
			hs := CASE furthest WHEN 1 THEN 'subscriber' WHEN 2 THEN (CASE WHEN random() < 0.5 THEN 'lead' ELSE 'marketingqualifiedlead' END)
				WHEN 3 THEN 'salesqualifiedlead' WHEN 4 THEN 'opportunity' WHEN 7 THEN 'evangelist' ELSE 'customer' END;
			INSERT INTO contacts VALUES (next_contact, a,
				firsts[1 + floor(random() * 16)::int] || ' ' || lasts[1 + floor(random() * 12)::int],
				titles[1 + floor(random() * 11)::int], roles[c],
				CASE WHEN random() < 0.03 THEN 'other' ELSE hs END);
			-- customers' contacts answer NPS; aligned (complete) committees are happier
			IF conv AND furthest >= 5 AND enter[5] < t_end - interval '40 days' AND random() < 0.3 THEN
				INSERT INTO nps_responses VALUES (a, next_contact,
					least(t_end - interval '1 day', enter[5] + make_interval(days => 30 + floor(random() * 200)::int)),
					greatest(0, least(10, round(6.6 + 2.2 * pg_temp.rnorm() + 2.0 * coverage)))::int);
			END IF;
		END LOOP;

		INSERT INTO touchpoints
		SELECT u.e_id, u.e_contact, a, u.e_ts, u.e_stage::journey_stage, u.e_channel
		FROM unnest(tp_id, tp_contact, tp_ts, tp_stage, tp_channel) u(e_id, e_contact, e_ts, e_stage, e_channel);

		-- the opportunity: created when the lead reaches decision; won at won,
		-- lost 60–150 days after creation, or still open at the end of the window
		deal_amt := CASE persona WHEN 'enterprise fleet' THEN 60000 WHEN 'mid-market growth' THEN 18000
			WHEN 'small office' THEN 3000 ELSE 25000 END * power(emp / 500.0, 0.25) * exp(0.3 * pg_temp.rnorm());
		opp_created := CASE WHEN buys OR cap >= 4 THEN lead_enter[4] WHEN cap = 3 AND random() < 0.5 THEN lead_enter[3] END;
		IF opp_created IS NOT NULL AND opp_created < t_end THEN
			next_opp := next_opp + 1;
			IF conv THEN
				INSERT INTO opportunities VALUES (next_opp, a, 'Closed Won', round(deal_amt::numeric, 2), opp_created, won);
			ELSIF NOT buys AND cap >= 4 AND opp_created + interval '150 days' < t_end THEN
				INSERT INTO opportunities VALUES (next_opp, a, 'Closed Lost', round(deal_amt::numeric, 2), opp_created,
					opp_created + make_interval(days => 60 + floor(random() * 90)::int));
			ELSE
				INSERT INTO opportunities VALUES (next_opp, a,
					CASE WHEN buys OR cap >= 4 THEN (ARRAY['Proposal/Price Quote', 'Negotiation/Review', 'Id. Decision Makers', 'Perception Analysis'])[1 + floor(random() * 4)::int]
						 ELSE (ARRAY['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition'])[1 + floor(random() * 4)::int] END,
					round(deal_amt::numeric, 2), opp_created, NULL);
			END IF;
		END IF;

		-- orders: the first when the deal is won, then repeat orders while alive
		IF conv THEN
			-- order rates and dropout by persona; spend per order independent of
			-- the order rate (as the Gamma-Gamma model assumes)
			CASE persona
			WHEN 'small office' THEN lam := 1.6 / 30.0; p_drop := 0.04;
			WHEN 'enterprise fleet' THEN lam := 0.5 / 30.0; p_drop := 0.05;
			WHEN 'mid-market growth' THEN lam := 0.9 / 30.0; p_drop := 0.08;
			ELSE lam := 0.3 / 30.0; p_drop := 0.12;
			END CASE;
			base_amt := 2500 * exp(0.5 * pg_temp.rnorm());
			ots := won;
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

-- Formatting helpers for the report: a share as a percentage with a % sign,
-- an interval as days.
CREATE FUNCTION pct(x float8, digits integer DEFAULT 1) RETURNS text
LANGUAGE sql IMMUTABLE AS
$$ SELECT to_char(round((100 * x)::numeric, digits), 'FM9999990' || CASE WHEN digits > 0 THEN '.' || repeat('0', digits) ELSE '' END) || '%' $$;
CREATE FUNCTION days(i interval) RETURNS numeric
LANGUAGE sql IMMUTABLE AS
$$ SELECT round((extract(epoch FROM i) / 86400)::numeric, 1) $$;
-- The account's stage over time: the furthest stage any of its contacts has
-- reached so far, at each touch (the definition used throughout the report).
CREATE VIEW account_stage_events AS
SELECT account_id, ts, max(stage) OVER (PARTITION BY account_id ORDER BY ts, event_id) AS stage
FROM touchpoints;
