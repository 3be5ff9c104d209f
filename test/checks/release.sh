#!/usr/bin/env bash
# Release discipline (Makefile RELEASED, the control file, CHANGELOG.md,
# debian/changelog):
# - every released version's install script b2btarget--V.sql is committed and
#   unchanged since the commit that added it (frozen);
# - while default_version is itself released, src/sql/ still assembles
#   exactly that frozen script (a change needs a new version);
# - a version under development after a release has its upgrade part
#   src/sql/upgrade/<last>--<new>.sql;
# - CHANGELOG.md has an entry for every released version and the default one,
#   and the Debian changelog's upstream version is the default one.
# Needs no server.
set -euo pipefail
root=${B2B_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root"
mk() { make -s --no-print-directory PG_CONFIG="${PG_BINDIR:-/usr/lib/postgresql/15/bin}/pg_config" "print-$1"; }
released=$(mk RELEASED)
default=$(mk EXTVERSION)
last=$(mk LAST_RELEASE)
rc=0
say() { echo "$*"; rc=1; }
for v in $released; do
	f=b2btarget--$v.sql
	[ -f "$f" ] || { say "released $v has no install script $f"; continue; }
	if git rev-parse --git-dir >/dev/null 2>&1; then
		git ls-files --error-unmatch "$f" >/dev/null 2>&1 || { say "$f is not committed"; continue; }
		first=$(git log --diff-filter=A --format=%H -- "$f" | tail -n 1)
		if [ -n "$first" ] && ! git diff --quiet "$first" -- "$f"; then
			say "$f changed after it was released in $(git log -1 --format=%h "$first"): SQL changes belong in an upgrade script"
		fi
	fi
	grep -q "^## $v\b" CHANGELOG.md || say "CHANGELOG.md has no entry for $v"
done
if [ -n "$released" ] && echo " $released " | grep -q " $default "; then
	if ! cat $(ls src/sql/*.sql | sort) | cmp -s - "b2btarget--$default.sql"; then
		say "src/sql/ no longer assembles the released b2btarget--$default.sql: set default_version to the next version and put the change in src/sql/upgrade/$default--<next>.sql"
	fi
fi
if [ -n "$last" ] && ! echo " $released " | grep -q " $default "; then
	[ -f "src/sql/upgrade/$last--$default.sql" ] || say "no src/sql/upgrade/$last--$default.sql for the version under development"
fi
grep -q "^## $default\b" CHANGELOG.md || say "CHANGELOG.md has no entry for $default"
deb=$(sed -n '1s/^[^ ]* (\([^)-]*\)-[^)]*).*/\1/p' debian/changelog)
[ "$deb" = "$default" ] || say "debian/changelog is at $deb, the control file at $default"
[ $rc = 0 ] && echo "released: ${released:-none}; default_version $default; frozen scripts unchanged"
exit $rc
