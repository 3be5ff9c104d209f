#!/usr/bin/python3
"""Compare b2btarget's calibration and uplift functions with references.

Calibration: scikit-learn's IsotonicRegression(out_of_bounds='clip')
(predictions at the training scores and off them), _sigmoid_calibration
(Platt's A and B) and calibration_curve (uniform and quantile bins).

Uplift: scikit-uplift is not packaged for Debian, so its qini_curve,
uplift_curve, perfect curves, qini_auc_score, uplift_auc_score and
uplift_at_k are re-implemented below from their published definitions
(scikit-uplift 0.5.1, sklift/metrics/metrics.py) with numpy, row by row,
the way that code computes them; uplift_agg's metrics must agree.

Talks to the server through psql (PGHOST/PGPORT/PGUSER from the caller) in
a database of its own.  Prints one line per comparison; exits 1 on any
mismatch.
"""
import csv
import io
import json
import os
import subprocess
import sys
import warnings

import numpy as np
from sklearn.calibration import _sigmoid_calibration, calibration_curve
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import auc

PSQL = os.path.join(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"), "psql")
DB = "b2b_targeting_ref"
warnings.simplefilter("ignore")
failures = 0


def psql(sql, db=DB):
    r = subprocess.run([PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit("psql failed: " + sql[:200])
    return r.stdout


def copy_out(query):
    return list(csv.reader(io.StringIO(psql("COPY (%s) TO STDOUT WITH (FORMAT csv)" % query))))


def check(name, got, want, tol, rel=False):
    global failures
    got = np.atleast_1d(np.asarray(got, dtype=float))
    want = np.atleast_1d(np.asarray(want, dtype=float))
    if got.shape != want.shape:
        failures += 1
        print("not ok - %s: shapes %s and %s" % (name, got.shape, want.shape))
        return
    err = np.abs(got - want)
    if rel:
        err = err / np.maximum(np.abs(want), 1e-300)
    err = float(np.max(err)) if err.size else 0.0
    ok = err <= tol
    if not ok:
        failures += 1
    print("%s - %s: max %s error %.3g (tolerance %g)"
          % ("ok" if ok else "not ok", name, "relative" if rel else "absolute", err, tol))


# ---- scikit-uplift's metrics, re-implemented (row by row, as sklift does) ----

def _curve_points(y, score, t, qini):
    order = np.argsort(score, kind="mergesort")[::-1]
    y, score, t = y[order], score[order], t[order]
    y_c = y.copy(); y_c[t == 1] = 0
    y_t = y.copy(); y_t[t == 0] = 0
    idx = np.r_[np.where(np.diff(score))[0], score.size - 1]
    n_t = np.cumsum(t)[idx].astype(float)
    s_t = np.cumsum(y_t)[idx].astype(float)
    n_all = (idx + 1).astype(float)
    n_c = n_all - n_t
    s_c = np.cumsum(y_c)[idx].astype(float)
    if qini:
        v = s_t - s_c * np.divide(n_t, n_c, out=np.zeros_like(n_t), where=n_c != 0)
    else:
        v = (np.divide(s_t, n_t, out=np.zeros_like(s_t), where=n_t != 0)
             - np.divide(s_c, n_c, out=np.zeros_like(s_c), where=n_c != 0)) * n_all
    if n_all.size == 0 or v[0] != 0 or n_all[0] != 0:
        n_all, v = np.r_[0, n_all], np.r_[0, v]
    return n_all, v


def _normalised(x, v, xp, vp):
    base = auc(np.array([0, xp[-1]]), np.array([0, vp[-1]]))
    return (auc(x, v) - base) / (auc(xp, vp) - base)


def qini_auc_score(y, score, t):
    x, v = _curve_points(y, score, t, True)
    xp, vp = _curve_points(y, y * t - y * (1 - t), t, True)
    return _normalised(x, v, xp, vp)


def uplift_auc_score(y, score, t):
    x, v = _curve_points(y, score, t, False)
    cr = np.sum((y == 1) & (t == 0))
    tn = np.sum((y == 0) & (t == 1))
    perfect = 2 * (y == t) + (y if cr > tn else t)
    xp, vp = _curve_points(y, perfect, t, False)
    return _normalised(x, v, xp, vp)


def uplift_at_k(y, score, t, strategy, k):
    order = np.argsort(score, kind="mergesort")[::-1]
    if strategy == "overall":
        n = int(len(y) * k)
        top_y, top_t = y[order][:n], t[order][:n]
        return top_y[top_t == 1].mean() - top_y[top_t == 0].mean()
    n_c, n_t = int((t == 0).sum() * k), int((t == 1).sum() * k)
    return (y[order][t[order] == 1][:n_t].mean() - y[order][t[order] == 0][:n_c].mean())


def main():
    psql("DROP DATABASE IF EXISTS %s" % DB, db="postgres")
    psql("CREATE DATABASE %s" % DB, db="postgres")
    psql("CREATE EXTENSION b2btarget")
    # calibration data: a mis-calibrated score; a tied copy rounded to 2 places
    psql("""SELECT setseed(0.21);
         CREATE TABLE cal AS
         SELECT i, s, round(s::numeric, 2)::float8 AS s2, random() < 1 / (1 + exp(-(3 * s - 2))) AS y
         FROM (SELECT i, random() AS s FROM generate_series(1, 50000) i) x""")
    for col in ("s", "s2"):
        data = np.array(copy_out("SELECT %s, y::int FROM cal ORDER BY i" % col), dtype=float)
        s, y = data[:, 0], data[:, 1]
        # isotonic
        ir = IsotonicRegression(out_of_bounds="clip").fit(s, y)
        cal = json.loads(psql("SELECT calibration_fit(%s, y)::text FROM cal" % col))
        check("%s isotonic points vs X_thresholds_" % col, cal["x"], ir.X_thresholds_, 0)
        check("%s isotonic values vs y_thresholds_" % col, cal["y"], ir.y_thresholds_, 1e-12)
        probe = np.r_[s[:2000], np.linspace(-0.5, 1.5, 401)]
        psql("CREATE TABLE probe_%s AS SELECT ord, x FROM unnest('{%s}'::float8[]) WITH ORDINALITY u(x, ord)"
             % (col, ",".join(repr(float(v)) for v in probe)))
        got = np.array(copy_out("SELECT calibrate(c, x)::float8 FROM probe_%s, (SELECT calibration_fit(%s, y) AS c FROM cal) f ORDER BY ord"
                                % (col, col)), dtype=float)[:, 0]
        check("%s calibrate (isotonic) vs IsotonicRegression.predict (%d scores, in and off the data)"
              % (col, len(probe)), got, ir.predict(probe), 1e-12)
        # Platt
        a, b = _sigmoid_calibration(s, y)
        pl = json.loads(psql("SELECT calibration_fit(%s, y, 'platt')::text FROM cal" % col))
        check("%s Platt A vs _sigmoid_calibration" % col, pl["a"], a, 1e-6)
        check("%s Platt B vs _sigmoid_calibration" % col, pl["b"], b, 1e-6)
        got = np.array(copy_out("SELECT calibrate(c, x)::float8 FROM probe_%s, (SELECT calibration_fit(%s, y, 'platt') AS c FROM cal) f ORDER BY ord"
                                % (col, col)), dtype=float)[:, 0]
        check("%s calibrate (Platt) vs 1 / (1 + exp(a s + b))" % col, got,
              1 / (1 + np.exp(pl["a"] * probe + pl["b"])), 1e-15)
        # calibration_curve, on the raw score and on the calibrated one
        for expr, p in ((col, s), ("calibrate(c, %s)::float8" % col, ir.predict(s))):
            for strategy, bins in (("uniform", 10), ("uniform", 7), ("quantile", 10), ("quantile", 4)):
                frac, mean = calibration_curve(y, p, n_bins=bins, strategy=strategy)
                rows = np.array(copy_out(
                    "SELECT t.mean_predicted, t.fraction_positive FROM (SELECT lift_agg(%s, y) AS l FROM cal, "
                    "(SELECT calibration_fit(%s, y) AS c FROM cal) f) x, calibration_table(l, %d, '%s') t ORDER BY bin"
                    % (expr, col, bins, strategy)), dtype=float).reshape(-1, 2)
                check("%s calibration_table(%s, %d, %s) vs calibration_curve: mean predicted"
                      % (col, expr.split("(")[0], bins, strategy), rows[:, 0], mean, 1e-12)
                check("%s calibration_table(%s, %d, %s) vs calibration_curve: fraction positive"
                      % (col, expr.split("(")[0], bins, strategy), rows[:, 1], frac, 1e-15)

    # uplift: a campaign with an effect where x > 0; a continuous and a tied score
    psql("""SELECT setseed(0.42);
         CREATE TABLE up AS
         SELECT i, t, x + 0.4 * n AS s, round((x + 0.4 * n)::numeric, 1)::float8 AS s1,
                random() < 0.15 + CASE WHEN t AND x > 0 THEN 0.15 WHEN t THEN -0.05 ELSE 0 END AS y
         FROM (SELECT i, random() < 0.4 AS t, random() - 0.5 AS x, random() AS n FROM generate_series(1, 30000) i) z""")
    for col in ("s", "s1"):
        data = np.array(copy_out("SELECT %s, t::int, y::int FROM up ORDER BY i" % col), dtype=float)
        s, t, y = data[:, 0], data[:, 1].astype(int), data[:, 2].astype(int)
        got = psql("SELECT qini_coefficient(u), uplift_auc(u) FROM (SELECT uplift_agg(%s, t, y) AS u FROM up) x" % col).strip().split("|")
        check("%s qini_coefficient vs qini_auc_score" % col, float(got[0]), qini_auc_score(y, s, t), 1e-12)
        check("%s uplift_auc vs uplift_auc_score" % col, float(got[1]), uplift_auc_score(y, s, t), 1e-12)
        if col == "s":  # distinct scores: the top k is one set of rows
            for strategy in ("overall", "by_group"):
                ks = (0.05, 0.1, 0.3, 0.5, 0.9)
                got = [float(psql("SELECT uplift_at_k(uplift_agg(s, t, y), %r, '%s') FROM up" % (k, strategy)))
                       for k in ks]
                check("uplift_at_k(%s) vs uplift_at_k for k in %s" % (strategy, ks), got,
                      [uplift_at_k(y, s, t, strategy, k) for k in ks], 1e-12)
    psql("DROP DATABASE %s" % DB, db="postgres")
    print("# %d comparison(s) failed" % failures if failures else "# all comparisons agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
