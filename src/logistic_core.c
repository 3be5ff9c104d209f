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
/* Convergence: relative change of the deviance, as R's glm measures it. */
#define LR_REL_TOL 1e-12
#define LR_MAX_HALVINGS 60

size_t
lr_work_size(int k)
{
	size_t		p = (size_t) k + 1;

	return 2 * p * p + 7 * p;
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

/*
 * One pass at beta: log-likelihood, gradient g and Hessian H (upper
 * triangle) of the penalised objective; counts rows fitted at 0 or 1.
 * Returns the penalised objective.
 */
static double
lr_pass(const lr_problem *prob, const double *beta, double *ll_out,
		double *g, double *H, double *z, size_t *nsep)
{
	int			k = prob->k;
	int			p = k + 1;
	size_t		b,
				r;
	int			i,
				j;
	double		ll = 0,
				pen = 0;
	/* check for interrupts about every million multiply-adds */
	size_t		every = 1 + ((size_t) 1 << 20) / ((size_t) p * p),
				todo = every;

	memset(g, 0, sizeof(double) * p);
	memset(H, 0, sizeof(double) * p * p);
	*nsep = 0;
	z[0] = 1.0;
	for (b = 0; b < prob->nblocks; b++)
	{
		const double *row = prob->blocks[b].rows;

		for (r = 0; r < prob->blocks[b].n; r++, row += p)
		{
			double		eta = beta[0];
			double		y = row[k];
			double		mu,
						w,
						res;

			if (--todo == 0)
			{
				B2B_CORE_CHECK_INTERRUPTS();
				todo = every;
			}
			for (j = 0; j < k; j++)
			{
				z[j + 1] = row[j];
				eta += beta[j + 1] * row[j];
			}
			mu = prop_from_logit(eta);
			w = mu * (1.0 - mu);
			res = y - mu;
			/* y*eta - log(1 + e^eta), stable for either sign of eta */
			ll += y * eta - log1pexp(eta);
			if (fabs(eta) > LR_SEP_ETA && ((eta > 0) == (y > 0.5)))
				(*nsep)++;
			for (i = 0; i < p; i++)
			{
				double		wz = w * z[i];
				double	   *Hi = H + (size_t) i * p;

				g[i] += res * z[i];
				for (j = i; j < p; j++)
					Hi[j] += wz * z[j];
			}
		}
	}
	for (j = 1; j < p; j++)
	{
		g[j] -= prob->l2 * beta[j];
		H[(size_t) j * p + j] += prob->l2;
		pen += beta[j] * beta[j];
	}
	*ll_out = ll;
	return ll - 0.5 * prob->l2 * pen;
}

lr_status
lr_fit(const lr_problem *prob, lr_result *res, double *work)
{
	int			k = prob->k;
	int			p = k + 1;
	size_t		pp = (size_t) p * p;
	double	   *H = work;
	double	   *L = H + pp;
	double	   *g = L + pp;
	double	   *d = g + p;
	double	   *prev = d + p;
	double	   *tmp = prev + p;
	double	   *z = tmp + p;
	double	   *scale = z + p;
	double	   *step = scale + p;
	double	   *beta = res->beta;
	size_t		b,
				r,
				n = 0,
				npos = 0,
				nsep = 0;
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
	/* step[] holds each column's largest |x| until the first step */
	memset(step, 0, sizeof(double) * p);
	step[0] = 1.0;
	for (b = 0; b < prob->nblocks; b++)
	{
		const double *row = prob->blocks[b].rows;

		for (r = 0; r < prob->blocks[b].n; r++, row += p)
		{
			npos += row[k] > 0.5;
			for (j = 0; j < k; j++)
				if (fabs(row[j]) > step[j + 1])
					step[j + 1] = fabs(row[j]);
		}
		n += prob->blocks[b].n;
	}
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
		obj = lr_pass(prob, beta, &ll, g, H, z, &nsep);
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
				(!have_prev && H[(size_t) j * p + j] == 0 && step[j] > 0))
			{
				res->bad_term = j;
				return LR_OVERFLOW;
			}
		bad = lr_cholesky(H, p, L, scale);
		if (bad >= 0)
		{
			res->nsep = nsep;
			res->bad_term = bad;
			if (nsep > 0 && prob->l2 == 0)
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
				(have_prev && fabs(obj - obj_prev) / (fabs(obj) + 0.1) < LR_REL_TOL);
			if (done)
			{
				/* one last Newton step from a point this close is exact */
				for (j = 0; j < p; j++)
					beta[j] += d[j];
				res->iterations++;
				(void) lr_pass(prob, beta, &ll, g, H, z, &nsep);
				bad = lr_cholesky(H, p, L, scale);
				res->nsep = nsep;
				if (nsep > 0 && prob->l2 == 0)
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
		if (res->iterations >= LR_MAX_ITER)
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
		if (nsep > 0 && prob->l2 == 0)
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
