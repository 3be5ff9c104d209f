/*
 * sketch.c — the quantile_sketch type and the bounded twins of the exact
 * population-wide quantile aggregates: rfm_thresholds_sketch_agg,
 * value_tier_sketch_agg and conversion_time_sketch_agg.
 *
 * The exact aggregates keep every value (internal state, 8 bytes a row).
 * A quantile_sketch keeps DDSketch log buckets (sketch_core.h): its size
 * depends on the spread of the values and the relative accuracy, not on
 * the rows, so it is the stored type itself as STYPE (SPEC §1), updated in
 * place, combined by adding counts (exact for any split; the float sums
 * up to their order), shipped as JSON text by Citus.  The final functions
 * build the exact aggregates' result types from it.
 *
 * Stored layout: a fixed header with three dimension headers, then per
 * dimension the positive buckets' counts and sums and the negative
 * buckets' counts and sums.  A store may have empty buckets at its ends
 * (room to grow); the text form leaves them out.
 */
#include "b2btarget.h"

#include <math.h>

#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "journey.h"
#include "journey_core.h"
#include "sketch_core.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(quantile_sketch_in);
PG_FUNCTION_INFO_V1(quantile_sketch_out);
PG_FUNCTION_INFO_V1(quantile_sketch_recv);
PG_FUNCTION_INFO_V1(quantile_sketch_send);
PG_FUNCTION_INFO_V1(quantile_sketch_combine);
PG_FUNCTION_INFO_V1(value_tier_sketch_trans);
PG_FUNCTION_INFO_V1(value_tier_sketch_final);
PG_FUNCTION_INFO_V1(rfm_thresholds_sketch_trans);
PG_FUNCTION_INFO_V1(rfm_thresholds_sketch_final);
PG_FUNCTION_INFO_V1(conversion_time_sketch_trans);
PG_FUNCTION_INFO_V1(conversion_time_sketch_final);

/* the exact aggregates' result types are built through their text input */
extern Datum value_tiers_in(PG_FUNCTION_ARGS);
extern Datum rfm_thresholds_in(PG_FUNCTION_ARGS);

#define QS_DEFAULT_ACCURACY 0.01

typedef struct QsDimHdr
{
	int64		count;
	int64		zeros;
	double		sum;
	double		min;
	double		max;
	int32		pos_lo;
	int32		pos_n;
	int32		neg_lo;
	int32		neg_n;
} QsDimHdr;

typedef struct QuantileSketch
{
	int32		vl_len_;
	uint8		version;
	uint8		kind;
	uint8		from;			/* durations: stages */
	uint8		to;
	int32		ndims;
	int32		pad;			/* 0 */
	double		alpha;
	int64		journeys;
	int64		sum_hi;			/* durations: exact sum, int128 in two */
	uint64		sum_lo;
	QsDimHdr	dim[QS_MAX_DIMS];
	double		data[FLEXIBLE_ARRAY_MEMBER];
} QuantileSketch;

#define QSK_HDR offsetof(QuantileSketch, data)

static Size
qsk_size_of(const QsDimHdr *dims, int ndims)
{
	Size		n = 0;
	int			i;

	for (i = 0; i < ndims; i++)
		n += (Size) dims[i].pos_n + dims[i].neg_n;
	return QSK_HDR + 16 * n;
}

static __int128
qsk_sum_us(const QuantileSketch *s)
{
	return (__int128) (((unsigned __int128) (uint64) s->sum_hi << 64) | s->sum_lo);
}

static void
qsk_set_sum_us(QuantileSketch *s, __int128 v)
{
	s->sum_hi = (int64) (v >> 64);
	s->sum_lo = (uint64) v;
}

