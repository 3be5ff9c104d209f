/*
 * logistic_fit.c — logistic_fit(converted, features [, feature_names]
 * [, l2]): the aggregate whose result is a propensity_model.
 *
 * Newton/IRLS needs several passes over the rows, so the aggregate state is
 * the rows themselves (an internal state, doc/design.md §1: unbounded): each row is
 * kept as k + 1 doubles (features, label) in blocks of about 1 MB, allocated
 * in the aggregate context.  Parallel workers ship their rows to the leader
 * through serialize/deserialize, which validate every length.
 */
#include "b2btarget.h"

#include "miscadmin.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "logistic_core.h"
#include "propensity_model.h"

PG_FUNCTION_INFO_V1(logistic_fit_trans);
PG_FUNCTION_INFO_V1(logistic_fit_combine);
PG_FUNCTION_INFO_V1(logistic_fit_serialize);
PG_FUNCTION_INFO_V1(logistic_fit_deserialize);
PG_FUNCTION_INFO_V1(logistic_fit_final);

/* a state holds at most this many bytes of rows (8 (k + 1) a row) */
#define FIT_MAX_STATE_BYTES ((Size) 4 << 30)
/* a serialized partial state (parallel worker -> leader) is a bytea */
#define FIT_MAX_SERIAL_BYTES (MaxAllocSize - 1024)
#define FIT_BLOCK_BYTES ((Size) 1 << 20)
#define FIT_SERIAL_VERSION 1

#define FIT_HINT_LIMIT "logistic_fit keeps every row in memory (8 bytes per feature plus 8 per row); fit on a sample (TABLESAMPLE) or with fewer features."

/* ---------------------------------------------------------------------
 * The aggregate state: the rows.
 * --------------------------------------------------------------------- */

typedef struct LogisticFitBlock
{
	struct LogisticFitBlock *next;
	Size		n;				/* rows used */
	Size		cap;			/* rows that fit */
	double		rows[FLEXIBLE_ARRAY_MEMBER];
} LogisticFitBlock;

typedef struct LogisticFitState
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
	LogisticFitBlock   *head;
	LogisticFitBlock   *tail;
} LogisticFitState;

static LogisticFitState *
fit_state_new(MemoryContext ctx)
{
	LogisticFitState   *st = MemoryContextAllocZero(ctx, sizeof(LogisticFitState));

	st->ctx = ctx;
	st->k = -1;
	return st;
}

static Size
fit_row_doubles(const LogisticFitState *st)
{
	return (Size) st->k + 1;
}

static void
fit_check_total(const LogisticFitState *st, int64 rows)
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
fit_append(LogisticFitState *st)
{
	LogisticFitBlock   *b = st->tail;
	Size		rd = fit_row_doubles(st);

	if (b == NULL || b->n == b->cap)
	{
		Size		cap = Max(1, FIT_BLOCK_BYTES / (rd * sizeof(double)));

		fit_check_total(st, st->used + 1);
		b = MemoryContextAlloc(st->ctx, offsetof(LogisticFitBlock, rows) + cap * rd * sizeof(double));
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
fit_set_names(LogisticFitState *st, ArrayType *arr)
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
fit_check_names(LogisticFitState *st, Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM(d);
	LogisticFitState	tmp;

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
fit_check_l2(LogisticFitState *st, double l2)
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
fit_set_k(LogisticFitState *st, int k)
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
	LogisticFitState   *st = PG_ARGISNULL(0) ? NULL : (LogisticFitState *) PG_GETARG_POINTER(0);
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
static LogisticFitState *
fit_merge(MemoryContext aggctx, LogisticFitState *a, LogisticFitState *b)
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
	LogisticFitState   *a = PG_ARGISNULL(0) ? NULL : (LogisticFitState *) PG_GETARG_POINTER(0);
	LogisticFitState   *b = PG_ARGISNULL(1) ? NULL : (LogisticFitState *) PG_GETARG_POINTER(1);

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
typedef struct LogisticFitSerialHeader
{
	uint8		version;
	uint8		flags;
	uint16		reserved;
	int32		k;
	int64		used;
	int64		skipped;
	double		l2;
	int64		names_len;
} LogisticFitSerialHeader;

Datum
logistic_fit_serialize(PG_FUNCTION_ARGS)
{
	LogisticFitState   *st;
	LogisticFitSerialHeader h;
	Size		rowbytes,
				size,
				off;
	bytea	   *out;
	LogisticFitBlock   *b;

	b2b_agg_context(fcinfo, "logistic_fit_serialize");
	st = (LogisticFitState *) PG_GETARG_POINTER(0);
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

Datum
logistic_fit_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "logistic_fit_deserialize");
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *data = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	LogisticFitSerialHeader h;
	LogisticFitState   *st;
	Size		off,
				rowbytes,
				r;
	LogisticFitBlock   *b;
	int			j;

	if (len < sizeof(h))
		b2b_corrupt("logistic_fit partial state is corrupt: truncated header");
	memcpy(&h, data, sizeof(h));
	if (h.version != FIT_SERIAL_VERSION || (h.flags & ~3) != 0 || h.reserved != 0)
		b2b_corrupt("logistic_fit partial state is corrupt: bad version or flags");
	if (h.k < -1 || h.k > LR_MAX_FEATURES || h.used < 0 || h.skipped < 0 ||
		(h.k < 0 && h.used > 0) || h.names_len < 0 || h.names_len > len ||
		!isfinite(h.l2) || h.l2 < 0)
		b2b_corrupt("logistic_fit partial state is corrupt: bad counts");
	st = fit_state_new(aggctx);
	st->k = h.k;
	st->used = 0;
	st->skipped = h.skipped;
	st->have_l2 = (h.flags & 2) != 0;
	st->l2 = h.l2;
	off = sizeof(h) + MAXALIGN(h.names_len);
	if (off > len)
		b2b_corrupt("logistic_fit partial state is corrupt: truncated names");
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
				b2b_corrupt("logistic_fit partial state is corrupt: bad names");
			p = nul + 1;
			n++;
		}
		if (n != h.k)
			b2b_corrupt("logistic_fit partial state is corrupt: name count");
		st->have_names = true;
		st->names = MemoryContextAlloc(aggctx, Max(h.names_len, 1));
		memcpy(st->names, data + sizeof(h), h.names_len);
		st->names_len = h.names_len;
	}
	else if (h.names_len != 0)
		b2b_corrupt("logistic_fit partial state is corrupt: names without flag");
	rowbytes = (h.k < 0) ? 0 : ((Size) h.k + 1) * sizeof(double);
	if ((double) h.used * rowbytes != (double) (len - off))
		b2b_corrupt("logistic_fit partial state is corrupt: row data length");
	if (h.used > 0)
	{
		fit_check_total(st, h.used);
		b = MemoryContextAllocHuge(aggctx, offsetof(LogisticFitBlock, rows) + h.used * rowbytes);
		b->next = NULL;
		b->n = b->cap = h.used;
		memcpy(b->rows, data + off, h.used * rowbytes);
		for (r = 0; r < (Size) h.used; r++)
		{
			const double *row = b->rows + r * (h.k + 1);

			if ((r & 4095) == 4095)
				CHECK_FOR_INTERRUPTS();
			for (j = 0; j < h.k; j++)
				if (!isfinite(row[j]))
					b2b_corrupt("logistic_fit partial state is corrupt: non-finite feature");
			if (row[h.k] != 0.0 && row[h.k] != 1.0)
				b2b_corrupt("logistic_fit partial state is corrupt: label not 0 or 1");
		}
		st->head = st->tail = b;
		st->used = h.used;
	}
	PG_RETURN_POINTER(st);
}

