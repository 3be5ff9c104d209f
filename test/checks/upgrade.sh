#!/usr/bin/env bash
# The upgrade chain: for every released version with an install script,
# CREATE EXTENSION b2btarget VERSION '<old>' then ALTER EXTENSION UPDATE, and
# compare every catalog detail of the extension's objects (functions with
# volatility/parallel/strictness, aggregates with their combine functions,
# types, operators, operator classes, casts, comments) with a fresh install
# of the default version.  Lesson of citext: an upgrade once forgot a
# combine function.
set -euo pipefail
psql() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
sharedir=$("$PG_BINDIR/pg_config" --sharedir)/extension
default=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$sharedir/b2btarget.control")
olds=$(ls "$sharedir" | sed -n 's/^b2btarget--\([^-]*\)\.sql$/\1/p' | grep -vx "$default" || true)
if [ -z "$olds" ]; then
	echo "only version $default is installed: no upgrade path to test yet"
	exit 77
fi
psql -d postgres -c "DROP DATABASE IF EXISTS b2b_fresh" -c "CREATE DATABASE b2b_fresh"
psql -d b2b_fresh -c "CREATE EXTENSION b2btarget"
psql -d b2b_fresh -At -f "$B2B_ROOT/test/checks/catalog_signature.sql" >/tmp/b2b_sig_fresh.$$
rc=0
for v in $olds; do
	psql -d postgres -c "DROP DATABASE IF EXISTS b2b_upgraded" -c "CREATE DATABASE b2b_upgraded"
	psql -d b2b_upgraded -c "CREATE EXTENSION b2btarget VERSION '$v'" -c "ALTER EXTENSION b2btarget UPDATE"
	psql -d b2b_upgraded -At -f "$B2B_ROOT/test/checks/catalog_signature.sql" >/tmp/b2b_sig_up.$$
	if diff -u /tmp/b2b_sig_fresh.$$ /tmp/b2b_sig_up.$$; then
		echo "$v -> $default: identical to a fresh install"
	else
		echo "$v -> $default: differs from a fresh install"
		rc=1
	fi
	psql -d postgres -c "DROP DATABASE b2b_upgraded"
done
psql -d postgres -c "DROP DATABASE b2b_fresh"
rm -f /tmp/b2b_sig_fresh.$$ /tmp/b2b_sig_up.$$
exit $rc
