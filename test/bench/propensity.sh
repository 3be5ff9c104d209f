#!/usr/bin/env bash
# test/bench/propensity.sh — benchmarks of issue 4, by hand (never in CI):
#
#   fit    logistic_fit over FIT_ROWS rows x 10 features (parallel workers)
#          vs COPY to Python + statsmodels Logit, end to end
#   score  predict() over SCORE_ROWS rows vs the plain-SQL expression
#          1 / (1 + exp(-(b0 + b1 x1 + ...))) and the floor sum(x1 + ...):
#          the model a constant, read from a joined table, a scalar subquery
#   auc    auc_agg over SCORE_ROWS rows vs the plain-SQL rank formula
#
#   bash test/bench/propensity.sh                 1M fit, 10M score/auc
#   FIT_ROWS=1000000 SCORE_ROWS=1000000 bash test/bench/propensity.sh
#   SCORE_ROWS=2000000 PARTS=score bash test/bench/propensity.sh    (issue 19)
#
# Prints each timing (best of RUNS), the ratio against the plain way, and
# the peak memory (VmHWM) of the backend (a fresh connection per query; the
# parallel workers' own memory is not included) and of the Python process.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$B2B_ROOT"

FIT_ROWS=${FIT_ROWS:-1000000}
SCORE_ROWS=${SCORE_ROWS:-10000000}
RUNS=${RUNS:-3}
PARTS=${PARTS:-fit score auc}
want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

b2b_need_packages
b2b_lock
b2b_build_install
B2B_SHARED_BUFFERS=2GB B2B_WORK_MEM=1GB b2b_start_cluster
PSQL="$PG_BINDIR/psql -X -q -v ON_ERROR_STOP=1"
$PSQL -c "CREATE EXTENSION b2btarget"