/* The view of s in sketch_core terms (pointers into s). */
static void
qsk_view(const QuantileSketch *s, qs_sketch *v)
{
	const double *p = s->data;
	int			i;

	memset(v, 0, sizeof(*v));
	v->kind = s->kind;
	v->alpha = s->alpha;
	v->ndims = s->ndims;
	v->from = s->from;
	v->to = s->to;
	v->journeys = s->journeys;
	v->sum_us = qsk_sum_us(s);
	for (i = 0; i < s->ndims && i < QS_MAX_DIMS; i++)
	{
		const QsDimHdr *h = &s->dim[i];
		qs_dim	   *d = &v->dim[i];

		d->count = h->count;
		d->zeros = h->zeros;
		d->sum = h->sum;
		d->min = h->min;
		d->max = h->max;
		d->pos.lo = h->pos_lo;
		d->pos.n = h->pos_n;
		d->pos.count = (int64_t *) p;
		p += h->pos_n;
		d->pos.sum = (double *) p;
		p += h->pos_n;
		d->neg.lo = h->neg_lo;
		d->neg.n = h->neg_n;
		d->neg.count = (int64_t *) p;
		p += h->neg_n;
		d->neg.sum = (double *) p;
		p += h->neg_n;
	}
}

/*
 * A new sketch of v's kind with the stores of hdrs (ranges), copying the
 * buckets of v that fall in them; in the current memory context.
 */
static QuantileSketch *
qsk_build(const qs_sketch *v, const QsDimHdr *hdrs)
{
	Size		size = qsk_size_of(hdrs, v->ndims);
	QuantileSketch *s = palloc0(size);
	qs_sketch	nv;
	int			i;

	SET_VARSIZE(s, size);
	s->version = QS_VERSION;
	s->kind = v->kind;
	s->from = v->from;
	s->to = v->to;
	s->ndims = v->ndims;
	s->alpha = v->alpha;
	s->journeys = v->journeys;
	qsk_set_sum_us(s, v->sum_us);
	memcpy(s->dim, hdrs, sizeof(QsDimHdr) * v->ndims);
	qsk_view(s, &nv);
	for (i = 0; i < v->ndims; i++)
	{
		const qs_store *src[2] = {&v->dim[i].pos, &v->dim[i].neg};
		qs_store   *dst[2] = {&nv.dim[i].pos, &nv.dim[i].neg};
		int			k;

		s->dim[i].count = v->dim[i].count;
		s->dim[i].zeros = v->dim[i].zeros;
		s->dim[i].sum = v->dim[i].sum;
		s->dim[i].min = v->dim[i].min;
		s->dim[i].max = v->dim[i].max;
		for (k = 0; k < 2; k++)
		{
			int32		j;

			for (j = 0; j < src[k]->n; j++)
			{
				int64		at = (int64) src[k]->lo + j - dst[k]->lo;

				if (src[k]->count[j] == 0)
					continue;
				Assert(at >= 0 && at < dst[k]->n);
				dst[k]->count[at] = src[k]->count[j];
				dst[k]->sum[at] = src[k]->sum[j];
			}
		}
	}
	return s;
}

/* Range of the non-empty buckets of a store (n = 0 when empty). */
static void
store_trim(const qs_store *st, int32 *lo, int32 *n)
{
	int32		a = 0,
				b = st->n;

	while (a < b && st->count[a] == 0)
		a++;
	while (b > a && st->count[b - 1] == 0)
		b--;
	*lo = b > a ? st->lo + a : 0;
	*n = b - a;
}

#define qsk_corrupt(what) b2b_corrupt("quantile_sketch value is corrupt: %s", (what))

/* Validate a detoasted stored sketch. */
static QuantileSketch *
qsk_validate(QuantileSketch *s)
{
	qs_sketch	v;
	const char *problem;
	int			i;

	if (VARSIZE(s) < QSK_HDR)
		qsk_corrupt("truncated");
	b2b_check_version(s->version, QS_VERSION, "quantile_sketch");
	if (s->pad != 0 || s->ndims < 1 || s->ndims > QS_MAX_DIMS)
		qsk_corrupt("header");
	for (i = 0; i < s->ndims; i++)
		if (s->dim[i].pos_n < 0 || s->dim[i].pos_n > QS_MAX_BUCKETS ||
			s->dim[i].neg_n < 0 || s->dim[i].neg_n > QS_MAX_BUCKETS)
			qsk_corrupt("bucket counts");
	if (VARSIZE(s) != qsk_size_of(s->dim, s->ndims))
		qsk_corrupt("size");
	qsk_view(s, &v);
	if ((problem = qs_problem(&v)) != NULL)
		qsk_corrupt(problem);
	return s;
}

#define PG_GETARG_QSK(n) qsk_validate((QuantileSketch *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* ---------------------------------------------------------------------
 * Text and binary I/O
 * --------------------------------------------------------------------- */

