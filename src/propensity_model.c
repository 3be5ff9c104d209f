/*
 * propensity_model.c — the propensity_model type (logistic_fit's result):
 * building and validating the stored varlena, text I/O (JSON, read by
 * pm_parse in model_core.c), binary I/O and the accessors
 * model_coefficients and model_summary.  The fit is in logistic_fit.c,
 * scoring in predict.c.
 *
 * A fitted model is a varlena: version byte, counts, coefficients, standard
 * errors and term names.
 */
#include "b2btarget.h"

#include <math.h>

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/json.h"

#include "json_core.h"
#include "logistic_core.h"
#include "propensity_model.h"

PG_FUNCTION_INFO_V1(propensity_model_in);
PG_FUNCTION_INFO_V1(propensity_model_out);
PG_FUNCTION_INFO_V1(propensity_model_recv);
PG_FUNCTION_INFO_V1(propensity_model_send);
PG_FUNCTION_INFO_V1(propensity_model_coefficients);
PG_FUNCTION_INFO_V1(propensity_model_summary);

/* ---------------------------------------------------------------------
 * The stored model.
 * --------------------------------------------------------------------- */

PropensityModel *
propensity_model_build(const pm_fields *f)
{
	Size		namebytes = 0,
				size;
	PropensityModel *m;
	char	   *p;
	int			i;

	for (i = 0; i < f->nterms; i++)
		namebytes += strlen(f->names[i]) + 1;
	size = MODEL_HDR + sizeof(double) * 2 * f->nterms + namebytes;
	m = (PropensityModel *) palloc0(size);
	SET_VARSIZE(m, size);
	m->version = MODEL_VERSION;
	m->flags = f->converged ? MODEL_CONVERGED : 0;
	m->nterms = f->nterms;
	m->iterations = f->iterations;
	m->rows_used = f->rows_used;
	m->rows_skipped = f->rows_skipped;
	m->positives = f->positives;
	m->loglik = f->loglik;
	m->l2 = f->l2;
	memcpy(MODEL_COEF(m), f->coef, sizeof(double) * f->nterms);
	memcpy(MODEL_SE(m), f->se, sizeof(double) * f->nterms);
	p = MODEL_NAMES(m);
	for (i = 0; i < f->nterms; i++)
	{
		size_t		len = strlen(f->names[i]) + 1;

		memcpy(p, f->names[i], len);
		p += len;
	}
	return m;
}

/* Validate a detoasted stored model (sizes, version, every field). */
PropensityModel *
propensity_model_validate(PropensityModel *m)
{
	Size		size = VARSIZE(m);
	pm_fields	f;
	const char *problem;
	char	   *p,
			   *end;
	int			i;

	if (size < MODEL_HDR)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("propensity_model value is truncated (%zu bytes)", size)));
	b2b_check_version(m->version, MODEL_VERSION, "propensity_model");
	if (m->nterms < 1 || m->nterms > LR_MAX_FEATURES + 1 ||
		(m->flags & ~MODEL_CONVERGED) != 0 || m->reserved != 0 ||
		size < MODEL_HDR + sizeof(double) * 2 * m->nterms + m->nterms)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("propensity_model value is corrupt (header)")));
	f.nterms = m->nterms;
	f.iterations = m->iterations;
	f.converged = (m->flags & MODEL_CONVERGED) != 0;
	f.rows_used = m->rows_used;
	f.rows_skipped = m->rows_skipped;
	f.positives = m->positives;
	f.loglik = m->loglik;
	f.l2 = m->l2;
	f.coef = MODEL_COEF(m);
	f.se = MODEL_SE(m);
	f.names = (char **) palloc(sizeof(char *) * m->nterms);
	p = MODEL_NAMES(m);
	end = (char *) m + size;
	for (i = 0; i < m->nterms; i++)
	{
		char	   *nul = memchr(p, '\0', end - p);

		if (nul == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("propensity_model value is corrupt (names)")));
		f.names[i] = p;
		p = nul + 1;
	}
	if (p != end)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("propensity_model value is corrupt (trailing bytes)")));
	problem = pm_fields_problem(&f);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("propensity_model value is corrupt: %s", problem)));
	pfree(f.names);
	return m;
}

