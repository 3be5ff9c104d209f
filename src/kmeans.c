/*
 * kmeans.c — the kmeans_model type, kmeans_fit, kmeans_step, kmeans_model()
 * and the accessors (SPEC §8).  The math is in kmeans_core.c.
 *
 * kmeans_fit needs every row for its k-means++ seeding and its Lloyd
 * passes, so its state is the rows themselves (internal, unbounded): d
 * doubles a row in blocks of about 1 MB in the aggregate context, shipped
 * from parallel workers through serialize/deserialize that check every
 * length and value.
 *
 * kmeans_step is one bounded pass: its state is a kmeans_model value in
 * the "pass" (or "pending") state — the model plus k x d double-double
 * sums, k counts and the k rows farthest from their centroid — updated in
 * place in the aggregate context, with an exact combine function, so Citus
 * can run each pass on its workers.
 *
 * A kmeans_model is a varlena: version byte, flags, k, d, iterations,
 * rows, skipped, objective, silhouette, then the doubles laid out by
 * km_data_len (kmeans_core.h).
 */
#include "b2btarget.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "json_core.h"
#include "kmeans_core.h"

PG_FUNCTION_INFO_V1(kmeans_model_in);
PG_FUNCTION_INFO_V1(kmeans_model_out);
PG_FUNCTION_INFO_V1(kmeans_model_recv);
PG_FUNCTION_INFO_V1(kmeans_model_send);
PG_FUNCTION_INFO_V1(kmeans_fit_trans);
PG_FUNCTION_INFO_V1(kmeans_fit_combine);
PG_FUNCTION_INFO_V1(kmeans_fit_serialize);
PG_FUNCTION_INFO_V1(kmeans_fit_deserialize);
PG_FUNCTION_INFO_V1(kmeans_fit_final);
PG_FUNCTION_INFO_V1(kmeans_step_trans);
PG_FUNCTION_INFO_V1(kmeans_step_combine);
PG_FUNCTION_INFO_V1(kmeans_step_final);
PG_FUNCTION_INFO_V1(kmeans_model_start);
PG_FUNCTION_INFO_V1(kmeans_cluster_of);
PG_FUNCTION_INFO_V1(kmeans_cluster_distance);
PG_FUNCTION_INFO_V1(kmeans_centroids);
PG_FUNCTION_INFO_V1(kmeans_summary);
PG_FUNCTION_INFO_V1(kmeans_cluster_profile);

#define FIT_MAX_STATE_BYTES ((Size) 4 << 30)
#define FIT_MAX_SERIAL_BYTES (MaxAllocSize - 1024)
#define FIT_BLOCK_BYTES ((Size) 1 << 20)
#define FIT_SERIAL_VERSION 1

#define FIT_HINT_LIMIT "kmeans_fit keeps every row in memory (8 bytes per feature); fit on a sample (TABLESAMPLE) or use kmeans_train, whose passes are bounded."

/* ---------------------------------------------------------------------
 * The stored model.
 * --------------------------------------------------------------------- */

typedef struct KmeansModel
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;
	uint16		reserved;		/* 0 */
	int32		k;
	int32		d;
	int32		iterations;
	int32		reserved2;		/* 0 */
	int64		rows;
	int64		skipped;
	double		objective;
	double		silhouette;
	double		data[FLEXIBLE_ARRAY_MEMBER];
} KmeansModel;

#define KM_HDR offsetof(KmeansModel, data)

static void
km_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

/* A view of a stored value's fields (data points into it). */
static void
model_view(KmeansModel *m, km_fields *f)
{
	f->k = m->k;
	f->d = m->d;
	f->iterations = m->iterations;
	f->flags = m->flags;
	f->rows = m->rows;
	f->skipped = m->skipped;
	f->objective = m->objective;
	f->silhouette = m->silhouette;
	f->data = m->data;
}

/* Write the header fields of f back into m. */
static void
model_store_header(const km_fields *f, KmeansModel *m)
{
	m->version = KM_VERSION;
	m->flags = (uint8) f->flags;
	m->reserved = 0;
	m->k = f->k;
	m->d = f->d;
	m->iterations = f->iterations;
	m->reserved2 = 0;
	m->rows = f->rows;
	m->skipped = f->skipped;
	m->objective = f->objective;
	m->silhouette = f->silhouette;
}

static KmeansModel *
model_alloc(MemoryContext ctx, int k, int d, unsigned flags)
{
	Size		size = KM_HDR + sizeof(double) * km_data_len(k, d, flags);
	KmeansModel *m = (KmeansModel *) MemoryContextAllocZero(ctx, size);

	SET_VARSIZE(m, size);
	return m;
}

static KmeansModel *
model_build(MemoryContext ctx, const km_fields *f)
{
	KmeansModel *m = model_alloc(ctx, f->k, f->d, f->flags);

	model_store_header(f, m);
	memcpy(m->data, f->data, sizeof(double) * km_data_len(f->k, f->d, f->flags));
	return m;
}

