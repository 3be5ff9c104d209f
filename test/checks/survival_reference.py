"""Kaplan-Meier, the exponential Greenwood interval and Aalen-Johansen against
an independent numpy implementation of what lifelines computes.

lifelines (KaplanMeierFitter) builds an event table per distinct time
(removed = observed + censored, at_risk before the time), then
  log S = cumsum(log(n - d) - log(n)),
  V     = cumsum(d / (n (n - d)))  with d = n counting 0,
  lower = exp(-exp(log(-log S) - z sqrt(V) / log S)),
  upper = exp(-exp(log(-log S) + z sqrt(V) / log S)),  NaN -> 1.0,
and median_survival_time_ = first time with S <= 0.5.  AalenJohansenFitter:
F_k(t) = sum S(t_i-) d_ki / n_i.  Written here from those formulas.
"""
import csv
import io
import os
import subprocess
import sys

import numpy as np

PSQL = os.path.join(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"), "psql")
DB = "b2b_survival_ref"
Z = 1.959963984540054
failures = 0


def psql(sql, db=DB, stdin=None):
    r = subprocess.run([PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                       input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit("psql failed: " + sql[:200])
    return r.stdout


def rows(query):
    return list(csv.reader(io.StringIO(psql("COPY (%s) TO STDOUT WITH (FORMAT csv)" % query))))


def check(name, got, want, tol):
    global failures
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    err = np.max(np.abs(got - want)) if got.size else 0.0
    if got.shape != want.shape or not err <= tol:
        failures += 1
        print("FAIL %s: max error %g (shapes %s %s)" % (name, err, got.shape, want.shape))
    else:
        print("ok %s: max error %.3g" % (name, err))


def km(durations, events):
    t = np.unique(durations)
    d = np.array([np.sum(events[durations == x]) for x in t], dtype=float)
    c = np.array([np.sum(~events[durations == x]) for x in t], dtype=float)
    removed = d + c
    n = len(durations) - np.concatenate([[0.0], np.cumsum(removed)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.cumsum(np.log(n - d) - np.log(n))
        s = np.exp(logs)
        term = d / (n * (n - d))
        term[np.isinf(term)] = 0
        v = np.cumsum(term)
        lv = np.log(s)
        lower = np.exp(-np.exp(np.log(-lv) - Z * np.sqrt(v) / lv))
        upper = np.exp(-np.exp(np.log(-lv) + Z * np.sqrt(v) / lv))
    lower[np.isnan(lower)] = 1.0
    upper[np.isnan(upper)] = 1.0
    return t, n, d, c, s, lower, upper


def main():
    psql("DROP DATABASE IF EXISTS %s" % DB, db="postgres")
    psql("CREATE DATABASE %s" % DB, db="postgres")
    psql("CREATE EXTENSION b2btarget")

    # lifelines' documentation example, printed for sql/survival.sql
    t, n, d, c, s, lo, hi = km(np.array([5, 6, 6, 2.5, 4, 4]), np.array([1, 0, 0, 1, 1, 1], dtype=bool))
    print("example at 4 days: S %.6f lower %.6f upper %.6f" % (s[1], lo[1], hi[1]))

    rng = np.random.default_rng(17)
    m = 50000
    dur = rng.integers(0, 300, m).astype(float)          # heavy ties: 300 distinct days
    ev = rng.random(m) < 0.6
    outcome = np.where(ev, np.where(rng.random(m) < 0.4, "lost", "won"), "")
    buf = io.StringIO()
    for i in range(m):
        buf.write("%d,%d,%s,%s\n" % (i, int(dur[i]), "t" if ev[i] else "f", outcome[i]))
    psql("CREATE TABLE d (i int, days int, e boolean, o text)")
    psql("COPY d FROM STDIN WITH (FORMAT csv)", stdin=buf.getvalue())

    t, n, d, c, s, lo, hi = km(dur, ev)
    got = rows("SELECT extract(epoch FROM \"time\") / 86400, at_risk, events, censored, survival, lower, upper "
               "FROM survival_table((SELECT survival_agg(days * interval '1 day', e) FROM d)) ORDER BY 1")
    got = np.array(got, dtype=float)
    check("times", got[:, 0], t, 0)
    check("at_risk", got[:, 1], n, 0)
    check("events", got[:, 2], d, 0)
    check("censored", got[:, 3], c, 0)
    check("survival", got[:, 4], s, 1e-12)
    check("lower", got[:, 5], lo, 1e-10)
    check("upper", got[:, 6], hi, 1e-10)
    med = psql("SELECT extract(epoch FROM median_survival(survival_agg(days * interval '1 day', e))) / 86400 FROM d")
    want = t[np.argmax(s <= 0.5)] if np.any(s <= 0.5) else np.nan
    check("median", [float(med) if med.strip() else np.nan], [want], 0)

    # Aalen-Johansen: F_k = cumsum(S(t-) d_k / n)
    s_before = np.concatenate([[1.0], s[:-1]])
    got = rows("SELECT extract(epoch FROM \"time\") / 86400, outcome, incidence FROM cumulative_incidence_table("
               "(SELECT cumulative_incidence_agg(days * interval '1 day', nullif(o, '')) FROM d)) ORDER BY 1, 2")
    for k, name in enumerate(["lost", "won"]):
        dk = np.array([np.sum((dur == x) & (outcome == name)) for x in t], dtype=float)
        want = np.cumsum(s_before * dk / n)
        g = np.array([float(r[2]) for r in got if r[1] == name])
        check("incidence " + name, g, want, 1e-12)

    psql("DROP DATABASE %s" % DB, db="postgres")
    print("%d failures" % failures)
    sys.exit(1 if failures else 0)


main()
