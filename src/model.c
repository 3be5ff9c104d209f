/*
 * model.c — logistic_fit, the propensity_model type, predict and the model
 * accessors.
 *
 * Newton/IRLS needs several passes over the rows, so the aggregate state is
 * the rows themselves (an internal state, SPEC §1: unbounded): each row is
 * kept as k + 1 doubles (features, label) in blocks of about 1 MB, allocated
 * in the aggregate context.  Parallel workers ship their rows to the leader
 * through serialize/deserialize, which validate every length.
 *
 * A fitted model is a varlena: version byte, counts, coefficients, standard
 * errors and term names.  Its text form is JSON, read by pm_parse in
 * model_core.c.
 */
#include "b2btarget.h"

#include <math.h>

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "nodes/supportnodes.h"
#include "parser/parse_func.h"
#include "utils/fmgroids.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "json_core.h"
#include "logistic_core.h"
#include "model_core.h"
#include "propensity_core.h"

PG_FUNCTION_INFO_V1(logistic_fit_trans);
PG_FUNCTION_INFO_V1(logistic_fit_combine);
PG_FUNCTION_INFO_V1(logistic_fit_serialize);
PG_FUNCTION_INFO_V1(logistic_fit_deserialize);
PG_FUNCTION_INFO_V1(logistic_fit_final);
PG_FUNCTION_INFO_V1(propensity_model_in);
PG_FUNCTION_INFO_V1(propensity_model_out);
PG_FUNCTION_INFO_V1(propensity_model_recv);
PG_FUNCTION_INFO_V1(propensity_model_send);
PG_FUNCTION_INFO_V1(propensity_model_predict);
PG_FUNCTION_INFO_V1(propensity_model_predict_support);
PG_FUNCTION_INFO_V1(propensity_predict_from_logit);
PG_FUNCTION_INFO_V1(propensity_model_coefficients);
PG_FUNCTION_INFO_V1(propensity_model_summary);

#define MODEL_VERSION PM_VERSION
#define MODEL_CONVERGED 0x01
#define MODEL_MAX_NAME PM_MAX_NAME
/* a state holds at most this many bytes of rows (8 (k + 1) a row) */
#define FIT_MAX_STATE_BYTES ((Size) 4 << 30)
/* a serialized partial state (parallel worker -> leader) is a bytea */
#define FIT_MAX_SERIAL_BYTES (MaxAllocSize - 1024)
#define FIT_BLOCK_BYTES ((Size) 1 << 20)
#define FIT_SERIAL_VERSION 1

#define FIT_HINT_LIMIT "logistic_fit keeps every row in memory (8 bytes per feature plus 8 per row); fit on a sample (TABLESAMPLE) or with fewer features."

/* ---------------------------------------------------------------------
 * The stored model.
 * --------------------------------------------------------------------- */

typedef struct PropensityModel
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* MODEL_CONVERGED */
	uint16		reserved;		/* 0 */
	int32		nterms;			/* intercept + features */
	int32		iterations;
	int64		rows_used;
	int64		rows_skipped;
	int64		positives;
	double		loglik;
	double		l2;
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* coef[nterms], se[nterms],
												 * then nterms NUL-terminated
												 * names */
} PropensityModel;

#define MODEL_HDR offsetof(PropensityModel, data)
#define MODEL_COEF(m) ((m)->data)
#define MODEL_SE(m) ((m)->data + (m)->nterms)
#define MODEL_NAMES(m) ((char *) ((m)->data + 2 * (m)->nterms))

static PropensityModel *
model_build(const pm_fields *f)
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
static PropensityModel *
model_validate(PropensityModel *m)
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

#define PG_GETARG_MODEL(n) model_validate((PropensityModel *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

static char **
model_names(const PropensityModel *m)
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
	char	  **names = model_names(m);
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
	PG_RETURN_POINTER(model_build(&f));
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
	char	  **names = model_names(m);
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
	PG_RETURN_POINTER(model_build(&f));
}

/* ---------------------------------------------------------------------
 * The aggregate state: the rows.
 * --------------------------------------------------------------------- */

