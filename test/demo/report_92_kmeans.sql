-- Section: personas from data (kmeans_fit, kmeans_summary, cluster_of,
-- cluster_profile, kmeans_centroids).
--
-- Four features per account from the CRM tables of gen.sql, all known
-- before a purchase: company size (ln employees), contacts (the committee's
-- size), the median days its contacts take to move from one journey stage
-- to the next (ln), and whether its industry is education or health care
-- (public-sector buyers).  Spend, conversion and channels are not clustered
-- on: they are what the personas are then compared by.  Accounts whose
-- contacts never moved a stage have no pace: kmeans_fit skips (and counts)
-- them.  gen.sql plants four personas (accounts.persona, see TRUTH.md); the
-- last table compares them with the clusters found.
-- small tables, big plan estimates: JIT compiling would take longer than the queries
SET jit = off;
\echo
\echo '== 26. Personas from the data: how many account types are there? (k-means clustering, k = number of types) =='
\echo 'Clustered on what is known before a purchase: company size, committee size, days per stage, public-sector industry.'
CREATE TEMP TABLE persona_features AS
WITH first_in AS (
	SELECT contact_id, stage, min(ts) AS t FROM touchpoints GROUP BY contact_id, stage
),
moves AS (
	SELECT c.account_id, extract(epoch FROM lead(f.t) OVER (PARTITION BY f.contact_id ORDER BY f.stage) - f.t) / 86400 AS days
	FROM first_in f JOIN contacts c USING (contact_id)
),
pace AS (
	SELECT account_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS days
	FROM moves WHERE days > 0 GROUP BY account_id
),
committee AS (SELECT account_id, count(*) AS contacts FROM contacts GROUP BY account_id)
SELECT a.account_id, a.converted, a.persona AS planted_persona,
       ARRAY[ln(a.employees), m.contacts, ln(p.days),
             (a.industry IN ('Education', 'Healthcare'))::int]::float8[] AS features
FROM accounts a
JOIN committee m USING (account_id)
LEFT JOIN pace p USING (account_id);

SELECT t.k AS types, round(s.objective::numeric, 0) AS spread_within_types,
       round(s.simple_silhouette::numeric, 2) AS separation, s.iterations
FROM (SELECT k, kmeans_fit(features, k) AS m FROM persona_features, generate_series(2, 8) k GROUP BY k) t,
     LATERAL kmeans_summary(t.m) s
ORDER BY t.k;

