#!/usr/bin/env bash
# test/bench/pgbench.sh — concurrent load: 8 clients for 60 s mixing the
# aggregates and the accessors on shared tables (reads of stored summaries,
# aggregates over events, fits' accessors, and writes of new events).
# Reports pgbench's failed transactions (must be 0) and TPS.
#
#   bash test/bench/pgbench.sh
#   B2B_CLIENTS=4 B2B_SECONDS=20 bash test/bench/pgbench.sh
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$B2B_ROOT"
CLIENTS=${B2B_CLIENTS:-8}
SECONDS_RUN=${B2B_SECONDS:-60}

b2b_lock
b2b_build_install
b2b_start_cluster
work=$(mktemp -d /tmp/b2b_pgbench.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"; b2b_stop_cluster' EXIT

b2b_psql <<'SQL'
CREATE EXTENSION b2btarget;
SET TimeZone = 'UTC';
-- 2,000 accounts, 40 events each, 3 contacts each with a role
CREATE TABLE pb_events (account int, ts timestamptz, stage journey_stage);
INSERT INTO pb_events
SELECT a, '2025-01-01'::timestamptz + ((a * 7919 + k * 104729) % 400) * interval '1 day',
       (1 + (a + k * k) % 7)::int::journey_stage
FROM generate_series(1, 2000) a, generate_series(1, 40) k;
CREATE INDEX ON pb_events (account);
CREATE TABLE pb_journeys AS SELECT account, journey_agg(ts, stage) AS j FROM pb_events GROUP BY account;
ALTER TABLE pb_journeys ADD PRIMARY KEY (account);
CREATE TABLE pb_contacts (account int, role buying_role, stage journey_stage, p float8);
INSERT INTO pb_contacts
SELECT a, buying_role(1 + (a + c) % 11), (1 + (a * c) % 7)::int::journey_stage, ((a * 31 + c * 17) % 100) / 100.0
FROM generate_series(1, 2000) a, generate_series(1, 3) c;
CREATE TABLE pb_orders (customer int, ts timestamptz, amount numeric);
INSERT INTO pb_orders
SELECT c, '2024-01-01'::timestamptz + ((c * 13 + k * 7) % 700) * interval '1 day', 10 + (c * k) % 90
FROM generate_series(1, 3000) c, generate_series(1, 1 + c % 6) k;
CREATE TABLE pb_models AS
SELECT (SELECT bgnbd_fit(frequency, recency, t) FROM (
          SELECT (s).* FROM (SELECT customer_summary_agg(ts, amount, '2026-01-01') s FROM pb_orders GROUP BY customer) x) y) AS bg,
       (SELECT gamma_gamma_fit(frequency, monetary_value) FROM (
          SELECT (s).* FROM (SELECT customer_summary_agg(ts, amount, '2026-01-01') s FROM pb_orders GROUP BY customer) x) y
        WHERE frequency > 0) AS gg;
CREATE TABLE pb_scores (id int, score float8, label boolean);
INSERT INTO pb_scores SELECT i, ((i * 2654435761::bigint) % 1000) / 1000.0, (i * 7) % 10 < 3 FROM generate_series(1, 20000) i;
ANALYZE;
SQL

# Each transaction picks one of these (pgbench -f file@weight).
cat >"$work/journey.sql" <<'SQL'
\set a random(1, 2000)
SELECT current_stage(j), furthest_stage(j), time_in_stage(j, 'evaluation'), time_to_stage(j, 'awareness', 'decision'),
       is_stalled(j, '2026-06-01', '30 days'), regressions(j), j::text FROM pb_journeys WHERE account = :a;
SQL
cat >"$work/funnel.sql" <<'SQL'
\set a random(1, 1900)
SELECT window_funnel('90 days', ts, stage), window_funnel('90 days', ts, stage, 'strict_order'), journey_agg(ts, stage)
FROM pb_events WHERE account BETWEEN :a AND :a + 100 GROUP BY account ORDER BY account LIMIT 5;
SQL
cat >"$work/rollup.sql" <<'SQL'
\set a random(1, 1500)
SELECT funnel_agg(j), (conversion_time_agg(j, 'awareness', 'purchase')).median FROM pb_journeys WHERE account BETWEEN :a AND :a + 500;
SQL
cat >"$work/committee.sql" <<'SQL'
\set a random(1, 1990)
SELECT account, consensus_stage(c), account_propensity(c) FROM (
  SELECT account, committee_agg(role, stage, p::propensity) c FROM pb_contacts WHERE account BETWEEN :a AND :a + 10 GROUP BY account) s ORDER BY account;
SQL
cat >"$work/clv.sql" <<'SQL'
\set c random(1, 3000)
SELECT p_alive(bg, 2, 30, 100), expected_purchases(bg, 90, 2, 30, 100), clv(bg, gg, 2, 30, 100, 50, 12, 0.01, 'days') FROM pb_models;
SQL
cat >"$work/eval.sql" <<'SQL'
\set a random(1, 15000)
SELECT auc_agg(score, label), auc(lift_agg(score, label)) FROM pb_scores WHERE id BETWEEN :a AND :a + 5000;
SQL
cat >"$work/write.sql" <<'SQL'
\set a random(1, 2000)
\set s random(1, 7)
INSERT INTO pb_events VALUES (:a, '2026-01-01'::timestamptz + random() * interval '100 days', :s::journey_stage);
UPDATE pb_journeys SET j = rollup_j FROM (SELECT rollup(x) AS rollup_j FROM (SELECT j AS x FROM pb_journeys WHERE account = :a) y) z WHERE account = :a;
SQL

log "pgbench: $CLIENTS clients, $SECONDS_RUN s"
out=$("$PG_BINDIR/pgbench" -n -c "$CLIENTS" -j 2 -T "$SECONDS_RUN" -P 20 \
	-f "$work/journey.sql@4" -f "$work/funnel.sql@2" -f "$work/rollup.sql@1" \
	-f "$work/committee.sql@2" -f "$work/clv.sql@2" -f "$work/eval.sql@1" -f "$work/write.sql@2" 2>&1) || true
echo "$out" | grep -E "^(progress|number of|latency|tps|transaction type|pgbench)| *- number of|ERROR|error" | head -60
failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
aborted=$(echo "$out" | grep -c "aborted" || true)
failed=$(( ${failed:-0} + aborted ))
tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
echo "pgbench: ${CLIENTS} clients, ${SECONDS_RUN} s: failed transactions + aborted clients ${failed}, tps ${tps:-?}"
b2b_psql -Atc "SELECT 'journeys still readable: ' || count(*) || ' of ' || (SELECT count(*) FROM pb_journeys) FROM pb_journeys WHERE j::text::journey IS NOT NULL"
[ "${failed:-1}" = 0 ]
