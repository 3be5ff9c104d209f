/*
 * journey_timeline.c — journey_timeline(j): one row per stay.
 */
#include "b2btarget.h"

#include "funcapi.h"
#include "utils/timestamp.h"

#include "journey.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(journey_timeline);

/*
 * One row per stay: stage, entered, left_at (next stay's entry), last_event,
 * events, then for BI tools the stay number, the stage ordinal and the stay's
 * length in days (float8; NULL for the current stay, like left_at).
 */
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
		Datum		values[8];
		bool		nulls[8] = {false};

		values[0] = JourneyStageGetDatum(s[i].stage);
		values[1] = TimestampTzGetDatum(s[i].entered);
		if (i + 1 < n)
		{
			values[2] = TimestampTzGetDatum(s[i + 1].entered);
			values[7] = Float8GetDatum((double) (s[i + 1].entered - s[i].entered) /
									   (double) USECS_PER_DAY);
		}
		else
			nulls[2] = nulls[7] = true;
		values[3] = TimestampTzGetDatum(s[i].last);
		values[4] = Int64GetDatum(s[i].events);
		values[5] = Int32GetDatum(i + 1);
		values[6] = Int32GetDatum(s[i].stage);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