char **
propensity_model_names(const PropensityModel *m)
{
	char	  **names = (char **) palloc(sizeof(char *) * m->nterms);
	char	   *p = MODEL_NAMES(m);
	int			i;

	for (i = 0; i < m->nterms; i++)
	{
		names[i] = p;
		p += strlen(p) + 1;
	}
	return names;
}

/* ---------------------------------------------------------------------
 * Text I/O: JSON.
 * --------------------------------------------------------------------- */

#define MODEL_HINT "A propensity_model is the JSON object logistic_fit writes: keys \"version\" (1), \"terms\", \"coefficients\", \"std_errors\" (arrays of the same length), \"rows_used\", \"rows_skipped\", \"positives\", \"iterations\", \"converged\", \"log_likelihood\", \"l2\", each exactly once."

static void
append_float_array(StringInfo buf, const double *v, int n)
{
	int			i;

	appendStringInfoChar(buf, '[');
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoString(buf, ", ");
		b2b_append_float8(buf, v[i]);
	}
	appendStringInfoChar(buf, ']');
}

Datum
propensity_model_out(PG_FUNCTION_ARGS)
{
	PropensityModel *m = PG_GETARG_MODEL(0);
	char	  **names = propensity_model_names(m);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"terms\": [", MODEL_VERSION);
	for (i = 0; i < m->nterms; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		escape_json(&buf, names[i]);
	}
	appendStringInfoString(&buf, "], \"coefficients\": ");
	append_float_array(&buf, MODEL_COEF(m), m->nterms);
	appendStringInfoString(&buf, ", \"std_errors\": ");
	append_float_array(&buf, MODEL_SE(m), m->nterms);
	appendStringInfo(&buf, ", \"rows_used\": " INT64_FORMAT ", \"rows_skipped\": " INT64_FORMAT
					 ", \"positives\": " INT64_FORMAT ", \"iterations\": %d, \"converged\": %s, \"log_likelihood\": ",
					 m->rows_used, m->rows_skipped, m->positives, m->iterations,
					 (m->flags & MODEL_CONVERGED) ? "true" : "false");
	b2b_append_float8(&buf, m->loglik);
	appendStringInfoString(&buf, ", \"l2\": ");
	b2b_append_float8(&buf, m->l2);
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Parsing and every check: pm_parse (model_core.c), allocating with palloc. */
Datum
propensity_model_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	pm_fields	f;
	char		err[BJ_ERR_SIZE];
	const char *problem;

	problem = pm_parse(str, strlen(str), &f, palloc, pfree, err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type propensity_model: \"%s\"", str),
						 errdetail("%s", problem),
						 errhint(MODEL_HINT)));
	PG_RETURN_POINTER(propensity_model_build(&f));
}

/*
 * Binary form: version byte, flags byte, int32 terms, int32 iterations,
 * int64 rows used, skipped, positives, float8 log-likelihood, l2, then per
 * term the coefficient and standard error (float8) and the name (int32
 * length and bytes).
 */
