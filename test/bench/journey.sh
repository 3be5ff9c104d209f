#!/usr/bin/env bash
# test/bench/journey.sh — journey_agg + accessors and window_funnel against
# the plain SQL an analyst would write (window functions, self-joins).
# By hand, never in CI.
#
#   bash test/bench/journey.sh            1M and 10M events
#   SIZES="1000000" bash test/bench/journey.sh
#
# Events: N rows over N/10 entities, stage a noisy walk with moves
# backwards, stored twice: in time order (an event log: every row lands in a
# random group) and clustered by entity.  Each query runs with the planner's
# own plan and with hash aggregation off (sorted grouping), with and without
# JIT; the fastest configuration of each side is compared.  Prints the best
# of RUNS timings, the leader backend's peak memory (VmHWM), the ratio
# plain/extension, and the floor: the same GROUP BY entity reading the same
# columns with built-in count() and max(), which no aggregate can beat.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$B2B_ROOT"
SIZES=${SIZES:-"1000000 10000000"}
RUNS=${RUNS:-2}

b2b_need_packages
b2b_lock
b2b_build_install
b2b_start_cluster
b2b_psql -c "CREATE EXTENSION b2btarget"


# One query in a fresh connection: prints "seconds peak_MB result_hash".
# The leader backend's VmHWM is read in the same session (psql cannot read
# /proc after the backend has exited); parallel workers are not included.
run_query() {
	local sql=$1 out t0 t1 hwm hash
	t0=$(date +%s.%N)
	out=$(b2b_psql -At -c "SET max_parallel_workers_per_gather = 2" -c "$sql" \
		-c "SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\\s+(\\d+)'))[1]" 2>&1) ||
		{ echo "$out" >&2; exit 1; }
	t1=$(date +%s.%N)
	hwm=$(( $(echo "$out" | tail -1) / 1024 ))
	hash=$(echo "$out" | sed '$d' | md5sum | cut -c1-12)
	echo "$t0 $t1 $hwm $hash" | awk '{printf "%.2f %s %s\n", $2 - $1, $3, $4}'
}

# best time over RUNS: "seconds peak_MB result_hash"
bench() {
	local sql=$1 best="" line i t
	for i in $(seq "$RUNS"); do
		line=$(run_query "$sql")
		t=${line%% *}
		if [ -z "$best" ] || awk -v a="$t" -v b="${best%% *}" 'BEGIN{exit !(a < b)}'; then best=$line; fi
	done
	echo "$best"
}

EXT_JOURNEY="
SELECT count(*), sum(current_stage(j)::int), sum(furthest_stage(j)::int), sum(regressions(j)),
       justify_hours(sum(time_in_stage(j, 'awareness'))), justify_hours(sum(time_in_stage(j, 'consideration'))),
       justify_hours(sum(time_in_stage(j, 'evaluation'))), justify_hours(sum(time_in_stage(j, 'decision'))),
       justify_hours(sum(time_in_stage(j, 'purchase'))), justify_hours(sum(time_in_stage(j, 'retention'))),
       justify_hours(sum(time_in_stage(j, 'advocacy')))
FROM (SELECT entity, journey_agg(ts, stage) AS j FROM bench_ev GROUP BY entity) x"

SQL_JOURNEY="
WITH ev AS (
  SELECT entity, ts, stage,
         lag(stage) OVER (PARTITION BY entity ORDER BY ts, stage) AS prev,
         max(ts) OVER (PARTITION BY entity) AS last_ts
  FROM bench_ev),
stays AS (
  SELECT entity, stage, ts AS entered, last_ts,
         lead(ts) OVER w AS left_at, lag(stage) OVER w AS prev_stay
  FROM ev WHERE prev IS DISTINCT FROM stage
  WINDOW w AS (PARTITION BY entity ORDER BY ts, stage)),
