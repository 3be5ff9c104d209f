#!/usr/bin/env bash
# test/bench/dynamics.sh — journey dynamics (SPEC §10) against the plain SQL
# an analyst would write.  By hand, never in CI.
#
#   bash test/bench/dynamics.sh             1M journeys over 10M events
#   EVENTS=1000000 bash test/bench/dynamics.sh
#
# 1. stage_transitions_agg over stored journeys against the floor: the same
#    scan of the journey column with built-in count() and sum() (target:
#    within 1.5x).
# 2. journey_agg per entity + stage_transitions_agg against lag()/lead()
#    window SQL over the events that yields the same moves and dwell sums
#    (target: >= 3x).
# 3. survival_agg + survival_table over EVENTS durations against the window
#    SQL of Kaplan–Meier (GROUP BY time, running at-risk count, product as
#    exp(sum(ln))) (target: >= 5x), and the floor (GROUP BY time with count).
# Prints the best of RUNS timings, the leader backend's peak memory (VmHWM;
# parallel workers not included), the ratios and whether the results agree.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$B2B_ROOT"
EVENTS=${EVENTS:-10000000}
RUNS=${RUNS:-2}

b2b_need_packages
b2b_lock
b2b_build_install
b2b_start_cluster
b2b_psql -c "CREATE EXTENSION b2btarget"

