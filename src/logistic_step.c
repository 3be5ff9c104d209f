/*
 * logistic_step.c — logistic regression in bounded passes: the
 * logistic_step_state type, the logistic_step aggregate (one Newton/IRLS
 * pass at a given model) and the logistic_train driver.
 *
 * logistic_fit keeps every row (an internal state, unbounded).  A pass of
 * Newton's method only needs sums over the rows at the current model: the
 * log-likelihood, the gradient and the Hessian, k + 1 + (k + 1)(k + 2) / 2
 * numbers.  So the state of logistic_step is a stored type of that size,
 * updated in place, combined by adding (exact up to the order of the float
 * sums), shipped as text by Citus; logistic_train runs one such aggregate
 * query per pass over any table (or distributed table) and does the
 * Newton step itself with the same code as logistic_fit
 * (lr_fit_passes in logistic_core.c), so both give the same model.
 */
#include "b2btarget.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "executor/spi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "logistic_core.h"
#include "logistic_step_core.h"
#include "propensity_model.h"

PG_FUNCTION_INFO_V1(logistic_step_state_in);
PG_FUNCTION_INFO_V1(logistic_step_state_out);
PG_FUNCTION_INFO_V1(logistic_step_state_recv);
PG_FUNCTION_INFO_V1(logistic_step_state_send);
PG_FUNCTION_INFO_V1(logistic_step_trans);
PG_FUNCTION_INFO_V1(logistic_step_combine);
PG_FUNCTION_INFO_V1(logistic_train);

/* ---------------------------------------------------------------------
 * The stored state.
 * --------------------------------------------------------------------- */

typedef struct LogisticStepState
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* 0 */
	uint16		reserved;		/* 0 */
	int32		nterms;			/* 0: NULL model, no usable row yet */
	int32		pad;			/* 0 */
	int64		rows_used;
	int64		rows_skipped;
	int64		positives;
	int64		separated;
	double		loglik;
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* beta[nterms],
												 * gradient[nterms], packed
												 * Hessian */
} LogisticStepState;

#define LSS_HDR offsetof(LogisticStepState, data)
#define LSS_SIZE(p) (LSS_HDR + sizeof(double) * ls_doubles(p))
#define LSS_BETA(s) ((s)->data)
#define LSS_GRAD(s) ((s)->data + (s)->nterms)
#define LSS_HESS(s) ((s)->data + 2 * (s)->nterms)

#define LSS_HINT "A logistic_step_state is the JSON object logistic_step writes: keys \"version\" (1), \"terms\", then \"rows_used\", \"rows_skipped\", \"positives\", \"separated\", \"log_likelihood\", \"beta\" and \"gradient\" (terms numbers each), \"hessian\" (terms (terms + 1) / 2 numbers, the upper triangle row by row)."

static void
lss_fields(const LogisticStepState *s, ls_fields *f)
{
	f->nterms = s->nterms;
	f->rows_used = s->rows_used;
	f->rows_skipped = s->rows_skipped;
	f->positives = s->positives;
	f->separated = s->separated;
	f->loglik = s->loglik;
	f->beta = (double *) LSS_BETA(s);
	f->gradient = (double *) LSS_GRAD(s);
	f->hessian = (double *) LSS_HESS(s);
}

/* A new state of p terms, zero sums, in the current memory context. */
static LogisticStepState *
lss_new(int p)
{
	LogisticStepState *s = palloc0(LSS_SIZE(p));

	SET_VARSIZE(s, LSS_SIZE(p));
	s->version = LS_VERSION;
	s->nterms = p;
	return s;
}

static LogisticStepState *
lss_from_fields(const ls_fields *f)
{
	LogisticStepState *s = lss_new(f->nterms);

	s->rows_used = f->rows_used;
	s->rows_skipped = f->rows_skipped;
	s->positives = f->positives;
	s->separated = f->separated;
	s->loglik = f->loglik;
	memcpy(s->data, f->beta, sizeof(double) * ls_doubles(f->nterms));
	return s;
}

