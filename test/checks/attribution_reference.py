#!/usr/bin/python3
"""Markov attribution of b2btarget against an independent NumPy solution.

For each channel k the chain is rebuilt from the raw paths (Python, not the
extension's move counts) with k removed -- every move into k goes to
(null) -- and P(conversion) is the solution of (I - Q) x = r; the removal
effect is 1 - p_k / p.  Paths come from the database as plain strings
(string_agg over the touch rows, before conversion), so the extension's
path and move bookkeeping is checked too.
"""
import csv
import io
import os
import subprocess
import sys

import numpy as np

PSQL = os.path.join(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"), "psql")
DB = "b2b_attribution_ref"
ROOT = os.environ.get("B2B_ROOT", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DATA = os.environ.get("B2B_DATA", os.path.join(ROOT, "..", "shared", "data"))
failures = 0


def psql(sql, db=DB):
    r = subprocess.run([PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db],
                       input=sql, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit("psql failed: " + sql[:300])
    return r.stdout


def rows(query):
    return list(csv.reader(io.StringIO(psql("COPY (%s) TO STDOUT WITH (FORMAT csv)" % query))))


def check(name, got, want, tol):
    global failures
    err = max(abs(got[k] - want[k]) for k in want) if want else 0.0
    ok = set(got) == set(want) and err <= tol
    print("%s %s: max abs error %.3g over %d channels" % ("ok" if ok else "FAIL", name, err, len(want)))
    if not ok:
        failures += 1


def markov(paths):
    """paths: list of (channels list, conversions, nulls).  Returns p, RE."""
    chans = sorted({c for p, _, _ in paths for c in p})
    idx = {c: i + 1 for i, c in enumerate(chans)}
    S = len(chans) + 1
    C = np.zeros((S, S + 2))          # columns: states, conv, null
    for p, conv, null in paths:
        seq = [c for i, c in enumerate(p) if i == 0 or p[i - 1] != c]
        if not seq:
            continue
        w = conv + null
        s = 0
        for c in seq:
            C[s, idx[c]] += w
            s = idx[c]
        C[s, S] += conv
        C[s, S + 1] += null

    def p_conv(removed):
        P = C / C.sum(axis=1, keepdims=True)
        Q = P[:, :S].copy()
        r = P[:, S].copy()
        if removed is not None:
            Q[:, removed] = 0          # moves into it go to (null)
            Q[removed, :] = 0
            r[removed] = 0
        x = np.linalg.solve(np.eye(S) - Q, r)
        return x[0]

    p = p_conv(None)
    return p, {c: 1 - p_conv(idx[c]) / p for c in chans}


def compare(label, paths, total_conv):
    p, re = markov(paths)
    got = {ch: float(v) for ch, v in rows("SELECT channel, removal_effect(a, channel) FROM attr_ref_a, attribution_report(a, 'first_touch')")}
    check(label + " removal effects vs NumPy", got, re, 1e-9)
    s = sum(re.values())
    want = {c: total_conv * v / s for c, v in re.items()}
    got = {ch: float(v) for ch, v in rows("SELECT channel, credited_conversions FROM attr_ref_a, attribution_report(a, 'markov')")}
    check(label + " markov credits vs NumPy", got, want, 1e-7)
    gp = float(psql("SELECT (attribution_summary(a)).conversion_probability FROM attr_ref_a"))
    check(label + " P(conversion) vs NumPy", {"p": gp}, {"p": p}, 1e-12)
    return re


def generated():
    psql("""
SET client_min_messages = warning;
CREATE EXTENSION b2btarget;
SELECT setseed(0.42);
-- 9 channels with different pull: later channels lead to conversion more
CREATE TABLE t AS
SELECT e AS entity, '2025-01-01'::timestamptz + (floor(random() * 60) || ' days')::interval AS ts,
       'ch' || (1 + floor(random() * random() * 9))::int AS channel
FROM generate_series(1, 20000) e CROSS JOIN LATERAL generate_series(1, (1 + floor(random() * 12))::int + 0 * e) k;
CREATE TABLE c AS
SELECT entity, CASE WHEN random() < 0.15 + 0.05 * max(substr(channel, 3)::int) THEN max(ts) - (floor(random() * 10) || ' days')::interval END AS converted_at
FROM t GROUP BY entity;
CREATE TABLE attr_ref_a AS
SELECT attribution_agg(touch_path_agg, converted_at) a FROM (SELECT entity, touch_path_agg(ts, channel) FROM t GROUP BY entity) p JOIN c USING (entity);
""")
    paths = []
    for path, conv in rows("""
SELECT string_agg(channel, ' > ' ORDER BY ts, channel COLLATE "C"), converted_at IS NOT NULL
FROM t JOIN c USING (entity) WHERE converted_at IS NULL OR ts <= converted_at GROUP BY entity, converted_at"""):
        paths.append((path.split(" > "), 1 if conv == "t" else 0, 0 if conv == "t" else 1))
    total = sum(cv for _, cv, _ in paths)
    print("generated: %d entities with a touch, %d converted" % (len(paths), total))
    compare("generated", paths, total)


def pathdata():
    f = os.path.join(DATA, "channel-attribution-pathdata", "PathData.csv")
    if not os.path.exists(f):
        print("skipped: ChannelAttribution's PathData.csv is not in " + os.path.dirname(f))
        return
    raw = []
    with open(f) as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            raw.append((r["path"].split(" > "), int(r["total_conversions"]), float(r["total_conversion_value"]), int(r["total_null"])))
    psql("DROP TABLE IF EXISTS pd, attr_ref_a; CREATE TABLE pd (path text, conv int, value float8, nulls int);")
    psql("\\copy pd FROM '%s' (FORMAT csv, DELIMITER ';', HEADER)" % f)
    # one entity per customer; its touches one second apart; converting
    # customers share the row's value equally
    psql("""
CREATE TABLE attr_ref_a AS
SELECT attribution_agg(p, CASE WHEN k <= conv THEN '2025-02-01'::timestamptz END,
                       CASE WHEN k <= conv THEN value / conv END) a
FROM (SELECT row_number() OVER () AS rid, * FROM pd) d
CROSS JOIN LATERAL generate_series(1, conv + nulls) k
CROSS JOIN LATERAL (SELECT touch_path_agg('2025-01-01'::timestamptz + (o || ' seconds')::interval, ch) p
                    FROM unnest(string_to_array(d.path, ' > ')) WITH ORDINALITY u(ch, o)) x;
""")
    total = sum(cv for _, cv, _, _ in raw)
    print("PathData.csv: %d paths, %d customers, %d conversions" % (len(raw), sum(cv + n for _, cv, _, n in raw), total))
    re = compare("PathData", [(p, cv, n) for p, cv, _, n in raw], total)
    # heuristics from the raw file
    want = {m: {} for m in ("first_touch", "last_touch", "linear")}
    wantv = {m: {} for m in want}
    for p, cv, v, _ in raw:
        if cv == 0:
            continue
        for m, shares in (("first_touch", [(p[0], 1.0)]), ("last_touch", [(p[-1], 1.0)]),
                          ("linear", [(c, 1.0 / len(p)) for c in p])):
            for c, s in shares:
                want[m][c] = want[m].get(c, 0) + cv * s
                wantv[m][c] = wantv[m].get(c, 0) + v * s
    for m in want:
        got = {ch: float(x) for ch, x in rows("SELECT channel, credited_conversions FROM attr_ref_a, attribution_report(a, '%s') WHERE conversions > 0 OR credited_conversions > 0" % m)}
        for c in got:
            want[m].setdefault(c, 0.0)
            wantv[m].setdefault(c, 0.0)
        check("PathData %s credits vs Python" % m, got, want[m], 1e-8)
        gotv = {ch: float(x) for ch, x in rows("SELECT channel, credited_value FROM attr_ref_a, attribution_report(a, '%s')" % m)}
        check("PathData %s values vs Python" % m, gotv, wantv[m], 1e-7)
    print("PathData removal effects: " + ", ".join("%s %.4f" % (c, re[c]) for c in sorted(re)))


def main():
    subprocess.run([PSQL, "-X", "-q", "-d", "postgres", "-c", "DROP DATABASE IF EXISTS " + DB], check=True,
                   env=dict(os.environ, PGOPTIONS="-c client_min_messages=warning"))
    subprocess.run([PSQL, "-X", "-q", "-d", "postgres", "-c", "CREATE DATABASE " + DB], check=True)
    try:
        generated()
        pathdata()
    finally:
        subprocess.run([PSQL, "-X", "-q", "-d", "postgres", "-c", "DROP DATABASE IF EXISTS " + DB])
    print("%d failures" % failures)
    sys.exit(1 if failures else 0)


main()
