/*
 * window_funnel.c — window_funnel(window, ts, stage [, mode]): the furthest
 * stage reached in stage order, each step within window of the chain's
 * first (awareness) event, as ClickHouse's windowFunnel.
 *
 * It needs every event of the entity (a chain may start at any awareness
 * event), so its state is internal and unbounded: 16 bytes per event, with
 * serialize/deserialize for parallel query.  The search itself is in
 * journey_core.c.
 */
#include "b2btarget.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "journey_core.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(window_funnel_trans);
PG_FUNCTION_INFO_V1(window_funnel_combine);
PG_FUNCTION_INFO_V1(window_funnel_serialize);
PG_FUNCTION_INFO_V1(window_funnel_deserialize);
PG_FUNCTION_INFO_V1(window_funnel_final);

#define WF_SER_VERSION 1

typedef struct WFState
{
	int64		window;			/* microseconds, > 0 */
	int32		modes;
	int32		sorted;
	int64		n;
	int64		cap;
	WFEvent    *ev;
} WFState;

static WFState *
wf_new(MemoryContext ctx, int64 window, int modes, int64 cap)
{
	WFState    *w = MemoryContextAllocZero(ctx, sizeof(WFState));

	w->window = window;
	w->modes = modes;
	w->sorted = true;
	w->cap = Max(cap, 8);
	w->ev = MemoryContextAlloc(ctx, sizeof(WFEvent) * w->cap);
	return w;
}

static void
wf_reserve(WFState *w, int64 extra, MemoryContext ctx)
{
	if (w->n + extra > w->cap)
	{
		int64		cap = Max(w->cap * 2, w->n + extra);
		MemoryContext old;

		if ((Size) cap > MaxAllocSize / sizeof(WFEvent))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("window_funnel holds too many events for one entity")));
		old = MemoryContextSwitchTo(ctx);
		w->ev = repalloc(w->ev, sizeof(WFEvent) * cap);
		MemoryContextSwitchTo(old);
		w->cap = cap;
	}
}

static int64
window_usecs(Interval *iv)
{
	int64		d,
				us;

	if (iv->month != 0 ||
		pg_mul_s64_overflow((int64) iv->day, USECS_PER_DAY, &d) ||
		pg_add_s64_overflow(d, iv->time, &us) || us <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid window_funnel window \"%s\"",
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(iv)))),
				 errhint("The window is a positive duration in days and time (a day counts as 24 hours; months are not allowed), e.g. '90 days' or '36 hours'.")));
	return us;
}

static int
parse_modes(text *t)
{
	char	   *s = text_to_cstring(t);
	char	   *p = s;
	int			modes = 0;

	/* empty or 'default' = no mode; else a comma-separated list */
	if (strspn(s, " \t") == strlen(s) || pg_strcasecmp(s, "default") == 0)
		return 0;
	for (;;)
	{
		char	   *comma = strchr(p, ',');
		size_t		len = comma ? (size_t) (comma - p) : strlen(p);
		int			m = window_funnel_mode_parse(p, len);

		if (m == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown window_funnel mode \"%s\"", s),
					 errhint("Modes are strict_order, strict_deduplication and strict_increase (several may be given, comma-separated), or 'default'.")));
		modes |= m;
		if (!comma)
			break;
		p = comma + 1;
	}
	return modes;
}

/* window_funnel(window, ts, stage [, mode]) transition (non-strict). */
Datum
window_funnel_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = b2b_agg_context(fcinfo, "window_funnel_trans");
	WFState    *w = PG_ARGISNULL(0) ? NULL : (WFState *) PG_GETARG_POINTER(0);
	int64		window;
	int			modes = 0;
	TimestampTz t;
	int			s;
	WFEvent    *e;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_funnel window cannot be NULL"),
				 errhint("Give a positive interval, e.g. window_funnel('90 days', ts, stage).")));
	if (PG_NARGS() > 4)
	{
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("window_funnel mode cannot be NULL"),
					 errhint("Use 'default', or one of strict_order, strict_deduplication, strict_increase.")));
		if (w == NULL)
			modes = parse_modes(PG_GETARG_TEXT_PP(4));
	}
	if (w == NULL)
	{
		window = window_usecs(PG_GETARG_INTERVAL_P(1));
		w = wf_new(ctx, window, modes, 8);
	}
	else if (window_usecs(PG_GETARG_INTERVAL_P(1)) != w->window)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel window must be the same for every row of a group"),
				 errhint("Pass a constant window.")));
	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(w);	/* a row without a time or stage is no step */
	t = PG_GETARG_TIMESTAMPTZ(2);
	s = PG_GETARG_JOURNEY_STAGE(3);
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("window_funnel event timestamp cannot be %s",
						TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity"),
				 errhint("Filter such rows out, e.g. WHERE isfinite(ts).")));
	s = b2b_stage_checked(s);
	wf_reserve(w, 1, ctx);
	e = &w->ev[w->n++];
	e->ts = t;
	e->stage = s;
	e->reserved = 0;
	if (w->n > 1 && w->sorted && wfevent_cmp(&w->ev[w->n - 2], e) > 0)
		w->sorted = false;
	PG_RETURN_POINTER(w);
}

