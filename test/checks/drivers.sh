#!/usr/bin/env bash
# test/checks/drivers.sh — real client drivers against b2btarget (issue 11):
# psycopg 3 (text and binary) and psycopg2 (Debian python3-psycopg,
# python3-psycopg2), pgjdbc (Debian libpostgresql-jdbc-java, compiled with
# javac) and node-postgres (npm install pg into tmp_check/node, never
# committed).  Each reads and writes a column of every type, calls every
# report function, checks that propensity is float8 in the result metadata
# and on the wire, and reads the jsonb casts (test/checks/drivers/).
#
# pgjdbc needs TCP, so the check runs its own throwaway cluster listening on
# localhost.  A driver that cannot be installed is skipped; the check then
# exits 77 naming it (after running the others; any failure exits 1).
# With CI=true as root, missing Debian packages are installed here.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
here=$B2B_ROOT/test/checks/drivers

if [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; then
	B2B_PACKAGES="python3-psycopg python3-psycopg2 libpostgresql-jdbc-java openjdk-17-jdk-headless"
	command -v node >/dev/null || B2B_PACKAGES="$B2B_PACKAGES nodejs npm"
	b2b_need_packages
fi

B2B_LISTEN=localhost B2B_PORT=$((56000 + RANDOM % 2000)) b2b_start_cluster || exit 1
"$PG_BINDIR/createdb" drv || exit 1
b2b_psql -d drv -f "$here/setup.sql" || exit 1
dsn="host=$PGHOST port=$PGPORT dbname=drv user=postgres"

failed=0
skipped=()
run() {
	local name=$1
	shift
	if "$@"; then
		echo "== $name passed"
	else
		echo "== $name FAILED"
		failed=1
	fi
}

for drv in psycopg psycopg2; do
	if /usr/bin/python3 -c "import $drv" 2>/dev/null; then
		run "$drv" /usr/bin/python3 "$here/drivers.py" "$drv" "$dsn" "$here/reports.sql"
	else
		skipped+=("$drv (apt-get install python3-$drv)")
	fi
done

jar=/usr/share/java/postgresql.jar
if [ -f "$jar" ] && command -v javac >/dev/null && command -v java >/dev/null; then
	classes=$B2B_TMP/java
	mkdir -p "$classes"
	if javac -d "$classes" "$here/Drivers.java"; then
		run pgjdbc java -cp "$classes:$jar" Drivers \
			"jdbc:postgresql://localhost:$PGPORT/drv?user=postgres" "$here/reports.sql"
	else
		echo "== pgjdbc: javac failed"
		failed=1
	fi
else
	skipped+=("pgjdbc (apt-get install libpostgresql-jdbc-java openjdk-17-jdk-headless)")
fi

nodedir=$B2B_ROOT/tmp_check/node
if command -v node >/dev/null && command -v npm >/dev/null; then
	if [ ! -d "$nodedir/node_modules/pg" ]; then
		mkdir -p "$nodedir"
		(cd "$nodedir" && timeout 180 npm install --no-audit --no-fund --silent --no-save pg@8 >/dev/null 2>&1)
	fi
	if [ -d "$nodedir/node_modules/pg" ]; then
		run node-postgres env PGDATABASE=drv NODE_PATH="$nodedir/node_modules" node "$here/drivers.js" "$here/reports.sql"
	else
		skipped+=("node-postgres (npm install pg failed: no registry?)")
	fi
else
	skipped+=("node-postgres (no node/npm)")
fi

[ $failed = 0 ] || exit 1
if [ ${#skipped[@]} -gt 0 ]; then
	echo "skipped: ${skipped[*]}"
	exit 77
fi
exit 0
