/*
 * conversion_time.c — conversion_time_agg(journey, from, to): exact mean
 * and median of time_to_stage over journeys.  Internal state: 8 bytes per
 * converted journey (the durations, kept for the exact median).
 */
#include "b2btarget.h"

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "journey.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(conversion_time_trans);
PG_FUNCTION_INFO_V1(conversion_time_combine);
PG_FUNCTION_INFO_V1(conversion_time_serialize);
PG_FUNCTION_INFO_V1(conversion_time_deserialize);
PG_FUNCTION_INFO_V1(conversion_time_final);

typedef struct ConvState
{
	int32		from;
	int32		to;
	int64		reached;		/* journeys that reached from */
	int64		n;				/* journeys that also reached to */
	int64		cap;
	int64	   *us;				/* durations */
} ConvState;

#define CONV_SER_VERSION 1

static ConvState *
conv_new(MemoryContext ctx, int from, int to, int64 cap)
{
	ConvState  *c = MemoryContextAllocZero(ctx, sizeof(ConvState));

	c->from = from;
	c->to = to;
	c->cap = Max(cap, 16);
	c->us = MemoryContextAlloc(ctx, sizeof(int64) * c->cap);
	return c;
}

static void
conv_reserve(ConvState *c, int64 extra)
{
	if (c->n + extra > c->cap)
	{
		int64		cap = Max(c->cap * 2, c->n + extra);

		if ((Size) cap > MaxAllocSize / sizeof(int64))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("conversion_time_agg holds too many durations")));
		c->us = repalloc(c->us, sizeof(int64) * cap);
		c->cap = cap;
	}
}

Datum
conversion_time_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = b2b_agg_context(fcinfo, "conversion_time_trans");
	ConvState  *c = PG_ARGISNULL(0) ? NULL : (ConvState *) PG_GETARG_POINTER(0);
	int			from,
				to,
				n;
	const JStay *s;
	int64		us;

	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("conversion_time_agg stages cannot be NULL"),
				 errhint("Give both stages, e.g. conversion_time_agg(j, 'awareness', 'purchase').")));
	from = PG_GETARG_JOURNEY_STAGE_CHECKED(2);
	to = PG_GETARG_JOURNEY_STAGE_CHECKED(3);
	journey_check_stage_order(from, to, "conversion_time_agg");
	if (c == NULL)
		c = conv_new(ctx, from, to, 16);
	else if (c->from != from || c->to != to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conversion_time_agg stages must be the same for every row of a group"),
				 errhint("Pass constant stages.")));
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(c);
	s = journey_stays_arg(fcinfo, 1, &n);
	if (jstays_first_reached(s, n, from) < 0)
		PG_RETURN_POINTER(c);
	c->reached++;
	if (jstays_time_to(s, n, from, to, &us))
	{
		conv_reserve(c, 1);
		c->us[c->n++] = us;
	}
	PG_RETURN_POINTER(c);
}

Datum
conversion_time_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = b2b_agg_context(fcinfo, "conversion_time_combine");
	ConvState  *a = PG_ARGISNULL(0) ? NULL : (ConvState *) PG_GETARG_POINTER(0);
	ConvState  *b = PG_ARGISNULL(1) ? NULL : (ConvState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = conv_new(ctx, b->from, b->to, b->n);
	}
	else if (a->from != b->from || a->to != b->to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conversion_time_agg stages must be the same for every row of a group"),
				 errhint("Pass constant stages.")));
	{
		MemoryContext old = MemoryContextSwitchTo(ctx);

		conv_reserve(a, b->n);
		MemoryContextSwitchTo(old);
	}
	memcpy(a->us + a->n, b->us, sizeof(int64) * b->n);
	a->n += b->n;
	a->reached += b->reached;
	PG_RETURN_POINTER(a);
}

Datum
conversion_time_serialize(PG_FUNCTION_ARGS)
{
	ConvState  *c;
	StringInfoData buf;
	int64		i;

	b2b_agg_context(fcinfo, "conversion_time_serialize");
	c = (ConvState *) PG_GETARG_POINTER(0);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CONV_SER_VERSION);
	pq_sendbyte(&buf, c->from);
	pq_sendbyte(&buf, c->to);
	pq_sendint64(&buf, c->reached);
	pq_sendint64(&buf, c->n);
	for (i = 0; i < c->n; i++)
		pq_sendint64(&buf, c->us[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
conversion_time_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = b2b_agg_context(fcinfo, "conversion_time_deserialize");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	ConvState  *c;
	int			version,
				from,
				to;
	int64		reached,
				n,
				i;

	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (buf.len < 19)
		journey_corrupt("conversion_time_agg state too short");
	version = pq_getmsgbyte(&buf);
	from = pq_getmsgbyte(&buf);
	to = pq_getmsgbyte(&buf);
	reached = (int64) pq_getmsgint64(&buf);
	n = (int64) pq_getmsgint64(&buf);
	if (version != CONV_SER_VERSION || from < 1 || from > B2B_NSTAGES ||
		to < from || to > B2B_NSTAGES || n < 0 || reached < n ||
		n != (buf.len - buf.cursor) / 8 || (buf.len - buf.cursor) % 8 != 0)
		journey_corrupt("conversion_time_agg state is inconsistent");
	c = conv_new(ctx, from, to, n);
	c->reached = reached;
	for (i = 0; i < n; i++)
	{
		c->us[i] = (int64) pq_getmsgint64(&buf);
		if (c->us[i] < 0)
			journey_corrupt("negative duration in conversion_time_agg state");
	}
	c->n = n;
	PG_RETURN_POINTER(c);
}

static int
int64_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return x < y ? -1 : x > y;
}

/* (journeys, converted, conversion, mean, median) */
Datum
conversion_time_final(PG_FUNCTION_ARGS)
{
	ConvState  *c;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false};
	int64		i;

	b2b_agg_context(fcinfo, "conversion_time_final");
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("conversion_time_final must return a composite type")));
	tupdesc = BlessTupleDesc(tupdesc);
	if (PG_ARGISNULL(0))
	{
		values[0] = Int64GetDatum(0);
		values[1] = Int64GetDatum(0);
		nulls[2] = nulls[3] = nulls[4] = true;
	}
	else
	{
		int64	   *us;
		int128		sum = 0;

		c = (ConvState *) PG_GETARG_POINTER(0);
		values[0] = Int64GetDatum(c->reached);
		values[1] = Int64GetDatum(c->n);
		if (c->reached > 0)
			values[2] = Float8GetDatum((double) c->n / (double) c->reached);
		else
			nulls[2] = true;
		if (c->n == 0)
			nulls[3] = nulls[4] = true;
		else
		{
			/* sort a copy: the final function may run again on the state */
			us = palloc(sizeof(int64) * c->n);
			memcpy(us, c->us, sizeof(int64) * c->n);
			qsort(us, c->n, sizeof(int64), int64_cmp);
			for (i = 0; i < c->n; i++)
				sum += us[i];
			/* mean and median rounded to the microsecond, half away from zero */
			values[3] = IntervalPGetDatum(journey_interval_from_usecs((int64) ((sum + c->n / 2) / c->n)));
			if (c->n % 2)
				values[4] = IntervalPGetDatum(journey_interval_from_usecs(us[c->n / 2]));
			else
			{
				int64		lo = us[c->n / 2 - 1],
							hi = us[c->n / 2];

				values[4] = IntervalPGetDatum(journey_interval_from_usecs(lo + (hi - lo + 1) / 2));
			}
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