/* Validate a detoasted stored value (sizes, version, every field). */
static KmeansModel *
model_validate(KmeansModel *m)
{
	Size		size = VARSIZE(m);
	km_fields	f;
	const char *problem;

	if (size < KM_HDR)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("kmeans_model value is truncated (%zu bytes)", size)));
	b2b_check_version(m->version, KM_VERSION, "kmeans_model");
	if (m->reserved != 0 || m->reserved2 != 0 || km_shape_problem(m->k, m->d) != NULL ||
		(m->flags & ~KM_FLAGS_ALL) != 0 ||
		size != KM_HDR + sizeof(double) * km_data_len(m->k, m->d, m->flags))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("kmeans_model value is corrupt (header)")));
	model_view(m, &f);
	problem = km_fields_problem(&f);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("kmeans_model value is corrupt: %s", problem)));
	return m;
}

#define PG_GETARG_KMEANS(n) model_validate((KmeansModel *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* A finished model (accessors): not pending, not a partial pass. */
static KmeansModel *
model_finished(KmeansModel *m, const char *fname)
{
	if (m->flags & KM_PENDING)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s got a pending kmeans_model (no rows seen yet)", fname),
				 errhint("A model made by kmeans_model(initial_centroids) learns its scale in one kmeans_step pass over the rows first.")));
	if (m->flags & KM_PASS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s got a partial kmeans_step state, not a model", fname),
				 errhint("Partial states are combined by kmeans_step; pass the aggregate's result.")));
	return m;
}

/* ---------------------------------------------------------------------
 * Text and binary I/O.
 * --------------------------------------------------------------------- */

#define KM_TEXT_HINT "A kmeans_model is the JSON object kmeans_fit writes: keys \"version\" (1), \"state\", \"k\", \"dimensions\", \"scale\", \"rows\", \"skipped\", \"iterations\", \"converged\", \"objective\", \"simple_silhouette\", \"mean\", \"sd\", \"centroids\", \"members\" (and \"accumulators\" in a pending or pass state), each exactly once."

static void
put_sinfo(void *ctx, const char *s, size_t len)
{
	appendBinaryStringInfo((StringInfo) ctx, s, (int) len);
}

static void
putf_sinfo(void *ctx, double v)
{
	b2b_append_float8((StringInfo) ctx, v);
}

Datum
kmeans_model_out(PG_FUNCTION_ARGS)
{
	KmeansModel *m = PG_GETARG_KMEANS(0);
	km_fields	f;
	StringInfoData buf;

	model_view(m, &f);
	initStringInfo(&buf);
	km_write_json(&f, put_sinfo, putf_sinfo, &buf);
	PG_RETURN_CSTRING(buf.data);
}

Datum
kmeans_model_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	km_fields	f;
	char		err[BJ_ERR_SIZE];
	const char *problem;

	problem = km_parse(str, strlen(str), &f, palloc, pfree, err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type kmeans_model: \"%.200s%s\"",
								str, strlen(str) > 200 ? "..." : ""),
						 errdetail("%s", problem),
						 errhint(KM_TEXT_HINT)));
	PG_RETURN_POINTER(model_build(CurrentMemoryContext, &f));
}

/*
 * Binary form: version byte, flags byte, int32 k, d, iterations, int64
 * rows, skipped, float8 objective, silhouette, then the km_data_len
 * doubles.
 */
Datum
kmeans_model_send(PG_FUNCTION_ARGS)
{
	KmeansModel *m = PG_GETARG_KMEANS(0);
	StringInfoData buf;
	size_t		n = km_data_len(m->k, m->d, m->flags),
				i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, KM_VERSION);
	pq_sendbyte(&buf, m->flags);
	pq_sendint32(&buf, m->k);
	pq_sendint32(&buf, m->d);
	pq_sendint32(&buf, m->iterations);
	pq_sendint64(&buf, m->rows);
	pq_sendint64(&buf, m->skipped);
	pq_sendfloat8(&buf, m->objective);
	pq_sendfloat8(&buf, m->silhouette);
	for (i = 0; i < n; i++)
		pq_sendfloat8(&buf, m->data[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
recv_fail(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary kmeans_model: %s", what)));
}

Datum
kmeans_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	km_fields	f;
	int			version;
	const char *problem;
	size_t		n,
				i;

	if (buf->len - buf->cursor < 2 + 3 * 4 + 4 * 8)
		recv_fail("truncated header");
	version = pq_getmsgbyte(buf);
	if (version != KM_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary kmeans_model: unknown version %d", version)));
	f.flags = pq_getmsgbyte(buf);
	if ((f.flags & ~KM_FLAGS_ALL) != 0)
		recv_fail("unknown flags");
	f.k = (int32) pq_getmsgint(buf, 4);
	f.d = (int32) pq_getmsgint(buf, 4);
	f.iterations = (int32) pq_getmsgint(buf, 4);
	f.rows = (int64) pq_getmsgint64(buf);
	f.skipped = (int64) pq_getmsgint64(buf);
	f.objective = pq_getmsgfloat8(buf);
	f.silhouette = pq_getmsgfloat8(buf);
	problem = km_shape_problem(f.k, f.d);
	if (problem)
		recv_fail(problem);
	n = km_data_len(f.k, f.d, f.flags);
	if ((size_t) (buf->len - buf->cursor) != n * 8)
		recv_fail(buf->len - buf->cursor < n * 8 ? "truncated data" : "trailing bytes");
	f.data = palloc(sizeof(double) * n);
	for (i = 0; i < n; i++)
		f.data[i] = pq_getmsgfloat8(buf);
	problem = km_fields_problem(&f);
	if (problem)
		recv_fail(problem);
	PG_RETURN_POINTER(model_build(CurrentMemoryContext, &f));
}

/* ---------------------------------------------------------------------
 * Arguments.
 * --------------------------------------------------------------------- */

static bool
parse_scale(const char *s)
{
	if (strcmp(s, "zscore") == 0)
		return true;
	if (strcmp(s, "none") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown k-means scale \"%s\"", s),
				 errhint("Use 'zscore' (standardise each feature by its population mean and sd) or 'none' (raw values).")));
	return false;
}

