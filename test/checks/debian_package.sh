#!/usr/bin/env bash
# The Debian package: build postgresql-15-b2btarget_<version>-1_<arch>.deb
# from a copy of the tracked tree with dpkg-buildpackage (debian/, pg_buildext
# through debhelper's pgxs_loop, as postgresql-15-hll is built), install it
# with dpkg -i, CREATE EXTENSION from it in a fresh database of the
# throwaway cluster, then remove the package and put back the `make install`
# the rest of the suite uses.  Runs as root against the system PostgreSQL
# only (a .deb installs there); skipped otherwise.
set -euo pipefail
root=${B2B_ROOT:?}
psql() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
if [ "$(id -u)" != 0 ]; then
	echo "not root: dpkg -i needs root"
	exit 77
fi
if [ "$PG_BINDIR" != "/usr/lib/postgresql/15/bin" ]; then
	echo "the server under test is not the system PostgreSQL 15 (B2B_PGROOT?): a .deb installs into the system one"
	exit 77
fi
for tool in dpkg-buildpackage dh pg_buildext; do
	command -v $tool >/dev/null || { echo "$tool is missing (packages dpkg-dev, debhelper, postgresql-server-dev-all)"; exit 77; }
done
ver=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$root/b2btarget.control")
work=$(mktemp -d)
restore() {
	dpkg -r postgresql-15-b2btarget >/dev/null 2>&1 || true
	make -C "$root" -s PG_CONFIG="$PG_BINDIR/pg_config" install >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap restore EXIT
mkdir "$work/b2btarget-$ver"
(cd "$root" && git ls-files -z 2>/dev/null | xargs -0 tar cf - ) | tar xf - -C "$work/b2btarget-$ver"
(cd "$work/b2btarget-$ver" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) ||
	{ tail -30 "$work/build.log"; echo "dpkg-buildpackage failed"; exit 1; }
deb=$(ls "$work"/postgresql-15-b2btarget_"$ver"-1_*.deb 2>/dev/null | grep -v dbgsym | head -1)
[ -n "$deb" ] || { ls "$work"; echo "no postgresql-15-b2btarget_$ver-1_*.deb was built"; exit 1; }
echo "built $(basename "$deb")"
# What the package holds: the module, the control file, every install and
# upgrade script of the tree.
contents=$(dpkg -c "$deb")
for f in usr/lib/postgresql/15/lib/b2btarget.so usr/share/postgresql/15/extension/b2btarget.control \
	"usr/share/postgresql/15/extension/b2btarget--$ver.sql"; do
	echo "$contents" | grep -q " \./$f\$" || { echo "the package lacks $f"; exit 1; }
done
for f in $(cd "$root" && ls b2btarget--*--*.sql 2>/dev/null); do
	echo "$contents" | grep -q "/extension/$f\$" || { echo "the package lacks $f"; exit 1; }
done
# Remove the make-installed files first so CREATE EXTENSION below can only
# use what the package installed.
sharedir=$("$PG_BINDIR/pg_config" --sharedir)/extension
libdir=$("$PG_BINDIR/pg_config" --pkglibdir)
rm -f "$sharedir"/b2btarget.control "$sharedir"/b2btarget--*.sql "$libdir"/b2btarget.so
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; echo "dpkg -i failed"; exit 1; }
dpkg -s postgresql-15-b2btarget | grep -q '^Status: install ok installed' || { echo "the package is not installed"; exit 1; }
PGOPTIONS="-c client_min_messages=warning" psql -d postgres -c "DROP DATABASE IF EXISTS b2b_deb" -c "CREATE DATABASE b2b_deb"
psql -d b2b_deb -c "CREATE EXTENSION b2btarget"
got=$(psql -d b2b_deb -At -c "SELECT extversion FROM pg_extension WHERE extname = 'b2btarget'")
out=$(psql -d b2b_deb -At -c "SELECT stage_ordinal('evaluation'::journey_stage), reached(funnel_agg(s), 'decision') FROM (VALUES ('awareness'::journey_stage), ('purchase')) v(s)")
psql -d postgres -c "DROP DATABASE b2b_deb"
[ "$got" = "$ver" ] || { echo "CREATE EXTENSION from the package gave version $got, not $ver"; exit 1; }
[ "$out" = "3|1" ] || { echo "the packaged extension answered $out, not 3|1"; exit 1; }
echo "dpkg -i $(basename "$deb"): CREATE EXTENSION b2btarget $got works"
