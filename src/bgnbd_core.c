/*
 * bgnbd_core.c — BG/NBD and Gamma-Gamma: likelihoods with analytic
 * gradients, a BFGS optimiser over log-parameters, predictions, 2F1, and
 * the checks and JSON text form of the stored models.
 * Plain C: unit-tested under ASan/UBSan in test/unit/test_bgnbd.c.
 */
#include "bgnbd_core.h"

#include <inttypes.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interrupt_core.h"
#include "json_core.h"

/* ---------------------------------------------------------------------
 * Special functions
 * ------------------------------------------------------------------- */

double
b2b_digamma(double x)
{
	double		acc = 0.0;
	double		inv,
				inv2;

	if (!(x > 0.0) || isinf(x))
		return isinf(x) && x > 0 ? x : NAN;
	/* recurrence up to where the asymptotic series is accurate */
	while (x < 10.0)
	{
		acc -= 1.0 / x;
		x += 1.0;
	}
	inv = 1.0 / x;
	inv2 = inv * inv;
	return acc + log(x) - 0.5 * inv
		- inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760))))));
}

/*
 * Power series of 2F1 with positive terms (a, b, c > 0, 0 <= z < 1),
 * rescaled as it grows so that huge values do not overflow.  Returns the
 * log of the sum, or NaN when the series has not converged.
 */
static double
hyp2f1_series_log(double a, double b, double c, double z)
{
	double		term = 1.0,
				sum = 1.0,
				comp = 0.0,
				logscale = 0.0;
	long		k;
	const long	kmax = 20000000;

	if (z == 0.0)
		return 0.0;
	for (k = 0; k < kmax; k++)
	{
		double		ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
		double		y,
					t;

		if ((k & 4095) == 0)
			B2B_CORE_CHECK_INTERRUPTS();
		/* an infinite or NaN term ratio: the sum cannot be computed */
		if (!isfinite(ratio))
			return NAN;
		term *= ratio;
		/* Kahan summation: long series near z = 1 */
		y = term - comp;
		t = sum + y;
		comp = (t - sum) - y;
		sum = t;
		if (sum > 1e250)
		{
			sum *= 1e-250;
			term *= 1e-250;
			comp *= 1e-250;
			logscale += 250.0 * M_LN10;
		}
		/*
		 * Once the term ratio is below one and falling towards z, the tail is
		 * at most term * ratio / (1 - ratio).
		 */
		if (ratio < 1.0 && k > 2 &&
			term * ratio / (1.0 - ratio) < 1e-17 * sum)
		{
			double		next = (a + k + 1) * (b + k + 1) / ((c + k + 1) * (k + 2.0)) * z;

			if (next <= ratio || term * next / (1.0 - next) < 1e-17 * sum)
				return log(sum) + logscale;
		}
	}
	return NAN;
}

double
b2b_log_hyp2f1(double a, double b, double c, double z)
{
	if (!(a > 0 && b > 0 && c > 0 && z >= 0 && z < 1) ||
		!isfinite(a) || !isfinite(b) || !isfinite(c))
		return NAN;

	/*
	 * Euler's transformation 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a,c-b;c;z)
	 * keeps the terms positive when c > a and c > b, and makes them decay
	 * like n^(c-a-b-1) instead of n^(a+b-c-1): use it when that is faster.
	 */
	if (c - a > 0 && c - b > 0 && c - a - b < 0)
		return (c - a - b) * log1p(-z) + hyp2f1_series_log(c - a, c - b, c, z);
	return hyp2f1_series_log(a, b, c, z);
}

double
b2b_hyp2f1(double a, double b, double c, double z)
{
	return exp(b2b_log_hyp2f1(a, b, c, z));
}

static double
lbeta(double x, double y)
{
	return lgamma(x) + lgamma(y) - lgamma(x + y);
}

/* log(exp(u) + exp(v)) */
static double
logaddexp(double u, double v)
{
	double		m = u > v ? u : v;

	if (isinf(m) && m < 0)
		return m;
	return m + log(exp(u - m) + exp(v - m));
}

/* ---------------------------------------------------------------------
 * Input checks
 * ------------------------------------------------------------------- */

const char *
bgnbd_check_obs(double x, double tx, double T)
{
	if (!isfinite(x) || !isfinite(tx) || !isfinite(T))
		return "frequency, recency and T must be finite";
	if (x < 0 || tx < 0 || T < 0)
		return "frequency, recency and T must not be negative";
	if (x != floor(x))
		return "frequency must be a whole number of repeat purchases";
	if (x > 1e9)
		return "frequency is too large";
	if (tx > T)
		return "recency must not exceed T";
	if (x > 0 && tx == 0)
		return "recency must be positive when frequency is positive";
	if (x == 0 && tx != 0)
		return "recency must be 0 when frequency is 0";
	return NULL;
}

