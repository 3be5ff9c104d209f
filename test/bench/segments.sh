#!/usr/bin/env bash
# test/bench/segments.sh — RFM thresholds + score + segment for every
# customer, against the plain SQL an analyst writes without the extension
# (percentile_cont thresholds joined back with CASE; and the ntile(5)
# version), plus value tiers against the window-function version.
# By hand, not in CI:
#
#   bash test/bench/segments.sh                 1M and 10M customers
#   SIZES="1000000" bash test/bench/segments.sh
#
# Prints wall time (best of RUNS runs, default 2 at 1M and 1 above), the
# ratio plain SQL / extension, and the peak memory (VmHWM) of the backend
# that ran the query, in a fresh connection.  Parallel query as configured
# (max_parallel_workers_per_gather = 2; workers' memory is not in VmHWM).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$B2B_ROOT"

SIZES=${SIZES:-"1000000 10000000"}

b2b_need_packages
b2b_lock
b2b_build_install
B2B_WORK_MEM=${B2B_WORK_MEM:-64MB} b2b_start_cluster
b2b_psql -c "CREATE EXTENSION b2btarget"

# The segment of an R and F score, as an analyst writes it (README, "Segments").
SEG_CASE="CASE WHEN rs = 5 AND fs >= 4 THEN 'champions'
	WHEN rs IN (3, 4) AND fs >= 4 THEN 'loyal_customers'
	WHEN rs >= 4 AND fs IN (2, 3) THEN 'potential_loyalists'
	WHEN rs = 5 AND fs = 1 THEN 'new_customers'
	WHEN rs = 4 AND fs = 1 THEN 'promising'
	WHEN rs = 3 AND fs = 3 THEN 'need_attention'
	WHEN rs = 3 AND fs <= 2 THEN 'about_to_sleep'
	WHEN rs <= 2 AND fs IN (3, 4) THEN 'at_risk'
	WHEN rs <= 2 AND fs = 5 THEN 'cant_lose_them'
	ELSE 'hibernating' END"

# The thresholds as a scalar subquery: computed once, passed as a parameter.
Q_EXT="WITH th AS (SELECT rfm_thresholds_agg(recency_days, frequency, monetary) AS t FROM bench_cust)
SELECT segment(rfm_score((SELECT t FROM th), c.recency_days, c.frequency, c.monetary)) AS segment, count(*)
FROM bench_cust c GROUP BY 1 ORDER BY 1"
# The same joined back like the plain SQL below (a nested loop over one row).
Q_EXT_JOIN="WITH th AS (SELECT rfm_thresholds_agg(recency_days, frequency, monetary) AS t FROM bench_cust)
SELECT segment(rfm_score(th.t, c.recency_days, c.frequency, c.monetary)) AS segment, count(*)
FROM bench_cust c, th GROUP BY 1 ORDER BY 1"

Q_PCT="WITH q AS (
	SELECT percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY recency_days) AS r,
	       percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY frequency) AS f,
	       percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY monetary) AS m
	FROM bench_cust),
s AS (
	SELECT CASE WHEN recency_days > r[4] THEN 1 WHEN recency_days > r[3] THEN 2 WHEN recency_days > r[2] THEN 3 WHEN recency_days > r[1] THEN 4 ELSE 5 END AS rs,
	       CASE WHEN frequency > f[4] THEN 5 WHEN frequency > f[3] THEN 4 WHEN frequency > f[2] THEN 3 WHEN frequency > f[1] THEN 2 ELSE 1 END AS fs,
	       CASE WHEN monetary > m[4] THEN 5 WHEN monetary > m[3] THEN 4 WHEN monetary > m[2] THEN 3 WHEN monetary > m[1] THEN 2 ELSE 1 END AS ms
	FROM bench_cust, q)
SELECT $SEG_CASE AS segment, count(*) FROM s GROUP BY 1 ORDER BY 1"

Q_NTILE="WITH s AS (
	SELECT 6 - ntile(5) OVER (ORDER BY recency_days) AS rs,
	       ntile(5) OVER (ORDER BY frequency) AS fs,
	       ntile(5) OVER (ORDER BY monetary) AS ms
	FROM bench_cust)
SELECT $SEG_CASE AS segment, count(*) FROM s GROUP BY 1 ORDER BY 1"

