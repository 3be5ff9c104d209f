/*
 * bgnbd_core.h — repeat-purchase models in plain C (no postgres.h):
 * BG/NBD (Fader, Hardie and Lee 2005), the Gamma-Gamma spend model
 * (Fader, Hardie and Lee 2005b / Fader and Hardie 2013), customer
 * lifetime value, the Gaussian hypergeometric function 2F1, the
 * quasi-Newton optimiser that fits both models, and the checks and JSON
 * text form of the stored models.
 *
 * Times (recency, T, horizons) are in any one unit the caller chooses;
 * alpha comes back in that unit.
 */
#ifndef B2B_BGNBD_CORE_H
#define B2B_BGNBD_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json_core.h"

typedef struct bgnbd_params
{
	double		r;
	double		alpha;
	double		a;
	double		b;
} bgnbd_params;

/* One distinct customer history, with the number of customers sharing it. */
typedef struct bgnbd_obs
{
	double		x;				/* repeat purchases */
	double		tx;				/* recency: time of the last repeat purchase */
	double		T;				/* age: time since the first purchase */
	double		n;				/* customers with this history */
} bgnbd_obs;

typedef struct gg_params
{
	double		p;
	double		q;
	double		v;
} gg_params;

typedef struct gg_obs
{
	double		x;				/* repeat purchases (> 0) */
	double		m;				/* mean spend per repeat purchase (> 0) */
	double		n;				/* customers with this pair */
} gg_obs;

/* What a fit reports. */
typedef struct b2b_fit_info
{
	double		loglik;			/* total log-likelihood at the optimum */
	double		objective;		/* minimised: -loglik/N + l2 * sum(param^2) */
	double		grad_norm;		/* max |gradient| of the objective at the end */
	int			iterations;
	bool		converged;
} b2b_fit_info;

/* ---- special functions ---- */
extern double b2b_digamma(double x);

/*
 * log 2F1(a, b; c; z) for a, b, c > 0 and 0 <= z < 1 (the domain the models
 * need).  Returns NaN when the series does not converge within its budget.
 */
extern double b2b_log_hyp2f1(double a, double b, double c, double z);
extern double b2b_hyp2f1(double a, double b, double c, double z);

/* ---- input checks: NULL when fine, else a message naming the fault ---- */
extern const char *bgnbd_check_obs(double x, double tx, double T);
extern const char *bgnbd_check_params(const bgnbd_params *p);
extern const char *gg_check_obs(double x, double m);
extern const char *gg_check_params(const gg_params *p);

/* ---- BG/NBD ---- */

/* Log-likelihood of one history; grad (may be NULL) gets d/d(log param). */
extern double bgnbd_loglik1(const bgnbd_params *p, double x, double tx, double T,
							double grad[4]);

/*
 * Maximum-likelihood fit over nobs distinct histories.  l2 >= 0 adds
 * l2 * (r^2 + alpha^2 + a^2 + b^2) to the per-customer negative
 * log-likelihood, as lifetimes' penalizer_coef does.  Returns false (and
 * leaves *out untouched) only when no start point gives a finite
 * likelihood.
 */
extern bool bgnbd_fit(const bgnbd_obs *obs, size_t nobs, double l2,
					  bgnbd_params *out, b2b_fit_info *info);

extern double bgnbd_p_alive(const bgnbd_params *p, double x, double tx, double T);
/* E[X(T, T + t) | x, tx, T]: expected repeat purchases in the next t. */
extern double bgnbd_expected_cond(const bgnbd_params *p, double t,
								  double x, double tx, double T);
/* E[X(t)] for a customer just acquired. */
extern double bgnbd_expected_new(const bgnbd_params *p, double t);
/* P(X(t) = n) for a customer just acquired. */
extern double bgnbd_prob_n(const bgnbd_params *p, double n, double t);

/* ---- Gamma-Gamma ---- */
extern double gg_loglik1(const gg_params *p, double x, double m, double grad[3]);
extern bool gg_fit(const gg_obs *obs, size_t nobs, double l2,
				   gg_params *out, b2b_fit_info *info);
/* E[M | x, mbar]; NaN when q <= 1 (the population mean does not exist). */
extern double gg_expected_spend(const gg_params *p, double x, double m);

/*
 * Customer lifetime value as lifetimes' customer_lifetime_value computes
 * it: sum over months i = 1..months of
 *   spend * (E[X(i*f)] - E[X((i-1)*f)]) / (1 + discount)^i
 * with E the conditional expectation and f the model time units per month.
 */
extern double b2b_clv(const bgnbd_params *p, double x, double tx, double T,
					  double spend, int months, double discount,
					  double units_per_month);

/* ---- the bgnbd_model and gamma_gamma_model values ---- */

#define REPEAT_MODEL_VERSION 1
#define REPEAT_BGNBD 1			/* kinds */
#define REPEAT_GG 2

/*
 * A stored model, 80 bytes; the first four are the varlena header, owned by
 * the fmgr glue (bgnbd.c).
 */
typedef struct repeat_model
{
	int32_t		vl_len_;		/* varlena header (glue only) */
	uint8_t		version;
	uint8_t		kind;			/* REPEAT_BGNBD or REPEAT_GG */
	uint8_t		converged;		/* 0 or 1 */
	uint8_t		flags;			/* reserved, 0 */
	int32_t		iterations;
	double		par[4];			/* r, alpha, a, b  or  p, q, v, 0 */
	double		loglik;			/* NaN when unknown (a model typed in) */
	double		l2;
	int64_t		customers;
	int64_t		skipped;
} repeat_model;

/*
 * Zero the body, set the version and kind, log-likelihood unknown (the
 * header is left alone).
 */
extern void repeat_model_init(repeat_model *m, int kind);

/* Parameters of a kind (4 or 3) and their names in the text form. */
extern int	repeat_model_npar(int kind);
extern const char *const *repeat_model_par_names(int kind);

/* NULL when the fields are consistent, else what is wrong. */
extern const char *repeat_model_fault(const repeat_model *m);

/*
 * Parse the JSON text form of a model of the given kind (len bytes of str,
 * no NUL needed) into the body of *m (repeat_model_init first) and check it
 * with repeat_model_fault.  Returns
 * NULL on success, else what is wrong: a constant string or err (errsz
 * bytes, BJ_ERR_SIZE is enough), which gets the reader's message with its
 * character position.
 */
extern const char *repeat_model_parse(const char *str, size_t len, int kind,
									  repeat_model *m, char *err, size_t errsz);

/* Write the text form repeat_model_parse reads (bgnbd_model_out, ...). */
extern void repeat_model_write(const bj_writer *w, const repeat_model *m);

#endif
