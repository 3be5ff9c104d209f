#!/usr/bin/env bash
# test/bench/funnel.sh — funnel_report(funnel_agg(stage)) against the plain
# SQL an analyst writes (count(*) FILTER per stage, then the ratios), and
# against a bare count(*) scan of the same table.  By hand, not in CI.
#
#   ROWS=10000000 bash test/bench/funnel.sh
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
ROWS=${ROWS:-10000000}
REPS=${REPS:-5}

b2b_need_packages
b2b_lock
b2b_build_install
b2b_start_cluster
b2b_psql -c "CREATE EXTENSION b2btarget"
log "generating $ROWS (account_id, stage) rows"
b2b_psql <<SQL
CREATE TABLE bench_stage AS
SELECT i AS account_id,
       (1 + floor(7 * power(random(), 1.8)))::int::journey_stage AS stage
FROM generate_series(1, $ROWS) i;
CREATE TABLE bench_stage_text AS SELECT account_id, stage::text AS stage FROM bench_stage;
VACUUM ANALYZE bench_stage;
VACUUM ANALYZE bench_stage_text;
SQL

# Best of REPS runs, in ms, of one query (parallel plans allowed).
time_query() {
	local q=$1 best=""
	for _ in $(seq "$REPS"); do
		local ms
		ms=$(b2b_psql -At -c '\timing on' -c "$q" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
		if [ -z "$best" ] || awk "BEGIN{exit !($ms < $best)}"; then best=$ms; fi
	done
	echo "$best"
}

Q_EXT="SELECT * FROM funnel_report((SELECT funnel_agg(stage) FROM bench_stage))"
Q_SQL="WITH c AS (
  SELECT count(*) FILTER (WHERE stage >= 'awareness') AS s1,
         count(*) FILTER (WHERE stage >= 'consideration') AS s2,
         count(*) FILTER (WHERE stage >= 'evaluation') AS s3,
         count(*) FILTER (WHERE stage >= 'decision') AS s4,
         count(*) FILTER (WHERE stage >= 'purchase') AS s5,
         count(*) FILTER (WHERE stage >= 'retention') AS s6,
         count(*) FILTER (WHERE stage >= 'advocacy') AS s7
  FROM bench_stage)
SELECT v.stage, v.n, v.n::float8 / c.s1 AS share_of_top,
       v.n::float8 / NULLIF(lag(v.n) OVER (ORDER BY v.o), 0) AS conversion
FROM c, LATERAL (VALUES (1, 'awareness', s1), (2, 'consideration', s2), (3, 'evaluation', s3),
  (4, 'decision', s4), (5, 'purchase', s5), (6, 'retention', s6), (7, 'advocacy', s7)) v(o, stage, n)"
Q_TEXT="WITH c AS (
  SELECT count(*) FILTER (WHERE stage IN ('awareness','consideration','evaluation','decision','purchase','retention','advocacy')) AS s1,
         count(*) FILTER (WHERE stage IN ('consideration','evaluation','decision','purchase','retention','advocacy')) AS s2,
         count(*) FILTER (WHERE stage IN ('evaluation','decision','purchase','retention','advocacy')) AS s3,
         count(*) FILTER (WHERE stage IN ('decision','purchase','retention','advocacy')) AS s4,
         count(*) FILTER (WHERE stage IN ('purchase','retention','advocacy')) AS s5,
         count(*) FILTER (WHERE stage IN ('retention','advocacy')) AS s6,
         count(*) FILTER (WHERE stage = 'advocacy') AS s7
  FROM bench_stage_text)
SELECT * FROM c"
Q_COUNT="SELECT count(*) FROM bench_stage"

ext=$(time_query "$Q_EXT")
sql=$(time_query "$Q_SQL")
txt=$(time_query "$Q_TEXT")
cnt=$(time_query "$Q_COUNT")
echo "rows: $ROWS (best of $REPS, parallel plans allowed, max_parallel_workers_per_gather=2)"
printf '%-58s %10s ms\n' "funnel_report(funnel_agg(stage))" "$ext"
printf '%-58s %10s ms\n' "plain SQL: count(*) FILTER per stage on journey_stage" "$sql"
printf '%-58s %10s ms\n' "plain SQL: count(*) FILTER per stage, stage stored as text" "$txt"
printf '%-58s %10s ms\n' "bare SELECT count(*)" "$cnt"
awk -v e="$ext" -v s="$sql" -v t="$txt" -v c="$cnt" 'BEGIN {
	printf "ratio extension / plain SQL (journey_stage): %.2f  (target <= 1.2)\n", e / s;
	printf "ratio extension / plain SQL (text column):   %.2f\n", e / t;
	printf "ratio extension / bare count(*):             %.2f  (target <= 1.5)\n", e / c }'
b2b_psql -At -c "SELECT 'pg_column_size: journey_stage ' || pg_column_size('evaluation'::journey_stage) || ' B, as text ' || pg_column_size('evaluation'::text) || ' B'"
b2b_psql -At -c "SELECT 'table size: journey_stage ' || pg_size_pretty(pg_table_size('bench_stage')) || ', text ' || pg_size_pretty(pg_table_size('bench_stage_text'))"
b2b_psql -At -c "SELECT 'funnel value size: ' || pg_column_size(funnel_agg(stage)) || ' B' FROM bench_stage"