static bool
pos_finite(double v)
{
	return isfinite(v) && v > 0;
}

const char *
bgnbd_check_params(const bgnbd_params *p)
{
	if (!pos_finite(p->r) || !pos_finite(p->alpha) || !pos_finite(p->a) || !pos_finite(p->b))
		return "r, alpha, a and b must be positive and finite";
	return NULL;
}

const char *
gg_check_obs(double x, double m)
{
	if (!isfinite(x) || !isfinite(m))
		return "frequency and monetary value must be finite";
	if (x < 0 || x != floor(x) || x > 1e9)
		return "frequency must be a whole number of repeat purchases";
	if (x > 0 && !(m > 0))
		return "monetary value must be positive";
	return NULL;
}

const char *
gg_check_params(const gg_params *p)
{
	if (!pos_finite(p->p) || !pos_finite(p->q) || !pos_finite(p->v))
		return "p, q and v must be positive and finite";
	return NULL;
}

/* ---------------------------------------------------------------------
 * BFGS over log-parameters
 * ------------------------------------------------------------------- */

#define OPT_MAXDIM 4
#define OPT_MAXITER 1000
#define OPT_GTOL 1e-10
#define OPT_BOUND 30.0			/* |log param| the optimiser never goes past */

/*
 * A fit whose (time- or spend-scaled) parameters end beyond e^10 or below
 * e^-10 is running off to a boundary of the parameter space (no drop-out,
 * no heterogeneity): the likelihood is flat there and the gradient small,
 * but the data do not identify the model, so it is not reported converged.
 */
#define DEGENERATE_LOG 10.0

/* objective and gradient at theta (log params); +inf when undefined */
typedef double (*opt_fn) (const double *theta, double *grad, void *ctx);

static double
vmaxabs(const double *v, int k)
{
	double		m = 0;
	int			i;

	for (i = 0; i < k; i++)
		if (fabs(v[i]) > m)
			m = fabs(v[i]);
	return m;
}

static void
set_identity(double H[OPT_MAXDIM][OPT_MAXDIM], int k, double scale)
{
	int			i,
				j;

	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++)
			H[i][j] = (i == j) ? scale : 0.0;
}

/*
 * Minimise fn from theta (changed in place).  Returns the objective;
 * *iters and *gnorm report the work done and the final gradient.
 */
static double
bfgs(opt_fn fn, void *ctx, int k, double *theta, int *iters, double *gnorm)
{
	double		H[OPT_MAXDIM][OPT_MAXDIM];
	double		g[OPT_MAXDIM],
				gn[OPT_MAXDIM],
				d[OPT_MAXDIM],
				tn[OPT_MAXDIM],
				s[OPT_MAXDIM],
				y[OPT_MAXDIM],
				Hy[OPT_MAXDIM];
	double		f,
				fn_;
	int			it,
				i,
				j,
				stalls = 0;
	bool		fresh = true;

	set_identity(H, k, 1.0);
	f = fn(theta, g, ctx);
	*iters = 0;
	if (!isfinite(f))
	{
		*gnorm = INFINITY;
		return f;
	}
	for (it = 0; it < OPT_MAXITER; it++)
	{
		double		gd = 0,
					step = 1.0,
					dmax,
					sy = 0,
					yHy = 0;
		int			ls;
		bool		accepted = false;

		B2B_CORE_CHECK_INTERRUPTS();
		if (vmaxabs(g, k) < OPT_GTOL)
			break;
		for (i = 0; i < k; i++)
		{
			d[i] = 0;
			for (j = 0; j < k; j++)
				d[i] -= H[i][j] * g[j];
			gd += d[i] * g[i];
		}
		if (!(gd < 0))
		{
			/* not a descent direction: restart from steepest descent */
			set_identity(H, k, 1.0);
			fresh = true;
			for (i = 0; i < k; i++)
				d[i] = -g[i];
			gd = 0;
			for (i = 0; i < k; i++)
				gd -= g[i] * g[i];
		}
		/* never move a log-parameter by more than 3 in one step */
		dmax = vmaxabs(d, k);
		if (dmax > 3.0)
			step = 3.0 / dmax;

		/* backtracking line search with the Armijo condition */
		for (ls = 0; ls < 60; ls++)
		{
			bool		inside = true;

			for (i = 0; i < k; i++)
			{
				tn[i] = theta[i] + step * d[i];
				if (fabs(tn[i]) > OPT_BOUND)
					inside = false;
			}
			B2B_CORE_CHECK_INTERRUPTS();
			if (inside)
			{
				fn_ = fn(tn, gn, ctx);
				if (isfinite(fn_) && fn_ <= f + 1e-4 * step * gd)
				{
					accepted = true;
					break;
				}
			}
			step *= 0.5;
		}
		if (!accepted)
		{
			if (!fresh)
			{
				set_identity(H, k, 1.0);
				fresh = true;
				continue;
			}
			break;
		}
		(*iters)++;
		for (i = 0; i < k; i++)
		{
			s[i] = tn[i] - theta[i];
			y[i] = gn[i] - g[i];
			sy += s[i] * y[i];
		}
		if (f - fn_ <= 1e-16 * fabs(f))
			stalls++;
		else
			stalls = 0;
		memcpy(theta, tn, sizeof(double) * k);
		memcpy(g, gn, sizeof(double) * k);
		f = fn_;
		if (stalls >= 3)
			break;

		/* BFGS update of the inverse Hessian, skipped when curvature fails */
		if (sy > 1e-300)
		{
			double		yy = 0;

			if (fresh)
			{
				for (i = 0; i < k; i++)
					yy += y[i] * y[i];
				set_identity(H, k, sy / yy);
				fresh = false;
			}
			for (i = 0; i < k; i++)
			{
				Hy[i] = 0;
				for (j = 0; j < k; j++)
					Hy[i] += H[i][j] * y[j];
				yHy += y[i] * Hy[i];
			}
			for (i = 0; i < k; i++)
				for (j = 0; j < k; j++)
					H[i][j] += ((sy + yHy) * s[i] * s[j]) / (sy * sy)
						- (Hy[i] * s[j] + s[i] * Hy[j]) / sy;
		}
	}
	*gnorm = vmaxabs(g, k);
	return f;
}

