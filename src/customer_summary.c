/*
 * customer_summary.c — customer_summary_agg(ts, amount, observation_end):
 * one customer's orders summarised as lifetimes'
 * summary_data_from_transaction_data does with freq = 'D'.
 *
 * Time unit: days, in the session's TimeZone (the day an order falls on is
 * ts::date).  Orders on days after observation_end's day are left out, and
 * all orders of one day count as one purchase:
 *   frequency      = distinct purchase days - 1 (repeat purchase days)
 *   recency        = last purchase day - first purchase day
 *   t              = observation_end day - first purchase day
 *   monetary_value = mean over the repeat purchase days of the day's total
 *                    (the first day left out; 0 when frequency = 0)
 *
 * Distinct days are needed, and a customer can buy on any number of them,
 * so the state is not bounded: it is `internal`, a day-sorted array of
 * (day, total, orders) — 24 bytes per distinct purchase day of the group —
 * appended to in O(1) when orders arrive in time order, with
 * serialize/deserialize for parallel query and a merging combine.
 */
#include "b2btarget.h"

#include <math.h>

#include "access/htup_details.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(customer_summary_trans);
PG_FUNCTION_INFO_V1(customer_summary_combine);
PG_FUNCTION_INFO_V1(customer_summary_serialize);
PG_FUNCTION_INFO_V1(customer_summary_deserialize);
PG_FUNCTION_INFO_V1(customer_summary_final);

typedef struct DayTotal
{
	int32		day;			/* Julian day number */
	int32		pad;
	double		amount;
	int64		orders;
} DayTotal;

typedef struct CSState
{
	int32		ndays;
	int32		maxdays;
	DayTotal   *days;			/* ascending by day, distinct */
	bool		has_end;
	TimestampTz end_ts;
	int32		end_day;
	int64		orders;
	double		total;
	TimestampTz first_ts;
	TimestampTz last_ts;
	MemoryContext cxt;
} CSState;

#define CS_VERSION 1

static CSState *
cs_new(MemoryContext cxt)
{
	CSState    *st = MemoryContextAllocZero(cxt, sizeof(CSState));

	st->cxt = cxt;
	st->maxdays = 8;
	st->days = MemoryContextAlloc(cxt, sizeof(DayTotal) * st->maxdays);
	return st;
}

static void
cs_grow(CSState *st)
{
	if (st->ndays < st->maxdays)
		return;
	if (st->maxdays >= (int32) (MaxAllocSize / sizeof(DayTotal) / 2))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("customer_summary_agg: too many distinct purchase days in one group"),
				 errhint("Group the orders by customer.")));
	st->maxdays *= 2;
	st->days = repalloc(st->days, sizeof(DayTotal) * st->maxdays);
}

/* Add amount/orders on day, keeping the array sorted and distinct. */
static void
cs_add_day(CSState *st, int32 day, double amount, int64 orders)
{
	int			lo,
				hi;

	/* fast paths: the same or a later day than the last one */
	if (st->ndays > 0 && st->days[st->ndays - 1].day == day)
	{
		st->days[st->ndays - 1].amount += amount;
		st->days[st->ndays - 1].orders += orders;
		return;
	}
	if (st->ndays == 0 || st->days[st->ndays - 1].day < day)
		lo = st->ndays;
	else
	{
		lo = 0;
		hi = st->ndays;
		while (lo < hi)
		{
			int			mid = (lo + hi) / 2;

			if (st->days[mid].day < day)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (st->days[lo].day == day)
		{
			st->days[lo].amount += amount;
			st->days[lo].orders += orders;
			return;
		}
	}
	cs_grow(st);
	if (lo < st->ndays)
		memmove(&st->days[lo + 1], &st->days[lo], sizeof(DayTotal) * (st->ndays - lo));
	st->days[lo].day = day;
	st->days[lo].pad = 0;
	st->days[lo].amount = amount;
	st->days[lo].orders = orders;
	st->ndays++;
}

/* The calendar day of ts in the session time zone, as a Julian day. */
static int32
ts_day(TimestampTz ts, const char *what)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	if (TIMESTAMP_NOT_FINITE(ts) ||
		timestamp2tm(ts, &tz, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("customer_summary_agg: %s must be a finite timestamp", what),
				 errhint("Give real order times and a real end of the observation period.")));
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday);
}