/* Validate a detoasted stored state (size, version, every field). */
static LogisticStepState *
lss_validate(LogisticStepState *s)
{
	ls_fields	f;
	const char *problem;

	if (VARSIZE(s) < LSS_HDR)
		b2b_corrupt("logistic_step_state value is truncated (%zu bytes)", (Size) VARSIZE(s));
	b2b_check_version(s->version, LS_VERSION, "logistic_step_state");
	if (s->flags != 0 || s->reserved != 0 || s->pad != 0 ||
		s->nterms < 0 || s->nterms > LR_MAX_FEATURES + 1 ||
		VARSIZE(s) != LSS_SIZE(s->nterms))
		b2b_corrupt("logistic_step_state value is corrupt (header)");
	lss_fields(s, &f);
	problem = ls_fields_problem(&f);
	if (problem)
		b2b_corrupt("logistic_step_state value is corrupt: %s", problem);
	return s;
}

#define PG_GETARG_LSS(n) lss_validate((LogisticStepState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

static void
append_array(StringInfo buf, const double *v, size_t n)
{
	size_t		i;

	appendStringInfoChar(buf, '[');
	for (i = 0; i < n; i++)
	{
		if (i)
			appendStringInfoString(buf, ", ");
		b2b_append_float8(buf, v[i]);
	}
	appendStringInfoChar(buf, ']');
}

Datum
logistic_step_state_out(PG_FUNCTION_ARGS)
{
	LogisticStepState *s = PG_GETARG_LSS(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"terms\": %d, \"rows_used\": " INT64_FORMAT
					 ", \"rows_skipped\": " INT64_FORMAT ", \"positives\": " INT64_FORMAT
					 ", \"separated\": " INT64_FORMAT ", \"log_likelihood\": ",
					 LS_VERSION, s->nterms, s->rows_used, s->rows_skipped,
					 s->positives, s->separated);
	b2b_append_float8(&buf, s->loglik);
	appendStringInfoString(&buf, ", \"beta\": ");
	append_array(&buf, LSS_BETA(s), s->nterms);
	appendStringInfoString(&buf, ", \"gradient\": ");
	append_array(&buf, LSS_GRAD(s), s->nterms);
	appendStringInfoString(&buf, ", \"hessian\": ");
	append_array(&buf, LSS_HESS(s), lr_tri_size(s->nterms));
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

static void *
lss_palloc(size_t size)
{
	return palloc(size);
}

Datum
logistic_step_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[160];
	ls_fields	f;
	const char *problem;
	LogisticStepState *s;

	problem = ls_parse(str, strlen(str), &f, lss_palloc, pfree, err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type logistic_step_state: \"%.200s%s\"",
								str, strlen(str) > 200 ? "..." : ""),
						 errdetail("%s", problem),
						 errhint(LSS_HINT)));
	s = lss_from_fields(&f);
	ls_fields_free(&f, pfree);
	PG_RETURN_POINTER(s);
}

/*
 * Binary form: version byte, int32 terms, int64 rows_used, rows_skipped,
 * positives, separated, float8 log-likelihood, then beta, gradient and the
 * packed Hessian as float8.
 */
