/*
 * segment_values.c — the value-collecting aggregate state of
 * rfm_thresholds_agg and value_tier_agg (see segment_values.h).
 */
#include "b2btarget.h"

#include <math.h>

#include "utils/memutils.h"

#include "segments.h"

#define SEGVALS_INITIAL 16	/* many small groups stay small */

SegValues *
segvals_new(MemoryContext ctx, int ndims, bool nonneg)
{
	SegValues  *s = (SegValues *) MemoryContextAllocZero(ctx, sizeof(SegValues));

	Assert(ndims >= 1 && ndims <= SEGVALS_MAX_DIMS);
	s->ndims = ndims;
	s->nonneg = nonneg;
	s->ctx = ctx;
	return s;
}

/* Room for `more` further values in dimension d. */
static void
segvals_reserve(SegValues *s, int d, int64 more)
{
	int64		need = s->n[d] + more;
	int64		cap = s->cap[d];

	if (need <= cap)
		return;
	if (cap == 0)
		cap = SEGVALS_INITIAL;
	while (cap < need)
		cap *= 2;
	if ((Size) cap > MaxAllocHugeSize / sizeof(double))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values in one aggregate group")));
	/* Large chunks are their own malloc blocks: growing them is a realloc. */
	if (s->v[d] == NULL)
		s->v[d] = (double *) MemoryContextAllocHuge(s->ctx, cap * sizeof(double));
	else if (s->cap[d] == 0)
	{
		/* values borrowed from a serialized state: take a copy first */
		double	   *own = (double *) MemoryContextAllocHuge(s->ctx, cap * sizeof(double));

		memcpy(own, s->v[d], s->n[d] * sizeof(double));
		s->v[d] = own;
	}
	else
		s->v[d] = (double *) repalloc_huge(s->v[d], cap * sizeof(double));
	s->cap[d] = cap;
}

void
segvals_add(SegValues *s, int d, double v, const char *aggname,
			const char *argname)
{
	if (unlikely(isnan(v) || isinf(v)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be finite, got %s", aggname, argname,
						isnan(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity")),
				 errhint("Filter out or turn into NULL the rows without a real value; NULL values are skipped.")));
	if (unlikely(s->nonneg && v < 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must not be negative, got %g", aggname, argname, v),
				 errhint("Customer value is revenue or margin brought, 0 or more; clip refunds at 0 or filter them out.")));
	if (unlikely(s->n[d] == s->cap[d]))
		segvals_reserve(s, d, 1);
	/* one zero: -0 and 0 compare equal, and must print alike */
	s->v[d][s->n[d]++] = v == 0 ? 0.0 : v;
}

void
segvals_merge(SegValues *a, const SegValues *b)
{
	int			d;

	for (d = 0; d < a->ndims; d++)
	{
		if (b->n[d] == 0)
			continue;
		segvals_reserve(a, d, b->n[d]);
		memcpy(a->v[d] + a->n[d], b->v[d], b->n[d] * sizeof(double));
		a->n[d] += b->n[d];
	}
}

/*
 * Serialized layout: int32 varlena header, uint8 version, uint8 ndims,
 * 2 bytes zero, then ndims int64 counts, then the values of each dimension
 * in order, all in native byte order (parallel workers share the machine).
 */
#define SEGVALS_HDR (VARHDRSZ + 4)

bytea *
segvals_serialize(const SegValues *s)
{
	Size		size = SEGVALS_HDR + s->ndims * sizeof(int64);
	bytea	   *out;
	char	   *p;
	int			d;

	for (d = 0; d < s->ndims; d++)
		size += s->n[d] * sizeof(double);
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("aggregate state of %zu bytes is too large to pass between parallel workers", size),
				 errhint("Aggregate smaller groups, or SET max_parallel_workers_per_gather = 0 for this query.")));
	out = (bytea *) palloc(size);
	SET_VARSIZE(out, size);
	p = VARDATA(out);
	p[0] = SEGVALS_SERIAL_VERSION;
	p[1] = (char) s->ndims;
	p[2] = p[3] = 0;
	p += 4;
	for (d = 0; d < s->ndims; d++)
	{
		memcpy(p, &s->n[d], sizeof(int64));
		p += sizeof(int64);
	}
	for (d = 0; d < s->ndims; d++)
	{
		if (s->n[d] > 0)
			memcpy(p, s->v[d], s->n[d] * sizeof(double));
		p += s->n[d] * sizeof(double);
	}
	return out;
}

