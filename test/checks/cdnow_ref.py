"""Independent reference for test/checks/cdnow.sh: maximum-likelihood BG/NBD
and Gamma-Gamma fits of the CDNOW calibration summary with SciPy, on the
likelihoods as Fader, Hardie and Lee write them (lifetimes uses the same).
Usage: /usr/bin/python3 cdnow_ref.py <cdnow data directory>"""
import sys

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

d = np.loadtxt(sys.argv[1] + "/cdnow_customers_summary_with_transactions.csv",
               delimiter=",", skiprows=1)
x, tx, T, zbar = d[:, 1], d[:, 2], d[:, 3], d[:, 4]


def bg_nll(lp):
    r, al, a, b = np.exp(lp)
    a12 = (gammaln(r + x) - gammaln(r) + r * np.log(al)
           + gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x))
    a3 = -(r + x) * np.log(al + T)
    a4 = np.where(x > 0, np.log(a) - np.log(b + np.maximum(x, 1) - 1)
                  - (r + x) * np.log(al + tx), -np.inf)
    return -np.sum(a12 + np.logaddexp(a3, a4))


m = x > 0
xx, mm = x[m], zbar[m]


def gg_nll(lp):
    p, q, v = np.exp(lp)
    return -np.sum(gammaln(p * xx + q) - gammaln(p * xx) - gammaln(q) + q * np.log(v)
                   + (p * xx - 1) * np.log(mm) + p * xx * np.log(xx)
                   - (p * xx + q) * np.log(xx * mm + v))


def fit(f, k):
    opts = dict(xatol=1e-11, fatol=1e-11, maxiter=40000, maxfev=80000)
    res = minimize(f, np.zeros(k), method="Nelder-Mead", options=opts)
    res = minimize(f, res.x, method="Nelder-Mead", options=opts)
    return np.exp(res.x), -res.fun


bg, bg_ll = fit(bg_nll, 4)
gg, gg_ll = fit(gg_nll, 3)
print("bgnbd_full %r %r %r %r %r" % (*bg, bg_ll))
print("gg_full %r %r %r %r" % (*gg, gg_ll))
