-- Section: personas from data (kmeans_fit, kmeans_summary, cluster_of,
-- cluster_profile).
--
-- Five features per account, all known before a purchase: company size
-- (ln employees) and contacts from gen.sql, and the behaviour of
-- test/demo/gen_kmeans.sql (committee coverage, median days in a journey
-- stage, share of demo and trial touches).  Spend and conversion are not
-- clustered on: they are what the personas are then compared by.
\echo
\echo '== Personas: choosing k (objective = elbow, simplified silhouette = peak) =='
CREATE TEMP TABLE persona_features AS
SELECT a.account_id, a.converted, p.planted_persona,
       ARRAY[ln(a.employees), c.n, p.committee_coverage, p.median_days_in_stage,
             p.demo_trial_share]::float8[] AS features
FROM accounts a
JOIN persona_activity p USING (account_id)
JOIN (SELECT account_id, count(*) AS n FROM contacts GROUP BY account_id) c USING (account_id);

SELECT t.k, round(s.objective::numeric, 0) AS objective,
       round(s.simple_silhouette::numeric, 3) AS simple_silhouette, s.iterations
FROM (SELECT k, kmeans_fit(features, k) AS m FROM persona_features, generate_series(2, 8) k GROUP BY k) t,
     LATERAL kmeans_summary(t.m) s
ORDER BY t.k;

-- k = 4; of five seeds keep the lowest objective (scikit-learn's n_init)
CREATE TEMP TABLE persona_model AS
SELECT m FROM (SELECT seed, kmeans_fit(features, 4, seed) AS m FROM persona_features, generate_series(0, 4) seed GROUP BY seed) t
ORDER BY (kmeans_summary(m)).objective, seed LIMIT 1;
CREATE TEMP TABLE persona_of AS
SELECT f.account_id, f.converted, f.planted_persona, cluster_of(m.m, f.features) AS persona
FROM persona_features f, persona_model m;

\echo
\echo '== Personas (k = 4): size, what sets each apart, conversion, spend, best channel =='
WITH prof AS (
	SELECT p.cluster, p.feature, p.z_difference,
	       row_number() OVER (PARTITION BY p.cluster ORDER BY abs(p.z_difference) DESC NULLS LAST, p.feature) AS rk
	FROM persona_model m,
	     cluster_profile(m.m, ARRAY['size (ln employees)', 'contacts', 'committee coverage',
	                                'days in stage', 'demo/trial share']) p
),
apart AS (
	SELECT cluster, string_agg(feature || ' ' || to_char(z_difference, 'SG0.0') || ' sd', ', ' ORDER BY rk) AS distinctive
	FROM prof WHERE rk <= 2 GROUP BY cluster
),
spend AS (
	SELECT o.persona, avg(s.spend / 1.5) AS annual_spend
	FROM persona_of o JOIN (SELECT account_id, sum(amount) AS spend FROM orders GROUP BY account_id) s USING (account_id)
	GROUP BY o.persona
),
chan AS (
	SELECT o.persona, t.channel, avg(o.converted::int) AS conv,
	       row_number() OVER (PARTITION BY o.persona ORDER BY avg(o.converted::int) DESC, t.channel) AS rk
	FROM persona_of o JOIN touchpoints t USING (account_id)
	GROUP BY o.persona, t.channel
)
SELECT c.cluster AS persona, c.members AS accounts, round(100 * c.share::numeric, 1) AS "share %",
       a.distinctive,
       round(100 * avg(o.converted::int)::numeric, 1) AS "conversion %",
       round(sp.annual_spend::numeric, 0) AS "annual spend of buyers",
       ch.channel AS best_channel
FROM persona_model m, kmeans_centroids(m.m) c
JOIN apart a USING (cluster)
JOIN persona_of o ON o.persona = c.cluster
LEFT JOIN spend sp ON sp.persona = c.cluster
LEFT JOIN chan ch ON ch.persona = c.cluster AND ch.rk = 1
GROUP BY c.cluster, c.members, c.share, a.distinctive, sp.annual_spend, ch.channel
ORDER BY c.cluster;

\echo
\echo '== Personas: the four planted in test/demo/gen_kmeans.sql against those found =='
SELECT planted_persona,
       count(*) FILTER (WHERE persona = 1) AS "1", count(*) FILTER (WHERE persona = 2) AS "2",
       count(*) FILTER (WHERE persona = 3) AS "3", count(*) FILTER (WHERE persona = 4) AS "4"
FROM persona_of GROUP BY planted_persona ORDER BY planted_persona;
SELECT k, rows, skipped, iterations, converged, round(objective::numeric, 1) AS objective,
       round(simple_silhouette::numeric, 3) AS simple_silhouette
FROM persona_model, kmeans_summary(m);