static void
check_k(int k)
{
	if (k < 1 || k > KM_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k-means k = %d is out of range", k),
				 errhint("k is the number of clusters, 1 to %d.", KM_MAX_K)));
}

static void
check_max_iter(int it)
{
	if (it < 0 || it > KM_MAX_ITER)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k-means max_iterations = %d is out of range", it),
				 errhint("Give 0 (seeding only) to %d; the default is %d.", KM_MAX_ITER, KM_DEFAULT_MAX_ITER)));
}

/*
 * initial_centroids: a k x d float8 array without NULLs, finite.  Returns
 * a palloc'd copy of its k * d values.
 */
static double *
read_centroids(ArrayType *arr, int *k, int *d)
{
	Datum	   *el;
	bool	   *nl;
	int			n,
				i;
	double	   *out;
	const char *problem;

	if (ARR_NDIM(arr) != 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("initial_centroids must be a two-dimensional array, got %d dimensions", ARR_NDIM(arr)),
				 errhint("Give one row per cluster, e.g. ARRAY[[0, 0], [1, 1]] for two clusters of two features.")));
	*k = ARR_DIMS(arr)[0];
	*d = ARR_DIMS(arr)[1];
	problem = km_shape_problem(*k, *d);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("initial_centroids of %d x %d: %s", *k, *d, problem),
				 errhint("Give one row per cluster, one column per feature.")));
	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &el, &nl, &n);
	out = palloc(sizeof(double) * n);
	for (i = 0; i < n; i++)
	{
		if (nl[i] || !isfinite(DatumGetFloat8(el[i])))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("initial_centroids has a NULL or non-finite value at position %d", i + 1),
					 errhint("Every centroid coordinate must be a finite number.")));
		out[i] = DatumGetFloat8(el[i]);
	}
	return out;
}

/*
 * The features of one row.  Returns NULL (skip the row) on a NULL or
 * non-finite element; ERRORs on a wrong shape.  *d < 0: set it from this
 * row.  The values go to buf (d doubles) unless they can be read in place.
 */
static const double *
read_features(ArrayType *arr, int *d, double *buf, const char *fname)
{
	int			n,
				j;
	const double *x;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s features must be a one-dimensional array, got %d dimensions", fname, ARR_NDIM(arr)),
				 errhint("Pass the features of one row as ARRAY[x1, x2, ...].")));
	n = ARR_NDIM(arr) == 0 ? 0 : ARR_DIMS(arr)[0];
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s got an empty features array", fname),
				 errhint("Pass at least one feature; for a row with no data pass NULL, which skips the row.")));
	if (*d < 0)
	{
		if (n > KM_MAX_D)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s supports at most %d features, got %d", fname, KM_MAX_D, n),
					 errhint("Select fewer features.")));
		*d = n;
	}
	else if (n != *d)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s got a row of %d features, expected %d", fname, n, *d),
				 errhint("Every row must have as many features as the first row (or the model's centroids); use a NULL element for a missing value, which skips the row.")));
	if (ARR_HASNULL(arr))
	{
		bits8	   *bits = ARR_NULLBITMAP(arr);
		const char *p = ARR_DATA_PTR(arr);

		for (j = 0; j < n; j++)
		{
			if (!(bits[j / 8] & (1 << (j % 8))))
				return NULL;
			memcpy(&buf[j], p, sizeof(double));
			p += sizeof(double);
		}
		x = buf;
	}
	else
		x = (const double *) ARR_DATA_PTR(arr);
	for (j = 0; j < n; j++)
		if (!isfinite(x[j]))
			return NULL;
	return x;
}

/* ---------------------------------------------------------------------
 * kmeans_fit: the rows in memory.
 * --------------------------------------------------------------------- */

typedef struct FitBlock
{
	struct FitBlock *next;
	Size		n;
	Size		cap;
	double		rows[FLEXIBLE_ARRAY_MEMBER];
} FitBlock;

typedef struct FitParams
{
	int32		k;
	int32		seed;
	int32		max_iter;
	uint8		zscore;			/* 0 or 1 (bytes: the state is serialized) */
	uint8		has_initial;	/* 0 or 1 */
} FitParams;

typedef struct FitState
{
	MemoryContext ctx;
	bool		have_params;
	FitParams	p;
	double	   *initial;		/* k * d when has_initial */
	int			d;				/* -1 until known */
	int64		used;
	int64		skipped;
	bool		finalized;
	FitBlock   *head;
	FitBlock   *tail;
} FitState;

static FitState *
fit_state_new(MemoryContext ctx)
{
	FitState   *st = MemoryContextAllocZero(ctx, sizeof(FitState));

	st->ctx = ctx;
	st->d = -1;
	return st;
}

