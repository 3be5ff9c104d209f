-- committee_agg, the accessors, committee_report, rollup, text and binary
-- I/O, and every error.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

-- a small committee by hand
CREATE TABLE committee_small (name text, role buying_role, stage journey_stage, p propensity, w float8);
INSERT INTO committee_small VALUES
  ('Ana',   'Decision Maker',      'evaluation',    0.30, 2),
  ('Ben',   'Budget Holder',       'decision',      0.55, 2),
  ('Chloe', 'Champion',            'decision',      0.80, 1),
  ('Dan',   'Technical Evaluator', 'evaluation',    0.60, 1),
  ('Eli',   'End User',            'consideration', 0.40, 0.5),
  ('Fay',   'Blocker',             'evaluation',    0.05, 1),
  ('Gus',   NULL,                  'awareness',     NULL, 1),
  ('Hal',   'Influencer',          NULL,            0.50, 1);
SELECT committee_agg(role, stage, p, w) FROM committee_small;
SELECT member_count(c), role_count(c, 'blocker') AS blockers, role_count(c, 'other') AS other,
       roles(c), stage_counts(c),
       coverage(c, '{decision_maker,economic_buyer,champion,technical_evaluator}') AS coverage4,
       coverage(c, '{decision_maker,procurement,legal}') AS coverage3,
       missing_roles(c, '{decision_maker,procurement,legal,legal}') AS missing,
       leading_stage(c), lagging_stage(c), consensus_stage(c),
       stage_of(c, 'champion') AS champion_at, stage_of(c, 'influencer') AS influencer_at,
       round(alignment(c)::numeric, 6) AS alignment,
       round(account_propensity(c)::numeric, 6) AS account_p,
       round(any_propensity(c)::numeric, 6) AS any_p
FROM (SELECT committee_agg(role, stage, p, w) AS c FROM committee_small) s;
SELECT role, members, furthest_stage, round(mean_propensity::numeric, 4) AS mean_propensity
FROM committee_report((SELECT committee_agg(role, stage, p) FROM committee_small));
-- the hand committee's figures, recomputed in plain SQL
SELECT round((1 / (1 + exp(-sum(w * ln(p / (1 - p))) / sum(w))))::numeric, 6) AS pool_ref,
       round((1 - exp(sum(ln(1 - p::float8))))::numeric, 6) AS any_ref
FROM committee_small WHERE p IS NOT NULL;
SELECT round((1 + sum(q * ln(q)) / ln(7))::numeric, 6) AS alignment_ref
FROM (SELECT sum(w) / sum(sum(w)) OVER () AS q FROM committee_small WHERE stage IS NOT NULL GROUP BY stage) s;

-- the 3-argument form weighs every member 1
SELECT committee_agg(role, stage, p)::text = committee_agg(role, stage, p, 1)::text AS unit_weight
FROM committee_small;
-- weight 0: counted, but not in the weighted accessors
SELECT member_count(c), consensus_stage(c), alignment(c), account_propensity(c),
       round(any_propensity(c)::numeric, 6) AS any_p, leading_stage(c)
FROM (SELECT committee_agg(role, stage, p, 0) AS c FROM committee_small) s;

-- empty committee, NULL-only members, p = 0 and p = 1
SELECT c, member_count(c), roles(c), stage_counts(c), leading_stage(c), lagging_stage(c),
       consensus_stage(c), alignment(c), account_propensity(c), any_propensity(c),
       coverage(c, '{champion}'), missing_roles(c, '{champion}')
FROM (SELECT committee_agg(role, stage, p) c FROM committee_small WHERE false) s;
SELECT c, member_count(c), role_count(c, 'other'), stage_counts(c), leading_stage(c),
       account_propensity(c), any_propensity(c)
