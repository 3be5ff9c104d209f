/*
 * logistic_core.h — logistic regression by Newton/IRLS.  Plain C.
 *
 * The rows live in blocks owned by the caller; each row is k features
 * followed by the label (0 or 1), all doubles.  The intercept is implicit
 * (term 0) and is never penalised.  The objective maximised is
 *
 *     loglik(beta) - l2/2 * sum_{j>=1} beta_j^2
 */
#ifndef B2B_LOGISTIC_CORE_H
#define B2B_LOGISTIC_CORE_H

#include <stdbool.h>
#include <stddef.h>

#define LR_MAX_FEATURES 1000	/* Hessian (k+1)^2 doubles; a pass costs n k^2 */
#define LR_MAX_ITER 100

typedef struct lr_block
{
	const double *rows;			/* n rows of k + 1 doubles */
	size_t		n;
} lr_block;

typedef struct lr_problem
{
	int			k;				/* features, without the intercept */
	double		l2;				/* ridge penalty, >= 0 */
	size_t		nblocks;
	const lr_block *blocks;
} lr_problem;

typedef enum
{
	LR_OK = 0,
	LR_NO_ROWS,					/* nothing to fit */
	LR_ONE_CLASS,				/* every label is the same */
	LR_SINGULAR,				/* design is rank deficient at term bad_term */
	LR_SEPARATION,				/* fitted probabilities numerically 0 or 1 */
	LR_NO_CONVERGENCE,			/* LR_MAX_ITER iterations were not enough */
	LR_OVERFLOW					/* term bad_term's squares overflow or underflow */
} lr_status;

typedef struct lr_result
{
	double	   *beta;			/* caller-allocated, k + 1 */
	double	   *se;				/* caller-allocated, k + 1 */
	double		loglik;			/* unpenalised log-likelihood at beta */
	int			iterations;		/* Newton steps taken */
	bool		converged;
	int			bad_term;		/* LR_SINGULAR, LR_OVERFLOW: offending term (0 = intercept) */
	size_t		n;				/* rows */
	size_t		npos;			/* rows with label 1 */
	size_t		nsep;			/* LR_SEPARATION: rows fitted at exactly 0 or 1 */
} lr_result;

/* Doubles of work space lr_fit (and lr_fit_passes) needs for k features. */
extern size_t lr_work_size(int k);

/* Fit; work must hold lr_work_size(k) doubles. */
extern lr_status lr_fit(const lr_problem *prob, lr_result *res, double *work);

/*
 * The same Newton iteration with the passes over the rows done by the
 * caller (logistic_train: one aggregate query per pass, on any number of
 * machines).  A pass at beta sums, over the rows used, the unpenalised
 * log-likelihood, gradient and Hessian (packed upper triangle, see
 * lr_tri_size) with lr_accumulate, and counts the rows fitted at 0 or 1;
 * lr_fit_passes adds the penalty.  Identical arithmetic to lr_fit: with the
 * rows summed in the same order the two give the same bits.
 */
#define LR_DEFAULT_TOL 1e-12	/* relative change of the deviance */

typedef struct lr_sums
{
	double		ll;				/* log-likelihood */
	double	   *g;				/* k + 1 */
	double	   *H;				/* lr_tri_size(k + 1), packed upper triangle */
	size_t		nsep;			/* rows fitted at probability 0 or 1 */
} lr_sums;

typedef struct lr_options
{
	int			max_iter;		/* Newton steps, LR_MAX_ITER in lr_fit */
	double		rel_tol;		/* LR_DEFAULT_TOL in lr_fit */
	/*
	 * Each column's largest |x| (index 1..k), or NULL when unknown: tells a
	 * Hessian diagonal that underflowed to 0 from an all-zero column.
	 */
	const double *xmax;
} lr_options;

/* Fill *out (its arrays and fields zeroed by the caller) at beta. */
typedef void (*lr_pass_fn) (void *arg, const double *beta, lr_sums *out);

/* Entries of the packed upper triangle of a p x p matrix. */
static inline size_t
lr_tri_size(int p)
{
	return (size_t) p * (p + 1) / 2;
}

/* Add one row (k features x, label y 0 or 1) at beta to s; z: k + 1 doubles of scratch. */
extern void lr_accumulate(int k, const double *beta, const double *x, double y,
						  double *z, lr_sums *s);

/*
 * Fit with n rows of which npos positive (known from a first pass).
 * Returns as lr_fit; res->n and res->npos are set from n and npos.
 */
extern lr_status lr_fit_passes(int k, double l2, size_t n, size_t npos,
							   const lr_options *opt, lr_pass_fn pass, void *arg,
							   lr_result *res, double *work);

/* Probability of the model at one row of k features (intercept implicit). */
extern double lr_predict(const double *beta, int k, const double *x);

/* Two-sided normal p-value of a z statistic: erfc(|z| / sqrt 2). */
extern double lr_pvalue(double z);

/*
 * Cholesky factorisation of a symmetric positive definite p x p matrix
 * (row-major, upper triangle read), scaled to unit diagonal first so the
 * rank test does not depend on the units of the features.  On success the
 * factor and scale are left in L (lower) and d; returns -1.  On a pivot
 * below the tolerance, returns the index of the dependent term.
 */
extern int	lr_cholesky(const double *A, int p, double *L, double *d);
/* Solve A x = b with the factor from lr_cholesky. */
extern void lr_chol_solve(const double *L, const double *d, int p,
						  const double *b, double *x, double *tmp);

#endif
