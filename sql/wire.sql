-- Every summary type on the wire (issue 11): = and <> (same canonical form),
-- a hash operator class (DISTINCT, UNION, GROUP BY), casts to json/jsonb and
-- to_jsonb(row) embedding objects.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

-- Values of each type in three groups g: groups 1 and 3 are built from the
-- same rows (equal values), group 2 from other rows.  Each value is also
-- stored a second time after a text round trip.
CREATE FUNCTION pg_temp.wire_check(typ text, src text)
RETURNS TABLE (type text, rows bigint, distinct_values bigint, union_values bigint,
               groups bigint, eq_right boolean, eq_agrees_with_send boolean,
               hash_agrees boolean, json_is_text boolean, jsonb_object boolean,
               row_embeds_object boolean, arrow_works boolean)
LANGUAGE plpgsql AS $f$
BEGIN
	EXECUTE format('CREATE TEMP TABLE wire_v AS SELECT g, v FROM (%s) s(g, v)', src);
	EXECUTE format('INSERT INTO wire_v SELECT g, v::text::%1$s FROM wire_v', typ);
	RETURN QUERY EXECUTE format($q$
		SELECT %1$L::text,
		       (SELECT count(*) FROM wire_v),
		       (SELECT count(*) FROM (SELECT DISTINCT v FROM wire_v) d),
		       (SELECT count(*) FROM (SELECT v FROM wire_v WHERE g = 1 UNION SELECT v FROM wire_v) u),
		       (SELECT count(*) FROM (SELECT v, count(*) FROM wire_v GROUP BY v) gb),
		       (SELECT bool_and((a.v = b.v) = (a.g %% 2 = b.g %% 2) AND (a.v <> b.v) = NOT (a.v = b.v))
		          FROM wire_v a, wire_v b),
		       (SELECT bool_and((a.v = b.v) = (%1$s_send(a.v) = %1$s_send(b.v))) FROM wire_v a, wire_v b),
		       (SELECT bool_and(NOT (a.v = b.v) OR (%1$s_hash(a.v) = %1$s_hash(b.v)
		                         AND %1$s_hash_extended(a.v, 7) = %1$s_hash_extended(b.v, 7)))
		          FROM wire_v a, wire_v b),
		       (SELECT bool_and(v::json::text = v::text) FROM wire_v),
		       (SELECT bool_and(jsonb_typeof(v::jsonb) = 'object' AND v::jsonb = v::text::jsonb) FROM wire_v),
		       (SELECT bool_and(jsonb_typeof(to_jsonb(w) -> 'v') = 'object'
		                        AND jsonb_typeof(to_json(w)::jsonb -> 'v') = 'object') FROM wire_v w),
		       (SELECT bool_and((v::jsonb ->> (SELECT k FROM jsonb_object_keys(v::jsonb) k ORDER BY k LIMIT 1)) IS NOT NULL) FROM wire_v)
	$q$, typ);
	DROP TABLE wire_v;
END $f$;

SELECT * FROM pg_temp.wire_check('funnel', $$
	SELECT g, funnel_agg(((i * (g % 2 + 1)) % 7 + 1)::journey_stage)
	FROM generate_series(1, 3) g, generate_series(1, 50) i GROUP BY g$$)
UNION ALL
SELECT * FROM pg_temp.wire_check('journey', $$
	SELECT g, journey_agg(timestamptz '2024-01-01 00:00:00+00' + i * interval '1 day',
	                      ((i * (g % 2 + 1)) % 7 + 1)::journey_stage)
	FROM generate_series(1, 3) g, generate_series(1, 50) i GROUP BY g$$)
UNION ALL
SELECT * FROM pg_temp.wire_check('committee', $$
	SELECT g, committee_agg(((i + g % 2) % 11 + 1)::buying_role, (i % 7 + 1)::journey_stage, (i % 10) / 10.0, 1)
	FROM generate_series(1, 3) g, generate_series(1, 50) i GROUP BY g$$)
UNION ALL
SELECT * FROM pg_temp.wire_check('propensity_model', $$
	SELECT g, logistic_fit((i * 7 + (g % 2) * 3) % 5 < 2, ARRAY[(i % 10)::float8])
	FROM generate_series(1, 3) g, generate_series(1, 200) i GROUP BY g$$)
UNION ALL
SELECT * FROM pg_temp.wire_check('lift', $$
	SELECT g, lift_agg((i % 10) / 10.0 + (g % 2) * 0.01, i % 3 = 0)
	FROM generate_series(1, 3) g, generate_series(1, 100) i GROUP BY g$$)
UNION ALL
SELECT * FROM pg_temp.wire_check('rfm_thresholds', $$
	SELECT g, rfm_thresholds_agg(i, i % 7 + g % 2, i * 2)
	FROM generate_series(1, 3) g, generate_series(1, 100) i GROUP BY g$$)
UNION ALL
SELECT * FROM pg_temp.wire_check('value_tiers', $$
	SELECT g, value_tier_agg(i + (g % 2) * 100)
	FROM generate_series(1, 3) g, generate_series(1, 100) i GROUP BY g$$)
UNION ALL
SELECT * FROM pg_temp.wire_check('bgnbd_model', $$
	SELECT g, format('{"r": %s, "alpha": 4.414, "a": 0.793, "b": 2.426}', 0.2 + g % 2)::bgnbd_model
	FROM generate_series(1, 3) g$$)