/*
 * Minimise fn from each start in turn (starts: nstarts rows of k parameters,
 * taken as logs), stopping early once two runs agree on the optimum: these
 * likelihoods are not globally concave, so one start is not enough.  Returns
 * the best objective (INFINITY when no run ended finite) with its point,
 * gradient norm, and the iterations of all runs.
 */
static double
multistart_bfgs(opt_fn fn, void *ctx, int k, const double *starts, int nstarts,
				double *best_theta, double *best_g, int *total_iters)
{
	double		best = INFINITY;
	int			agree = 0,
				s,
				j;

	*best_g = INFINITY;
	*total_iters = 0;
	if (k > 8)
		return INFINITY;
	for (s = 0; s < nstarts; s++)
	{
		double		th[8],
					f,
					gn;
		int			it;

		for (j = 0; j < k; j++)
			th[j] = log(starts[s * k + j]);
		f = bfgs(fn, ctx, k, th, &it, &gn);
		*total_iters += it;
		if (!isfinite(f))
			continue;
		if (isfinite(best) && fabs(f - best) <= 1e-10 * fmax(1.0, fabs(best)))
			agree++;
		if (f < best)
		{
			best = f;
			*best_g = gn;
			memcpy(best_theta, th, sizeof(double) * k);
		}
		if (agree >= 1)
			break;
	}
	return best;
}

/* ---------------------------------------------------------------------
 * BG/NBD
 * ------------------------------------------------------------------- */

double
bgnbd_loglik1(const bgnbd_params *p, double x, double tx, double T, double grad[4])
{
	double		r = p->r,
				al = p->alpha,
				a = p->a,
				b = p->b;
	double		A12,
				A3,
				A4,
				D;

	A12 = lgamma(r + x) - lgamma(r) + r * log(al)
		+ lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
	A3 = -(r + x) * log(al + T);
	A4 = x > 0 ? log(a) - log(b + x - 1) - (r + x) * log(al + tx) : -INFINITY;
	D = logaddexp(A3, A4);
	if (grad)
	{
		double		w3 = exp(A3 - D);
		double		w4 = x > 0 ? exp(A4 - D) : 0.0;
		double		psab = b2b_digamma(a + b),
					psabx = b2b_digamma(a + b + x);

		grad[0] = r * (b2b_digamma(r + x) - b2b_digamma(r) + log(al)
					   - w3 * log(al + T) - (x > 0 ? w4 * log(al + tx) : 0.0));
		grad[1] = al * (r / al - w3 * (r + x) / (al + T)
						- (x > 0 ? w4 * (r + x) / (al + tx) : 0.0));
		grad[2] = a * (psab - psabx + (x > 0 ? w4 / a : 0.0));
		grad[3] = b * (psab + b2b_digamma(b + x) - b2b_digamma(b) - psabx
					   - (x > 0 ? w4 / (b + x - 1) : 0.0));
	}
	return A12 + D;
}

