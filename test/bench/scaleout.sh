#!/usr/bin/env bash
# test/bench/scaleout.sh — benchmarks of issue 19, by hand (never in CI):
#
#   train  logistic_train over TRAIN_ROWS rows x 10 features: time per pass
#          against a bare scan of the same columns (target <= 2x), total
#          time, backend peak memory (target: independent of rows)
#   fit    logistic_fit vs logistic_train over FIT_ROWS rows
#   twins  the bounded twins vs their exact aggregates over TWIN_ROWS rows:
#          time, backend peak memory, observed error
#   ship   text bytes (what Citus ships per partial state) vs stored bytes
#   histories  bgnbd_fit / gamma_gamma_fit over HIST_ROWS customers' rows
#          vs over repeat_histories_agg / spend_histories_agg: time, memory,
#          the state's size (distinct histories, stored, text, binary)
#
#   bash test/bench/scaleout.sh                       10M / 1M / 10M
#   TRAIN_ROWS=2000000 TWIN_ROWS=2000000 bash test/bench/scaleout.sh
#
# Timings are the best of RUNS; memory is the backend's peak resident memory
# (VmHWM) less the shared memory it touched (RssShmem: shared buffers), a
# fresh connection per query; parallel workers' memory not included.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$B2B_ROOT"

TRAIN_ROWS=${TRAIN_ROWS:-10000000}
FIT_ROWS=${FIT_ROWS:-1000000}
TWIN_ROWS=${TWIN_ROWS:-10000000}
HIST_ROWS=${HIST_ROWS:-1000000}
RUNS=${RUNS:-1}
PARTS=${PARTS:-train fit twins ship histories}
want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

b2b_need_packages
b2b_lock
b2b_build_install
B2B_SHARED_BUFFERS=2GB B2B_WORK_MEM=2GB b2b_start_cluster
PSQL="$PG_BINDIR/psql -X -q -v ON_ERROR_STOP=1"
$PSQL -c "CREATE EXTENSION b2btarget"