# measure NAME SQL: best wall time (ms) of RUNS runs, and the backend's peak
# memory in the last run.  Sets MS and HWM.
measure() {
	local name=$1 sql=$2 best="" i out t hwm
	for i in $(seq "$RUNS"); do
		out=$($PSQL <<SQL
\o /dev/null
\timing on
$sql;
\timing off
\o
SELECT pg_backend_pid() AS bpid \gset
\setenv BPID :bpid
\! grep VmHWM /proc/\$BPID/status
SQL
)
		t=$(echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
		hwm=$(echo "$out" | sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p')
		if [ -z "$best" ] || awk "BEGIN {exit !($t < $best)}"; then best=$t; fi
	done
	MS=$best
	HWM=$hwm
	printf '  %-44s %10.0f ms   backend peak %6d MB\n' "$name" "$MS" $((HWM / 1024))
}

ratio() { awk "BEGIN {printf \"%.2f\", $1 / $2}"; }

echo "== data: $FIT_ROWS fit rows, $SCORE_ROWS score rows (generating)"
$PSQL <<SQL
SELECT setseed(0.1);
CREATE TABLE bench_fit AS
SELECT x1, x2, x3, x4, x5, x6, x7, x8, x9, x10,
       random() < 1 / (1 + exp(-(-0.5 + 0.8 * x1 - 0.5 * x2 + 0.3 * x3 + 0.2 * x4 - 0.1 * x5
                                 + 0.05 * x6 + 0.4 * x7 - 0.3 * x8 + 0.1 * x9 + 0.0 * x10))) AS y
FROM (SELECT random() * 2 - 1 AS x1, random() * 2 - 1 AS x2, random() AS x3, random() AS x4,
             random() * 3 AS x5, random() AS x6, (random() < 0.3)::int::float8 AS x7,
             (random() < 0.5)::int::float8 AS x8, random() AS x9, random() AS x10
      FROM generate_series(1, $FIT_ROWS)) s;
CREATE TABLE bench_score AS
SELECT x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, random() < 0.3 AS y
FROM (SELECT random() * 2 - 1 AS x1, random() * 2 - 1 AS x2, random() AS x3, random() AS x4,
             random() * 3 AS x5, random() AS x6, (random() < 0.3)::int::float8 AS x7,
             (random() < 0.5)::int::float8 AS x8, random() AS x9, random() AS x10
      FROM generate_series(1, $SCORE_ROWS)) s;
VACUUM ANALYZE bench_fit;
VACUUM ANALYZE bench_score;
SQL
X="ARRAY[x1, x2, x3, x4, x5, x6, x7, x8, x9, x10]"

FIT_MS=0; PY_MS=0; P_MS=0; S_MS=0; A_MS=0; R_MS=0
if want fit; then
echo
echo "== fit: logistic_fit, $FIT_ROWS rows x 10 features"
measure "logistic_fit (2 parallel workers)" "SELECT logistic_fit(y, $X) FROM bench_fit"
FIT_MS=$MS; FIT_HWM=$HWM
measure "logistic_fit (no parallel workers)" "SET max_parallel_workers_per_gather = 0; SELECT logistic_fit(y, $X) FROM bench_fit"
FIT1_MS=$MS; FIT1_HWM=$HWM
best=""
for i in $(seq "$RUNS"); do
	s=$(date +%s%N)
	pyout=$($PSQL -c "\copy (SELECT y::int, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10 FROM bench_fit) TO STDOUT (FORMAT csv)" |
		/usr/bin/python3 -c '
import resource, sys
import pandas as pd
import statsmodels.api as sm
d = pd.read_csv(sys.stdin, header=None).to_numpy()
r = sm.Logit(d[:, 0], sm.add_constant(d[:, 1:])).fit(disp=0)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, r.params[1])')
	t=$(( ($(date +%s%N) - s) / 1000000 ))
	if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
done
PY_MS=$best
PY_MB=$(( $(echo "$pyout" | cut -d' ' -f1) / 1024 ))
printf '  %-44s %10d ms   python peak  %6d MB\n' "COPY to Python + statsmodels Logit" "$PY_MS" "$PY_MB"
echo "  ratio (Python / logistic_fit): $(ratio "$PY_MS" "$FIT_MS")x with workers, $(ratio "$PY_MS" "$FIT1_MS")x without"
fi

if want score; then
echo
echo "== score: predict over $SCORE_ROWS rows"
M=$($PSQL -A -t -c "SELECT logistic_fit(y, $X) FROM bench_fit")
B=$($PSQL -A -t -c "SELECT string_agg(CASE WHEN ordinality = 1 THEN coefficient::text ELSE coefficient::text || ' * x' || (ordinality - 1) END, ' + ' ORDER BY ordinality) FROM model_coefficients('$M') WITH ORDINALITY")
measure "predict(model, ARRAY[x1..x10])" "SELECT sum(predict('$M', $X)) FROM bench_score"
P_MS=$MS
measure "plain SQL 1 / (1 + exp(-(b0 + b1 x1 + ...)))" "SELECT sum(1 / (1 + exp(-($B)))) FROM bench_score"
S_MS=$MS
measure "predict, no parallel workers" "SET max_parallel_workers_per_gather = 0; SELECT sum(predict('$M', $X)) FROM bench_score"
P1_MS=$MS
measure "plain SQL, no parallel workers" "SET max_parallel_workers_per_gather = 0; SELECT sum(1 / (1 + exp(-($B)))) FROM bench_score"
S1_MS=$MS
echo "  ratio (predict / plain SQL): $(ratio "$P_MS" "$S_MS") with workers, $(ratio "$P1_MS" "$S1_MS") without"
# most of predict's extra cost above is building ARRAY[x1..x10] per row; with
# the features stored as a float8[] column there is nothing to build
$PSQL -c "CREATE TABLE bench_score_arr AS SELECT $X AS x FROM bench_score" -c "VACUUM ANALYZE bench_score_arr"
measure "predict(model, x) over a float8[] column" "SELECT sum(predict('$M', x)) FROM bench_score_arr"
PA_MS=$MS
measure "building ARRAY[x1..x10] alone" "SELECT sum(array_length($X, 1)) FROM bench_score"
echo "  ratio (predict on a float8[] column / plain SQL on columns): $(ratio "$PA_MS" "$S_MS")"
# the model read from a table (issue 19 item 6): joined, and as a scalar
# subquery (an initplan parameter); rewritten into predict_features, so no
# array is built per row.  Two models in the table, one chosen by name.
$PSQL -c "CREATE TABLE bench_models AS SELECT 'a'::text AS name, '$M'::propensity_model AS m
	UNION ALL SELECT 'b', logistic_fit(y, ARRAY[x1, x2, x3, x4, x5, x6, x7, x8, x9, x10]) FROM (SELECT * FROM bench_fit LIMIT 10000) f" \
	-c "ANALYZE bench_models"
JOIN="FROM bench_score, bench_models WHERE bench_models.name = 'a'"
SUBQ="(SELECT m FROM bench_models WHERE name = 'a')"
measure "floor: sum(x1 + ... + x10)" "SELECT sum(x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10) FROM bench_score"
F_MS=$MS
measure "floor, no parallel workers" "SET max_parallel_workers_per_gather = 0; SELECT sum(x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10) FROM bench_score"
F1_MS=$MS
measure "predict(m, ARRAY[..]), model from a joined table" "SELECT sum(predict(m, $X)) $JOIN"
PJ_MS=$MS
measure "  the same, no parallel workers" "SET max_parallel_workers_per_gather = 0; SELECT sum(predict(m, $X)) $JOIN"
PJ1_MS=$MS
measure "plain SQL, the same join" "SELECT sum(1 / (1 + exp(-($B)))) $JOIN"
SJ_MS=$MS
measure "predict((SELECT m ...), ARRAY[..])" "SELECT sum(predict($SUBQ, $X)) FROM bench_score"
PS_MS=$MS
measure "  the same, no parallel workers" "SET max_parallel_workers_per_gather = 0; SELECT sum(predict($SUBQ, $X)) FROM bench_score"
PS1_MS=$MS
measure "predict(m, x), float8[] column, joined model" "SELECT sum(predict(m, x)) FROM bench_score_arr, bench_models WHERE bench_models.name = 'a'"
PAJ_MS=$MS
measure "predict((SELECT m ...), x), float8[] column" "SELECT sum(predict($SUBQ, x)) FROM bench_score_arr"
PAS_MS=$MS
echo "  ratios against the inline plain SQL (with workers / without) and against the floor sum(x1 + ... + x10):"
echo "    model constant (inlined):      $(ratio "$P_MS" "$S_MS") / $(ratio "$P1_MS" "$S1_MS"),  floor $(ratio "$P_MS" "$F_MS") / $(ratio "$P1_MS" "$F1_MS")"
echo "    model from a joined table:     $(ratio "$PJ_MS" "$S_MS") / $(ratio "$PJ1_MS" "$S1_MS"),  floor $(ratio "$PJ_MS" "$F_MS") / $(ratio "$PJ1_MS" "$F1_MS");  vs plain SQL in the same join $(ratio "$PJ_MS" "$SJ_MS")"
echo "    model from a scalar subquery:  $(ratio "$PS_MS" "$S_MS") / $(ratio "$PS1_MS" "$S1_MS"),  floor $(ratio "$PS_MS" "$F_MS") / $(ratio "$PS1_MS" "$F1_MS")"
echo "    float8[] column, joined model: $(ratio "$PAJ_MS" "$S_MS"), scalar subquery $(ratio "$PAS_MS" "$S_MS")"
echo "  (a join with the models table is planned without workers by PostgreSQL 15, whatever the expression)"
fi

if want auc; then
echo
echo "== auc: auc_agg over $SCORE_ROWS rows (score x1)"
measure "auc_agg(x1, y)" "SELECT auc_agg(x1, y) FROM bench_score"
A_MS=$MS; A_HWM=$HWM
measure "plain SQL rank formula" "SELECT (sum(r) FILTER (WHERE y) - count(*) FILTER (WHERE y) * (count(*) FILTER (WHERE y) + 1) / 2.0) / (count(*) FILTER (WHERE y)::float8 * count(*) FILTER (WHERE NOT y)) FROM (SELECT y, rank() OVER (ORDER BY x1) + (count(*) OVER (PARTITION BY x1) - 1) / 2.0 AS r FROM bench_score) s"
R_MS=$MS; R_HWM=$HWM
echo "  ratio (plain SQL / auc_agg): $(ratio "$R_MS" "$A_MS")x"
echo "  agreement: $($PSQL -A -t -c "SELECT abs(auc_agg(x1, y) - (SELECT (sum(r) FILTER (WHERE y) - count(*) FILTER (WHERE y) * (count(*) FILTER (WHERE y) + 1) / 2.0) / (count(*) FILTER (WHERE y)::float8 * count(*) FILTER (WHERE NOT y)) FROM (SELECT y, rank() OVER (ORDER BY x1) + (count(*) OVER (PARTITION BY x1) - 1) / 2.0 AS r FROM bench_score) s)) FROM bench_score")"
fi

echo
echo "summary: fit ${FIT_MS} ms (python ${PY_MS} ms), predict ${P_MS} ms vs ${S_MS} ms, auc ${A_MS} ms vs ${R_MS} ms"
