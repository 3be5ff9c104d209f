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
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "parser/parse_func.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"

#include "propensity_core.h"
#include "propensity_model.h"

PG_FUNCTION_INFO_V1(propensity_model_predict);
PG_FUNCTION_INFO_V1(propensity_model_predict_features);
PG_FUNCTION_INFO_V1(propensity_model_predict_support);
PG_FUNCTION_INFO_V1(propensity_predict_from_logit);

/* ---------------------------------------------------------------------
 * predict: the model is validated once and cached in fn_extra.  When the
 * model argument is a constant (or a stable parameter) later calls use the
 * cache directly; otherwise a call with the same model datum only compares
 * its bytes with the cached ones (no parsing, no detoasting per row).
 * --------------------------------------------------------------------- */

typedef struct PredictCache
{
	Size		keylen;
	char	   *key;			/* the model datum's bytes, as passed */
	bool		stable;			/* the model argument is a constant or a
								 * stable parameter: it cannot change */
	bool		args_checked;	/* predict_features: argument types checked */
	int			k;
	double	   *beta;			/* k + 1 coefficients */
	double	   *x;				/* k features (predict_features) */
} PredictCache;

static PredictCache *
predict_model(FunctionCallInfo fcinfo)
{
	PredictCache *c = (PredictCache *) fcinfo->flinfo->fn_extra;
	struct varlena *key;
	Size		keylen;
	MemoryContext old;
	PropensityModel *m;
	double	   *beta;
	double	   *x;
	char	   *newkey;

	/* a constant model (the usual case) is read once per query */
	if (c && c->stable)
		return c;

	/*
	 * The cache key is the datum as passed: its inline bytes (plain, short
	 * header or compressed) or its on-disk TOAST pointer.  Equal keys are the
	 * same model: compressed bytes decompress deterministically, and a TOAST
	 * value's id is not reused while a snapshot of this query can still see
	 * the value.  So a model read from a table row per joined row costs one
	 * memcmp of at most its stored size, never a detoast.  Other external
	 * forms (indirect, expanded) are keyed by their content.
	 */
	key = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(0));
	if (VARATT_IS_EXTERNAL(key) && !VARATT_IS_EXTERNAL_ONDISK(key))
		key = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	keylen = VARSIZE_ANY(key);
	if (c && c->keylen == keylen && memcmp(c->key, key, keylen) == 0)
		return c;
	/* validated before the cache is touched: an ERROR leaves it intact */
	m = propensity_model_validate((PropensityModel *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0)));
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	beta = palloc(sizeof(double) * m->nterms);
	memcpy(beta, MODEL_COEF(m), sizeof(double) * m->nterms);
	x = palloc(sizeof(double) * m->nterms);
	newkey = palloc(keylen);
	memcpy(newkey, key, keylen);
	if (c == NULL)
		c = palloc0(sizeof(PredictCache));
	else
	{
		pfree(c->key);
		pfree(c->beta);
		pfree(c->x);
	}
	c->k = m->nterms - 1;
	c->beta = beta;
	c->x = x;
	c->key = newkey;
	c->keylen = keylen;
	c->stable = get_fn_expr_arg_stable(fcinfo->flinfo, 0);
	fcinfo->flinfo->fn_extra = c;
	MemoryContextSwitchTo(old);
	pfree(m);
	return c;
}

static void
predict_check_count(const PredictCache *c, int k, bool multidim)
{
	if (multidim || k != c->k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("predict: the model has %d features, the features array has %d%s",
						c->k, k, multidim ? " dimensions" : ""),
				 errhint("Pass the features in the order and number the model was fitted with; model_coefficients() lists them.")));
}

/*
 * The propensity of c->k features stored as doubles from x on, which need
 * not be aligned (a short-header array in a heap tuple is not).
 */
static Datum
predict_score(const PredictCache *c, const char *x)
{
	double		eta = c->beta[0];
	double		xj;
	int			j;

	for (j = 0; j < c->k; j++)
	{
		memcpy(&xj, x + j * sizeof(double), sizeof(double));
		eta += c->beta[j + 1] * xj;
	}
	if (!isfinite(eta))
	{
		for (j = 0; j < c->k; j++)
		{
			memcpy(&xj, x + j * sizeof(double), sizeof(double));
			if (!isfinite(xj))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("predict: feature %d is %s", j + 1, isnan(xj) ? "NaN" : "infinite"),
						 errhint("Features must be finite numbers (a NULL feature gives a NULL prediction).")));
		}
		if (isnan(eta))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("predict: the linear predictor overflows"),
					 errhint("The features are too large for the model's coefficients.")));
	}
	PG_RETURN_PROPENSITY(prop_from_logit(eta));
}

/*
 * predict(model, features float8[]).  The array is read where it lies
 * (PG_DETOAST_DATUM_PACKED: a short-header array from a heap tuple is not
 * copied), its header fields through memcpy.
 */
Datum
propensity_model_predict(PG_FUNCTION_ARGS)
{
	PredictCache *c = predict_model(fcinfo);
	struct varlena *v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));
	const char *a = VARDATA_ANY(v);	/* ArrayType's fields after vl_len_ */
	int32		ndim;
	int32		dataoffset;
	int			k = 0;

	memcpy(&ndim, a + offsetof(ArrayType, ndim) - VARHDRSZ, sizeof(int32));
	memcpy(&dataoffset, a + offsetof(ArrayType, dataoffset) - VARHDRSZ, sizeof(int32));
	if (ndim > 0)				/* dims[0] */
		memcpy(&k, a + sizeof(ArrayType) - VARHDRSZ, sizeof(int32));
	predict_check_count(c, k, ndim > 1);
	if (dataoffset != 0)		/* a NULL element */
		PG_RETURN_NULL();
	return predict_score(c, a + ARR_OVERHEAD_NONULLS(ndim) - VARHDRSZ);
}