Datum
propensity_model_send(PG_FUNCTION_ARGS)
{
	PropensityModel *m = PG_GETARG_MODEL(0);
	char	  **names = propensity_model_names(m);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, MODEL_VERSION);
	pq_sendbyte(&buf, m->flags);
	pq_sendint32(&buf, m->nterms);
	pq_sendint32(&buf, m->iterations);
	pq_sendint64(&buf, m->rows_used);
	pq_sendint64(&buf, m->rows_skipped);
	pq_sendint64(&buf, m->positives);
	pq_sendfloat8(&buf, m->loglik);
	pq_sendfloat8(&buf, m->l2);
	for (i = 0; i < m->nterms; i++)
	{
		int			len = strlen(names[i]);

		pq_sendfloat8(&buf, MODEL_COEF(m)[i]);
		pq_sendfloat8(&buf, MODEL_SE(m)[i]);
		pq_sendint32(&buf, len);
		pq_sendbytes(&buf, names[i], len);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
recv_need(StringInfo buf, int n)
{
	if (buf->len - buf->cursor < n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary propensity_model: truncated")));
}

Datum
propensity_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	pm_fields	f;
	int			version,
				flags,
				i;
	const char *problem;

	recv_need(buf, 2 + 4 + 4 + 3 * 8 + 2 * 8);
	version = pq_getmsgbyte(buf);
	if (version != MODEL_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary propensity_model: unknown version %d", version)));
	flags = pq_getmsgbyte(buf);
	if ((flags & ~MODEL_CONVERGED) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary propensity_model: unknown flags %d", flags)));
	f.converged = (flags & MODEL_CONVERGED) != 0;
	f.nterms = (int32) pq_getmsgint(buf, 4);
	if (f.nterms < 1 || f.nterms > LR_MAX_FEATURES + 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary propensity_model: %d terms", f.nterms)));
	f.iterations = (int32) pq_getmsgint(buf, 4);
	f.rows_used = (int64) pq_getmsgint64(buf);
	f.rows_skipped = (int64) pq_getmsgint64(buf);
	f.positives = (int64) pq_getmsgint64(buf);
	f.loglik = pq_getmsgfloat8(buf);
	f.l2 = pq_getmsgfloat8(buf);
	f.coef = palloc(sizeof(double) * f.nterms);
	f.se = palloc(sizeof(double) * f.nterms);
	f.names = palloc(sizeof(char *) * f.nterms);
	for (i = 0; i < f.nterms; i++)
	{
		int			len;

		recv_need(buf, 8 + 8 + 4);
		f.coef[i] = pq_getmsgfloat8(buf);
		f.se[i] = pq_getmsgfloat8(buf);
		len = (int32) pq_getmsgint(buf, 4);
		if (len < 1 || len > MODEL_MAX_NAME)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary propensity_model: term name of %d bytes", len)));
		recv_need(buf, len);
		f.names[i] = palloc(len + 1);
		memcpy(f.names[i], pq_getmsgbytes(buf, len), len);
		f.names[i][len] = '\0';
		if ((int) strlen(f.names[i]) != len)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary propensity_model: NUL byte in a term name")));
		pg_verifymbstr(f.names[i], len, false);
	}
	if (buf->cursor != buf->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary propensity_model: %d trailing bytes",
						buf->len - buf->cursor)));
	problem = pm_fields_problem(&f);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary propensity_model: %s", problem)));
	PG_RETURN_POINTER(propensity_model_build(&f));
}
/* ---------------------------------------------------------------------
 * Accessors.
 * --------------------------------------------------------------------- */

Datum
propensity_model_coefficients(PG_FUNCTION_ARGS)
{
	PropensityModel *m = PG_GETARG_MODEL(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	  **names = propensity_model_names(m);
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < m->nterms; i++)
	{
		Datum		values[6];
		bool		nulls[6] = {false};
		double		b = MODEL_COEF(m)[i];
		double		se = MODEL_SE(m)[i];

		values[0] = CStringGetTextDatum(names[i]);
		values[1] = Float8GetDatum(b);
		values[2] = Float8GetDatum(se);
		if (se > 0)
		{
			values[3] = Float8GetDatum(b / se);
			values[4] = Float8GetDatum(lr_pvalue(b / se));
		}
		else
			nulls[3] = nulls[4] = true;
		values[5] = Float8GetDatum(exp(b));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
propensity_model_summary(PG_FUNCTION_ARGS)
{
	PropensityModel *m = PG_GETARG_MODEL(0);
	TupleDesc	tupdesc;
	Datum		values[10];
	bool		nulls[10] = {false};
	double		n = (double) m->rows_used,
				np = (double) m->positives,
				ll0;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("model_summary must be called in a context that accepts a record")));
	tupdesc = BlessTupleDesc(tupdesc);
	/* log-likelihood of the intercept-only model, for McFadden's R² */
	ll0 = (np > 0 && np < n) ? np * log(np / n) + (n - np) * log1p(-np / n) : 0;
	values[0] = Int64GetDatum(m->rows_used);
	values[1] = Int64GetDatum(m->rows_skipped);
	values[2] = Int64GetDatum(m->positives);
	values[3] = Int32GetDatum(m->nterms - 1);
	values[4] = Int32GetDatum(m->iterations);
	values[5] = BoolGetDatum((m->flags & MODEL_CONVERGED) != 0);
	values[6] = Float8GetDatum(m->loglik);
	values[7] = Float8GetDatum(2.0 * m->nterms - 2.0 * m->loglik);
	if (ll0 < 0)
		values[8] = Float8GetDatum(1.0 - m->loglik / ll0);
	else
		nulls[8] = true;
	values[9] = Float8GetDatum(m->l2);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