Datum
logistic_fit_final(PG_FUNCTION_ARGS)
{
	LogisticFitState   *st = PG_ARGISNULL(0) ? NULL : (LogisticFitState *) PG_GETARG_POINTER(0);
	lr_problem	prob;
	lr_result	res;
	lr_block   *blocks;
	LogisticFitBlock   *b;
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

	logistic_check_result("logistic_fit", "fit", status, &res, names, p, st->used,
						  LR_MAX_ITER, "logistic_fit(converted, features, 1.0)",
						  "Scale the features, or fit with l2 > 0.");
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
	PG_RETURN_POINTER(propensity_model_build(&f));
}

/*
 * The ERROR for a fit that did not succeed, and for a non-finite term, shared
 * by logistic_fit and logistic_train: fname names the function in the
 * message, verb is "fit" or "train" in the hints, l2_example the call with a
 * penalty, no_conv_hint the HINT when Newton did not converge.
 */
void
logistic_check_result(const char *fname, const char *verb, lr_status status,
					  const lr_result *res, char **names, int nterms,
					  int64 used, int max_iter, const char *l2_example,
					  const char *no_conv_hint)
{
	int			j;

	switch (status)
	{
		case LR_OK:
			break;
		case LR_NO_ROWS:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s has no rows to fit", fname)));
			break;
		case LR_ONE_CLASS:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s needs both outcomes, but all " INT64_FORMAT " rows have converted = %s",
							fname, used, res->npos > 0 ? "true" : "false"),
					 errhint("A model of conversion needs converted and not converted rows.")));
			break;
		case LR_SINGULAR:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: singular design: term \"%s\" is constant or a linear combination of the terms before it",
							fname, names[res->bad_term]),
					 errhint("Drop the feature, or %s with l2 > 0 for a regularised solution.", verb)));
			break;
		case LR_SEPARATION:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: the outcomes are (quasi-)separated: %zu of %zu rows are fitted with probability numerically 0 or 1 and the coefficients grow without bound",
							fname, res->nsep, res->n),
					 errhint("%s with l2 > 0 (e.g. %s) for a regularised solution, or drop the feature that separates the outcomes.",
							 strcmp(verb, "fit") == 0 ? "Fit" : "Train", l2_example)));
			break;
		case LR_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s: term \"%s\" is out of range: its sum of squares overflows or underflows double precision",
							fname, names[res->bad_term]),
					 errhint("Features must lie between about 1e-150 and 1e150 in absolute value (or be 0); rescale the feature by a power of ten.")));
			break;
		case LR_NO_CONVERGENCE:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s did not converge in %d iterations", fname, max_iter),
					 errhint("%s", no_conv_hint)));
			break;
	}
	for (j = 0; j < nterms; j++)
		if (!isfinite(res->beta[j]) || !isfinite(res->se[j]))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: the fit of term \"%s\" is not finite", fname, names[j]),
					 errhint("Scale the features, or %s with l2 > 0.", verb)));
}
