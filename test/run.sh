#!/usr/bin/env bash
# test/run.sh — every test of b2btarget (the README's test command).
#
#   bash test/run.sh              everything
#   TESTS="stage funnel" bash test/run.sh   only these pg_regress tests
#
# Installs what is missing, builds, installs, starts a throwaway cluster,
# runs the pg_regress suite twice (as is, then with parallel query forced),
# the plain-C unit tests and the scripted checks in test/checks/, stops the
# cluster whatever happened, and ends with "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$B2B_ROOT"

passed=0
failed=0
failures=()
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); failures+=("$1"); }

b2b_need_packages || { echo "0 passed, 1 failed"; exit 1; }
b2b_lock

# 1. Build: must be warning-free.
make -s clean >/dev/null 2>&1
buildlog=$(mktemp)
if make -s PG_CONFIG="$PG_CONFIG" >"$buildlog" 2>&1; then
	if grep -q 'warning:' "$buildlog"; then
		grep 'warning:' "$buildlog" >&2
		fail "build: compiler warnings"
	else
		pass
	fi
else
	cat "$buildlog" >&2
	rm -f "$buildlog"
	echo "0 passed, 1 failed"
	exit 1
fi
rm -f "$buildlog"
b2b_build_install

# 2. Unit tests of the plain-C core (TAP lines "ok"/"not ok").
unitlog=$(mktemp)
bash test/unit/run.sh >"$unitlog" 2>&1
while IFS= read -r line; do
	case "$line" in
	"not ok"*) fail "unit: ${line#not ok }" ;;
	"ok"*) pass ;;
	esac
done <"$unitlog"
grep -E '^(not ok|#)' "$unitlog" | head -40
rm -f "$unitlog"

# 3. pg_regress, twice.
b2b_start_cluster || { echo "$passed passed, $((failed + 1)) failed"; exit 1; }
PG_REGRESS=$(dirname "$($PG_CONFIG --pgxs)")/../test/regress/pg_regress
if [ -n "${TESTS:-}" ]; then
	tests=$TESTS
else
	tests=$(ls sql/*.sql | xargs -n1 basename | sed 's/\.sql$//' | tr '\n' ' ')
fi

run_regress() {
	local mode=$1 outdir=$2 db=$3
	rm -rf "$outdir"
	mkdir -p "$outdir"
	local out
	out=$("$PG_REGRESS" --inputdir=. --outputdir="$outdir" --bindir="$PG_BINDIR" \
		--host="$PGHOST" --port="$PGPORT" --user=postgres --dbname="$db" \
		--load-extension=plpgsql $tests 2>&1)
	echo "$out" | grep -E '^(test| |ok|not ok|#)' | sed "s/^/[$mode] /"
	while IFS= read -r line; do
		case "$line" in
		*"... ok"* | "ok "*) pass ;;
		*"... FAILED"* | *"... failed"* | "not ok"*)
			local name
			name=$(echo "$line" | sed -E 's/^(test|not ok|ok)? *[0-9]* *-? *//; s/ .*//')
			fail "regress[$mode]: $name" ;;
		esac
	done <<<"$out"
	if [ -s "$outdir/regression.diffs" ]; then
		echo "---- $mode diffs (first 150 lines; all in $outdir/regression.diffs)"
		head -150 "$outdir/regression.diffs"
	fi
}

log "pg_regress, serial plans"
mkdir -p results
run_regress serial tmp_check/serial b2b_regress
# B2B_SERIAL_ONLY=1 (test/valgrind.sh): the serial pass only.
if [ -z "${B2B_SERIAL_ONLY:-}" ]; then
	log "pg_regress, parallel query forced"
	# force_parallel_mode is called debug_parallel_query from PostgreSQL 16 on.
	if [ "$("$PG_BINDIR/postgres" -V | sed 's/[^0-9]*\([0-9]*\).*/\1/')" -ge 16 ]; then
		force_parallel=debug_parallel_query
	else
		force_parallel=force_parallel_mode
	fi
	PGOPTIONS="-c $force_parallel=regress -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c min_parallel_index_scan_size=0 -c max_parallel_workers_per_gather=2" \
		run_regress parallel tmp_check/parallel b2b_regress_par
fi
# pg_regress writes regression.diffs/out into the output dir; keep the
# serial one also at the top where PGXS users look for it.
rm -f regression.diffs
[ -f tmp_check/serial/regression.diffs ] && cp tmp_check/serial/regression.diffs regression.diffs

# 4. Scripted checks: test/checks/*.sh, run with the cluster's PG* settings.
#    Exit 0 = pass, 77 = skipped (message on stdout), anything else = fail.
skipped=0
if [ -z "${TESTS:-}" ]; then
	for check in test/checks/*.sh; do
		[ -e "$check" ] || continue
		name=$(basename "$check" .sh)
		log "check $name"
		out=$(B2B_ROOT="$B2B_ROOT" PG_BINDIR="$PG_BINDIR" bash "$check" 2>&1)
		rc=$?
		if [ $rc = 0 ]; then
			pass
			echo "ok - check $name"
		elif [ $rc = 77 ]; then
			skipped=$((skipped + 1))
			echo "skip - check $name: $(echo "$out" | tail -1)"
		else
			fail "check: $name"
			echo "not ok - check $name"
			echo "$out" | tail -40 | sed 's/^/    /'
		fi
	done
fi

b2b_stop_cluster
trap - EXIT

if [ ${#failures[@]} -gt 0 ]; then
	echo "Failures:"
	printf '  %s\n' "${failures[@]}"
fi
if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed = 0 ]