Datum
window_funnel_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = b2b_agg_context(fcinfo, "window_funnel_combine");
	WFState    *a = PG_ARGISNULL(0) ? NULL : (WFState *) PG_GETARG_POINTER(0);
	WFState    *b = PG_ARGISNULL(1) ? NULL : (WFState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = wf_new(ctx, b->window, b->modes, b->n);
	else if (a->window != b->window || a->modes != b->modes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel window and mode must be the same for every row of a group"),
				 errhint("Pass a constant window and mode.")));
	wf_reserve(a, b->n, ctx);
	if (b->n > 0 && (!b->sorted || (a->n > 0 && wfevent_cmp(&a->ev[a->n - 1], &b->ev[0]) > 0)))
		a->sorted = false;
	memcpy(a->ev + a->n, b->ev, sizeof(WFEvent) * b->n);
	a->n += b->n;
	PG_RETURN_POINTER(a);
}

Datum
window_funnel_serialize(PG_FUNCTION_ARGS)
{
	WFState    *w;
	StringInfoData buf;
	int64		i;

	b2b_agg_context(fcinfo, "window_funnel_serialize");
	w = (WFState *) PG_GETARG_POINTER(0);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, WF_SER_VERSION);
	pq_sendbyte(&buf, w->modes);
	pq_sendint64(&buf, w->window);
	pq_sendint64(&buf, w->n);
	for (i = 0; i < w->n; i++)
	{
		pq_sendint64(&buf, w->ev[i].ts);
		pq_sendbyte(&buf, w->ev[i].stage);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
window_funnel_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = b2b_agg_context(fcinfo, "window_funnel_deserialize");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	WFState    *w;
	int			version,
				modes;
	int64		window,
				n,
				i;

	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (buf.len < 18)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("window_funnel state is too short")));
	version = pq_getmsgbyte(&buf);
	modes = pq_getmsgbyte(&buf);
	window = (int64) pq_getmsgint64(&buf);
	n = (int64) pq_getmsgint64(&buf);
	if (version != WF_SER_VERSION ||
		(modes & ~(WF_STRICT_DEDUPLICATION | WF_STRICT_ORDER | WF_STRICT_INCREASE)) != 0 ||
		window <= 0 || n < 0 || (buf.len - buf.cursor) % 9 != 0 || n != (buf.len - buf.cursor) / 9)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("window_funnel state is inconsistent")));
	w = wf_new(ctx, window, modes, n);
	for (i = 0; i < n; i++)
	{
		w->ev[i].ts = (int64) pq_getmsgint64(&buf);
		w->ev[i].stage = pq_getmsgbyte(&buf);
		w->ev[i].reserved = 0;
		if (w->ev[i].stage < 1 || w->ev[i].stage > B2B_NSTAGES)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("window_funnel state has a bad stage")));
		if (i > 0 && w->sorted && wfevent_cmp(&w->ev[i - 1], &w->ev[i]) > 0)
			w->sorted = false;
	}
	w->n = n;
	PG_RETURN_POINTER(w);
}

/* The furthest stage reached; NULL when no chain starts (no awareness). */
Datum
window_funnel_final(PG_FUNCTION_ARGS)
{
	WFState    *w;
	int			level;

	b2b_agg_context(fcinfo, "window_funnel_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	w = (WFState *) PG_GETARG_POINTER(0);
	/* sorting in place keeps the same multiset: safe if the final runs again */
	if (!w->sorted)
	{
		wfevents_sort(w->ev, w->n);
		w->sorted = true;
	}
	level = window_funnel_level(w->ev, w->n, w->window, w->modes, B2B_NSTAGES);
	if (level == 0)
		PG_RETURN_NULL();
	PG_RETURN_JOURNEY_STAGE(level);
}
