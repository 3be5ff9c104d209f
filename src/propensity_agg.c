/*
 * propensity_agg.c — aggregates with a small float8[] state:
 * logodds_pool_agg(propensity, weight), log_loss_agg and brier_agg.
 *
 * Their states are two sums, so the state is a float8[2] (a real type:
 * Citus ships it as text, and float8 text output is shortest-exact),
 * changed in place inside the aggregate context as PostgreSQL's own
 * float8_accum does.  The combine function adds states and validates the
 * one it did not build.
 */
#include "b2btarget.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"

#include "eval_core.h"
#include "propensity_core.h"

PG_FUNCTION_INFO_V1(logodds_pool_trans);
PG_FUNCTION_INFO_V1(logodds_pool_final);
PG_FUNCTION_INFO_V1(sum2_combine);
PG_FUNCTION_INFO_V1(log_loss_trans);
PG_FUNCTION_INFO_V1(brier_trans);
PG_FUNCTION_INFO_V1(mean2_final);

/*
 * The two sums of a state: {weight or count, weighted sum}.  Checks the
 * array shape, so a state from a hand-written text value cannot be read
 * out of bounds.
 */
static double *
sum2_values(ArrayType *a, const char *what)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != 2 || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s state must be a float8 array of 2 elements", what),
				 errhint("The state is {sum of weights, weighted sum}, e.g. '{0,0}'.")));
	return (double *) ARR_DATA_PTR(a);
}

static void
sum2_check(const double *v, const char *what)
{
	if (!isfinite(v[0]) || v[0] < 0 || !isfinite(v[1]))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s state {%g,%g} is invalid", what, v[0], v[1]),
				 errhint("The first element (weight or count) is finite and >= 0, the second finite.")));
}

static void
sum2_add(double *s, double w, double wx)
{
	s[0] += w;
	s[1] += wx;
	if (!isfinite(s[0]) || !isfinite(s[1]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("aggregate sum out of range"),
				 errhint("Scale the weights down.")));
}

/*
 * logodds_pool_agg(p propensity, weight float8): the weighted mean of the
 * log-odds, mapped back (propensity_core.h, prop_pool_logit).  STRICT: rows
 * with a NULL p or weight are skipped.  Weights must be finite and >= 0.
 */
Datum
logodds_pool_trans(PG_FUNCTION_ARGS)
{
	double	   *s;
	double		p = PG_GETARG_FLOAT8(1);	/* checked below */
	double		w = PG_GETARG_FLOAT8(2);

	b2b_agg_context(fcinfo, "logodds_pool_trans");
	s = sum2_values(PG_GETARG_ARRAYTYPE_P(0), "logodds_pool_agg");
	if (!isfinite(w) || w < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logodds_pool_agg weight %g is invalid", w),
				 errhint("Weights are finite numbers >= 0; a NULL weight skips the row.")));
	b2b_check_propensity(p, "logodds_pool_agg input");
	if (w > 0)
		sum2_add(s, w, w * prop_pool_logit(p));
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

Datum
logodds_pool_final(PG_FUNCTION_ARGS)
{
	double	   *s = sum2_values(PG_GETARG_ARRAYTYPE_P(0), "logodds_pool_agg");

	sum2_check(s, "logodds_pool_agg");
	if (s[0] == 0)
		PG_RETURN_NULL();
	PG_RETURN_PROPENSITY(prop_from_logit(s[1] / s[0]));
}

/* Combine of every float8[2] state: add the second into the first. */
Datum
sum2_combine(PG_FUNCTION_ARGS)
{
	double	   *a,
			   *b;

	b2b_agg_context(fcinfo, "sum2_combine");
	a = sum2_values(PG_GETARG_ARRAYTYPE_P(0), "aggregate");
	b = sum2_values(PG_GETARG_ARRAYTYPE_P(1), "aggregate");
	sum2_check(b, "aggregate");
	sum2_add(a, b[0], b[1]);
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

static double
score_arg(FunctionCallInfo fcinfo, const char *fname)
{
	double		p = PG_GETARG_FLOAT8(1);

	if (!(p >= 0 && p <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: predicted probability %g is outside [0, 1]", fname, p),
				 errhint("Give the predicted probability of the positive class (a propensity, or a float8 from 0 to 1).")));
	return p;
}

/*
 * log_loss_agg(p float8, label boolean): mean of -log(p) or -log(1 - p);
 * brier_agg(p float8, label boolean): mean of (p - y)^2.
 */
static Datum
loss_trans(FunctionCallInfo fcinfo, const char *fname, bool brier)
{
	double	   *s;
	double		p;
	bool		y;

	b2b_agg_context(fcinfo, brier ? "brier_trans" : "log_loss_trans");
	s = sum2_values(PG_GETARG_ARRAYTYPE_P(0), fname);
	p = score_arg(fcinfo, fname);
	y = PG_GETARG_BOOL(2);
	sum2_add(s, 1.0, brier ? (p - y) * (p - y) : ev_log_loss_term(p, y));
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

Datum
log_loss_trans(PG_FUNCTION_ARGS)
{
	return loss_trans(fcinfo, "log_loss_agg", false);
}

Datum
brier_trans(PG_FUNCTION_ARGS)
{
	return loss_trans(fcinfo, "brier_agg", true);
}

/* Mean of a {count, sum} state; NULL over no rows. */
Datum
mean2_final(PG_FUNCTION_ARGS)
{
	double	   *s = sum2_values(PG_GETARG_ARRAYTYPE_P(0), "aggregate");

	sum2_check(s, "aggregate");
	if (s[0] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s[1] / s[0]);
}