Datum
logistic_step_state_send(PG_FUNCTION_ARGS)
{
	LogisticStepState *s = PG_GETARG_LSS(0);
	StringInfoData buf;
	size_t		i,
				n = ls_doubles(s->nterms);

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, LS_VERSION);
	pq_sendint32(&buf, s->nterms);
	pq_sendint64(&buf, s->rows_used);
	pq_sendint64(&buf, s->rows_skipped);
	pq_sendint64(&buf, s->positives);
	pq_sendint64(&buf, s->separated);
	pq_sendfloat8(&buf, s->loglik);
	for (i = 0; i < n; i++)
		pq_sendfloat8(&buf, s->data[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

#define lss_bad_binary(what) b2b_bad_binary("logistic_step_state", "%s", (what))

Datum
logistic_step_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	LogisticStepState *s;
	ls_fields	f;
	const char *problem;
	int			version,
				p;
	size_t		i,
				n;

	if (buf->len - buf->cursor < 1 + 4 + 4 * 8 + 8)
		lss_bad_binary("truncated header");
	version = pq_getmsgbyte(buf);
	if (version != LS_VERSION)
		lss_bad_binary(psprintf("unknown version %d", version));
	p = pq_getmsgint(buf, 4);
	if (p < 0 || p > LR_MAX_FEATURES + 1)
		lss_bad_binary(psprintf("%d terms", p));
	n = ls_doubles(p);
	if ((size_t) (buf->len - buf->cursor) != 4 * 8 + 8 + 8 * n)
		lss_bad_binary(psprintf("%d bytes for %d terms", buf->len - buf->cursor, p));
	s = lss_new(p);
	s->rows_used = pq_getmsgint64(buf);
	s->rows_skipped = pq_getmsgint64(buf);
	s->positives = pq_getmsgint64(buf);
	s->separated = pq_getmsgint64(buf);
	s->loglik = pq_getmsgfloat8(buf);
	for (i = 0; i < n; i++)
		s->data[i] = pq_getmsgfloat8(buf);
	lss_fields(s, &f);
	problem = ls_fields_problem(&f);
	if (problem)
		lss_bad_binary(problem);
	PG_RETURN_POINTER(s);
}

/* ---------------------------------------------------------------------
 * The aggregate logistic_step(model, converted, features).
 * --------------------------------------------------------------------- */

/* Per call site: which model the rows came with (all rows: the same). */
typedef struct StepCache
{
	bool		seen;
	bool		null_model;
	Pointer		last;			/* model datum last checked */
} StepCache;

/* The model of this row must be the state's (same terms, same bits). */
static void
step_check_model(FunctionCallInfo fcinfo, StepCache *c, LogisticStepState *st)
{
	bool		null_model = PG_ARGISNULL(1);
	PropensityModel *m;

	if (c->seen && c->null_model != null_model)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_step got a NULL model in some rows and a model in others"),
				 errhint("Give the same model in every row of a pass, usually as a constant or a parameter; NULL starts from zero coefficients.")));
	c->seen = true;
	c->null_model = null_model;
	if (null_model || DatumGetPointer(PG_GETARG_DATUM(1)) == c->last)
		return;
	m = PG_GETARG_PROPENSITY_MODEL(1);
	if (m->nterms != st->nterms ||
		memcmp(MODEL_COEF(m), LSS_BETA(st), sizeof(double) * m->nterms) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_step got different models in one pass"),
				 errhint("Give the same model in every row of a pass, usually as a constant or a parameter.")));
	c->last = DatumGetPointer(PG_GETARG_DATUM(1));
}

/*
 * Transition (not strict: the model may be NULL).  The state is the
 * aggregate's own copy in its context and is changed in place; a new state
 * (the first row, or the first usable row after a NULL model) is built in
 * the per-row context and the executor copies it into the aggregate's.
 */