#define QSK_HINT "A quantile_sketch is the JSON object the sketch aggregates write: {\"version\": 1, \"kind\": \"values\"|\"rfm\"|\"durations\", \"relative_accuracy\": a, \"dims\": [{\"count\", \"zeros\", \"sum\", \"min\", \"max\", \"positive\": {\"offset\", \"counts\", \"sums\"}, \"negative\": {...}}, ...]} (durations also \"from\", \"to\", \"journeys\", \"sum_us\")."

static void
append_store(StringInfo buf, const qs_store *st)
{
	int32		lo,
				n,
				j,
				a;

	store_trim(st, &lo, &n);
	a = lo - st->lo;
	appendStringInfo(buf, "{\"offset\": %d, \"counts\": [", n ? lo : 0);
	for (j = 0; j < n; j++)
		appendStringInfo(buf, "%s" INT64_FORMAT, j ? ", " : "", (int64) st->count[a + j]);
	appendStringInfoString(buf, "], \"sums\": [");
	for (j = 0; j < n; j++)
	{
		if (j)
			appendStringInfoString(buf, ", ");
		b2b_append_float8(buf, st->sum[a + j]);
	}
	appendStringInfoString(buf, "]}");
}

Datum
quantile_sketch_out(PG_FUNCTION_ARGS)
{
	QuantileSketch *s = PG_GETARG_QSK(0);
	qs_sketch	v;
	StringInfoData buf;
	int			i;

	qsk_view(s, &v);
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"kind\": \"%s\", \"relative_accuracy\": ",
					 QS_VERSION, qs_kind_name(v.kind));
	b2b_append_float8(&buf, v.alpha);
	if (v.kind == QS_DURATIONS)
	{
		char		sum[48];

		qs_int128_text(v.sum_us, sum);
		appendStringInfo(&buf, ", \"from\": \"%s\", \"to\": \"%s\", \"journeys\": " INT64_FORMAT ", \"sum_us\": \"%s\"",
						 stage_name(v.from), stage_name(v.to), (int64) v.journeys, sum);
	}
	appendStringInfoString(&buf, ", \"dims\": [");
	for (i = 0; i < v.ndims; i++)
	{
		const qs_dim *d = &v.dim[i];

		appendStringInfo(&buf, "%s{\"count\": " INT64_FORMAT ", \"zeros\": " INT64_FORMAT ", \"sum\": ",
						 i ? ", " : "", (int64) d->count, (int64) d->zeros);
		b2b_append_float8(&buf, d->sum);
		appendStringInfoString(&buf, ", \"min\": ");
		b2b_append_float8(&buf, d->min);
		appendStringInfoString(&buf, ", \"max\": ");
		b2b_append_float8(&buf, d->max);
		appendStringInfoString(&buf, ", \"positive\": ");
		append_store(&buf, &d->pos);
		appendStringInfoString(&buf, ", \"negative\": ");
		append_store(&buf, &d->neg);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

static void *
qsk_palloc(size_t size)
{
	return palloc(size);
}

/* A stored sketch of exactly the non-empty buckets of v. */
static QuantileSketch *
qsk_from_view(const qs_sketch *v)
{
	QsDimHdr	hdrs[QS_MAX_DIMS];
	int			i;

	memset(hdrs, 0, sizeof(hdrs));
	for (i = 0; i < v->ndims; i++)
	{
		store_trim(&v->dim[i].pos, &hdrs[i].pos_lo, &hdrs[i].pos_n);
		store_trim(&v->dim[i].neg, &hdrs[i].neg_lo, &hdrs[i].neg_n);
	}
	return qsk_build(v, hdrs);
}

Datum
quantile_sketch_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[160];
	qs_sketch	v;
	const char *problem;
	QuantileSketch *s;

	problem = qs_parse(str, strlen(str), &v, qsk_palloc, pfree, err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type quantile_sketch: \"%.200s%s\"",
								str, strlen(str) > 200 ? "..." : ""),
						 errdetail("%s", problem),
						 errhint(QSK_HINT)));
	s = qsk_from_view(&v);
	qs_free(&v, pfree);
	PG_RETURN_POINTER(s);
}

