/*
 * propensity_core.h — parsing and arithmetic of propensities.  Plain C.
 */
#ifndef B2B_PROPENSITY_CORE_H
#define B2B_PROPENSITY_CORE_H

#include <stddef.h>

typedef enum
{
	PROP_OK = 0,
	PROP_SYNTAX,				/* not a number */
	PROP_NAN,					/* NaN */
	PROP_RANGE					/* a number outside [0, 1] */
} prop_status;

/*
 * Parse "0.73", "73%", " 1 ", "7.3e-1"; surrounding white space is ignored.
 * "x%" is read as x·10⁻² with one correct rounding.  -0 becomes 0.
 */
extern prop_status propensity_parse(const char *s, double *out);

/* log(p / (1 - p)), ±Infinity at 1 and 0. */
extern double prop_logit(double p);
/* 1 / (1 + exp(-x)), computed without overflow; x must not be NaN. */
extern double prop_from_logit(double x);
/* 1 - (1 - p)(1 - q), computed as p + q - pq without cancellation. */
extern double prop_any_of(double p, double q);


/*
 * Log-odds pooling (logodds_pool_agg, and the committee's
 * account_propensity, which must use the same rule): each p is clamped to
 * [PROP_POOL_EPS, 1 - PROP_POOL_EPS] before its logit is taken, and the
 * pooled value is prop_from_logit(sum w_i logit(p_i) / sum w_i).
 */
#define PROP_POOL_EPS 1e-12
extern double prop_pool_logit(double p);

#endif