-- k = 4; of five seeds keep the lowest objective (as scikit-learn's n_init)
CREATE TEMP TABLE persona_model AS
SELECT m FROM (SELECT seed, kmeans_fit(features, 4, seed) AS m FROM persona_features, generate_series(0, 4) seed GROUP BY seed) t
ORDER BY (kmeans_summary(m)).objective, seed LIMIT 1;
SET client_min_messages = warning;
DROP TABLE IF EXISTS persona_of, persona_name;
RESET client_min_messages;
CREATE TABLE persona_of AS
SELECT f.account_id, f.converted, f.planted_persona, cluster_of(m.m, f.features) AS persona
FROM persona_features f, persona_model m;
\echo 'spread within types (the k-means objective): squared distance of the accounts to their type''s centre, lower is'
\echo 'tighter; it always falls with more types, so look for the bend. separation (simplified silhouette, -1 to 1): how much'
\echo 'nearer an account is to its own type than to the next one; higher is clearer. Chosen: 4 types (the bend; near the best separation).'
ANALYZE persona_of;
SELECT k AS types, rows AS accounts_clustered, skipped AS accounts_without_pace, iterations, converged,
       round(objective::numeric, 0) AS spread_within_types, round(simple_silhouette::numeric, 2) AS separation
FROM persona_model, kmeans_summary(m);
\echo 'accounts without pace: none of their contacts has moved a stage yet, so their days per stage are unknown.'
-- a name for each type, from its centre (never from the planted labels):
-- the most public-sector one, then the smallest and the largest companies
CREATE TABLE persona_name AS
WITH c AS (SELECT cluster, centroid FROM persona_model, kmeans_centroids(m)),
pub AS (SELECT cluster FROM c ORDER BY centroid[4] DESC, cluster LIMIT 1),
small AS (SELECT cluster FROM c WHERE cluster NOT IN (SELECT cluster FROM pub) ORDER BY centroid[1], cluster LIMIT 1),
large AS (SELECT cluster FROM c WHERE cluster NOT IN (SELECT cluster FROM pub UNION ALL SELECT cluster FROM small)
          ORDER BY centroid[1] DESC, cluster LIMIT 1)
SELECT cluster, CASE WHEN cluster IN (SELECT cluster FROM pub) THEN 'public sector'
                     WHEN cluster IN (SELECT cluster FROM small) THEN 'small companies'
                     WHEN cluster IN (SELECT cluster FROM large) THEN 'large enterprises'
                     ELSE 'mid-market' END AS name
FROM c;

\echo
\echo '== 27. The four account types: size, what sets each apart, conversion, spend and best channel =='
\echo 'Each type is named from its centre (size and public-sector share). What sets it apart: its two most different features,'
\echo 'in standard deviations from the average account (+1.5 = far above, -1.0 = well below).'
WITH prof AS (
	SELECT p.cluster, p.feature, p.z_difference,
	       row_number() OVER (PARTITION BY p.cluster ORDER BY abs(p.z_difference) DESC NULLS LAST, p.feature) AS rk
	FROM persona_model m,
	     cluster_profile(m.m, ARRAY['size', 'contacts', 'days per stage', 'public-sector industry']) p
),
apart AS (
	SELECT cluster, string_agg(feature || ' ' || to_char(z_difference, 'SG0.0'), ', ' ORDER BY rk) AS distinctive
	FROM prof WHERE rk <= 2 GROUP BY cluster
),
typical AS (
	SELECT c.cluster, round(exp(c.centroid[1])) AS employees, round(c.centroid[2]::numeric, 1) AS contacts,
	       round(exp(c.centroid[3])::numeric, 0) AS days_per_stage
	FROM persona_model m, kmeans_centroids(m.m) c
),
spend AS (
	SELECT o.persona, avg(s.spend) / 1.5 AS annual_spend
	FROM persona_of o JOIN (SELECT account_id, sum(amount) AS spend FROM orders GROUP BY account_id) s USING (account_id)
	GROUP BY o.persona
),
touches AS (
	SELECT o.persona, t.channel,
	       count(*) FILTER (WHERE o.converted)::float8 / sum(count(*) FILTER (WHERE o.converted)) OVER (PARTITION BY o.persona) AS buyers_share,
	       count(*) FILTER (WHERE NOT o.converted)::float8 / sum(count(*) FILTER (WHERE NOT o.converted)) OVER (PARTITION BY o.persona) AS others_share
	FROM persona_of o JOIN touchpoints t USING (account_id)
	WHERE o.persona IS NOT NULL
	GROUP BY o.persona, t.channel
),
best AS (
	SELECT DISTINCT ON (persona) persona, channel
	FROM touches WHERE others_share > 0 ORDER BY persona, buyers_share / others_share DESC, channel
)
SELECT pn.name AS account_type, c.members AS accounts, pct(c.share) AS share,
       ty.employees AS typical_employees, ty.contacts AS typical_contacts, ty.days_per_stage AS typical_days_per_stage,
       a.distinctive AS what_sets_it_apart, pct(avg(o.converted::int)) AS buyers_share,
       round(sp.annual_spend::numeric, -2) AS buyer_spend_a_year, b.channel AS best_channel
FROM persona_model m, kmeans_centroids(m.m) c
JOIN persona_name pn USING (cluster)
JOIN apart a USING (cluster)
JOIN typical ty USING (cluster)
JOIN persona_of o ON o.persona = c.cluster
LEFT JOIN spend sp ON sp.persona = c.cluster
LEFT JOIN best b ON b.persona = c.cluster
GROUP BY c.cluster, pn.name, c.members, c.share, ty.employees, ty.contacts, ty.days_per_stage, a.distinctive, sp.annual_spend, b.channel
ORDER BY ty.employees;
\echo 'best channel: the channel whose share of the touches is highest on the type''s buyers relative to its other accounts.'
\echo 'What this means: the types differ most in size and pace; sell to each at its own speed, with trials for every type.'

\echo
\echo '== 28. Are the types real? The four personas planted by the generator against the types found =='
SELECT planted_persona,
       count(*) FILTER (WHERE name = 'small companies') AS small_companies, count(*) FILTER (WHERE name = 'mid-market') AS mid_market,
       count(*) FILTER (WHERE name = 'large enterprises') AS large_enterprises, count(*) FILTER (WHERE name = 'public sector') AS public_sector,
       count(*) FILTER (WHERE name IS NULL) AS without_pace,
       pct(max(n)::float8 / count(*) FILTER (WHERE name IS NOT NULL)) AS in_its_main_type
FROM (SELECT o.*, pn.name FROM persona_of o LEFT JOIN persona_name pn ON pn.cluster = o.persona) persona_of
JOIN LATERAL (SELECT max(cnt) AS n FROM (SELECT count(*) AS cnt FROM persona_of q
              WHERE q.planted_persona = persona_of.planted_persona AND q.persona IS NOT NULL GROUP BY q.persona) x) mx ON true
GROUP BY planted_persona ORDER BY planted_persona;
\echo 'What this means: the clustering finds the planted account types (test/demo/TRUTH.md) from CRM data alone.'
