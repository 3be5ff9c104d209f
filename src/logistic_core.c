/*
 * logistic_core.c — see logistic_core.h.  Plain C: no postgres.h.
 *
 * Newton's method on the (penalised) log-likelihood, one pass over the rows
 * per iteration: the pass at beta gives the log-likelihood, the gradient and
 * the Hessian together.  A step that lowers the objective is halved and the
 * pass redone.  The linear systems are solved by a Cholesky factorisation of
 * the Hessian scaled to unit diagonal, whose pivots also detect rank
 * deficiency.
 */
#include "logistic_core.h"
#include "interrupt_core.h"
#include "propensity_core.h"

#include <math.h>
#include <string.h>

/* A row is "fitted at 0 or 1" when |eta| > this: 1 - p rounds to 1. */
#define LR_SEP_ETA 36.0
/* Relative pivot below which the scaled Hessian is singular. */
#define LR_PIVOT_TOL 1e-10
/* Convergence: relative change of the deviance, as R's glm measures it
 * (LR_DEFAULT_TOL in the header). */
#define LR_MAX_HALVINGS 60

size_t
lr_work_size(int k)
{
	size_t		p = (size_t) k + 1;

	return 2 * p * p + lr_tri_size(k + 1) + 7 * p;
}

double
lr_pvalue(double z)
{
	return erfc(fabs(z) / sqrt(2.0));
}

/* log(1 + exp(x)) without overflow or loss of precision. */
static double
log1pexp(double x)
{
	if (x > 0)
		return x + log1p(exp(-x));
	return log1p(exp(x));
}

double
lr_predict(const double *beta, int k, const double *x)
{
	double		eta = beta[0];
	int			j;

	for (j = 0; j < k; j++)
		eta += beta[j + 1] * x[j];
	return prop_from_logit(eta);
}

int
lr_cholesky(const double *A, int p, double *L, double *d)
{
	int			i,
				j,
				m;

	for (i = 0; i < p; i++)
	{
		double		a = A[(size_t) i * p + i];

		if (!(a > 0) || !isfinite(a))
			return i;
		d[i] = 1.0 / sqrt(a);
	}
	for (j = 0; j < p; j++)
	{
		double		s = A[(size_t) j * p + j] * d[j] * d[j];

		if ((j & 15) == 15)
			B2B_CORE_CHECK_INTERRUPTS();

		for (m = 0; m < j; m++)
			s -= L[(size_t) j * p + m] * L[(size_t) j * p + m];
		if (!(s > LR_PIVOT_TOL))
			return j;
		L[(size_t) j * p + j] = sqrt(s);
		for (i = j + 1; i < p; i++)
		{
			/* the upper triangle holds A[j][i] for j < i */
			double		t = A[(size_t) j * p + i] * d[i] * d[j];

			for (m = 0; m < j; m++)
				t -= L[(size_t) i * p + m] * L[(size_t) j * p + m];
			L[(size_t) i * p + j] = t / L[(size_t) j * p + j];
		}
	}
	return -1;
}

void
lr_chol_solve(const double *L, const double *d, int p,
			  const double *b, double *x, double *tmp)
{
	int			i,
				m;

	/* (D A D) y = D b with x = D y */
	for (i = 0; i < p; i++)
	{
		double		s = b[i] * d[i];

		for (m = 0; m < i; m++)
			s -= L[(size_t) i * p + m] * tmp[m];
		tmp[i] = s / L[(size_t) i * p + i];
	}
	for (i = p - 1; i >= 0; i--)
	{
		double		s = tmp[i];

		for (m = i + 1; m < p; m++)
			s -= L[(size_t) m * p + i] * tmp[m];
		tmp[i] = s / L[(size_t) i * p + i];
	}
	for (i = 0; i < p; i++)
		x[i] = tmp[i] * d[i];
}

