#!/usr/bin/python3
"""Compare b2btarget's kmeans_fit and kmeans_train with scikit-learn's KMeans
(Lloyd, n_init=1, tol=0, the same initial centroids) on generated data.

For each data set, scale none and zscore (StandardScaler, population sd, on
the sklearn side): the assignment of every row (cluster_of against
labels_), the centroids (relative 1e-9, in the input's units), the
objective against inertia_ (relative 1e-9) and the iterations against
n_iter_.  Talks to the server through psql in a database of its own;
prints one line per comparison; exits 1 on any mismatch.
"""
import csv
import io
import os
import subprocess
import sys
import warnings

import numpy as np
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

PSQL = os.path.join(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"), "psql")
DB = "b2b_kmeans_ref"
warnings.simplefilter("ignore")
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


def check(name, ok, detail=""):
    global failures
    print("%s - %s %s" % ("ok" if ok else "not ok", name, detail))
    if not ok:
        failures += 1


def parr(s):
    return [float(v) for v in s.strip("{}").split(",")]


def arr_sql(a):
    return "ARRAY[%s]::float8[]" % ", ".join("[%s]" % ", ".join(repr(float(v)) for v in r) for r in a)


def compare(tag, X, init, scale, table):
    init_sql = arr_sql(init)
    if scale == "zscore":
        sc = StandardScaler().fit(X)
        Xs, init_s = sc.transform(X), sc.transform(init)
    else:
        Xs, init_s = X, init
    km = KMeans(n_clusters=len(init), init=init_s, n_init=1, max_iter=300, tol=0,
                algorithm="lloyd").fit(Xs)
    centers = sc.inverse_transform(km.cluster_centers_) if scale == "zscore" else km.cluster_centers_
    for form, expr in (("kmeans_fit", "(SELECT kmeans_fit(f, %s, '%s') FROM %s)" % (init_sql, scale, table)),
                       ("kmeans_train", "kmeans_train('%s', 'f', %s, '%s')" % (table, init_sql, scale))):
        name = "%s %s %s" % (tag, scale, form)
        psql("DROP TABLE IF EXISTS km_model; CREATE TABLE km_model AS SELECT %s AS m" % expr)
        summ = rows("SELECT (kmeans_summary(m)).* FROM km_model")[0]
        cent = rows("SELECT cluster, members, centroid FROM km_model, kmeans_centroids(m) ORDER BY cluster")
        lab = rows("SELECT id, cluster_of(m, f) FROM %s, km_model ORDER BY id" % table)
        labels = np.array([int(r[1]) - 1 for r in lab])
        check(name + ": same assignment", np.array_equal(labels, km.labels_),
              "(%d rows differ)" % int(np.sum(labels != km.labels_)))
        C = np.array([parr(r[2]) for r in cent])
        err = np.max(np.abs(C - centers) / np.maximum(np.abs(centers), 1e-300))
        check(name + ": centroids", err <= 1e-9, "(max relative error %.2e)" % err)
        members = np.array([int(r[1]) for r in cent])
        check(name + ": members", np.array_equal(members, np.bincount(km.labels_, minlength=len(init))))
        obj = float(summ[5])
        rel = abs(obj - km.inertia_) / km.inertia_
        check(name + ": objective", rel <= 1e-9, "(%.17g vs inertia %.17g, rel %.1e)" % (obj, km.inertia_, rel))
        check(name + ": iterations", int(summ[3]) == km.n_iter_ and summ[4] == "t",
              "(%s vs n_iter_ %d, converged %s)" % (summ[3], km.n_iter_, summ[4]))


def load(table, X):
    psql("DROP TABLE IF EXISTS %s; CREATE TABLE %s (id integer, f float8[])" % (table, table))
    buf = io.StringIO()
    for i, r in enumerate(X):
        buf.write("%d\t{%s}\n" % (i, ",".join(repr(float(v)) for v in r)))
    psql("COPY %s FROM STDIN" % table, stdin=buf.getvalue())


def main():
    subprocess.run([PSQL, "-X", "-q", "-d", "postgres", "-c", "DROP DATABASE IF EXISTS " + DB], check=True)
    subprocess.run([PSQL, "-X", "-q", "-d", "postgres", "-c", "CREATE DATABASE " + DB], check=True)
    psql("CREATE EXTENSION b2btarget")
    rng = np.random.default_rng(16)
    # 1. six overlapping groups in 5 features of different units (several passes)
    n, d, k = 20000, 5, 6
    centres = rng.normal(0, 3, size=(k, d))
    X = centres[rng.integers(0, k, n)] + rng.normal(0, 1.6, size=(n, d))
    X = X * np.array([1000, 1, 0.01, 50, 3]) + np.array([5e4, 10, 0.5, 0, -7])
    load("km_ref_a", X)
    init = X[rng.choice(n, k, replace=False)]
    compare("overlapping", X, init, "none", "km_ref_a")
    compare("overlapping", X, init, "zscore", "km_ref_a")
    # 2. uniform noise in 3 features, k = 8 (no structure: many passes)
    X2 = rng.uniform(-1, 1, size=(8000, 3))
    load("km_ref_b", X2)
    init2 = X2[rng.choice(8000, 8, replace=False)]
    compare("uniform", X2, init2, "none", "km_ref_b")
    compare("uniform", X2, init2, "zscore", "km_ref_b")
    subprocess.run([PSQL, "-X", "-q", "-d", "postgres", "-c", "DROP DATABASE " + DB], check=True)
    print("%d failures" % failures)
    sys.exit(1 if failures else 0)


main()
