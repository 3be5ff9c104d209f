#!/usr/bin/env bash
# Citus: every b2btarget aggregate gives the same answer on a Citus cluster
# (a coordinator and two workers on loopback) as on a local copy of the
# table, grouped by the distribution column, by another column and
# ungrouped; and every aggregate with a bounded (stored-type) state runs
# partially on the workers (worker_partial_agg / coord_combine_agg in
# EXPLAIN VERBOSE) when grouped by the other column.
#
# Skipped (exit 77) when no Citus build is installed into the PostgreSQL
# under test.  Citus is not a Debian package; see the README (Scaling out)
# for how it was built by hand for this check.
set -euo pipefail
PG_CONFIG=$PG_BINDIR/pg_config
libdir=$("$PG_CONFIG" --pkglibdir)
sharedir=$("$PG_CONFIG" --sharedir)
if [ ! -e "$libdir/citus.so" ] || [ ! -e "$sharedir/extension/citus.control" ]; then
	echo "Citus is not installed into the PostgreSQL under test ($libdir): skipped"
	exit 77
fi

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
work=$(mktemp -d /tmp/b2b-citus.XXXXXX)
chmod 755 "$work"
[ "$(id -u)" = 0 ] && chown postgres: "$work"
base=$((55000 + (RANDOM % 300) * 3))
ports=("$base" "$((base + 1))" "$((base + 2))")
stop_all() {
	for n in 0 1 2; do
		[ -f "$work/n$n/postmaster.pid" ] && as_pg "$PG_BINDIR/pg_ctl" -D "$work/n$n" -m immediate -w stop >/dev/null 2>&1 || true
	done
	rm -rf "$work"
}
trap stop_all EXIT
for n in 0 1 2; do
	as_pg "$PG_BINDIR/initdb" -D "$work/n$n" -U postgres --auth=trust --no-instructions -E UTF8 --locale=C >"$work/initdb$n.log" 2>&1
	cat >>"$work/n$n/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = ${ports[$n]}
unix_socket_directories = '$work'
shared_preload_libraries = 'citus'
citus.node_conninfo = 'sslmode=disable'
fsync = off
synchronous_commit = off
shared_buffers = 64MB
max_connections = 60
log_min_messages = warning
lc_messages = 'C'
CONF
	as_pg "$PG_BINDIR/pg_ctl" -D "$work/n$n" -l "$work/n$n.log" -w -t 60 start >/dev/null
done
q() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "${ports[0]}" -U postgres -d postgres "$@"; }
for n in 0 1 2; do
	"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "${ports[$n]}" -U postgres -d postgres \
		-c "SET client_min_messages = warning" -c "CREATE EXTENSION citus"
done
q -c "SET client_min_messages = warning" \
	-c "SELECT citus_set_coordinator_host('127.0.0.1', ${ports[0]})" \
	-c "SELECT citus_add_node('127.0.0.1', ${ports[1]})" \
	-c "SELECT citus_add_node('127.0.0.1', ${ports[2]})" \
	-c "CREATE EXTENSION b2btarget" >/dev/null

# Generated data: a local table and two distributed copies (by account,
# by region); deterministic.
q <<'SQL'
SET client_min_messages = warning;
CREATE TABLE cz_local AS
SELECT i AS id, i % 400 AS account, i % 7 AS region,
       (1 + abs(hashint4(i)) % 7)::journey_stage AS stage,
       (ARRAY['decision_maker', 'economic_buyer', 'champion', 'technical_evaluator', 'influencer',
              'end_user', 'procurement', 'legal', 'blocker', 'other'])[1 + abs(hashint4(i + 1)) % 10]::buying_role AS role,
       ((abs(hashint4(i + 2)) % 1000) / 1000.0)::float8::propensity AS p,
       1 + (abs(hashint4(i + 3)) % 5)::float8 AS w,
       timestamptz '2024-01-01' + (abs(hashint4(i + 4)) % 100000) * interval '1 minute' AS ts,
       (abs(hashint4(i + 5)) % 100000) / 100000.0 AS score,
       round(((abs(hashint4(i + 5)) % 100000) / 100000.0)::numeric, 3)::float8 AS score3,
       (abs(hashint4(i + 6)) % 100000) / 100000.0 < (abs(hashint4(i + 5)) % 100000) / 100000.0 AS label,
       ARRAY[sin(i), cos(2 * i), (i % 13) / 6.0 - 1]::float8[] AS x,
       round((exp((abs(hashint4(i + 7)) % 1000) / 111.0) - 1)::numeric, 2)::float8 AS value,
       (abs(hashint4(i + 8)) % 720)::float8 AS recency,
       (1 + abs(hashint4(i + 9)) % 12)::float8 AS freq,
       ((abs(hashint4(i + 10)) % 100000) / 10.0 - 500)::float8 AS monetary,
       abs(hashint4(i + 11)) % 11 AS nps
FROM generate_series(1, 20000) i;
CREATE TABLE cz_acct (LIKE cz_local);
CREATE TABLE cz_reg (LIKE cz_local);
SELECT create_distributed_table('cz_acct', 'account');
SELECT create_distributed_table('cz_reg', 'region');
INSERT INTO cz_acct SELECT * FROM cz_local;
INSERT INTO cz_reg SELECT * FROM cz_local;
CREATE TABLE cz_lifts_local AS SELECT region AS part, account % 3 AS g, lift_agg(score, label) AS l FROM cz_local GROUP BY 1, 2;
CREATE TABLE cz_lifts (LIKE cz_lifts_local);
SELECT create_distributed_table('cz_lifts', 'part');
INSERT INTO cz_lifts SELECT * FROM cz_lifts_local;
SQL