# One query in a fresh connection: prints "seconds peak_MB result_hash".
run_query() {
	local sql=$1 out t0 t1 hwm hash
	t0=$(date +%s.%N)
	out=$(b2b_psql -At -c "SET max_parallel_workers_per_gather = 2" -c "SET jit = off" -c "$sql" \
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

show() {
	local label=$1 line=$2
	printf '  %-44s %7ss  peak %5s MB\n' "$label" "$(echo "$line" | cut -d' ' -f1)" "$(echo "$line" | cut -d' ' -f2)"
}
ratio() { awk -v a="${1%% *}" -v b="${2%% *}" 'BEGIN{printf "%.2f", a / b}'; }

ents=$((EVENTS / 10))
AS_OF="'2026-09-01'"
log "generating $EVENTS events over $ents entities and their journeys"
b2b_psql -c "DROP TABLE IF EXISTS bench_ev, bench_j, bench_dur, bench_dur_s" -c "
CREATE TABLE bench_ev AS
SELECT (i % $ents) + 1 AS entity, ts,
       least(7, greatest(1, 1 + floor(7 * power(0.7 * f + 0.3 * random(), 1.3))))::int::journey_stage AS stage
FROM (SELECT i, random() AS f FROM generate_series(1, $EVENTS) i) g,
     LATERAL (SELECT '2025-01-01'::timestamptz + f * interval '540 days' + (i % 7) * interval '1 second' AS ts) t
ORDER BY ts" -c "VACUUM ANALYZE bench_ev" \
	-c "CREATE TABLE bench_j AS SELECT entity, journey_agg(ts, stage) AS j FROM bench_ev GROUP BY entity" \
	-c "VACUUM ANALYZE bench_j" \
	-c "CREATE TABLE bench_dur AS SELECT floor(power(random(), 2) * 400) * interval '1 day' AS d, random() < 0.7 AS e FROM generate_series(1, $EVENTS)" \
	-c "VACUUM ANALYZE bench_dur" \
	-c "CREATE TABLE bench_dur_s AS SELECT floor(power(random(), 2) * 400 * 86400) * interval '1 second' AS d, random() < 0.7 AS e FROM generate_series(1, $EVENTS)" \
	-c "VACUUM ANALYZE bench_dur_s"

# consume every cell: moves and dwell of each (from, destination)
CONSUME_T="SELECT count(*), sum(moves), sum(probability), sum(extract(epoch FROM mean_dwell)) FROM transition_matrix(("
EXT_STORED="$CONSUME_T SELECT stage_transitions_agg(j, '60 days', $AS_OF) FROM bench_j))"
FLOOR_STORED="SELECT count(j), sum(pg_column_size(j)) FROM bench_j"
EXT_EVENTS="$CONSUME_T SELECT stage_transitions_agg(j, '60 days', $AS_OF) FROM (SELECT entity, journey_agg(ts, stage) j FROM bench_ev GROUP BY entity) x))"
SQL_EVENTS="
WITH m AS (
  SELECT entity, ts, stage, CASE WHEN lag(stage) OVER w IS DISTINCT FROM stage THEN 1 ELSE 0 END AS new_stay
  FROM bench_ev WINDOW w AS (PARTITION BY entity ORDER BY ts, stage)),
r AS (SELECT *, sum(new_stay) OVER (PARTITION BY entity ORDER BY ts, stage ROWS UNBOUNDED PRECEDING) AS stay FROM m),
s AS (SELECT entity, stay, min(stage) AS stage, min(ts) AS entered, max(ts) AS last FROM r GROUP BY entity, stay),
mv AS (SELECT stage AS from_stage, lead(stage) OVER w AS next_stage, lead(entered) OVER w AS next_entered, entered, last
       FROM s WINDOW w AS (PARTITION BY entity ORDER BY stay)),
c AS (
  SELECT from_stage,
         CASE WHEN next_stage IS NOT NULL THEN next_stage::text
              WHEN from_stage < 'purchase' AND $AS_OF::timestamptz - last > interval '60 days' THEN 'lost' ELSE 'open' END AS dest,
         count(*) AS moves,
         avg(CASE WHEN next_stage IS NOT NULL THEN next_entered - entered
                  WHEN from_stage < 'purchase' AND $AS_OF::timestamptz - last > interval '60 days' THEN last - entered
                  ELSE $AS_OF::timestamptz - entered END) AS mean_dwell
  FROM mv GROUP BY 1, 2),
p AS (SELECT *, CASE WHEN dest <> 'open' THEN moves::float8 / sum(moves) FILTER (WHERE dest <> 'open') OVER (PARTITION BY from_stage) END AS probability FROM c)
SELECT count(*), sum(moves), sum(probability), sum(extract(epoch FROM mean_dwell)) FROM p"

EXT_SURV="SELECT count(*), sum(at_risk), sum(events), sum(censored), sum(survival), sum(lower), sum(upper)
FROM survival_table((SELECT survival_agg(d, e) FROM bench_dur))"
SQL_SURV="
WITH t AS (SELECT d, count(*) FILTER (WHERE e) AS ev, count(*) FILTER (WHERE NOT e) AS ce FROM bench_dur GROUP BY d),
r AS (SELECT d, ev, ce, sum(ev + ce) OVER (ORDER BY d DESC) AS n FROM t),
k AS (SELECT d, n, ev, ce,
             exp(sum(ln(CASE WHEN ev < n THEN 1 - ev::float8 / n ELSE 1 END)) OVER (ORDER BY d)) AS s,
             sum(CASE WHEN ev < n THEN ev::float8 / (n * (n - ev)) ELSE 0 END) OVER (ORDER BY d) AS v
      FROM r)
SELECT count(*), sum(n), sum(ev), sum(ce), sum(s),
       sum(CASE WHEN s >= 1 THEN 1 ELSE exp(-exp(ln(-ln(s)) + 1.959963984540054 * sqrt(v) / abs(ln(s)))) END),
       sum(CASE WHEN s >= 1 THEN 1 ELSE exp(-exp(ln(-ln(s)) - 1.959963984540054 * sqrt(v) / abs(ln(s)))) END)
FROM k"
FLOOR_SURV="SELECT count(*), sum(c) FROM (SELECT d, count(e) AS c FROM bench_dur GROUP BY d) x"

echo
echo "== $ents journeys over $EVENTS events; $EVENTS durations (best of $RUNS, 2 parallel workers, JIT off) =="
echo "-- stage_transitions_agg(j, '60 days', as_of) over stored journeys"
a=$(bench "$EXT_STORED"); show "extension" "$a"
f=$(bench "$FLOOR_STORED"); show "floor: count(j), sum(pg_column_size(j))" "$f"
echo "  extension / floor: $(ratio "$a" "$f")x (target <= 1.5x)"
echo "-- from the events: journey_agg per entity + stage_transitions_agg vs lag()/lead() SQL"
a=$(bench "$EXT_EVENTS"); show "extension" "$a"
p=$(bench "$SQL_EVENTS"); show "plain SQL (lag/lead, runs, GROUP BY)" "$p"
echo "  plain / extension: $(ratio "$p" "$a")x (target >= 3x)"
b2b_psql -At -c "$EXT_EVENTS" -c "$SQL_EVENTS" | sed 's/^/  result: /'
for tbl in "bench_dur|durations in whole days (400 distinct: heavy ties)" "bench_dur_s|durations in seconds (mostly distinct)"; do
	t=${tbl%%|*}
	echo "-- survival_agg + survival_table over $EVENTS ${tbl#*|} vs window SQL"
	a=$(bench "${EXT_SURV//bench_dur/$t}"); show "extension" "$a"
	p=$(bench "${SQL_SURV//bench_dur/$t}"); show "plain SQL (GROUP BY, windows, exp(sum(ln)))" "$p"
	f=$(bench "${FLOOR_SURV//bench_dur/$t}"); show "floor: GROUP BY d with count()" "$f"
	echo "  plain / extension: $(ratio "$p" "$a")x (target >= 5x); extension / floor: $(ratio "$a" "$f")x"
	b2b_psql -At -c "${EXT_SURV//bench_dur/$t}" -c "${SQL_SURV//bench_dur/$t}" | sed 's/^/  result: /'
done