static double *
fit_append(FitState *st)
{
	FitBlock   *b = st->tail;

	if (b == NULL || b->n == b->cap)
	{
		Size		cap = Max(1, FIT_BLOCK_BYTES / (st->d * sizeof(double)));

		if ((double) (st->used + 1) * st->d * sizeof(double) > (double) FIT_MAX_STATE_BYTES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("kmeans_fit state exceeds 4 GB (" INT64_FORMAT " rows of %d features)",
							st->used + 1, st->d),
					 errhint(FIT_HINT_LIMIT)));
		b = MemoryContextAlloc(st->ctx, offsetof(FitBlock, rows) + cap * st->d * sizeof(double));
		b->next = NULL;
		b->n = 0;
		b->cap = cap;
		if (st->tail)
			st->tail->next = b;
		else
			st->head = b;
		st->tail = b;
	}
	return b->rows + (b->n++) * st->d;
}

static void
fit_params_differ(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("kmeans_fit parameters differ between rows"),
			 errhint("Give k (or initial_centroids), seed, scale and max_iterations as constants.")));
}

/*
 * kmeans_fit(features, k [, seed [, scale [, max_iterations]]]) and
 * kmeans_fit(features, initial_centroids [, scale [, max_iterations]]):
 * one transition function, the type of argument 2 tells which.
 */
Datum
kmeans_fit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "kmeans_fit_trans");
	FitState   *st = PG_ARGISNULL(0) ? NULL : (FitState *) PG_GETARG_POINTER(0);
	int			nargs = PG_NARGS();
	bool		initial = get_fn_expr_argtype(fcinfo->flinfo, 2) != INT4OID;
	FitParams	p;
	int			i;
	double		tmp[KM_MAX_D];
	const double *x;

	for (i = 2; i < nargs; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("kmeans_fit argument %d must not be NULL", i),
					 errhint("k (or initial_centroids), seed, scale and max_iterations are required when given.")));
	memset(&p, 0, sizeof(p));
	p.has_initial = initial;
	p.max_iter = KM_DEFAULT_MAX_ITER;
	if (st == NULL)
		st = fit_state_new(aggctx);
	if (!initial)
	{
		p.k = PG_GETARG_INT32(2);
		p.zscore = true;
		if (nargs > 3)
			p.seed = PG_GETARG_INT32(3);
		if (nargs > 4)
			p.zscore = parse_scale(text_to_cstring(PG_GETARG_TEXT_PP(4)));
		if (nargs > 5)
			p.max_iter = PG_GETARG_INT32(5);
	}
	else
	{
		p.zscore = false;
		if (nargs > 3)
			p.zscore = parse_scale(text_to_cstring(PG_GETARG_TEXT_PP(3)));
		if (nargs > 4)
			p.max_iter = PG_GETARG_INT32(4);
	}
	if (!st->have_params)
	{
		if (initial)
		{
			int			k,
						d;
			double	   *c = read_centroids(PG_GETARG_ARRAYTYPE_P(2), &k, &d);

			p.k = k;
			st->initial = MemoryContextAlloc(aggctx, sizeof(double) * k * d);
			memcpy(st->initial, c, sizeof(double) * k * d);
			st->d = d;
		}
		check_k(p.k);
		check_max_iter(p.max_iter);
		st->p = p;
		st->have_params = true;
	}
	else
	{
		if (!initial && memcmp(&p, &st->p, sizeof(p)) != 0)
			fit_params_differ();
		if (initial && (p.zscore != st->p.zscore || p.max_iter != st->p.max_iter))
			fit_params_differ();
	}

	if (PG_ARGISNULL(1))
	{
		st->skipped++;
		PG_RETURN_POINTER(st);
	}
	x = read_features(PG_GETARG_ARRAYTYPE_P(1), &st->d, tmp, "kmeans_fit");
	if (x == NULL)
	{
		st->skipped++;
		PG_RETURN_POINTER(st);
	}
	memcpy(fit_append(st), x, sizeof(double) * st->d);
	st->used++;
	PG_RETURN_POINTER(st);
}

static FitState *
fit_merge(MemoryContext aggctx, FitState *a, FitState *b)
{
	if (b == NULL)
		return a;
	if (a == NULL)
	{
		a = fit_state_new(aggctx);
		*a = *b;
		a->ctx = aggctx;
		return a;
	}
	if (a->have_params && b->have_params &&
		(memcmp(&a->p, &b->p, sizeof(FitParams)) != 0 ||
		 (a->p.has_initial && (a->d != b->d ||
							   memcmp(a->initial, b->initial, sizeof(double) * a->p.k * a->d) != 0))))
		fit_params_differ();
	if (a->d >= 0 && b->d >= 0 && a->d != b->d)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kmeans_fit got rows of %d and of %d features", a->d, b->d),
				 errhint("Every row must have the same number of features.")));
	if (!a->have_params && b->have_params)
	{
		a->have_params = true;
		a->p = b->p;
		a->initial = b->initial;
	}
	if (a->d < 0)
		a->d = b->d;
	if (b->used > 0)
	{
		if ((double) (a->used + b->used) * a->d * sizeof(double) > (double) FIT_MAX_STATE_BYTES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("kmeans_fit state exceeds 4 GB (" INT64_FORMAT " rows of %d features)",
							a->used + b->used, a->d),
					 errhint(FIT_HINT_LIMIT)));
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
kmeans_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "kmeans_fit_combine");
	FitState   *a = PG_ARGISNULL(0) ? NULL : (FitState *) PG_GETARG_POINTER(0);
	FitState   *b = PG_ARGISNULL(1) ? NULL : (FitState *) PG_GETARG_POINTER(1);

	a = fit_merge(aggctx, a, b);
	if (a == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(a);
}

