#!/usr/bin/env bash
# META.json is valid against the PGXN Meta Spec 1.0 and agrees with the
# control file and the Debian changelog on the version (test/checks/meta_json.py).
# Needs no server; it also checks that the validator rejects broken copies.
set -euo pipefail
root=${B2B_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
py=$root/test/checks/meta_json.py
python3 "$py" "$root"
# The validator must fail on broken metadata (so a pass above means something).
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/debian"
cp "$root/b2btarget.control" "$t/"
cp "$root/debian/changelog" "$t/debian/" 2>/dev/null || true
for broken in 'del m["license"]' 'm["version"]="1.0"' 'm["license"]="gplv3"' \
	'm["provides"]["b2btarget"]["file"]="nope.sql"' 'm["meta-spec"]["version"]="2.0.0"' \
	'm["prereqs"]["runtime"]["requires"]["PostgreSQL"]="fifteen"' 'm["colour"]="blue"' \
	'm["name"]="b2b target"' 'm["version"]="9.9.0"'; do
	python3 - "$root/META.json" "$t/META.json" "$broken" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(m, open(sys.argv[2], "w"))
PY
	cp -r "$root"/README.md "$root"/test "$root"/debian "$t/" 2>/dev/null || true
	for f in $(cd "$root" && ls b2btarget--*.sql 2>/dev/null); do cp "$root/$f" "$t/"; done
	if python3 "$py" "$t" >/dev/null 2>&1; then
		echo "the validator accepted a broken META.json ($broken)"
		exit 1
	fi
done
echo "META.json valid; 9 broken variants rejected"