/*
 * Binary: version, kind, from, to bytes, float8 accuracy, int64 journeys,
 * int64 sum high, int64 sum low, then per dimension int64 count, zeros,
 * float8 sum, min, max, and per store int32 offset, int32 n, n int64
 * counts, n float8 sums (only the non-empty range).
 */
Datum
quantile_sketch_send(PG_FUNCTION_ARGS)
{
	QuantileSketch *s = PG_GETARG_QSK(0);
	qs_sketch	v;
	StringInfoData buf;
	int			i,
				k;

	qsk_view(s, &v);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, QS_VERSION);
	pq_sendbyte(&buf, v.kind);
	pq_sendbyte(&buf, v.from);
	pq_sendbyte(&buf, v.to);
	pq_sendfloat8(&buf, v.alpha);
	pq_sendint64(&buf, v.journeys);
	pq_sendint64(&buf, s->sum_hi);
	pq_sendint64(&buf, (int64) s->sum_lo);
	for (i = 0; i < v.ndims; i++)
	{
		const qs_store *st[2] = {&v.dim[i].pos, &v.dim[i].neg};

		pq_sendint64(&buf, v.dim[i].count);
		pq_sendint64(&buf, v.dim[i].zeros);
		pq_sendfloat8(&buf, v.dim[i].sum);
		pq_sendfloat8(&buf, v.dim[i].min);
		pq_sendfloat8(&buf, v.dim[i].max);
		for (k = 0; k < 2; k++)
		{
			int32		lo,
						n,
						j;

			store_trim(st[k], &lo, &n);
			pq_sendint32(&buf, lo);
			pq_sendint32(&buf, n);
			for (j = 0; j < n; j++)
				pq_sendint64(&buf, st[k]->count[lo - st[k]->lo + j]);
			for (j = 0; j < n; j++)
				pq_sendfloat8(&buf, st[k]->sum[lo - st[k]->lo + j]);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

#define qsk_bad_binary(what) b2b_bad_binary("quantile_sketch", "%s", (what))

static void
recv_need(StringInfo buf, int64 n)
{
	if (n < 0 || buf->len - buf->cursor < n)
		qsk_bad_binary("truncated");
}

Datum
quantile_sketch_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	qs_sketch	v;
	const char *problem;
	QuantileSketch *s;
	int			i,
				k;

	memset(&v, 0, sizeof(v));
	recv_need(buf, 4 + 8 * 4);
	if (pq_getmsgbyte(buf) != QS_VERSION)
		qsk_bad_binary("unknown version");
	v.kind = pq_getmsgbyte(buf);
	v.ndims = qs_kind_dims(v.kind);
	if (v.ndims == 0)
		qsk_bad_binary("unknown kind");
	v.from = pq_getmsgbyte(buf);
	v.to = pq_getmsgbyte(buf);
	v.alpha = pq_getmsgfloat8(buf);
	v.journeys = pq_getmsgint64(buf);
	{
		int64		hi = pq_getmsgint64(buf);
		uint64		lo = (uint64) pq_getmsgint64(buf);

		v.sum_us = (__int128) (((unsigned __int128) (uint64) hi << 64) | lo);
	}
	for (i = 0; i < v.ndims; i++)
	{
		qs_store   *st[2] = {&v.dim[i].pos, &v.dim[i].neg};

		recv_need(buf, 8 * 5);
		v.dim[i].count = pq_getmsgint64(buf);
		v.dim[i].zeros = pq_getmsgint64(buf);
		v.dim[i].sum = pq_getmsgfloat8(buf);
		v.dim[i].min = pq_getmsgfloat8(buf);
		v.dim[i].max = pq_getmsgfloat8(buf);
		for (k = 0; k < 2; k++)
		{
			int32		j;

			recv_need(buf, 8);
			st[k]->lo = pq_getmsgint(buf, 4);
			st[k]->n = pq_getmsgint(buf, 4);
			if (st[k]->n < 0 || st[k]->n > QS_MAX_BUCKETS)
				qsk_bad_binary("bucket count");
			recv_need(buf, (int64) st[k]->n * 16);
			st[k]->count = palloc(sizeof(int64) * Max(st[k]->n, 1));
			st[k]->sum = palloc(sizeof(double) * Max(st[k]->n, 1));
			for (j = 0; j < st[k]->n; j++)
				st[k]->count[j] = pq_getmsgint64(buf);
			for (j = 0; j < st[k]->n; j++)
				st[k]->sum[j] = pq_getmsgfloat8(buf);
		}
	}
	if (buf->cursor != buf->len)
		qsk_bad_binary("trailing bytes");
	if ((problem = qs_problem(&v)) != NULL)
		qsk_bad_binary(problem);
	s = qsk_from_view(&v);
	PG_RETURN_POINTER(s);
}

/* ---------------------------------------------------------------------
 * Transition and combine
 * --------------------------------------------------------------------- */

static double
accuracy_arg(FunctionCallInfo fcinfo, int argno, const char *fname)
{
	double		a;

	if (argno >= PG_NARGS())
		return QS_DEFAULT_ACCURACY;
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s relative_accuracy must not be NULL", fname),
				 errhint("Give a relative accuracy from %g to %g, e.g. 0.01 (1%%).", QS_MIN_ACCURACY, QS_MAX_ACCURACY)));
	a = PG_GETARG_FLOAT8(argno);
	if (!(a >= QS_MIN_ACCURACY && a <= QS_MAX_ACCURACY))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s relative_accuracy %g is out of range", fname, a),
				 errhint("Give a relative accuracy from %g to %g, e.g. 0.01 (1%%).", QS_MIN_ACCURACY, QS_MAX_ACCURACY)));
	return a;
}