per AS (
  SELECT entity, max(stage) FILTER (WHERE left_at IS NULL) AS cur, max(stage) AS furthest,
         count(*) FILTER (WHERE stage < prev_stay) AS regr,
         coalesce(sum(coalesce(left_at, last_ts) - entered) FILTER (WHERE stage = 'awareness'), '0') AS t1,
         coalesce(sum(coalesce(left_at, last_ts) - entered) FILTER (WHERE stage = 'consideration'), '0') AS t2,
         coalesce(sum(coalesce(left_at, last_ts) - entered) FILTER (WHERE stage = 'evaluation'), '0') AS t3,
         coalesce(sum(coalesce(left_at, last_ts) - entered) FILTER (WHERE stage = 'decision'), '0') AS t4,
         coalesce(sum(coalesce(left_at, last_ts) - entered) FILTER (WHERE stage = 'purchase'), '0') AS t5,
         coalesce(sum(coalesce(left_at, last_ts) - entered) FILTER (WHERE stage = 'retention'), '0') AS t6,
         coalesce(sum(coalesce(left_at, last_ts) - entered) FILTER (WHERE stage = 'advocacy'), '0') AS t7
  FROM stays GROUP BY entity)
SELECT count(*), sum(cur::int), sum(furthest::int), sum(regr),
       justify_hours(sum(t1)), justify_hours(sum(t2)), justify_hours(sum(t3)),
       justify_hours(sum(t4)), justify_hours(sum(t5)), justify_hours(sum(t6)),
       justify_hours(sum(t7))
FROM per"

EXT_WF="
SELECT level, count(*) FROM (
  SELECT entity, window_funnel('90 days', ts, stage) AS level FROM bench_ev GROUP BY entity) x
GROUP BY level ORDER BY level"

# The fastest plain SQL found for windowFunnel's default mode: for each step,
# the latest chain start that reaches it (one join per stage).
SQL_WF="
WITH s1 AS (SELECT entity, ts, ts AS start FROM bench_ev WHERE stage = 'awareness'),
s2 AS (SELECT e.entity, e.ts, max(p.start) AS start FROM bench_ev e JOIN s1 p ON p.entity = e.entity AND p.ts <= e.ts AND e.ts <= p.start + interval '90 days' WHERE e.stage = 'consideration' GROUP BY 1, 2),
s3 AS (SELECT e.entity, e.ts, max(p.start) AS start FROM bench_ev e JOIN s2 p ON p.entity = e.entity AND p.ts <= e.ts AND e.ts <= p.start + interval '90 days' WHERE e.stage = 'evaluation' GROUP BY 1, 2),
s4 AS (SELECT e.entity, e.ts, max(p.start) AS start FROM bench_ev e JOIN s3 p ON p.entity = e.entity AND p.ts <= e.ts AND e.ts <= p.start + interval '90 days' WHERE e.stage = 'decision' GROUP BY 1, 2),
s5 AS (SELECT e.entity, e.ts, max(p.start) AS start FROM bench_ev e JOIN s4 p ON p.entity = e.entity AND p.ts <= e.ts AND e.ts <= p.start + interval '90 days' WHERE e.stage = 'purchase' GROUP BY 1, 2),
s6 AS (SELECT e.entity, e.ts, max(p.start) AS start FROM bench_ev e JOIN s5 p ON p.entity = e.entity AND p.ts <= e.ts AND e.ts <= p.start + interval '90 days' WHERE e.stage = 'retention' GROUP BY 1, 2),
s7 AS (SELECT e.entity, e.ts, max(p.start) AS start FROM bench_ev e JOIN s6 p ON p.entity = e.entity AND p.ts <= e.ts AND e.ts <= p.start + interval '90 days' WHERE e.stage = 'advocacy' GROUP BY 1, 2),
lv AS (
  SELECT entity, max(l) AS l FROM (
    SELECT entity, 1 AS l FROM s1 UNION ALL SELECT entity, 2 FROM s2 UNION ALL SELECT entity, 3 FROM s3
    UNION ALL SELECT entity, 4 FROM s4 UNION ALL SELECT entity, 5 FROM s5 UNION ALL SELECT entity, 6 FROM s6
    UNION ALL SELECT entity, 7 FROM s7) u GROUP BY entity)