/*
 * Serialized state (native byte order: it only travels between the
 * processes of one query): the header, then k * d initial centroids when
 * given, then used rows of d doubles.
 */
typedef struct FitSerialHeader
{
	uint8		version;
	uint8		have_params;
	uint16		reserved;
	int32		d;
	FitParams	p;
	int64		used;
	int64		skipped;
} FitSerialHeader;

Datum
kmeans_fit_serialize(PG_FUNCTION_ARGS)
{
	FitState   *st;
	FitSerialHeader h;
	Size		rowbytes,
				initbytes,
				size,
				off;
	bytea	   *out;
	FitBlock   *b;

	b2b_agg_context(fcinfo, "kmeans_fit_serialize");
	st = (FitState *) PG_GETARG_POINTER(0);
	rowbytes = st->d > 0 ? st->d * sizeof(double) : 0;
	initbytes = (st->have_params && st->p.has_initial) ? sizeof(double) * st->p.k * st->d : 0;
	if ((double) st->used * rowbytes + initbytes + 1024 > (double) FIT_MAX_SERIAL_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("kmeans_fit partial state of a parallel worker exceeds 1 GB (" INT64_FORMAT " rows)", st->used),
				 errhint("Fit without parallel workers (SET max_parallel_workers_per_gather = 0), which allows up to 4 GB of rows, or use kmeans_train.")));
	memset(&h, 0, sizeof(h));
	h.version = FIT_SERIAL_VERSION;
	h.have_params = st->have_params;
	h.d = st->d;
	h.p = st->p;
	h.used = st->used;
	h.skipped = st->skipped;
	off = VARHDRSZ + MAXALIGN(sizeof(h));
	size = off + initbytes + st->used * rowbytes;
	out = (bytea *) palloc0(size);
	SET_VARSIZE(out, size);
	memcpy(VARDATA(out), &h, sizeof(h));
	if (initbytes)
		memcpy((char *) out + off, st->initial, initbytes);
	off += initbytes;
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
			 errmsg("kmeans_fit partial state is corrupt: %s", what)));
}

Datum
kmeans_fit_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "kmeans_fit_deserialize");
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *data = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	FitSerialHeader h;
	FitState   *st;
	Size		off,
				rowbytes,
				initbytes,
				i;
	FitBlock   *b;

	if (len < MAXALIGN(sizeof(h)))
		fit_serial_corrupt("truncated header");
	memcpy(&h, data, sizeof(h));
	if (h.version != FIT_SERIAL_VERSION || h.have_params > 1 || h.reserved != 0)
		fit_serial_corrupt("bad version");
	if (h.d < -1 || h.d == 0 || h.d > KM_MAX_D || h.used < 0 || h.skipped < 0 ||
		(h.d < 0 && (h.used > 0 || (h.have_params && h.p.has_initial))))
		fit_serial_corrupt("bad counts");
	if (h.have_params &&
		(h.p.zscore > 1 || h.p.has_initial > 1 ||
		 h.p.k < 1 || h.p.k > KM_MAX_K || h.p.max_iter < 0 || h.p.max_iter > KM_MAX_ITER ||
		 (h.p.has_initial && km_shape_problem(h.p.k, h.d) != NULL)))
		fit_serial_corrupt("bad parameters");
	st = fit_state_new(aggctx);
	st->have_params = h.have_params;
	st->p = h.p;
	st->d = h.d;
	st->skipped = h.skipped;
	off = MAXALIGN(sizeof(h));
	initbytes = (h.have_params && h.p.has_initial) ? sizeof(double) * h.p.k * h.d : 0;
	rowbytes = h.d > 0 ? h.d * sizeof(double) : 0;
	if (len - off < initbytes || (double) h.used * rowbytes != (double) (len - off - initbytes))
		fit_serial_corrupt("data length");
	if (initbytes)
	{
		st->initial = MemoryContextAlloc(aggctx, initbytes);
		memcpy(st->initial, data + off, initbytes);
		for (i = 0; i < initbytes / sizeof(double); i++)
			if (!isfinite(st->initial[i]))
				fit_serial_corrupt("non-finite centroid");
		off += initbytes;
	}
	if (h.used > 0)
	{
		b = MemoryContextAllocHuge(aggctx, offsetof(FitBlock, rows) + h.used * rowbytes);
		b->next = NULL;
		b->n = b->cap = h.used;
		memcpy(b->rows, data + off, h.used * rowbytes);
		for (i = 0; i < (Size) h.used * h.d; i++)
			if (!isfinite(b->rows[i]))
				fit_serial_corrupt("non-finite feature");
		st->head = st->tail = b;
		st->used = h.used;
	}
	PG_RETURN_POINTER(st);
}

