/*
 * journey_agg.c — journey_agg(ts, stage) and rollup(journey): transition,
 * combine and final functions.  See journey.c for why the state keeps
 * points until the final function.
 */
#include "b2btarget.h"

#include "common/int.h"
#include "utils/timestamp.h"

#include "journey.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(journey_trans);
PG_FUNCTION_INFO_V1(journey_combine);
PG_FUNCTION_INFO_V1(journey_final);

/*
 * journey_agg's first state holds two points (56 bytes, a 64-byte chunk):
 * a partial state is sent whole, spare room included, so it starts small.
 */
#define JOURNEY_FIRST_POINTS ((int) ((64 - JOURNEY_HDRSZ) / sizeof(JPoint)))

/* journey_trans moves at most this many points to keep a state sorted */
#define JOURNEY_MAX_SHIFT 32

static void
check_event_ts(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("journey event timestamp cannot be %s",
						TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity"),
				 errhint("Filter such rows out, e.g. WHERE isfinite(ts).")));
}

/*
 * journey_agg(ts, stage) transition.  Non-strict: a row with a NULL ts or
 * stage is skipped and counted.  Appends a point; repeats at the same
 * instant and stage only bump the count.
 */
Datum
journey_trans(PG_FUNCTION_ARGS)
{
	Journey    *j;
	TimestampTz t;
	int			s;
	JPoint	   *last;

	b2b_agg_context(fcinfo, "journey_trans");
	if (PG_ARGISNULL(0))
		j = journey_alloc_ex(JOURNEY_FIRST_POINTS, JOURNEY_POINTS);
	else
		j = (Journey *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		j->skipped++;
		PG_RETURN_POINTER(j);
	}
	t = PG_GETARG_TIMESTAMPTZ(1);
	s = PG_GETARG_JOURNEY_STAGE_CHECKED(2);
	check_event_ts(t);

	if (j->n > 0)
	{
		JPoint	   *p = JOURNEY_POINTS_OF(j);
		JPoint		x = {t, s, 1};
		int			k = j->n;

		last = &p[k - 1];
		if (last->ts == t && last->stage == s && last->count < PG_INT32_MAX)
		{
			last->count++;
			PG_RETURN_POINTER(j);
		}

		/*
		 * Keep the points sorted, so the combine can merge and the final
		 * function need not sort, while the new point lands near the end;
		 * otherwise give up order for this state (the final sorts it).
		 */
		if (!(j->flags & JOURNEY_UNSORTED) && jpoint_cmp(last, &x) > 0)
		{
			while (k > 0 && j->n - k < JOURNEY_MAX_SHIFT && jpoint_cmp(&p[k - 1], &x) > 0)
				k--;
			if (k > 0 && jpoint_cmp(&p[k - 1], &x) == 0 && p[k - 1].count < PG_INT32_MAX)
			{
				p[k - 1].count++;
				PG_RETURN_POINTER(j);
			}
			if (k == 0 || jpoint_cmp(&p[k - 1], &x) < 0)
			{
				j = journey_reserve(j, 1);
				p = JOURNEY_POINTS_OF(j);
				memmove(&p[k + 1], &p[k], sizeof(JPoint) * (j->n - k));
				p[k] = x;
				j->n++;
				PG_RETURN_POINTER(j);
			}
			j->flags |= JOURNEY_UNSORTED;
		}
	}
	j = journey_reserve(j, 1);
	last = &JOURNEY_POINTS_OF(j)[j->n++];
	last->ts = t;
	last->count = 1;
	last->stage = s;
	PG_RETURN_POINTER(j);
}

/*
 * Combine (and rollup's transition): append b's entries to a.  Sorting and
 * merging wait for the final function, so the result of any split is the
 * sorted union of all entries.
 */
Datum
journey_combine(PG_FUNCTION_ARGS)
{
	Journey    *a;
	Journey    *b;

	b2b_agg_context(fcinfo, "journey_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = PG_GETARG_JOURNEY(1);
	if (PG_ARGISNULL(0))
	{
		/* a copy of b (b is not ours), left with spare room */
		a = journey_alloc_ex(Max(b->n, 8), b->flags);
		a->n = b->n;
		a->skipped = b->skipped;
		memcpy(a->stays, b->stays, JOURNEY_ENTSZ(b) * b->n);
		PG_RETURN_POINTER(a);
	}
	a = (Journey *) PG_GETARG_POINTER(0);
	if (pg_add_s64_overflow(a->skipped, b->skipped, &a->skipped))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("journey skipped count out of range")));
	if (b->n == 0)
		PG_RETURN_POINTER(a);
	if ((a->flags & JOURNEY_POINTS) && (b->flags & JOURNEY_POINTS))
	{
		/* two journey_agg states: merge sorted points, else append */
		JPoint	   *pa;
		const JPoint *pb = JOURNEY_POINTS_OF(b);

		a = journey_reserve(a, b->n);
		pa = JOURNEY_POINTS_OF(a);
		if ((a->flags | b->flags) & JOURNEY_UNSORTED)
		{
			memcpy(&pa[a->n], pb, sizeof(JPoint) * b->n);
			a->flags |= JOURNEY_UNSORTED;
		}
		else if (a->n > 0 && jpoint_cmp(&pa[a->n - 1], &pb[0]) > 0)
			jpoints_merge_into(pa, a->n, pb, b->n);
		else
			memcpy(&pa[a->n], pb, sizeof(JPoint) * b->n);
		a->n += b->n;
		PG_RETURN_POINTER(a);
	}
	if (a->flags & JOURNEY_POINTS)
	{
		/* mixing forms (rollup over partial states): continue as stays */
		Journey    *na = journey_alloc_ex(a->n + b->n, JOURNEY_UNSORTED);

		journey_copy_as_stays(a, na->stays);
		na->n = a->n;
		na->skipped = a->skipped;
		a = na;
	}
	if (b->flags != 0)
		a->flags |= JOURNEY_UNSORTED;
	else if (a->n > 0 && jstay_cmp(&a->stays[a->n - 1], &b->stays[0]) >= 0)
		a->flags |= JOURNEY_UNSORTED;
	else if (a->n > 0)
	{
		/* in order, but a's last range may still overlap b's first entry */
		const JStay *p = &a->stays[a->n - 1];

		if (b->stays[0].entered < p->last ||
			(b->stays[0].entered == p->last && b->stays[0].stage <= p->stage))
			a->flags |= JOURNEY_UNSORTED;
	}
	a = journey_reserve(a, b->n);
	journey_copy_as_stays(b, &a->stays[a->n]);
	a->n += b->n;
	PG_RETURN_POINTER(a);
}

/* Final function of journey_agg and rollup(journey): sort and coalesce. */
Datum
journey_final(PG_FUNCTION_ARGS)
{
	Journey    *j;

	b2b_agg_context(fcinfo, "journey_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	j = (Journey *) PG_GETARG_POINTER(0);
	/* rows that were all NULL still give a journey, so rollup counts them */
	if (j->n == 0 && j->skipped == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(journey_normalized_copy(j, true));
}
