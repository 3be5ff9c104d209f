#!/usr/bin/python3
"""Compare b2btarget's logistic_fit, predict and evaluation aggregates with
statsmodels and scikit-learn.

    propensity_reference.py generated   100,000 generated rows, 8 features
    propensity_reference.py data DIR    the labelled sets in DIR (../shared/data)

Talks to the server through psql (PGHOST/PGPORT/PGUSER from the caller) in
a database of its own.  Prints one line per comparison; exits 1 on any
mismatch.

Tolerances (issue 4): coefficients and standard errors 1e-6 relative, the
log-likelihood 1e-8 relative, AUC equal to roc_auc_score within 1e-12.
"""
import csv
import warnings
import gzip
import io
import json
import os
import subprocess
import sys

import numpy as np
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

PSQL = os.path.join(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"), "psql")
DB = "b2b_propensity_ref"
# statsmodels and sklearn warn when asked for more precision than a double
# gives; their answers are still compared below.
warnings.simplefilter("ignore")
failures = 0


def psql(sql, db=DB, stdin=None):
    r = subprocess.run([PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                       input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit("psql failed: " + sql[:200])
    return r.stdout


def copy_out(query):
    out = psql("COPY (%s) TO STDOUT WITH (FORMAT csv)" % query)
    return list(csv.reader(io.StringIO(out)))


def check(name, got, want, tol, rel=True):
    global failures
    got = np.atleast_1d(np.asarray(got, dtype=float))
    want = np.atleast_1d(np.asarray(want, dtype=float))
    if rel:
        err = np.max(np.abs(got - want) / np.maximum(np.abs(want), 1e-300))
    else:
        err = np.max(np.abs(got - want))
    ok = got.shape == want.shape and err <= tol
    if not ok:
        failures += 1
    print("%s - %s: max %s error %.3g (tolerance %g)"
          % ("ok" if ok else "not ok", name, "relative" if rel else "absolute", err, tol))


def setup_db():
    psql("DROP DATABASE IF EXISTS %s" % DB, db="postgres")
    psql("CREATE DATABASE %s" % DB, db="postgres")
    psql("CREATE EXTENSION b2btarget")


def compare_fit(table, label, features, tag):
    """logistic_fit vs statsmodels Logit on table(label, features...)."""
    arr = "ARRAY[%s]::float8[]" % ", ".join(features)
    model = json.loads(psql("SELECT logistic_fit(%s, %s)::text FROM %s" % (label, arr, table)))
    rows = copy_out("SELECT %s::int, %s FROM %s WHERE %s IS NOT NULL AND %s"
                    % (label, ", ".join(features), table, label,
                       " AND ".join("%s IS NOT NULL" % f for f in features)))
    data = np.array(rows, dtype=float)
    y, X = data[:, 0], sm.add_constant(data[:, 1:], has_constant="add")
    ref = sm.Logit(y, X).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    print("# %s: %d rows used, %d skipped, %d iterations" %
          (tag, model["rows_used"], model["rows_skipped"], model["iterations"]))
    check(tag + " rows used", model["rows_used"], len(y), 0, rel=False)
    check(tag + " coefficients vs statsmodels", model["coefficients"], ref.params, 1e-6)
    check(tag + " standard errors vs statsmodels", model["std_errors"], ref.bse, 1e-6)
    check(tag + " log-likelihood vs statsmodels", model["log_likelihood"], ref.llf, 1e-8)
    summ = psql("SELECT aic FROM model_summary('%s'::propensity_model)" % json.dumps(model))
    check(tag + " AIC vs statsmodels", float(summ), ref.aic, 1e-8)
    coefs = copy_out("SELECT z, p_value FROM model_coefficients('%s'::propensity_model)" % json.dumps(model))
    zp = np.array(coefs, dtype=float)
    check(tag + " z vs statsmodels", zp[:, 0], ref.tvalues, 1e-6)
    check(tag + " p-values vs statsmodels", zp[:, 1], ref.pvalues, 1e-6, rel=False)

    # predictions, and the evaluation aggregates on them
    psql("CREATE TABLE %s_scored AS SELECT %s AS label, predict('%s'::propensity_model, %s)::float8 AS score FROM %s WHERE %s IS NOT NULL"
         % (table, label, json.dumps(model), arr, table, label))
    sc = np.array(copy_out("SELECT label::int, score FROM %s_scored WHERE score IS NOT NULL" % table), dtype=float)
    # predict against numpy with the same coefficients (a check of predict
    # itself: the coefficients were compared above)
    eta = X @ np.asarray(model["coefficients"])
    check(tag + " predict vs numpy", sc[:, 1], 1 / (1 + np.exp(-eta)), 1e-12)
    got = psql("SELECT auc_agg(score, label), log_loss_agg(score, label), brier_agg(score, label) FROM %s_scored"
               % table).strip().split("|")
    check(tag + " auc_agg vs roc_auc_score", float(got[0]), roc_auc_score(sc[:, 0], sc[:, 1]), 1e-12, rel=False)
    check(tag + " log_loss_agg vs log_loss", float(got[1]), log_loss(sc[:, 0], sc[:, 1]), 1e-12)
    check(tag + " brier_agg vs brier_score_loss", float(got[2]), brier_score_loss(sc[:, 0], sc[:, 1]), 1e-12)
    return model, X, y


def compare_auc_ties(table, score_expr, label, tag):
    rows = np.array(copy_out("SELECT %s::int, (%s)::float8 FROM %s WHERE %s IS NOT NULL AND (%s) IS NOT NULL"
                             % (label, score_expr, table, label, score_expr)), dtype=float)
    got = float(psql("SELECT auc_agg((%s)::float8, %s) FROM %s" % (score_expr, label, table)))
    check(tag + " auc_agg with ties vs roc_auc_score", got, roc_auc_score(rows[:, 0], rows[:, 1]), 1e-12, rel=False)
    got = float(psql("SELECT auc(lift_agg((%s)::float8, %s)) FROM %s" % (score_expr, label, table)))
    check(tag + " auc(lift_agg) with ties vs roc_auc_score", got, roc_auc_score(rows[:, 0], rows[:, 1]), 1e-12, rel=False)


def compare_l2(table, label, features, l2, tag):
    arr = "ARRAY[%s]::float8[]" % ", ".join(features)
    model = json.loads(psql("SELECT logistic_fit(%s, %s, %r::float8)::text FROM %s" % (label, arr, l2, table)))
    rows = copy_out("SELECT %s::int, %s FROM %s WHERE %s IS NOT NULL AND %s"
                    % (label, ", ".join(features), table, label,
                       " AND ".join("%s IS NOT NULL" % f for f in features)))
    data = np.array(rows, dtype=float)
    # sklearn minimises ||w||^2 / 2 + C * sum(loss), intercept unpenalised:
    # the same optimum as sum(loss) + l2/2 ||w||^2 with C = 1 / l2.
    ref = LogisticRegression(C=1.0 / l2, solver="newton-cholesky", tol=1e-14, max_iter=1000)
    ref.fit(data[:, 1:], data[:, 0])
    want = np.concatenate([ref.intercept_, ref.coef_[0]])
    check(tag + " l2=%g coefficients vs sklearn LogisticRegression(C=1/l2)" % l2, model["coefficients"], want, 1e-6)


def generated():
    setup_db()
    # 100,000 rows, 8 features of different scales and kinds, known
    # coefficients; 1% of rows have a NULL feature and are skipped.
    psql("""
    SELECT setseed(0.4242);
    CREATE TABLE gen AS
    SELECT i, x1, x2, x3, x4, x5, x6, x7, x8,
           random() < 1 / (1 + exp(-(-1.2 + 0.8 * x1 - 0.5 * x2 + 0.002 * x3 + 1.1 * x4
                                     - 0.3 * x5 + 0.05 * x6 + 0.0 * x7 + 0.9 * x8))) AS y
    FROM (SELECT i,
                 sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS x1,
                 random() * 4 - 2 AS x2,
                 CASE WHEN i %% 100 = 7 THEN NULL ELSE floor(random() * 500) END AS x3,
                 (random() < 0.3)::int::float8 AS x4,
                 -ln(1 - random()) AS x5,
                 floor(random() * 20) AS x6,
                 random() AS x7,
                 (random() < 0.5)::int * random() AS x8
          FROM generate_series(1, 100000) i) s;
    """.replace("%%", "%"))
    feats = ["x%d" % i for i in range(1, 9)]
    compare_fit("gen", "y", feats, "generated")
    compare_auc_ties("gen", "floor(x1 * 3)", "y", "generated")
    compare_l2("gen", "y", feats, 25.0, "generated")
    psql("DROP DATABASE IF EXISTS %s" % DB, db="postgres")


def data(root):
    setup_db()
    bank = os.path.join(root, "bank-marketing", "bank-additional-full.csv.gz")
    if os.path.exists(bank):
        with gzip.open(bank, "rt") as f:
            r = csv.reader(f, delimiter=";")
            head = next(r)
            want = ["age", "duration", "campaign", "pdays", "previous", "emp.var.rate",
                    "cons.price.idx", "cons.conf.idx", "euribor3m", "nr.employed"]
            idx = [head.index(c) for c in want]
            yi = head.index("y")
            buf = io.StringIO()
            w = csv.writer(buf)
            for row in r:
                w.writerow([row[yi] == "yes"] + [row[i] for i in idx])
        cols = ["f%d" % i for i in range(len(want))]
        psql("CREATE TABLE bank (y boolean, %s)" % ", ".join(c + " float8" for c in cols))
        psql("COPY bank FROM STDIN WITH (FORMAT csv)", stdin=buf.getvalue())
        compare_fit("bank", "y", cols, "bank-marketing")
        compare_auc_ties("bank", "f0", "y", "bank-marketing age")
        compare_l2("bank", "y", cols, 1.0, "bank-marketing")
    leads = os.path.join(root, "lead-scoring-x-education", "Leads.csv")
    if os.path.exists(leads):
        with open(leads, newline="") as f:
            r = csv.reader(f)
            head = next(r)
            num = ["TotalVisits", "Total Time Spent on Website", "Page Views Per Visit"]
            yn = ["Do Not Email", "A free copy of Mastering The Interview"]
            idx = [head.index(c) for c in num]
            ynidx = [head.index(c) for c in yn]
            yi = head.index("Converted")
            buf = io.StringIO()
            w = csv.writer(buf)
            for row in r:
                w.writerow([row[yi] == "1"] + [row[i] for i in idx] +
                           [{"Yes": "1", "No": "0"}.get(row[i], "") for i in ynidx])
        cols = ["f%d" % i for i in range(len(num) + len(yn))]
        psql("CREATE TABLE leads (y boolean, %s)" % ", ".join(c + " float8" for c in cols))
        psql("COPY leads FROM STDIN WITH (FORMAT csv)", stdin=buf.getvalue())
        compare_fit("leads", "y", cols, "lead-scoring")
        compare_auc_ties("leads", "f0", "y", "lead-scoring visits")
    psql("DROP DATABASE IF EXISTS %s" % DB, db="postgres")


if __name__ == "__main__":
    if sys.argv[1] == "generated":
        generated()
    else:
        data(sys.argv[2])
    print("%d comparisons failed" % failures)
    sys.exit(1 if failures else 0)
