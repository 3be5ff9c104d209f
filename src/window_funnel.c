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
	int16		modes;
	bool		sorted;
	bool		fresh;			/* made by deserialize, not yet combined */
	int32		reserved;
	int64		n;
	int64		cap;
	Interval	window_arg;		/* the window as given, to check rows cheaply */
	JPoint    *ev;				/* inline_ev until it outgrows it */
	JPoint		inline_ev[FLEXIBLE_ARRAY_MEMBER];
} WFState;

/* A new state holds a few events in the same allocation. */
#define WF_INLINE_EVENTS 6

static WFState *
wf_new(MemoryContext ctx, int64 window, int modes, int64 cap)
{
	WFState    *w;

	if (cap > WF_INLINE_EVENTS)
	{
		if ((Size) cap > MaxAllocSize / sizeof(JPoint))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("window_funnel holds too many events for one entity")));
		w = MemoryContextAllocZero(ctx, offsetof(WFState, inline_ev));
		w->ev = MemoryContextAlloc(ctx, sizeof(JPoint) * cap);
	}
	else
	{
		cap = WF_INLINE_EVENTS;
		w = MemoryContextAllocZero(ctx, offsetof(WFState, inline_ev) + sizeof(JPoint) * cap);
		w->ev = w->inline_ev;
	}
	w->window = window;
	w->modes = modes;
	w->sorted = true;
	w->cap = cap;
	return w;
}

static void
wf_reserve(WFState *w, int64 extra, MemoryContext ctx)
{
	if (w->n + extra > w->cap)
	{
		int64		cap = Max(w->cap * 2, w->n + extra);
		JPoint    *ev;

		if ((Size) cap > MaxAllocSize / sizeof(JPoint))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("window_funnel holds too many events for one entity")));
		ev = MemoryContextAlloc(ctx, sizeof(JPoint) * cap);
		memcpy(ev, w->ev, sizeof(JPoint) * w->n);
		if (w->ev != w->inline_ev)
			pfree(w->ev);
		w->ev = ev;
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
	JPoint    *e;
	Interval   *iv;

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
	iv = PG_GETARG_INTERVAL_P(1);
	if (w == NULL)
	{
		window = window_usecs(iv);
		w = wf_new(ctx, window, modes, 0);
		w->window_arg = *iv;
	}
	else if ((iv->time != w->window_arg.time || iv->day != w->window_arg.day ||
			  iv->month != w->window_arg.month) &&
			 window_usecs(iv) != w->window)
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
	e->count = 1;
	if (w->n > 1 && w->sorted && jpoint_cmp(&w->ev[w->n - 2], e) > 0)
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
	/*
	 * A state deserialize just made belongs to no one else: adopt it instead
	 * of copying, and free it once its events are appended.
	 */
	if (a == NULL && b->fresh)
	{
		b->fresh = false;
		PG_RETURN_POINTER(b);
	}
	if (a == NULL)
		a = wf_new(ctx, b->window, b->modes, b->n);
	else if (a->window != b->window || a->modes != b->modes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel window and mode must be the same for every row of a group"),
				 errhint("Pass a constant window and mode.")));
	wf_reserve(a, b->n, ctx);
	if (a->sorted && b->sorted && a->n > 0 && b->n > 0 &&
		jpoint_cmp(&a->ev[a->n - 1], &b->ev[0]) > 0)
		jpoints_merge_into(a->ev, a->n, b->ev, b->n);	/* two sorted runs */
	else
	{
		if (b->n > 0 && (!b->sorted || (a->n > 0 && jpoint_cmp(&a->ev[a->n - 1], &b->ev[0]) > 0)))
			a->sorted = false;
		memcpy(a->ev + a->n, b->ev, sizeof(JPoint) * b->n);
	}
	a->n += b->n;
	if (b->fresh)
	{
		if (b->ev != b->inline_ev)
			pfree(b->ev);
		pfree(b);
	}
	PG_RETURN_POINTER(a);
}

