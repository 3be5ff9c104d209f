/*
 * journey_funnel.c — funnel_agg(journey): the funnel of journeys, each
 * counted at its furthest stage (the state and result are the funnel type,
 * funnel.c).
 */
#include "b2btarget.h"

#include "funnel.h"
#include "journey.h"

PG_FUNCTION_INFO_V1(journey_funnel_trans);

/* funnel_agg(journey): count each journey at its furthest stage. */
Datum
journey_funnel_trans(PG_FUNCTION_ARGS)
{
	Funnel	   *f;
	int			n,
				i,
				m = 0;
	const JStay *s;

	b2b_agg_context(fcinfo, "journey_funnel_trans");
	f = (Funnel *) PG_GETARG_POINTER(0);
	s = journey_stays_arg(fcinfo, 1, &n);
	for (i = 0; i < n; i++)
		m = Max(m, s[i].stage);
	if (m > 0)
		f->at[m - 1]++;
	PG_RETURN_POINTER(f);
}