Datum
logistic_step_trans(PG_FUNCTION_ARGS)
{
	LogisticStepState *st;
	StepCache  *cache;
	ArrayType  *arr;
	const double *x;
	double		z[LR_MAX_FEATURES + 1];
	lr_sums		sums;
	int			k,
				j;
	double		y;

	b2b_agg_context(fcinfo, "logistic_step_trans");
	cache = (StepCache *) fcinfo->flinfo->fn_extra;
	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(StepCache));
		fcinfo->flinfo->fn_extra = cache;
	}
	if (PG_ARGISNULL(0))
	{
		if (PG_ARGISNULL(1))
			st = lss_new(0);
		else
		{
			PropensityModel *m = PG_GETARG_PROPENSITY_MODEL(1);

			st = lss_new(m->nterms);
			memcpy(LSS_BETA(st), MODEL_COEF(m), sizeof(double) * m->nterms);
			cache->last = DatumGetPointer(PG_GETARG_DATUM(1));
		}
		cache->seen = true;
		cache->null_model = PG_ARGISNULL(1);
	}
	else
	{
		st = (LogisticStepState *) PG_GETARG_POINTER(0);
		step_check_model(fcinfo, cache, st);
	}

	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		st->rows_skipped++;
		PG_RETURN_POINTER(st);
	}
	arr = PG_GETARG_ARRAYTYPE_P(3);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_step features must be a one-dimensional array, got %d dimensions", ARR_NDIM(arr)),
				 errhint("Pass the features of one row as ARRAY[x1, x2, ...].")));
	k = ARR_NDIM(arr) == 0 ? 0 : ARR_DIMS(arr)[0];
	if (k > LR_MAX_FEATURES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("logistic_step supports at most %d features, got %d", LR_MAX_FEATURES, k),
				 errhint("Select fewer features; the state holds (features + 1)(features + 2) / 2 Hessian entries.")));
	if (st->nterms == 0)
	{
		/* NULL model: the first usable row sets k, at zero coefficients */
		LogisticStepState *grown = lss_new(k + 1);

		grown->rows_skipped = st->rows_skipped;
		st = grown;
	}
	else if (k + 1 != st->nterms)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_step got a row of %d features for a model of %d terms", k, st->nterms),
				 errhint("Every row must have as many features as the model (its terms less the intercept); use NULL elements for missing values, which skips the row.")));

	/* NULL or non-finite features: the row is skipped and counted */
	x = (const double *) ARR_DATA_PTR(arr);
	if (array_contains_nulls(arr))
	{
		st->rows_skipped++;
		PG_RETURN_POINTER(st);
	}
	for (j = 0; j < k; j++)
		if (!isfinite(x[j]))
		{
			st->rows_skipped++;
			PG_RETURN_POINTER(st);
		}
	y = PG_GETARG_BOOL(2) ? 1.0 : 0.0;
	sums.ll = st->loglik;
	sums.g = LSS_GRAD(st);
	sums.H = LSS_HESS(st);
	sums.nsep = 0;
	lr_accumulate(k, LSS_BETA(st), x, y, z, &sums);
	st->loglik = sums.ll;
	st->separated += sums.nsep;
	st->rows_used++;
	st->positives += (y > 0);
	PG_RETURN_POINTER(st);
}

static void
lss_add_count(int64 *a, int64 b)
{
	if (pg_add_s64_overflow(*a, b, a))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("logistic_step_state row count out of range")));
}

/*
 * Combine (and rollup's transition), strict: add b into a in place.  b may
 * come from disk or another node, so it is validated.  States of a pass
 * must be at the same model.
 */
Datum
logistic_step_combine(PG_FUNCTION_ARGS)
{
	LogisticStepState *a;
	LogisticStepState *b;
	size_t		i,
				n;

	b2b_agg_context(fcinfo, "logistic_step_combine");
	/* a may be rollup's first input, as stored: detoast and check it too */
	a = PG_GETARG_LSS(0);
	b = PG_GETARG_LSS(1);
	if (b->nterms == 0)
	{
		lss_add_count(&a->rows_skipped, b->rows_skipped);
		PG_RETURN_POINTER(a);
	}
	if (a->nterms == 0)
	{
		LogisticStepState *c = palloc(VARSIZE(b));

		memcpy(c, b, VARSIZE(b));
		lss_add_count(&c->rows_skipped, a->rows_skipped);
		PG_RETURN_POINTER(c);
	}
	if (a->nterms != b->nterms ||
		memcmp(LSS_BETA(a), LSS_BETA(b), sizeof(double) * a->nterms) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_step states of different models cannot be combined (%d and %d terms, %s coefficients)",
						a->nterms, b->nterms, a->nterms == b->nterms ? "different" : "their"),
				 errhint("Combine only the states of one pass, computed at the same model.")));
	lss_add_count(&a->rows_used, b->rows_used);
	lss_add_count(&a->rows_skipped, b->rows_skipped);
	lss_add_count(&a->positives, b->positives);
	lss_add_count(&a->separated, b->separated);
	a->loglik += b->loglik;
	n = ls_doubles(a->nterms);
	for (i = a->nterms; i < n; i++)
		a->data[i] += b->data[i];
	PG_RETURN_POINTER(a);
}

