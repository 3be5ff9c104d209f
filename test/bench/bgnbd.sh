#!/usr/bin/env bash
# test/bench/bgnbd.sh — repeat-purchase models: timings and ratios.
#
#   bash test/bench/bgnbd.sh            1M customers / 1M and 10M orders
#   B2B_BENCH_N=200000 bash test/bench/bgnbd.sh   smaller
#
# 1. bgnbd_fit on CDNOW (when ../shared/data is present) and on N simulated
#    customers (numpy simulator, integer days) vs a bare count(*) over the
#    same table, and vs the same fit outside the database (COPY out + SciPy
#    L-BFGS-B on the same likelihood, per customer as lifetimes fits it).
# 2. Scoring p_alive / expected_purchases / clv over N customers: cost per row.
# 3. customer_summary_agg over 1M and 10M orders vs the plain SQL an analyst
#    writes (group by day, then by customer).
# Peak backend memory (VmHWM) is read in a fresh connection after the query.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$B2B_ROOT"
N=${B2B_BENCH_N:-1000000}
ORDERS=${B2B_BENCH_ORDERS:-"1000000 10000000"}
DATA=${B2B_DATA:-$B2B_ROOT/../shared/data}

b2b_lock
b2b_build_install
b2b_start_cluster
b2b_psql -c "CREATE EXTENSION b2btarget"
work=$(mktemp -d /tmp/b2b_bench_bgnbd.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"; b2b_stop_cluster' EXIT

# ms of one statement (best of $2 runs, default 2)
ms() {
	local q=$1 runs=${2:-2} best="" t i
	for ((i = 0; i < runs; i++)); do
		t=$(b2b_psql -c '\timing on' -c "$q" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
	done
	echo "$best"
}
# peak resident memory (kB) of a fresh backend that ran the statement
hwm() {
	b2b_psql -At -c "$1" -c "SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]" | tail -1
}
ratio() { awk "BEGIN{printf \"%.1f\", $1 / $2}"; }

echo "== bgnbd benchmark: $N customers (PostgreSQL $(b2b_psql -At -c 'SHOW server_version'), $(nproc) cores)"

# --- CDNOW --------------------------------------------------------------
if [ -f "$DATA/cdnow/cdnow_customers_summary.csv" ]; then
	b2b_psql -c "CREATE TABLE cdnow (id int, x float8, tx float8, t float8)" \
		-c "\\copy cdnow FROM '$DATA/cdnow/cdnow_customers_summary.csv' CSV HEADER" -c "ANALYZE cdnow"
	fit=$(ms "SELECT bgnbd_fit(x, tx, t) FROM cdnow" 3)
	cnt=$(ms "SELECT count(*) FROM cdnow" 3)
	echo "CDNOW (2,357 customers): bgnbd_fit ${fit} ms, count(*) ${cnt} ms"
else
	echo "CDNOW: skipped ($DATA/cdnow absent)"
fi

# --- N simulated customers ------------------------------------------------
/usr/bin/python3 - "$N" "$work/sim.csv" <<'PY'
import sys, numpy as np
n, path = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(20251122)
r, alpha, a, b = 0.5, 20.0, 0.7, 3.0          # days
T = rng.integers(30, 731, n).astype(float)
lam = rng.gamma(r, 1 / alpha, n)
p = rng.beta(a, b, n)
x = np.zeros(n); tx = np.zeros(n); t = np.zeros(n)
alive = np.ones(n, bool)
while alive.any():
    t[alive] += rng.exponential(1 / lam[alive])
    alive &= t <= T
    x[alive] += 1
    tx[alive] = t[alive]
    alive &= rng.random(n) >= p
tx = np.where(x > 0, np.maximum(np.floor(tx), 1), 0)
np.savetxt(path, np.column_stack([np.arange(1, n + 1), x, tx, T]), fmt="%d", delimiter=",")
PY
b2b_psql -c "CREATE TABLE sim (id int, x float8, tx float8, t float8)" \
	-c "\\copy sim FROM '$work/sim.csv' CSV" -c "VACUUM ANALYZE sim"
distinct=$(b2b_psql -At -c "SELECT count(*) FROM (SELECT DISTINCT x, tx, t FROM sim) d")
b2b_psql -At -c "SELECT format('fitted: %s', bgnbd_fit(x, tx, t)) FROM sim"
fit=$(ms "SELECT bgnbd_fit(x, tx, t) FROM sim")
cnt=$(ms "SELECT count(*) FROM sim")
mem=$(hwm "SELECT bgnbd_fit(x, tx, t) FROM sim")
base=$(hwm "SELECT count(*) FROM sim")
echo "bgnbd_fit, $N customers ($distinct distinct histories): ${fit} ms; count(*) ${cnt} ms; ratio $(ratio "$fit" "$cnt")x"
echo "  peak backend memory: ${mem} kB (count(*): ${base} kB)"

# outside the database: export, then SciPy on the same likelihood
t0=$(date +%s.%N)
b2b_psql -c "\\copy sim TO '$work/export.csv' CSV"
t1=$(date +%s.%N)
py=$(/usr/bin/python3 - "$work/export.csv" <<'PY'
import sys, time, numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, digamma
t0 = time.time()
d = np.loadtxt(sys.argv[1], delimiter=",")
x, tx, T = d[:, 1], d[:, 2], d[:, 3]
t1 = time.time()
s = 10 / T.max()
tx_s, T_s = tx * s, T * s
def f(lp):
    r, al, a, b = np.exp(lp)
    a3 = -(r + x) * np.log(al + T_s)
    a4 = np.where(x > 0, np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(al + tx_s), -np.inf)
    ll = (gammaln(r + x) - gammaln(r) + r * np.log(al) + gammaln(a + b) + gammaln(b + x)
          - gammaln(b) - gammaln(a + b + x) + np.logaddexp(a3, a4))
    return -ll.mean()
res = minimize(f, np.zeros(4), method="L-BFGS-B", options=dict(ftol=1e-13, gtol=1e-9))
r, al, a, b = np.exp(res.x)
print("%.0f %.0f %.6g %.6g %.6g %.6g" % ((t1 - t0) * 1000, (time.time() - t1) * 1000, r, al / s, a, b))
PY
)
read -r load_ms opt_ms pr pal pa pb <<<"$py"
exp_ms=$(awk "BEGIN{printf \"%.0f\", ($t1 - $t0) * 1000}")
total=$((exp_ms + load_ms + opt_ms))
echo "outside (COPY out ${exp_ms} ms + numpy load ${load_ms} ms + SciPy L-BFGS-B fit ${opt_ms} ms) = ${total} ms; in-database is $(ratio "$total" "$fit")x faster"
echo "  SciPy's fit: r $pr alpha $pal a $pa b $pb"

# --- scoring ---------------------------------------------------------------
b2b_psql -c "CREATE TABLE model AS SELECT bgnbd_fit(x, tx, t) AS m, '{\"p\": 6.25, \"q\": 3.74, \"v\": 15.44}'::gamma_gamma_model AS g FROM sim"
sbase=$(ms "SELECT sum(x + tx + t) FROM sim, model")
spa=$(ms "SELECT sum(p_alive(m, x, tx, t)::float8) FROM sim, model")
sep=$(ms "SELECT sum(expected_purchases(m, 90, x, tx, t)) FROM sim, model")
sclv=$(ms "SELECT sum(clv(m, g, x, tx, t, 20, 12, 0.01)) FROM sim, model" 1)
per() { awk "BEGIN{printf \"%.2f\", ($1 - $sbase) * 1000 / $N}"; }
echo "scoring $N customers (scan + sum alone ${sbase} ms): p_alive ${spa} ms ($(per "$spa") us/row), expected_purchases(90 days) ${sep} ms ($(per "$sep") us/row), clv(12 months) ${sclv} ms ($(per "$sclv") us/row)"

# --- customer_summary_agg --------------------------------------------------
for n in $ORDERS; do
	b2b_psql -c "DROP TABLE IF EXISTS orders_b" -c "CREATE TABLE orders_b AS
		SELECT 1 + (hashint8(i) & 2147483647) % ($n / 10) AS customer_id,
		       '2024-01-01 00:00+00'::timestamptz + ((hashint8(i * 7) & 2147483647) % (700 * 86400)) * interval '1 second' AS ts,
		       round((1 + (hashint8(i * 13) & 65535) / 100.0)::numeric, 2) AS amount
		FROM generate_series(1, $n) i" -c "VACUUM ANALYZE orders_b"
	# every output column is consumed, so the planner cannot drop any work
	aggq="SELECT count(*), sum(frequency), sum(recency), sum(t), sum(monetary_value), max(first_purchase), max(last_purchase), sum(total), sum(orders)
	      FROM (SELECT customer_id, (customer_summary_agg(ts, amount, '2025-12-01')).* FROM orders_b GROUP BY customer_id) s"
	agg=$(ms "$aggq" 1)
	ref=$(ms "WITH d AS (SELECT customer_id, ts::date AS day, sum(amount) AS amount, count(*) AS n, min(ts) AS f, max(ts) AS l
	            FROM orders_b WHERE ts::date <= '2025-12-01' GROUP BY 1, 2),
	          c AS (SELECT customer_id, min(day) AS first_day FROM d GROUP BY 1)
	     SELECT count(*), sum(frequency), sum(recency), sum(t), sum(monetary_value), max(first_purchase), max(last_purchase), sum(total), sum(orders)
	     FROM (SELECT customer_id, count(*) - 1 AS frequency, max(day) - min(day) AS recency, '2025-12-01'::date - min(day) AS t,
	            coalesce(sum(d.amount) FILTER (WHERE day > first_day) / nullif(count(*) - 1, 0), 0) AS monetary_value,
	            min(f) AS first_purchase, max(l) AS last_purchase, sum(d.amount) AS total, sum(n) AS orders
	            FROM d JOIN c USING (customer_id) GROUP BY customer_id) s" 1)
	amem=$(hwm "$aggq")
	echo "customer_summary_agg, $n orders of $((n / 10)) customers: ${agg} ms; plain SQL ${ref} ms; plain/agg $(ratio "$ref" "$agg")x; peak ${amem} kB"
done