Datum
kmeans_fit_final(PG_FUNCTION_ARGS)
{
	FitState   *st = PG_ARGISNULL(0) ? NULL : (FitState *) PG_GETARG_POINTER(0);
	km_block   *blocks;
	FitBlock   *b;
	Size		nb = 0,
				i;
	km_fields	f;
	int			k,
				d;
	double	   *passdata,
			   *work;
	KmeansModel *m;

	b2b_agg_context(fcinfo, "kmeans_fit_final");
	if (st == NULL || st->used == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("kmeans_fit has no rows to cluster (" INT64_FORMAT " rows skipped)",
						st ? st->skipped : (int64) 0),
				 errhint("Rows with a NULL features array or a NULL or non-finite feature are skipped.")));
	if (st->finalized)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("kmeans_fit final function called twice on one state")));
	k = st->p.k;
	d = st->d;
	if (st->used < k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kmeans_fit got k = %d but only " INT64_FORMAT " usable rows", k, st->used),
				 errhint("k must not exceed the number of rows (rows with fewer distinct values than k leave some clusters empty).")));
	if ((int64) k * d > KM_MAX_KD)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("kmeans_fit k = %d times %d features exceeds %d", k, d, KM_MAX_KD),
				 errhint("Use fewer clusters or fewer features.")));
	st->finalized = true;
	km_interrupt_hook = km_interrupts;

	for (b = st->head; b; b = b->next)
		nb++;
	blocks = palloc(sizeof(km_block) * nb);
	nb = 0;
	for (b = st->head; b; b = b->next)
	{
		blocks[nb].rows = b->rows;
		blocks[nb].n = b->n;
		nb++;
	}

	memset(&f, 0, sizeof(f));
	f.k = k;
	f.d = d;
	f.flags = st->p.zscore ? KM_ZSCORE : 0;
	f.rows = st->used;
	f.skipped = st->skipped;
	f.objective = NAN;
	f.silhouette = NAN;
	f.data = palloc0(sizeof(double) * km_data_len(k, d, 0));
	work = palloc(sizeof(double) * Max(KM_MOM_LEN(d), KM_FINISH_WORK_LEN(k, d)));
	km_moments_rows(blocks, nb, d, km_mean(&f), km_sd(&f), work);

	/* to model space, in place (FINALFUNC_MODIFY = READ_WRITE) */
	if (st->p.zscore)
		for (i = 0; i < nb; i++)
		{
			Size		r;

			for (r = 0; r < blocks[i].n; r++)
				km_scale_row(&f, blocks[i].rows + r * d, blocks[i].rows + r * d);
			CHECK_FOR_INTERRUPTS();
		}

	if (st->p.has_initial)
	{
		int			c;

		for (c = 0; c < k; c++)
			km_scale_row(&f, st->initial + (size_t) c * d, km_cent(&f) + (size_t) c * d);
	}
	else
	{
		double	   *closest = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(double) * st->used);
		uint64	   *hashes = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(uint64) * st->used);

		km_seed_plusplus(blocks, nb, d, k, st->p.seed, km_cent(&f), closest, (uint64_t *) hashes);
		pfree(closest);
		pfree(hashes);
	}
	passdata = palloc(sizeof(double) * km_data_len(k, d, KM_PASS));
	km_lloyd(&f, blocks, nb, st->p.max_iter, passdata, work);
	m = model_build(CurrentMemoryContext, &f);
	PG_RETURN_POINTER(m);
}

/* ---------------------------------------------------------------------
 * kmeans_step: one bounded pass, the state a kmeans_model updated in
 * place.
 * --------------------------------------------------------------------- */

static void
step_check_state(const KmeansModel *m)
{
	if (!(m->flags & (KM_PASS | KM_PENDING)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kmeans_step state is a finished model, not a pass"),
				 errhint("kmeans_step's state is made by its transition function.")));
}

Datum
kmeans_step_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "kmeans_step_trans");
	KmeansModel *st;
	km_fields	f;
	int			d;
	double		tmp[KM_MAX_D],
				scaled[KM_MAX_D];
	const double *x;

	if (PG_ARGISNULL(0))
	{
		KmeansModel *model;
		km_fields	mf;
		bool		update = true;

		if (PG_ARGISNULL(1))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("kmeans_step model must not be NULL"),
					 errhint("Start from kmeans_model(initial_centroids) or from a kmeans_fit model.")));
		if (PG_NARGS() > 3)
		{
			if (PG_ARGISNULL(3))
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("kmeans_step update must not be NULL")));
			update = PG_GETARG_BOOL(3);
		}
		model = PG_GETARG_KMEANS(1);
		if (model->flags & KM_PASS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("kmeans_step got a partial pass state as its model"),
					 errhint("Pass a model: the result of kmeans_fit, kmeans_model or a previous kmeans_step.")));
		model_view(model, &mf);
		if (model->flags & KM_PENDING)
		{
			st = (KmeansModel *) MemoryContextAlloc(aggctx, VARSIZE(model));
			memcpy(st, model, VARSIZE(model));
			model_view(st, &f);
			f.rows = 0;
			f.skipped = 0;
			{
				double	   *mom = km_mom(&f);
				int			j;

				memset(mom, 0, sizeof(double) * 4 * f.d);
				for (j = 0; j < f.d; j++)
				{
					mom[4 * f.d + j] = INFINITY;
					mom[5 * f.d + j] = -INFINITY;
				}
			}
		}
		else
		{
			st = model_alloc(aggctx, model->k, model->d, (model->flags & KM_ZSCORE) | KM_PASS);
			f.data = st->data;
			km_pass_begin(&f, &mf, update);
		}
		model_store_header(&f, st);
	}
	else
		st = (KmeansModel *) PG_GETARG_POINTER(0);

	model_view(st, &f);
	if (PG_ARGISNULL(2))
		f.skipped++;
	else
	{
		d = f.d;
		x = read_features(PG_GETARG_ARRAYTYPE_P(2), &d, tmp, "kmeans_step");
		if (x == NULL)
			f.skipped++;
		else if (f.flags & KM_PENDING)
			km_moments_add(&f, x);
		else
		{
			if (f.rows >= (int64) KM_MAX_COUNT)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("kmeans_step counts more than 2^53 rows")));
			km_scale_row(&f, x, scaled);
			km_pass_add(&f, scaled);
		}
	}
	st->rows = f.rows;
	st->skipped = f.skipped;
	PG_RETURN_POINTER(st);
}