# measure NAME SQL: best wall time (ms) of RUNS runs and the backend's peak
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
\! grep -E 'VmHWM|RssShmem' /proc/\$BPID/status
SQL
)
		t=$(echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
		# peak resident memory less the shared buffers the scan touched
		hwm=$(( $(echo "$out" | sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p') - $(echo "$out" | sed -n 's/^RssShmem:[[:space:]]*\([0-9]*\) kB/\1/p') ))
		if [ -z "$best" ] || awk "BEGIN {exit !($t < $best)}"; then best=$t; fi
	done
	MS=$best
	HWM=$hwm
	printf '  %-52s %10.0f ms   backend private peak %6d MB\n' "$name" "$MS" $((HWM / 1024))
}
ratio() { awk "BEGIN {printf \"%.2f\", $1 / $2}"; }

# gen TABLE ROWS: ROWS rows of 10 features and a label from a known model
gen() {
	$PSQL -c "DROP TABLE IF EXISTS $1" -c "CREATE UNLOGGED TABLE $1 AS
		SELECT x, random() < 1 / (1 + exp(-(0.3 + x[1] - 0.5 * x[2] + 0.25 * x[3] - 0.1 * x[4] + 0.05 * x[5]
		                                     + 0.2 * x[6] - 0.3 * x[7] + 0.1 * x[8] - 0.05 * x[9] + 0.15 * x[10]))) AS y
		FROM (SELECT ARRAY[random(), random(), random(), random(), random(), random(), random(), random(), random(), random()]
		             ::float8[] AS x FROM generate_series(1, $2)) s" -c "VACUUM ANALYZE $1"
}

if want train; then
	echo "== logistic_train, $TRAIN_ROWS rows x 10 features (generating)"
	$PSQL -c "SELECT setseed(0.19)" >/dev/null
	gen train_t "$TRAIN_ROWS"
	measure "bare scan: sum(cardinality(x)), count(y)" "SELECT sum(cardinality(x)), count(y) FROM train_t"
	scan=$MS
	measure "one pass: logistic_step(NULL, y, x)" "SELECT length(logistic_step(NULL, y, x)::text) FROM train_t"
	pass=$MS
	measure "logistic_train (all passes)" "SELECT length(logistic_train('train_t', 'y', 'x')::text)"
	total=$MS
	train_hwm=$HWM
	iters=$($PSQL -At -c "SELECT iterations FROM model_summary(logistic_train('train_t', 'y', 'x'))")
	echo "  passes: $((iters + 2)) ($iters Newton steps, a counting pass and a last pass)"
	echo "  one pass / bare scan:            $(ratio "$pass" "$scan")x (target <= 2)"
	echo "  total / passes / bare scan:      $(ratio "$total" "$(awk "BEGIN {print $scan * ($iters + 2)}")")x"
	gen train_small 100000
	measure "logistic_train, 100000 rows (memory baseline)" "SELECT length(logistic_train('train_small', 'y', 'x')::text)"
	echo "  backend peak at $TRAIN_ROWS rows / at 100000 rows: $((train_hwm / 1024)) MB / $((HWM / 1024)) MB"
	$PSQL -c "DROP TABLE train_small"
	want fit || $PSQL -c "DROP TABLE train_t"
fi

if want fit; then
	echo "== logistic_fit vs logistic_train, $FIT_ROWS rows x 10 features"
	$PSQL -c "SELECT setseed(0.2)" >/dev/null
	gen fit_t "$FIT_ROWS"
	measure "logistic_fit (rows in memory)" "SELECT length(logistic_fit(y, x)::text) FROM fit_t"
	fit=$MS
	measure "logistic_train (one query per pass)" "SELECT length(logistic_train('fit_t', 'y', 'x')::text)"
	echo "  logistic_train / logistic_fit: $(ratio "$MS" "$fit")x"
	$PSQL -At -c "SELECT 'largest relative difference of coefficients and SE: ' || max(greatest(abs(a.coefficient - b.coefficient) / abs(b.coefficient), abs(a.std_error - b.std_error) / b.std_error))
		FROM model_coefficients(logistic_train('fit_t', 'y', 'x')) a JOIN model_coefficients((SELECT logistic_fit(y, x) FROM fit_t)) b USING (term)"
	$PSQL -c "DROP TABLE IF EXISTS fit_t" -c "DROP TABLE IF EXISTS train_t"
fi

if want twins; then
	echo "== bounded twins vs exact aggregates, $TWIN_ROWS rows (generating)"
	$PSQL -c "SELECT setseed(0.21)" >/dev/null
	$PSQL -c "DROP TABLE IF EXISTS twin_t" -c "CREATE UNLOGGED TABLE twin_t AS
		SELECT round((exp(random() * 9) - 1)::numeric, 2)::float8 AS value,
		       floor(random() * 720) AS recency, floor(-ln(1 - random()) * 4) + 1 AS freq,
		       exp(random() * 8) AS monetary, s AS score, random() < s * 0.8 AS label
		FROM (SELECT random() AS s FROM generate_series(1, $TWIN_ROWS)) q" -c "VACUUM ANALYZE twin_t"
	measure "floor: sum(value), count(*)" "SELECT sum(value), count(*) FROM twin_t"
	measure "value_tier_agg (exact)" "SELECT length(value_tier_agg(value)::text) FROM twin_t"
	measure "value_tier_sketch_agg (relative accuracy 0.01)" "SELECT length(value_tier_sketch_agg(value)::text) FROM twin_t"
	measure "rfm_thresholds_agg (exact)" "SELECT length(rfm_thresholds_agg(recency, freq, monetary)::text) FROM twin_t"
	measure "rfm_thresholds_sketch_agg (0.01)" "SELECT length(rfm_thresholds_sketch_agg(recency, freq, monetary)::text) FROM twin_t"
	measure "auc_agg (exact)" "SELECT auc_agg(score, label) FROM twin_t"
	measure "auc_bucketed_agg (resolution 1000)" "SELECT auc_bucketed_agg(score, label) FROM twin_t"
	measure "lift_agg (exact)" "SELECT length(lift_agg(score, label)::text) FROM twin_t"
	measure "lift_bucketed_agg (resolution 1000)" "SELECT length(lift_bucketed_agg(score, label)::text) FROM twin_t"
	echo "  observed errors:"
	$PSQL -At <<'SQL'
SELECT '    value tiers: a_cut ' || tier_min_value(e, 'A') || ' exact, ' || tier_min_value(s, 'A') || ' sketch (relative error '
       || round((abs(tier_min_value(s, 'A') - tier_min_value(e, 'A')) / tier_min_value(e, 'A'))::numeric, 5) || ')'
FROM (SELECT value_tier_agg(value) e, value_tier_sketch_agg(value) s FROM twin_t) x;
SELECT '    rfm cut points: largest relative error ' || round(max(abs(rfm_cut_point(s, d, p) - rfm_cut_point(e, d, p)) / abs(rfm_cut_point(e, d, p)))::numeric, 5)
FROM (SELECT rfm_thresholds_agg(recency, freq, monetary) e, rfm_thresholds_sketch_agg(recency, freq, monetary) s FROM twin_t) x,
     unnest(ARRAY['recency_days', 'frequency', 'monetary']) d, unnest(ARRAY[20, 40, 60, 80]) p;
SELECT '    AUC: exact ' || round(auc_agg(score, label)::numeric, 7) || ', bucketed ' || round(auc_bucketed_agg(score, label)::numeric, 7)
       || ', bound ' || round(auc_error_bound(score_histogram_agg(score, label))::numeric, 7)
FROM twin_t;
SQL
	$PSQL -c "DROP TABLE twin_t"
fi

if want ship; then
	echo "== shipping cost: text bytes of one state (what Citus ships) vs stored bytes"
	$PSQL -At <<'SQL'
CREATE TEMP TABLE ev AS
SELECT e, timestamptz '2024-01-01' + (s * 3 + e % 7) * interval '1 day' AS ts, s::journey_stage AS stage,
       (ARRAY['decision_maker', 'economic_buyer', 'champion', 'technical_evaluator', 'influencer', 'end_user'])[1 + e % 6]::buying_role AS role,
       ((e % 100) / 100.0)::float8::propensity AS p
FROM generate_series(1, 2000) e, generate_series(1, 7) s WHERE s <= 1 + e % 7;
CREATE AGGREGATE pg_temp.value_sketch(float8) (SFUNC = value_tier_sketch_trans, STYPE = quantile_sketch, COMBINEFUNC = quantile_sketch_combine);
CREATE TEMP TABLE st (state text, txt text, stored int);
INSERT INTO st SELECT 'funnel', f::text, pg_column_size(f) FROM (SELECT funnel_agg(stage) f FROM ev) x;
INSERT INTO st SELECT 'committee (6 roles, 7 stages)', c::text, pg_column_size(c) FROM (SELECT committee_agg(role, stage, p) c FROM ev) x;
INSERT INTO st SELECT 'journey (one entity, 7 events)', j::text, pg_column_size(j) FROM (SELECT journey_agg(ts, stage) j FROM ev WHERE e = 6) x;
INSERT INTO st SELECT 'lift (1000 distinct scores)', l::text, pg_column_size(l) FROM (SELECT lift_agg((i % 1000) / 1000.0, i % 3 = 0) l FROM generate_series(1, 100000) i) x;
INSERT INTO st SELECT 'logistic_step_state (10 features)', s::text, pg_column_size(s)
FROM (SELECT logistic_step(NULL, i % 3 = 0, ARRAY[sin(i), cos(i), i % 7, i % 11, sin(2 * i), cos(3 * i), (i % 13) / 3.0, ln(i), sqrt(i), i % 5]::float8[]) s FROM generate_series(1, 10000) i) x;
INSERT INTO st SELECT 'quantile_sketch (values 0..8100, accuracy 0.01)', s::text, pg_column_size(s) FROM (SELECT pg_temp.value_sketch(exp(random() * 9) - 1) s FROM generate_series(1, 100000)) x;
INSERT INTO st SELECT 'score_histogram (resolution 1000, all buckets)', h::text, pg_column_size(h) FROM (SELECT score_histogram_agg((i % 1001) / 1000.0, i % 3 = 0) h FROM generate_series(1, 100000) i) x;
INSERT INTO st SELECT 'repeat_histories (10,000 customers, T <= 1 year in days)', h::text, pg_column_size(h)
FROM (SELECT repeat_histories_agg(x, CASE WHEN x = 0 THEN 0 ELSE 1 + (i * 7919) % (t::int - 1) END, t) h
      FROM (SELECT i, (i * 31) % 5 AS x, 30 + (i * 104729) % 336 AS t FROM generate_series(1, 10000) i) c) x;
SELECT format('  %-50s %7s text bytes %7s stored bytes', state, length(txt), stored) FROM st ORDER BY state;
SQL
fi
if want histories; then
	echo "== bgnbd_fit / gamma_gamma_fit: rows vs repeat_histories, $HIST_ROWS customers (generating)"
	# one row per customer as customer_summary_agg gives it, in days: T up
	# to a year, frequency geometric, recency a whole day, spend 2 decimals
	$PSQL -c "SELECT setseed(0.22)" >/dev/null
	$PSQL -c "DROP TABLE IF EXISTS hist_t" -c "CREATE UNLOGGED TABLE hist_t AS
		SELECT x, CASE WHEN x = 0 THEN 0 ELSE 1 + floor(random() * (t - 1)) END AS tx, t,
		       CASE WHEN x = 0 THEN 0 ELSE round((10 + 40 * random() * random())::numeric, 2)::float8 END AS m
		FROM (SELECT floor(-ln(1 - random()) * 1.5) AS x, 30 + floor(random() * 336) AS t
		      FROM generate_series(1, $HIST_ROWS)) s" -c "VACUUM ANALYZE hist_t"
	measure "floor: sum(x), sum(tx), sum(t), sum(m)" "SELECT sum(x), sum(tx), sum(t), sum(m) FROM hist_t"
	measure "repeat_histories_agg (the state alone)" "SELECT length(repeat_histories_agg(x, tx, t)::text) FROM hist_t"
	measure "bgnbd_fit(x, tx, t) (rows, internal state)" "SELECT length(bgnbd_fit(x, tx, t)::text) FROM hist_t"
	rows=$MS
	measure "bgnbd_fit(repeat_histories_agg(x, tx, t))" "SELECT length(bgnbd_fit(repeat_histories_agg(x, tx, t))::text) FROM hist_t"
	echo "  histories / rows: $(ratio "$MS" "$rows")x"
	measure "gamma_gamma_fit(x, m) (rows)" "SELECT length(gamma_gamma_fit(x, m)::text) FROM hist_t"
	rows=$MS
	measure "gamma_gamma_fit(spend_histories_agg(x, m))" "SELECT length(gamma_gamma_fit(spend_histories_agg(x, m))::text) FROM hist_t"
	echo "  histories / rows: $(ratio "$MS" "$rows")x"
	$PSQL -At <<'SQL'
SELECT format('  %s: %s distinct histories of %s customers; stored %s bytes, text %s bytes, binary %s bytes (%s text bytes per customer)',
              (histories_info(h)).kind, (histories_info(h)).histories, (histories_info(h)).customers,
              pg_column_size(h), length(h::text), length(repeat_histories_send(h)),
              round(length(h::text)::numeric / (histories_info(h)).customers, 2))
FROM (SELECT repeat_histories_agg(x, tx, t) h FROM hist_t UNION ALL SELECT spend_histories_agg(x, m) FROM hist_t) s;
SELECT '  same models: ' || (bgnbd_fit(x, tx, t)::text = bgnbd_fit(repeat_histories_agg(x, tx, t))::text
                             AND gamma_gamma_fit(x, m)::text = gamma_gamma_fit(spend_histories_agg(x, m))::text)
FROM hist_t;
SQL
	$PSQL -c "DROP TABLE hist_t"
fi
echo "(figures taken on a shared machine: $(uptime | sed 's/.*load/load/'))"