FROM (SELECT committee_agg(NULL::buying_role, NULL::journey_stage, NULL::propensity) c) s;
SELECT c, any_propensity(c), round(account_propensity(c)::numeric, 6) AS account_p
FROM (SELECT committee_agg(r::buying_role, 'purchase', p::propensity)
      FROM (VALUES ('champion', 1), ('blocker', 0), ('end_user', 0.5)) v(r, p)) s(c);
SELECT c::text::committee::text = c::text AS certain_round_trip
FROM (SELECT committee_agg('champion', 'purchase', '1'::propensity) c) s;

-- coverage with an empty or NULL required list; NULL committee
SELECT coverage(c, '{}') AS empty_required, missing_roles(c, '{}') AS none_missing,
       coverage(c, NULL) AS null_required, missing_roles(c, NULL) AS null_missing,
       coverage(NULL, '{champion}') AS null_committee, member_count(NULL), stage_of(c, NULL)
FROM (SELECT committee_agg(role, stage, p) c FROM committee_small) s;

-- every error: message and HINT, then the SQLSTATEs
SELECT committee_agg(role, stage, p, -1) FROM committee_small;
SELECT committee_agg(role, stage, p, 'NaN') FROM committee_small;
SELECT committee_agg(role, stage, p, 'Infinity') FROM committee_small;
SELECT committee_agg(role, stage, p, NULL) FROM committee_small;
SELECT committee_agg(role, stage, p, 1e308) FROM committee_small;
SELECT coverage(committee_agg(role, stage, p), '{champion,NULL}') FROM committee_small;
SELECT committee_trans('{"version": 1, "members": 0, "roles": {}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}', 'champion', 'decision', 0.5::propensity);
SELECT 'nonsense'::committee;
SELECT '{"version": 2, "members": 0, "roles": {}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee;
SELECT '{"version": 1, "members": 3, "roles": {"champion": {"members": 2, "with_p": 0, "sum_p": 0, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee;
SELECT '{"version": 1, "members": -2, "roles": {"champion": {"members": -2, "with_p": 0, "sum_p": 0, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee;
SELECT '{"version": 1, "members": 2, "roles": {"champion": {"members": 2, "with_p": 0, "sum_p": 0, "stages": ["decision"]}}, "stages": {"decision": {"members": 3, "weight": 3}}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee;
SELECT '{"version": 1, "members": 2, "roles": {"champion": {"members": 2, "with_p": 0, "sum_p": 0, "stages": ["decision"]}}, "stages": {"evaluation": {"members": 1, "weight": 1}}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee;
SELECT '{"version": 1, "members": 2, "roles": {"champion": {"members": 2, "with_p": 1, "sum_p": 1.5, "stages": []}}, "stages": {}, "pool": {"weight": 1, "weighted_logit": 0, "log_none": -1}}'::committee;
SELECT '{"version": 1, "members": 1, "roles": {"champion": {"members": 1, "with_p": 1, "sum_p": 0.5, "stages": []}}, "stages": {}, "pool": {"weight": 1, "weighted_logit": 99, "log_none": -1}}'::committee;
SELECT '{"version": 1, "members": 1, "roles": {"chief": {"members": 1, "with_p": 0, "sum_p": 0, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee;
SELECT '{"version": 1, "members": 0, "roles": {}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}} junk'::committee;
SELECT '{"version": 1, "members": 0, "roles": {}, "stages": {}}'::committee;
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT what, pg_temp.sqlstate_of(q) FROM (VALUES
  ('negative weight', $q$SELECT committee_agg('decision maker', 'awareness', 0.5::propensity, -1)$q$),
  ('NaN weight', $q$SELECT committee_agg('decision maker', 'awareness', 0.5::propensity, 'NaN')$q$),
  ('infinite weight', $q$SELECT committee_agg('decision maker', 'awareness', 0.5::propensity, '-Infinity')$q$),
  ('NULL weight', $q$SELECT committee_agg('decision maker', 'awareness', 0.5::propensity, NULL)$q$),
  ('weight sum overflow', $q$SELECT committee_agg('champion', 'awareness', 0.5::propensity, 1e308) FROM generate_series(1, 2)$q$),
  ('unknown role text', $q$SELECT committee_agg('chief', 'awareness', 0.5::propensity)$q$),
  ('p above 1', $q$SELECT committee_agg('champion', 'awareness', 1.5::propensity)$q$),
  ('NULL in required roles', $q$SELECT coverage(committee_agg('champion', 'awareness', 0.5::propensity), '{champion,NULL}')$q$),
  ('NULL in missing_roles list', $q$SELECT missing_roles(committee_agg('champion', 'awareness', 0.5::propensity), ARRAY[NULL::buying_role])$q$),
  ('combine called by hand', $q$SELECT committee_combine(committee_agg('champion', 'awareness', 0.5::propensity), committee_agg('champion', 'awareness', 0.5::propensity))$q$),
  ('unparsable text', $q$SELECT 'nonsense'::committee$q$),
  ('layout version 2', $q$SELECT '{"version": 2, "members": 0, "roles": {}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee$q$),
  ('members do not add up', $q$SELECT '{"version": 1, "members": 3, "roles": {"champion": {"members": 2, "with_p": 0, "sum_p": 0, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee$q$),
  ('negative count', $q$SELECT '{"version": 1, "members": 0, "roles": {"champion": {"members": -2, "with_p": 0, "sum_p": 0, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee$q$),
  ('stage count above members', $q$SELECT '{"version": 1, "members": 2, "roles": {"champion": {"members": 2, "with_p": 0, "sum_p": 0, "stages": ["decision"]}}, "stages": {"decision": {"members": 3, "weight": 3}}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee$q$),
  ('count overflow in rollup', $q$SELECT rollup(c) FROM (VALUES ('{"version": 1, "members": 2147483647, "roles": {"other": {"members": 2147483647, "with_p": 0, "sum_p": 0, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee), ('{"version": 1, "members": 1, "roles": {"other": {"members": 1, "with_p": 0, "sum_p": 0, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee)) v(c)$q$)) v(what, q);
-- duplicate and missing keys are 22P02 in every object of the text form
-- (they used to be accepted: "sum_p" given twice took the last value, and
-- with_p, sum_p, stages and weight could be left out)
SELECT '{"version": 1, "members": 1, "roles": {"champion": {"members": 1, "with_p": 1, "sum_p": 0.5, "sum_p": 0, "stages": ["decision"]}}, "stages": {"decision": {"members": 1, "weight": 1}}, "pool": {"weight": 1, "weighted_logit": 0, "log_none": -0.6931471805599453}}'::committee;
SELECT '{"version": 1, "members": 1, "roles": {"champion": {"members": 1, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee;
SELECT what, pg_temp.sqlstate_of(q) FROM (VALUES
  ('duplicate sum_p', $q$SELECT '{"version": 1, "members": 1, "roles": {"champion": {"members": 1, "with_p": 1, "sum_p": 0.5, "sum_p": 0, "stages": ["decision"]}}, "stages": {"decision": {"members": 1, "weight": 1}}, "pool": {"weight": 1, "weighted_logit": 0, "log_none": -0.6931471805599453}}'::committee$q$),
  ('duplicate role members', $q$SELECT '{"version": 1, "members": 1, "roles": {"champion": {"members": 1, "members": 1, "with_p": 0, "sum_p": 0, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee$q$),
  ('missing with_p', $q$SELECT '{"version": 1, "members": 1, "roles": {"champion": {"members": 1, "sum_p": 0, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee$q$),
  ('missing sum_p', $q$SELECT '{"version": 1, "members": 1, "roles": {"champion": {"members": 1, "with_p": 0, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee$q$),
  ('missing stages of a role', $q$SELECT '{"version": 1, "members": 1, "roles": {"champion": {"members": 1, "with_p": 0, "sum_p": 0}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee$q$),
  ('missing stage weight', $q$SELECT '{"version": 1, "members": 1, "roles": {"champion": {"members": 1, "with_p": 0, "sum_p": 0, "stages": ["decision"]}}, "stages": {"decision": {"members": 1}}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee$q$),
  ('duplicate stage weight', $q$SELECT '{"version": 1, "members": 1, "roles": {"champion": {"members": 1, "with_p": 0, "sum_p": 0, "stages": ["decision"]}}, "stages": {"decision": {"members": 1, "weight": 1, "weight": 2}}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee$q$),
  ('duplicate pool weight', $q$SELECT '{"version": 1, "members": 0, "roles": {}, "stages": {}, "pool": {"weight": 0, "weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee$q$),
  ('duplicate top-level key', $q$SELECT '{"version": 1, "members": 0, "roles": {}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}, "members": 0}'::committee$q$),
  ('missing pool key', $q$SELECT '{"version": 1, "members": 0, "roles": {}, "stages": {}, "pool": {"weight": 0, "log_none": 0}}'::committee$q$)) v(what, q);
-- a full counter: 2147483647 members of one role, then one more
SELECT rollup(c) FROM (VALUES ('{"version": 1, "members": 2147483647, "roles": {"other": {"members": 2147483647, "with_p": 0, "sum_p": 0, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee), ('{"version": 1, "members": 1, "roles": {"other": {"members": 1, "with_p": 0, "sum_p": 0, "stages": []}}, "stages": {}, "pool": {"weight": 0, "weighted_logit": 0, "log_none": 0}}'::committee)) v(c);

-- ---------------------------------------------------------------------------
-- Generated members: 10,000 accounts with 1 to 40 members each; every 17th
-- account has one role only, every 13th has all its members in one stage;
-- some NULL roles, stages and propensities; weights 0, 0.5 … 2 (exact sums).
-- ---------------------------------------------------------------------------
CREATE TABLE committee_m AS
SELECT row_number() OVER (ORDER BY a, m) AS member_id, a AS account_id,
       a % 50 AS parent_id,
       CASE WHEN a % 17 = 0 THEN buying_role(1 + a % 11)
            WHEN (a * m) % 53 = 0 THEN NULL
            ELSE buying_role(1 + ((a * 131 + m * 7919 + m * m * 31) % 1009) % 11) END AS role,
       CASE WHEN a % 13 = 0 THEN journey_stage(1 + a % 7)
            WHEN (a + m) % 29 = 0 THEN NULL
            ELSE journey_stage(1 + floor(7 * power(((a * 37 + m * 101) % 997) / 997.0, 1.5))::int) END AS stage,
       CASE WHEN (a * m) % 31 = 0 THEN NULL
            WHEN (a + 3 * m) % 211 = 0 THEN '1'::propensity
            WHEN (a + 5 * m) % 223 = 0 THEN '0'::propensity
            ELSE (((a * 97 + m * 389) % 1000) / 1000.0)::propensity END AS p,
       CASE WHEN (a * m) % 37 = 0 THEN 0 ELSE (1 + (a + m) % 4) * 0.5 END::float8 AS w
FROM generate_series(1, 10000) a, LATERAL generate_series(1, 1 + (a * 7919) % 40) m;
ANALYZE committee_m;
SELECT count(*) AS members, count(DISTINCT account_id) AS accounts,
       min(n), max(n), count(*) FILTER (WHERE role IS NULL) AS null_roles,
       count(*) FILTER (WHERE stage IS NULL) AS null_stages,
       count(*) FILTER (WHERE p IS NULL) AS null_p, count(*) FILTER (WHERE w = 0) AS zero_weights
FROM committee_m JOIN (SELECT account_id, count(*) n FROM committee_m GROUP BY 1) c USING (account_id);

-- the plain-SQL reference, one row per account
CREATE VIEW committee_ref AS
WITH m AS (
  SELECT account_id, coalesce(role, 'other') AS role, stage, p::float8 AS p, w,
         ln(least(greatest(p::float8, 1e-12), 1 - 1e-12) / (1 - least(greatest(p::float8, 1e-12), 1 - 1e-12))) AS lg
  FROM committee_m
), st AS (
  SELECT account_id, stage, sum(w) AS sw FROM m WHERE stage IS NOT NULL GROUP BY 1, 2
), cons AS (
  SELECT account_id, min(stage) FILTER (WHERE sw > 0 AND 2 * cum >= tot) AS consensus,
         CASE WHEN max(tot) > 0 THEN 1 + sum(sw / tot * ln(sw / tot)) FILTER (WHERE sw > 0) / ln(7) END AS alignment
  FROM (SELECT *, sum(sw) OVER (PARTITION BY account_id ORDER BY stage) AS cum,
               sum(sw) OVER (PARTITION BY account_id) AS tot FROM st) x
  GROUP BY account_id
)
SELECT account_id, count(*) AS member_count,
       array_agg(DISTINCT role ORDER BY role) AS roles,
       ARRAY[count(*) FILTER (WHERE stage = 'awareness'), count(*) FILTER (WHERE stage = 'consideration'),
             count(*) FILTER (WHERE stage = 'evaluation'), count(*) FILTER (WHERE stage = 'decision'),
             count(*) FILTER (WHERE stage = 'purchase'), count(*) FILTER (WHERE stage = 'retention'),
             count(*) FILTER (WHERE stage = 'advocacy')] AS stage_counts,
       (coalesce(bool_or(role = 'decision_maker'), false)::int + coalesce(bool_or(role = 'economic_buyer'), false)::int
        + coalesce(bool_or(role = 'champion'), false)::int + coalesce(bool_or(role = 'technical_evaluator'), false)::int) / 4.0 AS coverage,
       max(stage) AS lead_s, min(stage) AS lag_s,
       max(cons.consensus) AS consensus, max(cons.alignment) AS alignment,
       1 / (1 + exp(-(sum(w * lg) FILTER (WHERE p IS NOT NULL)) / nullif(sum(w) FILTER (WHERE p IS NOT NULL), 0))) AS account_p,
       CASE WHEN bool_or(p = 1) THEN 1 ELSE 1 - exp(sum(ln(1 - p)) FILTER (WHERE p < 1)) END AS any_p
FROM m LEFT JOIN cons USING (account_id)
GROUP BY account_id;

CREATE FUNCTION pg_temp.committee_cols(c committee, OUT member_count bigint, OUT roles buying_role[], OUT stage_counts bigint[],
    OUT coverage numeric, OUT lead_s journey_stage, OUT lag_s journey_stage, OUT consensus journey_stage,
    OUT alignment float8, OUT account_p float8, OUT any_p float8)
LANGUAGE sql AS $$
  SELECT member_count(c), roles(c), stage_counts(c),
         coverage(c, '{decision_maker,economic_buyer,champion,technical_evaluator}')::numeric,
         leading_stage(c), lagging_stage(c), consensus_stage(c), alignment(c),
         account_propensity(c)::float8, any_propensity(c)::float8
$$;
-- floating results agree to 1e-9 (sums taken in another order differ in the
-- last bits); everything else must be equal
CREATE FUNCTION pg_temp.near(x float8, y float8) RETURNS boolean LANGUAGE sql AS
$$ SELECT coalesce((x IS NULL AND y IS NULL) OR abs(x - y) <= 1e-9, false) $$;
CREATE FUNCTION pg_temp.differ(r record, a record) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	rj jsonb := to_jsonb(r);
	aj jsonb := to_jsonb(a);
	k text;
BEGIN
	FOREACH k IN ARRAY ARRAY['member_count', 'roles', 'stage_counts', 'coverage', 'lead_s', 'lag_s', 'consensus'] LOOP
		IF (rj -> k) IS DISTINCT FROM (aj -> k) THEN RETURN true; END IF;
	END LOOP;
	FOREACH k IN ARRAY ARRAY['alignment', 'account_p', 'any_p'] LOOP
		IF NOT pg_temp.near((rj ->> k)::float8, (aj ->> k)::float8) THEN RETURN true; END IF;
	END LOOP;
	RETURN false;
END $$;
CREATE TABLE committee_ref_t AS SELECT * FROM committee_ref;
SELECT count(*) AS accounts, count(consensus) AS with_consensus, count(account_p) AS with_account_p,
       count(*) FILTER (WHERE alignment = 1) AS aligned, count(*) FILTER (WHERE array_length(roles, 1) = 1) AS one_role,
       count(*) FILTER (WHERE any_p = 1) AS certain
FROM committee_ref_t;

-- every accessor against the reference, per account (serial here; the whole
-- file is also run with parallel query forced)
CREATE TABLE committee_acc AS SELECT account_id, committee_agg(role, stage, p, w) AS c FROM committee_m GROUP BY account_id;
SELECT count(*) AS accounts_differing FROM committee_ref_t r
FULL JOIN (SELECT account_id, (pg_temp.committee_cols(c)).* FROM committee_acc) a USING (account_id)
WHERE pg_temp.differ(r, a);
-- and the test itself catches a wrong value
SELECT pg_temp.differ(r, a) AS detects_wrong_consensus, pg_temp.differ(r, b) AS detects_wrong_pool
FROM (SELECT * FROM committee_ref_t WHERE account_id = 17) r,
     (SELECT 17 AS account_id, x.member_count, x.roles, x.stage_counts, x.coverage, x.lead_s, x.lag_s, 'decision'::journey_stage AS consensus,
             x.alignment, x.account_p, x.any_p FROM committee_acc, pg_temp.committee_cols(c) x WHERE account_id = 17) a,
     (SELECT 17 AS account_id, x.member_count, x.roles, x.stage_counts, x.coverage, x.lead_s, x.lag_s, x.consensus,
             x.alignment, x.account_p + 1e-8 AS account_p, x.any_p FROM committee_acc, pg_temp.committee_cols(c) x WHERE account_id = 17) b;
SELECT r.account_id, r.member_count, r.roles, r.consensus, round(r.alignment::numeric, 6) AS alignment,
       round(r.account_p::numeric, 6) AS account_p, round(r.any_p::numeric, 6) AS any_p
FROM committee_ref_t r WHERE account_id IN (13, 17, 1000) ORDER BY 1;
SELECT account_id, member_count, stage_counts, coverage, lead_s, lag_s, consensus, round(alignment::numeric, 6) AS alignment,
       round(account_p::numeric, 6) AS account_p, round(any_p::numeric, 6) AS any_p
FROM committee_acc, pg_temp.committee_cols(c) WHERE account_id IN (13, 17, 1000) ORDER BY 1;

-- per role: role_count, stage_of, mean_propensity, missing_roles, committee_report
SELECT count(*) AS role_rows_differing FROM (
  SELECT a.account_id, r.role, role_count(a.c, r.role) AS n, stage_of(a.c, r.role) AS s,
         mean_propensity(a.c, r.role) AS mp
  FROM committee_acc a, buying_roles() r) x
FULL JOIN (
  SELECT account_id, coalesce(role, 'other') AS role, count(*) AS n, max(stage) AS s, avg(p::float8) AS mp
  FROM committee_m GROUP BY 1, 2) y USING (account_id, role)
WHERE coalesce(x.n, 0) <> coalesce(y.n, 0) OR x.s IS DISTINCT FROM y.s OR NOT pg_temp.near(x.mp, y.mp);
SELECT count(*) AS report_rows_differing FROM (
  SELECT a.account_id, rep.* FROM committee_acc a, LATERAL committee_report(a.c) rep WHERE a.account_id % 10 = 0) x
FULL JOIN (
  SELECT account_id, coalesce(role, 'other') AS role, count(*) AS members, max(stage) AS furthest_stage, avg(p::float8) AS mp
  FROM committee_m WHERE account_id % 10 = 0 GROUP BY 1, 2) y USING (account_id, role)
WHERE coalesce(x.members, 0) <> coalesce(y.members, 0) OR x.furthest_stage IS DISTINCT FROM y.furthest_stage
   OR NOT pg_temp.near(x.mean_propensity, y.mp);
SELECT count(*) AS missing_differing FROM committee_acc a JOIN committee_ref_t r USING (account_id)
WHERE missing_roles(a.c, '{decision_maker,economic_buyer,champion,technical_evaluator}') IS DISTINCT FROM
      ARRAY(SELECT x FROM unnest('{decision_maker,economic_buyer,champion,technical_evaluator}'::buying_role[]) x
            WHERE x <> ALL (r.roles) ORDER BY x);

-- forced parallel plan, then partitionwise aggregation: the same committees
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT parent_id, committee_agg(role, stage, p, w) FROM committee_m GROUP BY parent_id;
RESET enable_hashagg;
CREATE TABLE committee_par AS SELECT parent_id, committee_agg(role, stage, p, w) AS c FROM committee_m GROUP BY parent_id;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE committee_ser AS SELECT parent_id, committee_agg(role, stage, p, w) AS c FROM committee_m GROUP BY parent_id;
RESET max_parallel_workers_per_gather;
-- counts are exact in any order; sums agree after rounding
SELECT count(*) AS parent_differing FROM committee_par a JOIN committee_ser b USING (parent_id)
WHERE pg_temp.differ(pg_temp.committee_cols(a.c), pg_temp.committee_cols(b.c));
SELECT count(*) AS parents FROM committee_par;

-- two-step: per-account committees rolled up to the parent company
SELECT count(*) AS rollup_differing FROM (SELECT a.account_id % 50 AS parent_id, rollup(a.c) AS c FROM committee_acc a GROUP BY 1) a
JOIN committee_ser b USING (parent_id)
WHERE pg_temp.differ(pg_temp.committee_cols(a.c), pg_temp.committee_cols(b.c));
SELECT rollup(c) FROM committee_acc WHERE false;
SELECT member_count(rollup(c)) FROM (VALUES (NULL::committee)) v(c);
SELECT member_count(rollup(c)) = (SELECT count(*) FROM committee_m) AS rollup_all FROM committee_acc;

-- per-partition committees (members of one account spread over partitions)
CREATE TABLE committee_part (member_id bigint, account_id int, parent_id int, role buying_role, stage journey_stage, p propensity, w float8)
  PARTITION BY HASH (member_id);
CREATE TABLE committee_part_0 PARTITION OF committee_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE committee_part_1 PARTITION OF committee_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE committee_part_2 PARTITION OF committee_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO committee_part SELECT * FROM committee_m;
ANALYZE committee_part;
SELECT count(*) AS partition_rollup_differing FROM (
  SELECT account_id, rollup(c) AS c
  FROM (SELECT tableoid, account_id, committee_agg(role, stage, p, w) AS c FROM committee_part GROUP BY 1, 2) p
  GROUP BY account_id) a
FULL JOIN committee_ref_t r USING (account_id)
WHERE r IS NULL OR a IS NULL OR pg_temp.differ(r, pg_temp.committee_cols(a.c));
SET enable_partitionwise_aggregate = on;
SELECT count(*) AS partitionwise_differing FROM (SELECT parent_id, committee_agg(role, stage, p, w) AS c FROM committee_part GROUP BY parent_id) a
JOIN committee_ser b USING (parent_id)
WHERE pg_temp.differ(pg_temp.committee_cols(a.c), pg_temp.committee_cols(b.c));
RESET enable_partitionwise_aggregate;

-- stored size: fixed, whatever the number of members
SELECT min(pg_column_size(c)) AS min_bytes, max(pg_column_size(c)) AS max_bytes FROM committee_acc;

-- text and binary COPY round trip of stored committees
SELECT count(*) AS text_round_trip_differing FROM committee_acc WHERE c::text::committee::text <> c::text;
CREATE TABLE committee_copy (LIKE committee_acc);
\copy committee_acc TO 'results/committee.bin' (FORMAT binary)
\copy committee_copy FROM 'results/committee.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM committee_acc a FULL JOIN committee_copy b USING (account_id) WHERE a.c::text IS DISTINCT FROM b.c::text;
TRUNCATE committee_copy;
\copy committee_acc TO 'results/committee.txt'
\copy committee_copy FROM 'results/committee.txt'
SELECT count(*) AS text_mismatches FROM committee_acc a FULL JOIN committee_copy b USING (account_id) WHERE a.c::text IS DISTINCT FROM b.c::text;
SELECT length(committee_send(c)) AS send_bytes FROM committee_acc WHERE account_id = 1;

-- crafted binary committees: good, truncated, oversized, wrong version,
-- wrong layout, negative count, counts that do not add up
CREATE TABLE committee_raw (b bytea);
CREATE TABLE committee_recv (c committee);
INSERT INTO committee_raw SELECT committee_send(c) FROM committee_acc WHERE account_id = 1;
\copy committee_raw TO 'results/committee_raw.bin' (FORMAT binary)
\copy committee_recv FROM 'results/committee_raw.bin' (FORMAT binary)
SELECT c::text = (SELECT c::text FROM committee_acc WHERE account_id = 1) AS crafted_good FROM committee_recv;
TRUNCATE committee_raw;
INSERT INTO committee_raw SELECT substr(committee_send(c), 1, 297) FROM committee_acc WHERE account_id = 1;
\copy committee_raw TO 'results/committee_raw.bin' (FORMAT binary)
\copy committee_recv FROM 'results/committee_raw.bin' (FORMAT binary)
TRUNCATE committee_raw;
INSERT INTO committee_raw SELECT committee_send(c) || '\x00'::bytea FROM committee_acc WHERE account_id = 1;
\copy committee_raw TO 'results/committee_raw.bin' (FORMAT binary)
\copy committee_recv FROM 'results/committee_raw.bin' (FORMAT binary)
TRUNCATE committee_raw;
INSERT INTO committee_raw SELECT set_byte(committee_send(c), 0, 2) FROM committee_acc WHERE account_id = 1;
\copy committee_raw TO 'results/committee_raw.bin' (FORMAT binary)
\copy committee_recv FROM 'results/committee_raw.bin' (FORMAT binary)
TRUNCATE committee_raw;
INSERT INTO committee_raw SELECT set_byte(committee_send(c), 1, 12) FROM committee_acc WHERE account_id = 1;
\copy committee_raw TO 'results/committee_raw.bin' (FORMAT binary)
\copy committee_recv FROM 'results/committee_raw.bin' (FORMAT binary)
TRUNCATE committee_raw;
-- role 1's member count (bytes 27..30) set to -1
INSERT INTO committee_raw SELECT overlay(committee_send(c) placing '\xffffffff'::bytea from 28 for 4) FROM committee_acc WHERE account_id = 1;
\copy committee_raw TO 'results/committee_raw.bin' (FORMAT binary)
\copy committee_recv FROM 'results/committee_raw.bin' (FORMAT binary)
TRUNCATE committee_raw;
-- the last stage count (advocacy) raised past the members
INSERT INTO committee_raw SELECT overlay(committee_send(c) placing '\x7fffffff'::bytea from 287 for 4) FROM committee_acc WHERE account_id = 1;
\copy committee_raw TO 'results/committee_raw.bin' (FORMAT binary)
\copy committee_recv FROM 'results/committee_raw.bin' (FORMAT binary)
SELECT count(*) AS received FROM committee_recv;

DROP VIEW committee_ref;
DROP TABLE committee_small, committee_m, committee_ref_t, committee_acc, committee_par, committee_ser,
  committee_part, committee_copy, committee_raw, committee_recv;