SELECT level, count(*) FROM (
  SELECT e.entity, lv.l::journey_stage AS level FROM (SELECT DISTINCT entity FROM bench_ev) e LEFT JOIN lv USING (entity)) x
GROUP BY level ORDER BY level"

# "label|settings": each query runs with the server's defaults, with hash
# aggregation off (sorted grouping), and both without JIT (LLVM compiles the
# query in each of the three processes, up to half a second on 2 cores);
# each side is judged by its fastest configuration.
PLANS=("default|" "sorted grouping|SET enable_hashagg = off;"
	"JIT off|SET jit = off;" "sorted, JIT off|SET enable_hashagg = off; SET jit = off;")

# best over the plans: "seconds peak_MB result_hash plan"
best_plan() {
	local sql=$1 best="" p label set line
	for p in "${PLANS[@]}"; do
		label=${p%%|*} set=${p#*|}
		line="$(bench "$set $sql") $label"
		printf '    %-16s %8ss  peak %5s MB\n' "$label" "$(echo "$line" | cut -d' ' -f1)" "$(echo "$line" | cut -d' ' -f2)" >&2
		if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN{exit !(a < b)}'; then best=$line; fi
	done
	echo "$best"
}

compare() {
	local what=$1 ext=$2 plain=$3 te he re pe ts_ hs rs ps
	echo "-- $what" >&2
	echo "  extension:" >&2
	read -r te he re pe <<<"$(best_plan "$ext")"
	echo "  plain SQL:" >&2
	read -r ts_ hs rs ps <<<"$(best_plan "$plain")"
	printf '  best: extension %ss (%s), plain %ss (%s): ratio %sx, same result: %s\n' \
		"$te" "$pe" "$ts_" "$ps" "$(awk -v a="$ts_" -v b="$te" 'BEGIN{printf "%.1f", a / b}')" \
		"$([ "$re" = "$rs" ] && echo yes || echo NO)" >&2
}

for n in $SIZES; do
	ents=$((n / 10))
	log "generating $n events over $ents entities"
	b2b_psql -c "DROP TABLE IF EXISTS bench_ev, bench_ev_by_entity" -c "
	CREATE TABLE bench_ev AS
	SELECT (i % $ents) + 1 AS entity, ts,
	       least(7, greatest(1, 1 + floor(7 * power(0.7 * f + 0.3 * random(), 1.3))))::int::journey_stage AS stage
	FROM (SELECT i, random() AS f FROM generate_series(1, $n) i) g,
	     LATERAL (SELECT '2025-01-01'::timestamptz + f * interval '540 days' + (i % 7) * interval '1 second' AS ts) t
	ORDER BY ts" -c "CREATE TABLE bench_ev_by_entity AS SELECT * FROM bench_ev ORDER BY entity" \
		-c "VACUUM ANALYZE bench_ev" -c "VACUUM ANALYZE bench_ev_by_entity"
	for layout in "bench_ev|stored in time order (an event log)" "bench_ev_by_entity|stored by entity (clustered)"; do
		tbl=${layout%%|*}
		echo
		echo "== $n events, $ents entities, ${layout#*|} (best of $RUNS, 2 parallel workers) =="
		echo "-- floor: the same GROUP BY entity over the same columns with built-in count() and max()" >&2
		read -r tf hf rf pf <<<"$(best_plan "SELECT count(*), sum(c), max(m) FROM (SELECT entity, count(stage) AS c, max(ts) AS m FROM $tbl GROUP BY entity) x")"
		echo "  best: ${tf}s ($pf)" >&2
		compare "journey_agg + current/furthest/7x time_in_stage/regressions vs lag/lead window functions" \
			"${EXT_JOURNEY//bench_ev/$tbl}" "${SQL_JOURNEY//bench_ev/$tbl}"
		compare "window_funnel('90 days', ts, stage) vs one join per stage" \
			"${EXT_WF//bench_ev/$tbl}" "${SQL_WF//bench_ev/$tbl}"
	done
done 2>&1