typedef struct FitBlock
{
	struct FitBlock *next;
	Size		n;				/* rows used */
	Size		cap;			/* rows that fit */
	double		rows[FLEXIBLE_ARRAY_MEMBER];
} FitBlock;

typedef struct FitState
{
	MemoryContext ctx;
	int			k;				/* features; -1 until the first usable row */
	bool		have_names;
	bool		have_l2;
	double		l2;
	char	   *names;			/* k NUL-terminated names, when given */
	Size		names_len;
	Size		names_raw_len;
	char	   *names_raw;		/* bytes of the first names array */
	int64		used;
	int64		skipped;
	FitBlock   *head;
	FitBlock   *tail;
} FitState;

static FitState *
fit_state_new(MemoryContext ctx)
{
	FitState   *st = MemoryContextAllocZero(ctx, sizeof(FitState));

	st->ctx = ctx;
	st->k = -1;
	return st;
}

static Size
fit_row_doubles(const FitState *st)
{
	return (Size) st->k + 1;
}

static void
fit_check_total(const FitState *st, int64 rows)
{
	if ((double) rows * fit_row_doubles(st) * sizeof(double) > (double) FIT_MAX_STATE_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("logistic_fit state exceeds 4 GB (" INT64_FORMAT " rows of %d features)",
						rows, st->k),
				 errhint(FIT_HINT_LIMIT)));
}

/* Room for one more row; returns where to write it. */
static double *
fit_append(FitState *st)
{
	FitBlock   *b = st->tail;
	Size		rd = fit_row_doubles(st);

	if (b == NULL || b->n == b->cap)
	{
		Size		cap = Max(1, FIT_BLOCK_BYTES / (rd * sizeof(double)));

		fit_check_total(st, st->used + 1);
		b = MemoryContextAlloc(st->ctx, offsetof(FitBlock, rows) + cap * rd * sizeof(double));
		b->next = NULL;
		b->n = 0;
		b->cap = cap;
		if (st->tail)
			st->tail->next = b;
		else
			st->head = b;
		st->tail = b;
	}
	return b->rows + (b->n++) * rd;
}

/* Split a names buffer into an array of k pointers. */
static char **
split_names(const char *buf, int k)
{
	char	  **names = palloc(sizeof(char *) * Max(k, 1));
	int			i;

	for (i = 0; i < k; i++)
	{
		names[i] = (char *) buf;
		buf += strlen(buf) + 1;
	}
	return names;
}

/* Check the feature names (once, when both they and k are known). */
static void
fit_set_names(FitState *st, ArrayType *arr)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i,
				j;
	StringInfoData buf;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("feature_names must be a one-dimensional array"),
				 errhint("Give one name per feature, e.g. ARRAY['employees', 'web_visits'].")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n != st->k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_fit got %d feature names for %d features", n, st->k),
				 errhint("Give one name per element of the features array.")));
	initStringInfo(&buf);
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
		appendBinaryStringInfo(&buf, s, strlen(s) + 1);
	}
	{
		char	  **names = split_names(buf.data, n);

		for (i = 0; i < n; i++)
			for (j = 0; j < i; j++)
				if (strcmp(names[i], names[j]) == 0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("feature name \"%s\" is given twice", names[i]),
							 errhint("Use short, distinct feature names.")));
	}
	st->names = MemoryContextAlloc(st->ctx, Max(buf.len, 1));
	memcpy(st->names, buf.data, buf.len);
	st->names_len = buf.len;
	st->have_names = true;
}

/*
 * The names must be the same in every row.  The usual argument is a
 * constant array, so comparing its bytes with the first row's is enough;
 * only a different array is decoded and its names compared.
 */
static void
fit_check_names(FitState *st, Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM(d);
	FitState	tmp;

	if (st->names_raw)
	{
		if (VARSIZE(v) == st->names_raw_len && memcmp(v, st->names_raw, st->names_raw_len) == 0)
			return;
	}
	else if (!st->have_names)
	{
		fit_set_names(st, (ArrayType *) v);
		st->names_raw = MemoryContextAlloc(st->ctx, VARSIZE(v));
		memcpy(st->names_raw, v, VARSIZE(v));
		st->names_raw_len = VARSIZE(v);
		return;
	}
	tmp = *st;
	tmp.ctx = CurrentMemoryContext;
	fit_set_names(&tmp, (ArrayType *) v);
	if (tmp.names_len != st->names_len || memcmp(tmp.names, st->names, st->names_len) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_fit feature_names differ between rows"),
				 errhint("Give the same feature names in every row, usually as a constant array.")));
}

