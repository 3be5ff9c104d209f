/*
 * segment.c — fmgr glue of the segment type.
 *
 * A segment is one byte holding its rank 1..10 in business-value order
 * (champions = 1 … hibernating = 10), passed by value; comparison and
 * hashing reuse the built-in "char" functions; text and binary I/O are the
 * shared ordinal.c (binary form: int2's).
 */
#include "b2btarget.h"

#include "utils/builtins.h"

#include "ordinal.h"
#include "segments.h"
#include "segments_core.h"

PG_FUNCTION_INFO_V1(segment_in);
PG_FUNCTION_INFO_V1(segment_out);
PG_FUNCTION_INFO_V1(segment_recv);
PG_FUNCTION_INFO_V1(segment_send);
PG_FUNCTION_INFO_V1(segment_from_rfm);
PG_FUNCTION_INFO_V1(segment_action);
PG_FUNCTION_INFO_V1(segment_rank);
PG_FUNCTION_INFO_V1(segment_from_rank);
PG_FUNCTION_INFO_V1(segment_r_min);
PG_FUNCTION_INFO_V1(segment_r_max);
PG_FUNCTION_INFO_V1(segment_f_min);
PG_FUNCTION_INFO_V1(segment_f_max);

static int
segment_checked(Datum d)
{
	return b2b_ordinal_checked(&b2b_segment_type, d);
}

Datum
segment_in(PG_FUNCTION_ARGS)
{
	return b2b_ordinal_in(fcinfo, &b2b_segment_type);
}

Datum
segment_out(PG_FUNCTION_ARGS)
{
	return b2b_ordinal_out(fcinfo, &b2b_segment_type);
}

Datum
segment_recv(PG_FUNCTION_ARGS)
{
	return b2b_ordinal_recv(fcinfo, &b2b_segment_type);
}

Datum
segment_send(PG_FUNCTION_ARGS)
{
	return b2b_ordinal_send(fcinfo, &b2b_segment_type);
}

Datum
segment_from_rfm(PG_FUNCTION_ARGS)
{
	int			c = rfm_checked(PG_GETARG_DATUM(0));

	PG_RETURN_CHAR((char) segment_of_rf(RFM_R(c), RFM_F(c)));
}

Datum
segment_action(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(segment_action_text(segment_checked(PG_GETARG_DATUM(0)))));
}

Datum
segment_rank(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(segment_checked(PG_GETARG_DATUM(0)));
}

Datum
segment_from_rank(PG_FUNCTION_ARGS)
{
	int32		s = PG_GETARG_INT32(0);

	if (s < 1 || s > B2B_NSEGMENTS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("segment rank %d is out of range", s),
				 errhint("Segment ranks run from 1 (champions) to %d (hibernating).", B2B_NSEGMENTS)));
	PG_RETURN_CHAR((char) s);
}

/* The R and F ranges of a segment's rule, for segments(). */
static Datum
rule_part(FunctionCallInfo fcinfo, int which)
{
	int			v[4];

	segment_rule(segment_checked(PG_GETARG_DATUM(0)), &v[0], &v[1], &v[2], &v[3]);
	PG_RETURN_INT32(v[which]);
}

Datum
segment_r_min(PG_FUNCTION_ARGS)
{
	return rule_part(fcinfo, 0);
}

Datum
segment_r_max(PG_FUNCTION_ARGS)
{
	return rule_part(fcinfo, 1);
}

Datum
segment_f_min(PG_FUNCTION_ARGS)
{
	return rule_part(fcinfo, 2);
}

Datum
segment_f_max(PG_FUNCTION_ARGS)
{
	return rule_part(fcinfo, 3);
}
