#!/usr/bin/env bash
# test/bench/targeting.sh — benchmarks of issue 14, by hand (never in CI):
#
#   plan       target_plan_agg over PLAN_ROWS candidates end to end (greedy:
#              too big for the DP) vs the plain-SQL greedy prefix an analyst
#              writes (running sum by value per cost), and the floor (one
#              scan with sum/count); then the DP at its limit, measured
#   calibrate  calibrate(isotonic calibrator, score) over CAL_ROWS scores vs
#              the inline SQL CASE of the same piecewise-linear map (target
#              <= 1.3x), and the floor sum(score)
#   uplift     uplift_agg + qini_coefficient over CAL_ROWS rows vs the plain
#              SQL Qini coefficient with window functions (target >= 5x),
#              and the floor (GROUP BY score with counts)
#
#   bash test/bench/targeting.sh                  1M candidates, 10M rows
#   PLAN_ROWS=100000 CAL_ROWS=1000000 bash test/bench/targeting.sh
#
# Prints each timing (best of RUNS) and the ratios.  Every output column is
# consumed (outer sum/max) so that nothing is planned away.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$B2B_ROOT"

PLAN_ROWS=${PLAN_ROWS:-1000000}
CAL_ROWS=${CAL_ROWS:-10000000}
RUNS=${RUNS:-3}
PARTS=${PARTS:-plan dp calibrate uplift}
want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

b2b_need_packages
b2b_lock
b2b_build_install
B2B_SHARED_BUFFERS=2GB B2B_WORK_MEM=1GB b2b_start_cluster
PSQL="$PG_BINDIR/psql -X -q -v ON_ERROR_STOP=1"
$PSQL -c "CREATE EXTENSION b2btarget"