/*
 * predict_features(model, VARIADIC "any"): predict with the features as
 * separate float8 arguments, what predict's planner support rewrites
 * predict(<model that is not a constant>, ARRAY[x1, ..., xk]) into, so no
 * array is built per row.  Not strict, so that it checks what predict
 * checks, in the same order: a NULL model gives NULL; the model is
 * validated; a wrong number of features is an ERROR even when one is
 * NULL; a NULL feature gives NULL.
 */
Datum
propensity_model_predict_features(PG_FUNCTION_ARGS)
{
	PredictCache *c;
	int			k = PG_NARGS() - 1;
	int			j;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (get_fn_expr_variadic(fcinfo->flinfo))
	{
		/* predict_features(m, VARIADIC array): predict(m, array) */
		if (k != 1 || get_fn_expr_argtype(fcinfo->flinfo, 1) != FLOAT8ARRAYOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("predict_features: a VARIADIC argument must be of type double precision[]"),
					 errhint("Call predict(model, features float8[]).")));
		if (PG_ARGISNULL(1))
			PG_RETURN_NULL();
		return propensity_model_predict(fcinfo);
	}
	c = predict_model(fcinfo);
	if (!c->args_checked)
	{
		for (j = 1; j <= k; j++)
		{
			Oid			t = get_fn_expr_argtype(fcinfo->flinfo, j);

			if (t != FLOAT8OID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("predict_features: feature %d is of type %s, not double precision",
								j, OidIsValid(t) ? format_type_be(t) : "unknown"),
						 errhint("Cast every feature to float8, or call predict(model, ARRAY[...]).")));
		}
		c->args_checked = true;
	}
	predict_check_count(c, k, false);
	for (j = 0; j < k; j++)
	{
		if (PG_ARGISNULL(j + 1))
			PG_RETURN_NULL();
		c->x[j] = PG_GETARG_FLOAT8(j + 1);
	}
	return predict_score(c, (const char *) c->x);
}

/*
 * Planner support of predict:
 *  - predict(<constant model>, ARRAY[x1, ..., xk]) is rewritten into
 *    predict_from_logit(b0 + b1 * x1 + ... + bk * xk), the expression an
 *    analyst would write, so scoring costs no array per row.  The sum is
 *    formed in the same order as predict's loop, so the result is the same
 *    double.
 *  - predict(<any other model>, ARRAY[x1, ..., xk]) of float8 elements (a
 *    model from a joined table, a scalar subquery, a parameter) is rewritten
 *    into predict_features(model, x1, ..., xk): the same checks and the same
 *    double, without building the array per row.
 * Anything else keeps the predict call; so does a database whose extension
 * is older than predict_features.
 */
static Oid
predict_sibling(FuncExpr *fexpr, const char *name, int nargs, Oid *argtypes)
{
	char	   *schema = get_namespace_name(get_func_namespace(fexpr->funcid));

	if (schema == NULL)
		return InvalidOid;
	return LookupFuncName(list_make2(makeString(schema), makeString(pstrdup(name))),
						  nargs, argtypes, true);
}

Datum
propensity_model_predict_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	FuncExpr   *fexpr;
	Node	   *model;
	ArrayExpr  *ae;
	PropensityModel *m;
	Node	   *eta;
	ListCell   *lc;
	int			j = 1;
	Oid			fn;

	if (!IsA(rawreq, SupportRequestSimplify))
		PG_RETURN_POINTER(NULL);
	fexpr = ((SupportRequestSimplify *) rawreq)->fcall;
	if (list_length(fexpr->args) != 2 || !IsA(lsecond(fexpr->args), ArrayExpr))
		PG_RETURN_POINTER(NULL);
	model = linitial(fexpr->args);
	ae = (ArrayExpr *) lsecond(fexpr->args);
	if (ae->multidims || ae->element_typeid != FLOAT8OID || ae->elements == NIL)
		PG_RETURN_POINTER(NULL);
	if (!IsA(model, Const))
	{
		Oid			argtypes[2];
		Oid		   *declared;
		int			nargs;
		FuncExpr   *call;

		if (list_length(ae->elements) >= FUNC_MAX_ARGS)
			PG_RETURN_POINTER(NULL);
		foreach(lc, ae->elements)
			if (exprType(lfirst(lc)) != FLOAT8OID)
				PG_RETURN_POINTER(NULL);
		get_func_signature(fexpr->funcid, &declared, &nargs);
		argtypes[0] = declared[0];
		argtypes[1] = ANYOID;
		fn = predict_sibling(fexpr, "predict_features", 2, argtypes);
		if (!OidIsValid(fn))
			PG_RETURN_POINTER(NULL);
		call = makeFuncExpr(fn, fexpr->funcresulttype, lcons(model, list_copy(ae->elements)),
							InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
		call->location = fexpr->location;
		PG_RETURN_POINTER(call);
	}
	if (((Const *) model)->constisnull)
		PG_RETURN_POINTER(NULL);
	m = propensity_model_validate((PropensityModel *) PG_DETOAST_DATUM_COPY(((Const *) model)->constvalue));
	/* a wrong length is left to predict, which raises the error */
	if (m->nterms < 2 || list_length(ae->elements) != m->nterms - 1)
		PG_RETURN_POINTER(NULL);
	{
		Oid			argtypes[1] = {FLOAT8OID};

		fn = predict_sibling(fexpr, "predict_from_logit", 1, argtypes);
	}
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