/* A new empty sketch (current memory context). */
static QuantileSketch *
qsk_new(int kind, double alpha, int from, int to)
{
	qs_sketch	v;
	QsDimHdr	hdrs[QS_MAX_DIMS];

	memset(&v, 0, sizeof(v));
	memset(hdrs, 0, sizeof(hdrs));
	v.kind = kind;
	v.ndims = qs_kind_dims(kind);
	v.alpha = alpha;
	v.from = from;
	v.to = to;
	return qsk_build(&v, hdrs);
}

/* The state of a transition: the aggregate's own, or a new one. */
static QuantileSketch *
qsk_state(FunctionCallInfo fcinfo, int kind, double alpha, int from, int to,
		  const char *fname)
{
	QuantileSketch *s;

	if (PG_ARGISNULL(0))
		return qsk_new(kind, alpha, from, to);
	s = (QuantileSketch *) PG_GETARG_POINTER(0);
	if (s->alpha != alpha)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s relative_accuracy differs between rows (%g and %g)", fname, s->alpha, alpha),
				 errhint("Give the same relative accuracy in every row, usually as a constant.")));
	return s;
}

/*
 * Make room in the sketch for bucket idx of dimension d's store (pos or
 * neg); returns s itself when it has room, else a bigger copy (current
 * memory context: the executor copies a new state into its own).
 */
static QuantileSketch *
qsk_make_room(QuantileSketch *s, int d, bool pos, int32 idx)
{
	QsDimHdr	hdrs[QS_MAX_DIMS];
	int32	   *lo,
			   *n;
	int64		newlo,
				newhi,
				slack;
	qs_sketch	v;

	memcpy(hdrs, s->dim, sizeof(hdrs));
	lo = pos ? &hdrs[d].pos_lo : &hdrs[d].neg_lo;
	n = pos ? &hdrs[d].pos_n : &hdrs[d].neg_n;
	if (*n > 0 && idx >= *lo && idx < *lo + *n)
		return s;
	slack = Max(16, *n / 2);
	if (*n == 0)
	{
		newlo = (int64) idx - slack / 2;
		newhi = (int64) idx + slack / 2;
	}
	else if (idx < *lo)
	{
		newlo = (int64) idx - slack;
		newhi = (int64) *lo + *n - 1;
	}
	else
	{
		newlo = *lo;
		newhi = (int64) idx + slack;
	}
	if (newhi - newlo + 1 > QS_MAX_BUCKETS)
	{
		/* no slack when it would not fit */
		newlo = Min(newlo + (idx < *lo || *n == 0 ? slack : 0), (int64) idx);
		newhi = Max(newhi - (idx >= *lo || *n == 0 ? slack : 0), (int64) idx);
		if (*n > 0)
		{
			newlo = Min(newlo, (int64) *lo);
			newhi = Max(newhi, (int64) *lo + *n - 1);
		}
		if (newhi - newlo + 1 > QS_MAX_BUCKETS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("quantile_sketch needs more than %d buckets for the spread of its values at relative_accuracy %g",
							QS_MAX_BUCKETS, s->alpha),
					 errhint("Use a larger relative_accuracy (buckets grow as log(max / min) / (2 relative_accuracy)).")));
	}
	*lo = (int32) newlo;
	*n = (int32) (newhi - newlo + 1);
	qsk_view(s, &v);
	return qsk_build(&v, hdrs);
}