/* ---------------------------------------------------------------------
 * logistic_train: one logistic_step query per Newton pass.
 * --------------------------------------------------------------------- */

typedef struct TrainPass
{
	SPIPlanPtr	plan;
	Oid			model_type;
	pm_fields	model;			/* names, counts; coef set per pass */
	double	   *zeros;			/* standard errors of the pass models */
	int64		rows_used;
	int64		positives;
	int64		skipped;
	int			passes;
	MemoryContext pass_ctx;		/* reset each pass */
} TrainPass;

/* Run one pass at beta (NULL: NULL model); returns the state, palloc'd. */
static LogisticStepState *
train_run_pass(TrainPass *tp, const double *beta)
{
	Datum		arg = (Datum) 0;
	char		null = 'n';
	bool		isnull;
	Datum		d;
	LogisticStepState *st;
	int			ret;

	CHECK_FOR_INTERRUPTS();
	if (beta)
	{
		tp->model.coef = (double *) beta;
		arg = PointerGetDatum(propensity_model_build(&tp->model));
		null = ' ';
	}
	/* no row limit: a limit would turn parallel query off */
	ret = SPI_execute_plan(tp->plan, &arg, &null, true, 0);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("logistic_train: pass query returned %d (%d rows)", ret, (int) SPI_processed)));
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	tp->passes++;
	if (isnull)
		return NULL;
	st = (LogisticStepState *) PG_DETOAST_DATUM_COPY(d);
	SPI_freetuptable(SPI_tuptable);
	return lss_validate(st);
}

/* lr_pass_fn: the sums of a pass at beta, from one aggregate query. */
static void
train_pass(void *arg, const double *beta, lr_sums *out)
{
	TrainPass  *tp = arg;
	MemoryContext old;
	LogisticStepState *st;
	int			p = tp->model.nterms;
	int			j;

	for (j = 0; j < p; j++)
		if (!isfinite(beta[j]))
		{
			/* as in memory: a non-finite point has a NaN objective */
			out->ll = get_float8_nan();
			return;
		}
	MemoryContextReset(tp->pass_ctx);
	old = MemoryContextSwitchTo(tp->pass_ctx);
	st = train_run_pass(tp, beta);
	MemoryContextSwitchTo(old);
	if (st == NULL || st->nterms != p || st->rows_used != tp->rows_used ||
		st->positives != tp->positives)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("logistic_train: the source rows changed between passes (" INT64_FORMAT " rows used, then " INT64_FORMAT ")",
						tp->rows_used, st ? st->rows_used : (int64) 0),
				 errhint("Train on a table that is not written to meanwhile, or on a snapshot of it (CREATE TABLE ... AS, or REPEATABLE READ).")));
	out->ll = st->loglik;
	memcpy(out->g, LSS_GRAD(st), sizeof(double) * p);
	memcpy(out->H, LSS_HESS(st), sizeof(double) * lr_tri_size(p));
	out->nsep = st->separated;
}

