-- Every aggregate (and every function returning a summary) returns only
-- values its own text input and binary receive accept, or raises a clear
-- ERROR: each result on adversarial data is read back through text and
-- through binary COPY, and must give the same text again.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET extra_float_digits = 0;

CREATE TABLE roundtrip_out (name text PRIMARY KEY, typ text, txt text, outcome text);
-- run q (one value of type typ), keep its text, or the ERROR it raised
CREATE FUNCTION pg_temp.result_of(name text, typ text, q text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t text;
BEGIN
	EXECUTE format('SELECT (%s)::text', q) INTO t;
	INSERT INTO roundtrip_out VALUES (name, typ, t, NULL);
EXCEPTION WHEN OTHERS THEN
	INSERT INTO roundtrip_out VALUES (name, typ, NULL, 'ERROR ' || SQLSTATE || ': ' || SQLERRM);
END $$;
-- the text read back and written again, or the ERROR reading it back
CREATE FUNCTION pg_temp.text_again(t text, typ text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	r text;
BEGIN
	EXECUTE format('SELECT (%L::%s)::text', t, typ) INTO r;
	RETURN r;
EXCEPTION WHEN OTHERS THEN
	RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;

CREATE TABLE roundtrip_x AS
SELECT x, x * 1e300 AS huge, x * 1e-300 AS tiny, (x % 2 = 0) AS even FROM generate_series(1, 50) x;

SELECT pg_temp.result_of(name, typ, q) FROM (VALUES
  ('funnel_agg', 'funnel', $q$SELECT funnel_agg(least(7, x % 9 + 1)::int::journey_stage) FROM roundtrip_x$q$),
  ('rollup(funnel) near int64', 'funnel', $q$SELECT rollup(f) FROM (VALUES ('{"awareness": 4611686018427387904, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}'::funnel), ('{"awareness": 4611686018427387904, "consideration": 0, "evaluation": 0, "decision": 0, "purchase": 0, "retention": 0, "advocacy": 0}')) v(f)$q$),
  ('funnel_agg(journey)', 'funnel', $q$SELECT funnel_agg(j) FROM (SELECT journey_agg('4713-11-24 BC'::timestamptz + x * interval '5000 years', least(7, x % 8 + 1)::int::journey_stage) j FROM roundtrip_x GROUP BY x % 4) s$q$),
  ('journey_agg extreme times', 'journey', $q$SELECT journey_agg(ts, st::journey_stage) FROM (VALUES ('4713-11-24 BC'::timestamptz, 'awareness'), ('294276-12-31 23:59:59.999999', 'advocacy'), ('2000-01-01', 'awareness')) v(ts, st)$q$),
  ('rollup(journey)', 'journey', $q$SELECT rollup(j) FROM (SELECT journey_agg('4713-11-24 BC'::timestamptz + x * interval '1000 years', least(7, x % 7 + 1)::int::journey_stage) j FROM roundtrip_x GROUP BY x % 5) s$q$),
  ('customer_summary_agg huge amounts', 'customer_summary', $q$SELECT customer_summary_agg('2025-01-01'::timestamptz + x * interval '1 day', (x * 1e300)::numeric, '2026-01-01') FROM roundtrip_x$q$),
  ('customer_summary_agg tiny amounts', 'customer_summary', $q$SELECT customer_summary_agg('2025-01-01'::timestamptz + x * interval '1 day', (x * 1e-300)::numeric, '2026-01-01') FROM roundtrip_x$q$),
  ('bgnbd_fit huge T', 'bgnbd_model', $q$SELECT bgnbd_fit(x % 3, CASE WHEN x % 3 = 0 THEN 0 ELSE x * 1e300 END, 50 * 1e300) FROM roundtrip_x$q$),
  ('bgnbd_fit tiny T', 'bgnbd_model', $q$SELECT bgnbd_fit(x % 3, CASE WHEN x % 3 = 0 THEN 0 ELSE x * 1e-300 END, 50 * 1e-300) FROM roundtrip_x$q$),
  ('gamma_gamma_fit huge spend', 'gamma_gamma_model', $q$SELECT gamma_gamma_fit(x % 3 + 1, x * 1e300) FROM roundtrip_x$q$),
  ('gamma_gamma_fit tiny spend', 'gamma_gamma_model', $q$SELECT gamma_gamma_fit(x % 3 + 1, x * 1e-300) FROM roundtrip_x$q$),
  ('gamma_gamma_fit huge l2', 'gamma_gamma_model', $q$SELECT gamma_gamma_fit(x % 3 + 1, x, 1e300) FROM roundtrip_x$q$),
  ('logistic_fit tiny feature', 'propensity_model', $q$SELECT logistic_fit(x % 3 = 0, ARRAY[x * 1e-300, (x * 37 % 11)::float8]) FROM roundtrip_x$q$),
  ('logistic_fit huge l2', 'propensity_model', $q$SELECT logistic_fit(x % 3 = 0, ARRAY[x::float8], 1e300) FROM roundtrip_x$q$),
  ('lift_agg extreme scores', 'lift', $q$SELECT lift_agg(CASE x % 4 WHEN 0 THEN 1.7e308 WHEN 1 THEN -1.7e308 WHEN 2 THEN 5e-324 ELSE -0.0 END, even) FROM roundtrip_x$q$),
  ('rollup(lift)', 'lift', $q$SELECT rollup(l) FROM (SELECT lift_agg(huge, even) l FROM roundtrip_x GROUP BY x % 3) s$q$),
  ('rfm_thresholds_agg huge', 'rfm_thresholds', $q$SELECT rfm_thresholds_agg(x * 3e306, x * 3e306, x * 3e306) FROM roundtrip_x$q$),
  ('rfm_thresholds_agg opposite huge', 'rfm_thresholds', $q$SELECT rfm_thresholds_agg(CASE WHEN even THEN 1.7e308 ELSE -1.7e308 END, 1.7e308 * (x % 2), -1.7e308) FROM roundtrip_x$q$),
  ('value_tier_agg huge', 'value_tiers', $q$SELECT value_tier_agg(CASE WHEN even THEN 1.7e308 ELSE 1.6e308 END) FROM roundtrip_x$q$),
  ('value_tier_agg opposite huge', 'value_tiers', $q$SELECT value_tier_agg(CASE WHEN even THEN 1.7e308 ELSE -1.7e308 END) FROM roundtrip_x$q$),
  ('committee_agg huge weights', 'committee', $q$SELECT committee_agg(NULL::buying_role, least(7, x % 7 + 1)::int::journey_stage, (x / 50.0)::float8::propensity, 1.7e308) FROM roundtrip_x$q$),
  ('rollup(committee)', 'committee', $q$SELECT rollup(c) FROM (SELECT committee_agg(NULL::buying_role, 'awareness', 0.5::float8::propensity, 1.7e308) c FROM roundtrip_x GROUP BY x % 2) s$q$),
  ('logodds_pool_agg huge weights', 'propensity', $q$SELECT logodds_pool_agg((x / 51.0)::float8::propensity, 1.7e308) FROM roundtrip_x$q$),
  ('any_of_agg', 'propensity', $q$SELECT any_of_agg((x / 51.0)::float8::propensity) FROM roundtrip_x$q$),
  ('rfm_score huge', 'rfm', $q$SELECT rfm_score(rfm_thresholds_agg(x, x, x), 1e308, 1e308, 1e308) FROM roundtrip_x$q$),
  ('segment of rfm', 'segment', $q$SELECT segment(rfm(5, 5, 5))$q$)) v(name, typ, q);

-- text: read back, written again
UPDATE roundtrip_out SET outcome = CASE WHEN pg_temp.text_again(txt, typ) = txt THEN 'text round-trips' ELSE 'text: ' || pg_temp.text_again(txt, typ) END
WHERE txt IS NOT NULL;
SELECT name, outcome FROM roundtrip_out ORDER BY name;

-- binary: every value that reads back as text, through binary COPY
CREATE TABLE roundtrip_bin (name text, funnel funnel, journey journey, customer_summary customer_summary, bgnbd_model bgnbd_model, gamma_gamma_model gamma_gamma_model, propensity_model propensity_model, lift lift, rfm_thresholds rfm_thresholds, value_tiers value_tiers, committee committee, propensity propensity, rfm rfm, segment segment);
INSERT INTO roundtrip_bin SELECT name, CASE WHEN typ = 'funnel' THEN txt::funnel END, CASE WHEN typ = 'journey' THEN txt::journey END, CASE WHEN typ = 'customer_summary' THEN txt::customer_summary END, CASE WHEN typ = 'bgnbd_model' THEN txt::bgnbd_model END, CASE WHEN typ = 'gamma_gamma_model' THEN txt::gamma_gamma_model END, CASE WHEN typ = 'propensity_model' THEN txt::propensity_model END, CASE WHEN typ = 'lift' THEN txt::lift END, CASE WHEN typ = 'rfm_thresholds' THEN txt::rfm_thresholds END, CASE WHEN typ = 'value_tiers' THEN txt::value_tiers END, CASE WHEN typ = 'committee' THEN txt::committee END, CASE WHEN typ = 'propensity' THEN txt::propensity END, CASE WHEN typ = 'rfm' THEN txt::rfm END, CASE WHEN typ = 'segment' THEN txt::segment END
FROM roundtrip_out WHERE outcome = 'text round-trips';
\copy roundtrip_bin TO 'results/roundtrip.bin' (FORMAT binary)
CREATE TABLE roundtrip_bin_in (LIKE roundtrip_bin);
\copy roundtrip_bin_in FROM 'results/roundtrip.bin' (FORMAT binary)
SELECT o.name, (i.name IS NOT NULL AND coalesce(i.funnel::text, '') || coalesce(i.journey::text, '') || coalesce(i.customer_summary::text, '') || coalesce(i.bgnbd_model::text, '') || coalesce(i.gamma_gamma_model::text, '') || coalesce(i.propensity_model::text, '') || coalesce(i.lift::text, '') || coalesce(i.rfm_thresholds::text, '') || coalesce(i.value_tiers::text, '') || coalesce(i.committee::text, '') || coalesce(i.propensity::text, '') || coalesce(i.rfm::text, '') || coalesce(i.segment::text, '') = o.txt) AS binary_round_trips
FROM roundtrip_out o LEFT JOIN roundtrip_bin_in i USING (name)
WHERE o.outcome = 'text round-trips' ORDER BY o.name;

DROP TABLE roundtrip_out, roundtrip_x, roundtrip_bin, roundtrip_bin_in;