void
lr_accumulate(int k, const double *beta, const double *x, double y,
			  double *z, lr_sums *s)
{
	int			p = k + 1;
	double		eta = beta[0];
	double		mu,
				w,
				res;
	double	   *g = s->g;
	double	   *Hi = s->H;
	int			i,
				j;

	z[0] = 1.0;
	for (j = 0; j < k; j++)
	{
		z[j + 1] = x[j];
		eta += beta[j + 1] * x[j];
	}
	mu = prop_from_logit(eta);
	w = mu * (1.0 - mu);
	res = y - mu;
	/* y*eta - log(1 + e^eta), stable for either sign of eta */
	s->ll += y * eta - log1pexp(eta);
	if (fabs(eta) > LR_SEP_ETA && ((eta > 0) == (y > 0.5)))
		s->nsep++;
	for (i = 0; i < p; i++)
	{
		double		wz = w * z[i];

		g[i] += res * z[i];
		for (j = i; j < p; j++)
			Hi[j - i] += wz * z[j];
		Hi += p - i;
	}
}

/* The pass of lr_fit: every row of the blocks. */
static void
lr_block_pass(void *arg, const double *beta, lr_sums *s)
{
	const lr_problem *prob = arg;
	int			k = prob->k;
	int			p = k + 1;
	double		z[LR_MAX_FEATURES + 1];
	size_t		b,
				r;

	/* check for interrupts about every million multiply-adds */
	size_t		every = 1 + ((size_t) 1 << 20) / ((size_t) p * p),
				todo = every;

	for (b = 0; b < prob->nblocks; b++)
	{
		const double *row = prob->blocks[b].rows;

		for (r = 0; r < prob->blocks[b].n; r++, row += p)
		{
			if (--todo == 0)
			{
				B2B_CORE_CHECK_INTERRUPTS();
				todo = every;
			}
			lr_accumulate(k, beta, row, row[k], z, s);
		}
	}
}

/*
 * One pass at beta through the caller's function: log-likelihood, gradient
 * g and Hessian H (full p x p, upper triangle filled) of the penalised
 * objective; counts rows fitted at 0 or 1.  Returns the penalised objective.
 */
static double
lr_pass(int k, double l2, lr_pass_fn pass, void *arg, const double *beta,
		double *ll_out, double *g, double *H, double *packed, size_t *nsep)
{
	int			p = k + 1;
	int			i,
				j;
	double		pen = 0;
	lr_sums		s;
	const double *t;

	memset(g, 0, sizeof(double) * p);
	memset(packed, 0, sizeof(double) * lr_tri_size(p));
	s.ll = 0;
	s.g = g;
	s.H = packed;
	s.nsep = 0;
	pass(arg, beta, &s);
	t = packed;
	for (i = 0; i < p; i++)
		for (j = i; j < p; j++)
			H[(size_t) i * p + j] = *t++;
	for (j = 1; j < p; j++)
	{
		g[j] -= l2 * beta[j];
		H[(size_t) j * p + j] += l2;
		pen += beta[j] * beta[j];
	}
	*nsep = s.nsep;
	*ll_out = s.ll;
	return s.ll - 0.5 * l2 * pen;
}

lr_status
lr_fit(const lr_problem *prob, lr_result *res, double *work)
{
	int			k = prob->k;
	int			p = k + 1;
	size_t		b,
				r,
				n = 0,
				npos = 0;
	int			j;
	lr_options	opt;
	double		xmax[LR_MAX_FEATURES + 1];

	memset(xmax, 0, sizeof(double) * p);
	for (b = 0; b < prob->nblocks; b++)
	{
		const double *row = prob->blocks[b].rows;

		for (r = 0; r < prob->blocks[b].n; r++, row += p)
		{
			npos += row[k] > 0.5;
			for (j = 0; j < k; j++)
				if (fabs(row[j]) > xmax[j + 1])
					xmax[j + 1] = fabs(row[j]);
		}
		n += prob->blocks[b].n;
	}
	opt.max_iter = LR_MAX_ITER;
	opt.rel_tol = LR_DEFAULT_TOL;
	opt.xmax = xmax;
	return lr_fit_passes(k, prob->l2, n, npos, &opt, lr_block_pass,
						 (void *) prob, res, work);
}