static void
fit_check_l2(FitState *st, double l2)
{
	if (!isfinite(l2) || l2 < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("l2 penalty %g is out of range", l2),
				 errhint("l2 is a finite number >= 0 (0: no penalty; the intercept is never penalised).")));
	if (st->have_l2 && st->l2 != l2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_fit l2 differs between rows (%g and %g)", st->l2, l2),
				 errhint("Give the same l2 in every row, usually as a constant.")));
	st->l2 = l2;
	st->have_l2 = true;
}

static void
fit_set_k(FitState *st, int k)
{
	if (k > LR_MAX_FEATURES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("logistic_fit supports at most %d features, got %d", LR_MAX_FEATURES, k),
				 errhint("Select fewer features; the Hessian has (features + 1)^2 entries and every pass costs rows * features^2.")));
	st->k = k;
}

/*
 * logistic_fit(converted, features [, feature_names] [, l2]): one
 * transition function for the four overloads; the SQL declarations tell
 * which trailing arguments there are (fn_expr types).
 */
Datum
logistic_fit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "logistic_fit_trans");
	FitState   *st = PG_ARGISNULL(0) ? NULL : (FitState *) PG_GETARG_POINTER(0);
	int			nargs = PG_NARGS();
	int			names_arg = -1,
				l2_arg = -1;
	ArrayType  *arr;
	int			k,
				j;
	double	   *row;
	const double *x;
	bits8	   *nullbits;

	if (nargs == 5)
	{
		names_arg = 3;
		l2_arg = 4;
	}
	else if (nargs == 4)
	{
		if (get_fn_expr_argtype(fcinfo->flinfo, 3) == FLOAT8OID)
			l2_arg = 3;
		else
			names_arg = 3;
	}
	if (st == NULL)
		st = fit_state_new(aggctx);

	if (l2_arg >= 0)
	{
		if (PG_ARGISNULL(l2_arg))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("logistic_fit l2 must not be NULL"),
					 errhint("Give 0 for no penalty.")));
		fit_check_l2(st, PG_GETARG_FLOAT8(l2_arg));
	}

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		st->skipped++;
		PG_RETURN_POINTER(st);
	}
	arr = PG_GETARG_ARRAYTYPE_P(2);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_fit features must be a one-dimensional array, got %d dimensions", ARR_NDIM(arr)),
				 errhint("Pass the features of one row as ARRAY[x1, x2, ...].")));
	k = ARR_NDIM(arr) == 0 ? 0 : ARR_DIMS(arr)[0];
	if (st->k < 0)
		fit_set_k(st, k);
	else if (k != st->k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_fit got a row of %d features after rows of %d", k, st->k),
				 errhint("Every row must have the same number of features (the first row sets it); use NULL elements for missing values, which skips the row.")));
	if (names_arg >= 0)
	{
		if (PG_ARGISNULL(names_arg))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("logistic_fit feature_names must not be NULL"),
					 errhint("Use the overload without feature_names for the default names x1, x2, ...")));
		fit_check_names(st, PG_GETARG_DATUM(names_arg));
	}

	/* NULL or non-finite features: the row is skipped and counted */
	x = (const double *) ARR_DATA_PTR(arr);
	nullbits = ARR_NULLBITMAP(arr);
	if (nullbits)
	{
		for (j = 0; j < k; j++)
			if (!(nullbits[j / 8] & (1 << (j % 8))))
			{
				st->skipped++;
				PG_RETURN_POINTER(st);
			}
		/* with a bitmap the data are packed: copy through deconstruct */
		{
			Datum	   *el;
			bool	   *nl;
			int			n;

			deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &el, &nl, &n);
			x = palloc(sizeof(double) * Max(n, 1));
			for (j = 0; j < n; j++)
				((double *) x)[j] = DatumGetFloat8(el[j]);
		}
	}
	for (j = 0; j < k; j++)
		if (!isfinite(x[j]))
		{
			st->skipped++;
			PG_RETURN_POINTER(st);
		}
	row = fit_append(st);
	memcpy(row, x, sizeof(double) * k);
	row[k] = PG_GETARG_BOOL(1) ? 1.0 : 0.0;
	st->used++;
	PG_RETURN_POINTER(st);
}