static QuantileSketch *
qsk_add(QuantileSketch *s, int d, double x)
{
	QsDimHdr   *h;
	qs_sketch	v;
	double		inv = 1.0 / log(qs_gamma(s->alpha));

	if (x != 0)
	{
		int32		idx = qs_index(fabs(x), inv);
		qs_store   *st;

		s = qsk_make_room(s, d, x > 0, idx);
		qsk_view(s, &v);
		st = x > 0 ? &v.dim[d].pos : &v.dim[d].neg;
		st->count[idx - st->lo]++;
		st->sum[idx - st->lo] += x;
	}
	h = &s->dim[d];
	if (x == 0)
		h->zeros++;
	if (h->count == 0)
		h->min = h->max = x;
	else
	{
		if (x < h->min)
			h->min = x;
		if (x > h->max)
			h->max = x;
	}
	h->count++;
	h->sum += x;
	return s;
}

static void
qsk_add_count(int64 *a, int64 b)
{
	if (pg_add_s64_overflow(*a, b, a))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quantile_sketch count out of range")));
}

/*
 * Combine (and rollup's transition), strict: add b into a.  b may come
 * from disk or another node, so it is validated.
 */
Datum
quantile_sketch_combine(PG_FUNCTION_ARGS)
{
	QuantileSketch *a;
	QuantileSketch *b;
	qs_sketch	va,
				vb;
	int			i,
				k;

	b2b_agg_context(fcinfo, "quantile_sketch_combine");
	/* a may be rollup's first input, as stored: detoast and check it too */
	a = PG_GETARG_QSK(0);
	b = PG_GETARG_QSK(1);
	if (a->kind != b->kind || a->alpha != b->alpha || a->from != b->from || a->to != b->to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantile_sketch values of different kinds, accuracies or stages cannot be combined (%s at %g and %s at %g)",
						qs_kind_name(a->kind), a->alpha, qs_kind_name(b->kind), b->alpha),
				 errhint("Combine sketches made by the same aggregate with the same relative_accuracy (and stages).")));
	qsk_view(b, &vb);
	/* room for b's non-empty range in every store of a */
	for (i = 0; i < vb.ndims; i++)
		for (k = 0; k < 2; k++)
		{
			qs_store   *st = k ? &vb.dim[i].neg : &vb.dim[i].pos;
			int32		lo,
						n;

			store_trim(st, &lo, &n);
			if (n > 0)
			{
				a = qsk_make_room(a, i, k == 0, lo);
				a = qsk_make_room(a, i, k == 0, lo + n - 1);
			}
		}
	qsk_view(a, &va);
	for (i = 0; i < vb.ndims; i++)
	{
		QsDimHdr   *h = &a->dim[i];
		const qs_dim *d = &vb.dim[i];

		for (k = 0; k < 2; k++)
		{
			qs_store   *sa = k ? &va.dim[i].neg : &va.dim[i].pos;
			const qs_store *sb = k ? &d->neg : &d->pos;
			int32		j;

			for (j = 0; j < sb->n; j++)
				if (sb->count[j] != 0)
				{
					int32		at = sb->lo + j - sa->lo;

					qsk_add_count(&sa->count[at], sb->count[j]);
					sa->sum[at] += sb->sum[j];
				}
		}
		if (d->count > 0)
		{
			if (h->count == 0 || d->min < h->min)
				h->min = d->min;
			if (h->count == 0 || d->max > h->max)
				h->max = d->max;
		}
		qsk_add_count(&h->count, d->count);
		qsk_add_count(&h->zeros, d->zeros);
		h->sum += d->sum;
	}
	qsk_add_count(&a->journeys, b->journeys);
	qsk_set_sum_us(a, qsk_sum_us(a) + qsk_sum_us(b));
	PG_RETURN_POINTER(a);
}

