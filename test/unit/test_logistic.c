/* Unit tests of logistic_core.c (no server). */
#include <stdlib.h>

#include "tap.h"
#include "logistic_core.h"

static double work[1 << 16];

/* rows of (x, y) for k = 1 */
static lr_status
fit1(const double *x, const double *y, int n, double l2, double *beta, double *se, lr_result *res)
{
	static double rows[2 * 64];
	lr_block	b;
	lr_problem	p;
	int			i;

	for (i = 0; i < n; i++)
	{
		rows[2 * i] = x[i];
		rows[2 * i + 1] = y[i];
	}
	b.rows = rows;
	b.n = n;
	p.k = 1;
	p.l2 = l2;
	p.nblocks = 1;
	p.blocks = &b;
	res->beta = beta;
	res->se = se;
	return lr_fit(&p, res, work);
}

int
main(void)
{
	double		beta[8],
				se[8],
				beta2[8],
				se2[8];
	lr_result	res;
	lr_status	st;

	/* Cholesky of a known SPD matrix (upper triangle read) and a solve */
	{
		double		A[9] = {4, 2, 0.4, 0, 5, 1, 0, 0, 3};
		double		L[9],
					d[3],
					x[3],
					tmp[3],
					b[3];
		double		want[3] = {1, -2, 0.5};
		int			i;

		/* b = A want, with the full symmetric A */
		b[0] = 4 * 1 + 2 * -2 + 0.4 * 0.5;
		b[1] = 2 * 1 + 5 * -2 + 1 * 0.5;
		b[2] = 0.4 * 1 + 1 * -2 + 3 * 0.5;
		is_int(lr_cholesky(A, 3, L, d), -1, "SPD matrix factors");
		lr_chol_solve(L, d, 3, b, x, tmp);
		for (i = 0; i < 3; i++)
			is_double(x[i], want[i], 1e-14, "solve component %d", i);
	}
	/* a dependent column is found at its index */
	{
		/* columns: 1, t, 2t over t = 1, 2, 3 -> Gram matrix */
		double		A[9] = {3, 6, 12, 0, 14, 28, 0, 0, 56};
		double		L[9],
					d[3];

		is_int(lr_cholesky(A, 3, L, d), 2, "third column = 2 * second is singular");
		A[4] = 0;
		is_int(lr_cholesky(A, 3, L, d), 1, "zero diagonal is singular");
	}

	/* the small fit, against statsmodels 0.13 Logit */
	{
		double		x[6] = {1, 2, 3, 4, 5, 6};
		double		y[6] = {0, 0, 1, 0, 1, 1};

		st = fit1(x, y, 6, 0, beta, se, &res);
		is_int(st, LR_OK, "small fit converges");
		is_double(beta[0], -4.24909655, 1e-8, "intercept");
		is_double(beta[1], 1.21402759, 1e-8, "slope");
		is_double(se[0], 3.38785022, 1e-8, "intercept standard error");
		is_double(se[1], 0.91258556, 1e-8, "slope standard error");
		is_double(res.loglik, -2.477986835049613, 1e-12, "log-likelihood");
		ok(res.converged && res.iterations > 2 && res.iterations < 20, "iterations %d", res.iterations);
		is_int(res.n, 6, "rows");
		is_int(res.npos, 3, "positives");

		/* ridge: sklearn LogisticRegression(C=1), intercept unpenalised */
		for (int i = 0; i < 6; i++)
			y[i] = x[i] > 3;
		st = fit1(x, y, 6, 0, beta, se, &res);
		is_int(st, LR_SEPARATION, "separable data is reported");
		ok(res.nsep > 0, "rows fitted at 0 or 1: %zu", res.nsep);
		st = fit1(x, y, 6, 1.0, beta, se, &res);
		is_int(st, LR_OK, "separable data with l2 = 1 fits");
		is_double(beta[0], -3.9221336, 1e-7, "ridge intercept");
		is_double(beta[1], 1.1206096, 1e-7, "ridge slope");

		/* one class, no rows */
		for (int i = 0; i < 6; i++)
			y[i] = 1;
		is_int(fit1(x, y, 6, 0, beta, se, &res), LR_ONE_CLASS, "one class");
		is_int(fit1(x, y, 0, 0, beta, se, &res), LR_NO_ROWS, "no rows");
	}

	/* a constant feature is singular; the same rows in several blocks fit the same */
	{
		enum
		{
			N = 400
		};
		static double rows[N * 3];
		lr_block	blocks[3];
		lr_problem	p;
		unsigned	seed = 12345;
		int			i;

		for (i = 0; i < N; i++)
		{
			double		u,
						x1,
						x2;

			seed = seed * 1103515245u + 12345u;
			x1 = (seed >> 8) / 16777216.0 * 4 - 2;
			seed = seed * 1103515245u + 12345u;
			x2 = (seed >> 8) / 16777216.0;
			seed = seed * 1103515245u + 12345u;
			u = (seed >> 8) / 16777216.0;
			rows[3 * i] = x1;
			rows[3 * i + 1] = x2;
			rows[3 * i + 2] = u < 1 / (1 + exp(-(0.3 + 1.5 * x1 - x2)));
		}
		blocks[0].rows = rows;
		blocks[0].n = N;
		p.k = 2;
		p.l2 = 0;
		p.nblocks = 1;
		p.blocks = blocks;
		res.beta = beta;
		res.se = se;
		is_int(lr_fit(&p, &res, work), LR_OK, "two-feature fit");
		blocks[0].n = 100;
		blocks[1].rows = rows + 3 * 100;
		blocks[1].n = 250;
		blocks[2].rows = rows + 3 * 350;
		blocks[2].n = 50;
		p.nblocks = 3;
		res.beta = beta2;
		res.se = se2;
		is_int(lr_fit(&p, &res, work), LR_OK, "the same rows in three blocks");
		for (i = 0; i < 3; i++)
		{
			is_double(beta2[i], beta[i], 1e-12, "blocked coefficient %d", i);
			is_double(se2[i], se[i], 1e-12, "blocked standard error %d", i);
		}
		/* gradient at the optimum is zero */
		{
			double		g[3] = {0, 0, 0};

			for (i = 0; i < N; i++)
			{
				double		r = rows[3 * i + 2] - lr_predict(beta, 2, rows + 3 * i);

				g[0] += r;
				g[1] += r * rows[3 * i];
				g[2] += r * rows[3 * i + 1];
			}
			ok(fabs(g[0]) < 1e-10 && fabs(g[1]) < 1e-10 && fabs(g[2]) < 1e-10,
			   "score equations hold (%g %g %g)", g[0], g[1], g[2]);
		}
		for (i = 0; i < N; i++)
			rows[3 * i + 1] = 7.0;
		p.nblocks = 1;
		blocks[0].n = N;
		st = lr_fit(&p, &res, work);
		ok(st == LR_SINGULAR && res.bad_term == 2, "constant feature is singular at term 2 (status %d, term %d)", st, res.bad_term);
		p.l2 = 0.5;
		is_int(lr_fit(&p, &res, work), LR_OK, "constant feature with l2 > 0 fits");
	}

	is_double(lr_pvalue(1.959963984540054), 0.05, 1e-12, "p-value of z = 1.96");
	is_double(lr_pvalue(-1.959963984540054), 0.05, 1e-12, "p-value is two-sided");
	is_double(lr_pvalue(0), 1.0, 0, "p-value of z = 0");
	{
		double		b[3] = {0.5, 1, -2};
		double		x[2] = {1, 1};

		is_double(lr_predict(b, 2, x), 1 / (1 + exp(0.5)), 1e-15, "predict");
		x[0] = 1e6;
		is_double(lr_predict(b, 2, x), 1.0, 0, "predict saturates at 1");
		x[0] = -1e6;
		is_double(lr_predict(b, 2, x), 0.0, 0, "predict saturates at 0");
	}
	return tap_done();
}