# measure NAME SQL: best wall time (ms) of RUNS runs.  Sets MS.
measure() {
	local name=$1 sql=$2 best="" i out t
	for i in $(seq "$RUNS"); do
		out=$($PSQL <<SQL
\o /dev/null
\timing on
$sql;
\timing off
SQL
)
		t=$(echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
		if [ -z "$best" ] || awk "BEGIN {exit !($t < $best)}"; then best=$t; fi
	done
	MS=$best
	printf '  %-58s %10.0f ms\n' "$name" "$MS"
}
ratio() { awk "BEGIN {printf \"%.2f\", $1 / $2}"; }

if want plan || want dp; then
echo "== data: $PLAN_ROWS candidates (generating)"
$PSQL <<SQL
SELECT setseed(0.1);
CREATE TABLE bench_cand AS
SELECT i::bigint AS id, (random() * 0.5)::float8 AS p, (1000 + random() * 49000)::float8 AS value,
       (100 + floor(random() * 1900))::float8 AS cost
FROM generate_series(1, $PLAN_ROWS) i;
VACUUM ANALYZE bench_cand;
SQL
fi
if want plan; then
echo
echo "== plan: target_plan_agg over $PLAN_ROWS candidates, budget 5,000,000"
measure "target_plan_agg + summary (2 parallel workers)" \
	"SELECT s.* FROM (SELECT target_plan_agg(id, p::propensity, value, cost, 5000000) AS plan FROM bench_cand) x, target_plan_summary(plan) s"
T_MS=$MS
measure "target_plan_agg + summary (no parallel workers)" \
	"SET max_parallel_workers_per_gather = 0; SELECT s.* FROM (SELECT target_plan_agg(id, p::propensity, value, cost, 5000000) AS plan FROM bench_cand) x, target_plan_summary(plan) s"
measure "plain SQL greedy prefix (window running sum)" \
	"SELECT count(*), sum(ev), max(cum) FROM (SELECT p * value - cost AS ev, sum(cost) OVER (ORDER BY (p * value - cost) / cost DESC, id) AS cum FROM bench_cand WHERE p * value - cost > 0) g WHERE cum <= 5000000"
G_MS=$MS
measure "floor: one scan, count and sum" "SELECT count(*), sum(p * value - cost) FROM bench_cand WHERE p * value - cost > 0"
F_MS=$MS
echo "  ratio (target_plan_agg / plain SQL greedy): $(ratio "$T_MS" "$G_MS"); against the floor: $(ratio "$T_MS" "$F_MS")"
$PSQL -A -F ' ' -t -c "SELECT 'plan: chosen', chosen, 'of', candidates, 'expected value', round(expected_value), 'LP bound', round(upper_bound), 'share', round((expected_value / upper_bound)::numeric, 6), 'exact', exact FROM (SELECT target_plan_agg(id, p::propensity, value, cost, 5000000) AS plan FROM bench_cand) x, target_plan_summary(plan)"
$PSQL -A -F ' ' -t -c "SELECT 'plain greedy prefix expected value', round(sum(ev)) FROM (SELECT p * value - cost AS ev, sum(cost) OVER (ORDER BY (p * value - cost) / cost DESC, id) AS cum FROM bench_cand WHERE p * value - cost > 0) g WHERE cum <= 5000000"
fi
if want dp; then
echo
echo "== dp: the exact dynamic programme near its limit (candidates x budget units <= 2^28)"
for nb in "1000 250000" "10000 25000" "100000 2500" "2000 5000"; do
	set -- $nb
	measure "exact DP: $1 candidates, budget $2 ($(( $1 * ($2 + 1) / 1000000 ))M cells)" \
		"SELECT s.exact, s.expected_value FROM (SELECT target_plan_agg(id, p::propensity, value, cost, $2) AS plan FROM bench_cand WHERE id <= $1) x, target_plan_summary(plan) s"
	$PSQL -A -t -c "SELECT '    exact: ' || exact FROM (SELECT target_plan_agg(id, p::propensity, value, cost, $2) AS plan FROM bench_cand WHERE id <= $1) x, target_plan_summary(plan)"
done
fi

if want calibrate || want uplift; then
echo
echo "== data: $CAL_ROWS scored rows (generating)"
$PSQL <<SQL
SELECT setseed(0.2);
CREATE TABLE bench_scores AS
SELECT s, random() < 1 / (1 + exp(-(4 * s - 3))) AS y, random() < 0.5 AS t
FROM (SELECT random() AS s FROM generate_series(1, $CAL_ROWS)) x;
VACUUM ANALYZE bench_scores;
-- the calibrator: isotonic on 200,000 training rows, scores rounded to 2 places
CREATE TABLE bench_cal AS SELECT calibration_fit(round(s::numeric, 2)::float8, y) AS c FROM (SELECT * FROM bench_scores LIMIT 200000) x;
SQL
fi
if want calibrate; then
echo
echo "== calibrate: $CAL_ROWS scores, isotonic calibrator with $($PSQL -A -t -c "SELECT json_array_length(c::text::json->'x') FROM bench_cal") points"
# the same map written inline: clip below, one WHEN per segment, clip above
CASE_SQL=$($PSQL -A -t <<'SQL'
SELECT 'CASE WHEN s <= ' || x[1] || ' THEN ' || y[1]::text || ' ' ||
       string_agg('WHEN s < ' || x[i + 1] || ' THEN ' || y[i] || ' + (s - ' || x[i] || ') * ' ||
                  ((y[i + 1] - y[i]) / (x[i + 1] - x[i]))::text, ' ' ORDER BY i) ||
       ' ELSE ' || y[array_length(x, 1)] || ' END'
FROM (SELECT ARRAY(SELECT json_array_elements_text(c::text::json->'x')::float8) AS x,
             ARRAY(SELECT json_array_elements_text(c::text::json->'y')::float8) AS y FROM bench_cal) a,
     generate_series(1, array_length(x, 1) - 1) i GROUP BY x, y
SQL
)
measure "calibrate(c, s) (2 parallel workers)" "SELECT sum(calibrate((SELECT c FROM bench_cal), s)) FROM bench_scores"
C_MS=$MS
measure "inline SQL CASE piecewise-linear" "SELECT sum($CASE_SQL) FROM bench_scores"
I_MS=$MS
measure "floor: sum(s)" "SELECT sum(s) FROM bench_scores"
FL_MS=$MS
measure "calibrate, no parallel workers" "SET max_parallel_workers_per_gather = 0; SELECT sum(calibrate((SELECT c FROM bench_cal), s)) FROM bench_scores"
C1_MS=$MS
measure "inline SQL CASE, no parallel workers" "SET max_parallel_workers_per_gather = 0; SELECT sum($CASE_SQL) FROM bench_scores"
I1_MS=$MS
echo "  ratio (calibrate / inline SQL): $(ratio "$C_MS" "$I_MS") with workers, $(ratio "$C1_MS" "$I1_MS") without (target <= 1.3); against the floor: $(ratio "$C_MS" "$FL_MS")"
echo "  agreement: max |calibrate - CASE| = $($PSQL -A -t -c "SELECT max(abs(calibrate((SELECT c FROM bench_cal), s) - ($CASE_SQL))) FROM (SELECT s FROM bench_scores LIMIT 100000) x")"
fi
if want uplift; then
echo
echo "== uplift: uplift_agg + qini_coefficient over $CAL_ROWS rows (score s, treated t, converted y)"
QINI_SQL="WITH g AS (SELECT s, count(*) FILTER (WHERE t) AS nt, count(*) FILTER (WHERE t AND y) AS yt, count(*) FILTER (WHERE NOT t) AS nc, count(*) FILTER (WHERE NOT t AND y) AS yc FROM bench_scores GROUP BY s),
c AS (SELECT sum(nt) OVER w AS ct, sum(yt) OVER w AS cyt, sum(nc) OVER w AS cc, sum(yc) OVER w AS cyc FROM g WINDOW w AS (ORDER BY s DESC)),
p AS (SELECT (ct + cc)::float8 AS x, cyt - cyc * CASE WHEN cc > 0 THEN ct::float8 / cc ELSE 0 END AS y FROM c UNION ALL SELECT 0, 0),
a AS (SELECT sum((x - px) * (y + py) / 2) AS area, max(x) AS n, (array_agg(y ORDER BY x DESC))[1] AS yn FROM (SELECT x, y, lag(x) OVER (ORDER BY x) AS px, lag(y) OVER (ORDER BY x) AS py FROM p) q WHERE px IS NOT NULL),
k AS (SELECT count(*) FILTER (WHERE t AND y)::float8 AS tr, count(*) FILTER (WHERE t AND NOT y)::float8 AS tn, count(*) FILTER (WHERE NOT t AND y)::float8 AS cr, count(*) FILTER (WHERE NOT t AND NOT y)::float8 AS cn FROM bench_scores)
SELECT (area - n * yn / 2) / (tr * tr / 2 + (tn + cn) * tr + cr * (tr + yn) / 2 - n * yn / 2) FROM a, k"
measure "uplift_agg + qini_coefficient (2 parallel workers)" "SELECT qini_coefficient(uplift_agg(s, t, y)) FROM bench_scores"
U_MS=$MS
measure "plain SQL Qini coefficient (window functions)" "$QINI_SQL"
W_MS=$MS
measure "floor: GROUP BY score with the four counts" "SELECT sum(nt + yt + nc + yc) FROM (SELECT count(*) FILTER (WHERE t) AS nt, count(*) FILTER (WHERE t AND y) AS yt, count(*) FILTER (WHERE NOT t) AS nc, count(*) FILTER (WHERE NOT t AND y) AS yc FROM bench_scores GROUP BY s) g"
FU_MS=$MS
echo "  ratio (plain SQL / uplift_agg): $(ratio "$W_MS" "$U_MS")x (target >= 5); uplift_agg against the floor: $(ratio "$U_MS" "$FU_MS")"
# agreement on the first million rows (the plain SQL takes minutes at 10M)
$PSQL -c "CREATE TABLE bench_scores_1m AS SELECT * FROM bench_scores LIMIT 1000000"
echo "  agreement (first 1M rows): $($PSQL -A -t -c "SELECT abs((${QINI_SQL//bench_scores/bench_scores_1m}) - (SELECT qini_coefficient(uplift_agg(s, t, y)) FROM bench_scores_1m))")"
fi