# aggregate expression | bounded (1: must run partially on the workers)
aggs=$(cat <<'LIST'
funnel_agg(stage)|1
committee_agg(role, stage, p)|1
committee_agg(role, stage, p, w)|1
journey_agg(ts, stage)|1
any_of_agg(p)|1
logodds_pool_agg(p, w)|1
nps_agg(nps)|1
log_loss_agg(score, label)|1
brier_agg(score, label)|1
logistic_step(NULL, label, x)|1
value_tier_sketch_agg(value)|1
rfm_thresholds_sketch_agg(recency, freq, monetary)|1
score_histogram_agg(score, label)|1
auc_bucketed_agg(score3, label)|1
lift_bucketed_agg(score, label)|1
repeat_histories_agg(freq, recency + 1, 721)|1
spend_histories_agg(freq, abs(monetary) + 1)|1
bgnbd_fit(repeat_histories_agg(freq, recency + 1, 721))|1
gamma_gamma_fit(spend_histories_agg(freq, abs(monetary) + 1))|1
auc_agg(score, label)|0
lift_agg(score, label)|0
value_tier_agg(value)|0
rfm_thresholds_agg(recency, freq, monetary)|0
LIST
)
compare='
import json, sys
def close(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        # float sums in another order: relative, with an absolute floor for
        # sums that cancel (a gradient near zero)
        return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    return a == b
def parse(v):
    try:
        return json.loads(v)
    except ValueError:
        try:
            return float(v)
        except ValueError:
            return v
a = open(sys.argv[1]).read().splitlines()
b = open(sys.argv[2]).read().splitlines()
ok = len(a) == len(b)
for x, y in zip(a, b):
    kx, _, vx = x.partition("\t")
    ky, _, vy = y.partition("\t")
    if kx != ky or not close(parse(vx), parse(vy)):
        ok = False
        print("differs:", x[:200], "|", y[:200])
        break
sys.exit(0 if ok else 1)
'
failures=0
checked=0
while IFS='|' read -r expr bounded; do
	[ -n "$expr" ] || continue
	for dist in cz_acct cz_reg; do
		for grp in account region none; do
			if [ "$grp" = none ]; then
				sel="SELECT 'all', ($expr)::text FROM %s"
			else
				sel="SELECT $grp, ($expr)::text FROM %s GROUP BY $grp ORDER BY $grp"
			fi
			# shellcheck disable=SC2059
			q -AtF $'\t' -c "$(printf "$sel" "$dist")" >"$work/d.out"
			# shellcheck disable=SC2059
			q -AtF $'\t' -c "$(printf "$sel" cz_local)" >"$work/l.out"
			checked=$((checked + 1))
			if ! python3 -c "$compare" "$work/d.out" "$work/l.out"; then
				echo "FAIL: $expr on $dist grouped by $grp differs from the local table"
				failures=$((failures + 1))
			fi
		done
	done
	# partial aggregation on the workers when grouped by a non-distribution column
	plan=$(q -At -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT region, ($expr)::text FROM cz_acct GROUP BY region")
	if [ "$bounded" = 1 ]; then
		if ! echo "$plan" | grep -q worker_partial_agg || ! echo "$plan" | grep -q coord_combine_agg; then
			echo "FAIL: $expr is not aggregated partially on the workers:"
			echo "$plan" | head -20
			failures=$((failures + 1))
		else
			echo "partial on workers: $expr"
		fi
	else
		echo "row-gather (internal state): $expr"
	fi
done <<<"$aggs"

# rollup of stored lifts, and logistic_train on a distributed table
for grp in part g none; do
	if [ "$grp" = none ]; then sel="SELECT 'all', rollup(l)::text FROM %s"; else sel="SELECT $grp, rollup(l)::text FROM %s GROUP BY 1 ORDER BY 1"; fi
	# shellcheck disable=SC2059
	q -AtF $'\t' -c "$(printf "$sel" cz_lifts)" >"$work/d.out"
	# shellcheck disable=SC2059
	q -AtF $'\t' -c "$(printf "$sel" cz_lifts_local)" >"$work/l.out"
	checked=$((checked + 1))
	python3 -c "$compare" "$work/d.out" "$work/l.out" || { echo "FAIL: rollup(lift) grouped by $grp"; failures=$((failures + 1)); }
done
plan=$(q -At -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT g, rollup(l)::text FROM cz_lifts GROUP BY g")
echo "$plan" | grep -q worker_partial_agg || { echo "FAIL: rollup(lift) not partial on the workers"; failures=$((failures + 1)); }
for dist in cz_acct cz_reg; do
	q -At -c "SELECT logistic_train('$dist', 'label', 'x')::text" >"$work/d.out"
	q -At -c "SELECT logistic_fit(label, x)::text FROM cz_local" >"$work/l.out"
	sed -i 's/^/all\t/' "$work/d.out" "$work/l.out"
	checked=$((checked + 1))
	python3 -c "$compare" "$work/d.out" "$work/l.out" || { echo "FAIL: logistic_train on $dist differs from logistic_fit"; failures=$((failures + 1)); }
done

# shipped bytes: the text of each partial state (what Citus sends per group)
q -At -c "SELECT 'text bytes of one partial state: funnel ' || length(funnel_agg(stage)::text)
             || ', committee ' || length(committee_agg(role, stage, p)::text)
             || ', logistic_step (3 features) ' || length(logistic_step(NULL, label, x)::text)
             || ', score_histogram ' || length(score_histogram_agg(score, label)::text)
             || ', repeat_histories ' || length(repeat_histories_agg(freq, recency + 1, 721)::text)
          FROM cz_local WHERE region = 1"
echo "$checked comparisons, $failures failures"
[ "$failures" = 0 ]