typedef struct bg_ctx
{
	const bgnbd_obs *obs;		/* sorted by x */
	size_t		nobs;
	double		ntotal;
	double		scale;			/* time multiplier */
	double		l2;
	/*
	 * Recency and T take few distinct values (whole days, or weeks to 2
	 * dp), so log(alpha + t) and 1 / (alpha + t) are computed once per
	 * distinct time per evaluation, not once per history.
	 */
	const double *times;		/* distinct scaled times, ascending */
	size_t		ntimes;
	const unsigned *itx;		/* per history: index of its recency */
	const unsigned *iT;			/* per history: index of its T */
	double	   *lg;				/* work: log(alpha + times[u]) */
	double	   *inv;			/* work: 1 / (alpha + times[u]) */
} bg_ctx;

/*
 * Negative mean log-likelihood on scaled times, plus the l2 penalty.  The
 * x-only terms (lgamma, digamma) are computed once per run of equal x.
 */
static double
bg_objective(const double *theta, double *grad, void *vctx)
{
	bg_ctx	   *ctx = (bg_ctx *) vctx;
	double		r = exp(theta[0]),
				al = exp(theta[1]),
				a = exp(theta[2]),
				b = exp(theta[3]);
	double		ll = 0,
				g0 = 0,
				g1 = 0,
				g2 = 0,
				g3 = 0;
	double		base_l = 0,
				base_gr = 0,
				base_ga = 0,
				base_gb = 0,
				base_a4 = 0,
				inv_bx1 = 0,
				lnal = log(al),
				lna = log(a),
				psab = b2b_digamma(a + b),
				lgab = lgamma(a + b),
				lgr = lgamma(r),
				lgb = lgamma(b),
				psr = b2b_digamma(r),
				psb = b2b_digamma(b);
	double		curx = -1;
	size_t		i,
				u;

	for (u = 0; u < ctx->ntimes; u++)
	{
		ctx->lg[u] = log(al + ctx->times[u]);
		ctx->inv[u] = 1.0 / (al + ctx->times[u]);
	}
	for (i = 0; i < ctx->nobs; i++)
	{
		const bgnbd_obs *o = &ctx->obs[i];
		double		x = o->x,
					n = o->n,
					rx = r + x;
		double		lat = ctx->lg[ctx->iT[i]],
					A3 = -rx * lat;

		if ((i & 4095) == 4095)
			B2B_CORE_CHECK_INTERRUPTS();

		if (x != curx)
		{
			double		psabx = b2b_digamma(a + b + x);

			curx = x;
			base_l = lgamma(r + x) - lgr + r * lnal
				+ lgab + lgamma(b + x) - lgb - lgamma(a + b + x);
			base_gr = b2b_digamma(r + x) - psr + lnal;
			base_ga = psab - psabx;
			base_gb = psab + b2b_digamma(b + x) - psb - psabx;
			if (x > 0)
			{
				base_a4 = lna - log(b + x - 1);
				inv_bx1 = 1.0 / (b + x - 1);
			}
		}
		if (x > 0)
		{
			double		latx = ctx->lg[ctx->itx[i]],
						A4 = base_a4 - rx * latx,
						d = A4 - A3,
						e = exp(-fabs(d)),
						w4 = d > 0 ? 1.0 / (1.0 + e) : e / (1.0 + e),
						w3 = 1.0 - w4;

			ll += n * (base_l + (d > 0 ? A4 : A3) + log1p(e));
			if (grad)
			{
				g0 += n * (base_gr - w3 * lat - w4 * latx);
				g1 += n * (r / al - rx * (w3 * ctx->inv[ctx->iT[i]] + w4 * ctx->inv[ctx->itx[i]]));
				g2 += n * (base_ga + w4 / a);
				g3 += n * (base_gb - w4 * inv_bx1);
			}
		}
		else
		{
			ll += n * (base_l + A3);
			if (grad)
			{
				g0 += n * (base_gr - lat);
				g1 += n * (r / al - rx * ctx->inv[ctx->iT[i]]);
				g2 += n * base_ga;
				g3 += n * base_gb;
			}
		}
	}
	if (!isfinite(ll))
		return INFINITY;
	if (grad)
	{
		double		pv[4] = {r, al, a, b},
					g[4] = {g0, g1, g2, g3};
		int			j;

		for (j = 0; j < 4; j++)
		{
			grad[j] = -g[j] * pv[j] / ctx->ntotal + 2.0 * ctx->l2 * pv[j] * pv[j];
			if (!isfinite(grad[j]))
				return INFINITY;
		}
	}
	return -ll / ctx->ntotal + ctx->l2 * (r * r + al * al + a * a + b * b);
}

static int
cmp_double(const void *pa, const void *pb)
{
	double		a = *(const double *) pa,
				b = *(const double *) pb;

	return (a > b) - (a < b);
}