static void
cs_set_end(CSState *st, TimestampTz end)
{
	if (!st->has_end)
	{
		st->end_day = ts_day(end, "observation_end");
		st->end_ts = end;
		st->has_end = true;
	}
	else if (st->end_ts != end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("customer_summary_agg: observation_end must be the same on every row of a group"),
				 errdetail("Found %s and %s.", pstrdup(timestamptz_to_str(st->end_ts)), pstrdup(timestamptz_to_str(end))),
				 errhint("Pass one constant end of the observation period, e.g. '2026-11-01'::timestamptz.")));
}

Datum
customer_summary_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = b2b_agg_context(fcinfo, "customer_summary_trans");
	CSState    *st = PG_ARGISNULL(0) ? NULL : (CSState *) PG_GETARG_POINTER(0);
	TimestampTz ts;
	Numeric		num;
	double		amount;
	int32		day;

	if (st == NULL)
		st = cs_new(aggcxt);
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("customer_summary_agg: observation_end must not be NULL"),
				 errhint("Pass the end of the observation period, e.g. now() or '2026-11-01'::timestamptz.")));
	cs_set_end(st, PG_GETARG_TIMESTAMPTZ(3));
	/* an order without a time or an amount is left out, as sum() does */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	ts = PG_GETARG_TIMESTAMPTZ(1);
	num = PG_GETARG_NUMERIC(2);
	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("customer_summary_agg: order amount must be finite, got %s",
						DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)))),
				 errhint("Give the order's amount; leave it NULL to skip the order.")));
	amount = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(num)));
	if (!isfinite(amount))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("customer_summary_agg: order amount is out of range for double precision"),
				 errhint("Amounts up to about 1e308 are supported.")));
	day = ts_day(ts, "ts");
	if (day > st->end_day)
		PG_RETURN_POINTER(st);
	cs_add_day(st, day, amount, 1);
	if (st->orders == 0 || ts < st->first_ts)
		st->first_ts = ts;
	if (st->orders == 0 || ts > st->last_ts)
		st->last_ts = ts;
	st->orders++;
	st->total += amount;
	PG_RETURN_POINTER(st);
}

/* Merge src into dst (dst in the aggregate context). */
static void
cs_merge(CSState *dst, const CSState *src)
{
	int			i;

	if (src->has_end)
		cs_set_end(dst, src->end_ts);
	if (src->orders == 0)
		return;
	for (i = 0; i < src->ndays; i++)
		cs_add_day(dst, src->days[i].day, src->days[i].amount, src->days[i].orders);
	if (dst->orders == 0 || src->first_ts < dst->first_ts)
		dst->first_ts = src->first_ts;
	if (dst->orders == 0 || src->last_ts > dst->last_ts)
		dst->last_ts = src->last_ts;
	dst->orders += src->orders;
	dst->total += src->total;
}

Datum
customer_summary_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = b2b_agg_context(fcinfo, "customer_summary_combine");
	CSState    *a = PG_ARGISNULL(0) ? NULL : (CSState *) PG_GETARG_POINTER(0);
	CSState    *b = PG_ARGISNULL(1) ? NULL : (CSState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = cs_new(aggcxt);
	cs_merge(a, b);
	PG_RETURN_POINTER(a);
}

/*
 * Serialized: version, has_end (bytes), end_ts, end_day, orders, total,
 * first_ts, last_ts, ndays, then (day int32, amount float8, orders int64)
 * per day.
 */