static double
finite_arg(FunctionCallInfo fcinfo, int argno, const char *fname, const char *argname, bool nonneg)
{
	double		x = PG_GETARG_FLOAT8(argno);

	if (!isfinite(x) || (nonneg && x < 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be %s, got %s", fname, argname,
						nonneg ? "finite and 0 or more" : "finite",
						isnan(x) ? "NaN" : psprintf("%g", x)),
				 errhint("Pass NULL for an unknown value; it is skipped.")));
	return x;
}

/* value_tier_sketch_agg(customer_value [, relative_accuracy]) */
Datum
value_tier_sketch_trans(PG_FUNCTION_ARGS)
{
	const char *fname = "value_tier_sketch_agg";
	double		alpha;
	QuantileSketch *s;

	b2b_agg_context(fcinfo, "value_tier_sketch_trans");
	alpha = accuracy_arg(fcinfo, 2, fname);
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	s = qsk_state(fcinfo, QS_VALUES, alpha, 0, 0, fname);
	s = qsk_add(s, 0, finite_arg(fcinfo, 1, fname, "customer_value", true));
	PG_RETURN_POINTER(s);
}

/* value_tiers from the sketch, through value_tiers' text form. */
Datum
value_tier_sketch_final(PG_FUNCTION_ARGS)
{
	QuantileSketch *s;
	qs_sketch	v;
	double		a_cut,
				b_cut,
				value[3],
				total = 0;
	int64_t		customers[3];
	StringInfoData buf;
	int			t;
	static const char *const names[3] = {"A", "B", "C"};

	b2b_agg_context(fcinfo, "value_tier_sketch_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (QuantileSketch *) PG_GETARG_POINTER(0);
	qsk_view(s, &v);
	total = v.dim[0].sum;
	if (!(total > 0))
		PG_RETURN_NULL();
	if (isinf(total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value_tier_sketch_agg: total customer value out of range")));
	qs_tiers(&v.dim[0], qs_gamma(v.alpha), 0.80, 0.95, &a_cut, &b_cut, customers, value);
	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"a_cut\": ");
	b2b_append_float8(&buf, a_cut);
	appendStringInfoString(&buf, ", \"b_cut\": ");
	b2b_append_float8(&buf, b_cut);
	appendStringInfoString(&buf, ", \"tiers\": {");
	for (t = 0; t < 3; t++)
	{
		appendStringInfo(&buf, "%s\"%s\": {\"customers\": " INT64_FORMAT ", \"value\": ",
						 t ? ", " : "", names[t], (int64) customers[t]);
		b2b_append_float8(&buf, value[t]);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "}}");
	PG_RETURN_DATUM(DirectFunctionCall1(value_tiers_in, CStringGetDatum(buf.data)));
}

/* rfm_thresholds_sketch_agg(recency_days, frequency, monetary [, relative_accuracy]) */
Datum
rfm_thresholds_sketch_trans(PG_FUNCTION_ARGS)
{
	static const char *const dims[3] = {"recency_days", "frequency", "monetary"};
	const char *fname = "rfm_thresholds_sketch_agg";
	double		alpha;
	QuantileSketch *s = NULL;
	int			d;

	b2b_agg_context(fcinfo, "rfm_thresholds_sketch_trans");
	alpha = accuracy_arg(fcinfo, 4, fname);
	for (d = 0; d < 3; d++)
	{
		if (PG_ARGISNULL(d + 1))
			continue;
		if (s == NULL)
			s = qsk_state(fcinfo, QS_RFM, alpha, 0, 0, fname);
		s = qsk_add(s, d, finite_arg(fcinfo, d + 1, fname, dims[d], false));
	}
	if (s == NULL)
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	PG_RETURN_POINTER(s);
}

Datum
rfm_thresholds_sketch_final(PG_FUNCTION_ARGS)
{
	static const char *const dims[3] = {"recency_days", "frequency", "monetary"};
	static const double q[4] = {0.2, 0.4, 0.6, 0.8};
	QuantileSketch *s;
	qs_sketch	v;
	StringInfoData buf;
	double		gamma;
	int			d,
				k;

	b2b_agg_context(fcinfo, "rfm_thresholds_sketch_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (QuantileSketch *) PG_GETARG_POINTER(0);
	qsk_view(s, &v);
	gamma = qs_gamma(v.alpha);
	for (d = 0; d < 3; d++)
		if (v.dim[d].count == 0)
			PG_RETURN_NULL();
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (d = 0; d < 3; d++)
	{
		appendStringInfo(&buf, "%s\"%s\": {\"count\": " INT64_FORMAT ", \"cuts\": [",
						 d ? ", " : "", dims[d], (int64) v.dim[d].count);
		for (k = 0; k < 4; k++)
		{
			if (k)
				appendStringInfoString(&buf, ", ");
			b2b_append_float8(&buf, qs_quantile(&v.dim[d], gamma, q[k]));
		}
		appendStringInfoString(&buf, "]}");
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_DATUM(DirectFunctionCall1(rfm_thresholds_in, CStringGetDatum(buf.data)));
}

/* conversion_time_sketch_agg(j, from_stage, to_stage [, relative_accuracy]) */
Datum
conversion_time_sketch_trans(PG_FUNCTION_ARGS)
{
	const char *fname = "conversion_time_sketch_agg";
	QuantileSketch *s;
	double		alpha;
	int			from,
				to,
				n;
	const JStay *st;
	int64_t		us;

	b2b_agg_context(fcinfo, "conversion_time_sketch_trans");
	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s stages cannot be NULL", fname),
				 errhint("Give both stages, e.g. conversion_time_sketch_agg(j, 'awareness', 'purchase').")));
	from = PG_GETARG_JOURNEY_STAGE_CHECKED(2);
	to = PG_GETARG_JOURNEY_STAGE_CHECKED(3);
	journey_check_stage_order(from, to, fname);
	alpha = accuracy_arg(fcinfo, 4, fname);
	s = qsk_state(fcinfo, QS_DURATIONS, alpha, from, to, fname);
	if (s->from != from || s->to != to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s stages must be the same for every row of a group", fname),
				 errhint("Pass constant stages.")));
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(s);
	st = journey_stays_arg(fcinfo, 1, &n);
	if (jstays_first_reached(st, n, from) < 0)
		PG_RETURN_POINTER(s);
	qsk_add_count(&s->journeys, 1);
	if (jstays_time_to(st, n, from, to, &us))
	{
		s = qsk_add(s, 0, (double) us);
		qsk_set_sum_us(s, qsk_sum_us(s) + us);
	}
	PG_RETURN_POINTER(s);
}

/*
 * (journeys, converted, conversion, mean, median, mean_days, median_days) as
 * conversion_time_agg
 */
Datum
conversion_time_sketch_final(PG_FUNCTION_ARGS)
{
	QuantileSketch *s;
	qs_sketch	v;
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7] = {false};

	b2b_agg_context(fcinfo, "conversion_time_sketch_final");
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("conversion_time_sketch_final must return a composite type")));
	tupdesc = BlessTupleDesc(tupdesc);
	if (PG_ARGISNULL(0))
	{
		values[0] = Int64GetDatum(0);
		values[1] = Int64GetDatum(0);
		nulls[2] = nulls[3] = nulls[4] = nulls[5] = nulls[6] = true;
	}
	else
	{
		int64		n;

		s = (QuantileSketch *) PG_GETARG_POINTER(0);
		qsk_view(s, &v);
		n = v.dim[0].count;
		values[0] = Int64GetDatum(v.journeys);
		values[1] = Int64GetDatum(n);
		if (v.journeys > 0)
			values[2] = Float8GetDatum((double) n / (double) v.journeys);
		else
			nulls[2] = true;
		if (n == 0)
			nulls[3] = nulls[4] = nulls[5] = nulls[6] = true;
		else
		{
			/* exact mean, rounded half away from zero as conversion_time_agg */
			int64		mean = (int64) ((v.sum_us + n / 2) / n);
			int64		median = (int64) llround(qs_quantile(&v.dim[0], qs_gamma(v.alpha), 0.5));

			values[3] = IntervalPGetDatum(journey_interval_from_usecs(mean));
			values[4] = IntervalPGetDatum(journey_interval_from_usecs(median));
			values[5] = Float8GetDatum((double) mean / USECS_PER_DAY);
			values[6] = Float8GetDatum((double) median / USECS_PER_DAY);
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