Datum
kmeans_step_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "kmeans_step_combine");
	KmeansModel *a,
			   *b;
	km_fields	fa,
				fb;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = PG_GETARG_KMEANS(1);
	step_check_state(b);
	if (PG_ARGISNULL(0))
	{
		a = (KmeansModel *) MemoryContextAlloc(aggctx, VARSIZE(b));
		memcpy(a, b, VARSIZE(b));
		PG_RETURN_POINTER(a);
	}
	a = (KmeansModel *) PG_GETARG_POINTER(0);
	model_view(a, &fa);
	model_view(b, &fb);
	if (!km_same_model(&fa, &fb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kmeans_step partial states of different models cannot be combined"),
				 errhint("Give the same model argument for every row of a kmeans_step pass.")));
	km_pass_merge(&fa, &fb);
	a->rows = fa.rows;
	a->skipped = fa.skipped;
	PG_RETURN_POINTER(a);
}

Datum
kmeans_step_final(PG_FUNCTION_ARGS)
{
	KmeansModel *st;
	km_fields	f,
				out;
	double	   *outdata,
			   *work;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("kmeans_step has no rows"),
				 errhint("A pass needs at least one row.")));
	st = model_validate((KmeansModel *) PG_GETARG_POINTER(0));
	step_check_state(st);
	model_view(st, &f);
	if (f.rows == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("kmeans_step has no usable rows (" INT64_FORMAT " rows skipped)", f.skipped),
				 errhint("Rows with a NULL features array or a NULL or non-finite feature are skipped.")));
	if (f.flags & KM_PENDING)
	{
		/* a copy: the final function must leave the state as it is */
		km_fields	c = f;

		c.data = palloc(sizeof(double) * km_data_len(f.k, f.d, f.flags));
		memcpy(c.data, f.data, sizeof(double) * km_data_len(f.k, f.d, f.flags));
		km_moments_finish(&c);
		PG_RETURN_POINTER(model_build(CurrentMemoryContext, &c));
	}
	outdata = palloc(sizeof(double) * km_data_len(f.k, f.d, 0));
	work = palloc(sizeof(double) * KM_FINISH_WORK_LEN(f.k, f.d));
	km_pass_finish(&f, &out, outdata, work);
	PG_RETURN_POINTER(model_build(CurrentMemoryContext, &out));
}

/* kmeans_model(initial_centroids [, scale]): a pending model. */
Datum
kmeans_model_start(PG_FUNCTION_ARGS)
{
	int			k,
				d,
				j;
	double	   *c = read_centroids(PG_GETARG_ARRAYTYPE_P(0), &k, &d);
	bool		zscore = PG_NARGS() > 1 ? parse_scale(text_to_cstring(PG_GETARG_TEXT_PP(1))) : false;
	km_fields	f;
	double	   *mom;

	memset(&f, 0, sizeof(f));
	f.k = k;
	f.d = d;
	f.flags = KM_PENDING | (zscore ? KM_ZSCORE : 0);
	f.objective = NAN;
	f.silhouette = NAN;
	f.data = palloc0(sizeof(double) * km_data_len(k, d, f.flags));
	memcpy(km_cent(&f), c, sizeof(double) * k * d);
	mom = km_mom(&f);
	for (j = 0; j < d; j++)
	{
		mom[4 * d + j] = INFINITY;
		mom[5 * d + j] = -INFINITY;
	}
	PG_RETURN_POINTER(model_build(CurrentMemoryContext, &f));
}

/* ---------------------------------------------------------------------
 * Accessors.
 * --------------------------------------------------------------------- */

/* The row in model space, or false for a NULL or non-finite feature. */
static bool
accessor_row(KmeansModel *m, ArrayType *arr, double *scaled, const char *fname)
{
	km_fields	f;
	double		tmp[KM_MAX_D];
	int			d = m->d;
	const double *x = read_features(arr, &d, tmp, fname);

	if (x == NULL)
		return false;
	model_view(m, &f);
	km_scale_row(&f, x, scaled);
	return true;
}

