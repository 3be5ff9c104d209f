/*
 * journey_accessors.c — the scalar accessors of a journey (current and
 * furthest stage, first and last reached, time in and to a stage,
 * regressions, changes, counts, is_stalled).
 */
#include "b2btarget.h"

#include "common/int.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "journey.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(journey_current_stage);
PG_FUNCTION_INFO_V1(journey_furthest_stage);
PG_FUNCTION_INFO_V1(journey_first_reached);
PG_FUNCTION_INFO_V1(journey_last_reached);
PG_FUNCTION_INFO_V1(journey_time_in_stage);
PG_FUNCTION_INFO_V1(journey_time_in_stage_as_of);
PG_FUNCTION_INFO_V1(journey_time_to_stage);
PG_FUNCTION_INFO_V1(journey_regressions);
PG_FUNCTION_INFO_V1(journey_stage_changes);
PG_FUNCTION_INFO_V1(journey_event_count);
PG_FUNCTION_INFO_V1(journey_skipped_rows);
PG_FUNCTION_INFO_V1(journey_is_stalled);

Interval *
journey_interval_from_usecs(int64 us)
{
	Interval   *r = (Interval *) palloc(sizeof(Interval));

	r->month = 0;
	r->day = (int32) (us / USECS_PER_DAY);
	r->time = us % USECS_PER_DAY;
	return r;
}

Datum
journey_current_stage(PG_FUNCTION_ARGS)
{
	int			n;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_JOURNEY_STAGE(s[n - 1].stage);
}

Datum
journey_furthest_stage(PG_FUNCTION_ARGS)
{
	int			n,
				i,
				m = 0;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);

	for (i = 0; i < n; i++)
		m = Max(m, s[i].stage);
	if (m == 0)
		PG_RETURN_NULL();
	PG_RETURN_JOURNEY_STAGE(m);
}

Datum
journey_first_reached(PG_FUNCTION_ARGS)
{
	int			n;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	int			i = jstays_first_reached(s, n, PG_GETARG_JOURNEY_STAGE_CHECKED(1));

	if (i < 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(s[i].entered);
}

/* When the entity last moved to the stage or past it from below. */
Datum
journey_last_reached(PG_FUNCTION_ARGS)
{
	int			n,
				i;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	int			stage = PG_GETARG_JOURNEY_STAGE_CHECKED(1);

	for (i = n - 1; i >= 0; i--)
		if (s[i].stage >= stage && (i == 0 || s[i - 1].stage < stage))
			PG_RETURN_TIMESTAMPTZ(s[i].entered);
	PG_RETURN_NULL();
}

static int64
time_in_stage(const JStay *s, int n, int stage, int64 end)
{
	int64		total = 0;
	int			i;

	for (i = 0; i < n; i++)
		if (s[i].stage == stage)
			total += (i + 1 < n ? s[i + 1].entered : end) - s[i].entered;
	return total;
}

Datum
journey_time_in_stage(PG_FUNCTION_ARGS)
{
	int			n;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	int			stage = PG_GETARG_JOURNEY_STAGE_CHECKED(1);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(journey_interval_from_usecs(time_in_stage(s, n, stage, s[n - 1].last)));
}

Datum
journey_time_in_stage_as_of(PG_FUNCTION_ARGS)
{
	int			n;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	int			stage = PG_GETARG_JOURNEY_STAGE_CHECKED(1);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(2);

	if (n == 0)
		PG_RETURN_NULL();
	if (TIMESTAMP_NOT_FINITE(as_of) || as_of < s[n - 1].last)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of %s precedes the journey's last event or is not finite",
						DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(as_of)))),
				 errhint("Give an as_of at or after the last event, e.g. now(), or use time_in_stage(j, stage) to count to the last event.")));
	PG_RETURN_INTERVAL_P(journey_interval_from_usecs(time_in_stage(s, n, stage, as_of)));
}

void
journey_check_stage_order(int from, int to, const char *fname)
{
	if (to < from)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s from %s to %s runs backwards",
						fname, stage_name(from), stage_name(to)),
				 errhint("Give the earlier stage first: %s(j, '%s', '%s').",
						 fname, stage_name(to), stage_name(from))));
}

Datum
journey_time_to_stage(PG_FUNCTION_ARGS)
{
	int			n;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	int			from = PG_GETARG_JOURNEY_STAGE_CHECKED(1);
	int			to = PG_GETARG_JOURNEY_STAGE_CHECKED(2);
	int64		us;

	journey_check_stage_order(from, to, "time_to_stage");
	if (!jstays_time_to(s, n, from, to, &us))
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(journey_interval_from_usecs(us));
}

Datum
journey_regressions(PG_FUNCTION_ARGS)
{
	int			n,
				i,
				r = 0;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);

	for (i = 1; i < n; i++)
		if (s[i].stage < s[i - 1].stage)
			r++;
	PG_RETURN_INT32(r);
}

Datum
journey_stage_changes(PG_FUNCTION_ARGS)
{
	int			n;

	journey_stays_arg(fcinfo, 0, &n);
	PG_RETURN_INT32(n > 0 ? n - 1 : 0);
}

Datum
journey_event_count(PG_FUNCTION_ARGS)
{
	int			n,
				i;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	int64		total = 0;

	for (i = 0; i < n; i++)
		if (pg_add_s64_overflow(total, s[i].events, &total))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("journey event count out of range")));
	PG_RETURN_INT64(total);
}

Datum
journey_skipped_rows(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_JOURNEY(0)->skipped);
}

/*
 * Interval as microseconds, months counted as 30 days and days as 24 hours
 * (PostgreSQL's own interval comparison); saturates instead of overflowing.
 */
static int64
interval_usecs(const Interval *iv)
{
	int64		m,
				d,
				r;

	if (pg_mul_s64_overflow((int64) iv->month * 30 + iv->day, USECS_PER_DAY, &d))
		return iv->month * 30 + iv->day > 0 ? PG_INT64_MAX : PG_INT64_MIN;
	m = d;
	if (pg_add_s64_overflow(m, iv->time, &r))
		return m > 0 ? PG_INT64_MAX : PG_INT64_MIN;
	return r;
}

Datum
journey_is_stalled(PG_FUNCTION_ARGS)
{
	int			n;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	Interval   *threshold = PG_GETARG_INTERVAL_P(2);
	int64		th = interval_usecs(threshold);

	if (th < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stall threshold %s is negative",
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(threshold)))),
				 errhint("Give a positive interval, e.g. '60 days'.")));
	if (TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite timestamp"),
				 errhint("Use now() or a date, e.g. '2026-11-01'.")));
	if (n == 0)
		PG_RETURN_NULL();
	/* both within the timestamp range, so the difference fits */
	PG_RETURN_BOOL(as_of - s[n - 1].entered > th);
}