/* Merge b into a (a may be NULL).  Both live in the aggregate context. */
static FitState *
fit_merge(MemoryContext aggctx, FitState *a, FitState *b)
{
	if (b == NULL)
		return a;
	if (a == NULL)
	{
		/* take b over: its blocks are already in the aggregate context */
		a = fit_state_new(aggctx);
		*a = *b;
		a->ctx = aggctx;
		a->names_raw = NULL;
		return a;
	}
	if (a->k >= 0 && b->k >= 0 && a->k != b->k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_fit got rows of %d and of %d features", a->k, b->k),
				 errhint("Every row must have the same number of features.")));
	if (a->have_l2 && b->have_l2 && a->l2 != b->l2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_fit l2 differs between rows (%g and %g)", a->l2, b->l2),
				 errhint("Give the same l2 in every row, usually as a constant.")));
	if (a->have_names && b->have_names &&
		(a->names_len != b->names_len || memcmp(a->names, b->names, a->names_len) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_fit feature_names differ between rows"),
				 errhint("Give the same feature names in every row, usually as a constant array.")));
	if (a->k < 0)
		a->k = b->k;
	if (!a->have_l2 && b->have_l2)
	{
		a->have_l2 = true;
		a->l2 = b->l2;
	}
	if (!a->have_names && b->have_names)
	{
		a->have_names = true;
		a->names = b->names;
		a->names_len = b->names_len;
	}
	if (b->used > 0)
	{
		fit_check_total(a, a->used + b->used);
		/* link b's blocks after a's (a's last block may be part-full) */
		if (a->tail)
			a->tail->next = b->head;
		else
			a->head = b->head;
		a->tail = b->tail;
	}
	a->used += b->used;
	a->skipped += b->skipped;
	return a;
}

Datum
logistic_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "logistic_fit_combine");
	FitState   *a = PG_ARGISNULL(0) ? NULL : (FitState *) PG_GETARG_POINTER(0);
	FitState   *b = PG_ARGISNULL(1) ? NULL : (FitState *) PG_GETARG_POINTER(1);

	a = fit_merge(aggctx, a, b);
	if (a == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(a);
}

/*
 * Serialized state (native byte order: it only travels between the
 * processes of one query): version byte, flags byte (1 names, 2 l2),
 * 2 bytes 0, int32 k, int64 used, int64 skipped, float8 l2, int64 names
 * length, the names, padding to 8, then used rows of k + 1 doubles.
 */
typedef struct FitSerialHeader
{
	uint8		version;
	uint8		flags;
	uint16		reserved;
	int32		k;
	int64		used;
	int64		skipped;
	double		l2;
	int64		names_len;
} FitSerialHeader;

Datum
logistic_fit_serialize(PG_FUNCTION_ARGS)
{
	FitState   *st;
	FitSerialHeader h;
	Size		rowbytes,
				size,
				off;
	bytea	   *out;
	FitBlock   *b;

	b2b_agg_context(fcinfo, "logistic_fit_serialize");
	st = (FitState *) PG_GETARG_POINTER(0);
	rowbytes = fit_row_doubles(st) * sizeof(double);
	if (st->k < 0)
		rowbytes = 0;
	if ((double) st->used * rowbytes + st->names_len + 1024 > (double) FIT_MAX_SERIAL_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("logistic_fit partial state of a parallel worker exceeds 1 GB (" INT64_FORMAT " rows)", st->used),
				 errhint("Fit without parallel workers (SET max_parallel_workers_per_gather = 0), which allows up to 4 GB of rows, or fit on a sample.")));
	memset(&h, 0, sizeof(h));
	h.version = FIT_SERIAL_VERSION;
	h.flags = (st->have_names ? 1 : 0) | (st->have_l2 ? 2 : 0);
	h.k = st->k;
	h.used = st->used;
	h.skipped = st->skipped;
	h.l2 = st->l2;
	h.names_len = st->names_len;
	off = VARHDRSZ + sizeof(h) + MAXALIGN(st->names_len);
	size = off + st->used * rowbytes;
	out = (bytea *) palloc0(size);
	SET_VARSIZE(out, size);
	memcpy(VARDATA(out), &h, sizeof(h));
	if (st->names_len)
		memcpy(VARDATA(out) + sizeof(h), st->names, st->names_len);
	for (b = st->head; b; b = b->next)
	{
		memcpy((char *) out + off, b->rows, b->n * rowbytes);
		off += b->n * rowbytes;
	}
	PG_RETURN_BYTEA_P(out);
}