SegValues *
segvals_deserialize(bytea *b, MemoryContext ctx, int ndims, bool nonneg)
{
	Size		len = VARSIZE_ANY_EXHDR(b);
	const char *p = VARDATA_ANY(b);
	SegValues  *s;
	Size		need;
	int			d;
	int64		i;

	if (len < 4 + ndims * sizeof(int64))
		b2b_corrupt("invalid serialized aggregate state: truncated header");
	if (p[0] != SEGVALS_SERIAL_VERSION)
		b2b_corrupt("invalid serialized aggregate state: unknown version");
	if (p[1] != ndims || p[2] != 0 || p[3] != 0)
		b2b_corrupt("invalid serialized aggregate state: wrong number of dimensions");
	p += 4;
	need = 4 + ndims * sizeof(int64);
	s = segvals_new(ctx, ndims, nonneg);
	for (d = 0; d < ndims; d++)
	{
		int64		n;

		memcpy(&n, p, sizeof(int64));
		p += sizeof(int64);
		if (n < 0 || (Size) n > (MaxAllocSize / sizeof(double)))
			b2b_corrupt("invalid serialized aggregate state: bad value count");
		s->n[d] = n;
		need += n * sizeof(double);
	}
	if (need != len)
		b2b_corrupt("invalid serialized aggregate state: length does not match the value counts");
	for (d = 0; d < ndims; d++)
	{
		int64		n = s->n[d];

		s->n[d] = 0;
		if (n == 0)
			continue;
		if ((uintptr_t) p % sizeof(double) == 0)
			s->v[d] = (double *) p;	/* borrowed: cap stays 0, no copy */
		else
		{
			segvals_reserve(s, d, n);
			memcpy(s->v[d], p, n * sizeof(double));
		}
		p += n * sizeof(double);
		for (i = 0; i < n; i++)
		{
			double		v = s->v[d][i];

			if (isnan(v) || isinf(v) || (nonneg && v < 0))
				b2b_corrupt("invalid serialized aggregate state: value out of range");
		}
		s->n[d] = n;
	}
	return s;
}

/* ---- the combine, serialize and deserialize steps of both aggregates ---- */

Datum
segvals_combine_fn(FunctionCallInfo fcinfo, const char *fname, int ndims, bool nonneg)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, fname);
	SegValues  *a = PG_ARGISNULL(0) ? NULL : (SegValues *) PG_GETARG_POINTER(0);
	SegValues  *b = PG_ARGISNULL(1) ? NULL : (SegValues *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	/* the state we return must live in the aggregate context */
	if (a == NULL)
		a = segvals_new(aggctx, ndims, nonneg);
	segvals_merge(a, b);
	PG_RETURN_POINTER(a);
}

Datum
segvals_serialize_fn(FunctionCallInfo fcinfo, const char *fname)
{
	b2b_agg_context(fcinfo, fname);
	PG_RETURN_BYTEA_P(segvals_serialize((SegValues *) PG_GETARG_POINTER(0)));
}

Datum
segvals_deserialize_fn(FunctionCallInfo fcinfo, const char *fname, int ndims, bool nonneg)
{
	b2b_agg_context(fcinfo, fname);
	PG_RETURN_POINTER(segvals_deserialize(PG_GETARG_BYTEA_PP(0),
										  CurrentMemoryContext, ndims, nonneg));
}