/* Term names: "intercept", then the given names (checked) or x1, x2 ... */
static char **
train_names(ArrayType *arr, int k)
{
	char	  **names = palloc(sizeof(char *) * (k + 1));
	int			i,
				j;

	names[0] = "intercept";
	if (arr == NULL)
	{
		for (j = 0; j < k; j++)
			names[j + 1] = psprintf("x%d", j + 1);
		return names;
	}
	{
		Datum	   *elems;
		bool	   *nulls;
		int			n;

		if (ARR_NDIM(arr) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("feature_names must be a one-dimensional array"),
					 errhint("Give one name per feature, e.g. ARRAY['employees', 'web_visits'].")));
		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
		if (n != k)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("logistic_train got %d feature names for %d features", n, k),
					 errhint("Give one name per element of the features array.")));
		for (i = 0; i < n; i++)
		{
			char	   *s;

			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("feature name %d is NULL", i + 1),
						 errhint("Give every feature a name.")));
			s = TextDatumGetCString(elems[i]);
			if (strlen(s) == 0 || strlen(s) > MODEL_MAX_NAME)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("feature name \"%s\" must have 1 to %d bytes", s, MODEL_MAX_NAME),
						 errhint("Use short, distinct feature names.")));
			if (strcmp(s, "intercept") == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("feature name \"intercept\" is reserved for the intercept term"),
						 errhint("The model always has an intercept; do not add a column of ones.")));
			for (j = 1; j <= i; j++)
				if (strcmp(s, names[j]) == 0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("feature name \"%s\" is given twice", s),
							 errhint("Use short, distinct feature names.")));
			names[i + 1] = s;
		}
	}
	return names;
}

static void
train_null_arg(FunctionCallInfo fcinfo, int n, const char *name)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("logistic_train %s must not be NULL", name),
				 errhint("logistic_train(source, label, features [, feature_names, l2 DEFAULT 0, max_iterations DEFAULT 100, tolerance DEFAULT 1e-12]).")));
}

/*
 * logistic_train(source regclass, label name, features name,
 *                feature_names text[], l2 float8, max_iterations integer,
 *                tolerance float8) → propensity_model
 *
 * Runs with the caller's rights; every identifier is quoted and every
 * object qualified, so neither the caller's search_path nor odd names
 * change what runs.
 */