Datum
kmeans_cluster_of(PG_FUNCTION_ARGS)
{
	KmeansModel *m = model_finished(PG_GETARG_KMEANS(0), "cluster_of");
	double		x[KM_MAX_D],
				d1,
				d2;

	if (!accessor_row(m, PG_GETARG_ARRAYTYPE_P(1), x, "cluster_of"))
		PG_RETURN_NULL();
	PG_RETURN_INT32(km_nearest(m->data + 2 * m->d, m->k, m->d, x, &d1, &d2) + 1);
}

Datum
kmeans_cluster_distance(PG_FUNCTION_ARGS)
{
	KmeansModel *m = model_finished(PG_GETARG_KMEANS(0), "cluster_distance");
	int			c = PG_GETARG_INT32(2);
	double		x[KM_MAX_D];

	if (c < 1 || c > m->k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cluster %d is out of range for a model of %d clusters", c, m->k),
				 errhint("Clusters are numbered 1 to k.")));
	if (!accessor_row(m, PG_GETARG_ARRAYTYPE_P(1), x, "cluster_distance"))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sqrt(km_sqdist(m->data + 2 * m->d + (size_t) (c - 1) * m->d, x, m->d)));
}

/* Centroid c in the input's own units. */
static void
centroid_raw(const km_fields *f, int c, double *out)
{
	int			j;
	const double *cc = km_cent(f) + (size_t) c * f->d;

	for (j = 0; j < f->d; j++)
	{
		if (f->flags & KM_ZSCORE)
		{
			double		s = km_sd(f)[j] > 0 ? km_sd(f)[j] : 1.0;

			out[j] = cc[j] * s + km_mean(f)[j];
		}
		else
			out[j] = cc[j];
	}
}

Datum
kmeans_centroids(PG_FUNCTION_ARGS)
{
	KmeansModel *m = model_finished(PG_GETARG_KMEANS(0), "kmeans_centroids");
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	km_fields	f;
	double	   *raw;
	Datum	   *el;
	int			c,
				j;

	model_view(m, &f);
	InitMaterializedSRF(fcinfo, 0);
	raw = palloc(sizeof(double) * f.d);
	el = palloc(sizeof(Datum) * f.d);
	for (c = 0; c < f.k; c++)
	{
		Datum		values[4];
		bool		nulls[4] = {false};
		double		members = km_members(&f)[c];

		centroid_raw(&f, c, raw);
		for (j = 0; j < f.d; j++)
			el[j] = Float8GetDatum(raw[j]);
		values[0] = Int32GetDatum(c + 1);
		values[1] = Int64GetDatum((int64) members);
		if (isnan(f.objective) || f.rows == 0)
			nulls[1] = nulls[2] = true;
		else
			values[2] = Float8GetDatum(members / (double) f.rows);
		values[3] = PointerGetDatum(construct_array(el, f.d, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
kmeans_summary(PG_FUNCTION_ARGS)
{
	KmeansModel *m = model_finished(PG_GETARG_KMEANS(0), "kmeans_summary");
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7] = {false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("kmeans_summary must be called in a context that accepts a record")));
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Int32GetDatum(m->k);
	values[1] = Int64GetDatum(m->rows);
	values[2] = Int64GetDatum(m->skipped);
	values[3] = Int32GetDatum(m->iterations);
	values[4] = BoolGetDatum((m->flags & KM_CONVERGED) != 0);
	values[5] = Float8GetDatum(m->objective);
	nulls[5] = isnan(m->objective);
	values[6] = Float8GetDatum(m->silhouette);
	nulls[6] = isnan(m->silhouette);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

Datum
kmeans_cluster_profile(PG_FUNCTION_ARGS)
{
	KmeansModel *m = model_finished(PG_GETARG_KMEANS(0), "cluster_profile");
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	km_fields	f;
	char	  **names;
	double	   *raw;
	int			c,
				j;

	model_view(m, &f);
	names = palloc(sizeof(char *) * f.d);
	if (PG_NARGS() > 1 && !PG_ARGISNULL(1))
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
		Datum	   *el;
		bool	   *nl;
		int			n;

		if (ARR_NDIM(arr) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("feature_names must be a one-dimensional array")));
		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &el, &nl, &n);
		if (n != f.d)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cluster_profile got %d feature names for a model of %d features", n, f.d),
					 errhint("Give one name per feature, in the order of the features array.")));
		for (j = 0; j < n; j++)
		{
			if (nl[j])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("feature name %d is NULL", j + 1),
						 errhint("Give every feature a name.")));
			names[j] = TextDatumGetCString(el[j]);
		}
	}
	else
		for (j = 0; j < f.d; j++)
			names[j] = psprintf("x%d", j + 1);
	InitMaterializedSRF(fcinfo, 0);
	raw = palloc(sizeof(double) * f.d);
	for (c = 0; c < f.k; c++)
	{
		centroid_raw(&f, c, raw);
		for (j = 0; j < f.d; j++)
		{
			Datum		values[5];
			bool		nulls[5] = {false};
			double		sd = km_sd(&f)[j];

			values[0] = Int32GetDatum(c + 1);
			values[1] = CStringGetTextDatum(names[j]);
			values[2] = Float8GetDatum(raw[j]);
			values[3] = Float8GetDatum(km_mean(&f)[j]);
			if (sd > 0)
				values[4] = Float8GetDatum((raw[j] - km_mean(&f)[j]) / sd);
			else
				nulls[4] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}
