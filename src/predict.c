/*
 * predict.c — predict(propensity_model, features), its planner support
 * (inlining a constant model into plain float8 arithmetic) and
 * predict_from_logit.
 */
#include "b2btarget.h"

#include <math.h>

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "nodes/supportnodes.h"
#include "parser/parse_func.h"
#include "utils/array.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"

#include "propensity_core.h"
#include "propensity_model.h"

PG_FUNCTION_INFO_V1(propensity_model_predict);
PG_FUNCTION_INFO_V1(propensity_model_predict_support);
PG_FUNCTION_INFO_V1(propensity_predict_from_logit);

/* ---------------------------------------------------------------------
 * predict: the model is validated once and cached in fn_extra.  When the
 * model argument is a constant (or a stable parameter) later calls use the
 * cache directly; otherwise a call with the same model bytes only compares
 * them (no parsing per row).
 * --------------------------------------------------------------------- */

typedef struct PredictCache
{
	Size		rawlen;
	char	   *raw;			/* the model's bytes, as passed */
	bool		stable;			/* the model argument is a constant or a
								 * stable parameter: it cannot change */
	int			k;
	double	   *beta;
} PredictCache;

static PredictCache *
predict_model(FunctionCallInfo fcinfo)
{
	PredictCache *c = (PredictCache *) fcinfo->flinfo->fn_extra;
	struct varlena *v;
	Size		rawlen;
	MemoryContext old;
	PropensityModel *m;

	/* a constant model (the usual case) is read once per query */
	if (c && c->stable)
		return c;
	v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	rawlen = VARSIZE_ANY(v);
	if (c && c->rawlen == rawlen && memcmp(c->raw, v, rawlen) == 0)
		return c;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (c == NULL)
		c = palloc0(sizeof(PredictCache));
	else
	{
		pfree(c->raw);
		pfree(c->beta);
		c->raw = NULL;
	}
	m = propensity_model_validate((PropensityModel *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0)));
	c->k = m->nterms - 1;
	c->beta = palloc(sizeof(double) * m->nterms);
	memcpy(c->beta, MODEL_COEF(m), sizeof(double) * m->nterms);
	pfree(m);
	c->raw = palloc(rawlen);
	memcpy(c->raw, v, rawlen);
	c->rawlen = rawlen;
	c->stable = get_fn_expr_arg_stable(fcinfo->flinfo, 0);
	fcinfo->flinfo->fn_extra = c;
	MemoryContextSwitchTo(old);
	return c;
}

Datum
propensity_model_predict(PG_FUNCTION_ARGS)
{
	PredictCache *c = predict_model(fcinfo);
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
	int			k = ARR_NDIM(arr) == 0 ? 0 : ARR_DIMS(arr)[0];
	const double *x;
	double		eta;
	int			j;

	if (ARR_NDIM(arr) > 1 || k != c->k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("predict: the model has %d features, the features array has %d%s",
						c->k, k, ARR_NDIM(arr) > 1 ? " dimensions" : ""),
				 errhint("Pass the features in the order and number the model was fitted with; model_coefficients() lists them.")));
	if (ARR_HASNULL(arr))
		PG_RETURN_NULL();
	x = (const double *) ARR_DATA_PTR(arr);
	eta = c->beta[0];
	for (j = 0; j < k; j++)
		eta += c->beta[j + 1] * x[j];
	if (!isfinite(eta))
	{
		for (j = 0; j < k; j++)
			if (!isfinite(x[j]))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("predict: feature %d is %s", j + 1, isnan(x[j]) ? "NaN" : "infinite"),
						 errhint("Features must be finite numbers (a NULL feature gives a NULL prediction).")));
		if (isnan(eta))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("predict: the linear predictor overflows"),
					 errhint("The features are too large for the model's coefficients.")));
	}
	PG_RETURN_PROPENSITY(prop_from_logit(eta));
}

/*
 * Planner support of predict: predict(<constant model>, ARRAY[x1, ..., xk])
 * is rewritten into predict_from_logit(b0 + b1 * x1 + ... + bk * xk), the
 * expression an analyst would write, so scoring costs no array per row.
 * The sum is formed in the same order as predict's loop, so the result is
 * the same double.  Anything else keeps the predict call.
 */
Datum
propensity_model_predict_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	FuncExpr   *fexpr;
	Const	   *mc;
	ArrayExpr  *ae;
	PropensityModel *m;
	Node	   *eta;
	ListCell   *lc;
	int			j = 1;
	Oid			argtypes[1] = {FLOAT8OID};
	Oid			fn;
	char	   *schema;

	if (!IsA(rawreq, SupportRequestSimplify))
		PG_RETURN_POINTER(NULL);
	fexpr = ((SupportRequestSimplify *) rawreq)->fcall;
	if (list_length(fexpr->args) != 2 ||
		!IsA(linitial(fexpr->args), Const) || !IsA(lsecond(fexpr->args), ArrayExpr))
		PG_RETURN_POINTER(NULL);
	mc = (Const *) linitial(fexpr->args);
	ae = (ArrayExpr *) lsecond(fexpr->args);
	if (mc->constisnull || ae->multidims || ae->element_typeid != FLOAT8OID)
		PG_RETURN_POINTER(NULL);
	m = propensity_model_validate((PropensityModel *) PG_DETOAST_DATUM_COPY(mc->constvalue));
	/* a wrong length is left to predict, which raises the error */
	if (m->nterms < 2 || list_length(ae->elements) != m->nterms - 1)
		PG_RETURN_POINTER(NULL);
	schema = get_namespace_name(get_func_namespace(fexpr->funcid));
	if (schema == NULL)
		PG_RETURN_POINTER(NULL);
	fn = LookupFuncName(list_make2(makeString(schema), makeString("predict_from_logit")),
						1, argtypes, true);
	if (!OidIsValid(fn))
		PG_RETURN_POINTER(NULL);
	eta = (Node *) makeConst(FLOAT8OID, -1, InvalidOid, sizeof(float8),
							 Float8GetDatum(MODEL_COEF(m)[0]), false, FLOAT8PASSBYVAL);
	foreach(lc, ae->elements)
	{
		Node	   *b = (Node *) makeConst(FLOAT8OID, -1, InvalidOid, sizeof(float8),
										   Float8GetDatum(MODEL_COEF(m)[j++]), false, FLOAT8PASSBYVAL);
		Node	   *term = (Node *) makeFuncExpr(F_FLOAT8MUL, FLOAT8OID, list_make2(b, lfirst(lc)),
												 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);

		eta = (Node *) makeFuncExpr(F_FLOAT8PL, FLOAT8OID, list_make2(eta, term),
									InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
	}
	PG_RETURN_POINTER(makeFuncExpr(fn, fexpr->funcresulttype, list_make1(eta),
								   InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL));
}

/* The inlined predict's last step: the propensity of a linear predictor. */
Datum
propensity_predict_from_logit(PG_FUNCTION_ARGS)
{
	double		eta = PG_GETARG_FLOAT8(0);

	if (isnan(eta))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("predict: a feature is NaN or infinite"),
				 errhint("Features must be finite numbers (a NULL feature gives a NULL prediction).")));
	PG_RETURN_PROPENSITY(prop_from_logit(eta));
}