static void
fit_serial_corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("logistic_fit partial state is corrupt: %s", what)));
}

Datum
logistic_fit_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "logistic_fit_deserialize");
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *data = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	FitSerialHeader h;
	FitState   *st;
	Size		off,
				rowbytes,
				r;
	FitBlock   *b;
	int			j;

	if (len < sizeof(h))
		fit_serial_corrupt("truncated header");
	memcpy(&h, data, sizeof(h));
	if (h.version != FIT_SERIAL_VERSION || (h.flags & ~3) != 0 || h.reserved != 0)
		fit_serial_corrupt("bad version or flags");
	if (h.k < -1 || h.k > LR_MAX_FEATURES || h.used < 0 || h.skipped < 0 ||
		(h.k < 0 && h.used > 0) || h.names_len < 0 || h.names_len > len ||
		!isfinite(h.l2) || h.l2 < 0)
		fit_serial_corrupt("bad counts");
	st = fit_state_new(aggctx);
	st->k = h.k;
	st->used = 0;
	st->skipped = h.skipped;
	st->have_l2 = (h.flags & 2) != 0;
	st->l2 = h.l2;
	off = sizeof(h) + MAXALIGN(h.names_len);
	if (off > len)
		fit_serial_corrupt("truncated names");
	if (h.flags & 1)
	{
		const char *p = data + sizeof(h);
		const char *end = p + h.names_len;
		int			n = 0;

		/* k NUL-terminated names */
		while (p < end)
		{
			const char *nul = memchr(p, '\0', end - p);

			if (nul == NULL || nul == p || nul - p > MODEL_MAX_NAME)
				fit_serial_corrupt("bad names");
			p = nul + 1;
			n++;
		}
		if (n != h.k)
			fit_serial_corrupt("name count");
		st->have_names = true;
		st->names = MemoryContextAlloc(aggctx, Max(h.names_len, 1));
		memcpy(st->names, data + sizeof(h), h.names_len);
		st->names_len = h.names_len;
	}
	else if (h.names_len != 0)
		fit_serial_corrupt("names without flag");
	rowbytes = (h.k < 0) ? 0 : ((Size) h.k + 1) * sizeof(double);
	if ((double) h.used * rowbytes != (double) (len - off))
		fit_serial_corrupt("row data length");
	if (h.used > 0)
	{
		fit_check_total(st, h.used);
		b = MemoryContextAllocHuge(aggctx, offsetof(FitBlock, rows) + h.used * rowbytes);
		b->next = NULL;
		b->n = b->cap = h.used;
		memcpy(b->rows, data + off, h.used * rowbytes);
		for (r = 0; r < (Size) h.used; r++)
		{
			const double *row = b->rows + r * (h.k + 1);

			for (j = 0; j < h.k; j++)
				if (!isfinite(row[j]))
					fit_serial_corrupt("non-finite feature");
			if (row[h.k] != 0.0 && row[h.k] != 1.0)
				fit_serial_corrupt("label not 0 or 1");
		}
		st->head = st->tail = b;
		st->used = h.used;
	}
	PG_RETURN_POINTER(st);
}