Datum
customer_summary_serialize(PG_FUNCTION_ARGS)
{
	CSState    *st;
	StringInfoData buf;
	int			i;

	b2b_agg_context(fcinfo, "customer_summary_serialize");
	st = (CSState *) PG_GETARG_POINTER(0);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CS_VERSION);
	pq_sendbyte(&buf, st->has_end ? 1 : 0);
	pq_sendint64(&buf, st->end_ts);
	pq_sendint32(&buf, st->end_day);
	pq_sendint64(&buf, st->orders);
	pq_sendfloat8(&buf, st->total);
	pq_sendint64(&buf, st->first_ts);
	pq_sendint64(&buf, st->last_ts);
	pq_sendint32(&buf, st->ndays);
	for (i = 0; i < st->ndays; i++)
	{
		pq_sendint32(&buf, st->days[i].day);
		pq_sendfloat8(&buf, st->days[i].amount);
		pq_sendint64(&buf, st->days[i].orders);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
customer_summary_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = b2b_agg_context(fcinfo, "customer_summary_deserialize");
	bytea	   *raw = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	CSState    *st;
	int			version,
				has_end,
				i;
	int32		ndays;
	int64		orders_sum = 0;
	const int	header = 2 + 8 + 4 + 8 + 8 + 8 + 8 + 4;

	buf.data = VARDATA_ANY(raw);
	buf.len = VARSIZE_ANY_EXHDR(raw);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (buf.len < header)
		b2b_corrupt("invalid serialized customer_summary_agg state: too short");
	version = pq_getmsgbyte(&buf);
	has_end = pq_getmsgbyte(&buf);
	if (version != CS_VERSION || (has_end != 0 && has_end != 1))
		b2b_corrupt("invalid serialized customer_summary_agg state: unknown version");
	st = cs_new(aggcxt);
	st->has_end = has_end;
	st->end_ts = (TimestampTz) pq_getmsgint64(&buf);
	st->end_day = (int32) pq_getmsgint(&buf, 4);
	st->orders = (int64) pq_getmsgint64(&buf);
	st->total = pq_getmsgfloat8(&buf);
	st->first_ts = (TimestampTz) pq_getmsgint64(&buf);
	st->last_ts = (TimestampTz) pq_getmsgint64(&buf);
	ndays = (int32) pq_getmsgint(&buf, 4);
	if (ndays < 0 || (int64) ndays * 20 != buf.len - buf.cursor)
		b2b_corrupt("invalid serialized customer_summary_agg state: bad length");
	if (st->orders < 0 || !isfinite(st->total) || (st->orders == 0) != (ndays == 0) ||
		(ndays > 0 && (!has_end || st->first_ts > st->last_ts)))
		b2b_corrupt("invalid serialized customer_summary_agg state: bad header");
	for (i = 0; i < ndays; i++)
	{
		int32		day = (int32) pq_getmsgint(&buf, 4);
		double		amount = pq_getmsgfloat8(&buf);
		int64		n = (int64) pq_getmsgint64(&buf);

		if ((i > 0 && day <= st->days[st->ndays - 1].day) || day > st->end_day ||
			!isfinite(amount) || n <= 0 || n > st->orders - orders_sum)
			b2b_corrupt("invalid serialized customer_summary_agg state: bad day entry");
		orders_sum += n;
		cs_add_day(st, day, amount, n);
	}
	if (orders_sum != st->orders)
		b2b_corrupt("invalid serialized customer_summary_agg state: order counts do not add up");
	PG_RETURN_POINTER(st);
}

Datum
customer_summary_final(PG_FUNCTION_ARGS)
{
	CSState    *st;
	TupleDesc	td;
	Datum		v[8];
	bool		nulls[8] = {false};
	double		repeat_sum = 0;
	int			i,
				freq;

	b2b_agg_context(fcinfo, "customer_summary_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (CSState *) PG_GETARG_POINTER(0);
	/* no order up to observation_end: not a customer yet */
	if (st->ndays == 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	td = BlessTupleDesc(td);
	freq = st->ndays - 1;
	for (i = 1; i < st->ndays; i++)
		repeat_sum += st->days[i].amount;
	v[0] = Int32GetDatum(freq);
	v[1] = Int32GetDatum(st->days[st->ndays - 1].day - st->days[0].day);
	v[2] = Int32GetDatum(st->end_day - st->days[0].day);
	v[3] = Float8GetDatum(freq > 0 ? repeat_sum / freq : 0.0);
	v[4] = TimestampTzGetDatum(st->first_ts);
	v[5] = TimestampTzGetDatum(st->last_ts);
	v[6] = Float8GetDatum(st->total);
	v[7] = Int64GetDatum(st->orders);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}
