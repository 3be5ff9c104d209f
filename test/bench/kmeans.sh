#!/usr/bin/env bash
# test/bench/kmeans.sh — k-means personas at scale (issue 16).  By hand:
#
#   bash test/bench/kmeans.sh                  1M accounts x 8 features, k = 6
#   SIZES="200000" bash test/bench/kmeans.sh
#
# 1. kmeans_fit in the database versus what an analyst does without the
#    extension: export the features with COPY and run scikit-learn's KMeans
#    (Lloyd, n_init=1, tol=0) from the same start; end to end, with the
#    peak memory of each (the backend's VmHWM; python's max RSS).  The two
#    must agree (iterations, objective) before the times mean anything.
# 2. One kmeans_train pass (kmeans_step over the table) versus a bare scan
#    of the table (count(*), and sum(cardinality(f)) which reads every
#    array), target <= 2x; and a whole kmeans_train.
# Parallel query as configured (max_parallel_workers_per_gather = 2).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$B2B_ROOT"

SIZES=${SIZES:-1000000}
K=${K:-6}
PY=/usr/bin/python3

b2b_need_packages
b2b_lock
b2b_build_install
b2b_start_cluster
b2b_psql -c "CREATE EXTENSION b2btarget"

# run_query NAME SQL -> prints "NAME seconds peak", sets LAST_S
run_query() {
	local name=$1 sql=$2 t0 t1 s hwm out
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
	LAST_S=$s
	printf '  %-44s %8.2f s   peak memory %6d MB\n' "$name" "$s" $((hwm / 1024))
}

SK_PY='
import resource, sys, time
import numpy as np
from sklearn.cluster import KMeans
k, init_path = int(sys.argv[1]), sys.argv[2]
t0 = time.time()
X = np.fromstring(sys.stdin.read(), sep=" ")
init = np.loadtxt(init_path, ndmin=2)
X = X.reshape(-1, init.shape[1])
t1 = time.time()
km = KMeans(n_clusters=k, init=init, n_init=1, tol=0, max_iter=300, algorithm="lloyd").fit(X)
t2 = time.time()
print("%d %.17g %.3f %.3f %d" % (km.n_iter_, km.inertia_, t1 - t0, t2 - t1,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
'

for n in $SIZES; do
	log "generating $n accounts x 8 features, $K planted personas"
	b2b_psql >/dev/null <<SQL
DROP TABLE IF EXISTS bench_km;
SELECT setseed(0.16);
CREATE TABLE bench_km AS
SELECT i AS account_id, ARRAY[
	p * 10 + 30 * (random() - 0.5), (p % 3) * 8 + 24 * (random() - 0.5), (p % 2) * 6 + 20 * (random() - 0.5),
	sqrt(p) * 5 + 12 * (random() - 0.5), (6 - p) * 2 + 10 * (random() - 0.5), 10 * random(),
	(p * p) % 7 + 8 * (random() - 0.5), 3 * (random() - 0.5)]::float8[] AS f
FROM (SELECT i, 1 + floor(random() * $K)::int AS p FROM generate_series(1, $n) i) s;
VACUUM ANALYZE bench_km;
SQL

	# the common start: k-means++ seeding of kmeans_fit (0 passes), in input units
	init=$(b2b_psql -At -c "SELECT array_agg(centroid ORDER BY cluster) FROM kmeans_centroids((SELECT kmeans_fit(f, $K, 0, 'none', 0) FROM bench_km))")
	initfile=$(mktemp)
	echo "$init" | sed 's/^{{//; s/}}$//; s/},{/\n/g; s/,/ /g' >"$initfile"
	echo
	echo "== $n accounts x 8 features, k = $K: kmeans_fit vs COPY + scikit-learn from the same start =="
	ours=$(b2b_psql -At -F' ' -c "SELECT iterations, objective FROM kmeans_summary((SELECT kmeans_fit(f, '$init'::float8[], 'none') FROM bench_km))")
	run_query "b2btarget kmeans_fit (in the database)" "SELECT kmeans_fit(f, '$init'::float8[], 'none') FROM bench_km"
	ext=$LAST_S
	t0=$(date +%s.%N)
	sk=$(b2b_psql -c "COPY (SELECT array_to_string(f, ' ') FROM bench_km) TO STDOUT" | $PY -c "$SK_PY" "$K" "$initfile")
	t1=$(date +%s.%N)
	sks=$(echo "$t1 - $t0" | bc -l)
	read -r sk_iter sk_inertia sk_load sk_fit sk_rss <<<"$sk"
	printf '  %-44s %8.2f s   peak memory %6d MB (python)\n' "COPY export + scikit-learn KMeans" "$sks" $((sk_rss / 1024))
	printf '    of which: COPY + parse %.2f s, KMeans.fit %.2f s\n' "$sk_load" "$sk_fit"
	echo "  iterations / objective: b2btarget $ours; scikit-learn $sk_iter $sk_inertia"
	$PY -c "
import sys
a = '$ours'.split(); it, obj = int(a[0]), float(a[1])
if it != $sk_iter or abs(obj - $sk_inertia) > 1e-9 * $sk_inertia:
    sys.exit('results differ')
" || { echo "kmeans_fit and scikit-learn disagree" >&2; exit 1; }
	printf '  ratio (COPY + scikit-learn) / kmeans_fit: %.2fx\n' "$(echo "$sks / $ext" | bc -l)"
	rm -f "$initfile"

	echo "== $n accounts: one kmeans_train pass vs a bare scan =="
	b2b_psql -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS bench_km_model; CREATE TABLE bench_km_model AS SELECT kmeans_model('$init'::float8[]) AS m0" \
		-c "UPDATE bench_km_model SET m0 = (SELECT kmeans_step(m0, f) FROM bench_km)"
	run_query "bare scan: count(*)" "SELECT count(*) FROM bench_km"
	run_query "bare scan: sum(cardinality(f))" "SELECT sum(cardinality(f)) FROM bench_km"
	scan=$LAST_S
	run_query "kmeans_step pass (bounded)" "SELECT kmeans_step((SELECT m0 FROM bench_km_model), f) FROM bench_km"
	step=$LAST_S
	printf '  ratio kmeans_step pass / sum(cardinality(f)) scan: %.2fx (target <= 2x)\n' "$(echo "$step / $scan" | bc -l)"
	run_query "kmeans_train from the same start" "SELECT kmeans_train('bench_km', 'f', '$init'::float8[])"
	echo "  kmeans_train: ${ours%% *} Lloyd passes (as kmeans_fit) + 1 scale pass"
done