Datum
logistic_fit_final(PG_FUNCTION_ARGS)
{
	FitState   *st = PG_ARGISNULL(0) ? NULL : (FitState *) PG_GETARG_POINTER(0);
	lr_problem	prob;
	lr_result	res;
	lr_block   *blocks;
	FitBlock   *b;
	Size		nb = 0;
	double	   *work;
	lr_status	status;
	pm_fields	f;
	char	  **names;
	int			p,
				j;

	b2b_agg_context(fcinfo, "logistic_fit_final");
	if (st == NULL || st->used == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("logistic_fit has no rows to fit (" INT64_FORMAT " rows skipped)",
						st ? st->skipped : (int64) 0),
				 errhint("Rows with a NULL label, a NULL features array or a NULL or non-finite feature are skipped.")));
	for (b = st->head; b; b = b->next)
		nb++;
	blocks = palloc(sizeof(lr_block) * nb);
	nb = 0;
	for (b = st->head; b; b = b->next)
	{
		blocks[nb].rows = b->rows;
		blocks[nb].n = b->n;
		nb++;
	}
	prob.k = st->k;
	prob.l2 = st->have_l2 ? st->l2 : 0.0;
	prob.nblocks = nb;
	prob.blocks = blocks;
	p = st->k + 1;
	res.beta = palloc(sizeof(double) * p);
	res.se = palloc(sizeof(double) * p);
	work = palloc(sizeof(double) * lr_work_size(st->k));
	status = lr_fit(&prob, &res, work);

	names = palloc(sizeof(char *) * p);
	names[0] = "intercept";
	if (st->have_names)
	{
		char	  **given = split_names(st->names, st->k);

		for (j = 0; j < st->k; j++)
			names[j + 1] = given[j];
	}
	else
		for (j = 0; j < st->k; j++)
			names[j + 1] = psprintf("x%d", j + 1);

	switch (status)
	{
		case LR_OK:
			break;
		case LR_NO_ROWS:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("logistic_fit has no rows to fit")));
			break;
		case LR_ONE_CLASS:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("logistic_fit needs both outcomes, but all " INT64_FORMAT " rows have converted = %s",
							st->used, res.npos > 0 ? "true" : "false"),
					 errhint("A model of conversion needs converted and not converted rows.")));
			break;
		case LR_SINGULAR:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("logistic_fit: singular design: term \"%s\" is constant or a linear combination of the terms before it",
							names[res.bad_term]),
					 errhint("Drop the feature, or fit with l2 > 0 for a regularised solution.")));
			break;
		case LR_SEPARATION:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("logistic_fit: the outcomes are (quasi-)separated: %zu of %zu rows are fitted with probability numerically 0 or 1 and the coefficients grow without bound",
							res.nsep, res.n),
					 errhint("Fit with l2 > 0 (e.g. logistic_fit(converted, features, 1.0)) for a regularised solution, or drop the feature that separates the outcomes.")));
			break;
		case LR_NO_CONVERGENCE:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("logistic_fit did not converge in %d iterations", LR_MAX_ITER),
					 errhint("Scale the features, or fit with l2 > 0.")));
			break;
	}
	for (j = 0; j < p; j++)
		if (!isfinite(res.beta[j]) || !isfinite(res.se[j]))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("logistic_fit: the fit of term \"%s\" is not finite", names[j]),
					 errhint("Scale the features, or fit with l2 > 0.")));
	f.nterms = p;
	f.iterations = res.iterations;
	f.converged = res.converged;
	f.rows_used = st->used;
	f.rows_skipped = st->skipped;
	f.positives = (int64) res.npos;
	f.loglik = res.loglik;
	f.l2 = prob.l2;
	f.coef = res.beta;
	f.se = res.se;
	f.names = names;
	PG_RETURN_POINTER(model_build(&f));
}

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
	m = model_validate((PropensityModel *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0)));
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
	m = model_validate((PropensityModel *) PG_DETOAST_DATUM_COPY(mc->constvalue));
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

/* ---------------------------------------------------------------------
 * Accessors.
 * --------------------------------------------------------------------- */

Datum
propensity_model_coefficients(PG_FUNCTION_ARGS)
{
	PropensityModel *m = PG_GETARG_MODEL(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	  **names = model_names(m);
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