static unsigned
time_index(const double *times, size_t n, double v)
{
	size_t		lo = 0,
				hi = n;

	while (lo < hi)
	{
		size_t		mid = (lo + hi) / 2;

		if (times[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (unsigned) lo;
}

static int
cmp_obs_x(const void *pa, const void *pb)
{
	const bgnbd_obs *a = pa,
			   *b = pb;

	/* a total order, so that the sums do not depend on the input order */
	if (a->x != b->x)
		return (a->x > b->x) - (a->x < b->x);
	if (a->tx != b->tx)
		return (a->tx > b->tx) - (a->tx < b->tx);
	return (a->T > b->T) - (a->T < b->T);
}

static int
cmp_gg_obs(const void *pa, const void *pb)
{
	const gg_obs *a = pa,
			   *b = pb;

	if (a->x != b->x)
		return (a->x > b->x) - (a->x < b->x);
	return (a->m > b->m) - (a->m < b->m);
}

bool
bgnbd_fit(const bgnbd_obs *obs, size_t nobs, double l2,
		  bgnbd_params *out, b2b_fit_info *info)
{
	/* start points (on times scaled so that the largest T is 10) */
	static const double starts[][4] = {
		{1.0, 1.0, 1.0, 1.0},	/* lifetimes' start */
		{0.5, 5.0, 0.5, 3.0},
		{2.0, 0.5, 2.0, 10.0},
		{0.2, 2.0, 0.1, 0.5},
	};
	bgnbd_obs  *sorted;
	double	   *times;
	unsigned   *idx;
	bg_ctx		ctx;
	double		maxT = 0,
				best = INFINITY,
				best_theta[4] = {0, 0, 0, 0},
				best_g = INFINITY;
	int			total_iters = 0;
	size_t		i;

	sorted = b2b_core_alloc(sizeof(bgnbd_obs) * (nobs ? nobs : 1));
	if (!sorted)
		return false;
	memcpy(sorted, obs, sizeof(bgnbd_obs) * nobs);
	b2b_core_sort(sorted, nobs, sizeof(bgnbd_obs), cmp_obs_x);
	ctx.obs = sorted;
	ctx.nobs = nobs;
	ctx.ntotal = 0;
	for (i = 0; i < nobs; i++)
	{
		ctx.ntotal += obs[i].n;
		if (obs[i].T > maxT)
			maxT = obs[i].T;
	}
	ctx.scale = maxT > 0 ? 10.0 / maxT : 1.0;
	ctx.l2 = l2;

	/* the distinct scaled times, and each history's indices into them */
	times = b2b_core_alloc(sizeof(double) * 6 * (nobs ? nobs : 1));
	idx = b2b_core_alloc(sizeof(unsigned) * 2 * (nobs ? nobs : 1));
	if (!times || !idx || nobs > 0x7fffffff)
	{
		b2b_core_free(times);
		b2b_core_free(idx);
		b2b_core_free(sorted);
		return false;
	}
	for (i = 0; i < nobs; i++)
	{
		times[2 * i] = sorted[i].tx * ctx.scale;
		times[2 * i + 1] = sorted[i].T * ctx.scale;
	}
	b2b_core_sort(times, 2 * nobs, sizeof(double), cmp_double);
	ctx.ntimes = 0;
	for (i = 0; i < 2 * nobs; i++)
		if (ctx.ntimes == 0 || times[i] != times[ctx.ntimes - 1])
			times[ctx.ntimes++] = times[i];
	for (i = 0; i < nobs; i++)
	{
		idx[i] = time_index(times, ctx.ntimes, sorted[i].tx * ctx.scale);
		idx[nobs + i] = time_index(times, ctx.ntimes, sorted[i].T * ctx.scale);
	}
	ctx.times = times;
	ctx.itx = idx;
	ctx.iT = idx + nobs;
	ctx.lg = times + 2 * nobs;
	ctx.inv = times + 4 * nobs;

	/*
	 * Run from each start; stop early once two runs agree on the optimum.
	 * The likelihood is not globally concave, so one start is not enough.
	 */
	best = multistart_bfgs(bg_objective, &ctx, 4, &starts[0][0],
						   (int) (sizeof(starts) / sizeof(starts[0])),
						   best_theta, &best_g, &total_iters);
	b2b_core_free(times);
	b2b_core_free(idx);
	if (!isfinite(best))
	{
		b2b_core_free(sorted);
		return false;
	}
	out->r = exp(best_theta[0]);
	out->alpha = exp(best_theta[1]) / ctx.scale;
	out->a = exp(best_theta[2]);
	out->b = exp(best_theta[3]);
	info->objective = best;
	info->grad_norm = best_g;
	info->iterations = total_iters;
	info->converged = best_g < 1e-6;
	for (i = 0; i < 4; i++)
		if (fabs(best_theta[i]) > DEGENERATE_LOG)
			info->converged = false;
	/* the log-likelihood on the caller's time unit */
	info->loglik = 0;
	for (i = 0; i < nobs; i++)
		info->loglik += sorted[i].n * bgnbd_loglik1(out, sorted[i].x, sorted[i].tx, sorted[i].T, NULL);
	b2b_core_free(sorted);
	return true;
}

double
bgnbd_p_alive(const bgnbd_params *p, double x, double tx, double T)
{
	double		logdiv;

	if (x == 0)
		return 1.0;
	logdiv = (p->r + x) * (log(p->alpha + T) - log(p->alpha + tx))
		+ log(p->a) - log(p->b + x - 1);
	/* 1 / (1 + exp(logdiv)), without overflow */
	if (logdiv > 0)
		return exp(-logdiv) / (1.0 + exp(-logdiv));
	return 1.0 / (1.0 + exp(logdiv));
}

/*
 * (c / (a - 1)) * (1 - exp(L)) where L = log of the power-times-2F1 term.
 * expm1 keeps precision when L is near 0.
 */
static double
bg_expectation(double first_num, double a, double L)
{
	if (isnan(L))
		return NAN;
	return first_num / (a - 1.0) * -expm1(L);
}

double
bgnbd_expected_cond(const bgnbd_params *p, double t, double x, double tx, double T)
{
	double		r = p->r,
				al = p->alpha,
				a = p->a,
				b = p->b;
	double		z,
				L,
				num,
				den;

	if (t == 0)
		return 0.0;
	if (isinf(t))
		return NAN;
	z = t / (al + T + t);
	L = b2b_log_hyp2f1(r + x, b + x, a + b + x - 1, z)
		+ (r + x) * (log(al + T) - log(al + T + t));
	num = bg_expectation(a + b + x - 1, a, L);
	if (x > 0)
		den = 1.0 + exp(log(a) - log(b + x - 1) + (r + x) * (log(al + T) - log(al + tx)));
	else
		den = 1.0;
	return num / den;
}

double
bgnbd_expected_new(const bgnbd_params *p, double t)
{
	double		r = p->r,
				al = p->alpha,
				a = p->a,
				b = p->b;
	double		L;

	if (t == 0)
		return 0.0;
	if (isinf(t))
		return NAN;
	L = b2b_log_hyp2f1(r, b, a + b - 1, t / (al + t)) + r * (log(al) - log(al + t));
	return bg_expectation(a + b - 1, a, L);
}

double
bgnbd_prob_n(const bgnbd_params *p, double n, double t)
{
	double		r = p->r,
				al = p->alpha,
				a = p->a,
				b = p->b;
	double		lp = log(al) - log(al + t),	/* log(alpha / (alpha + t)) */
				lq = t > 0 ? log(t) - log(al + t) : -INFINITY;
	double		first,
				second = 0;

	if (t == 0)
		return n == 0 ? 1.0 : 0.0;
	first = exp(lbeta(a, b + n) - lbeta(a, b)
				+ lgamma(r + n) - lgamma(r) - lgamma(n + 1)
				+ r * lp + n * lq);
	if (n > 0)
	{
		/*
		 * 1 - P(NBD < n): the sum of the first n NBD probabilities, in
		 * ascending terms; clamped at 0 against rounding.
		 */
		double		cdf = 0,
					lterm = r * lp;
		double		j;

		for (j = 0; j < n; j++)
		{
			if (((long) j & 4095) == 4095)
				B2B_CORE_CHECK_INTERRUPTS();
			cdf += exp(lterm);
			lterm += log(r + j) - log(j + 1) + lq;
		}
		second = exp(lbeta(a + 1, b + n - 1) - lbeta(a, b)) * fmax(0.0, 1.0 - cdf);
	}
	return first + second;
}

/* ---------------------------------------------------------------------
 * Gamma-Gamma
 * ------------------------------------------------------------------- */

double
gg_loglik1(const gg_params *pp, double x, double m, double grad[3])
{
	double		p = pp->p,
				q = pp->q,
				v = pp->v;
	double		px = p * x;
	double		lxmv = log(x * m + v);
	double		ll;

	ll = lgamma(px + q) - lgamma(px) - lgamma(q) + q * log(v)
		+ (px - 1) * log(m) + px * log(x) - (px + q) * lxmv;
	if (grad)
	{
		double		pspq = b2b_digamma(px + q);

		grad[0] = p * x * (pspq - b2b_digamma(px) + log(m) + log(x) - lxmv);
		grad[1] = q * (pspq - b2b_digamma(q) + log(v) - lxmv);
		grad[2] = v * (q / v - (px + q) / (x * m + v));
	}
	return ll;
}

typedef struct gg_ctx
{
	const gg_obs *obs;
	size_t		nobs;
	double		ntotal;
	double		mscale;			/* monetary multiplier */
	double		l2;
} gg_ctx;

static double
gg_objective(const double *theta, double *grad, void *vctx)
{
	gg_ctx	   *ctx = (gg_ctx *) vctx;
	gg_params	pp;
	double		ll = 0,
				g[3] = {0, 0, 0};
	size_t		i;
	int			j;

	pp.p = exp(theta[0]);
	pp.q = exp(theta[1]);
	pp.v = exp(theta[2]);
	for (i = 0; i < ctx->nobs; i++)
	{
		double		gi[3];
		double		l;

		if ((i & 4095) == 4095)
			B2B_CORE_CHECK_INTERRUPTS();
		l = gg_loglik1(&pp, ctx->obs[i].x, ctx->obs[i].m * ctx->mscale,
					   grad ? gi : NULL);

		ll += ctx->obs[i].n * l;
		if (grad)
			for (j = 0; j < 3; j++)
				g[j] += ctx->obs[i].n * gi[j];
	}
	if (!isfinite(ll))
		return INFINITY;
	if (grad)
	{
		double		pv[3] = {pp.p, pp.q, pp.v};

		for (j = 0; j < 3; j++)
		{
			grad[j] = -g[j] / ctx->ntotal + 2.0 * ctx->l2 * pv[j] * pv[j];
			if (!isfinite(grad[j]))
				return INFINITY;
		}
	}
	return -ll / ctx->ntotal + ctx->l2 * (pp.p * pp.p + pp.q * pp.q + pp.v * pp.v);
}

bool
gg_fit(const gg_obs *obs, size_t nobs, double l2, gg_params *out, b2b_fit_info *info)
{
	static const double starts[][3] = {
		{1.0, 1.0, 1.0},		/* lifetimes' start */
		{5.0, 3.0, 10.0},
		{0.5, 5.0, 0.5},
	};
	gg_ctx		ctx;
	gg_obs	   *sorted;
	double		msum = 0,
				best = INFINITY,
				best_theta[3] = {0, 0, 0},
				best_g = INFINITY;
	int			total_iters = 0;
	size_t		i;

	sorted = b2b_core_alloc(sizeof(gg_obs) * (nobs ? nobs : 1));
	if (!sorted)
		return false;
	memcpy(sorted, obs, sizeof(gg_obs) * nobs);
	b2b_core_sort(sorted, nobs, sizeof(gg_obs), cmp_gg_obs);
	obs = sorted;
	ctx.obs = sorted;
	ctx.nobs = nobs;
	ctx.ntotal = 0;
	ctx.l2 = l2;
	for (i = 0; i < nobs; i++)
	{
		ctx.ntotal += obs[i].n;
		msum += obs[i].n * obs[i].m;
	}
	/*
	 * Spend scaled to mean 1 (v scales with it, p and q do not), except
	 * under a penalty, which lifetimes applies to the unscaled parameters.
	 */
	ctx.mscale = (l2 == 0 && msum > 0) ? ctx.ntotal / msum : 1.0;

	best = multistart_bfgs(gg_objective, &ctx, 3, &starts[0][0],
						   (int) (sizeof(starts) / sizeof(starts[0])),
						   best_theta, &best_g, &total_iters);
	if (!isfinite(best))
	{
		b2b_core_free(sorted);
		return false;
	}
	out->p = exp(best_theta[0]);
	out->q = exp(best_theta[1]);
	out->v = exp(best_theta[2]) / ctx.mscale;
	info->objective = best;
	info->grad_norm = best_g;
	info->iterations = total_iters;
	info->converged = best_g < 1e-6;
	for (i = 0; i < 3; i++)
		if (fabs(best_theta[i]) > DEGENERATE_LOG)
			info->converged = false;
	info->loglik = 0;
	for (i = 0; i < nobs; i++)
		info->loglik += obs[i].n * gg_loglik1(out, obs[i].x, obs[i].m, NULL);
	b2b_core_free(sorted);
	return true;
}

double
gg_expected_spend(const gg_params *pp, double x, double m)
{
	double		p = pp->p,
				q = pp->q,
				v = pp->v;
	double		w,
				mean;

	if (!(q > 1))
		return NAN;
	mean = v * p / (q - 1);
	if (x == 0)
		return mean;
	w = p * x / (p * x + q - 1);
	return (1 - w) * mean + w * m;
}

/* ---------------------------------------------------------------------
 * CLV
 * ------------------------------------------------------------------- */

double
b2b_clv(const bgnbd_params *p, double x, double tx, double T,
		double spend, int months, double discount, double units_per_month)
{
	double		clv = 0,
				prev = 0;
	int			i;

	for (i = 1; i <= months; i++)
	{
		double		cur;

		B2B_CORE_CHECK_INTERRUPTS();
		cur = bgnbd_expected_cond(p, i * units_per_month, x, tx, T);
		/* a month that cannot be computed: no later one will help */
		if (!isfinite(cur))
			return NAN;
		clv += spend * (cur - prev) / pow(1.0 + discount, i);
		prev = cur;
	}
	return clv;
}

/* ---------------------------------------------------------------------
 * The stored models: checks and the JSON text form
 * ------------------------------------------------------------------- */

static const char *const bg_par_names[] = {"r", "alpha", "a", "b"};
static const char *const gg_par_names[] = {"p", "q", "v"};

int
repeat_model_npar(int kind)
{
	return kind == REPEAT_BGNBD ? 4 : 3;
}

const char *const *
repeat_model_par_names(int kind)
{
	return kind == REPEAT_BGNBD ? bg_par_names : gg_par_names;
}

void
repeat_model_init(repeat_model *m, int kind)
{
	memset((char *) m + sizeof(m->vl_len_), 0, sizeof(*m) - sizeof(m->vl_len_));
	m->version = REPEAT_MODEL_VERSION;
	m->kind = (uint8_t) kind;
	m->loglik = NAN;
}

const char *
repeat_model_fault(const repeat_model *m)
{
	int			i;

	for (i = 0; i < repeat_model_npar(m->kind); i++)
		if (!isfinite(m->par[i]) || m->par[i] <= 0)
			return "parameters must be positive and finite";
	if (m->kind == REPEAT_GG && m->par[3] != 0)
		return "unused parameter slot is not 0";
	if (!isnan(m->loglik) && !isfinite(m->loglik))
		return "log_likelihood must be finite";
	if (!isfinite(m->l2) || m->l2 < 0)
		return "l2 must be finite and not negative";
	if (m->customers < 0 || m->skipped < 0 || m->iterations < 0)
		return "counts must not be negative";
	if (m->converged > 1 || m->flags != 0)
		return "flags are invalid";
	return NULL;
}

const char *
repeat_model_parse(const char *str, size_t len, int kind, repeat_model *m,
				   char *err, size_t errsz)
{
	static const char *const others[] = {"log_likelihood", "customers", "skipped",
	"iterations", "converged", "l2"};
	const char *const *names = repeat_model_par_names(kind);
	int			npar = repeat_model_npar(kind);
	const char *keys[4 + 6];
	bool		seen[4 + 6] = {false};
	bj_reader	r;
	char		key[64];
	bool		more;
	int			i;

	/* the parameters of the kind, then the optional keys */
	for (i = 0; i < npar; i++)
		keys[i] = names[i];
	for (i = 0; i < 6; i++)
		keys[npar + i] = others[i];
	repeat_model_init(m, kind);
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		int			k = bj_key_index(&r, key, keys, npar + 6, seen);
		int64_t		v;
		bool		bv;

		if (k < 0)
			break;
		if (k < npar)
			bj_number(&r, &m->par[k]);
		else if (k == npar)		/* log_likelihood */
		{
			if (!bj_null(&r) && !r.failed)
				bj_number(&r, &m->loglik);
		}
		else if (k <= npar + 3) /* customers, skipped, iterations */
		{
			if (bj_int64(&r, &v))
			{
				if (v < 0 || (k == npar + 3 && v > INT32_MAX))
					bj_fail(&r, "\"%s\" out of range", key);
				else if (k == npar + 1)
					m->customers = v;
				else if (k == npar + 2)
					m->skipped = v;
				else
					m->iterations = (int32_t) v;
			}
		}
		else if (k == npar + 4) /* converged */
		{
			if (bj_bool(&r, &bv))
				m->converged = bv ? 1 : 0;
		}
		else					/* l2 */
			bj_number(&r, &m->l2);
	}
	bj_finish_keys(&r, names, npar, seen);
	if (r.failed)
	{
		snprintf(err, errsz, "%s", r.err);
		return err;
	}
	return repeat_model_fault(m);
}

void
repeat_model_write(const bj_writer *w, const repeat_model *m)
{
	const char *const *names = repeat_model_par_names(m->kind);
	int			i;

	bj_put(w, "{");
	for (i = 0; i < repeat_model_npar(m->kind); i++)
	{
		bj_putf(w, "%s\"%s\": ", i ? ", " : "", names[i]);
		bj_put_double(w, m->par[i]);
	}
	bj_put(w, ", \"log_likelihood\": ");
	if (isnan(m->loglik))
		bj_put(w, "null");
	else
		bj_put_double(w, m->loglik);
	bj_putf(w, ", \"customers\": %" PRId64 ", \"skipped\": %" PRId64
			", \"iterations\": %d, \"converged\": %s, \"l2\": ",
			(int64_t) m->customers, (int64_t) m->skipped, (int) m->iterations,
			m->converged ? "true" : "false");
	bj_put_double(w, m->l2);
	bj_put(w, "}");
}