UNION ALL
SELECT * FROM pg_temp.wire_check('gamma_gamma_model', $$
	SELECT g, format('{"p": %s, "q": 3.74, "v": 15.44}', 6 + g % 2)::gamma_gamma_model
	FROM generate_series(1, 3) g$$)
ORDER BY 1;

-- the plans: DISTINCT, UNION and GROUP BY hash the values (there is no
-- ordering of summaries, so they cannot sort; count(DISTINCT f) needs one)
CREATE TABLE wire_f AS SELECT g, funnel_agg((i % 7 + 1)::journey_stage) AS f
FROM generate_series(1, 4) g, generate_series(1, 10 * g) i GROUP BY g;
SET max_parallel_workers_per_gather = 0;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT DISTINCT f FROM wire_f;
EXPLAIN (COSTS OFF) SELECT f FROM wire_f UNION SELECT f FROM wire_f;
RESET enable_sort;
-- a join on = (hash join)
SET enable_nestloop = off;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM wire_f a JOIN wire_f b ON a.f = b.f;
SELECT count(*) FROM wire_f a JOIN wire_f b ON a.f = b.f;
RESET enable_nestloop;
RESET enable_mergejoin;
RESET max_parallel_workers_per_gather;

-- JSON: ->>, casts, to_jsonb of a row (PostgREST-style APIs)
SELECT g, f::jsonb ->> 'awareness' AS awareness, (f::jsonb ->> 'decision')::bigint AS decision,
       jsonb_typeof(f::jsonb) AS jsonb_type, json_typeof(f::json) AS json_type
FROM wire_f ORDER BY g;
SELECT to_jsonb(w) FROM wire_f w WHERE g = 1;
SELECT jsonb_pretty(to_jsonb(c)) FROM (SELECT committee_agg('champion', 'decision', 0.5) AS c) c;
-- casts are explicit: no silent conversion in a function call
SELECT jsonb_typeof(f) FROM wire_f;

-- equality is on the canonical (send) form, whatever the stored bytes: a
-- journey equals its text round trip and its rollup with nothing else
SELECT j = j::text::journey AS equal, journey_hash(j) = journey_hash(j::text::journey) AS same_hash,
       j = (SELECT rollup(x) FROM (VALUES (j), (NULL)) v(x)) AS rollup_equal,
       j <> (SELECT rollup(x) FROM (VALUES (j), (j)) v(x)) AS doubled_differs
FROM (SELECT journey_agg(timestamptz '2024-01-01 00:00:00+00' + i * interval '1 hour', (i % 7 + 1)::journey_stage) j
      FROM generate_series(1, 5) i) s;
-- NULLs: = is strict, DISTINCT keeps one NULL
SELECT NULL::funnel = NULL::funnel AS null_eq, count(*) AS distinct_with_null
FROM (SELECT DISTINCT f FROM (SELECT f FROM wire_f UNION ALL SELECT NULL::funnel) x) d;

-- Reports for BI tools: an ordinal column to sort stage, role and tier rows
-- by (a BI tool would sort the names alphabetically), days as float8 beside
-- times (a BI tool has no interval type).
SELECT stage, stage_ordinal, stage_ordinal = stage_ordinal(stage) AS agrees
FROM wire_f, funnel_report(f) WHERE g = 1 ORDER BY stage::text;
SELECT role, members, furthest_stage, role_ordinal, furthest_stage_ordinal,
       role_ordinal = role_ordinal(role) AND furthest_stage_ordinal IS NOT DISTINCT FROM stage_ordinal(furthest_stage) AS agrees
FROM committee_report((SELECT committee_agg(r::buying_role, s::journey_stage, 0.5)
                       FROM (VALUES ('champion', 'decision'), ('legal', 'awareness'), ('champion', 'purchase')) v(r, s)))
ORDER BY role_ordinal;
SELECT tier, tier_ordinal FROM value_tier_report((SELECT value_tier_agg(i) FROM generate_series(1, 100) i)) ORDER BY tier_ordinal;
SET TimeZone = 'UTC';
CREATE TABLE wire_j AS
SELECT journey_agg(ts, stage::journey_stage) AS j
FROM (VALUES ('2025-01-01 10:00+00'::timestamptz, 'awareness'), ('2025-01-03 00:00+00', 'consideration'),
             ('2025-01-04 06:00+00', 'awareness'), ('2025-01-09 00:00+00', 'decision')) v(ts, stage);
SELECT stay, stage, stage_ordinal, entered, left_at, days,
       days = extract(epoch FROM left_at - entered) / 86400 AS days_agree
FROM wire_j, journey_timeline(j) ORDER BY stay;
SELECT (c).mean, (c).mean_days, (c).median, (c).median_days,
       abs((c).mean_days - extract(epoch FROM (c).mean) / 86400) < 1e-12 AND
       abs((c).median_days - extract(epoch FROM (c).median) / 86400) < 1e-12 AS days_agree
FROM (SELECT conversion_time_agg(j, 'awareness', 'decision') AS c
      FROM (SELECT j FROM wire_j UNION ALL
            SELECT journey_agg(ts, stage::journey_stage)
            FROM (VALUES ('2025-02-01 00:00+00'::timestamptz, 'awareness'), ('2025-02-02 12:00+00', 'decision')) v(ts, stage)) x) s;

RESET TimeZone;
DROP TABLE wire_f, wire_j;