lr_status
lr_fit_passes(int k, double l2, size_t n, size_t npos, const lr_options *opt,
			  lr_pass_fn pass, void *arg, lr_result *res, double *work)
{
	int			p = k + 1;
	size_t		pp = (size_t) p * p;
	double	   *H = work;
	double	   *L = H + pp;
	double	   *packed = L + pp;
	double	   *g = packed + lr_tri_size(p);
	double	   *d = g + p;
	double	   *prev = d + p;
	double	   *tmp = prev + p;
	double	   *scale = tmp + p;
	double	   *step = scale + p;
	double	   *beta = res->beta;
	size_t		nsep = 0;
	double		obj,
				obj_prev = 0,
				ll = 0,
				t = 1.0;
	bool		have_prev = false;
	int			halvings = 0;
	int			j,
				bad;

	res->iterations = 0;
	res->converged = false;
	res->bad_term = -1;
	res->nsep = 0;
	res->loglik = 0;
	res->n = n;
	res->npos = npos;
	if (n == 0)
		return LR_NO_ROWS;
	if (npos == 0 || npos == n)
		return LR_ONE_CLASS;

	/* Start from the intercept-only fit. */
	memset(beta, 0, sizeof(double) * p);
	beta[0] = log((double) npos / (double) (n - npos));

	for (;;)
	{
		B2B_CORE_CHECK_INTERRUPTS();
		obj = lr_pass(k, l2, pass, arg, beta, &ll, g, H, packed, &nsep);
		if (have_prev && !(obj >= obj_prev - 1e-13 * (fabs(obj_prev) + 1.0)))
		{
			/* worse (or NaN): halve the step from the previous point */
			if (++halvings > LR_MAX_HALVINGS)
				break;
			t *= 0.5;
			for (j = 0; j < p; j++)
				beta[j] = prev[j] + t * step[j];
			continue;
		}
		/*
		 * A feature so large that its squares overflow (|x| above about
		 * 1e154), or so small and non-zero that they underflow to 0 (below
		 * about 1e-162), makes the Hessian infinite or zero there: that is
		 * no rank deficiency.
		 */
		for (j = 0; j < p; j++)
			if (!isfinite(H[(size_t) j * p + j]) || !isfinite(g[j]) ||
				(!have_prev && H[(size_t) j * p + j] == 0 && j > 0 &&
				 opt->xmax != NULL && opt->xmax[j] > 0))
			{
				res->bad_term = j;
				return LR_OVERFLOW;
			}
		bad = lr_cholesky(H, p, L, scale);
		if (bad >= 0)
		{
			res->nsep = nsep;
			res->bad_term = bad;
			if (nsep > 0 && l2 == 0)
				return LR_SEPARATION;
			return LR_SINGULAR;
		}
		lr_chol_solve(L, scale, p, g, d, tmp);
		{
			double		lambda2 = 0;
			bool		done;

			for (j = 0; j < p; j++)
				lambda2 += g[j] * d[j];
			done = lambda2 < 1e-20 ||
				(have_prev && fabs(obj - obj_prev) / (fabs(obj) + 0.1) < opt->rel_tol);
			if (done)
			{
				/* one last Newton step from a point this close is exact */
				for (j = 0; j < p; j++)
					beta[j] += d[j];
				res->iterations++;
				(void) lr_pass(k, l2, pass, arg, beta, &ll, g, H, packed, &nsep);
				bad = lr_cholesky(H, p, L, scale);
				res->nsep = nsep;
				if (nsep > 0 && l2 == 0)
					return LR_SEPARATION;
				if (bad >= 0)
				{
					res->bad_term = bad;
					return LR_SINGULAR;
				}
				res->converged = true;
				break;
			}
		}
		if (res->iterations >= opt->max_iter)
			break;
		memcpy(prev, beta, sizeof(double) * p);
		memcpy(step, d, sizeof(double) * p);
		obj_prev = obj;
		have_prev = true;
		t = 1.0;
		halvings = 0;
		for (j = 0; j < p; j++)
			beta[j] += d[j];
		res->iterations++;
	}
	res->loglik = ll;
	res->nsep = nsep;
	if (!res->converged)
	{
		if (nsep > 0 && l2 == 0)
			return LR_SEPARATION;
		return LR_NO_CONVERGENCE;
	}
	/* standard errors: sqrt of the diagonal of the inverse Hessian */
	for (j = 0; j < p; j++)
	{
		int			i;

		if ((j & 15) == 15)
			B2B_CORE_CHECK_INTERRUPTS();
		for (i = 0; i < p; i++)
			g[i] = (i == j);
		lr_chol_solve(L, scale, p, g, d, tmp);
		res->se[j] = sqrt(d[j]);
	}
	return LR_OK;
}