Q_TIER_EXT="WITH v AS (SELECT value_tier_agg(monetary) AS t FROM bench_cust)
SELECT value_tier((SELECT t FROM v), c.monetary) AS tier, count(*) FROM bench_cust c GROUP BY 1 ORDER BY 1"

Q_TIER_SQL="SELECT CASE WHEN above < 0.80 * total THEN 'A' WHEN above < 0.95 * total THEN 'B' ELSE 'C' END AS tier, count(*)
FROM (SELECT sum(monetary) OVER (ORDER BY monetary DESC) - sum(monetary) OVER (PARTITION BY monetary) AS above,
             sum(monetary) OVER () AS total FROM bench_cust) s
GROUP BY 1 ORDER BY 1"

# run_query NAME SQL RUNS -> prints "NAME seconds peak_kB", sets LAST_S
run_query() {
	local name=$1 sql=$2 runs=$3 best="" i t0 t1 s hwm out
	for i in $(seq 1 "$runs"); do
		out=$(mktemp)
		t0=$(date +%s.%N)
		b2b_psql -At >"$out" <<SQL
SELECT pg_backend_pid() AS pid \gset
\setenv BENCH_PID :pid
\o /dev/null
$sql;
\o
\! grep VmHWM /proc/\$BENCH_PID/status | awk '{print \$2}'
SQL
		t1=$(date +%s.%N)
		s=$(echo "$t1 - $t0" | bc -l)
		hwm=$(tail -1 "$out")
		rm -f "$out"
		if [ -z "$best" ] || [ "$(echo "$s < $best" | bc -l)" = 1 ]; then
			best=$s
			BEST_HWM=$hwm
		fi
	done
	LAST_S=$best
	printf '  %-34s %8.2f s   peak backend memory %6d MB\n' "$name" "$best" $((BEST_HWM / 1024))
}

for n in $SIZES; do
	log "generating $n customers"
	b2b_psql <<SQL
DROP TABLE IF EXISTS bench_cust;
SELECT setseed(0.42);
CREATE TABLE bench_cust AS
SELECT i AS customer_id,
       floor(730 * power(random(), 1.5))::float8 AS recency_days,
       (1 + floor(40 * power(random(), 3)))::float8 AS frequency,
       round(exp(4 + 3 * random()) * 100) / 100 AS monetary
FROM generate_series(1, $n) i;
VACUUM ANALYZE bench_cust;
SQL
	runs=${RUNS:-$([ "$n" -le 1000000 ] && echo 2 || echo 1)}
	echo
	echo "== $n customers: thresholds + score + segment for everyone (best of $runs) =="
	# the results must agree before the times mean anything
	a=$(b2b_psql -At -c "$Q_EXT" | sort)
	b=$(b2b_psql -At -c "$Q_PCT" | sort)
	if [ "$a" != "$b" ]; then
		echo "extension and percentile_cont disagree:" >&2
		diff <(echo "$a") <(echo "$b") >&2 || true
		exit 1
	fi
	run_query "b2btarget (rfm_thresholds_agg)" "$Q_EXT" "$runs"
	ext=$LAST_S
	run_query "b2btarget, thresholds joined" "$Q_EXT_JOIN" "$runs"
	run_query "plain SQL (percentile_cont+CASE)" "$Q_PCT" "$runs"
	pct=$LAST_S
	run_query "plain SQL (ntile(5) windows)" "$Q_NTILE" "$runs"
	nt=$LAST_S
	printf '  ratio percentile_cont / b2btarget: %.1fx   ntile / b2btarget: %.1fx\n' \
		"$(echo "$pct / $ext" | bc -l)" "$(echo "$nt / $ext" | bc -l)"

	echo "== $n customers: A/B/C value tiers for everyone =="
	a=$(b2b_psql -At -c "$Q_TIER_EXT")
	b=$(b2b_psql -At -c "$Q_TIER_SQL")
	if [ "$a" != "$b" ]; then
		echo "note: value tiers differ from the window version (float sums of non-integral values):" >&2
		diff <(echo "$a") <(echo "$b") >&2 || true
	fi
	run_query "b2btarget (value_tier_agg)" "$Q_TIER_EXT" "$runs"
	ext=$LAST_S
	run_query "plain SQL (sum() OVER windows)" "$Q_TIER_SQL" "$runs"
	printf '  ratio window SQL / b2btarget: %.1fx\n' "$(echo "$LAST_S / $ext" | bc -l)"
done
