/*
 * journey_timeline.c — journey_timeline(j): one row per stay.
 */
#include "b2btarget.h"

#include "funcapi.h"
#include "utils/timestamp.h"

#include "journey.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(journey_timeline);

/* One row per stay: stage, entered, left_at (next stay's entry), last_event, events. */
Datum
journey_timeline(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			n,
				i;
	const JStay *s;

	InitMaterializedSRF(fcinfo, 0);
	s = journey_stays_arg(fcinfo, 0, &n);
	for (i = 0; i < n; i++)
	{
		Datum		values[5];
		bool		nulls[5] = {false};

		values[0] = JourneyStageGetDatum(s[i].stage);
		values[1] = TimestampTzGetDatum(s[i].entered);
		if (i + 1 < n)
			values[2] = TimestampTzGetDatum(s[i + 1].entered);
		else
			nulls[2] = true;
		values[3] = TimestampTzGetDatum(s[i].last);
		values[4] = Int64GetDatum(s[i].events);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