/*
 * The serialized state passes between the processes of one query only, so
 * it uses the native byte order: version, modes, window, n, then n events
 * of 9 bytes (timestamp, stage).  Deserialize still checks every byte.
 */
#define WF_SER_HDR (2 + 2 * sizeof(int64))
#define WF_SER_EV (sizeof(int64) + 1)

Datum
window_funnel_serialize(PG_FUNCTION_ARGS)
{
	WFState    *w;
	bytea	   *out;
	char	   *p;
	int64		i;
	Size		sz;

	b2b_agg_context(fcinfo, "window_funnel_serialize");
	w = (WFState *) PG_GETARG_POINTER(0);
	if ((Size) w->n > (MaxAllocSize - VARHDRSZ - WF_SER_HDR) / WF_SER_EV)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel holds too many events for one entity")));
	/* sort here, in the worker, so the leader's combine can merge runs */
	if (!w->sorted)
	{
		jpoints_sort(w->ev, w->n);
		w->sorted = true;
	}
	sz = VARHDRSZ + WF_SER_HDR + (Size) w->n * WF_SER_EV;
	out = (bytea *) palloc(sz);
	SET_VARSIZE(out, sz);
	p = VARDATA(out);
	*p++ = WF_SER_VERSION;
	*p++ = (char) w->modes;
	memcpy(p, &w->window, sizeof(int64));
	p += sizeof(int64);
	memcpy(p, &w->n, sizeof(int64));
	p += sizeof(int64);
	for (i = 0; i < w->n; i++)
	{
		memcpy(p, &w->ev[i].ts, sizeof(int64));
		p[sizeof(int64)] = (char) w->ev[i].stage;
		p += WF_SER_EV;
	}
	PG_RETURN_BYTEA_P(out);
}

Datum
window_funnel_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = b2b_agg_context(fcinfo, "window_funnel_deserialize");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(b);
	Size		len = VARSIZE_ANY_EXHDR(b);
	WFState    *w;
	int			version,
				modes;
	int64		window,
				n,
				i;

	if (len < WF_SER_HDR)
		b2b_corrupt("window_funnel state is too short");
	version = (unsigned char) p[0];
	modes = (unsigned char) p[1];
	memcpy(&window, p + 2, sizeof(int64));
	memcpy(&n, p + 2 + sizeof(int64), sizeof(int64));
	p += WF_SER_HDR;
	len -= WF_SER_HDR;
	if (version != WF_SER_VERSION ||
		(modes & ~(WF_STRICT_DEDUPLICATION | WF_STRICT_ORDER | WF_STRICT_INCREASE)) != 0 ||
		window <= 0 || n < 0 || len % WF_SER_EV != 0 || (Size) n != len / WF_SER_EV)
		b2b_corrupt("window_funnel state is inconsistent");
	w = wf_new(ctx, window, modes, n);
	for (i = 0; i < n; i++)
	{
		JPoint    *e = &w->ev[i];

		memcpy(&e->ts, p, sizeof(int64));
		e->stage = (unsigned char) p[sizeof(int64)];
		e->count = 1;
		p += WF_SER_EV;
		if (e->stage < 1 || e->stage > B2B_NSTAGES || !IS_VALID_TIMESTAMP(e->ts))
			b2b_corrupt("window_funnel state has a bad event");
		if (i > 0 && w->sorted && jpoint_cmp(&w->ev[i - 1], e) > 0)
			w->sorted = false;
	}
	w->n = n;
	w->fresh = true;
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
		jpoints_sort(w->ev, w->n);
		w->sorted = true;
	}
	level = window_funnel_level(w->ev, w->n, w->window, w->modes, B2B_NSTAGES);
	if (level == 0)
		PG_RETURN_NULL();
	PG_RETURN_JOURNEY_STAGE(level);
}
