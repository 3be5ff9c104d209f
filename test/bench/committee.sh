#!/usr/bin/env bash
# test/bench/committee.sh — per-account buying-committee figures with
# committee_agg and its accessors, against the best plain SQL for the same
# columns (GROUP BY with FILTER and bool_or per role, and a window over the
# per-stage weights for the weighted median).  By hand, not in CI.
#
#   MEMBERS=10000000 ACCOUNTS=1000000 bash test/bench/committee.sh
#
# Both queries return, per account: member count, coverage of the four
# required roles, leading, lagging and consensus stage, and the log-odds
# pooled account propensity; an outer aggregate consumes the rows so the
# client transfer is not timed.  Peak memory is VmHWM of the leader backend
# (parallel workers not included), read in a fresh connection per query.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
MEMBERS=${MEMBERS:-10000000}
ACCOUNTS=${ACCOUNTS:-$((MEMBERS / 10))}
REPS=${REPS:-3}

b2b_need_packages
b2b_lock
b2b_build_install
b2b_start_cluster
b2b_psql -c "CREATE EXTENSION b2btarget"
log "generating $MEMBERS members in $ACCOUNTS accounts"
b2b_psql <<SQL
SELECT setseed(0.7) AS seed \gset
CREATE TABLE bench_members AS
SELECT 1 + floor(random() * $ACCOUNTS)::int AS account_id, r.role,
       CASE WHEN random() < 0.05 THEN NULL
            ELSE journey_stage(1 + floor(7 * power(random(), 1.6))::int) END AS stage,
       CASE WHEN random() < 0.05 THEN NULL ELSE random()::propensity END AS p,
       CASE WHEN r.role IN ('decision_maker', 'economic_buyer') THEN 3
            WHEN r.role = 'champion' THEN 2 ELSE 1 END::float8 AS w
FROM generate_series(1, $MEMBERS) i,
     LATERAL (SELECT buying_role(1 + floor(random() * 11 + 0 * i)::int) AS role) r;
VACUUM ANALYZE bench_members;
SQL

Q_EXT="SELECT count(*) AS accounts, sum(members) AS members, round(avg(coverage)::numeric, 6) AS coverage,
       count(consensus) AS with_consensus, round(avg(stage_ordinal(consensus))::numeric, 6) AS consensus,
       round(avg(stage_ordinal(lead_s))::numeric, 6) AS leading, round(avg(stage_ordinal(lag_s))::numeric, 6) AS lagging,
       round(avg(account_p)::numeric, 6) AS account_p
FROM (SELECT account_id, member_count(c) AS members,
             coverage(c, '{decision_maker,economic_buyer,champion,technical_evaluator}') AS coverage,
             leading_stage(c) AS lead_s, lagging_stage(c) AS lag_s, consensus_stage(c) AS consensus,
             account_propensity(c)::float8 AS account_p
      FROM (SELECT account_id, committee_agg(role, stage, p, w) AS c FROM bench_members GROUP BY account_id) s) x"
Q_SQL="WITH per_stage AS (
  SELECT account_id, stage, sum(w) AS sw FROM bench_members WHERE stage IS NOT NULL GROUP BY account_id, stage
), cons AS (
  SELECT account_id, min(stage) FILTER (WHERE sw > 0 AND 2 * cum >= tot) AS consensus
  FROM (SELECT account_id, stage, sw,
               sum(sw) OVER (PARTITION BY account_id ORDER BY stage) AS cum,
               sum(sw) OVER (PARTITION BY account_id) AS tot
        FROM per_stage) w
  GROUP BY account_id
), agg AS (
  SELECT account_id, count(*) AS members,
         (coalesce(bool_or(role = 'decision_maker'), false)::int + coalesce(bool_or(role = 'economic_buyer'), false)::int
          + coalesce(bool_or(role = 'champion'), false)::int + coalesce(bool_or(role = 'technical_evaluator'), false)::int) / 4.0 AS coverage,
         max(stage) AS lead_s, min(stage) AS lag_s,
         1 / (1 + exp(-sum(w * ln(least(greatest(p::float8, 1e-12), 1 - 1e-12) / (1 - least(greatest(p::float8, 1e-12), 1 - 1e-12)))) FILTER (WHERE p IS NOT NULL)
                       / nullif(sum(w) FILTER (WHERE p IS NOT NULL), 0))) AS account_p
  FROM bench_members GROUP BY account_id
)
SELECT count(*) AS accounts, sum(members) AS members, round(avg(coverage)::numeric, 6) AS coverage,
       count(consensus) AS with_consensus, round(avg(stage_ordinal(consensus))::numeric, 6) AS consensus,
       round(avg(stage_ordinal(lead_s))::numeric, 6) AS leading, round(avg(stage_ordinal(lag_s))::numeric, 6) AS lagging,
       round(avg(account_p)::numeric, 6) AS account_p
FROM agg LEFT JOIN cons USING (account_id)"

# Best of REPS runs, in ms (parallel plans allowed).
time_query() {
	local q=$1 best=""
	for _ in $(seq "$REPS"); do
		local ms
		ms=$(b2b_psql -At -c '\timing on' -c "$q" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
		if [ -z "$best" ] || awk "BEGIN{exit !($ms < $best)}"; then best=$ms; fi
	done
	echo "$best"
}
# Peak resident memory of the backend that ran the query (fresh connection).
peak_kb() {
	b2b_psql -At -c "$1" -c "SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\s+(\d+)'))[1]" | tail -1
}

log "checking both queries give the same answers"
a=$(b2b_psql -At -c "$Q_EXT")
b=$(b2b_psql -At -c "$Q_SQL")
echo "extension: $a"
echo "plain SQL: $b"
[ "$a" = "$b" ] || echo "WARNING: the results differ"

ext=$(time_query "$Q_EXT")
sql=$(time_query "$Q_SQL")
b2b_psql -c "SET max_parallel_workers_per_gather = 0" >/dev/null
ext1=$(time_query "SET max_parallel_workers_per_gather = 0; $Q_EXT")
sql1=$(time_query "SET max_parallel_workers_per_gather = 0; $Q_SQL")
mext=$(peak_kb "$Q_EXT")
msql=$(peak_kb "$Q_SQL")
echo "members: $MEMBERS in $ACCOUNTS accounts (best of $REPS; work_mem ${B2B_WORK_MEM:-64MB})"
printf '%-52s %10s ms  (1 process: %s ms)  peak %s kB\n' "committee_agg + accessors" "$ext" "$ext1" "$mext"
printf '%-52s %10s ms  (1 process: %s ms)  peak %s kB\n' "plain SQL (FILTER, bool_or, window median)" "$sql" "$sql1" "$msql"
awk -v e="$ext" -v s="$sql" -v e1="$ext1" -v s1="$sql1" 'BEGIN {
	printf "speed-up plain SQL / extension, parallel: %.2fx   one process: %.2fx  (target >= 3)\n", s / e, s1 / e1 }'
b2b_psql -At -c "SELECT 'stored committee: ' || min(pg_column_size(c)) || '-' || max(pg_column_size(c)) || ' B per account, text form ' || round(avg(length(c::text))) || ' B on average'
                 FROM (SELECT committee_agg(role, stage, p, w) c FROM bench_members WHERE account_id <= 1000 GROUP BY account_id) s"
b2b_psql -At -c "EXPLAIN (COSTS OFF) SELECT account_id, committee_agg(role, stage, p, w) FROM bench_members GROUP BY account_id"