Datum
logistic_train(PG_FUNCTION_ARGS)
{
	Oid			relid;
	char	   *label,
			   *features;
	ArrayType  *names_arr = NULL;
	double		l2;
	int			max_iter;
	double		tol;
	Oid			ext_ns;
	char	   *ext_schema,
			   *relname,
			   *nspname;
	StringInfoData q;
	TrainPass	tp;
	LogisticStepState *first;
	lr_options	opt;
	lr_result	res;
	lr_status	status;
	double	   *work;
	char	  **names;
	int			k,
				p;
	MemoryContext fn_ctx = CurrentMemoryContext;
	PropensityModel *result;

	train_null_arg(fcinfo, 0, "source");
	train_null_arg(fcinfo, 1, "label");
	train_null_arg(fcinfo, 2, "features");
	train_null_arg(fcinfo, 4, "l2");
	train_null_arg(fcinfo, 5, "max_iterations");
	train_null_arg(fcinfo, 6, "tolerance");
	relid = PG_GETARG_OID(0);
	label = NameStr(*PG_GETARG_NAME(1));
	features = NameStr(*PG_GETARG_NAME(2));
	if (!PG_ARGISNULL(3))
		names_arr = PG_GETARG_ARRAYTYPE_P(3);
	l2 = PG_GETARG_FLOAT8(4);
	max_iter = PG_GETARG_INT32(5);
	tol = PG_GETARG_FLOAT8(6);
	if (!isfinite(l2) || l2 < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("l2 penalty %g is out of range", l2),
				 errhint("l2 is a finite number >= 0 (0: no penalty; the intercept is never penalised).")));
	if (max_iter < 1 || max_iter > LR_MAX_ITER)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_iterations %d is out of range", max_iter),
				 errhint("max_iterations is 1 to %d Newton steps (logistic_fit takes %d).", LR_MAX_ITER, LR_MAX_ITER)));
	if (!isfinite(tol) || tol < 0 || tol >= 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tolerance %g is out of range", tol),
				 errhint("tolerance is the relative change of the deviance at which the fit stops, >= 0 and < 1 (logistic_fit: 1e-12).")));
	relname = get_rel_name(relid);
	if (relname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	nspname = get_namespace_name(get_rel_namespace(relid));
	ext_ns = get_func_namespace(fcinfo->flinfo->fn_oid);
	ext_schema = get_namespace_name(ext_ns);

	initStringInfo(&q);
	appendStringInfo(&q,
					 "SELECT %s.logistic_step($1, (%s)::pg_catalog.bool, (%s)::pg_catalog.float8[]) FROM %s",
					 quote_identifier(ext_schema), quote_identifier(label),
					 quote_identifier(features),
					 quote_qualified_identifier(nspname, relname));

	memset(&tp, 0, sizeof(tp));
	tp.model_type = get_func_rettype(fcinfo->flinfo->fn_oid);
	tp.pass_ctx = AllocSetContextCreate(fn_ctx, "logistic_train pass", ALLOCSET_DEFAULT_SIZES);

	if (SPI_connect() != SPI_OK_CONNECT)
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("logistic_train: SPI_connect failed")));
	/* parallel workers may run the passes (a plain SPI_prepare forbids them) */
	tp.plan = SPI_prepare_cursor(q.data, 1, &tp.model_type, CURSOR_OPT_PARALLEL_OK);
	if (tp.plan == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("logistic_train: could not prepare \"%s\": %s", q.data,
						SPI_result_code_string(SPI_result))));

	/* pass 0 at the NULL model: counts and the number of features */
	{
		MemoryContext old = MemoryContextSwitchTo(fn_ctx);

		first = train_run_pass(&tp, NULL);
		MemoryContextSwitchTo(old);
	}
	if (first == NULL || first->rows_used == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("logistic_train has no rows to fit (" INT64_FORMAT " rows skipped)",
						first ? first->rows_skipped : (int64) 0),
				 errhint("Rows with a NULL label, a NULL features array or a NULL or non-finite feature are skipped.")));
	p = first->nterms;
	k = p - 1;
	tp.rows_used = first->rows_used;
	tp.positives = first->positives;
	tp.skipped = first->rows_skipped;

	{
		MemoryContext old = MemoryContextSwitchTo(fn_ctx);

		names = train_names(names_arr, k);
		tp.zeros = palloc0(sizeof(double) * p);
		res.beta = palloc(sizeof(double) * p);
		res.se = palloc(sizeof(double) * p);
		work = palloc(sizeof(double) * lr_work_size(k));
		MemoryContextSwitchTo(old);
	}
	tp.model.nterms = p;
	tp.model.iterations = 0;
	tp.model.converged = false;
	tp.model.rows_used = tp.rows_used;
	tp.model.rows_skipped = tp.skipped;
	tp.model.positives = tp.positives;
	tp.model.loglik = 0;
	tp.model.l2 = l2;
	tp.model.se = tp.zeros;
	tp.model.names = names;

	opt.max_iter = max_iter;
	opt.rel_tol = tol;
	opt.xmax = NULL;
	status = lr_fit_passes(k, l2, (size_t) tp.rows_used, (size_t) tp.positives,
						   &opt, train_pass, &tp, &res, work);
	SPI_finish();

	logistic_check_result("logistic_train", "train", status, &res, names, p, tp.rows_used,
						  max_iter, "logistic_train(source, label, features, l2 => 1.0)",
						  "Scale the features, raise max_iterations, or train with l2 > 0.");
	tp.model.iterations = res.iterations;
	tp.model.converged = res.converged;
	tp.model.loglik = res.loglik;
	tp.model.coef = res.beta;
	tp.model.se = res.se;
	result = propensity_model_build(&tp.model);
	MemoryContextDelete(tp.pass_ctx);
	PG_RETURN_POINTER(result);
}
